//! "First release, then inspect" (`policy.lab_test_timing`): the
//! laboratory test moves behind release. Checked on the study file with its
//! arrivals stopped a month before the horizon, so every consignment has
//! left (and every laboratory job is done) by the end under both timings;
//! the two timings then see exactly the same consignments, and the
//! identities below hold to the unit in every replication.

mod common;

use common::{paired_above, read_reps, refused, repo_path, run_text, sweep_text, values};

const STUDY: &str = "scenarios/studies/first_release_then_inspect.toml";
const BEFORE: &str = "policy.lab_test_timing=before_release";
const AFTER: &str = "policy.lab_test_timing=after_release";

/// The study without warm-up, with a 30-day quiet end (no arrivals): every
/// consignment and every post-release job finishes inside the horizon.
fn closed_study() -> String {
    let text = std::fs::read_to_string(repo_path(STUDY)).unwrap();
    let text = text.replace("warmup_days = 14", "warmup_days = 0");
    assert!(text.contains("warmup_days = 0"));
    format!(
        "{text}\n[[streams.peaks]]\nname = \"quiet end\"\nfrom_h = {}\nuntil_h = {}\nmultiplier = 0.0\n",
        150 * 24,
        180 * 24
    )
}

#[test]
fn testing_after_release_moves_findings_to_recalls_and_the_lab_work_unchanged() {
    let (_dir, reps) = sweep_text(
        &closed_study(),
        &["policy.lab_test_timing=before_release,after_release"],
    );
    let get = |variant: &str, group: &str, metric: &str| values(&reps, variant, group, metric);
    let (before, after) = (BEFORE, AFTER);
    // Nothing is left in the system: the identities below are exact.
    for v in [before, after] {
        assert!(get(v, "all", "in_system_end").iter().all(|n| *n == 0.0));
    }
    let recalls = get(after, "all", "recalls");
    assert!(
        recalls.iter().sum::<f64>() > 0.0,
        "the study must find some"
    );
    for (r, recalled) in recalls.iter().enumerate() {
        // Every non-compliance the laboratory found before release, it finds
        // after release in the same consignment (the same random numbers):
        // it now leaves customs' hands first and is recalled.
        let leak_before = get(before, "all", "leakage")[r];
        let leak_after = get(after, "all", "leakage")[r];
        assert_eq!(leak_after - recalled, leak_before, "replication {r}");
        // Prohibited goods the laboratory found were seized before release;
        // now they are among the recalls.
        let seized_before = get(before, "all", "seizures")[r];
        let seized_after = get(after, "all", "seizures")[r];
        assert!(seized_after <= seized_before, "replication {r}");
        assert!(
            seized_before - seized_after <= recalls[r],
            "replication {r}"
        );
        // The same samples reach the laboratory: its work is moved, not
        // saved.
        let lab = "resource=zjg_lab_benches";
        assert_eq!(
            get(before, lab, "entered")[r],
            get(after, lab, "entered")[r]
        );
        let (h0, h1) = (
            get(before, lab, "officer_hours")[r],
            get(after, lab, "officer_hours")[r],
        );
        assert!((h0 - h1).abs() <= 1e-6 * h0, "lab hours {h0} vs {h1}");
    }
    // Release no longer waits for the laboratory: GACC's overall clearance
    // time falls by at least the test's duration, less the queueing it no
    // longer causes (the lab takes 72 h on average in the study file).
    let saved = paired_above(
        "overall clearance time, lab before − after release",
        get(before, "all", "overall_clearance_time_mean_h"),
        get(after, "all", "overall_clearance_time_mean_h"),
    );
    assert!(saved > 60.0, "{saved}");
}

#[test]
fn importers_who_sell_before_the_certificate_escape_recall() {
    let (_dir, reps) = sweep_text(
        &closed_study(),
        &[AFTER, "policy.lab_release_breach=0,0.5,1"],
    );
    let recalls = |breach: &str| {
        values(
            &reps,
            &format!("{AFTER};policy.lab_release_breach={breach}"),
            "all",
            "recalls",
        )
    };
    let leakage = |breach: &str| {
        values(
            &reps,
            &format!("{AFTER};policy.lab_release_breach={breach}"),
            "all",
            "leakage",
        )
    };
    // The same consignments breach at 0.5 as at any higher share (one draw
    // each), so recalls can only fall as the share rises, replication by
    // replication; at 1 nothing is recalled. Leakage at release is the
    // same whatever happens afterwards.
    for r in 0..recalls("0").len() {
        assert!(recalls("0.5")[r] <= recalls("0")[r]);
        assert_eq!(recalls("1")[r], 0.0);
        assert_eq!(leakage("0")[r], leakage("1")[r]);
    }
    paired_above(
        "recalls, no breach − half breach",
        recalls("0"),
        recalls("0.5"),
    );
}

