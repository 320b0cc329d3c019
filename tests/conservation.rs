//! Conservation over random small scenarios: in every replication and every
//! consignment group, `arrived = released + seized + in_system_end`, whatever
//! the rates, capacities, working hours, inspection policy and distributions.

mod common;

use clearsim::scenario;
use clearsim::sim::run_replication;
use common::MODES;
use proptest::prelude::*;

/// The knobs of a small random scenario.
#[derive(Debug, Clone)]
struct Knobs {
    rate_a: f64,
    rate_b: f64,
    review_rate: f64,
    inspection_rate: f64,
    reviewers: u32,
    inspectors: u32,
    office_hours: bool,
    prohibited: f64,
    undervalued: f64,
    detection: f64,
    scan_share: f64,
    mode: &'static str,
    integrated: bool,
    targeting: &'static str,
    tax_timing: &'static str,
    channel_b: &'static str,
    advance: f64,
    two_step: f64,
}

/// A small scenario: a port with a scanner and a home customs in one
/// region with a centre and a link, plus a second entry site.
fn scenario_text(k: &Knobs, dist: &str) -> String {
    let calendar = if k.office_hours { "office" } else { "7x24" };
    let port_b_kind = if k.channel_b == "bonded_1210" {
        "bonded_zone"
    } else {
        "postal_hub"
    };
    format!(
        r#"
name = "prop"
horizon_h = 400
warmup_h = 48
start_date = 2026-11-06

[policy]
review_rate = {review_rate}
inspection_rate = {inspection_rate}
mode = "{mode}"
targeting = "{targeting}"
tax_timing = "{tax_timing}"
audit_delay = {{ dist = "exponential", mean = 100 }}

[calendars.office]
days = ["mon", "tue", "wed", "thu", "fri"]
hours = [[9, 12], [13, 17]]

[[regions]]
id = "r"
integrated = {integrated}
centre = "centre"
coordination_delay = {{ dist = "exponential", mean = 5 }}

[[sites]]
id = "home"
kind = "customs"
region = "r"
[sites.steps.review]
resource = "home_rev"
duration = {dist}
[sites.steps.inspection]
resource = "home_insp"
duration = {dist}
detection_probability = {detection}
[sites.steps.arrival_confirmation]
duration = {{ dist = "deterministic", value = 0.5 }}

[[sites]]
id = "port_customs"
kind = "customs"
region = "r"

[[sites]]
id = "centre"
kind = "clearance_centre"
region = "r"
[sites.steps.review]
resource = "centre_rev"
duration = {dist}

[[sites]]
id = "a"
kind = "air_port"
customs = "port_customs"
calendar = "{calendar}"
[sites.steps.lodgement]
duration = {{ dist = "exponential", mean = 0.3 }}
[sites.steps.review]
resource = "a_rev"
duration = {dist}
[sites.steps.scan]
resource = "a_scan"
duration = {{ dist = "exponential", mean = 0.1 }}
share = {scan_share}
detection_probability = {detection}
[sites.steps.inspection]
resource = "a_insp"
duration = {dist}
detection_probability = {detection}
[sites.steps.sealing]
duration = {{ dist = "deterministic", value = 0.5 }}

[[sites]]
id = "b"
kind = "{port_b_kind}"
customs = "port_customs"
[sites.steps.inspection]
resource = "b_insp"
duration = {{ dist = "erlang", k = 3, mean = 0.4 }}
detection_probability = {detection}
[sites.steps.release]
duration = {{ dist = "uniform", min = 0.1, max = 0.5 }}

[[links]]
from = "a"
to = "home"
duration = {{ dist = "lognormal", mean = 4, sd = 1 }}

[[links]]
from = "b"
to = "home"
duration = {{ dist = "uniform", min = 2, max = 6 }}

[[resources]]
id = "a_rev"
site = "a"
capacity = {reviewers}

[[resources]]
id = "a_scan"
site = "a"
capacity = 2

[[resources]]
id = "a_insp"
site = "a"
capacity = {inspectors}

[[resources]]
id = "home_rev"
site = "home"
capacity = {reviewers}
calendar = "{calendar}"

[[resources]]
id = "home_insp"
site = "home"
capacity = {inspectors}

[[resources]]
id = "centre_rev"
site = "centre"
capacity = {reviewers}

[[resources]]
id = "b_insp"
site = "b"
capacity = 2
calendar = "{calendar}"

[[streams]]
id = "sa"
port = "a"
home = "home"
credit_mix = {{ advanced = 0.2, general = 0.7, discredited = 0.1 }}
value = {{ dist = "lognormal", mean = 20000, sd = 30000 }}
rate_per_h = {rate_a}
prohibited_share = {prohibited}
undervalued_share = {undervalued}
misclassified_share = 0.02
advance_declaration_share = {advance}
two_step_share = {two_step}
hour_of_day = [0.2, 0.2, 0.2, 0.2, 0.2, 0.5, 1, 1.5, 2, 2, 2, 2, 1.5, 1.5, 1.5, 1.5, 1.5, 1, 1, 1, 0.5, 0.5, 0.2, 0.2]

[[streams]]
id = "sb"
channel = "{channel_b}"
port = "b"
home = "home"
rate_per_h = {rate_b}
prohibited_share = {prohibited}
undervalued_share = {undervalued}

[[streams.peaks]]
from_h = 100
until_h = 150
multiplier = 3
"#,
        review_rate = k.review_rate,
        inspection_rate = k.inspection_rate,
        mode = k.mode,
        targeting = k.targeting,
        tax_timing = k.tax_timing,
        integrated = k.integrated,
        detection = k.detection,
        scan_share = k.scan_share,
        reviewers = k.reviewers,
        inspectors = k.inspectors,
        rate_a = k.rate_a,
        rate_b = k.rate_b,
        prohibited = k.prohibited,
        undervalued = k.undervalued,
        advance = k.advance,
        two_step = k.two_step,
        channel_b = k.channel_b,
    )
}

