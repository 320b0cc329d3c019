//! What building the model from a scenario derives before any run: the
//! offered load behind the capacity warnings, the shares of demand each
//! reachable port expects, the chance of being caught an informed importer
//! weighs, a tax centre's rules and which empty steps a route keeps. Each is checked against the value worked out by hand from
//! the file's numbers.

mod common;

use clearsim::model::customs::{CreditClass, NonCompliance};
use clearsim::model::{Model, StepKind};
use common::{parsed, repo_path};

fn model(text: &str) -> Model {
    parsed("model_build.toml", text).model
}

fn pool_load(m: &Model, load: &[f64], id: &str) -> f64 {
    let p = m
        .pools
        .iter()
        .position(|p| p.id == id)
        .unwrap_or_else(|| panic!("no pool {id}"));
    load[p]
}

fn close(got: f64, want: f64, what: &str) {
    assert!(
        (got - want).abs() < 1e-9 * want.abs().max(1.0),
        "{what}: got {got}, want {want}"
    );
}

/// One port, reviewers and inspectors, random targeting: λ = 9 /h, review
/// 20% for 0.5 h, inspection 10% for 2 h; a peak tripling the rate over
/// hours 100 to 150.
const ONE_PORT: &str = r#"
name = "load"
horizon_h = 400
[policy]
review_rate = 0.2
inspection_rate = 0.1
targeting = "random"
[[sites]]
id = "port"
kind = "sea_port"
[sites.steps.review]
resource = "reviewers"
duration = { dist = "exponential", mean = 0.5 }
[sites.steps.inspection]
resource = "inspectors"
duration = { dist = "exponential", mean = 2.0 }
[[resources]]
id = "reviewers"
site = "port"
capacity = 3
[[resources]]
id = "inspectors"
site = "port"
capacity = 5
[[streams]]
id = "s"
port = "port"
rate_per_h = 9.0
peaks = [{ name = "surge", from_h = 100, until_h = 150, multiplier = 3.0 }]
"#;

#[test]
fn offered_load_is_rate_times_share_times_mean_duration() {
    let m = model(ONE_PORT);
    // Outside the peak the rate is 9 /h.
    let quiet = m.offered_load_between(200.0, 300.0);
    close(
        pool_load(&m, &quiet, "inspectors"),
        9.0 * 0.1 * 2.0,
        "inspectors",
    );
    close(
        pool_load(&m, &quiet, "reviewers"),
        9.0 * 0.2 * 0.5,
        "reviewers",
    );
    // Half of [75, 175) is the peak: the mean rate is 9 × (1 + 3) / 2.
    let around = m.offered_load_between(75.0, 175.0);
    close(
        pool_load(&m, &around, "inspectors"),
        18.0 * 0.1 * 2.0,
        "inspectors around the peak",
    );
    // Inside it, three times the quiet load.
    let peak = m.offered_load_between(110.0, 140.0);
    close(
        pool_load(&m, &peak, "reviewers"),
        27.0 * 0.2 * 0.5,
        "reviewers in the peak",
    );
    // An empty period offers no load (not 0/0).
    assert_eq!(m.offered_load_between(120.0, 120.0), [0.0, 0.0]);
}

#[test]
fn a_pool_with_no_servers_and_no_work_carries_no_load() {
    // ONE_PORT with nothing inspected and the inspectors' pool emptied,
    // which a file may do for a pool no consignment reaches: its load is
    // 0 (no work), not 0 / 0, and the reviewers' is unchanged.
    let text = ONE_PORT
        .replace("inspection_rate = 0.1", "inspection_rate = 0.0")
        .replace("capacity = 5", "capacity = 0");
    let m = model(&text);
    let load = m.offered_load();
    assert_eq!(pool_load(&m, &load, "inspectors"), 0.0);
    close(
        pool_load(&m, &load, "reviewers"),
        9.0 * 0.2 * 0.5,
        "reviewers",
    );
}

/// Port `p0`, and `p1` whose own rules inspect and review less: every
/// kind of non-compliance is likelier to pass at `p1`
/// (`tests/data/two_ports.toml`, shared with `tests/integration.rs`).
fn two_ports() -> String {
    std::fs::read_to_string(repo_path("tests/data/two_ports.toml")).unwrap()
}

