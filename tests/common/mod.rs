//! Helpers shared by the behaviour tests: run the real `clearsim` binary and
//! read its tidy outputs.
#![allow(dead_code)]

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod quoted;
#[allow(unused_imports)] // each test binary uses some of them
pub use quoted::{assert_quoted, quotes, with_commas};

/// The five clearance modes, by their names in scenario files.
pub const MODES: [&str; 5] = [
    "port_clearance",
    "territorial_declaration_port_release",
    "territorial_declaration_release",
    "customs_transit",
    "regional_integration",
];

/// Path of a file relative to the crate root.
pub fn repo_path(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// Runs `clearsim` with `args` and returns its output (never panics on a
/// non-zero exit; the caller checks).
pub fn clearsim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_clearsim"))
        .args(args)
        .output()
        .expect("the clearsim binary runs")
}

/// Runs `clearsim ARGS...`, asserting success.
pub fn ok(args: &[&str]) {
    let o = clearsim(args);
    assert!(
        o.status.success(),
        "clearsim {args:?} failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// Runs `clearsim run SCENARIO --out DIR EXTRA...`, asserting success.
pub fn run_ok(scenario: &str, out: &Path, extra: &[&str]) {
    let path = repo_path(scenario);
    let mut args = vec![
        "run",
        path.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ];
    args.extend_from_slice(extra);
    let o = clearsim(&args);
    assert!(
        o.status.success(),
        "clearsim {args:?} failed with {:?}\nstdout:\n{}\nstderr:\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

/// One summary row's numbers.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Row {
    pub mean: f64,
    pub half_width: f64,
    pub reps: usize,
}

/// `summary.csv` keyed by `(group, metric)`.
pub fn read_summary(dir: &Path) -> HashMap<(String, String), Row> {
    let mut r = csv::Reader::from_path(dir.join("summary.csv")).expect("summary.csv exists");
    let headers = r.headers().unwrap().clone();
    assert_eq!(
        headers.iter().collect::<Vec<_>>(),
        [
            "variant",
            "group",
            "metric",
            "mean",
            "ci95_half_width",
            "reps"
        ]
    );
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            let num = |i: usize| rec[i].parse::<f64>().unwrap_or(f64::NAN);
            (
                (rec[1].to_string(), rec[2].to_string()),
                Row {
                    mean: num(3),
                    half_width: num(4),
                    reps: rec[5].parse().unwrap(),
                },
            )
        })
        .collect()
}

/// Looks up a row, panicking with the known keys if absent.
pub fn row(summary: &HashMap<(String, String), Row>, group: &str, metric: &str) -> Row {
    *summary
        .get(&(group.to_string(), metric.to_string()))
        .unwrap_or_else(|| panic!("no row {group}/{metric} in summary.csv"))
}

/// Erlang C: probability that an arrival waits in an M/M/c queue with
/// offered load `a` = λ/μ.
pub fn erlang_c(c: u32, a: f64) -> f64 {
    let mut term = 1.0; // a^k / k!
    let mut sum = 0.0;
    for k in 0..c {
        if k > 0 {
            term *= a / k as f64;
        }
        sum += term;
    }
    let top = term * a / c as f64 / (1.0 - a / c as f64);
    top / (sum + top)
}

/// Mean wait in queue of an M/M/c queue `[h]`.
pub fn mmc_wq(lambda: f64, mean_service: f64, c: u32) -> f64 {
    let a = lambda * mean_service;
    erlang_c(c, a) * mean_service / (c as f64 - a)
}

/// Mean wait in queue of each class under non-preemptive priority (Cobham
/// 1954), all
/// classes served at rate `mu` by `c` servers (class 0 the highest).
pub fn priority_wq(c: u32, mu: f64, lambda: &[f64]) -> Vec<f64> {
    let cmu = c as f64 * mu;
    let total: f64 = lambda.iter().sum();
    let w0 = erlang_c(c, total / mu) / cmu;
    let mut sigma_before = 0.0;
    lambda
        .iter()
        .map(|l| {
            let sigma = sigma_before + l / cmu;
            let w = w0 / ((1.0 - sigma_before) * (1.0 - sigma));
            sigma_before = sigma;
            w
        })
        .collect()
}

/// `a` is larger than `b` beyond both confidence intervals.
pub fn clearly_above(label: &str, a: Row, b: Row) {
    println!(
        "{label}: {:.3} ± {:.3} vs {:.3} ± {:.3}",
        a.mean, a.half_width, b.mean, b.half_width
    );
    assert!(
        a.mean - a.half_width > b.mean + b.half_width,
        "{label}: {} ± {} is not clearly above {} ± {}",
        a.mean,
        a.half_width,
        b.mean,
        b.half_width
    );
}

/// `replications.csv` as (variant, group, metric) → values by replication
/// (a plain run's variant is `base`).
pub type Reps = BTreeMap<(String, String, String), Vec<f64>>;

pub fn read_reps(dir: &Path) -> Reps {
    let mut r = csv::Reader::from_path(dir.join("replications.csv")).expect("replications.csv");
    let mut out = Reps::new();
    for rec in r.records() {
        let rec = rec.unwrap();
        let value: f64 = rec[5].parse().unwrap_or(f64::NAN);
        out.entry((rec[0].to_string(), rec[3].to_string(), rec[4].to_string()))
            .or_default()
            .push(value);
    }
    out
}

/// One metric's values by replication, panicking with the key if absent.
pub fn values<'a>(reps: &'a Reps, variant: &str, group: &str, metric: &str) -> &'a [f64] {
    reps.get(&(variant.into(), group.into(), metric.into()))
        .unwrap_or_else(|| panic!("no {variant} / {group} / {metric} in replications.csv"))
}