#[test]
fn a_lab_test_share_without_a_laboratory_and_a_bad_timing_are_located_errors() {
    let text = std::fs::read_to_string(repo_path(STUDY)).unwrap();
    // The port's laboratory step removed: the ore stream has nowhere to
    // test its samples.
    let (head, rest) = text.split_once("[sites.steps.lab_test]").unwrap();
    let tail = &rest[rest.find("[sites.steps.tax]").unwrap()..];
    let text = format!("{head}{tail}").replace(
        "lab_test_timing = \"before_release\"",
        "lab_test_timing = \"later\"",
    );
    let err = refused(&text);
    assert!(
        err.contains("policy.lab_test_timing") && err.contains("before_release"),
        "{err}"
    );
    assert!(
        err.contains("streams[0].lab_test_share: no site on this stream's route"),
        "{err}"
    );
}

#[test]
fn a_post_release_review_follows_the_lab_test_once_and_only_where_due() {
    // Reviews after release, by the reviewers, and nothing prohibited (so
    // both timings release the same consignments): each consignment
    // flagged for review is reviewed once under either timing, after its
    // laboratory test where it has one, and no other is.
    // The review's documents are called in a day after release, so that
    // every review falls inside the quiet end whichever the timing (the
    // default delay's long tail would cut off more reviews of the later
    // releases, those waiting for the laboratory).
    let text = closed_study()
        .replace("prohibited_share = 0.003", "prohibited_share = 0.0")
        .replace(
            "[policy]\n",
            "[policy]\naudit_delay = { dist = \"deterministic\", value = 24.0 }\n",
        );
    let (_dir, reps) = sweep_text(
        &text,
        &[
            "policy.tax_timing=after_release",
            "policy.lab_test_timing=before_release,after_release",
        ],
    );
    let get = |timing: &str, group: &str, metric: &str| {
        values(
            &reps,
            &format!("policy.tax_timing=after_release;{timing}"),
            group,
            metric,
        )
        .to_vec()
    };
    let reviews = |timing| get(timing, "resource=zjg_reviewers", "entered");
    let (before, after) = (reviews(BEFORE), reviews(AFTER));
    assert_eq!(
        get(BEFORE, "all", "seizures"),
        get(AFTER, "all", "seizures")
    );
    assert_eq!(before, after, "post-release reviews by laboratory timing");
    assert!(
        get(AFTER, "all", "in_system_end").iter().all(|n| *n == 0.0),
        "every job done"
    );
}

/// The closed study with a duty on the ore (the study's iron ore pays none,
/// so a misdeclared grade changes no tax) and nothing prohibited (so both
/// timings release the same consignments, and release assesses the same
/// goods).
fn closed_dutiable_study() -> String {
    let text = closed_study()
        .replace("prohibited_share = 0.003", "prohibited_share = 0.0")
        .replace("duty_rate = 0.0 ", "duty_rate = 0.1 ");
    assert!(text.contains("prohibited_share = 0.0\n") && text.contains("duty_rate = 0.1 "));
    text
}

