//! A diverging replication stops at the in-system ceiling (issue 11): the
//! command exits 2 with a message naming the pool, its offered load and the
//! time, quickly and in bounded memory, and writes nothing; a plan counts a
//! diverging capacity as one that misses the target; and the ceiling
//! changes no result of a run that stays under it.

mod common;

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{clearsim, repo_path};

/// What a bounded run of the binary produced, with its peak memory.
struct Run {
    code: Option<i32>,
    stderr: String,
    /// The child's peak resident set [KiB].
    max_rss_kib: i64,
    elapsed: Duration,
}

/// Runs `clearsim ARGS`, killing it after `limit` (which fails the test),
/// and reads its own peak memory from `wait4` (this child's alone, not
/// every child of the test process).
// The child is reaped by `wait4`, which std's `Child` does not see.
#[allow(clippy::zombie_processes)]
fn clearsim_measured(limit: Duration, args: &[&str]) -> Run {
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_clearsim"))
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the clearsim binary runs");
    let mut err = child.stderr.take().unwrap();
    let err_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        err.read_to_end(&mut s).ok();
        s
    });
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: an all-zero `rusage` is a valid value of the plain C struct.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `pid` is our own child, not yet reaped (std's `Child` is
        // never waited on); `status` and `usage` are valid for writes.
        let r = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        assert!(r >= 0, "wait4 failed");
        if r == pid {
            break;
        }
        if started.elapsed() > limit {
            child.kill().ok();
            panic!("clearsim {args:?} still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    Run {
        code,
        stderr: String::from_utf8_lossy(&err_reader.join().unwrap()).into_owned(),
        max_rss_kib: usage.ru_maxrss,
        elapsed: started.elapsed(),
    }
}

/// `scenarios/validation/mm1.toml` with each `(from, to)` replacement
/// made (each must apply), written as `name` in `dir`: its path.
fn mm1_variant(dir: &Path, name: &str, changes: &[(&str, &str)]) -> String {
    let mut text = std::fs::read_to_string(repo_path("scenarios/validation/mm1.toml")).unwrap();
    for (from, to) in changes {
        assert!(text.contains(from), "{from:?} not in mm1.toml");
        text = text.replace(from, to);
    }
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

/// One server of mean 1 h offered 1000 arrivals an hour for 10⁵ h: 10⁸
/// consignments, about 10 GB held at once without a ceiling.
fn diverging(dir: &Path) -> String {
    mm1_variant(
        dir,
        "diverging.toml",
        &[
            ("rate_per_h = 0.8", "rate_per_h = 1000.0"),
            ("horizon_h = 20000", "horizon_h = 100000"),
            ("replications = 30", "replications = 2"),
        ],
    )
}

/// Ceilings of two million in the system and a million waiting at a pool
/// (`--max-in-system 2000000`; the default is five times that, see
/// `src/sim/ceiling.rs`) stop it within seconds, and the process stays far
/// under the gigabytes the run would otherwise take.
#[test]
fn a_diverging_run_stops_with_a_located_message_in_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let s = diverging(dir.path());
    let out = dir.path().join("out");
    let run = clearsim_measured(
        Duration::from_secs(120),
        &[
            "run",
            &s,
            "--threads",
            "1",
            "--max-in-system",
            "2000000",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    println!(
        "{:?} in {:.2} s, peak RSS {} MiB\n{}",
        run.code,
        run.elapsed.as_secs_f64(),
        run.max_rss_kib / 1024,
        run.stderr
    );
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    for part in [
        "error: replication 0: pool \"server\" held 1,000,001 waiting at t = ",
        "(offered load 1000.000 busy servers on average for 1.000 available)",
        "the model diverges; lower its load or raise --max-in-system (now 2000000)",
    ] {
        assert!(
            run.stderr.contains(part),
            "{part:?} not in:\n{}",
            run.stderr
        );
    }
    assert!(!out.exists(), "a diverging run wrote {}", out.display());
    // A million waiting: about 100 MB of consignments and their queue
    // entries, next to the 10 GB of the whole horizon.
    assert!(
        run.max_rss_kib < 600 * 1024,
        "peak RSS {} MiB",
        run.max_rss_kib / 1024
    );
}

/// A pool open office hours only, 8 h a day Monday to Friday (40 of the
/// week's 168 h), has its capacity for that share of the week: three
/// officers are 3 × 40 / 168 = 0.714 servers on average, which is what
/// the message sets against the offered load.
#[test]
fn a_diverging_pool_on_office_hours_is_reported_with_the_servers_it_has_on_average() {
    let dir = tempfile::tempdir().unwrap();
    let path = mm1_variant(
        dir.path(),
        "office.toml",
        &[
            ("rate_per_h = 0.8", "rate_per_h = 1000.0"),
            ("replications = 30", "replications = 1"),
            ("capacity = 1", "capacity = 3\ncalendar = \"office\""),
            (
                "[[sites]]",
                "[calendars.office]\ndays = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]\nhours = [[8, 12], [13, 17]]\n\n[[sites]]",
            ),
        ],
    );
    let out = dir.path().join("out");
    let o = clearsim(&[
        "run",
        &path,
        "--max-in-system",
        "20000",
        "--out",
        out.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("(offered load 1000.000 busy servers on average for 0.714 available)"),
        "{stderr}"
    );
}

/// `--max-in-system` lowers the ceiling: the whole system's count is then
/// reached first when the load is spread, and the message names the pool
/// with the longest queue. Every command stops the same way.
#[test]
fn the_ceiling_is_an_option_of_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let s = diverging(dir.path());
    let out = dir.path().join("out");
    let o = out.to_str().unwrap();
    for args in [
        vec!["run", &s, "--max-in-system", "5000", "--out", o],
        vec![
            "compare",
            &s,
            "--modes",
            "port_clearance",
            "--max-in-system",
            "5000",
            "--out",
            o,
        ],
        vec![
            "sweep",
            &s,
            "--set",
            "policy.inspection_rate=0.5,1",
            "--max-in-system",
            "5000",
            "--out",
            o,
        ],
    ] {
        let run = clearsim_measured(Duration::from_secs(60), &args);
        assert_eq!(run.code, Some(2), "{args:?}: {}", run.stderr);
        assert!(
            run.stderr
                .contains("pool \"server\" held 2,501 waiting at t = ")
                && run.stderr.contains("raise --max-in-system (now 5000)"),
            "{args:?}: {}",
            run.stderr
        );
        assert!(!out.exists());
    }
}

/// A plan over capacities counts a capacity whose queue diverges as one
/// that misses the target, and goes on to larger ones.
#[test]
fn a_plan_treats_a_diverging_capacity_as_missing_the_target() {
    let dir = tempfile::tempdir().unwrap();
    // Arrivals at 0.8 /h for 2000 h: one server (ρ = 0.8) keeps about 4
    // waiting, but with a ceiling of 5 waiting it trips; two do not.
    let s = mm1_variant(
        dir.path(),
        "plan.toml",
        &[
            ("horizon_h = 20000", "horizon_h = 2000"),
            ("warmup_h = 1000", "warmup_h = 100"),
            ("replications = 30", "replications = 4"),
        ],
    );
    let out = dir.path().join("out");
    let run = clearsim_measured(
        Duration::from_secs(60),
        &[
            "plan",
            &s,
            "--resource",
            "server",
            "--target",
            "wait_mean_h<=100",
            "--max-in-system",
            "10",
            "--out",
            out.to_str().unwrap(),
            "--quiet",
        ],
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let plan = std::fs::read_to_string(out.join("plan.csv")).unwrap();
    let rows: Vec<&str> = plan.lines().skip(1).collect();
    assert!(
        rows[0].starts_with("1,") && rows[0].contains(",false,"),
        "{plan}"
    );
    assert!(rows.iter().any(|r| r.contains(",true,")), "{plan}");
}

/// Under the ceiling nothing changes: a run with a ceiling just above its
/// peak gives the same files as one with the default.
#[test]
fn the_ceiling_changes_nothing_below_it() {
    let dir = tempfile::tempdir().unwrap();
    let s = repo_path("scenarios/validation/mm1.toml");
    let s = s.to_str().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    common::ok(&[
        "run",
        s,
        "--reps",
        "4",
        "--out",
        a.to_str().unwrap(),
        "--quiet",
    ]);
    common::ok(&[
        "run",
        s,
        "--reps",
        "4",
        "--max-in-system",
        "200",
        "--out",
        b.to_str().unwrap(),
        "--quiet",
    ]);
    for f in ["summary.csv", "replications.csv", "timeseries.csv"] {
        let (x, y) = (a.join(f), b.join(f));
        if x.exists() {
            assert_eq!(
                std::fs::read(&x).unwrap(),
                std::fs::read(&y).unwrap(),
                "{f}"
            );
        }
    }
}
