//! Time Release Study attribution by party, pre-arrival processing of
//! advance declarations, the port's discharge, supervision certificates and
//! GACC's overall clearance time, on a file whose durations are all fixed,
//! so every party's time is known to the minute.

mod common;
use common::{read_summary, row};

/// Three streams at one port, every step a fixed delay, everything
/// reviewed, nothing inspected:
/// certificates 5 h (other agency) → lodgement 2 h (trader) → review 1 h
/// (customs) → tax 0.5 h (trader) → release 3 h (logistics), with the
/// port's discharge taking 10 h from arrival.
const FIXED: &str = r#"
name = "time_release_fixed"
seed = 5
replications = 2
horizon_days = 20
warmup_days = 2

[policy]
review_rate = 1.0
inspection_rate = 0.0

[[sites]]
id = "port"
kind = "sea_port"
[sites.steps.certificates]
duration = { dist = "deterministic", value = 5.0 }
[sites.steps.lodgement]
duration = { dist = "deterministic", value = 2.0 }
[sites.steps.review]
duration = { dist = "deterministic", value = 1.0 }
[sites.steps.tax]
duration = { dist = "deterministic", value = 0.5 }
[sites.steps.release]
duration = { dist = "deterministic", value = 3.0 }
[sites.steps.discharge]
duration = { dist = "deterministic", value = 10.0 }

# Declared after arrival: the paperwork (8.5 h) runs alongside discharge
# (10 h); the goods are then waited for 1.5 h.
[[streams]]
id = "after_arrival"
port = "port"
rate_per_h = 2
certificate_share = 1.0

# Declared 24 h ahead: certificates, review and tax are done before the
# goods arrive; from arrival only discharge and release remain.
[[streams]]
id = "a_day_ahead"
port = "port"
rate_per_h = 2
certificate_share = 1.0
advance_declaration_share = 1.0
advance_lead = { dist = "deterministic", value = 24.0 }

# Two-step declaration: the summary takes a quarter of the lodgement time
# (0.5 h); the review and the tax come with the complete declaration, after
# release; the goods are then waited for 4.5 h.
[[streams]]
id = "two_step"
port = "port"
rate_per_h = 2
certificate_share = 1.0
two_step_share = 1.0

# Two-step declaration is not open to discredited importers: declared and
# cleared as after_arrival.
[[streams]]
id = "two_step_refused"
port = "port"
rate_per_h = 2
certificate_share = 1.0
two_step_share = 1.0
credit_mix = { discredited = 1.0, general = 0.0 }

# Declared 6 h ahead: the paperwork after lodgement (6.5 h) ends 0.5 h
# after arrival, in the tax step.
[[streams]]
id = "six_hours_ahead"
port = "port"
rate_per_h = 2
certificate_share = 1.0
advance_declaration_share = 1.0
advance_lead = { dist = "deterministic", value = 6.0 }
"#;

fn close(label: &str, got: f64, want: f64) {
    println!("{label}: {got} (expected {want})");
    assert!((got - want).abs() < 1e-9, "{label}: {got}, expected {want}");
}

/// Quantiles come from a histogram with three significant digits.
fn close_quantile(label: &str, got: f64, want: f64) {
    println!("{label}: {got} (expected {want})");
    assert!(
        (got - want).abs() <= 1e-3 * want.max(1.0),
        "{label}: {got}, expected {want}"
    );
}

#[test]
fn each_party_gets_the_time_it_holds_the_goods_up() {
    let run = common::run_text(FIXED);
    let s = read_summary(&run.out);
    // (stream, customs, other agency, trader, logistics, release time,
    // arrival → lodgement)
    let expected = [
        ("after_arrival", 1.0, 5.0, 2.5, 4.5, 10.0, 7.0),
        ("a_day_ahead", 0.0, 0.0, 0.0, 13.0, 10.0, -24.0),
        ("six_hours_ahead", 0.0, 0.0, 0.5, 12.5, 10.0, -6.0),
        ("two_step", 0.0, 5.0, 0.5, 7.5, 10.0, 5.5),
        ("two_step_refused", 1.0, 5.0, 2.5, 4.5, 10.0, 7.0),
    ];
    for (stream, customs, agency, trader, logistics, release, lodgement) in expected {
        let g = format!("stream={stream}");
        let m = |metric: &str| row(&s, &g, metric).mean;
        close(&format!("{g} customs"), m("customs_time_mean_h"), customs);
        close(
            &format!("{g} other agency"),
            m("other_agency_time_mean_h"),
            agency,
        );
        close(&format!("{g} trader"), m("trader_time_mean_h"), trader);
        close(
            &format!("{g} logistics"),
            m("logistics_time_mean_h"),
            logistics,
        );
        close(&format!("{g} release"), m("release_time_mean_h"), release);
        close(
            &format!("{g} arrival → lodgement"),
            m("arrival_to_lodgement_mean_h"),
            lodgement,
        );
        // Arrival of the means of transport to leaving customs control.
        close(
            &format!("{g} overall"),
            m("overall_clearance_time_mean_h"),
            13.0,
        );
        close_quantile(
            &format!("{g} overall p90"),
            m("overall_clearance_time_p90_h"),
            13.0,
        );
        close_quantile(&format!("{g} trader p90"), m("trader_time_p90_h"), trader);
    }
}