#[test]
fn the_tax_a_lab_test_corrects_before_release_it_recovers_after() {
    // A misdeclared grade the laboratory finds before release is taxed at
    // release; after release, the same finding (the same random numbers)
    // corrects the tax afterwards. So, replication by replication, what
    // release assesses before equals what release assesses after plus what
    // the laboratory recovers, and the evasion left over is the same.
    let (_dir, reps) = sweep_text(
        &closed_dutiable_study(),
        &["policy.lab_test_timing=before_release,after_release"],
    );
    let get = |timing: &str, metric: &str| values(&reps, timing, "all", metric);
    let recovered = get(AFTER, "revenue_recovered_yuan");
    assert!(
        recovered.iter().all(|r| *r > 0.0),
        "every replication has a misdeclared grade found after release: {recovered:?}"
    );
    for (r, recovered) in recovered.iter().enumerate() {
        assert_eq!(get(BEFORE, "revenue_recovered_yuan")[r], 0.0);
        let before = get(BEFORE, "revenue_assessed_yuan")[r];
        let after = get(AFTER, "revenue_assessed_yuan")[r] + recovered;
        assert!(
            (before - after).abs() <= 1e-9 * before,
            "replication {r}: assessed {before} before, assessed + recovered {after} after"
        );
        let left_before = get(BEFORE, "revenue_evaded_yuan")[r];
        let left_after = get(AFTER, "revenue_evaded_yuan")[r] - recovered;
        assert!(
            (left_before - left_after).abs() <= 1e-9 * before,
            "replication {r}: evasion left {left_before} before, {left_after} after"
        );
    }
}

#[test]
fn no_review_after_a_lab_test_starts_before_its_documents_are_called_in() {
    // Reviews after release, their documents called in 10,000 h after
    // release, past the 180-day horizon: the reviewers start none, under
    // either laboratory timing, even for the consignments whose laboratory
    // test after release ends inside the horizon.
    let text = closed_dutiable_study().replace(
        "[policy]\n",
        "[policy]\naudit_delay = { dist = \"deterministic\", value = 10000.0 }\n",
    );
    let (_dir, reps) = sweep_text(
        &text,
        &[
            "policy.tax_timing=after_release",
            "policy.lab_test_timing=before_release,after_release",
        ],
    );
    for timing in [BEFORE, AFTER] {
        let variant = format!("policy.tax_timing=after_release;{timing}");
        let get = |group: &str, metric: &str| values(&reps, &variant, group, metric);
        assert!(
            get("resource=zjg_reviewers", "entered")
                .iter()
                .all(|n| *n == 0.0),
            "{timing}: reviews started {:?}",
            get("resource=zjg_reviewers", "entered")
        );
        // The reviews are there, pending at the horizon: what they recover
        // is counted after it.
        let pending = get("all", "revenue_recovered_after_horizon_yuan");
        assert!(pending.iter().sum::<f64>() > 0.0, "{timing}");
        if timing == BEFORE {
            // Nothing else recovers tax: all of it is pending.
            assert_eq!(get("all", "revenue_recovered_yuan"), pending);
        }
    }
}

/// The overloaded bench, every consignment misclassified and tested after release, three in ten
/// importers AEO-certified; no warm-up, 2,000 h. The bench serves one
/// sample an hour whatever the order, so a share 1 − 1/1.6 = 0.375 of the
/// samples is still waiting at the horizon, and what those tests will
/// recover is counted after it (`revenue_recovered_after_horizon_yuan`,
/// over the class's `revenue_evaded_yuan`: the share of its tests
/// pending, weighted by what each recovers).
/// - In arrival order (`aeo_priority = false`) each class has the same
///   share pending, 0.375.
/// - With AEO importers first, theirs are a stable queue of their own
///   (load 0.3 × 1.6 = 0.48): about one test is pending at the horizon
///   (Lq = 0.48 × 1/0.52 ≈ 0.9 behind the residual hour, plus one in
///   service), of about 970, so their share is about 0.002; the others get
///   0.52 of the bench for 1.12 an hour and leave (1.12 − 0.52) / 1.12 =
///   0.536 pending.
///
/// The queue at the horizon varies by about √((1.6 + 1) × 2,000) ≈ 72 of
/// its 1,200 (a share of ±0.023 a replication, ±0.012 over 4): the bounds
/// are 4 of those sd, 0.05, and for the AEO share under priority 0.01
/// (five times its expectation).
#[test]
fn aeo_lab_tests_after_release_go_first_only_under_aeo_priority() {
    let (_dir, reps) = sweep_text(OVERLOADED_BENCH, &["policy.aeo_priority=true,false"]);
    let pending = |aeo: &str, credit: &str| {
        let v = format!("policy.aeo_priority={aeo}");
        let group = format!("credit={credit}");
        let after = values(&reps, &v, &group, "revenue_recovered_after_horizon_yuan");
        let evaded = values(&reps, &v, &group, "revenue_evaded_yuan");
        assert!(
            evaded.iter().all(|e| *e > 0.0),
            "{v}, {credit}: nothing evaded"
        );
        after.iter().zip(evaded).map(|(a, e)| a / e).sum::<f64>() / after.len() as f64
    };
    let shares = [
        ("true", "advanced", 0.002, 0.01),
        ("true", "general", 0.536, 0.05),
        ("false", "advanced", 0.375, 0.05),
        ("false", "general", 0.375, 0.05),
    ];
    let mut measured = Vec::new();
    for (aeo, credit, want, bound) in shares {
        let got = pending(aeo, credit);
        measured.push(got);
        println!(
            "aeo_priority = {aeo}, {credit}: {got:.4} of the tests pending (want {want} ± {bound})"
        );
        assert!(
            (got - want).abs() <= bound,
            "aeo_priority = {aeo}: {got} of the {credit} importers' tests pending at the horizon, not {want} ± {bound}"
        );
    }
    // docs/testing.md (ninth run) quotes them.
    common::assert_quoted(
        "docs/testing.md",
        &format!("(measured {:.3} and {:.3})", measured[2], measured[3]),
    );
    common::assert_quoted(
        "docs/testing.md",
        &format!("(measured {:.4} and {:.3})", measured[0], measured[1]),
    );
}