#[test]
fn demand_splits_between_ports_by_arbitrage_and_time_choice() {
    let m = model(&two_ports());
    let usual = &m.streams[0];
    let [alt] = usual.choice.alternatives[..] else {
        panic!("one alternative: {:?}", usual.choice.alternatives)
    };
    // Every kind of non-compliance goes where it is likeliest to pass.
    for kind in usual.choice.laxest[0] {
        assert_eq!(kind, alt, "laxest option: {:?}", usual.choice.laxest);
    }
    // Half of the 10% non-compliant arbitrage to p1: 0.05. A fifth of the
    // rest choose by time, spread evenly over the two: 0.2 × 0.95 / 2.
    let diverted = 0.5 * (0.01 + 0.04 + 0.05);
    let even = 0.2 * (1.0 - diverted) / 2.0;
    close(
        m.streams[alt as usize].choice.demand_share,
        diverted + even,
        "p1's share",
    );
    close(
        usual.choice.demand_share,
        1.0 - diverted - 2.0 * even + even,
        "p0's share",
    );
    // The offered load follows the shares: inspection at 10% and 2% of
    // each port's share of 9 /h, for 2 h.
    let load = m.offered_load();
    close(
        pool_load(&m, &load, "inspectors1"),
        9.0 * (diverted + even) * 0.02 * 2.0,
        "inspectors1",
    );
}

#[test]
fn a_tax_centre_reviews_on_its_own_rules_sharpened_by_pooled_data() {
    let text = std::fs::read_to_string(repo_path("scenarios/studies/integration_blind_spots.toml"))
        .unwrap()
    .replace(
        "pooled_data_gain = 1.0\n",
        "pooled_data_gain = 1.5\ntax_review = \"by_category\"\n",
    )
    .replace(
        "categories = [\"chemicals\"]\n[sites.supervision]\nreview_rate = 0.12\ndiscrimination = 1.0",
        "categories = [\"chemicals\"]\n[sites.supervision]\nreview_rate = 0.12\ndiscrimination = 0.8",
    );
    let m = model(&text);
    let mut centres = 0;
    for s in &m.streams {
        let Some(c) = s.tax_centre else { continue };
        let own = match m.sites[c.0 as usize].id.as_str() {
            "guangzhou_tax_centre" => 0.8,
            "shanghai_tax_centre" => 1.0,
            other => panic!("unexpected tax centre {other}"),
        };
        close(s.review_rules.discrimination, own * 1.5, &s.id);
        close(s.review_rules.review_rate, 0.12, &s.id);
        centres += 1;
    }
    assert!(centres >= 2, "streams reviewed by a centre: {centres}");
}

#[test]
fn a_route_keeps_an_empty_review_and_drops_an_empty_lab_test() {
    // The port gives neither a review nor a lab_test step: a review still
    // decides (instantly), a lab test that no one does tests nothing (and
    // a stream cannot ask for one there: validation refuses it).
    let m = model(&ONE_PORT.replace(
        "[sites.steps.review]\nresource = \"reviewers\"\nduration = { dist = \"exponential\", mean = 0.5 }\n",
        "",
    ).replace("[[resources]]\nid = \"reviewers\"\nsite = \"port\"\ncapacity = 3\n", ""));
    let steps: Vec<StepKind> = m.streams[0]
        .route
        .steps
        .iter()
        .map(|st| m.activity(st.activity).step)
        .collect();
    assert!(steps.contains(&StepKind::Review), "{steps:?}");
    assert!(!steps.contains(&StepKind::LabTest), "{steps:?}");
    assert!(steps.contains(&StepKind::Inspection), "{steps:?}");
}

#[test]
fn peaks_of_one_name_merge_where_they_overlap_or_touch_and_no_further() {
    // Stream s's surge over hours 100–150 (ONE_PORT) overlaps t's from 120
    // to 180: one band, 100–180. t's surge of 300–320 and s's of 320–330
    // touch: one band, 300–330. u's lull over 130–140 lies inside the
    // first surge but has another name: a band of its own.
    let text = ONE_PORT.replace(
        "peaks = [{ name = \"surge\", from_h = 100, until_h = 150, multiplier = 3.0 }]",
        r#"peaks = [{ name = "surge", from_h = 100, until_h = 150, multiplier = 3.0 },
         { name = "surge", from_h = 320, until_h = 330, multiplier = 2.0 }]
[[streams]]
id = "t"
port = "port"
rate_per_h = 1.0
peaks = [{ name = "surge", from_h = 120, until_h = 180, multiplier = 2.0 },
         { name = "surge", from_h = 300, until_h = 320, multiplier = 2.0 }]
[[streams]]
id = "u"
port = "port"
rate_per_h = 1.0
peaks = [{ name = "lull", from_h = 130, until_h = 140, multiplier = 0.5 }]"#,
    );
    let bands: Vec<(String, f64, f64)> = model(&text)
        .peak_periods()
        .into_iter()
        .map(|p| (p.name, p.from, p.until))
        .collect();
    let want = [
        ("surge", 100.0, 180.0),
        ("lull", 130.0, 140.0),
        ("surge", 300.0, 330.0),
    ]
    .map(|(n, f, u)| (n.to_string(), f, u));
    assert_eq!(bands, want);
}

