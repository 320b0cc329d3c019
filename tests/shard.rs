//! Cluster scale: `--shard K/N` then `clearsim merge` writes exactly the
//! files an unsharded run writes, byte for byte.

mod common;

use std::fs;
use std::path::Path;

use common::{clearsim, ok, repo_path};

/// Runs `command` whole and in `n` shards, merges, and compares `files`.
fn sharded_equals_unsharded(command: &[&str], n: u32, files: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let d = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    let with = |extra: &[&str]| -> Vec<String> {
        command.iter().chain(extra).map(|s| s.to_string()).collect()
    };
    let full = d("full");
    ok(&with(&["--out", &full])
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>());
    let mut shard_dirs = Vec::new();
    for k in 1..=n {
        let out = d(&format!("shard{k}"));
        let spec = format!("{k}/{n}");
        ok(&with(&["--shard", &spec, "--out", &out])
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>());
        assert!(Path::new(&out).join("shard.json").is_file());
        shard_dirs.push(out);
    }
    let merged = d("merged");
    let mut merge: Vec<&str> = vec!["merge"];
    merge.extend(shard_dirs.iter().map(String::as_str));
    merge.extend(["--out", &merged]);
    ok(&merge);
    for f in files {
        let a = fs::read(Path::new(&full).join(f)).unwrap();
        let b = fs::read(Path::new(&merged).join(f)).unwrap();
        assert!(
            a == b,
            "{f} differs between the unsharded run and the merged shards"
        );
    }
}

#[test]
fn sharded_run_merges_to_the_unsharded_files() {
    let s = repo_path("scenarios/default.toml");
    sharded_equals_unsharded(
        &["run", s.to_str().unwrap(), "--reps", "3", "--quiet"],
        2,
        &[
            "summary.csv",
            "replications.csv",
            "timeseries.csv",
            "distribution.csv",
            "plots/release_time_cdf.svg",
            "plots/busiest_resources.svg",
        ],
    );
}

#[test]
fn sharded_sweep_and_compare_merge_to_the_unsharded_files() {
    let s = repo_path("scenarios/channels.toml");
    sharded_equals_unsharded(
        &[
            "sweep",
            s.to_str().unwrap(),
            "--set",
            "policy.inspection_rate=0.02,0.1",
            "--reps",
            "3",
            "--quiet",
        ],
        3,
        &[
            "summary.csv",
            "replications.csv",
            "sweep.csv",
            "frontier.csv",
            "plots/frontier.svg",
        ],
    );
    let m = repo_path("scenarios/modes/port_clearance.toml");
    sharded_equals_unsharded(
        &[
            "compare",
            m.to_str().unwrap(),
            "--modes",
            "port_clearance,customs_transit",
            "--reps",
            "3",
            "--quiet",
        ],
        2,
        &[
            "summary.csv",
            "replications.csv",
            "comparison.csv",
            "timeseries.csv",
            "distribution.csv",
            "plots/throughput.svg",
        ],
    );
}

#[test]
fn merge_refuses_incomplete_or_mismatched_shards() {
    let s = repo_path("scenarios/validation/mm1.toml");
    let dir = tempfile::tempdir().unwrap();
    let d = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    let (a, b, c) = (d("a"), d("b"), d("c"));
    ok(&[
        "run",
        s.to_str().unwrap(),
        "--reps",
        "2",
        "--shard",
        "1/2",
        "--out",
        &a,
        "--quiet",
    ]);
    ok(&[
        "run",
        s.to_str().unwrap(),
        "--reps",
        "3",
        "--shard",
        "2/2",
        "--out",
        &b,
        "--quiet",
    ]);
    let o = clearsim(&["merge", &a, "--out", &c]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("need shards 1..=2 exactly once each"));
    let o = clearsim(&["merge", &a, &b, "--out", &c]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("comes from another run"));
    let o = clearsim(&["run", s.to_str().unwrap(), "--shard", "3/2"]);
    assert_eq!(o.status.code(), Some(2));
}

