//! What a followed consignment's trace records (the demo's narration and
//! player read nothing else), on small scenarios whose answer is known in
//! advance: every importer honest, or every consignment prohibited and
//! found.

mod common;

use clearsim::model::{Condition, StepKind};
use clearsim::sim::trace::{ConsignmentTrace, Decision, Finding, Hidden, Outcome, StepTrace};

/// One port: lodgement, screening, review, tax, a manual inspection of
/// every consignment that always finds what the goods hide, release.
const PORT: &str = r#"
name = "traced"
horizon_h = 200
[policy]
review_rate = 0.0
inspection_rate = 1.0
targeting = "random"
[[sites]]
id = "port"
kind = "sea_port"
[sites.steps.tax]
duration = { dist = "exponential", mean = 0.5 }
[sites.steps.inspection]
resource = "inspectors"
duration = { dist = "exponential", mean = 0.5 }
detection_probability = 1.0
[[resources]]
id = "inspectors"
site = "port"
capacity = 20
[[streams]]
id = "s"
port = "port"
rate_per_h = 2.0
"#;

fn traces(stream_keys: &str) -> Vec<ConsignmentTrace> {
    traced(&PORT.replace(
        "rate_per_h = 2.0\n",
        &format!("rate_per_h = 2.0\n{stream_keys}"),
    ))
}

fn traced(text: &str) -> Vec<ConsignmentTrace> {
    common::followed(text, 10.0, 12)
}

/// What the trace decided at each visit of `step`, in order.
fn decisions_at(t: &ConsignmentTrace, step: StepKind) -> Vec<Decision> {
    t.steps
        .iter()
        .filter(|s| s.step == step)
        .map(|s| s.decision)
        .collect()
}

/// The last step of a consignment the trace says was seized.
fn seized_at(t: &ConsignmentTrace) -> &StepTrace {
    assert!(
        matches!(t.outcome, Outcome::Seized { .. }),
        "consignment {}: {:?}",
        t.number,
        t.outcome
    );
    t.steps.last().expect("a seized consignment has steps")
}

#[test]
fn an_honest_two_step_declarant_pays_its_tax_with_the_complete_declaration() {
    for t in traces("two_step_share = 1.0\n") {
        assert_eq!(t.hidden, Hidden::Compliant, "consignment {}", t.number);
        assert_eq!(
            decisions_at(&t, StepKind::Lodgement),
            [Decision::Lodged { two_step: true }],
            "consignment {}",
            t.number
        );
        assert_eq!(
            decisions_at(&t, StepKind::Tax),
            [Decision::TaxWithCompleteDeclaration],
            "consignment {}",
            t.number
        );
    }
}

#[test]
fn prohibited_goods_found_by_a_manual_inspection_are_seized_there() {
    for t in traces("prohibited_share = 1.0\n") {
        assert_eq!(t.hidden, Hidden::Prohibited, "consignment {}", t.number);
        let last = seized_at(&t);
        assert_eq!(last.step, StepKind::Inspection);
        assert_eq!(
            last.decision,
            Decision::Inspected {
                scan: false,
                finding: Finding::Found(Hidden::Prohibited),
            },
            "consignment {}",
            t.number
        );
    }
}

/// Every declaration lodged before arrival: the trace shows the lodgement
/// passed by as lodged in advance, not as a step whose condition failed.
#[test]
fn a_declaration_lodged_in_advance_is_traced_as_such() {
    for t in traces("advance_declaration_share = 1.0\n") {
        assert_eq!(
            decisions_at(&t, StepKind::Lodgement),
            [Decision::LodgedInAdvance],
            "consignment {}",
            t.number
        );
    }
}

/// The customs transit teaching file with every load diverted under seal
/// and a seal check that always finds it: each followed consignment is
/// seized at the arrival confirmation, and its trace ends there.
#[test]
fn a_diversion_the_seal_check_finds_is_traced_to_its_seizure() {
    let own = "[sites.steps.arrival_confirmation]   # transit arrival and seal check\n";
    let link = "duration = { dist = \"lognormal\", mean = 5.0, sd = 1.5 }\n";
    let text =
        std::fs::read_to_string(common::repo_path("scenarios/modes/customs_transit.toml")).unwrap();
    assert!(text.contains(own) && text.contains(link));
    let text = text
        .replace(own, &format!("{own}detection_probability = 1.0\n"))
        .replace(link, &format!("{link}diversion_share = 1.0\n"))
        .replace("prohibited_share = 0.002", "prohibited_share = 0.0");
    for t in traced(&text) {
        let last = seized_at(&t);
        assert_eq!(
            last.step,
            StepKind::ArrivalConfirmation,
            "consignment {}",
            t.number
        );
    }
}

