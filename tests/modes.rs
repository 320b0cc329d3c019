//! The clearance modes on the same demand (`scenarios/modes/`): behaviour a
//! customs official would recognise, each shown with replications and
//! confidence intervals rather than a single run.

mod common;

use std::collections::HashMap;

use common::{Row, clearly_above, read_summary, repo_path, row, run_ok};

type Summary = HashMap<(String, String), Row>;

fn run_mode(mode: &str) -> Summary {
    let dir = tempfile::tempdir().unwrap();
    run_ok(&format!("scenarios/modes/{mode}.toml"), dir.path(), &[]);
    read_summary(dir.path())
}

#[test]
fn customs_transit_releases_later_than_port_clearance() {
    let transit = run_mode("customs_transit");
    let port = run_mode("port_clearance");
    clearly_above(
        "mean release time, transit vs port clearance [h]",
        row(&transit, "all", "release_time_mean_h"),
        row(&port, "all", "release_time_mean_h"),
    );
    // Transit clears at the destination: the port's pools stay idle.
    assert_eq!(
        row(&transit, "resource=yangshan_inspection_teams", "started").mean,
        0.0
    );
    // ... and the destination examines what the port would have: the same
    // consignments are flagged under both (common random numbers).
    same_count(
        "inspections started, transit at Hangzhou vs port clearance at Yangshan",
        row(&transit, "resource=hangzhou_inspection_teams", "started"),
        row(&port, "resource=yangshan_inspection_teams", "started"),
    );
}

/// Two counts of the same flagged consignments under two modes agree
/// within the sum of their 95% half-widths. Common random numbers make
/// them nearly equal; they differ only by the consignments that start
/// service on the other side of the warm-up or the horizon, so the
/// unpaired bound is generous but derived, and a mode that dropped or
/// doubled the inspections moved to it (about 290 per replication here)
/// fails it.
fn same_count(label: &str, a: Row, b: Row) {
    println!(
        "{label}: {:.1} ± {:.1} vs {:.1} ± {:.1}",
        a.mean, a.half_width, b.mean, b.half_width
    );
    assert!(a.mean > 0.0, "{label}: none started");
    assert!(
        (a.mean - b.mean).abs() <= a.half_width + b.half_width,
        "{label}: {} ± {} vs {} ± {}",
        a.mean,
        a.half_width,
        b.mean,
        b.half_width
    );
}

#[test]
fn regional_integration_beats_territorial_declaration_with_coordination_delay() {
    let regional = run_mode("regional_integration");
    let territorial = run_mode("territorial_declaration_port_release");
    clearly_above(
        "mean release time, territorial+port release vs regional [h]",
        row(&territorial, "all", "release_time_mean_h"),
        row(&regional, "all", "release_time_mean_h"),
    );
    clearly_above(
        "p90 release time, territorial+port release vs regional [h]",
        row(&territorial, "all", "release_time_p90_h"),
        row(&regional, "all", "release_time_p90_h"),
    );
    // Regional review is shared out over both customs' reviewers (the
    // centre pools them); territorial review uses the home customs' only.
    for pool in ["resource=yangshan_reviewers", "resource=hangzhou_reviewers"] {
        assert!(row(&regional, pool, "started").mean > 0.0, "{pool}");
    }
    assert!(row(&territorial, "resource=hangzhou_reviewers", "started").mean > 0.0);
    assert_eq!(
        row(&territorial, "resource=yangshan_reviewers", "started").mean,
        0.0
    );
}

