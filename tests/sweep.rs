//! `clearsim sweep`: grids of variants, the inspection-intensity frontier,
//! determinism, and clear errors for bad settings.

mod common;

use std::fs;

use common::{clearsim, repo_path};

fn sweep(extra: &[&str]) -> (tempfile::TempDir, std::process::Output) {
    let dir = tempfile::tempdir().unwrap();
    let path = repo_path("scenarios/channels.toml");
    let mut args = vec![
        "sweep",
        path.to_str().unwrap(),
        "--out",
        dir.path().to_str().unwrap(),
        "--quiet",
    ];
    args.extend_from_slice(extra);
    let o = clearsim(&args);
    (dir, o)
}

fn records(file: &std::path::Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(file).unwrap();
    let header = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r
        .records()
        .map(|x| x.unwrap().iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

#[test]
fn the_frontier_is_monotone_in_inspections_for_both_targetings() {
    let (dir, o) = sweep(&[
        "--set",
        "policy.inspection_rate=0.01:0.09:0.02",
        "--reps",
        "3",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // Release-time and queue curves are drawn by run and compare only
    // (docs/guide/reference.md): a sweep records none and writes neither
    // table.
    for f in ["timeseries.csv", "distribution.csv"] {
        assert!(!dir.path().join(f).exists(), "{f} in a sweep's folder");
    }
    let (header, rows) = records(&dir.path().join("frontier.csv"));
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("{name} in {header:?}"))
    };
    let (rate, targeting, inspections) = (
        col("policy.inspection_rate"),
        col("policy.targeting"),
        col("inspections"),
    );
    assert_eq!(rows.len(), 10, "5 rates × 2 targetings");
    for t in ["random", "risk_based"] {
        let series: Vec<(f64, f64)> = rows
            .iter()
            .filter(|r| r[targeting] == t)
            .map(|r| (r[rate].parse().unwrap(), r[inspections].parse().unwrap()))
            .collect();
        assert_eq!(series.len(), 5);
        for w in series.windows(2) {
            assert!(w[1].0 > w[0].0, "{t}: frontier rows are ordered by rate");
            assert!(
                w[1].1 > w[0].1,
                "{t}: more inspection intensity, more inspections: {series:?}"
            );
        }
    }
    let (sweep_header, sweep_rows) = records(&dir.path().join("sweep.csv"));
    assert_eq!(sweep_rows.len(), 10);
    for m in [
        "release_time_p90_h",
        "leakage",
        "revenue_evaded_yuan",
        "seizures_ci95",
    ] {
        assert!(sweep_header.iter().any(|h| h == m), "{m} in sweep.csv");
    }
}

#[test]
fn a_capacity_sweep_changes_only_that_resource() {
    let (dir, o) = sweep(&[
        "--set",
        "resources.port_reviewers.capacity=3:5:1",
        "--reps",
        "2",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let summary = fs::read_to_string(dir.path().join("summary.csv")).unwrap();
    for c in 3..=5 {
        let line =
            format!("resources.port_reviewers.capacity={c},resource=port_reviewers,capacity,{c},");
        assert!(summary.contains(&line), "{line}");
    }
    // Only that resource: in every variant every other resource has the
    // capacity scenarios/channels.toml gives it, and no resource is added
    // or dropped.
    let file: toml::Value =
        toml::from_str(&fs::read_to_string(repo_path("scenarios/channels.toml")).unwrap()).unwrap();
    let mut in_file: Vec<(String, String)> = file["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["id"].as_str() != Some("port_reviewers"))
        .map(|r| {
            (
                format!("resource={}", r["id"].as_str().unwrap()),
                r["capacity"].as_integer().unwrap().to_string(),
            )
        })
        .collect();
    in_file.sort();
    assert!(in_file.len() >= 5, "{in_file:?}");
    let (_, rows) = records(&dir.path().join("summary.csv"));
    for c in 3..=5 {
        let variant = format!("resources.port_reviewers.capacity={c}");
        let mut capacities: Vec<(String, String)> = rows
            .iter()
            .filter(|r| r[0] == variant && r[2] == "capacity" && r[1] != "resource=port_reviewers")
            .map(|r| (r[1].clone(), r[3].clone()))
            .collect();
        capacities.sort();
        assert_eq!(
            capacities, in_file,
            "{variant}: other resources' capacities"
        );
    }
    // And the demand is the same: with common random numbers every variant
    // sees the same arrivals, replication by replication.
    let (_, reps) = records(&dir.path().join("replications.csv"));
    let arrived = |c: u32| -> Vec<String> {
        let variant = format!("resources.port_reviewers.capacity={c}");
        reps.iter()
            .filter(|r| r[0] == variant && r[3] == "all" && r[4] == "arrived")
            .map(|r| r[5].clone())
            .collect()
    };
    assert_eq!(arrived(3).len(), 2, "two replications");
    for c in 4..=5 {
        assert_eq!(arrived(c), arrived(3), "capacity {c}: arrivals differ");
    }
    assert!(
        !dir.path().join("frontier.csv").exists(),
        "no frontier without an inspection-rate sweep"
    );
}

#[test]
fn sweeps_are_byte_identical_for_any_thread_count() {
    let read = |threads: &str| {
        let (dir, o) = sweep(&[
            "--set",
            "policy.review_rate=0.05,0.2",
            "--reps",
            "2",
            "--threads",
            threads,
        ]);
        assert!(o.status.success());
        ["summary.csv", "replications.csv", "sweep.csv"]
            .map(|f| fs::read(dir.path().join(f)).unwrap())
    };
    assert!(read("1") == read("2"));
}

#[test]
fn bad_settings_are_input_errors_naming_the_problem() {
    for (set, expect) in [
        (
            "resources.nope.capacity=1:3:1",
            "no resources entry has id \"nope\"",
        ),
        (
            "policy.inspection_rate=0.5:0.1:0.1",
            "a range needs finite start <= stop",
        ),
        (
            "policy.inspection_rate=1.5",
            "policy.inspection_rate: got 1.5; expected a number from 0 to 1",
        ),
        (
            "policy.targeting=psychic",
            "expected one of random, risk_based",
        ),
        ("just_words", "expected PATH=VALUES"),
    ] {
        let (_, o) = sweep(&["--set", set]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{set}: {err}");
        assert!(err.contains(expect), "{set}: {err}");
        assert!(!err.contains("panicked"));
    }
}