/// One inspector for the stream, busy on average all the time (2 an hour,
/// half an hour each): followed consignments find it busy and wait, from
/// reaching the inspection to starting it. The tax, which needs no
/// officer, starts when it is reached.
#[test]
fn a_wait_is_the_time_from_reaching_a_busy_pool_to_its_start() {
    let text = PORT.replace("capacity = 20", "capacity = 1");
    let (mut inspection, mut tax) = (0.0, 0.0);
    for t in traced(&text) {
        for s in t.steps.iter().filter(|s| s.taken() && s.start.is_finite()) {
            assert!(s.wait() >= 0.0, "consignment {}: {s:?}", t.number);
            match s.step {
                StepKind::Inspection => inspection += s.wait(),
                StepKind::Tax => tax += s.wait(),
                _ => {}
            }
        }
    }
    println!("12 followed consignments waited {inspection} h for the inspector");
    common::assert_quoted(
        "docs/testing.md",
        &format!("the 12 followed consignments wait {inspection:.1} h for it"),
    );
    assert!(inspection > 0.0, "nobody waited for a saturated inspector");
    assert_eq!(tax, 0.0, "a step without an officer waited");
}

/// Whose rules screened a followed consignment, in words: the port's own,
/// its integrated region's, or the nation's.
#[test]
fn the_trace_names_whose_rules_screened_it() {
    let in_region = PORT.replace(
        "kind = \"sea_port\"\n",
        "kind = \"sea_port\"\nregion = \"north\"\n",
    ) + "[[regions]]\nid = \"north\"\nname = \"North region\"\n";
    let nationwide = PORT.replace(
        "name = \"traced\"\n",
        "name = \"traced\"\nnationwide = true\n",
    );
    for (text, decider) in [
        (PORT.to_string(), "port (its own rules)"),
        (in_region, "North region (the region's uniform rules)"),
        (nationwide, "national rules (nationwide integration)"),
    ] {
        for t in traced(&text) {
            assert_eq!(t.screening.decider, decider, "consignment {}", t.number);
        }
    }
}

/// PORT's manual inspection made blind (detection 0): it could see the
/// prohibited goods but misses them every time, and they are released.
#[test]
fn an_inspection_that_misses_is_traced_as_a_miss_and_releases() {
    let text = PORT
        .replace("detection_probability = 1.0", "detection_probability = 0.0")
        .replace(
            "rate_per_h = 2.0\n",
            "rate_per_h = 2.0\nprohibited_share = 1.0\n",
        );
    for t in traced(&text) {
        assert_eq!(
            decisions_at(&t, StepKind::Inspection),
            [Decision::Inspected {
                scan: false,
                finding: Finding::Missed(Hidden::Prohibited),
            }],
            "consignment {}",
            t.number
        );
        assert!(
            !matches!(t.outcome, Outcome::Seized { .. }),
            "consignment {}: {:?}",
            t.number,
            t.outcome
        );
    }
}

#[test]
fn first_release_then_inspect_leaves_the_lab_test_until_after_release() {
    let text = PORT
        .replace(
            "targeting = \"random\"\n",
            "targeting = \"random\"\nlab_test_timing = \"after_release\"\n",
        )
        .replace(
            "[[resources]]",
            "[sites.steps.lab_test]\nduration = { dist = \"exponential\", mean = 24.0 }\n[[resources]]",
        )
        .replace("rate_per_h = 2.0\n", "rate_per_h = 2.0\nlab_test_share = 1.0\n");
    for t in traced(&text) {
        assert_eq!(
            decisions_at(&t, StepKind::LabTest),
            [Decision::LabTestAfterRelease],
            "consignment {}",
            t.number
        );
    }
}

#[test]
fn a_lab_test_not_needed_is_not_taken_and_not_postponed() {
    // Before release (the default timing), half the goods need the
    // laboratory: the other half pass its step by on its condition.
    let text = PORT
        .replace(
            "[[resources]]",
            "[sites.steps.lab_test]\nduration = { dist = \"exponential\", mean = 1.0 }\n[[resources]]",
        )
        .replace("rate_per_h = 2.0\n", "rate_per_h = 2.0\nlab_test_share = 0.5\n");
    let mut passed_by = 0;
    for t in traced(&text) {
        for s in t.steps.iter().filter(|s| s.step == StepKind::LabTest) {
            assert_ne!(
                s.decision,
                Decision::LabTestAfterRelease,
                "consignment {}",
                t.number
            );
            passed_by += usize::from(s.decision == Decision::NotTaken(Condition::NeedsLabTest));
        }
    }
    assert!(
        passed_by > 0,
        "no followed consignment passed the lab test by"
    );
}