/// One overloaded laboratory bench (1.6 samples an hour, an hour each)
/// testing every consignment after release, no warm-up, 2,000 h.
const OVERLOADED_BENCH: &str = r#"
name = "lab priority"
seed = 7
replications = 4
horizon_h = 2000
[policy]
review_rate = 0.0
inspection_rate = 0.0
lab_test_timing = "after_release"
[[sites]]
id = "port"
kind = "sea_port"
[sites.steps.lab_test]
resource = "benches"
duration = { dist = "exponential", mean = 1.0 }
detection_probability = 1.0
[[resources]]
id = "benches"
site = "port"
capacity = 1
[[streams]]
id = "s"
port = "port"
rate_per_h = 1.6
lab_test_share = 1.0
misclassified_share = 1.0
credit_mix = { advanced = 0.3, general = 0.7, discredited = 0.0 }
value = { dist = "deterministic", value = 10000.0 }
"#;

/// The overloaded bench, every importer of general credit, every
/// consignment undervalued (which a laboratory cannot see) and reviewed
/// after release by a review with no officers of its own, which finds
/// every undervaluation it reviews. 0.375 of the laboratory tests are
/// still pending at the horizon; they recover nothing here, so they must
/// not move the review's recovery to either side of the horizon:
/// - reviews done 1 h after release: only those of consignments released
///   in the last hour (about 1.6 of 3,200) fall after the horizon, a share
///   of about 0.0005 (bound 0.005);
/// - reviews done 3,000 h after release, all past the 2,000 h horizon:
///   the whole recovery falls after it, exactly.
#[test]
fn a_pending_lab_test_does_not_move_an_unstaffed_review_across_the_horizon() {
    for (delay, low, high) in [(1.0, 0.0, 0.005), (3000.0, 1.0, 1.0)] {
        let text = OVERLOADED_BENCH
            .replace(
                "review_rate = 0.0\n",
                &format!(
                    "review_rate = 1.0\ntax_timing = \"after_release\"\naudit_detection = 1.0\n\
                     audit_delay = {{ dist = \"deterministic\", value = {delay:.1} }}\n"
                ),
            )
            .replace("misclassified_share = 1.0", "undervalued_share = 1.0")
            .replace(
                "advanced = 0.3, general = 0.7",
                "advanced = 0.0, general = 1.0",
            );
        let reps = read_reps(&run_text(&text).out);
        let v = "base";
        let recovered = values(&reps, v, "all", "revenue_recovered_yuan");
        let after = values(&reps, v, "all", "revenue_recovered_after_horizon_yuan");
        let evaded = values(&reps, v, "all", "revenue_evaded_yuan");
        for r in 0..recovered.len() {
            assert_eq!(
                recovered[r], evaded[r],
                "replication {r}: the review finds all"
            );
            let share = after[r] / recovered[r];
            assert!(
                (low..=high).contains(&share),
                "reviews {delay} h after release, replication {r}: {share} of their recovery \
                 counted after the horizon, not {low} to {high}"
            );
        }
    }
}
