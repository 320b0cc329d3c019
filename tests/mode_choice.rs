//! Importers who may declare under several clearance modes
//! (`alternative_modes`) and choose by expected clearance time: they use
//! only the modes open to their credit class, nobody moves without
//! choosers, and every consignment is accounted for in exactly one mode.
//! Read off real runs of the study file and of variants of its text.

mod common;

use common::{read_reps, refused, repo_path, sweep_text, values};

const STUDY: &str = "scenarios/studies/mode_choice.toml";
const MODES: [&str; 3] = [
    "mode=port_clearance",
    "mode=territorial_declaration_port_release",
    "mode=territorial_declaration_release",
];

fn study() -> String {
    std::fs::read_to_string(repo_path(STUDY)).unwrap()
}

/// The study with every Hangzhou importer choosing, all of one credit
/// class.
fn all_choosing(class: &str) -> String {
    let mix = "credit_mix = { advanced = 0.3, general = 0.6, discredited = 0.1 }";
    let one_class = match class {
        "advanced" => "credit_mix = { advanced = 1.0, general = 0.0, discredited = 0.0 }",
        "general" => "credit_mix = { advanced = 0.0, general = 1.0, discredited = 0.0 }",
        _ => "credit_mix = { advanced = 0.0, general = 0.0, discredited = 1.0 }",
    };
    let text = study();
    let at = text.find("id = \"hangzhou_importers\"").unwrap();
    let (head, tail) = text.split_at(at);
    assert!(tail.contains(mix) && tail.contains("time_choice_share = 0.0 "));
    let tail = tail
        .replacen("time_choice_share = 0.0 ", "time_choice_share = 1.0 ", 1)
        .replacen(mix, one_class, 1);
    format!("{head}{tail}")
}

/// Arrivals in `group` per replication of `variant`.
fn arrived(reps: &common::Reps, variant: &str, group: &str) -> Vec<f64> {
    values(reps, variant, group, "arrived").to_vec()
}

#[test]
fn choosers_use_only_the_modes_open_to_their_credit_class() {
    // Mode 3 is open only to advanced-certified importers, mode 2 to all but
    // the discredited (policy.mode_eligibility). Without eligibility every
    // class may take every mode; choosers then do use the closed ones, so
    // the zero below is the rule's doing, not the queues'.
    for (class, closed) in [("discredited", &MODES[1..]), ("general", &MODES[2..])] {
        let (_dir, reps) = sweep_text(
            &all_choosing(class),
            &["policy.mode_eligibility=true,false"],
        );
        for mode in closed {
            let on = arrived(&reps, "policy.mode_eligibility=true", mode);
            let off = arrived(&reps, "policy.mode_eligibility=false", mode);
            assert!(on.iter().all(|a| *a == 0.0), "{class} under {mode}: {on:?}");
            assert!(
                off.iter().sum::<f64>() > 0.0,
                "{class} under {mode}, no eligibility: {off:?}"
            );
        }
    }
}

#[test]
fn nobody_moves_without_choosers_and_each_consignment_is_in_one_mode() {
    let dir = tempfile::tempdir().unwrap();
    common::ok(&[
        "run",
        repo_path(STUDY).to_str().unwrap(),
        "--out",
        dir.path().to_str().unwrap(),
        "--quiet",
    ]);
    let reps = read_reps(dir.path());
    let variants: std::collections::BTreeSet<&str> =
        reps.keys().map(|(v, _, _)| v.as_str()).collect();
    assert_eq!(variants.len(), 8, "a ladder of 3 reforms has 2^3 variants");
    let base = "0 base";
    // Before the ladder nobody chooses: no consignment under modes 2 and 3.
    for mode in &MODES[1..] {
        let a = arrived(&reps, base, mode);
        assert!(a.iter().all(|x| *x == 0.0), "{mode}: {a:?}");
    }
    let shanghai = arrived(&reps, base, "stream=shanghai_importers");
    let hangzhou = arrived(&reps, base, "stream=hangzhou_importers");
    let mut moved = 0.0;
    for v in &variants {
        // Choice moves consignments between modes, never creates or drops
        // one: each stream's arrivals are the base's (common random
        // numbers), and the modes' arrivals add up to all of them.
        assert_eq!(
            arrived(&reps, v, "stream=shanghai_importers"),
            shanghai,
            "{v}"
        );
        assert_eq!(
            arrived(&reps, v, "stream=hangzhou_importers"),
            hangzhou,
            "{v}"
        );
        let all = arrived(&reps, v, "all");
        for r in 0..all.len() {
            let by_mode: f64 = MODES.iter().map(|m| arrived(&reps, v, m)[r]).sum();
            assert_eq!(by_mode, all[r], "{v}, replication {r}");
            // Shanghai's importers have no home elsewhere: whatever is
            // under modes 2 and 3 is Hangzhou's.
            let away = by_mode - arrived(&reps, v, MODES[0])[r];
            assert!(
                away <= hangzhou[r],
                "{v}, replication {r}: {away} > {}",
                hangzhou[r]
            );
            moved += away;
            // Conservation in every mode group.
            for m in MODES {
                let get = |metric: &str| values(&reps, v, m, metric)[r];
                assert_eq!(
                    get("arrived"),
                    get("released") + get("seized") + get("in_system_end"),
                    "{v}, {m}, replication {r}"
                );
            }
        }
    }
    assert!(moved > 0.0, "choosers moved nothing in any variant");
    // docs/model.md: with every Hangzhou importer choosing, most go to
    // mode 2 (its review queue at Hangzhou is the shorter one).
    let every = "2 +Every Hangzhou importer chooses";
    let mode2: f64 = arrived(&reps, every, MODES[1]).iter().sum();
    let total: f64 = hangzhou.iter().sum();
    println!("mode 2 takes {mode2} of {total} Hangzhou declarations");
    assert!(mode2 > 0.5 * total, "mode 2 takes {mode2} of {total}");
    common::assert_quoted(
        "docs/model.md",
        &format!(
            "{} of {} over the {} replications",
            common::with_commas(mode2, 0),
            common::with_commas(total, 0),
            hangzhou.len()
        ),
    );
}

