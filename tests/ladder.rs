//! `clearsim ladder`: reforms applied in order with common random numbers,
//! each reform's contribution (step and Shapley), ladder.csv and the
//! waterfall chart.

mod common;
use common::{clearsim, repo_path};

const FILE: &str = "tests/data/ladder_small.toml";

fn ladder_rows(dir: &std::path::Path) -> Vec<csv::StringRecord> {
    let mut r = csv::Reader::from_path(dir.join("ladder.csv")).expect("ladder.csv");
    r.records().map(Result::unwrap).collect()
}

/// A variant's mean of a metric in summary.csv.
fn summary_mean(dir: &std::path::Path, variant: &str, metric: &str) -> f64 {
    let mut r = csv::Reader::from_path(dir.join("summary.csv")).expect("summary.csv");
    r.records()
        .map(Result::unwrap)
        .find(|rec| &rec[0] == variant && &rec[1] == "all" && &rec[2] == metric)
        .unwrap_or_else(|| panic!("no {variant}/{metric}"))[3]
        .parse()
        .unwrap()
}

fn f(rec: &csv::StringRecord, i: usize) -> f64 {
    rec[i].parse().unwrap()
}

#[test]
fn contributions_add_up_to_the_total_change() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = clearsim(&[
        "ladder",
        repo_path(FILE).to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8_lossy(&o.stdout);
    println!("{text}");
    assert!(text.contains("Shapley"), "{text}");
    let rows = ladder_rows(&out);
    assert_eq!(rows.len(), 4, "base and three reforms");
    assert_eq!(&rows[0][1], "base");
    assert_eq!(&rows[3][1], "ship-side pick-up");
    assert_eq!(&rows[2][2], "2018-10");
    // Columns: 6 level, 8 step, 10 Shapley.
    let total = f(&rows[3], 6) - f(&rows[0], 6);
    let steps: f64 = rows[1..].iter().map(|r| f(r, 8)).sum();
    let shapley: f64 = rows[1..].iter().map(|r| f(r, 10)).sum();
    println!("total {total}, steps {steps}, Shapley {shapley}");
    assert!((steps - total).abs() < 1e-9, "{steps} vs {total}");
    assert!((shapley - total).abs() < 1e-9, "{shapley} vs {total}");
    // Every reform here shortens clearance, each clearly (paired CI).
    for r in &rows[1..] {
        assert!(f(r, 8) + f(r, 9) < 0.0, "{:?}", r);
    }
    // Advance declaration and 7x24 review overlap (the review done before
    // arrival no longer waits for office hours on the critical path): the
    // order matters, so the two attributions differ.
    assert!(
        (f(&rows[1], 8) - f(&rows[1], 10)).abs() > f(&rows[1], 9) + f(&rows[1], 11),
        "step and Shapley of advance declaration should differ: {:?}",
        rows[1]
    );
    // The rungs are ordinary variants in summary.csv: the last rung's level
    // is the metric there.
    let last = summary_mean(
        &out,
        "3 +ship-side pick-up",
        "overall_clearance_time_mean_h",
    );
    assert!((last - f(&rows[3], 6)).abs() < 1e-9);
    assert!(out.join("plots/ladder_waterfall.png").is_file());
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(
        report.contains("Reform ladder"),
        "waterfall missing from report"
    );
}

/// `run` on a file with a ladder runs the ladder; `--no-experiment` the
/// base scenario, whose metric is the ladder's base level.
#[test]
fn run_carries_out_the_ladder_and_the_base_is_rung_zero() {
    let dir = tempfile::tempdir().unwrap();
    let (ladder, base) = (dir.path().join("l"), dir.path().join("b"));
    common::run_ok(FILE, &ladder, &[]);
    common::run_ok(FILE, &base, &["--no-experiment"]);
    let rows = ladder_rows(&ladder);
    let level = summary_mean(&base, "base", "overall_clearance_time_mean_h");
    assert!(
        (level - f(&rows[0], 6)).abs() < 1e-9,
        "{level} vs {:?}",
        rows[0]
    );
}

#[test]
fn a_bad_reform_is_refused_with_its_place() {
    let text = std::fs::read_to_string(repo_path(FILE)).unwrap();
    let cases = [
        (
            text.replace("date = \"2018-10\"", "date = \"October 2018\""),
            "experiment.reforms[1].date: \"October 2018\" is not a date",
        ),
        (
            text.replace("date = \"2020-03\"", "date = \"2017-03\""),
            "experiment.reforms[2].date: dated 2017-03 but listed after a reform of 2018-10",
        ),
        (
            text.replace(
                "advance_declaration_share=0.6",
                "advance_declaration_share=0.2,0.6",
            ),
            "experiment.reforms[0].set[0]",
        ),
        (
            text.replace("kind = \"ladder\"", "kind = \"ladder\"\nmetric = \"speed\""),
            "experiment.metric: unknown metric \"speed\"",
        ),
        (
            text.replace(
                "resources.reviewers.calendar",
                "resources.reviewrs.calendar",
            ),
            "experiment.reforms[1] (\"7x24 reviewers\"): no resources entry has id \"reviewrs\"",
        ),
    ];
    for (bad, expect) in cases {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("bad.toml");
        std::fs::write(&file, bad).unwrap();
        let o = clearsim(&[
            "ladder",
            file.to_str().unwrap(),
            "--out",
            dir.path().join("out").to_str().unwrap(),
            "--quiet",
        ]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{expect}: {err}");
        assert!(err.contains(expect), "expected {expect:?} in: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

/// A ladder split over shards merges into the same ladder.csv.
#[test]
fn sharded_ladders_merge_into_the_same_file() {
    let dir = tempfile::tempdir().unwrap();
    let p = |s: &str| dir.path().join(s).to_str().unwrap().to_string();
    let file = repo_path(FILE).to_str().unwrap().to_string();
    for args in [
        vec![
            "ladder",
            &file,
            "--shard",
            "1/2",
            "--out",
            &p("s1"),
            "--quiet",
        ],
        vec![
            "ladder",
            &file,
            "--shard",
            "2/2",
            "--out",
            &p("s2"),
            "--quiet",
        ],
        vec!["merge", &p("s1"), &p("s2"), "--out", &p("merged")],
        vec!["ladder", &file, "--out", &p("whole"), "--quiet"],
    ] {
        let o = clearsim(&args);
        assert!(
            o.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    let read = |d: &str| std::fs::read(dir.path().join(d).join("ladder.csv")).unwrap();
    assert_eq!(read("merged"), read("whole"));
}