/// The same staff and office hours under both modes: regional integration
/// is faster only because its centre pools the two customs' reviewers into
/// one regional queue. Paired over common random numbers.
#[test]
fn pooled_regional_review_beats_port_clearance_with_the_same_staff_and_hours() {
    let dir = tempfile::tempdir().unwrap();
    let file = repo_path("scenarios/modes/regional_integration.toml");
    common::ok(&[
        "compare",
        file.to_str().unwrap(),
        "--modes",
        "port_clearance,regional_integration",
        "--out",
        dir.path().to_str().unwrap(),
        "--quiet",
    ]);
    let mut r = csv::Reader::from_path(dir.path().join("comparison.csv")).unwrap();
    let (diff, half) = r
        .records()
        .map(|rec| rec.unwrap())
        .find(|rec| &rec[2] == "all" && &rec[3] == "release_time_mean_h")
        .map(|rec| {
            (
                rec[4].parse::<f64>().unwrap(),
                rec[5].parse::<f64>().unwrap(),
            )
        })
        .expect("a paired difference of release time");
    println!("regional integration − port clearance: {diff:.3} ± {half:.3} h");
    assert!(diff + half < 0.0, "{diff} ± {half}");
}

#[test]
fn territorial_release_inspects_at_home_and_releases_the_rest_at_the_port() {
    let s = run_mode("territorial_declaration_release");
    let port = run_mode("port_clearance");
    same_count(
        "inspections started, territorial release at Hangzhou vs port clearance at Yangshan",
        row(&s, "resource=hangzhou_inspection_teams", "started"),
        row(&port, "resource=yangshan_inspection_teams", "started"),
    );
    assert_eq!(
        row(&s, "resource=yangshan_inspection_teams", "started").mean,
        0.0
    );
}

/// Expected arrivals in the observation window of a mode's file: its one
/// stream's `rate_per_day` × the mean of its `hour_of_day` multipliers ×
/// the whole days from warm-up to horizon (no peaks, no weekday profile).
fn expected_arrivals(mode: &str) -> f64 {
    let text = std::fs::read_to_string(repo_path(&format!("scenarios/modes/{mode}.toml"))).unwrap();
    let file: toml::Value = toml::from_str(&text).unwrap();
    let streams = file["streams"].as_array().unwrap();
    assert_eq!(streams.len(), 1, "{mode}: one stream");
    let stream = &streams[0];
    assert!(stream.get("peaks").is_none() && stream.get("day_of_week").is_none());
    let number = |v: &toml::Value| v.as_float().or(v.as_integer().map(|i| i as f64)).unwrap();
    let hours: Vec<f64> = stream["hour_of_day"]
        .as_array()
        .unwrap()
        .iter()
        .map(number)
        .collect();
    assert_eq!(hours.len(), 24);
    let days = number(&file["horizon_days"]) - number(&file["warmup_days"]);
    number(&stream["rate_per_day"]) * hours.iter().sum::<f64>() / 24.0 * days
}

#[test]
fn each_mode_reports_its_groups_and_conserves_consignments() {
    for mode in [
        "port_clearance",
        "territorial_declaration_port_release",
        "territorial_declaration_release",
        "customs_transit",
        "regional_integration",
    ] {
        let s = run_mode(mode);
        let expected = expected_arrivals(mode);
        let group = format!("mode={mode}");
        let customs = if mode == "port_clearance" {
            "shanghai_customs"
        } else {
            "hangzhou_customs"
        };
        for g in [
            group.as_str(),
            "region=yangtze",
            "port=yangshan_port",
            &format!("customs={customs}"),
        ] {
            let a = row(&s, g, "arrived");
            let arrived = a.mean;
            let accounted = row(&s, g, "released").mean
                + row(&s, g, "seized").mean
                + row(&s, g, "in_system_end").mean;
            // Arrivals in the window: the file's rate integrated over it,
            // within the replications' 95% interval.
            assert!(
                (arrived - expected).abs() <= a.half_width,
                "{mode}/{g}: arrived {arrived} ± {}, expected {expected}",
                a.half_width
            );
            assert!(
                (arrived - accounted).abs() < 1e-6,
                "{mode}/{g}: {arrived} vs {accounted}"
            );
        }
    }
}

