//! The engine against queueing theory: the real binary runs the scenarios in
//! `scenarios/validation/` and the mean waits must agree with Erlang C,
//! Pollaczek-Khinchine and Jackson-network results within the replications'
//! confidence intervals; Little's law must hold on the same runs.

mod common;

use clearsim::stats::student_t_quantile;
use common::{Row, erlang_c, mmc_wq, read_summary, row, run_ok};

/// The theory value must lie inside the 99% confidence interval of the
/// replication means. The files report 95% half-widths; with a dozen checks
/// per suite a 95% interval would miss one by chance for many seeds, so the
/// test widens to 99% (still a real test: a biased engine fails it) and
/// separately requires the interval to be narrow.
fn within_99(r: Row, theory: f64) -> bool {
    let df = (r.reps - 1) as f64;
    let widen = student_t_quantile(0.99, df) / student_t_quantile(0.95, df);
    (r.mean - theory).abs() <= r.half_width * widen
}

/// A check is only meaningful if the interval is tight: the 95% half-width
/// must be under this share of the theory value.
const MAX_RELATIVE_HALF_WIDTH: f64 = 0.05;
/// Little's law holds per replication up to edge effects at the warm-up cut
/// and the horizon; this is the allowed relative gap on the means.
const LITTLE_TOLERANCE: f64 = 0.02;

fn check(label: &str, r: Row, theory: f64) {
    println!(
        "{label:<40} simulated {:.4} ± {:.4} ({} reps)   theory {theory:.4}",
        r.mean, r.half_width, r.reps
    );
    assert!(
        within_99(r, theory),
        "{label}: theory {theory} outside the 99% CI of simulated {} ± {} (95%)",
        r.mean,
        r.half_width
    );
    assert!(
        r.half_width <= MAX_RELATIVE_HALF_WIDTH * theory,
        "{label}: CI half-width {} too wide to test against {theory}",
        r.half_width
    );
}

fn check_little(label: &str, l: Row, lambda: Row, w: Row) {
    let lw = lambda.mean * w.mean;
    println!("{label:<40} L = {:.4}   λW = {lw:.4}", l.mean);
    assert!(
        (l.mean - lw).abs() <= LITTLE_TOLERANCE * lw,
        "{label}: Little's law L = {} but λW = {lw}",
        l.mean
    );
}

#[test]
fn erlang_c_matches_published_value() {
    // λ = 9, μ = 1, c = 10: P(wait) ≈ 0.6687 (standard tables).
    assert!((erlang_c(10, 9.0) - 0.6687).abs() < 1e-4);
    assert!((erlang_c(1, 0.8) - 0.8).abs() < 1e-12);
}

fn run(scenario: &str) -> std::collections::HashMap<(String, String), Row> {
    let dir = tempfile::tempdir().unwrap();
    run_ok(scenario, dir.path(), &[]);
    read_summary(dir.path())
}

#[test]
fn mm1_matches_theory_and_littles_law() {
    let s = run("scenarios/validation/mm1.toml");
    let (lambda, mu) = (0.8, 1.0);
    let rho: f64 = lambda / mu;
    check(
        "M/M/1 wait in queue Wq [h]",
        row(&s, "resource=server", "wait_mean_h"),
        rho / (mu - lambda),
    );
    check(
        "M/M/1 time in system W [h]",
        row(&s, "all", "release_time_mean_h"),
        1.0 / (mu - lambda),
    );
    check(
        "M/M/1 utilisation",
        row(&s, "resource=server", "utilisation"),
        rho,
    );
    check(
        "M/M/1 queue length Lq",
        row(&s, "resource=server", "queue_len_mean"),
        rho * rho / (1.0 - rho),
    );
    check_little(
        "M/M/1 queue: Lq = λ Wq",
        row(&s, "resource=server", "queue_len_mean"),
        row(&s, "resource=server", "arrival_rate_per_h"),
        row(&s, "resource=server", "wait_mean_h"),
    );
    check_little(
        "M/M/1 system: L = λ W",
        row(&s, "all", "in_system_mean"),
        row(&s, "all", "arrival_rate_per_h"),
        row(&s, "all", "release_time_mean_h"),
    );
}

#[test]
fn mmc_matches_erlang_c_and_littles_law() {
    let s = run("scenarios/validation/mmc.toml");
    let wq = mmc_wq(9.0, 1.0, 10);
    check(
        "M/M/10 Wq (Erlang C) [h]",
        row(&s, "resource=servers", "wait_mean_h"),
        wq,
    );
    check(
        "M/M/10 W [h]",
        row(&s, "all", "release_time_mean_h"),
        wq + 1.0,
    );
    check(
        "M/M/10 utilisation",
        row(&s, "resource=servers", "utilisation"),
        0.9,
    );
    check(
        "M/M/10 busy servers",
        row(&s, "resource=servers", "busy_mean"),
        9.0,
    );
    check_little(
        "M/M/10 queue: Lq = λ Wq",
        row(&s, "resource=servers", "queue_len_mean"),
        row(&s, "resource=servers", "arrival_rate_per_h"),
        row(&s, "resource=servers", "wait_mean_h"),
    );
    check_little(
        "M/M/10 system: L = λ W",
        row(&s, "all", "in_system_mean"),
        row(&s, "all", "arrival_rate_per_h"),
        row(&s, "all", "release_time_mean_h"),
    );
}

