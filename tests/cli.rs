//! Behaviour of `clearsim run` as a user sees it: the default scenario,
//! the output files and their contract, determinism across thread counts,
//! conservation of consignments, and the manifest.

mod common;

use std::collections::HashMap;
use std::fs;

use common::{clearsim, read_summary, repo_path, row, run_ok};

const REQUIRED_ALL: [&str; 11] = [
    "arrived",
    "released",
    "seized",
    "in_system_end",
    "release_time_mean_h",
    "release_time_p50_h",
    "release_time_p90_h",
    "release_time_p95_h",
    "release_time_p99_h",
    "released_within_24h_share",
    "throughput_per_day",
];
const REQUIRED_RESOURCE: [&str; 3] = ["wait_mean_h", "queue_len_mean", "utilisation"];

#[test]
fn default_run_prints_a_summary_and_writes_its_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("default");
    let o = clearsim(&["run", "--out", out.to_str().unwrap(), "--reps", "3"]);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(stdout.contains("default_port_clearance"), "{stdout}");
    assert!(stdout.contains("release_time_p90_h"), "{stdout}");
    assert!(
        stdout.contains("resource=ningbo_inspection_teams"),
        "{stdout}"
    );
    let mut names: Vec<String> = fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "distribution.csv",
            "manifest.json",
            "plots",
            "replications.csv",
            "report.html",
            "summary.csv",
            "timeseries.csv"
        ],
        "no temporary files left behind"
    );

    let s = read_summary(&out);
    for m in REQUIRED_ALL {
        let r = row(&s, "all", m);
        assert_eq!(r.reps, 3, "{m}");
        assert!(r.mean.is_finite(), "{m} = {}", r.mean);
    }
    for res in [
        "ningbo_reviewers",
        "ningbo_inspection_teams",
        "ecommerce_reviewers",
        "ecommerce_xray_lines",
    ] {
        for m in REQUIRED_RESOURCE {
            assert!(row(&s, &format!("resource={res}"), m).mean.is_finite());
        }
    }
    let rel = row(&s, "all", "released").mean;
    assert!(
        rel > 100_000.0,
        "the default scenario releases a realistic volume: {rel}"
    );
    // distribution.csv draws the release-time curve of `all` and of each
    // mode and channel group, through the quantiles summary.csv gives it.
    let mut curves: HashMap<String, HashMap<String, f64>> = HashMap::new();
    for rec in csv::Reader::from_path(out.join("distribution.csv"))
        .unwrap()
        .records()
    {
        let rec = rec.unwrap();
        curves
            .entry(rec[1].to_string())
            .or_default()
            .insert(rec[2].to_string(), rec[3].parse().unwrap());
    }
    let mut drawn: Vec<&String> = curves.keys().collect();
    drawn.sort();
    let mut want: Vec<&String> = s
        .keys()
        .map(|(group, _)| group)
        .filter(|g| *g == "all" || g.starts_with("mode=") || g.starts_with("channel="))
        .collect();
    want.sort();
    want.dedup();
    assert_eq!(drawn, want, "curves in distribution.csv");
    for (group, curve) in &curves {
        for (p, metric) in [
            ("0.5", "release_time_p50_h"),
            ("0.9", "release_time_p90_h"),
            ("0.99", "release_time_p99_h"),
        ] {
            let (at, quoted) = (curve[p], row(&s, group, metric).mean);
            assert!(
                (at - quoted).abs() <= 1e-9 * quoted.abs(),
                "{group}: the curve passes {at} h at p = {p}, summary.csv says {quoted} h"
            );
        }
    }
}

#[test]
fn without_out_writes_under_output_scenario_name() {
    let dir = tempfile::tempdir().unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_clearsim"))
        .args([
            "run",
            repo_path("scenarios/validation/md1.toml").to_str().unwrap(),
            "--reps",
            "2",
            "--quiet",
        ])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(o.status.success());
    assert!(o.stdout.is_empty(), "--quiet prints nothing");
    assert!(
        dir.path()
            .join("output/validation_md1/summary.csv")
            .is_file()
    );
}

fn run_bytes(extra: &[&str]) -> (Vec<u8>, Vec<u8>) {
    let dir = tempfile::tempdir().unwrap();
    run_ok("scenarios/default.toml", dir.path(), extra);
    (
        fs::read(dir.path().join("summary.csv")).unwrap(),
        fs::read(dir.path().join("replications.csv")).unwrap(),
    )
}