/// A two-step declaration sent to review has its complete declaration
/// reviewed after release; with nothing inspected, every undervaluation is
/// left to that review, and
/// the trace dates its outcome the audit delay (here exactly 24 h) after
/// the release.
#[test]
fn a_post_release_review_is_dated_the_audit_delay_after_release() {
    let text = PORT
        .replace(
            "review_rate = 0.0\ninspection_rate = 1.0\n",
            "review_rate = 1.0\ninspection_rate = 0.0\naudit_delay = { dist = \"deterministic\", value = 24.0 }\n",
        )
        .replace(
            "rate_per_h = 2.0\n",
            "rate_per_h = 2.0\ntwo_step_share = 1.0\nundervalued_share = 1.0\n",
        );
    let mut audited = 0;
    for t in traced(&text) {
        let Outcome::Released {
            released, audit, ..
        } = t.outcome
        else {
            continue;
        };
        let audit = audit.unwrap_or_else(|| panic!("consignment {}: no audit", t.number));
        assert_eq!(audit.at, released + 24.0, "consignment {}", t.number);
        audited += 1;
    }
    assert!(
        audited >= 10,
        "{audited} of 12 followed consignments released"
    );
}

/// Every consignment undervalued, reviewed by a review that always finds
/// it, then inspected: the trace records the review's finding, and the
/// inspection, which cannot see a price, as unable to see it (not as a
/// finding already made).
#[test]
fn a_review_finds_undervaluation_and_an_inspection_cannot_see_it() {
    let text = PORT
        .replace("review_rate = 0.0\n", "review_rate = 1.0\n")
        .replace(
            "[sites.steps.tax]",
            "[sites.steps.review]\nduration = { dist = \"exponential\", mean = 0.5 }\ndetection_probability = 1.0\n[sites.steps.tax]",
        )
        .replace("rate_per_h = 2.0\n", "rate_per_h = 2.0\nundervalued_share = 1.0\n");
    for t in traced(&text) {
        assert_eq!(t.hidden, Hidden::Undervalued, "consignment {}", t.number);
        assert_eq!(
            decisions_at(&t, StepKind::Review),
            [Decision::Reviewed(Finding::Found(Hidden::Undervalued))],
            "consignment {}",
            t.number
        );
        assert_eq!(
            decisions_at(&t, StepKind::Inspection),
            [Decision::Inspected {
                scan: false,
                finding: Finding::Invisible(Hidden::Undervalued),
            }],
            "consignment {}",
            t.number
        );
    }
}

#[test]
fn a_trace_visits_the_steps_the_route_keeps() {
    // PORT gives only a tax and an inspection step. The route keeps those,
    // the steps whose outcome matters even when they take no time (the
    // lodgement's date, the review and the scanner screening may select)
    // and the release. A screening, certificates or sealing that the file
    // does not give takes no time and changes nothing, so it is dropped and
    // the followed consignment never reaches it.
    use StepKind::*;
    for t in traces("") {
        let visited: Vec<StepKind> = t.steps.iter().map(|s| s.step).collect();
        assert_eq!(
            visited,
            [Lodgement, Review, Scan, Inspection, Tax, Release],
            "consignment {}",
            t.number
        );
    }
    // A screening the file gives time to is kept, after the lodgement, and
    // the trace says the consignment was screened there.
    let text = PORT.replace(
        "[sites.steps.tax]",
        "[sites.steps.screening]\nduration = { dist = \"deterministic\", value = 0.05 }\n[sites.steps.tax]",
    );
    assert_ne!(text, PORT);
    for t in traced(&text) {
        let visited: Vec<StepKind> = t.steps.iter().map(|s| s.step).collect();
        assert_eq!(
            visited,
            [Lodgement, Screening, Review, Scan, Inspection, Tax, Release],
            "consignment {}",
            t.number
        );
        assert_eq!(
            decisions_at(&t, Screening),
            [Decision::Screened],
            "consignment {}",
            t.number
        );
    }
}

