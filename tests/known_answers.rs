//! Known answers: each test compares one quantity with a value derived by
//! hand (a closed form, a proportion the mechanism implies), with a bound
//! derived from the run's own 95% interval plus the histogram's stated
//! precision. Each one catches a bug that once passed the whole suite
//! (issue 15): a wrong quantile, statistics not reset after warm-up,
//! detection or audit probabilities ignored, credit multipliers ignored, a
//! distribution's mean converted wrongly, compare pairing or --baseline
//! ignored.

mod common;
use common::{clearsim, read_summary, row, run_text};

/// |got − want| within the 95% half-width plus `slack` (relative to want).
fn within(label: &str, got: common::Row, want: f64, slack: f64) {
    let bound = got.half_width + slack * want.abs();
    println!(
        "{label}: {} ± {} against {want} (bound {bound})",
        got.mean, got.half_width
    );
    assert!(
        (got.mean - want).abs() <= bound,
        "{label}: {} ± {} is not within {bound} of {want}",
        got.mean,
        got.half_width
    );
}

/// Pure delays: the release time is the lodgement time itself, one stream
/// per distribution, each with mean 1 h.
const DELAYS: &str = r#"
name = "pure_delays"
seed = 7
replications = 8
horizon_days = 20
warmup_days = 1

[policy]
review_rate = 0.0
inspection_rate = 0.0

[[sites]]
id = "exponential"
kind = "sea_port"
[sites.steps.lodgement]
duration = { dist = "exponential", mean = 1.0 }

[[sites]]
id = "lognormal"
kind = "sea_port"
[sites.steps.lodgement]
duration = { dist = "lognormal", mean = 1.0, sd = 1.0 }

[[sites]]
id = "gamma"
kind = "sea_port"
[sites.steps.lodgement]
duration = { dist = "gamma", shape = 2.0, mean = 1.0 }

[[sites]]
id = "triangular"
kind = "sea_port"
[sites.steps.lodgement]
duration = { dist = "triangular", min = 0.0, mode = 0.5, max = 2.5 }

[[sites]]
id = "uniform"
kind = "sea_port"
[sites.steps.lodgement]
duration = { dist = "uniform", min = 0.5, max = 1.5 }

[[streams]]
id = "exponential"
port = "exponential"
rate_per_h = 300
[[streams.peaks]]                # the last day: no arrivals, so every
name = "drain"                   # consignment is released and counted
from_h = 456
until_h = 480
multiplier = 0.0

[[streams]]
id = "lognormal"
port = "lognormal"
rate_per_h = 300
[[streams.peaks]]                # the last day: no arrivals, so every
name = "drain"                   # consignment is released and counted
from_h = 456
until_h = 480
multiplier = 0.0

[[streams]]
id = "gamma"
port = "gamma"
rate_per_h = 300
[[streams.peaks]]                # the last day: no arrivals, so every
name = "drain"                   # consignment is released and counted
from_h = 456
until_h = 480
multiplier = 0.0

[[streams]]
id = "triangular"
port = "triangular"
rate_per_h = 300
[[streams.peaks]]                # the last day: no arrivals, so every
name = "drain"                   # consignment is released and counted
from_h = 456
until_h = 480
multiplier = 0.0

[[streams]]
id = "uniform"
port = "uniform"
rate_per_h = 300
[[streams.peaks]]                # the last day: no arrivals, so every
name = "drain"                   # consignment is released and counted
from_h = 456
until_h = 480
multiplier = 0.0
"#;

/// Release-time quantiles of an exponential delay with mean 1 h are
/// −ln(1 − p); the histogram stores three significant digits (0.1%).
#[test]
fn release_time_quantiles_are_the_exponential_ones() {
    let s = read_summary(&run_text(DELAYS).out);
    for (metric, p) in [
        ("release_time_p50_h", 0.50),
        ("release_time_p90_h", 0.90),
        ("release_time_p95_h", 0.95),
        ("release_time_p99_h", 0.99),
    ] {
        let want = -(1.0f64 - p).ln();
        within(metric, row(&s, "stream=exponential", metric), want, 0.002);
    }
    within(
        "within 24 h",
        row(&s, "stream=exponential", "released_within_24h_share"),
        1.0,
        0.0,
    );
}