/// The paired differences `a − b` across replications (the runs share
/// their random numbers, replication by replication) have a 95% interval
/// above zero; returns their mean.
pub fn paired_above(label: &str, a: &[f64], b: &[f64]) -> f64 {
    assert_eq!(a.len(), b.len(), "{label}: replications differ");
    let e = clearsim::stats::Estimate::from_values(a.iter().zip(b).map(|(x, y)| Some(x - y)));
    let (m, h) = (e.mean.unwrap(), e.half_width.unwrap());
    println!("{label}: paired difference {m:.4} ± {h:.4}");
    assert!(
        m - h > 0.0,
        "{label}: paired difference {m} ± {h} is not above zero"
    );
    m
}

/// A scenario run from its text: the temporary folder that holds the file
/// and, in `out`, its outputs (gone when this is dropped).
pub struct TextRun {
    _dir: tempfile::TempDir,
    pub out: PathBuf,
}

/// Writes `text` as a scenario file in a fresh temporary folder and runs
/// `clearsim run FILE --out OUT --quiet` on it, asserting success.
pub fn run_text(text: &str) -> TextRun {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("scenario.toml");
    std::fs::write(&file, text).unwrap();
    let out = dir.path().join("out");
    ok(&[
        "run",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    TextRun { _dir: dir, out }
}

/// The scenario `text` as the library reads it (labelled `label` in
/// diagnostics), for tests of what is built from a file; a refusal fails
/// the test with its diagnostics.
pub fn parsed(label: &str, text: &str) -> clearsim::scenario::Scenario {
    clearsim::scenario::parse(label, text.as_bytes()).unwrap_or_else(|e| panic!("{e}"))
}

/// The first `count` consignments arriving from `after` `[h]` in the first
/// replication of scenario `text`, followed step by step (what the demo
/// narrates); fails unless that many arrive.
pub fn followed(
    text: &str,
    after: f64,
    count: usize,
) -> Vec<clearsim::sim::trace::ConsignmentTrace> {
    let scenario = parsed("followed.toml", text);
    let select = clearsim::sim::trace::TraceSelect {
        after,
        max: count,
        crowd_until: None,
    };
    let t = clearsim::sim::trace_replication(&scenario.model, scenario.seed, select);
    assert_eq!(t.len(), count, "followed consignments");
    t
}

/// Writes `text` as `bad.toml` in a fresh folder, runs `clearsim validate`
/// on it, asserts the refusal (exit 2) names the file, and returns stderr.
pub fn refused(text: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.toml");
    std::fs::write(&file, text).unwrap();
    let out = clearsim(&["validate", file.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("bad.toml:"), "{err}");
    err
}

/// Writes `text` as a scenario file, runs `clearsim sweep` on it with the
/// `--set` `settings`, and returns its replications (the folder lives as
/// long as the returned guard).
pub fn sweep_text(text: &str, settings: &[&str]) -> (tempfile::TempDir, Reps) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("study.toml");
    std::fs::write(&file, text).unwrap();
    let out = dir.path().join("out");
    let mut args = vec![
        "sweep",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ];
    for s in settings {
        args.extend(["--set", s]);
    }
    ok(&args);
    let reps = read_reps(&out);
    (dir, reps)
}