/// A pooled step that takes no time (an inspection recorded as done on
/// sight) still waits for its pool to open: inspectors on duty only from
/// midnight to 1 am, the run stopped at 20 h. The 12 followed consignments
/// (arrived from 10 h) reach the inspection and are still waiting at the
/// end: their trace shows the step reached, not started (NaN start and
/// end, the "run stopped first" of `StepTrace`).
#[test]
fn a_step_still_waiting_for_its_pool_at_the_end_has_not_started() {
    let text = PORT
        .replace("horizon_h = 200", "horizon_h = 20")
        .replace(
            "[sites.steps.inspection]\nresource = \"inspectors\"\nduration = { dist = \"exponential\", mean = 0.5 }",
            "[sites.steps.inspection]\nresource = \"inspectors\"\nduration = { dist = \"deterministic\", value = 0.0 }",
        )
        .replace(
            "capacity = 20\n",
            "capacity = 20\ncalendar = \"night\"\n[calendars.night]\ndays = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\", \"sun\"]\nhours = [[0, 1]]\n",
        );
    assert!(text.contains("value = 0.0 }") && text.contains("calendar = \"night\""));
    for t in traced(&text) {
        assert_eq!(t.outcome, Outcome::InProgress, "consignment {}", t.number);
        let last = t.steps.last().expect("a step reached");
        assert_eq!(last.step, StepKind::Inspection, "consignment {}", t.number);
        assert!(
            last.reached >= t.arrived && last.reached <= 20.0,
            "consignment {}: {last:?}",
            t.number
        );
        assert!(
            last.start.is_nan() && last.end.is_nan(),
            "consignment {}: still waiting, yet {last:?}",
            t.number
        );
    }
}

/// Territorial declaration and release (mode 3, `tests/data/mode_3.toml`),
/// half the declarations sent to inspection: an inspected
/// consignment travels home, is inspected and released there; any other
/// is released at the port. Each followed consignment that leaves is
/// released once, at the site its screening implies.
#[test]
fn mode_3_releases_the_inspected_at_home_and_the_rest_at_the_port() {
    let text = &std::fs::read_to_string(common::repo_path("tests/data/mode_3.toml"))
        .unwrap()
        .replace("inspection_rate = 0.25", "inspection_rate = 0.5");
    assert!(text.contains("inspection_rate = 0.5\n"));
    let model = common::parsed("mode3.toml", text).model;
    let mut seen = [0, 0];
    for t in traced(text) {
        if !matches!(t.outcome, Outcome::Released { .. }) {
            continue;
        }
        let released_at: Vec<&str> = t
            .steps
            .iter()
            .filter(|s| s.step == StepKind::Release && s.taken())
            .map(|s| model.sites[s.site.0 as usize].id.as_str())
            .collect();
        let want = if t.screening.inspect { "home" } else { "port" };
        assert_eq!(released_at, [want], "consignment {}", t.number);
        seen[usize::from(t.screening.inspect)] += 1;
    }
    assert!(
        seen[0] > 0 && seen[1] > 0,
        "released at the port, at home: {seen:?}"
    );
}

/// Every declaration sent to review: the trace says the review comes after
/// release under "first release, then review" (`tax_timing =
/// "after_release"`), and for a two-step declaration whatever the timing
/// (its complete declaration follows release); otherwise before it. Its
/// release step says so too: released with a review scheduled, or plainly.
#[test]
fn the_trace_says_when_a_review_comes_after_release() {
    let reviewed = PORT.replace("review_rate = 0.0\n", "review_rate = 1.0\n");
    let after = reviewed.replace(
        "review_rate = 1.0\n",
        "review_rate = 1.0\ntax_timing = \"after_release\"\n",
    );
    // Two-step declaration is open to general credit or better.
    let two_step = reviewed.replace(
        "rate_per_h = 2.0\n",
        "rate_per_h = 2.0\ntwo_step_share = 1.0\ncredit_mix = { advanced = 0.0, general = 1.0 }\n",
    );
    let mut released = 0;
    for (label, text, want) in [
        ("before release", &reviewed, false),
        ("first release, then review", &after, true),
        ("two-step", &two_step, true),
    ] {
        assert_ne!(text, &PORT, "{label}: the fixture did not change");
        for t in traced(text) {
            assert!(t.screening.review, "{label}, consignment {}", t.number);
            assert_eq!(
                t.screening.review_after_release, want,
                "{label}, consignment {}",
                t.number
            );
            if matches!(t.outcome, Outcome::Released { .. }) {
                released += 1;
                assert_eq!(
                    decisions_at(&t, StepKind::Release),
                    [Decision::Released { review_after: want }],
                    "{label}, consignment {}",
                    t.number
                );
            }
        }
    }
    // Followed from 10 h, cleared in hours, the run lasts 200 h: all leave.
    assert_eq!(released, 36, "followed consignments released");
}