/// GACC's overall clearance time counts general-trade declarations only:
/// a parcel stream leaves it undefined, and a mixed group gives the
/// general-trade figure.
#[test]
fn the_overall_clearance_time_counts_general_trade_only() {
    let run = common::run_text(&format!(
        "{FIXED}
[[sites]]
id = \"parcel_site\"
kind = \"ecommerce_site\"
[sites.steps.lodgement]
duration = {{ dist = \"deterministic\", value = 0.1 }}

[[streams]]
id = \"parcels\"
channel = \"ecommerce_9610\"
port = \"parcel_site\"
rate_per_h = 50
"
    ));
    let s = read_summary(&run.out);
    let parcels = row(&s, "stream=parcels", "overall_clearance_time_mean_h");
    assert!(parcels.mean.is_nan(), "parcels: {parcels:?}");
    close(
        "all, overall",
        row(&s, "all", "overall_clearance_time_mean_h").mean,
        13.0,
    );
    close(
        "general trade cleared within 24 h",
        row(&s, "all", "overall_cleared_within_24h_share").mean,
        1.0,
    );
    // Parcels' release times pull the all-channel release time down; the
    // GACC figure is untouched by them.
    assert!(row(&s, "all", "release_time_mean_h").mean < 5.0);
}

/// Ship-side direct pick-up: an advance declaration released before the
/// box reaches the yard leaves from the ship, `direct_pickup` after arrival;
/// a box declared after arrival goes through the yard as before.
#[test]
fn ship_side_pickup_skips_the_yard_only_for_boxes_released_in_time() {
    let text = FIXED
        .replace(
            "[sites.steps.discharge]\nduration = { dist = \"deterministic\", value = 10.0 }",
            "[sites.steps.discharge]\nduration = { dist = \"deterministic\", value = 10.0 }\n\
             direct_pickup = { dist = \"deterministic\", value = 0.5 }",
        )
        .replace(
            "advance_lead = { dist = \"deterministic\", value = 24.0 }",
            "advance_lead = { dist = \"deterministic\", value = 24.0 }\ndirect_pickup_share = 1.0",
        )
        .replace(
            "id = \"after_arrival\"\nport = \"port\"",
            "id = \"after_arrival\"\nport = \"port\"\ndirect_pickup_share = 1.0",
        )
        .replace(
            "advance_lead = { dist = \"deterministic\", value = 6.0 }",
            "advance_lead = { dist = \"deterministic\", value = 6.0 }\ndirect_pickup_share = 1.0",
        );
    let s = read_summary(&common::run_text(&text).out);
    let m = |g: &str, metric: &str| row(&s, &format!("stream={g}"), metric).mean;
    // Declared a day ahead: everything done before arrival, the box is
    // lifted half an hour after the ship arrives.
    close(
        "a day ahead, overall",
        m("a_day_ahead", "overall_clearance_time_mean_h"),
        0.5,
    );
    close(
        "a day ahead, release",
        m("a_day_ahead", "release_time_mean_h"),
        0.0,
    );
    close(
        "a day ahead, logistics",
        m("a_day_ahead", "logistics_time_mean_h"),
        0.5,
    );
    // Declared after arrival: booked, but ship-side pick-up needs an
    // advance declaration, so the box goes through the yard as before.
    close(
        "after arrival, overall",
        m("after_arrival", "overall_clearance_time_mean_h"),
        13.0,
    );
    // Declared six hours ahead: the papers finish half an hour after
    // arrival, just as the box comes off the ship: lifted then.
    close(
        "six hours ahead, overall",
        m("six_hours_ahead", "overall_clearance_time_mean_h"),
        0.5,
    );
    close(
        "six hours ahead, trader",
        m("six_hours_ahead", "trader_time_mean_h"),
        0.5,
    );
}

/// A stream whose goods need a supervision certificate only in part: the
/// other agency's 5 h falls on that share of its consignments, so its mean
/// other-agency time is 5 h × the share needing one, which, with one draw
/// per consignment, is binomial.
#[test]
fn only_the_certificate_share_waits_for_the_other_agency() {
    let text = format!(
        "{FIXED}
[[streams]]
id = \"some_certificates\"
port = \"port\"
rate_per_h = 2
certificate_share = 0.4
"
    );
    let reps = common::read_reps(&common::run_text(&text).out);
    let get = |m: &str| common::values(&reps, "base", "stream=some_certificates", m).to_vec();
    let (agency, released) = (get("other_agency_time_mean_h"), get("released"));
    for (r, (agency, n)) in agency.iter().zip(&released).enumerate() {
        let share = agency / 5.0;
        let slack = 4.0 * (0.4 * 0.6 / n).sqrt();
        assert!(
            (share - 0.4).abs() <= slack,
            "replication {r}: {share} of {n} consignments waited for a certificate, not 0.4 ± {slack}"
        );
    }
}
