//! Importers who choose their port by expected clearance time
//! (`time_choice_share`): who moves, what it does to the congested port,
//! and the herding that follows when everyone watches the same lagging
//! figures. Read off real sweeps of the study file, with paired intervals
//! (the sweep's variants share their replication seeds).

mod common;

use common::{ok, paired_above, read_reps, repo_path, values};

const STUDY: &str = "scenarios/studies/port_choice.toml";

/// Only Yangshan's importers choose; Ningbo's keep to their port, so every
/// consignment at Ningbo beyond its own stream's came from Yangshan.
const KEY: &str = "streams.yangshan_importers.time_choice_share";

#[test]
fn choosers_move_to_the_quicker_port_and_herd_when_all_choose() {
    let dir = tempfile::tempdir().unwrap();
    let file = repo_path(STUDY);
    ok(&[
        "sweep",
        file.to_str().unwrap(),
        "--out",
        dir.path().to_str().unwrap(),
        "--quiet",
        "--set",
        &format!("{KEY}=0,0.2,1"),
    ]);
    let reps = read_reps(dir.path());
    let variant = |share: &str| format!("{KEY}={share}");
    let moved = |share: &str| -> Vec<f64> {
        let v = variant(share);
        let at_ningbo = values(&reps, &v, "port=ningbo_port", "arrived");
        let ningbo_own = values(&reps, &v, "stream=ningbo_importers", "arrived");
        at_ningbo
            .iter()
            .zip(ningbo_own)
            .map(|(a, b)| a - b)
            .collect()
    };

    // Nobody chooses: nobody moves, in any replication.
    assert!(moved("0").iter().all(|m| *m == 0.0), "{:?}", moved("0"));

    // A fifth choose: some move, never more than the choosers.
    let yangshan = values(
        &reps,
        &variant("0.2"),
        "stream=yangshan_importers",
        "arrived",
    );
    for (m, n) in moved("0.2").iter().zip(yangshan) {
        assert!(*m > 0.0 && *m <= 0.2 * n, "moved {m} of {n} arrivals");
    }
    // ... and Yangshan's importers are released sooner than when none
    // choose, on the same consignments.
    let release = |share: &str, group: &str| {
        values(&reps, &variant(share), group, "release_time_mean_h").to_vec()
    };
    paired_above(
        "Yangshan importers' release time, no choosers − a fifth",
        &release("0", "stream=yangshan_importers"),
        &release("0.2", "stream=yangshan_importers"),
    );

    // Everyone chooses on the same lagging estimate: they pile onto
    // whichever port looked quicker, and the average release time is worse
    // than with a fifth choosing. Herding comes out of the run; nothing in
    // the file sets it.
    paired_above(
        "release time, everyone chooses − a fifth",
        &release("1", "all"),
        &release("0.2", "all"),
    );
}

#[test]
fn bad_choice_keys_are_located_errors() {
    let text = std::fs::read_to_string(repo_path(STUDY))
        .unwrap()
        .replacen("time_choice_share = 0.0 ", "time_choice_share = 1.5 ", 1)
        .replacen(
            "alternative_ports = [\"yangshan_port\"]",
            "alternative_ports = [\"yangshan_port\"]\ntime_learning = 0",
            1,
        );
    let err = common::refused(&text);
    assert!(
        err.contains("streams[0].time_choice_share: got 1.5; expected a number from 0 to 1"),
        "{err}"
    );
    assert!(
        err.contains("streams[1].time_learning: got 0; expected a number > 0 and <= 1"),
        "{err}"
    );
}

/// Two identical ports, every importer choosing by expected clearance
/// time, and the run stopped at 9 h, before the first release (lodgement
/// takes 10 h): nobody has heard of a release, the two estimates are the
/// same, and a tie keeps the usual port (moving has a cost). Every
/// consignment arrives at the usual port.
#[test]
fn a_tie_between_ports_keeps_the_usual_one() {
    let port = |id: &str| {
        format!(
            "[[sites]]\nid = \"{id}\"\nkind = \"sea_port\"\n[sites.steps.lodgement]\n\
             duration = {{ dist = \"deterministic\", value = 10.0 }}\n"
        )
    };
    let text = format!(
        "name = \"tie\"\nhorizon_h = 9\nreplications = 3\n\
         [policy]\nreview_rate = 0.0\ninspection_rate = 0.0\n\
         {}{}\
         [[streams]]\nid = \"importers\"\nport = \"usual\"\nrate_per_h = 5.0\n\
         alternative_ports = [\"other\"]\ntime_choice_share = 1.0\n",
        port("usual"),
        port("other")
    );
    let reps = read_reps(&common::run_text(&text).out);
    let arrived = |port: &str| values(&reps, "base", &format!("port={port}"), "arrived").to_vec();
    let (usual, other) = (arrived("usual"), arrived("other"));
    for r in 0..usual.len() {
        assert!(usual[r] > 10.0, "replication {r}: {} arrivals", usual[r]);
        assert_eq!(other[r], 0.0, "replication {r}: moved on a tie");
    }
}
