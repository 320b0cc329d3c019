//! The national scenario (`scenarios/national.toml`): all 42 directly-
//! affiliated customs in the five integrated regions, every clearance mode,
//! region and channel carrying traffic, consignments conserved in every
//! group, and a file that validates without a single warning.

mod common;

use std::collections::HashMap;

use common::{MODES, Row, clearsim, read_summary, repo_path, row, run_ok};

const SCENARIO: &str = "scenarios/national.toml";

/// Region ids with the number of directly-affiliated customs in each.
const REGIONS: [(&str, usize); 5] = [
    ("jingjinji", 3),
    ("yangtze", 12),
    ("pan_prd", 11),
    ("silk_road", 10),
    ("northeast", 6),
];

const CHANNELS: [&str; 4] = ["general_trade", "ecommerce_9610", "bonded_1210", "postal"];

/// Consignment counts (means over replications) are conserved in `group`:
/// every arrival in the window is released, seized or still in the system.
fn assert_conserved(summary: &HashMap<(String, String), Row>, group: &str) {
    let count = |metric: &str| row(summary, group, metric).mean;
    let arrived = count("arrived");
    let accounted = count("released") + count("seized") + count("in_system_end");
    assert!(
        (arrived - accounted).abs() < 1e-6,
        "{group}: arrived {arrived} but released + seized + in_system_end = {accounted}"
    );
}

#[test]
fn every_mode_region_and_channel_carries_traffic_and_conserves_consignments() {
    let dir = tempfile::tempdir().unwrap();
    run_ok(SCENARIO, dir.path(), &["--reps", "2"]);
    let summary = read_summary(dir.path());

    let groups: Vec<String> = std::iter::once("all".to_string())
        .chain(MODES.iter().map(|m| format!("mode={m}")))
        .chain(REGIONS.iter().map(|(r, _)| format!("region={r}")))
        .chain(CHANNELS.iter().map(|c| format!("channel={c}")))
        .collect();
    for group in &groups {
        let arrived = row(&summary, group, "arrived");
        println!("{group}: arrived {:.1}", arrived.mean);
        assert_eq!(
            arrived.reps, 2,
            "{group}: arrived not defined in both replications"
        );
        assert!(arrived.mean > 0.0, "{group}: nothing arrived");
        assert_conserved(&summary, group);
    }
    // The groups partition the traffic: each family adds up to `all`.
    let all = row(&summary, "all", "arrived").mean;
    for (family, members) in [
        ("mode", &groups[1..6]),
        ("region", &groups[6..11]),
        ("channel", &groups[11..15]),
    ] {
        let total: f64 = members
            .iter()
            .map(|g| row(&summary, g, "arrived").mean)
            .sum();
        assert!(
            (total - all).abs() < 1e-6,
            "{family} groups add up to {total} arrivals, not all's {all}"
        );
    }
    // The region × mode cells add up to `all` too, and the charts mark the
    // Double-11 peak (merged over the streams' overlapping peaks).
    let cells: f64 = summary
        .iter()
        .filter(|((g, m), _)| g.starts_with("region_mode=") && m == "arrived")
        .map(|(_, r)| r.mean)
        .sum();
    assert!(
        (cells - all).abs() < 1e-6,
        "region×mode cells: {cells} vs {all}"
    );
    let manifest = std::fs::read_to_string(dir.path().join("manifest.json")).unwrap();
    assert!(manifest.contains("\"from_h\": 216.0"), "{manifest}");
    let chart = std::fs::read_to_string(dir.path().join("plots/busiest_resources.svg")).unwrap();
    assert!(chart.contains("\ndouble_11\n"), "no Double-11 band label");
    let heat = std::fs::read_to_string(dir.path().join("plots/region_mode_heatmap.svg")).unwrap();
    for (region, _) in REGIONS {
        assert!(
            heat.contains(&format!("\n{region}\n")),
            "heat map lacks {region}"
        );
    }
}

#[test]
fn validates_without_warnings() {
    let path = repo_path(SCENARIO);
    let o = clearsim(&["validate", path.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        o.status.success(),
        "validate failed with {:?}:\n{stderr}",
        o.status.code()
    );
    // Double 11 may build queues for a few days (validate says so, naming
    // the peak); nothing may be overloaded on average.
    let other: Vec<&str> = stderr
        .lines()
        .filter(|l| l.to_lowercase().contains("warning"))
        .filter(|l| !l.contains("during \"double_11\""))
        .collect();
    assert!(other.is_empty(), "validate printed warnings:\n{stderr}");
}

#[test]
fn all_42_customs_are_grouped_in_the_five_integrated_regions() {
    let text = std::fs::read_to_string(repo_path(SCENARIO)).unwrap();
    let doc: toml::Table = text.parse().unwrap();
    assert_eq!(doc["nationwide"].as_bool(), Some(false));
    let regions = doc["regions"].as_array().unwrap();
    assert_eq!(regions.len(), 5);
    for r in regions {
        assert_eq!(r["integrated"].as_bool(), Some(true), "{r:?}");
        assert!(r.get("centre").is_some(), "{r:?} has no centre");
        assert!(
            r.get("coordination_delay").is_some(),
            "{r:?} has no coordination_delay"
        );
    }
    let sites = doc["sites"].as_array().unwrap();
    let customs: Vec<&toml::Value> = sites
        .iter()
        .filter(|s| s["kind"].as_str() == Some("customs"))
        .collect();
    assert_eq!(customs.len(), 42, "directly-affiliated customs");
    for (region, n) in REGIONS {
        let members = customs
            .iter()
            .filter(|s| s["region"].as_str() == Some(region))
            .count();
        assert_eq!(members, n, "customs in region {region}");
    }
}

#[test]
fn compare_runs_all_five_modes_on_the_general_trade_that_can_take_them() {
    let dir = tempfile::tempdir().unwrap();
    let file = repo_path(SCENARIO);
    let o = clearsim(&[
        "compare",
        file.to_str().unwrap(),
        "--modes",
        "all",
        "--reps",
        "2",
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stdout = String::from_utf8_lossy(&o.stdout);
    for mode in MODES {
        assert!(stdout.contains(mode), "{mode} missing from:\n{stdout}");
    }
    // Parcels, bonded and postal streams keep their own mode, and the
    // output says so.
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("streams keep their own mode"), "{err}");
    let manifest = std::fs::read_to_string(dir.path().join("manifest.json")).unwrap();
    assert!(
        manifest.contains("keeps port_clearance instead of customs_transit: a postal stream keeps its own clearance procedure"),
        "{manifest}"
    );
    // Under each mode, the general trade that can take it runs under it.
    let summary = std::fs::read_to_string(dir.path().join("summary.csv")).unwrap();
    for mode in MODES {
        let cell = format!("{mode},mode={mode},arrived,");
        assert!(summary.contains(&cell), "no {cell} in summary.csv");
    }
}