/// ONE_PORT with a scanner at the port that finds 0.7 of what the goods
/// show (its other keys `scan`), and a manual examination that finds 0.9.
fn with_scanner(scan: &str) -> String {
    ONE_PORT
        .replace(
            "[sites.steps.review]\n",
            &format!(
                "[sites.steps.scan]\nresource = \"scanners\"\nduration = {{ dist = \"exponential\", mean = 0.01 }}\ndetection_probability = 0.7\n{scan}\n\
                 [sites.steps.review]\n"
            ),
        )
        .replace(
            "duration = { dist = \"exponential\", mean = 2.0 }\n",
            "duration = { dist = \"exponential\", mean = 2.0 }\ndetection_probability = 0.9\n",
        )
        .replace(
            "[[streams]]",
            "[[resources]]\nid = \"scanners\"\nsite = \"port\"\ncapacity = 1\n[[streams]]",
        )
}

#[test]
fn the_chance_of_being_caught_combines_the_in_line_scanner_with_the_checks_screening_selects() {
    // ONE_PORT with an in-line scanner (every consignment, finds 0.7 of
    // what the goods show) in front of the selected manual inspection
    // (10%, finds 0.9) and the review (20%, finds 0.5), random targeting:
    // for a general-credit importer, the goods escape the look at them
    // with (1 − 0.1 × 0.9)(1 − 0.7), and the documents with 1 − 0.2 × 0.5.
    let text = with_scanner("in_line = true").replace(
        "duration = { dist = \"exponential\", mean = 0.5 }\n",
        "duration = { dist = \"exponential\", mean = 0.5 }\ndetection_probability = 0.5\n",
    );
    let m = model(&text);
    let general = CreditClass::General as usize;
    let escapes_the_goods_check = (1.0 - 0.1 * 0.9) * (1.0 - 0.7);
    let escapes_the_papers_check = 1.0 - 0.2 * 0.5;
    let catch = |kind| m.catch_probability(&m.streams[0], general, kind);
    close(
        catch(NonCompliance::Prohibited),
        1.0 - escapes_the_goods_check,
        "prohibited goods: seen only in the goods",
    );
    close(
        catch(NonCompliance::Undervalued),
        1.0 - escapes_the_papers_check,
        "undervaluation: seen only in the papers",
    );
    close(
        catch(NonCompliance::Misclassified),
        1.0 - escapes_the_goods_check * escapes_the_papers_check,
        "misclassification: seen in either",
    );
}

#[test]
fn the_chance_of_being_caught_weighs_the_scanner_and_the_manual_examination_by_their_shares() {
    // ONE_PORT with a selective scanner that takes 60% of the inspections
    // (finds 0.7 of what the goods show) and leaves 40% to the manual
    // examination (finds 0.9): 10% inspected, random targeting, so
    // prohibited goods are caught with 0.1 × (0.6 × 0.7 + 0.4 × 0.9).
    let text = with_scanner("share = 0.6");
    let m = model(&text);
    assert_eq!(m.streams[0].scan_share, 0.6);
    let general = CreditClass::General as usize;
    close(
        m.catch_probability(&m.streams[0], general, NonCompliance::Prohibited),
        0.1 * (0.6 * 0.7 + 0.4 * 0.9),
        "prohibited goods, scanned or opened",
    );
}

