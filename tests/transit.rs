//! Transit under seal with its rules (`[[links]]` `time_limit_h`,
//! `diversion_delay`, `bond_share`): a diverted load takes a detour to swap
//! its goods, a load past the time limit is examined on arrival, and a
//! diversion found forfeits the transit's guarantee. Each variant runs the
//! customs-transit teaching file with the same seed (common random
//! numbers), so replications compare one to one.

mod common;

use clearsim::model::StepKind;
use common::{read_reps, repo_path, run_text, values};
use std::collections::BTreeMap;

/// The teaching file with more non-compliance and `link` added to its
/// port → Hangzhou link.
fn transit(link: &str) -> Vec<(String, Vec<f64>)> {
    let text = std::fs::read_to_string(repo_path("scenarios/modes/customs_transit.toml"))
        .unwrap()
        .replace(
            "duration = { dist = \"lognormal\", mean = 5.0, sd = 1.5 }",
            &format!("duration = {{ dist = \"lognormal\", mean = 5.0, sd = 1.5 }}\n{link}"),
        )
        .replace(
            "prohibited_share = 0.002",
            "prohibited_share = 0.01\nundervalued_share = 0.03",
        );
    assert!(link.is_empty() || text.contains(link));
    let ran = run_text(&text);
    let reps = read_reps(&ran.out);
    [
        "leakage",
        "seized",
        "inspections",
        "revenue_evaded_yuan",
        "revenue_recovered_yuan",
        "release_time_mean_h",
    ]
    .iter()
    .map(|m| (m.to_string(), values(&reps, "base", "all", m).to_vec()))
    .chain(std::iter::once((
        "hangzhou_inspections_entered".to_string(),
        values(
            &reps,
            "base",
            "resource=hangzhou_inspection_teams",
            "entered",
        )
        .to_vec(),
    )))
    .collect()
}

fn metric<'a>(run: &'a [(String, Vec<f64>)], name: &str) -> &'a [f64] {
    &run.iter().find(|(m, _)| m == name).unwrap().1
}

#[test]
fn a_time_limit_catches_the_diversions_that_take_a_detour() {
    let honest = transit("");
    let diverted = transit("diversion_share = 0.5");
    // Swapping the goods takes 12 h; the journey alone rarely passes 14 h
    // (lognormal, mean 5 h, sd 1.5 h). With the limit every diverted load
    // is overdue, examined, and caught.
    let limited = transit(
        "diversion_share = 0.5\ntime_limit_h = 14.0\ndiversion_delay = { dist = \"deterministic\", value = 12.0 }",
    );
    for r in 0..metric(&honest, "leakage").len() {
        let leak = |run: &[(String, Vec<f64>)]| metric(run, "leakage")[r];
        // Without a limit the seal check misses one diversion in five.
        assert!(leak(&diverted) > leak(&honest), "replication {r}");
        // With it none passes: no more leakage than with no diversion at
        // all (less, where a diverted load would have leaked anyway).
        assert!(leak(&limited) <= leak(&honest), "replication {r}");
        assert!(
            metric(&limited, "seized")[r] > metric(&diverted, "seized")[r],
            "replication {r}"
        );
    }
}

#[test]
fn a_tight_time_limit_sends_honest_loads_to_inspection() {
    let free = transit("");
    // Eight hours: a few honest journeys (lognormal, mean 5 h, sd 1.5 h:
    // about one in twenty) overrun, and are opened at Hangzhou. (Four
    // hours would send most of them to two inspection teams sized for 5%,
    // and the queue would never clear.)
    let tight = transit("time_limit_h = 8.0");
    for r in 0..metric(&free, "inspections").len() {
        assert!(
            metric(&tight, "inspections")[r] > metric(&free, "inspections")[r],
            "replication {r}"
        );
        assert!(
            metric(&tight, "release_time_mean_h")[r] > metric(&free, "release_time_mean_h")[r],
            "replication {r}"
        );
    }
}

#[test]
fn a_diversion_found_forfeits_the_guarantee_in_proportion() {
    let none = transit("diversion_share = 0.5\nbond_share = 0.0");
    let half = transit("diversion_share = 0.5\nbond_share = 0.5");
    let full = transit("diversion_share = 0.5\nbond_share = 1.0");
    for r in 0..metric(&none, "revenue_recovered_yuan").len() {
        let rec = |run: &[(String, Vec<f64>)]| metric(run, "revenue_recovered_yuan")[r];
        // The guarantee changes what is recovered, not what escaped.
        assert_eq!(
            metric(&none, "revenue_evaded_yuan")[r],
            metric(&full, "revenue_evaded_yuan")[r]
        );
        let (h, f) = (rec(&half) - rec(&none), rec(&full) - rec(&none));
        assert!(
            f > 0.0,
            "replication {r}: the seal check found no diversion"
        );
        assert!(
            (h - 0.5 * f).abs() <= 1e-9 * f,
            "replication {r}: {h} vs {f}"
        );
    }
}