/// Runs `scenarios/modes/customs_transit.toml` with `diversion_share` on its
/// link and more non-compliance, returning summary and per-replication
/// leakage.
fn transit_with_diversion(share: f64) -> (HashMap<(String, String), Row>, Vec<f64>) {
    let text = std::fs::read_to_string(repo_path("scenarios/modes/customs_transit.toml"))
        .unwrap()
        .replace(
            "duration = { dist = \"lognormal\", mean = 5.0, sd = 1.5 }",
            &format!(
                "duration = {{ dist = \"lognormal\", mean = 5.0, sd = 1.5 }}\ndiversion_share = {share}"
            ),
        )
        .replace(
            "prohibited_share = 0.002",
            "prohibited_share = 0.01\nundervalued_share = 0.03",
        );
    assert!(text.contains("diversion_share"));
    let ran = common::run_text(&text);
    let leak = common::values(&common::read_reps(&ran.out), "base", "all", "leakage").to_vec();
    (read_summary(&ran.out), leak)
}

#[test]
fn goods_diverted_under_seal_leak_unless_the_seal_check_catches_them() {
    let (none, none_leak) = transit_with_diversion(0.0);
    let (half, half_leak) = transit_with_diversion(0.5);
    // Same consignments (common random numbers): half the loads diverted,
    // one in five of those missed by the seal check, leak in every
    // replication.
    println!("leakage {none_leak:?} → {half_leak:?}");
    assert!(half_leak.iter().zip(&none_leak).all(|(h, n)| h > n));
    clearly_above(
        "revenue evaded with diversion vs without",
        row(&half, "all", "revenue_evaded_yuan"),
        row(&none, "all", "revenue_evaded_yuan"),
    );
    // The seal check catches four in five: seizures rise too.
    clearly_above(
        "seizures with diversion vs without",
        row(&half, "all", "seized"),
        row(&none, "all", "seized"),
    );
    for s in [&none, &half] {
        let n = |m: &str| row(s, "all", m).mean;
        assert!((n("arrived") - n("released") - n("seized") - n("in_system_end")).abs() < 1e-9);
    }
}

/// Runs the territorial-release teaching file with a mixed credit mix.
fn territorial_release_with_mix(eligibility: bool) -> HashMap<(String, String), Row> {
    let text = std::fs::read_to_string(repo_path(
        "scenarios/modes/territorial_declaration_release.toml",
    ))
    .unwrap()
    .replace(
        "credit_mix = { advanced = 1.0, general = 0.0 }",
        "credit_mix = { advanced = 0.3, general = 0.6, discredited = 0.1 }",
    )
    .replace(
        "[policy]\n",
        &format!("[policy]\nmode_eligibility = {eligibility}\n"),
    );
    read_summary(&common::run_text(&text).out)
}

/// Territorial declaration and release is for AA importers, territorial
/// declaration with port release for all but the discredited: the others
/// fall back, each class to the first mode open to it.
#[test]
fn importers_use_only_the_modes_their_credit_class_is_eligible_for() {
    let s = territorial_release_with_mix(true);
    let arrived = |g: &str| row(&s, g, "arrived").mean;
    let all = arrived("all");
    let share = |mode: &str| arrived(&format!("mode={mode}")) / all;
    let (m3, m2, m1) = (
        share("territorial_declaration_release"),
        share("territorial_declaration_port_release"),
        share("port_clearance"),
    );
    println!("shares: mode 3 {m3:.3}, mode 2 {m2:.3}, mode 1 {m1:.3}");
    assert!((m3 - 0.3).abs() < 0.02 && (m2 - 0.6).abs() < 0.02 && (m1 - 0.1).abs() < 0.02);
    assert_eq!(
        arrived("credit=advanced"),
        arrived("mode=territorial_declaration_release")
    );
    // Every consignment is in exactly one mode.
    assert!((m3 + m2 + m1 - 1.0).abs() < 1e-12);
    // Without the rule everyone uses the written mode.
    let open = territorial_release_with_mix(false);
    assert_eq!(
        row(&open, "mode=territorial_declaration_release", "arrived").mean,
        row(&open, "all", "arrived").mean
    );
}