/// Shards that differ only in options that do not change results
/// (`--quiet`, `--threads`) or in how the scenario's path is spelt are the
/// same run, and merge into the unsharded files.
#[test]
fn harmless_differences_between_shards_do_not_make_another_run() {
    let dir = tempfile::tempdir().unwrap();
    let d = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    let abs = repo_path("scenarios/validation/mm1.toml");
    // The same file through another spelling: `scenarios/validation/../validation/mm1.toml`.
    let other = abs
        .parent()
        .unwrap()
        .join("../validation/mm1.toml")
        .to_str()
        .unwrap()
        .to_string();
    let abs = abs.to_str().unwrap().to_string();
    let (s1, s2, merged, whole) = (d("s1"), d("s2"), d("merged"), d("whole"));
    ok(&[
        "run",
        &abs,
        "--reps",
        "4",
        "--shard",
        "1/2",
        "--out",
        &s1,
        "--quiet",
        "--threads",
        "1",
    ]);
    ok(&[
        "run",
        &other,
        "--reps",
        "4",
        "--shard",
        "2/2",
        "--out",
        &s2,
        "--threads=2",
    ]);
    ok(&["merge", &s1, &s2, "--out", &merged]);
    ok(&["run", &abs, "--reps", "4", "--out", &whole, "--quiet"]);
    let read = |dir: &str| fs::read(Path::new(dir).join("summary.csv")).unwrap();
    assert_eq!(read(&merged), read(&whole));
    // A real difference is still another run.
    let s3 = d("s3");
    ok(&[
        "run", &abs, "--reps", "4", "--seed", "9", "--shard", "2/2", "--out", &s3, "--quiet",
    ]);
    let o = clearsim(&["merge", &s1, &s3, "--out", &d("refused")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("another run"));
}

/// The reproducer: the scenario edited between `--shard 1/2` and
/// `--shard 2/2` merged silently, mixing two models. shard.json now
/// records the hash of the scenario's content: shards of different content
/// are refused, and so is merging after the file changed; a change of
/// layout only (a comment) is the same scenario.
#[test]
fn merge_refuses_shards_of_another_scenario_content() {
    let dir = tempfile::tempdir().unwrap();
    let d = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    let text = fs::read_to_string(repo_path("scenarios/validation/mm1.toml")).unwrap();
    let file = dir.path().join("m.toml");
    let f = file.to_str().unwrap().to_string();
    let shard = |k: u32, out: &str| {
        ok(&[
            "run",
            &f,
            "--reps",
            "2",
            "--shard",
            &format!("{k}/2"),
            "--out",
            out,
            "--quiet",
        ])
    };
    fs::write(&file, &text).unwrap();
    shard(1, &d("s1"));
    let edited = text.replacen("seed = ", "seed = 1", 1);
    assert_ne!(edited, text);
    fs::write(&file, &edited).unwrap();
    shard(2, &d("s2"));
    let o = clearsim(&["merge", &d("s1"), &d("s2"), "--out", &d("m")]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("comes from another run") && err.contains("scenario content"));
    // Both shards of the first content, merged after the file changed.
    fs::write(&file, &text).unwrap();
    shard(2, &d("s2"));
    fs::write(&file, &edited).unwrap();
    let o = clearsim(&["merge", &d("s1"), &d("s2"), "--out", &d("m")]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("the shards ran another scenario"), "{err}");
    assert!(
        !Path::new(&d("m")).exists(),
        "a refused merge wrote outputs"
    );
    // A comment is layout, not content.
    fs::write(&file, format!("# reformatted\n{text}")).unwrap();
    ok(&["merge", &d("s1"), &d("s2"), "--out", &d("m")]);
}

/// merge simulates nothing: the time it reports (manifest and last line)
/// is the sum of the shards' simulation times, each recorded in shard.json.
/// (The shards run without `--quiet`, so that merge prints its last line.)
#[test]
fn merge_reports_the_shards_simulation_time() {
    let dir = tempfile::tempdir().unwrap();
    let d = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    let s = repo_path("scenarios/validation/mm1.toml");
    let mut sum = 0.0;
    for k in 1..=2 {
        let out = d(&format!("s{k}"));
        ok(&[
            "run",
            s.to_str().unwrap(),
            "--reps",
            "4",
            "--shard",
            &format!("{k}/2"),
            "--out",
            &out,
        ]);
        let shard: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(Path::new(&out).join("shard.json")).unwrap())
                .unwrap();
        assert_eq!(shard["format"], 2);
        assert_eq!(shard["scenario_sha256"].as_str().unwrap().len(), 64);
        let seconds = shard["wall_seconds"].as_f64().unwrap();
        assert!(seconds > 0.0, "{shard}");
        sum += seconds;
    }
    let o = clearsim(&["merge", &d("s1"), &d("s2"), "--out", &d("m")]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let manifest: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(Path::new(&d("m")).join("manifest.json")).unwrap(),
    )
    .unwrap();
    let reported = manifest["run"]["wall_seconds"].as_f64().unwrap();
    assert!(
        (reported - sum).abs() < 1e-9,
        "reported {reported}, shards {sum}"
    );
    assert!(
        String::from_utf8_lossy(&o.stdout).contains(&format!("simulated in {sum:.2} s")),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
}