#[test]
fn bad_transit_rules_are_located_errors() {
    let text = std::fs::read_to_string(repo_path("scenarios/modes/customs_transit.toml"))
        .unwrap()
        .replace(
            "duration = { dist = \"lognormal\", mean = 5.0, sd = 1.5 }",
            "duration = { dist = \"lognormal\", mean = 5.0, sd = 1.5 }\ntime_limit_h = 0\nbond_share = 2",
        );
    let err = common::refused(&text);
    assert!(
        err.contains("links[0].time_limit_h: got 0; expected a number > 0 and <= 1000000"),
        "{err}"
    );
    assert!(
        err.contains("links[0].bond_share: got 2; expected a number from 0 to 1"),
        "{err}"
    );
}

#[test]
fn a_diverted_load_counts_once_among_the_non_compliant() {
    // Every importer honest: the only non-compliance is the diversion on
    // the way, which half the loads suffer. Each diverted load that has
    // passed the transport step counts once; the cohort still in the
    // system at the horizon may or may not have.
    let ran = run_text(&honest_half_diverted());
    let reps = read_reps(&ran.out);
    let get = |m: &str| values(&reps, "base", "all", m).to_vec();
    let (arrived, end, nc) = (get("arrived"), get("in_system_end"), get("non_compliant"));
    for r in 0..arrived.len() {
        // Binomial(n, 1/2) within four standard deviations, n between the
        // loads that surely passed transport and all that arrived.
        let (low_n, high_n) = (arrived[r] - end[r], arrived[r]);
        let low = 0.5 * low_n - 4.0 * (0.25 * low_n).sqrt();
        let high = 0.5 * high_n + 4.0 * (0.25 * high_n).sqrt();
        assert!(
            (low..=high).contains(&nc[r]),
            "replication {r}: {} non-compliant of {} arrived ({} in the system at the end)",
            nc[r],
            arrived[r],
            end[r]
        );
    }
}

/// The teaching file with every importer honest and half the loads
/// diverted on the way: the only non-compliance is the diversion.
fn honest_half_diverted() -> String {
    let text = std::fs::read_to_string(repo_path("scenarios/modes/customs_transit.toml"))
        .unwrap()
        .replace(
            "duration = { dist = \"lognormal\", mean = 5.0, sd = 1.5 }",
            "duration = { dist = \"lognormal\", mean = 5.0, sd = 1.5 }\ndiversion_share = 0.5",
        )
        .replace("prohibited_share = 0.002", "prohibited_share = 0.0");
    assert!(text.contains("diversion_share = 0.5") && text.contains("prohibited_share = 0.0"));
    text
}

/// [`honest_half_diverted`] with its arrival confirmation replaced by
/// `arrival` (the file's own when empty): the replications' seizures (the
/// diversions the seal check finds) and leakage (the ones it misses).
fn seal_check(arrival: &str) -> (Vec<f64>, Vec<f64>) {
    let own = "[sites.steps.arrival_confirmation]   # transit arrival and seal check\n\
               duration = { dist = \"triangular\", min = 0.5, mode = 1.0, max = 3.0 }\n";
    let text = honest_half_diverted();
    assert!(text.contains(own));
    let text = text.replace(own, if arrival.is_empty() { own } else { arrival });
    let reps = read_reps(&run_text(&text).out);
    let get = |m: &str| values(&reps, "base", "all", m).to_vec();
    (get("seized"), get("leakage"))
}

#[test]
fn the_seal_check_finds_diversions_with_its_detection_probability() {
    // Every importer honest, half the loads diverted, no time limit: the
    // only seizures are the diversions the seal check on arrival finds, and
    // the only leakage the ones it misses. It finds each with its detection
    // probability (0.8, the default of an arrival confirmation), one draw
    // per load: binomial within four standard deviations. It does so
    // whether the check takes officers' hours, takes no time (an electronic
    // seal read on arrival), or is not written at all (a step not given is
    // instantaneous, not skipped). An instantaneous check was once dropped
    // from the route as empty, and every diversion leaked.
    for (label, arrival) in [
        ("the file's check (0.5-3 h)", ""),
        (
            "an instantaneous check",
            "[sites.steps.arrival_confirmation]\nduration = { dist = \"deterministic\", value = 0.0 }\n",
        ),
        ("a check not written", "\n"),
    ] {
        let (found, missed) = seal_check(arrival);
        let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
        println!(
            "{label}: found {:.1} and missed {:.1} diversions, mean of {} replications",
            mean(&found),
            mean(&missed),
            found.len()
        );
        common::assert_quoted(
            "docs/testing.md",
            &format!(
                "{} found and {} missed with",
                common::with_commas(mean(&found), 1),
                common::with_commas(mean(&missed), 1)
            ),
        );
        for r in 0..found.len() {
            let n = found[r] + missed[r];
            let slack = 4.0 * (0.8 * 0.2 * n).sqrt();
            assert!(n > 1000.0, "{label}, replication {r}: {n} diversions");
            assert!(
                (found[r] - 0.8 * n).abs() <= slack,
                "{label}, replication {r}: the seal check found {} of {n} diversions, not 0.8 × {n} ± {slack}",
                found[r]
            );
        }
    }
}