#[test]
fn md1_matches_pollaczek_khinchine() {
    let s = run("scenarios/validation/md1.toml");
    let (lambda, d) = (0.8, 1.0);
    let rho = lambda * d;
    // P-K: Wq = λ E[S²] / (2 (1 − ρ)), E[S²] = d² for deterministic service.
    let wq = lambda * d * d / (2.0 * (1.0 - rho));
    check(
        "M/D/1 Wq (Pollaczek-Khinchine) [h]",
        row(&s, "resource=server", "wait_mean_h"),
        wq,
    );
    check("M/D/1 W [h]", row(&s, "all", "release_time_mean_h"), wq + d);
    check_little(
        "M/D/1 queue: Lq = λ Wq",
        row(&s, "resource=server", "queue_len_mean"),
        row(&s, "resource=server", "arrival_rate_per_h"),
        row(&s, "resource=server", "wait_mean_h"),
    );
}

/// M/G/1 with lognormal, gamma, triangular and uniform service (mean 1 h,
/// λ = 0.5): Pollaczek-Khinchine Wq = λ E[S²] / (2 (1 − ρ)). A wrong mean
/// or variance in any family's parameter conversion moves its wait.
#[test]
fn mg1_matches_pollaczek_khinchine_for_each_service_family() {
    let s = run("scenarios/validation/mg1.toml");
    let (lambda, mean) = (0.5, 1.0);
    let rho: f64 = lambda * mean;
    for (family, variance) in [
        ("lognormal", 1.5f64 * 1.5),
        ("gamma", 0.5),
        ("triangular", 5.25 / 18.0),
        ("uniform", 1.0 / 12.0),
    ] {
        let wq = lambda * (variance + mean * mean) / (2.0 * (1.0 - rho));
        check(
            &format!("M/G/1 {family} Wq [h]"),
            row(&s, &format!("resource={family}_server"), "wait_mean_h"),
            wq,
        );
        check(
            &format!("M/G/1 {family} W [h]"),
            row(&s, &format!("stream={family}"), "release_time_mean_h"),
            wq + mean,
        );
    }
}

#[test]
fn tandem_matches_jackson_network() {
    let s = run("scenarios/validation/tandem.toml");
    // Jackson: each station is an independent M/M/c with the external rate.
    let (lambda, s1, s2) = (1.0, 0.7, 1.6);
    let wq1 = mmc_wq(lambda, s1, 1);
    let wq2 = mmc_wq(lambda, s2, 2);
    check(
        "tandem review Wq [h]",
        row(&s, "resource=reviewer", "wait_mean_h"),
        wq1,
    );
    check(
        "tandem inspection Wq [h]",
        row(&s, "resource=inspection_teams", "wait_mean_h"),
        wq2,
    );
    check(
        "tandem time in system [h]",
        row(&s, "all", "release_time_mean_h"),
        wq1 + s1 + wq2 + s2,
    );
    check(
        "tandem inspection utilisation",
        row(&s, "resource=inspection_teams", "utilisation"),
        lambda * s2 / 2.0,
    );
    check_little(
        "tandem system: L = λ W",
        row(&s, "all", "in_system_mean"),
        row(&s, "all", "arrival_rate_per_h"),
        row(&s, "all", "release_time_mean_h"),
    );
}

/// AEO priority as the simulation applies it (credit class → queue class),
/// against Cobham's non-preemptive priority formula; and the same queue
/// without priority against Erlang C, so the difference is the mechanism's.
#[test]
fn aeo_priority_matches_non_preemptive_priority_theory() {
    let file = "scenarios/validation/mmc_priority.toml";
    let s = run(file);
    let wq = common::priority_wq(4, 1.0, &[1.2, 2.0]);
    check(
        "M/M/4 AEO release time (Cobham) [h]",
        row(&s, "credit=advanced", "release_time_mean_h"),
        wq[0] + 1.0,
    );
    check(
        "M/M/4 general release time (Cobham) [h]",
        row(&s, "credit=general", "release_time_mean_h"),
        wq[1] + 1.0,
    );
    check(
        "M/M/4 pooled wait (Erlang C, priority does not change it) [h]",
        row(&s, "resource=servers", "wait_mean_h"),
        mmc_wq(3.2, 1.0, 4),
    );
    // Without priority every class waits the Erlang C time.
    let text = std::fs::read_to_string(common::repo_path(file))
        .unwrap()
        .replace("aeo_priority = true", "aeo_priority = false");
    let f = read_summary(&common::run_text(&text).out);
    check(
        "M/M/4 AEO release time without priority (Erlang C) [h]",
        row(&f, "credit=advanced", "release_time_mean_h"),
        mmc_wq(3.2, 1.0, 4) + 1.0,
    );
}