#[test]
fn outputs_are_byte_identical_for_any_thread_count() {
    let one = run_bytes(&["--reps", "4", "--threads", "1"]);
    let two = run_bytes(&["--reps", "4", "--threads", "2"]);
    let again = run_bytes(&["--reps", "4", "--threads", "2"]);
    assert!(
        one.0 == two.0,
        "summary.csv differs between --threads 1 and 2"
    );
    assert!(
        one.1 == two.1,
        "replications.csv differs between --threads 1 and 2"
    );
    assert!(two == again, "two identical runs differ");
    let other_seed = run_bytes(&["--reps", "4", "--seed", "7"]);
    assert!(other_seed.0 != one.0, "--seed changes the results");
}

/// Every consignment that arrived after the warm-up is released, seized or
/// still in the system, in every replication and every group.
#[test]
fn consignments_are_conserved_in_every_replication_and_group() {
    let dir = tempfile::tempdir().unwrap();
    run_ok("scenarios/default.toml", dir.path(), &["--reps", "3"]);
    let mut r = csv::Reader::from_path(dir.path().join("replications.csv")).unwrap();
    let mut by_key: HashMap<(String, String), HashMap<String, f64>> = HashMap::new();
    for rec in r.records() {
        let rec = rec.unwrap();
        if let Ok(v) = rec[5].parse::<f64>() {
            by_key
                .entry((rec[1].to_string(), rec[3].to_string()))
                .or_default()
                .insert(rec[4].to_string(), v);
        }
    }
    let mut checked = std::collections::BTreeSet::new();
    for ((rep, group), m) in &by_key {
        if group.starts_with("resource=") {
            continue;
        }
        let (a, r, s, e) = (m["arrived"], m["released"], m["seized"], m["in_system_end"]);
        assert_eq!(
            a,
            r + s + e,
            "replication {rep}, {group}: {a} != {r} + {s} + {e}"
        );
        // The default scenario's importers are all of general credit.
        assert!(
            a > 0.0 || group.starts_with("credit="),
            "{group}: nothing arrived"
        );
        checked.insert(group.clone());
    }
    let mut groups: Vec<&str> = checked.iter().map(String::as_str).collect();
    groups.sort();
    assert_eq!(
        groups,
        [
            "all",
            "channel=ecommerce_9610",
            "channel=general_trade",
            "credit=advanced",
            "credit=discredited",
            "credit=general",
            "mode=port_clearance",
            "port=ningbo_ecommerce",
            "port=ningbo_port",
            "stream=ecommerce_parcels",
            "stream=general_trade"
        ]
    );
}

#[test]
fn manifest_records_hash_seeds_and_command() {
    let dir = tempfile::tempdir().unwrap();
    run_ok(
        "scenarios/validation/mm1.toml",
        dir.path(),
        &["--reps", "3", "--seed", "99"],
    );
    let m: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.path().join("manifest.json")).unwrap()).unwrap();
    use sha2::Digest;
    let bytes = fs::read(repo_path("scenarios/validation/mm1.toml")).unwrap();
    let hash: String = sha2::Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(m["scenario"]["sha256"], hash.as_str());
    assert_eq!(m["scenario"]["name"], "validation_mm1");
    assert_eq!(m["run"]["seed"], 99);
    assert_eq!(m["run"]["replication_seeds"].as_array().unwrap().len(), 3);
    assert_eq!(m["clearsim_version"], env!("CARGO_PKG_VERSION"));
    let cmd: Vec<&str> = m["command_line"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(cmd.contains(&"--seed") && cmd.contains(&"99"), "{cmd:?}");
    // The replication seeds written in replications.csv are the manifest's.
    let reps = fs::read_to_string(dir.path().join("replications.csv")).unwrap();
    let first_seed = m["run"]["replication_seeds"][0]
        .as_u64()
        .unwrap()
        .to_string();
    assert!(reps.lines().nth(1).unwrap().contains(&first_seed));
    // The events handled: in M/M/1 each consignment arrives (one event) and
    // is served at the one timed step (one more, unless the horizon comes
    // first), and each replication ends its warm-up (one).
    let n = m["run"]["consignments_simulated"].as_u64().unwrap();
    let events = m["run"]["events"].as_u64().unwrap();
    assert!(n > 0, "no consignment simulated");
    assert!(
        (n..=2 * n + 3).contains(&events),
        "{events} events for {n} consignments in 3 replications"
    );
}