#[test]
fn a_detour_is_taken_only_by_a_diverted_load() {
    // Half the loads diverted, a 14 h limit the journey alone rarely
    // passes. Adding a 12 h detour makes every diverted load overrun, and
    // the seal check then seizes it on arrival, before the destination's
    // inspection; the honest loads travel exactly as before (the same
    // random numbers, and nothing they queue for upstream changes), so
    // they reach the destination's inspection teams at the same instants.
    // The detour can only take away requests for inspection (those of the
    // diverted loads the seal check used to miss), and it catches more.
    let no_detour = transit("diversion_share = 0.5\ntime_limit_h = 14.0");
    let detour = transit(
        "diversion_share = 0.5\ntime_limit_h = 14.0\ndiversion_delay = { dist = \"deterministic\", value = 12.0 }",
    );
    let entered = "hangzhou_inspections_entered";
    for r in 0..metric(&detour, entered).len() {
        let (before, after) = (metric(&no_detour, entered)[r], metric(&detour, entered)[r]);
        println!(
            "replication {r}: {before} loads sent to inspection without the detour, {after} with it"
        );
        assert!(
            after <= before,
            "replication {r}: the detour sent {after} loads to inspection, against {before}"
        );
        assert!(
            metric(&detour, "seized")[r] > metric(&no_detour, "seized")[r],
            "replication {r}"
        );
    }
}

/// A transit guarantee of half the goods' tax (`bond_share = 0.5`),
/// forfeited when a diversion is found. Every importer honest, half the
/// loads diverted, a seal check that finds every diversion: the only tax
/// evaded is the diverted goods', and customs recovers exactly half of
/// it, replication by replication; without a guarantee, none. (The test
/// above compares guarantees with each other, which a forfeiture of
/// `bond + tax` instead of `bond × tax` also passes; this one checks the
/// level.)
#[test]
fn a_found_diversion_forfeits_exactly_its_share_of_the_tax() {
    let own = "[sites.steps.arrival_confirmation]   # transit arrival and seal check\n";
    let certain = "[sites.steps.arrival_confirmation]\ndetection_probability = 1.0\n";
    let base = honest_half_diverted();
    assert!(base.contains(own));
    let base = base.replace(own, certain);
    for bond in [0.5, 0.0] {
        let text = base.replace(
            "diversion_share = 0.5",
            &format!("diversion_share = 0.5\nbond_share = {bond}"),
        );
        let reps = read_reps(&run_text(&text).out);
        let get = |m: &str| values(&reps, "base", "all", m).to_vec();
        let (evaded, recovered, leakage) = (
            get("revenue_evaded_yuan"),
            get("revenue_recovered_yuan"),
            get("leakage"),
        );
        for r in 0..evaded.len() {
            assert_eq!(leakage[r], 0.0, "replication {r}: a diversion passed");
            assert!(evaded[r] > 0.0, "replication {r}: no tax evaded");
            assert!(
                (recovered[r] - bond * evaded[r]).abs() <= 1e-9 * evaded[r],
                "bond {bond}, replication {r}: recovered {} of {} evaded",
                recovered[r],
                evaded[r]
            );
        }
    }
}

/// A diverted load's transport takes its journey plus the detour to swap
/// its goods (12 h here), an honest load's the journey alone. Followed
/// consignment by consignment, with the same random numbers with and
/// without the detour: the difference is 12 h or nothing, exactly, and
/// both occur (half the loads are diverted). The tests above read only
/// what the detour does to the time limit's catch.
#[test]
fn a_diverted_load_travels_its_journey_plus_the_detour() {
    let file = std::fs::read_to_string(repo_path("scenarios/modes/customs_transit.toml")).unwrap();
    let link = "duration = { dist = \"lognormal\", mean = 5.0, sd = 1.5 }";
    assert!(file.contains(link));
    // Each followed consignment's time in transport, by its number.
    let journeys = |rules: &str| -> BTreeMap<u64, f64> {
        let text = file.replace(link, &format!("{link}\ndiversion_share = 0.5\n{rules}"));
        common::followed(&text, 100.0, 40)
            .into_iter()
            .filter_map(|t| {
                let s = t.steps.iter().find(|s| s.step == StepKind::Transport)?;
                Some((t.number, s.end - s.start))
            })
            .collect()
    };
    let plain = journeys("");
    let detour = journeys("diversion_delay = { dist = \"deterministic\", value = 12.0 }");
    assert_eq!(
        plain.keys().collect::<Vec<_>>(),
        detour.keys().collect::<Vec<_>>()
    );
    let mut by_detour = [0, 0];
    for (n, journey) in &plain {
        let extra = detour[n] - journey;
        assert!(
            extra.abs() < 1e-9 || (extra - 12.0).abs() < 1e-9,
            "consignment {n}: {journey} h in transport without the detour, {} h with it",
            detour[n]
        );
        by_detour[usize::from(extra > 6.0)] += 1;
    }
    assert!(
        by_detour[0] >= 5 && by_detour[1] >= 5,
        "of {} loads in transport, honest and diverted: {by_detour:?}",
        plain.len()
    );
    common::assert_quoted(
        "docs/testing.md",
        &format!("both occur ({} and {} loads)", by_detour[1], by_detour[0]),
    );
}
