//! A regional centre's pooled review queue (`regions.pooled_reviewers`):
//! the officers of several customs work one queue, and the centre sends
//! each declaration to the pool that can take it soonest. When every pool
//! is closed and all open at the same hour, "soonest" is the fewest
//! waiting per officer, so an overnight backlog is shared out in
//! proportion to the officers each pool has.

mod common;

use common::{read_reps, repo_path, run_text, values};

/// `tests/data/pooled_night.toml`: two pools with the same office hours,
/// one officer and three, pooled by the region's centre; declarations
/// arrive only at night and go straight to review (see the file).
fn night_backlog() -> String {
    std::fs::read_to_string(repo_path("tests/data/pooled_night.toml")).unwrap()
}

/// Nights the run holds: 00:00 to 06:00 of the first day, then one from
/// 17:00 of each of the 60 days (the last cut at the horizon).
const NIGHTS: f64 = 61.0;

/// The dispatch rule sends a newcomer to the pool with the fewest
/// (waiting + 1) per officer, ties to the first listed. From empty queues
/// (one officer, three officers) that gives the three-officer pool the
/// 1st and 2nd, the one-officer pool the 3rd (1 = 3/3, a tie), and so on:
/// of a night's n declarations the one-officer pool takes exactly
/// ⌊(n + 1)/4⌋, which lies in [(n − 2)/4, (n + 1)/4]. Summed over the
/// nights of a replication with N declarations in all, its count lies in
/// [(N − 2·nights)/4, (N + nights)/4]: about a quarter, the share of its
/// officers. Sending newcomers to the smallest pool instead (load times
/// officers) would give it about three quarters.
#[test]
fn an_overnight_backlog_is_shared_in_proportion_to_each_pools_officers() {
    let run = run_text(&night_backlog());
    let reps = read_reps(&run.out);
    let one = values(&reps, "base", "resource=one_officer", "entered");
    let three = values(&reps, "base", "resource=three_officers", "entered");
    let arrived = values(&reps, "base", "all", "arrived");
    for (i, ((&a, &b), &n_arrived)) in one.iter().zip(three).zip(arrived).enumerate() {
        let n = a + b;
        assert_eq!(
            n, n_arrived,
            "replication {i}: every declaration is reviewed by one pool or the other"
        );
        let (low, high) = ((n - 2.0 * NIGHTS) / 4.0, (n + NIGHTS) / 4.0);
        println!("replication {i}: one-officer pool {a} of {n}, bound [{low}, {high}]");
        assert!(
            (low..=high).contains(&a),
            "replication {i}: the one-officer pool took {a} of {n} declarations, outside [{low}, {high}]"
        );
    }
}

/// The same region open round the clock, with declarations all day long at
/// 4 an hour (reviews of 15 min: an offered load a = λ/μ = 1 officer).
/// The dispatch rule sends a newcomer to the first listed pool with an
/// officer free, the one-officer pool: it takes exactly the declarations
/// that find its officer free, and the three-officer pool the rest (a
/// newcomer goes to the one-officer pool while its officer is busy only if
/// three or more wait per officer at the other, which a load of 1 on four
/// officers almost never gives). So the one-officer pool is an Erlang loss
/// system with one server: it turns away B(1, a) = a/(1 + a) of the
/// declarations and takes 1/(1 + a) = half of them, whatever the review
/// time's distribution. Sending a newcomer to the pool with the fewest
/// waiting per officer even when another has an officer free would give
/// the one-officer pool almost nothing (33 of 5,762 a replication).
#[test]
fn a_newcomer_goes_to_the_first_pool_with_an_officer_free() {
    let text = night_backlog()
        .replace("calendar = \"day\"\n", "")
        .replace("rate_per_day = 48", "rate_per_day = 96");
    let (head, tail) = text.split_once("hour_of_day").unwrap();
    let text = format!("{head}{}", &tail[tail.find(']').unwrap() + 2..]);
    assert!(!text.contains("calendar =") && !text.contains("hour_of_day"));
    let run = run_text(&text);
    let reps = read_reps(&run.out);
    let one = values(&reps, "base", "resource=one_officer", "entered");
    let three = values(&reps, "base", "resource=three_officers", "entered");
    for (i, (&a, &b)) in one.iter().zip(three).enumerate() {
        let n = a + b;
        // Binomial(n, 1/2) within four standard deviations.
        let slack = 4.0 * (0.25 * n).sqrt();
        println!(
            "replication {i}: one-officer pool {a} of {n}, want {} ± {slack}",
            n / 2.0
        );
        assert!(
            (a - n / 2.0).abs() <= slack,
            "replication {i}: the one-officer pool took {a} of {n} declarations, not half ± {slack}"
        );
    }
}
