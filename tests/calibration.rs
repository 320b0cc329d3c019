//! Calibration against GACC's published overall import clearance time:
//! 97.39 h in 2017 and 32.02 h in 2022 (docs/calibration.md gives the
//! sources, the definition clearsim uses and what was tuned). Each file is
//! run with its own seed and replications, then with another seed and twice
//! the replications; the 95% interval of `overall_clearance_time_mean_h`
//! (group `all`) must lie within ±10% of the published figure. A third test
//! checks that the reform ladder of reforms_2017_2022.toml, applied to the
//! 2017 file, gives exactly the 2022 file's results. The Shanghai trial of
//! 2016 is checked the same way on `release_time_mean_h` (38.6 h -> 28.8 h).
//!
//! Every simulated figure that docs/calibration.md's tables and text quote
//! from these runs is compared with what they give, so the page cannot
//! drift from the model.
//!
//! `cargo test --release --test calibration -- --nocapture` prints the
//! numbers (all the runs together take under 10 s on two cores).

mod common;
use common::{Row, read_summary, repo_path, row, run_ok};
use std::collections::HashMap;

const METRIC: &str = "overall_clearance_time_mean_h";

/// Runs `scenario` with `extra` arguments and checks that the 95% interval
/// of the overall clearance time lies within ±10% of `published`.
fn within_ten_percent(
    scenario: &str,
    published: f64,
    extra: &[&str],
) -> HashMap<(String, String), Row> {
    metric_within_ten_percent(scenario, METRIC, published, extra)
}

/// Runs `scenario` with `extra` arguments and checks that the 95% interval
/// of `metric` (group `all`) lies within ±10% of `published`; prints the
/// Time Release Study split and the within-24 h shares beside it.
/// Returns the run's summary.
fn metric_within_ten_percent(
    scenario: &str,
    metric: &str,
    published: f64,
    extra: &[&str],
) -> HashMap<(String, String), Row> {
    let dir = tempfile::tempdir().unwrap();
    run_ok(scenario, dir.path(), extra);
    let summary = read_summary(dir.path());
    let r = row(&summary, "all", metric);
    let (lo, hi) = (r.mean - r.half_width, r.mean + r.half_width);
    let error = 100.0 * (r.mean - published) / published;
    println!(
        "{scenario} {extra:?}: {metric} {:.2} ± {:.2} h over {} replications \
         (published {published} h, error {error:+.1}%; allowed {:.2}-{:.2} h)",
        r.mean,
        r.half_width,
        r.reps,
        0.9 * published,
        1.1 * published
    );
    for share in [
        "released_within_24h_share",
        "overall_cleared_within_24h_share",
    ] {
        let s = row(&summary, "all", share);
        println!("    {share:<33} {:.3} ± {:.3}", s.mean, s.half_width);
    }
    for party in ["customs", "other_agency", "trader", "logistics"] {
        let p = row(&summary, "all", &format!("{party}_time_mean_h"));
        println!("    {party:<12} {:7.2} ± {:.2} h", p.mean, p.half_width);
    }
    assert!(
        lo >= 0.9 * published && hi <= 1.1 * published,
        "{scenario} {extra:?}: {metric} [{lo:.2}, {hi:.2}] h is not within ±10% of {published} h"
    );
    // docs/calibration.md's tables quote these runs.
    common::assert_quoted(DOC, &format!("{:.2} ± {:.2} h", r.mean, r.half_width));
    // The within-24 h shares are quoted for the Shanghai files' own seed.
    if metric == RELEASE && extra.is_empty() {
        let s = row(&summary, "all", "released_within_24h_share");
        common::assert_quoted(
            DOC,
            &format!("{:.1} ± {:.1}%", 100.0 * s.mean, 100.0 * s.half_width),
        );
    }
    summary
}

const DOC: &str = "docs/calibration.md";

/// The cell of `doc`'s table row labelled `label` in `column` (the label's
/// column is 0).
fn table_cell(doc: &str, label: &str, column: usize) -> String {
    let text = std::fs::read_to_string(repo_path(doc)).unwrap();
    let line = text
        .lines()
        .find(|l| l.starts_with(&format!("| {label} |")))
        .unwrap_or_else(|| panic!("{doc} has no table row \"{label}\""));
    let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
    cells
        .get(column)
        .unwrap_or_else(|| panic!("{doc}, row \"{label}\": no column {column}"))
        .to_string()
}

