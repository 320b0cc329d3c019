//! `clearsim demo`: the trainers' demonstration, run through the real binary.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::{MODES, clearsim, repo_path};

/// Runs `clearsim demo ARGS --out DIR`, asserting success; returns stdout.
fn demo_ok(out: &Path, args: &[&str]) -> String {
    let mut all = vec!["demo", "--out", out.to_str().unwrap()];
    all.extend_from_slice(args);
    let o = clearsim(&all);
    assert!(
        o.status.success(),
        "clearsim {all:?} failed with {:?}\nstdout:\n{}\nstderr:\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

/// The consignment numbers a narration follows ("#1234").
fn followed(stdout: &str) -> BTreeSet<String> {
    stdout
        .split_whitespace()
        .filter(|w| w.starts_with('#') && w[1..].chars().all(|c| c.is_ascii_digit()))
        .map(str::to_string)
        .collect()
}

#[test]
fn every_mode_and_every_site_is_narrated_and_drawn() {
    let dir = tempfile::tempdir().unwrap();
    let stdout = demo_ok(dir.path(), &[]);
    for mode in MODES {
        assert!(
            stdout.contains(&format!("== Mode: {mode} ")),
            "{mode}\n{stdout}"
        );
        let svg = dir.path().join(format!("demo_{mode}.svg"));
        assert!(svg.exists(), "{}", svg.display());
        assert!(dir.path().join(format!("demo_{mode}.png")).exists());
    }
    for site in [
        "yangshan_port",
        "shanghai_ecommerce",
        "waigaoqiao_bonded",
        "shanghai_postal",
        "hangzhou_customs",
        "yangtze_centre",
    ] {
        assert!(stdout.contains(site), "{site} missing\n{stdout}");
    }
    for channel in ["general_trade", "ecommerce_9610", "bonded_1210", "postal"] {
        assert!(
            stdout.contains(&format!("{channel} #")),
            "{channel}\n{stdout}"
        );
    }
    assert!(stdout.contains("decision and why"));
    assert_eq!(followed(&stdout).len(), 4, "one consignment per channel");
}

#[test]
fn same_seed_gives_identical_text_and_charts() {
    let dir = tempfile::tempdir().unwrap();
    let read = |mode: &str| std::fs::read(dir.path().join(format!("demo_{mode}.svg"))).unwrap();
    let a = demo_ok(dir.path(), &["--seed", "7"]);
    let svgs: Vec<Vec<u8>> = MODES.iter().map(|m| read(m)).collect();
    let b = demo_ok(dir.path(), &["--seed", "7"]);
    assert_eq!(a, b);
    for (m, svg) in MODES.iter().zip(svgs) {
        assert!(svg == read(m), "{m}: SVG differs between identical runs");
    }
    let c = demo_ok(dir.path(), &["--seed", "8"]);
    assert_ne!(a, c, "another seed follows other consignments");
}

/// Port clearance keeps everything at the port; transit takes the goods to
/// the inland customs. The same consignments appear under both (common
/// random numbers).
#[test]
fn port_clearance_and_transit_differ_on_the_same_consignments() {
    let dir = tempfile::tempdir().unwrap();
    let port = demo_ok(dir.path(), &["--mode", "port_clearance"]);
    let transit = demo_ok(dir.path(), &["--mode", "customs_transit"]);
    assert!(!port.contains("== Mode: customs_transit"));
    assert!(!port.contains("hangzhou_customs"), "{port}");
    assert!(!port.contains("transport"), "{port}");
    for word in [
        "hangzhou_customs",
        "sealing",
        "transport",
        "arrival_confirmation",
    ] {
        assert!(transit.contains(word), "{word}\n{transit}");
    }
    assert_eq!(followed(&port), followed(&transit));
    // Same order regardless of how the modes are listed.
    let both = demo_ok(dir.path(), &["--mode", "customs_transit,port_clearance"]);
    let (t, p) = (
        both.find("== Mode: customs_transit").unwrap(),
        both.find("== Mode: port_clearance").unwrap(),
    );
    assert!(t < p, "modes are shown in the order asked for");
}

#[test]
fn swimlane_svg_is_xml_with_title_and_lanes() {
    let dir = tempfile::tempdir().unwrap();
    demo_ok(
        dir.path(),
        &["--mode", "customs_transit", "--consignments", "2"],
    );
    let text = std::fs::read_to_string(dir.path().join("demo_customs_transit.svg")).unwrap();
    let doc = roxmltree::Document::parse(&text).expect("the SVG is well-formed XML");
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    let texts: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .map(str::trim)
        .collect();
    let has = |s: &str| texts.iter().any(|t| t.contains(s));
    assert!(
        has("How a consignment moves under customs_transit"),
        "{texts:?}"
    );
    assert!(has("hangzhou_customs"), "{texts:?}");
    assert!(has("road → hangzhou_customs"), "{texts:?}");
    // Calendar time on the axis, as the narration writes it.
    assert!(has("calendar time"), "{texts:?}");
    assert!(
        texts.iter().any(|t| t.starts_with("day 3 Wed ")),
        "{texts:?}"
    );
    assert!(!has("since the start"), "{texts:?}");
    // Step names on bars wide enough (transport takes hours).
    assert!(texts.contains(&"transport"), "{texts:?}");
}

#[test]
fn consignments_option_sets_how_many_are_followed() {
    let dir = tempfile::tempdir().unwrap();
    let two = demo_ok(
        dir.path(),
        &["--mode", "port_clearance", "--consignments", "2"],
    );
    assert_eq!(followed(&two).len(), 2, "{two}");
    let six = demo_ok(
        dir.path(),
        &["--mode", "port_clearance", "--consignments", "6"],
    );
    assert_eq!(followed(&six).len(), 6, "{six}");
}

#[test]
fn unknown_mode_exits_2_listing_the_valid_modes() {
    let dir = tempfile::tempdir().unwrap();
    let o = clearsim(&[
        "demo",
        "--mode",
        "teleport",
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("unknown clearance mode \"teleport\""), "{err}");
    for mode in MODES {
        assert!(err.contains(mode), "{mode} not listed: {err}");
    }
    assert!(o.stdout.is_empty());
}

/// A scenario whose network cannot carry a mode: skipped with a warning
/// under `all`, an input error when asked for by name.
#[test]
fn modes_the_network_cannot_carry() {
    let dir = tempfile::tempdir().unwrap();
    let file = repo_path("scenarios/default.toml");
    let file = file.to_str().unwrap();
    let o = clearsim(&["demo", file, "--out", dir.path().to_str().unwrap()]);
    assert!(o.status.success());
    let out = String::from_utf8_lossy(&o.stdout);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(out.contains("== Mode: port_clearance"), "{out}");
    assert!(!out.contains("== Mode: customs_transit"), "{out}");
    assert!(
        err.contains("warning: skipping mode customs_transit"),
        "{err}"
    );
    let o = clearsim(&[
        "demo",
        file,
        "--mode",
        "customs_transit",
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
}

/// scenarios/demo.toml says its seed was chosen so that the four
/// consignments followed show review, scanner, manual inspection and a
/// finding: keep that true.
#[test]
fn the_builtin_demo_shows_review_scanner_manual_inspection_and_a_finding() {
    let dir = tempfile::tempdir().unwrap();
    let o = common::clearsim(&[
        "demo",
        "--mode",
        "port_clearance",
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert!(o.status.success());
    let text = String::from_utf8_lossy(&o.stdout);
    for shown in ["review YES", "by scanner", "by hand"] {
        assert!(text.contains(shown), "{shown} missing from:\n{text}");
    }
    assert!(
        text.contains("seized: prohibited goods found") || text.contains(" found "),
        "no finding in:\n{text}"
    );
}
