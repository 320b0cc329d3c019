//! Whole-folder atomicity, from the binary: a reader of `--out` sees one
//! run's complete outputs, never a mix of two, even when a run is killed at
//! any moment; a second writer is refused (exit 2) by every command that
//! writes a folder; links inside the folder are not followed; nothing
//! temporary survives the next run.

mod common;

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use common::{clearsim, repo_path};

fn mm1() -> String {
    repo_path("scenarios/validation/mm1.toml")
        .display()
        .to_string()
}

/// `clearsim run mm1 --seed SEED --reps REPS --out OUT -q`, asserting success.
fn run_mm1(out: &Path, seed: &str, reps: &str) {
    let o = clearsim(&[
        "run",
        &mm1(),
        "--seed",
        seed,
        "--reps",
        reps,
        "--out",
        out.to_str().unwrap(),
        "-q",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// What identifies a run's outputs: the names in the folder and the bytes
/// of its tables (the manifest and report carry the wall time, which
/// differs between two runs of the same seed).
fn fingerprint(dir: &Path) -> (Vec<String>, Vec<Vec<u8>>) {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let tables = ["summary.csv", "replications.csv", "timeseries.csv"]
        .iter()
        .map(|f| fs::read(dir.join(f)).unwrap_or_default())
        .collect();
    (names, tables)
}

/// Names beside `dir` (in its parent) other than `dir` itself.
fn beside(dir: &Path) -> Vec<String> {
    let own = dir.file_name().unwrap();
    fs::read_dir(dir.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n != own)
        .map(|n| n.to_string_lossy().into_owned())
        .collect()
}

/// The reproducer: `kill -9` at any moment of a run into a folder
/// that held another run left 3 folders of 5 mixing two runs. Now each
/// kill leaves one run's complete outputs, without temporary files, and
/// the next run leaves nothing beside the folder.
#[test]
fn a_run_killed_at_any_moment_leaves_one_complete_run() {
    let tmp = tempfile::tempdir().unwrap();
    let (a_dir, b_dir, out) = (
        tmp.path().join("ref_a"),
        tmp.path().join("ref_b"),
        tmp.path().join("out"),
    );
    let reps = "300";
    let started = Instant::now();
    run_mm1(&a_dir, "1", reps);
    let full = started.elapsed();
    run_mm1(&b_dir, "2", reps);
    let (a, b) = (fingerprint(&a_dir), fingerprint(&b_dir));
    assert_ne!(a, b);
    run_mm1(&out, "1", reps);
    let mut current = "1";
    let mut interrupted = 0;
    for step in 1..=8 {
        let other = if current == "1" { "2" } else { "1" };
        let mut child = Command::new(env!("CARGO_BIN_EXE_clearsim"))
            .args(["run", &mm1(), "--seed", other, "--reps", reps, "-q"])
            .args(["--out", out.to_str().unwrap()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(full.mul_f64(step as f64 / 8.0));
        child.kill().ok();
        let finished = child.wait().unwrap().success();
        interrupted += usize::from(!finished);
        let now = fingerprint(&out);
        assert!(
            now == a || now == b,
            "kill {step}: the folder mixes two runs: {:?}",
            now.0
        );
        current = if now == a { "1" } else { "2" };
        for sub in [out.clone(), out.join("plots")] {
            for e in fs::read_dir(&sub).unwrap() {
                let name = e.unwrap().file_name();
                assert!(
                    !name.to_string_lossy().ends_with(".tmp"),
                    "kill {step}: {name:?} left in {}",
                    sub.display()
                );
            }
        }
    }
    assert!(
        interrupted > 0,
        "no run was interrupted; the test proves nothing"
    );
    run_mm1(&out, "2", "2");
    assert_eq!(beside(&out), ["ref_a", "ref_b"].map(String::from).to_vec());
}

/// Holds `out`'s lock as a running clearsim would.
fn hold_lock(out: &Path) -> File {
    let lock = out.parent().unwrap().join(format!(
        ".{}.clearsim-lock",
        out.file_name().unwrap().to_string_lossy()
    ));
    let f = File::create(&lock).unwrap();
    f.lock().unwrap();
    f
}

/// Two shard folders of a small run, for `merge`.
fn shards(dir: &Path) -> Vec<PathBuf> {
    (1..=2)
        .map(|k| {
            let d = dir.join(format!("shard{k}"));
            let o = clearsim(&[
                "run",
                &mm1(),
                "--reps",
                "2",
                "-q",
                "--shard",
                &format!("{k}/2"),
                "--out",
                d.to_str().unwrap(),
            ]);
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
            d
        })
        .collect()
}

/// Every command that writes a folder refuses, with exit 2 and before
/// simulating, while another clearsim holds it; the folder is untouched.
#[test]
fn every_command_refuses_a_folder_another_clearsim_is_writing() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("busy");
    run_mm1(&out, "1", "2");
    let before = fingerprint(&out);
    let shard_dirs = shards(tmp.path());
    let o = out.to_str().unwrap().to_string();
    let (m, ladder) = (mm1(), repo_path("tests/data/ladder_small.toml"));
    let ladder = ladder.to_str().unwrap();
    let demo = repo_path("scenarios/demo.toml");
    let (s1, s2) = (
        shard_dirs[0].to_str().unwrap(),
        shard_dirs[1].to_str().unwrap(),
    );
    let commands: Vec<Vec<&str>> = vec![
        vec!["run", &m, "--out", &o],
        vec!["run", &m, "--shard", "1/2", "--out", &o],
        vec!["compare", &m, "--out", &o],
        vec![
            "sweep",
            &m,
            "--set",
            "policy.review_rate=0.1,0.2",
            "--out",
            &o,
        ],
        vec![
            "plan",
            &m,
            "--resource",
            "server",
            "--target",
            "wait_mean_h<=1",
            "--out",
            &o,
        ],
        vec!["ladder", ladder, "--out", &o],
        vec!["demo", demo.to_str().unwrap(), "--out", &o],
        vec!["merge", s1, s2, "--out", &o],
        vec!["plot", &o],
    ];
    let lock = hold_lock(&out);
    for args in commands {
        let r = clearsim(&args);
        let err = String::from_utf8_lossy(&r.stderr);
        assert_eq!(r.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains("another clearsim") && err.contains("is writing"),
            "{args:?}: {err}"
        );
        assert!(
            !String::from_utf8_lossy(&r.stdout).contains("simulated"),
            "{args:?} simulated first"
        );
        assert_eq!(fingerprint(&out), before, "{args:?} changed the folder");
    }
    drop(lock);
    // A folder inside one being written is refused too.
    let _outer = hold_lock(&out);
    let inner = out.join("compare");
    let r = clearsim(&["compare", &m, "--out", inner.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&r.stderr);
    assert_eq!(r.status.code(), Some(2), "{err}");
    assert!(
        err.contains(&format!("which holds {}", inner.display())),
        "{err}"
    );
}

/// The reproducer: a `plots/` link in an earlier run's folder was
/// followed, and the charts written wherever it led.
#[cfg(unix)]
#[test]
fn a_plots_link_is_not_followed_out_of_the_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let outside = tmp.path().join("outside");
    fs::create_dir(&outside).unwrap();
    fs::write(outside.join("keep.txt"), "not clearsim's").unwrap();
    let out = tmp.path().join("out");
    run_mm1(&out, "1", "2");
    fs::remove_dir_all(out.join("plots")).unwrap();
    std::os::unix::fs::symlink(&outside, out.join("plots")).unwrap();
    run_mm1(&out, "1", "2");
    assert!(!out.join("plots").is_symlink());
    assert!(fs::read_dir(out.join("plots")).unwrap().count() > 0);
    fs::remove_dir_all(out.join("plots")).unwrap();
    std::os::unix::fs::symlink(&outside, out.join("plots")).unwrap();
    let r = clearsim(&["plot", out.to_str().unwrap()]);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    assert!(!out.join("plots").is_symlink());
    let left: Vec<_> = fs::read_dir(&outside).unwrap().collect();
    assert_eq!(left.len(), 1, "charts were written through the link");
}

/// A rerun replaces the previous run's outputs (even those it does not
/// write itself) and keeps the user's files and other commands'
/// subfolders; `plot` redraws the charts inside the folder, also from
/// within it, and keeps the rest.
#[test]
fn reruns_and_plot_keep_what_is_not_theirs() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    run_mm1(&out, "1", "2");
    fs::write(out.join("comparison.csv"), "an earlier compare's").unwrap();
    fs::write(out.join("notes.txt"), "mine").unwrap();
    let inner = out.join("compare");
    let r = clearsim(&[
        "compare",
        &mm1(),
        "--reps",
        "2",
        "-q",
        "--out",
        inner.to_str().unwrap(),
    ]);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let compared = fingerprint(&inner);
    run_mm1(&out, "2", "2");
    assert!(
        !out.join("comparison.csv").exists(),
        "a stale output was kept"
    );
    assert_eq!(fs::read_to_string(out.join("notes.txt")).unwrap(), "mine");
    assert_eq!(fingerprint(&inner), compared);

    let data = fingerprint(&out);
    fs::remove_dir_all(out.join("plots")).unwrap();
    for (cwd, arg) in [(tmp.path(), "out"), (out.as_path(), ".")] {
        let r = Command::new(env!("CARGO_BIN_EXE_clearsim"))
            .args(["plot", arg])
            .current_dir(cwd)
            .output()
            .unwrap();
        assert!(
            r.status.success(),
            "plot {arg}: {}",
            String::from_utf8_lossy(&r.stderr)
        );
        assert_eq!(
            fingerprint(&out),
            data,
            "plot {arg} changed more than the charts"
        );
        assert!(fs::read_dir(out.join("plots")).unwrap().count() > 0);
        assert_eq!(beside(&out), Vec::<String>::new());
    }
    // The report names the folder, not where it was staged.
    let report = fs::read_to_string(out.join("report.html")).unwrap();
    assert!(!report.contains("clearsim-staging"));
}

/// A run that fails (here: `plan` finds no capacity meeting its target,
/// exit 1, after writing its outputs) or is refused leaves nothing beside
/// the folder; one refused after opening it leaves the old folder as it was.
#[test]
fn failures_leave_no_staging_folder_behind() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("plan");
    let r = clearsim(&[
        "plan",
        &mm1(),
        "--resource",
        "server",
        "--target",
        "wait_mean_h<=0.0000001",
        "--max",
        "2",
        "--reps",
        "2",
        "-q",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(
        r.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&r.stderr)
    );
    assert!(out.join("plan.csv").is_file(), "the evaluations are kept");
    assert_eq!(beside(&out), Vec::<String>::new());
    let before = fingerprint(&out);
    let r = clearsim(&[
        "plan",
        &mm1(),
        "--resource",
        "server",
        "--target",
        "no_such_metric<=1",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(
        r.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&r.stderr)
    );
    assert_eq!(fingerprint(&out), before);
    assert_eq!(beside(&out), Vec::<String>::new());
}