#[test]
fn the_laboratory_is_loaded_whether_it_tests_before_or_after_release() {
    // The ore study: 6 bills of lading a day, every one's samples tested,
    // 72 h on a bench: 6/24 × 1 × 72 = 18 benches busy, under either
    // timing ("first release, then inspect" moves the work, it does not
    // save it). What an importer expects to wait before release loses the
    // test's 72 h when it moves after release.
    let text = std::fs::read_to_string(repo_path(
        "scenarios/studies/first_release_then_inspect.toml",
    ))
    .unwrap();
    let after_text = text.replace(
        "lab_test_timing = \"before_release\"",
        "lab_test_timing = \"after_release\"",
    );
    assert_ne!(text, after_text);
    let (before, after) = (model(&text), model(&after_text));
    for (timing, m) in [("before release", &before), ("after release", &after)] {
        close(
            pool_load(m, &m.offered_load(), "zjg_lab_benches"),
            6.0 / 24.0 * 72.0,
            &format!("lab benches busy, testing {timing}"),
        );
    }
    close(
        before.streams[0].choice.prior_h - after.streams[0].choice.prior_h,
        72.0,
        "expected time before release saved",
    );
}

/// A regional centre's pooled review: one officer at one customs, three at
/// another, every declaration reviewed for 15 min on average
/// (`tests/data/pooled_night.toml`, shared with `tests/pooled_review.rs`).
fn pooled_review() -> String {
    std::fs::read_to_string(repo_path("tests/data/pooled_night.toml")).unwrap()
}

#[test]
fn a_pooled_reviews_load_is_shared_by_the_officers_each_pool_has() {
    // 48 a day is 2 /h at the full rate, which the hour-of-day multipliers
    // give 13 night hours of 24; all reviewed, 0.25 h each: 2 × 13/24 ×
    // 0.25 officers busy in all, spread over the pools as their
    // capacities, 1 : 3 (the centre sends work to the pool that can take it
    // soonest, so in the long run each pool takes its officers' share).
    let busy = 2.0 * 13.0 / 24.0 * 0.25;
    let m = model(&pooled_review());
    let load = m.offered_load();
    close(
        pool_load(&m, &load, "one_officer"),
        busy * 0.25,
        "one officer's pool",
    );
    close(
        pool_load(&m, &load, "three_officers"),
        busy * 0.75,
        "three officers' pool",
    );
}

#[test]
fn region_by_mode_cells_are_reported_only_when_there_are_regions_to_compare() {
    // The region × mode cells feed the heat map of release times across
    // regions; with one region they would repeat the mode's own group.
    let one = model(&pooled_review());
    let groups = one.group_names();
    assert!(groups.contains(&"region=r".to_string()), "{groups:?}");
    assert!(
        !groups.iter().any(|g| g.starts_with("region_mode=")),
        "one region, yet region × mode cells: {groups:?}"
    );
    let two = model(&pooled_review().replace(
        "[[sites]]\nid = \"customs_a\"",
        "[[regions]]\nid = \"other\"\n[[sites]]\nid = \"customs_a\"",
    ));
    let groups = two.group_names();
    assert!(
        groups.contains(&"region_mode=r/regional_integration".to_string()),
        "two regions, no region × mode cell for r: {groups:?}"
    );
}

#[test]
fn a_stream_has_a_group_of_its_own_only_beside_other_streams() {
    // With one stream its group would repeat "all", row for row.
    let one = model(ONE_PORT).group_names();
    assert!(
        !one.iter().any(|g| g.starts_with("stream=")),
        "one stream, yet a stream group: {one:?}"
    );
    let two = model(&format!(
        "{ONE_PORT}[[streams]]\nid = \"t\"\nport = \"port\"\nrate_per_h = 1.0\n"
    ))
    .group_names();
    for id in ["stream=s", "stream=t"] {
        assert!(
            two.contains(&id.to_string()),
            "two streams, no {id}: {two:?}"
        );
    }
}

/// Territorial declaration and release (`tests/data/mode_3.toml`): goods
/// not sent to inspection are released at the port, the inspected ones
/// (a quarter) at home after their inspection there. The two release pools
/// carry 9 × 0.75 × 2 and 9 × 0.25 × 2 busy servers.
#[test]
fn mode_3_releases_at_the_port_what_is_not_inspected_and_the_rest_at_home() {
    let m = model(&std::fs::read_to_string(repo_path("tests/data/mode_3.toml")).unwrap());
    let load = m.offered_load();
    close(
        pool_load(&m, &load, "port_gate"),
        9.0 * 0.75 * 2.0,
        "port_gate",
    );
    close(
        pool_load(&m, &load, "home_gate"),
        9.0 * 0.25 * 2.0,
        "home_gate",
    );
}
