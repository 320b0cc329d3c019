//! `clearsim plan`: the smallest capacity meeting a target, checked against
//! the Erlang C answer on the M/M/c validation scenario.

mod common;

use common::{clearsim, mmc_wq, repo_path};

#[test]
fn plan_on_mmc_returns_the_erlang_c_capacity() {
    // λ = 9 /h, mean service 1 h: the target lies between c = 11 (0.215 h)
    // and c = 12 (0.089 h), far enough from both for 30 replications.
    let target = 0.15;
    let expected = (10..100).find(|&c| mmc_wq(9.0, 1.0, c) <= target).unwrap();
    assert_eq!(expected, 12);
    let dir = tempfile::tempdir().unwrap();
    let path = repo_path("scenarios/validation/mmc.toml");
    let o = clearsim(&[
        "plan",
        path.to_str().unwrap(),
        "--resource",
        "servers",
        "--target",
        &format!("wait_mean_h<={target}"),
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        stdout.contains(&format!(
            "smallest capacity of servers meeting the target: {expected} "
        )),
        "{stdout}"
    );
    let plan = std::fs::read_to_string(dir.path().join("plan.csv")).unwrap();
    assert!(plan.starts_with(
        "capacity,group,metric,mean,ci95_half_width,upper_bound,meets_target,target\n"
    ));
    // The row of each capacity tried says whether it meets the target:
    // 11 does not, 12 (the answer) does.
    let verdict = |c: &str| {
        plan.lines()
            .find(|l| l.starts_with(&format!("{c},resource=servers,wait_mean_h,")))
            .and_then(|l| l.rsplit(',').nth(1))
            .unwrap_or_else(|| panic!("no row for capacity {c}:\n{plan}"))
            .to_string()
    };
    assert_eq!(verdict("11"), "false");
    assert_eq!(verdict("12"), "true");
    // Every row carries the target; the chart and the report show the
    // answer.
    assert!(plan.lines().skip(1).all(|l| l.ends_with(",0.15")), "{plan}");
    let svg = std::fs::read_to_string(dir.path().join("plots/plan.svg")).unwrap();
    for text in [
        "wait_mean_h (resource=servers) against capacity",
        "upper end of the 95% interval",
        "target",
    ] {
        assert!(svg.contains(text), "plan.svg lacks {text:?}");
    }
    let report = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    assert!(report.contains(&format!("the smallest capacity meeting it is {expected}")));
    let evaluations = plan.lines().count() - 1;
    assert!(
        evaluations <= 6,
        "a search with few evaluations: {evaluations}"
    );
}

#[test]
fn bad_plans_are_input_errors() {
    let path = repo_path("scenarios/validation/mmc.toml");
    let p = path.to_str().unwrap();
    for (args, expect) in [
        (
            vec!["--resource", "nobody", "--target", "wait_mean_h<=1"],
            "unknown resource \"nobody\"; defined resources: servers",
        ),
        (
            vec!["--resource", "servers", "--target", "wait_mean_h>=1"],
            "expected METRIC<=VALUE",
        ),
        (
            vec!["--resource", "servers", "--target", "happiness<=1"],
            "no metric \"happiness\" in group all",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let mut full = vec![
            "plan",
            p,
            "--out",
            dir.path().to_str().unwrap(),
            "--reps",
            "2",
        ];
        full.extend(args);
        let o = clearsim(&full);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(err.contains(expect), "{err}");
    }
}

/// A scenario file with an [experiment] table reproduces its study alone.
#[test]
fn a_study_file_runs_its_experiment_unless_told_not_to() {
    let path = repo_path("scenarios/studies/double11_xray_plan.toml");
    let p = path.to_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let o = clearsim(&[
        "run",
        p,
        "--out",
        dir.path().to_str().unwrap(),
        "--reps",
        "3",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stderr).contains("running its [experiment] (plan)"));
    assert!(
        String::from_utf8_lossy(&o.stdout)
            .contains("smallest capacity of xray_lines meeting the target")
    );
    assert!(dir.path().join("plan.csv").is_file());

    let plain = tempfile::tempdir().unwrap();
    let o = clearsim(&[
        "run",
        p,
        "--no-experiment",
        "--out",
        plain.path().to_str().unwrap(),
        "--reps",
        "2",
        "--quiet",
    ]);
    assert!(o.status.success());
    assert!(plain.path().join("summary.csv").is_file());
    assert!(!plain.path().join("plan.csv").exists());
}

/// A plan that meets nothing says why, and the two causes are told apart:
/// at `--max 11` M/M/c's wait is still falling (raise `--max`); the port's
/// inspection teams stop mattering once they are no longer the bottleneck
/// (more of them cannot help).
#[test]
fn an_unmet_plan_says_whether_max_or_another_limit_stopped_it() {
    let dir = tempfile::tempdir().unwrap();
    let run = |file: &str, resource: &str, target: &str, extra: &[&str]| {
        let path = repo_path(file);
        let out = dir.path().join(resource);
        let mut args = vec![
            "plan",
            path.to_str().unwrap(),
            "--resource",
            resource,
            "--target",
            target,
            "--reps",
            "3",
            "--quiet",
            "--out",
            out.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        let o = clearsim(&args);
        assert_eq!(o.status.code(), Some(1), "{o:?}");
        String::from_utf8_lossy(&o.stderr).into_owned()
    };
    let err = run(
        "scenarios/validation/mmc.toml",
        "servers",
        "wait_mean_h<=0.001",
        &["--max", "11"],
    );
    assert!(
        err.contains("still changing at --max 11") && !err.contains("does not help"),
        "{err}"
    );
    let err = run(
        "scenarios/modes/port_clearance.toml",
        "yangshan_inspection_teams",
        "release_time_mean_h<=0.5",
        &[],
    );
    assert!(
        err.contains("so more yangshan_inspection_teams does not help") && !err.contains("--max"),
        "{err}"
    );
}