/// Every distribution's parameters turn into the mean the file asks for
/// (1 h), and the lognormal's into its standard deviation (1 h).
#[test]
fn each_distribution_has_the_mean_its_parameters_say() {
    let s = read_summary(&run_text(DELAYS).out);
    // Triangular (0, 0.5, 2.5) has mean 1; uniform (0.5, 1.5) too.
    for d in ["exponential", "lognormal", "gamma", "triangular", "uniform"] {
        let g = format!("stream={d}");
        within(&g, row(&s, &g, "release_time_mean_h"), 1.0, 0.0);
    }
    within(
        "lognormal sd",
        row(&s, "stream=lognormal", "release_time_sd_h"),
        1.0,
        0.0,
    );
    // Gamma with shape 2: sd = mean / sqrt(2).
    within(
        "gamma sd",
        row(&s, "stream=gamma", "release_time_sd_h"),
        1.0 / 2f64.sqrt(),
        0.0,
    );
}

/// A single server at ρ = 0.5 after a warm-up spent at ρ = 0.9: the
/// utilisation reported is the window's, 0.5, not the whole run's
/// (≈ 0.57 here).
#[test]
fn pool_statistics_restart_after_warm_up() {
    let s = read_summary(
        &run_text(
            r#"
name = "warm_up_transient"
seed = 3
replications = 8
horizon_h = 1200
warmup_h = 200

[policy]
review_rate = 1.0
inspection_rate = 0.0

[[sites]]
id = "port"
kind = "sea_port"
[sites.steps.review]
resource = "reviewers"
duration = { dist = "exponential", mean = 0.5 }

[[resources]]
id = "reviewers"
site = "port"
capacity = 1

[[streams]]
id = "imports"
port = "port"
rate_per_h = 1.0
[[streams.peaks]]
name = "backlog"
from_h = 0
until_h = 200
multiplier = 1.8
"#,
        )
        .out,
    );
    within(
        "utilisation after warm-up",
        row(&s, "resource=reviewers", "utilisation"),
        0.5,
        0.02,
    );
}

/// One port, every consignment inspected by scanner, a fifth carrying
/// prohibited goods: seizures, and the hit rate of inspections, are that
/// fifth times the scanner's detection probability (0.5), and
/// post-release reviews recover the evaded tax at the audit detection
/// probability (0.3).
#[test]
fn seizures_and_recoveries_follow_their_detection_probabilities() {
    let s = read_summary(
        &run_text(
            r#"
name = "detection"
seed = 11
replications = 8
horizon_days = 20
warmup_days = 1

[policy]
review_rate = 1.0
inspection_rate = 1.0
tax_timing = "after_release"
audit_detection = 0.3
audit_delay = { dist = "deterministic", value = 1.0 }

[[sites]]
id = "port"
kind = "sea_port"
[sites.steps.scan]
duration = { dist = "deterministic", value = 0.01 }
detection_probability = 0.5

[[streams]]
id = "imports"
port = "port"
rate_per_h = 50
prohibited_share = 0.2
undervalued_share = 0.5
"#,
        )
        .out,
    );
    let arrived = row(&s, "all", "arrived").mean;
    let mut seized = row(&s, "all", "seized");
    seized.mean /= arrived;
    seized.half_width /= arrived;
    within("seized share", seized, 0.2 * 0.5, 0.0);
    // Every consignment is inspected, so the inspections that find
    // something are the same share.
    let hit_rate = row(&s, "all", "hit_rate");
    within("hit rate", hit_rate, 0.2 * 0.5, 0.0);
    common::assert_quoted(
        "docs/testing.md",
        &format!(
            "scanned ({:.4} ± {:.4})",
            hit_rate.mean, hit_rate.half_width
        ),
    );
    let evaded = row(&s, "all", "revenue_evaded_yuan");
    let mut recovered = row(&s, "all", "revenue_recovered_yuan");
    recovered.mean /= evaded.mean;
    recovered.half_width =
        recovered.half_width / evaded.mean + 0.3 * evaded.half_width / evaded.mean;
    within("recovered share of evaded", recovered, 0.3, 0.0);
}