#[test]
fn bad_alternative_modes_are_located_errors() {
    let study = study();
    let line = "alternative_modes = [\"territorial_declaration_port_release\", \"territorial_declaration_release\"]";
    assert!(study.contains(line));
    let with = |list: &str| study.replacen(line, &format!("alternative_modes = {list}"), 1);
    for (list, expected) in [
        (
            "[\"port_clearence\"]",
            "streams[1].alternative_modes[0]: unknown clearance mode \"port_clearence\"; expected one of port_clearance,",
        ),
        (
            "[\"port_clearance\"]",
            "streams[1].alternative_modes[0]: \"port_clearance\" is the stream's own mode",
        ),
        (
            "[\"customs_transit\", \"customs_transit\"]",
            "streams[1].alternative_modes[1]: \"customs_transit\" is listed twice",
        ),
        (
            "[\"regional_integration\"]",
            "streams[1].alternative_modes[0]: mode regional_integration cannot route this stream from port \"yangshan_port\":",
        ),
    ] {
        let err = refused(&with(list));
        assert!(err.contains(expected), "{list}: {err}");
    }
    // A mode that needs the importer's home customs, on a stream without
    // one.
    let text = study.replacen(
        "mode = \"port_clearance\"\nrate_per_day = 400",
        "mode = \"port_clearance\"\nalternative_modes = [\"customs_transit\"]\nrate_per_day = 400",
        1,
    );
    let err = refused(&text);
    assert!(
        err.contains("streams[0].alternative_modes[0]: mode customs_transit needs the importer's home customs"),
        "{err}"
    );
}

#[test]
fn an_imposed_mode_leaves_nothing_to_choose() {
    // `policy.mode` in the file: the list has no effect, and validation
    // says so.
    let text = study().replacen("[policy]\n", "[policy]\nmode = \"port_clearance\"\n", 1);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("imposed.toml");
    std::fs::write(&file, text).unwrap();
    let out = common::clearsim(&["validate", file.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("warning: streams[1].alternative_modes: has no effect: policy.mode imposes port_clearance"),
        "{err}"
    );
    // `compare`: each mode is applied to every stream that can take it, so
    // under port clearance nobody is under another mode, even with every
    // Hangzhou importer choosing.
    let file2 = tempfile::tempdir().unwrap();
    let path = file2.path().join("all.toml");
    std::fs::write(&path, all_choosing("advanced")).unwrap();
    let out = file2.path().join("out");
    common::ok(&[
        "compare",
        path.to_str().unwrap(),
        "--modes",
        "port_clearance,territorial_declaration_release",
        "--reps",
        "2",
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    let reps = read_reps(&out);
    // Under port clearance only the port-clearance group exists; under
    // mode 3, the Hangzhou importers are all there.
    let under =
        |variant: &str, group: &str| reps.get(&(variant.into(), group.into(), "arrived".into()));
    let all = arrived(&reps, "port_clearance", "all");
    assert_eq!(under("port_clearance", MODES[0]), Some(&all));
    for mode in &MODES[1..] {
        assert_eq!(under("port_clearance", mode), None, "{mode}");
    }
    assert_eq!(
        under("territorial_declaration_release", MODES[2]),
        Some(&arrived(
            &reps,
            "territorial_declaration_release",
            "stream=hangzhou_importers"
        ))
    );
}