/// The "other metrics" table of docs/calibration.md, for the GACC file
/// run with its own seed: `column` 1 is 2017, 2 is 2022.
fn other_metrics_are_quoted(summary: &HashMap<(String, String), Row>, column: usize) {
    let h = |group: &str, metric: &str| row(summary, group, metric);
    let level = |r: Row| format!("{:.1} h", r.mean);
    let interval = |r: Row| format!("{:.1} ± {:.1} h", r.mean, r.half_width);
    let share = |r: Row| format!("{:.1}%", 100.0 * r.mean);
    for (label, want) in [
        (
            "overall clearance time, median",
            level(h("all", "overall_clearance_time_p50_h")),
        ),
        (
            "overall clearance time, p90",
            level(h("all", "overall_clearance_time_p90_h")),
        ),
        (
            "share cleared within 24 h of arrival",
            share(h("all", "overall_cleared_within_24h_share")),
        ),
        (
            "release time, arrival → customs release (mean)",
            level(h("all", RELEASE)),
        ),
        (
            "sea stream, overall mean",
            interval(h("stream=sea_imports", METRIC)),
        ),
        ("air stream", interval(h("stream=air_imports", METRIC))),
        ("land stream", interval(h("stream=land_imports", METRIC))),
    ] {
        assert_eq!(
            table_cell(DOC, label, column),
            want,
            "{DOC}, \"{label}\": the run now gives {want}; update the table"
        );
    }
}

#[test]
fn gacc_2017_overall_clearance_time() {
    let summary = within_ten_percent("scenarios/calibration/gacc_2017.toml", 97.39, &[]);
    other_metrics_are_quoted(&summary, 1);
}

#[test]
fn gacc_2017_another_seed_more_replications() {
    within_ten_percent(
        "scenarios/calibration/gacc_2017.toml",
        97.39,
        &["--seed", "20230301", "--reps", "20"],
    );
}

#[test]
fn gacc_2022_overall_clearance_time() {
    let summary = within_ten_percent("scenarios/calibration/gacc_2022.toml", 32.02, &[]);
    other_metrics_are_quoted(&summary, 2);
}

#[test]
fn gacc_2022_another_seed_more_replications() {
    within_ten_percent(
        "scenarios/calibration/gacc_2022.toml",
        32.02,
        &["--seed", "20230301", "--reps", "20"],
    );
}

/// Runs `clearsim run` on `text` (a scenario written to a temporary file)
/// and on the file `rel`, and asserts that their summary.csv are identical.
fn same_results(text: &str, rel: &str, what: &str) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("applied.toml");
    std::fs::write(&file, text).unwrap();
    let (out_applied, out_file) = (dir.path().join("applied"), dir.path().join("file"));
    common::ok(&[
        "run",
        file.to_str().unwrap(),
        "--out",
        out_applied.to_str().unwrap(),
        "--quiet",
    ]);
    run_ok(rel, &out_file, &[]);
    let summary = |d: &std::path::Path| std::fs::read(d.join("summary.csv")).unwrap();
    assert!(
        summary(&out_applied) == summary(&out_file),
        "{what} do not give {rel}'s summary.csv"
    );
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(repo_path(rel)).unwrap()
}

/// Applies `PATH=VALUE` settings (the `clearsim sweep --set` syntax, one
/// value each) to a scenario's text.
fn apply(text: &str, settings: &[&str]) -> String {
    let assignments: Vec<_> = settings
        .iter()
        .map(|s| {
            let setting = clearsim::experiment::sweep::parse_setting(s).unwrap();
            assert_eq!(setting.values.len(), 1, "{s}: one value per setting");
            (setting.path, setting.values[0].clone())
        })
        .collect();
    clearsim::experiment::sweep::apply(text, &assignments).unwrap()
}

/// The ladder's reforms, applied in order to gacc_2017.toml with the same
/// path syntax as `clearsim sweep --set`, give the model of gacc_2022.toml:
/// the same summary.csv, byte for byte. (The reforms file is read as plain
/// TOML here, so this holds whatever the ladder command does with it.)
#[test]
fn reforms_ladder_rebuilds_2022_from_2017() {
    let ladder: toml::Table =
        toml::from_str(&read("scenarios/calibration/reforms_2017_2022.toml")).unwrap();
    let reforms = ladder["experiment"]["reforms"].as_array().unwrap();
    assert!(
        (4..=7).contains(&reforms.len()),
        "{} reforms",
        reforms.len()
    );
    let mut settings = Vec::new();
    let mut last_date = String::new();
    for reform in reforms {
        let date = reform["date"].as_str().unwrap().to_string();
        assert!(date >= last_date, "reforms out of date order at {date}");
        last_date = date;
        for s in reform["set"].as_array().unwrap() {
            settings.push(s.as_str().unwrap());
        }
    }
    let applied = apply(&read("scenarios/calibration/gacc_2017.toml"), &settings);
    same_results(
        &applied,
        "scenarios/calibration/gacc_2022.toml",
        "the reforms applied to gacc_2017.toml",
    );
    println!(
        "{} reforms ({} settings) applied to gacc_2017.toml give gacc_2022.toml's results exactly",
        reforms.len(),
        settings.len()
    );
}

// --- Shanghai Customs' 2016 trial (Shanghai Daily, 2017-02-14): 38.6 h
// before, 28.8 h after, arrival to customs release (release_time_mean_h;
// the definition is an assumption, docs/calibration.md). The within-24 h
// shares (60.6% -> 70.1%) are printed but not asserted: the model does not
// reproduce them.