/// Φ(x), by Simpson's rule on the normal density (enough digits for a test).
fn normal_cdf(x: f64) -> f64 {
    let (a, n) = (-10.0f64, 20_000);
    let h = (x - a) / n as f64;
    let f = |t: f64| (-(t * t) / 2.0).exp() / (2.0 * std::f64::consts::PI).sqrt();
    let mut sum = f(a) + f(x);
    for k in 1..n {
        sum += f(a + k as f64 * h) * if k % 2 == 1 { 4.0 } else { 2.0 };
    }
    sum * h / 3.0
}

/// The score threshold t at which the share selected, `share(t)` (falling
/// in t), equals `rate`: bisection over scores far beyond any used here.
fn threshold(share: impl Fn(f64) -> f64, rate: f64) -> f64 {
    let (mut lo, mut hi) = (-10.0, 10.0);
    for _ in 0..80 {
        let mid = (lo + hi) / 2.0;
        if share(mid) > rate {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    (lo + hi) / 2.0
}

/// Half advanced, half general importers, nothing to hide, inspection rate
/// 0.2, AEO multiplier 0.2. Random targeting: inspected with probability
/// k × multiplier where 0.5 (0.2 k) + 0.5 k = 0.2, so 1/15 and 1/3. Risk
/// targeting: score ln(multiplier) + Z above a threshold t with 0.5 P(Z >
/// t − ln 0.2) + 0.5 P(Z > t) = 0.2.
#[test]
fn inspection_rates_per_credit_class_follow_the_multipliers() {
    let text = |targeting: &str| {
        format!(
            r#"
name = "credit_multipliers"
seed = 13
replications = 8
horizon_days = 20
warmup_days = 1

[policy]
review_rate = 0.0
inspection_rate = 0.2
targeting = "{targeting}"
credit_inspection = {{ advanced = 0.2, general = 1.0, discredited = 10.0 }}

[[sites]]
id = "port"
kind = "sea_port"
[sites.steps.inspection]
duration = {{ dist = "deterministic", value = 0.01 }}

[[streams]]
id = "imports"
port = "port"
rate_per_h = 50
credit_mix = {{ advanced = 0.5, general = 0.5 }}
"#
        )
    };
    let random = read_summary(&run_text(&text("random")).out);
    within(
        "random, advanced",
        row(&random, "credit=advanced", "inspection_rate"),
        0.2 / 3.0 * 1.0 / 1.0 * 1.0,
        0.0,
    );
    within(
        "random, general",
        row(&random, "credit=general", "inspection_rate"),
        1.0 / 3.0,
        0.0,
    );
    let t = threshold(
        |t| 0.5 * (1.0 - normal_cdf(t - 0.2f64.ln())) + 0.5 * (1.0 - normal_cdf(t)),
        0.2,
    );
    let risk = read_summary(&run_text(&text("risk_based")).out);
    within(
        "risk-based, advanced",
        row(&risk, "credit=advanced", "inspection_rate"),
        1.0 - normal_cdf(t - 0.2f64.ln()),
        0.0,
    );
    within(
        "risk-based, general",
        row(&risk, "credit=general", "inspection_rate"),
        1.0 - normal_cdf(t),
        0.0,
    );
}

/// Risk-based targeting of one check: a declaration hiding what the check
/// looks for scores d' + Z, an honest one Z, with d' the stream's data
/// quality (1.5) times the risk model's discrimination (2.0), so 3.0. A
/// rate of 0.1 for a stream one tenth non-compliant sets the threshold t by
/// 0.1 P(Z > t − 3) + 0.9 P(Z > t) = 0.1. Nothing else is checked and the
/// check finds what it looks at, so a non-compliant consignment leaks
/// exactly when its score is below t: leakage / non-compliant is
/// P(Z < t − 3) = 0.175, binomial within 4 sd a replication. (With d' =
/// 1.5 + 2.0 it would be P(Z < t' − 3.5) = 0.107.) `policy` holds the
/// policy's rates and targeting, `hides` the stream's shares of
/// non-compliance, and `centre`, if any, the rules of a tax centre that
/// reviews the stream's declarations instead of its port (detection 1 too).
fn risk_targeting_leaks_by_the_separation(
    step: &str,
    policy: &str,
    hides: &str,
    centre: Option<&str>,
) {
    let (by_category, centre_site, category) = match centre {
        Some(rules) => (
            "tax_review = \"by_category\"",
            format!(
                r#"
[[sites]]
id = "centre"
kind = "tax_centre"
categories = ["goods"]
[sites.supervision]
{rules}
[sites.steps.review]
duration = {{ dist = "deterministic", value = 0.01 }}
detection_probability = 1.0
"#
            ),
            "category = \"goods\"",
        ),
        None => ("", String::new(), ""),
    };
    let text = format!(
        r#"
name = "separation"
seed = 17
replications = 4
horizon_days = 20
warmup_days = 1

[policy]
{policy}
discrimination = 2.0
{by_category}

[[sites]]
id = "port"
kind = "sea_port"
[sites.steps.{step}]
duration = {{ dist = "deterministic", value = 0.01 }}
detection_probability = 1.0

[[streams]]
id = "imports"
port = "port"
rate_per_h = 50
data_quality = 1.5
{category}
{hides}
{centre_site}
"#
    );
    let d = 1.5 * 2.0;
    let t = threshold(
        |t| 0.1 * (1.0 - normal_cdf(t - d)) + 0.9 * (1.0 - normal_cdf(t)),
        0.1,
    );
    let missed = normal_cdf(t - d);
    let reps = common::read_reps(&run_text(&text).out);
    let get = |m: &str| common::values(&reps, "base", "all", m).to_vec();
    let (bad, leaked) = (get("non_compliant"), get("leakage"));
    for r in 0..bad.len() {
        let slack = 4.0 * (missed * (1.0 - missed) * bad[r]).sqrt();
        println!(
            "{step}, replication {r}: {} of {} leaked, expected {} ± {slack}",
            leaked[r],
            bad[r],
            missed * bad[r]
        );
        assert!(
            bad[r] > 1000.0,
            "{step}, replication {r}: {} non-compliant",
            bad[r]
        );
        assert!(
            (leaked[r] - missed * bad[r]).abs() <= slack,
            "{step}, replication {r}: {} of {} leaked, not {missed} × {} ± {slack}",
            leaked[r],
            bad[r],
            bad[r]
        );
    }
}

#[test]
fn risk_based_review_catches_by_the_tax_scores_separation() {
    risk_targeting_leaks_by_the_separation(
        "review",
        "review_rate = 0.1\ninspection_rate = 0.0\ntargeting = \"risk_based\"",
        "undervalued_share = 0.1\nprohibited_share = 0.0",
        None,
    );
}

#[test]
fn risk_based_inspection_catches_by_the_security_scores_separation() {
    risk_targeting_leaks_by_the_separation(
        "inspection",
        "review_rate = 0.0\ninspection_rate = 0.1\ntargeting = \"risk_based\"",
        "prohibited_share = 0.1",
        None,
    );
}

/// One check targeted by score, the other at random (a tax centre with its
/// own targeting reviews the stream): the scored check still leaks
/// P(Z < t − 3), whichever of the two it is. Random review (half of all
/// declarations) cannot see prohibited goods, random inspection (three
/// tenths) cannot see undervaluation, so neither changes the leak.
#[test]
fn a_scored_check_leaks_by_its_separation_beside_a_random_one() {
    risk_targeting_leaks_by_the_separation(
        "inspection",
        "review_rate = 0.0\ninspection_rate = 0.1\ntargeting = \"risk_based\"",
        "prohibited_share = 0.1",
        Some("review_rate = 0.5\ntargeting = \"random\""),
    );
    risk_targeting_leaks_by_the_separation(
        "review",
        "review_rate = 0.0\ninspection_rate = 0.3\ntargeting = \"random\"",
        "undervalued_share = 0.1\nprohibited_share = 0.0",
        Some("review_rate = 0.1\ntargeting = \"risk_based\"\ndiscrimination = 2.0"),
    );
}

/// `compare`'s paired differences, recomputed from replications.csv by
/// replication id, and its baseline column under `--baseline`.
#[test]
fn compare_pairs_replications_and_honours_the_baseline() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let file = common::repo_path("scenarios/modes/regional_integration.toml");
    let o = clearsim(&[
        "compare",
        file.to_str().unwrap(),
        "--modes",
        "port_clearance,regional_integration,customs_transit",
        "--baseline",
        "regional_integration",
        "--reps",
        "5",
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // replications.csv: variant,replication,seed,group,metric,value
    let mut values = std::collections::HashMap::new();
    let mut r = csv::Reader::from_path(out.join("replications.csv")).unwrap();
    for rec in r.records().map(Result::unwrap) {
        if &rec[3] == "all" && &rec[4] == "release_time_mean_h" {
            values.insert(
                (rec[0].to_string(), rec[1].parse::<u32>().unwrap()),
                rec[5].parse::<f64>().unwrap(),
            );
        }
    }
    let mut r = csv::Reader::from_path(out.join("comparison.csv")).unwrap();
    let mut seen = Vec::new();
    for rec in r.records().map(Result::unwrap) {
        assert_eq!(&rec[1], "regional_integration", "baseline column: {rec:?}");
        if &rec[2] != "all" || &rec[3] != "release_time_mean_h" {
            continue;
        }
        let variant = rec[0].to_string();
        let diffs = (0..5).map(|k| {
            Some(values[&(variant.clone(), k)] - values[&("regional_integration".to_string(), k)])
        });
        let e = clearsim::stats::Estimate::from_values(diffs);
        let (m, h): (f64, f64) = (rec[4].parse().unwrap(), rec[5].parse().unwrap());
        println!("{variant} − regional_integration: {m} ± {h} (recomputed {e:?})");
        assert!((m - e.mean.unwrap()).abs() < 1e-9 * m.abs().max(1.0));
        assert!((h - e.half_width.unwrap()).abs() < 1e-9 * h.abs().max(1.0));
        seen.push(variant);
    }
    seen.sort();
    assert_eq!(seen, ["customs_transit", "port_clearance"]);
}

/// The resource curves of `timeseries.csv` cover the whole run in bins of
/// the narrowest width in the series' list (1, 2, 3, 4, 6 h …) that needs
/// at most 240 of them: for 1,000 h, 6 h (4 h would take 250), so
/// ⌊1,000 / 6⌋ = 166 bins starting at 0, 6, 12 … 990 h, for each metric of
/// the one resource.
#[test]
fn the_time_series_covers_the_run_in_bins_of_the_chosen_width() {
    let text = std::fs::read_to_string(common::repo_path("scenarios/validation/mm1.toml"))
        .unwrap()
        .replace("replications = 30", "replications = 2")
        .replace("horizon_h = 20000", "horizon_h = 1000")
        .replace("warmup_h = 1000", "warmup_h = 100");
    assert!(text.contains("horizon_h = 1000\n") && text.contains("replications = 2\n"));
    let run = run_text(&text);
    let mut r = csv::Reader::from_path(run.out.join("timeseries.csv")).unwrap();
    let mut times: std::collections::BTreeMap<String, Vec<f64>> = Default::default();
    for rec in r.records().map(Result::unwrap) {
        assert_eq!(&rec[1], "server", "{rec:?}");
        times
            .entry(rec[2].to_string())
            .or_default()
            .push(rec[3].parse().unwrap());
    }
    assert!(!times.is_empty(), "no curves");
    let want: Vec<f64> = (0..166).map(|k| 6.0 * k as f64).collect();
    for (metric, t) in &times {
        assert_eq!(t, &want, "{metric}: bin starts");
    }
}