#[test]
fn validate_accepts_every_shipped_scenario() {
    for entry in glob_toml(&repo_path("scenarios")) {
        let o = clearsim(&["validate", entry.to_str().unwrap()]);
        assert!(
            o.status.success(),
            "{}: {}",
            entry.display(),
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(String::from_utf8_lossy(&o.stdout).contains("ok"));
    }
}

/// Scenarios are executable examples: each one runs (two replications).
#[test]
fn every_shipped_scenario_runs() {
    for entry in glob_toml(&repo_path("scenarios")) {
        let dir = tempfile::tempdir().unwrap();
        let rel = entry
            .strip_prefix(repo_path(""))
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        run_ok(&rel, dir.path(), &["--reps", "2"]);
        assert!(dir.path().join("summary.csv").is_file());
    }
}

fn glob_toml(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(glob_toml(&p));
        } else if p.extension().is_some_and(|x| x == "toml") {
            out.push(p);
        }
    }
    out.sort();
    out
}

/// A file where the output folder should be is refused before anything is
/// simulated, for every command that writes a folder.
#[test]
fn an_out_that_is_a_file_is_refused_before_simulating() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not_a_folder");
    std::fs::write(&file, "x").unwrap();
    let f = file.to_str().unwrap();
    let national = repo_path("scenarios/national.toml");
    let mm1 = repo_path("scenarios/validation/mm1.toml");
    let ladder = repo_path("tests/data/ladder_small.toml");
    let (n, m, l) = (
        national.to_str().unwrap(),
        mm1.to_str().unwrap(),
        ladder.to_str().unwrap(),
    );
    for args in [
        vec!["run", n, "--out", f],
        vec!["compare", n, "--out", f],
        vec![
            "sweep",
            m,
            "--set",
            "policy.review_rate=0.1,0.2",
            "--out",
            f,
        ],
        vec![
            "plan",
            m,
            "--resource",
            "server",
            "--target",
            "wait_mean_h<=1",
            "--out",
            f,
        ],
        vec!["ladder", l, "--out", f],
    ] {
        let o = clearsim(&args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("is a file; give a folder"), "{args:?}: {err}");
        assert!(
            !String::from_utf8_lossy(&o.stdout).contains("simulated"),
            "{args:?} simulated first"
        );
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "x");
    }
}

/// A mistake on the command line is reported against the argument that
/// made it, before anything is simulated.
#[test]
fn command_line_mistakes_name_the_argument() {
    let mm1 = common::repo_path("scenarios/validation/mm1.toml");
    let mmc = common::repo_path("scenarios/validation/mmc.toml");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let check = |args: &[&str], expected: &str| {
        let o = common::clearsim(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.starts_with(expected), "{args:?}: {err}");
        assert!(!out.exists(), "{args:?} wrote outputs");
    };
    let (mm1, mmc, o) = (
        mm1.to_str().unwrap(),
        mmc.to_str().unwrap(),
        out.to_str().unwrap(),
    );
    check(
        &[
            "sweep",
            mm1,
            "--set",
            "policy.inspection_rat=0.02,0.05",
            "--out",
            o,
        ],
        "--set policy.inspection_rat=0.02: error: policy.inspection_rat: unknown field `inspection_rat`",
    );
    check(
        &[
            "sweep",
            mm1,
            "--set",
            "policy.inspection_rate=0.02:0.05",
            "--out",
            o,
        ],
        "--set: error: \"policy.inspection_rate=0.02:0.05\": a range needs three numbers, start:stop:step",
    );
    check(
        &[
            "plan",
            mmc,
            "--resource",
            "servers",
            "--target",
            "wait_mean_h<=0.5",
            "--within",
            "resource=server",
            "--out",
            o,
        ],
        "--within: error: no group \"resource=server\" in this scenario;",
    );
}

/// `--replications`, the scenario key's own name, sets the count as
/// `--reps` does (a newcomer types the key's name first).
#[test]
fn replications_is_accepted_for_reps() {
    let dir = tempfile::tempdir().unwrap();
    let file = repo_path("scenarios/validation/md1.toml");
    for (flag, n) in [("--reps", "3"), ("--replications", "2")] {
        let out = dir.path().join(flag.trim_start_matches('-'));
        let o = clearsim(&[
            "run",
            file.to_str().unwrap(),
            flag,
            n,
            "--quiet",
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{o:?}");
        let manifest = fs::read_to_string(out.join("manifest.json")).unwrap();
        assert!(
            manifest.contains(&format!("\"replications\": {n},")),
            "{flag} {n}: {manifest}"
        );
    }
}