const RELEASE: &str = "release_time_mean_h";

#[test]
fn shanghai_2016_before_the_trial() {
    metric_within_ten_percent(
        "scenarios/calibration/shanghai_2016.toml",
        RELEASE,
        38.6,
        &[],
    );
}

#[test]
fn shanghai_2016_before_the_trial_another_seed() {
    metric_within_ten_percent(
        "scenarios/calibration/shanghai_2016.toml",
        RELEASE,
        38.6,
        &["--seed", "20170214", "--reps", "20"],
    );
}

#[test]
fn shanghai_2016_under_the_trial() {
    metric_within_ten_percent(
        "scenarios/calibration/shanghai_2016_trial.toml",
        RELEASE,
        28.8,
        &[],
    );
}

#[test]
fn shanghai_2016_under_the_trial_another_seed() {
    metric_within_ten_percent(
        "scenarios/calibration/shanghai_2016_trial.toml",
        RELEASE,
        28.8,
        &["--seed", "20170214", "--reps", "20"],
    );
}

/// The trial file is the pre-trial file with the trial's three values
/// changed (R1 of the national ladder), and nothing else.
#[test]
fn shanghai_trial_is_the_base_with_the_trial_applied() {
    let applied = apply(
        &read("scenarios/calibration/shanghai_2016.toml"),
        &[
            "policy.tax_timing=after_release",
            "sites.shanghai_port.steps.tax.duration.mean=2.0",
            "sites.shanghai_port.steps.tax.duration.sd=2.0",
        ],
    );
    same_results(
        &applied,
        "scenarios/calibration/shanghai_2016_trial.toml",
        "the trial applied to shanghai_2016.toml",
    );
}

/// `clearsim ladder` on the reform ladder: its first rung is the 2017
/// file's run and its last the 2022 file's (same seeds, to the last digit),
/// and the reforms' step and Shapley contributions each add up to the drop.
/// With the file's own 10 replications, as docs/calibration.md's table
/// quotes them.
#[test]
fn the_ladder_command_explains_the_drop_from_2017_to_2022() {
    let dir = tempfile::tempdir().unwrap();
    let reps: [&str; 0] = [];
    let ladder = dir.path().join("ladder");
    run_ok(
        "scenarios/calibration/reforms_2017_2022.toml",
        &ladder,
        &reps,
    );
    let mean_of = |rel: &str, name: &str| {
        let out = dir.path().join(name);
        run_ok(rel, &out, &reps);
        row(&read_summary(&out), "all", METRIC).mean
    };
    let (y2017, y2022) = (
        mean_of("scenarios/calibration/gacc_2017.toml", "2017"),
        mean_of("scenarios/calibration/gacc_2022.toml", "2022"),
    );
    let mut r = csv::Reader::from_path(ladder.join("ladder.csv")).unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    let f = |rec: &csv::StringRecord, i: usize| rec[i].parse::<f64>().unwrap();
    let (first, last) = (&rows[0], &rows[rows.len() - 1]);
    println!("ladder: {} → {} h", f(first, 6), f(last, 6));
    assert_eq!(f(first, 6), y2017);
    assert_eq!(f(last, 6), y2022);
    let drop = y2022 - y2017;
    let steps: f64 = rows[1..].iter().map(|r| f(r, 8)).sum();
    let shapley: f64 = rows[1..].iter().map(|r| f(r, 10)).sum();
    assert!((steps - drop).abs() < 1e-9 && (shapley - drop).abs() < 1e-9);
    // Every reform shortens clearance, clearly (paired interval below 0).
    for rec in &rows[1..] {
        assert!(f(rec, 8) + f(rec, 9) < 0.0, "{:?}", rec);
    }
    // docs/calibration.md's table of the rungs, signs as the docs write
    // them.
    let pm = |rec: &csv::StringRecord, i: usize| {
        format!("{:.2} ± {:.2}", f(rec, i), f(rec, i + 1)).replace('-', "−")
    };
    for (n, rec) in rows.iter().enumerate() {
        let label = if n == 0 {
            "0".to_string()
        } else {
            format!("R{n}")
        };
        let columns: &[(usize, usize)] = if n == 0 {
            &[(3, 6)]
        } else {
            &[(3, 6), (4, 8), (5, 10)]
        };
        for &(column, field) in columns {
            assert_eq!(
                table_cell(DOC, &label, column),
                pm(rec, field),
                "{DOC}, rung {label}, column {column}: update the table"
            );
        }
    }
    common::assert_quoted(
        DOC,
        &format!("adds up to the total, {drop:.2}").replace('-', "−"),
    );
    common::assert_quoted(
        DOC,
        &format!(
            "The simulated fall is {:.1}% ({drop:.1} h)",
            100.0 * drop / y2017
        )
        .replace('-', "−"),
    );
}