fn dist_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        (0.05f64..2.0).prop_map(|m| format!("{{ dist = \"exponential\", mean = {m} }}")),
        (0.0f64..1.0).prop_map(|v| format!("{{ dist = \"deterministic\", value = {v} }}")),
        (0.1f64..2.0, 0.05f64..1.0)
            .prop_map(|(m, s)| format!("{{ dist = \"lognormal\", mean = {m}, sd = {s} }}")),
        Just("{ dist = \"empirical\", values = [0.1, 0.5, 2.0], weights = [3, 2, 1] }".to_string()),
    ]
}

fn knobs() -> impl Strategy<Value = Knobs> {
    (
        (
            0.0f64..20.0,
            0.01f64..10.0,
            0.0f64..=1.0,
            0.0f64..=1.0,
            1u32..5,
            1u32..5,
        ),
        (
            any::<bool>(),
            // Exactly zero a third of the time, so the zero branches below
            // are taken (a continuous range never gives 0).
            prop_oneof![Just(0.0f64), 0.0f64..0.3, 0.0f64..0.3],
            0.0f64..0.3,
            prop_oneof![Just(0.0f64), 0.0f64..=1.0, 0.0f64..=1.0],
            0.0f64..=1.0,
        ),
        (
            0usize..5,
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
        ),
        (
            0.0f64..=1.0,
            prop_oneof![Just(0.0f64), 0.0f64..=1.0, 0.0f64..=1.0],
        ),
    )
        .prop_map(|(a, b, c, d)| Knobs {
            rate_a: a.0,
            rate_b: a.1,
            review_rate: a.2,
            inspection_rate: a.3,
            reviewers: a.4,
            inspectors: a.5,
            office_hours: b.0,
            prohibited: b.1,
            undervalued: b.2,
            detection: b.3,
            scan_share: b.4,
            mode: MODES[c.0],
            // Regional integration needs integration in force.
            integrated: c.1 || c.0 == 4,
            targeting: if c.2 { "risk_based" } else { "random" },
            tax_timing: if c.3 {
                "after_release"
            } else {
                "before_release"
            },
            channel_b: if c.4 { "bonded_1210" } else { "postal" },
            advance: d.0,
            two_step: d.1,
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn every_consignment_is_accounted_for(k in knobs(), dist in dist_strategy(), seed: u64) {
        let text = scenario_text(&k, &dist);
        let s = scenario::parse("prop.toml", text.as_bytes())
            .map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        let r = run_replication(&s.model, 0, seed);
        let value = |group: &str, metric: &str| {
            r.observations.iter()
                .find(|o| o.group == group && o.metric == metric)
                .and_then(|o| o.value)
                .unwrap_or_else(|| panic!("{group}/{metric} missing"))
        };
        let groups: Vec<&str> = r.observations.iter()
            .filter(|o| o.metric == "arrived")
            .map(|o| o.group.as_str())
            .collect();
        prop_assert!(groups.len() >= 8, "{:?}", groups);
        for group in groups {
            let (a, rel, sz, end) = (value(group, "arrived"), value(group, "released"),
                value(group, "seized"), value(group, "in_system_end"));
            prop_assert_eq!(a, rel + sz + end, "{}: {} != {} + {} + {}", group, a, rel, sz, end);
            prop_assert!(value(group, "leakage") <= value(group, "non_compliant"));
            prop_assert!(value(group, "revenue_recovered_yuan") <= value(group, "revenue_evaded_yuan") + 1e-6);
        }
        prop_assert_eq!(value("all", "arrived"), value("stream=sa", "arrived") + value("stream=sb", "arrived"));
        let credit: f64 = ["advanced", "general", "discredited"].iter()
            .map(|c| value(&format!("credit={c}"), "arrived")).sum();
        prop_assert_eq!(value("all", "arrived"), credit);
        // The whole run's officer hours are its resources' officer hours.
        let by_resource: f64 = r.observations.iter()
            .filter(|o| o.group.starts_with("resource=") && o.metric == "officer_hours")
            .map(|o| o.value.unwrap_or(0.0))
            .sum();
        let all_hours = value("all", "officer_hours");
        prop_assert!((all_hours - by_resource).abs() <= 1e-9 * all_hours.max(1.0),
            "officer hours: {} in all, {} by resource", all_hours, by_resource);
        if k.detection == 0.0 || k.prohibited == 0.0 {
            // Only inspection seizes, and only prohibited goods it finds.
            prop_assert_eq!(value("all", "seized"), 0.0);
        }

        // Nothing is reviewed after release unless the policy says so or a
        // two-step declaration's complete declaration is.
        if k.tax_timing == "before_release" && k.two_step == 0.0 {
            prop_assert_eq!(value("all", "revenue_recovered_yuan"), 0.0);
        }
    }
}

/// Throughput counts releases only: in a run with no warm-up whose
/// arrivals stop long before the horizon, every consignment has left by
/// the end, so throughput per day times the run's days is exactly the
/// number released, however many were seized (here half are prohibited,
/// and every one is inspected and found).
#[test]
fn throughput_counts_releases_not_seizures() {
    const TEXT: &str = r#"
name = "throughput"
seed = 11
replications = 3
horizon_h = 480
warmup_h = 0
[policy]
review_rate = 0.0
inspection_rate = 1.0
targeting = "random"
[[sites]]
id = "port"
kind = "sea_port"
[sites.steps.inspection]
resource = "inspectors"
duration = { dist = "exponential", mean = 0.5 }
detection_probability = 1.0
[[resources]]
id = "inspectors"
site = "port"
capacity = 4
[[streams]]
id = "s"
port = "port"
rate_per_h = 3.0
prohibited_share = 0.5
peaks = [{ name = "closed", from_h = 400, until_h = 480, multiplier = 0.0 }]
"#;
    let run = common::run_text(TEXT);
    let reps = common::read_reps(&run.out);
    let get = |metric: &str| common::values(&reps, "base", "all", metric).to_vec();
    let (throughput, released, seized) =
        (get("throughput_per_day"), get("released"), get("seized"));
    assert!(get("in_system_end").iter().all(|n| *n == 0.0));
    for r in 0..throughput.len() {
        assert!(seized[r] > 0.0, "replication {r}: nothing seized");
        let released_by_throughput = throughput[r] * 480.0 / 24.0;
        assert!(
            (released_by_throughput - released[r]).abs() < 1e-6,
            "replication {r}: throughput gives {released_by_throughput} releases, {} released ({} seized)",
            released[r],
            seized[r]
        );
    }
}

/// The run's window is closed at the horizon: an event due exactly then
/// (the only kind that can be is a pool opening at its calendar's hour, as
/// arrival and service times are continuous) is handled, as an arrival
/// drawn for exactly the horizon is let in. Here the inspectors work from
/// midnight to 08:00 and the two-day horizon ends at midnight: the
/// declarations left waiting on the second evening start at the horizon.
/// With more inspectors than could ever be busy, each declaration starts
/// its inspection at once or at the next opening, so every one that
/// entered the queue has started by the end.
#[test]
fn a_pool_opening_at_the_horizon_starts_its_queue() {
    const TEXT: &str = r#"
name = "opens_at_the_horizon"
seed = 3
replications = 3
start_date = 2026-11-02
horizon_days = 2
warmup_h = 0
[policy]
review_rate = 0.0
inspection_rate = 1.0
targeting = "random"
[calendars.night]
days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
hours = [[0, 8]]
[[sites]]
id = "port"
kind = "sea_port"
[sites.steps.inspection]
resource = "inspectors"
duration = { dist = "exponential", mean = 0.5 }
[[resources]]
id = "inspectors"
site = "port"
capacity = 1000
calendar = "night"
[[streams]]
id = "s"
port = "port"
rate_per_h = 3.0
"#;
    let run = common::run_text(TEXT);
    let reps = common::read_reps(&run.out);
    let get = |metric: &str| common::values(&reps, "base", "resource=inspectors", metric).to_vec();
    let (entered, started) = (get("entered"), get("started"));
    for r in 0..entered.len() {
        assert!(entered[r] > 0.0, "replication {r}");
        assert_eq!(
            started[r], entered[r],
            "replication {r}: of {} declarations queued for inspection, {} started by the horizon",
            entered[r], started[r]
        );
    }
}
