//! Clearance integration by mechanism: local rulebooks, one regional (or
//! national) rulebook on pooled data, and importers who pick the laxest
//! port. Each effect is read off real runs of the binary, with paired
//! confidence intervals (variants of a sweep share their replication seeds).

mod common;

use std::path::Path;

use common::{Reps, clearsim, ok, paired_above, read_reps, repo_path, run_text, values};

const STUDY: &str = "scenarios/studies/integration_blind_spots.toml";

fn sweep(dir: &Path, settings: &[&str]) -> Reps {
    let file = repo_path(STUDY);
    let mut args = vec![
        "sweep",
        file.to_str().unwrap(),
        "--out",
        dir.to_str().unwrap(),
        "--quiet",
    ];
    for s in settings {
        args.extend(["--set", s]);
    }
    ok(&args);
    read_reps(dir)
}

/// Sweep variants: local rules, and one rulebook (with the study's pooled
/// data gain).
const LOCAL: &str = "regions.jingjinji.integrated=false;policy.pooled_data_gain=1.2";
const INTEGRATED: &str = "regions.jingjinji.integrated=true;policy.pooled_data_gain=1.2";

#[test]
fn integration_closes_the_blind_spots_that_arbitrage_exploits() {
    let dir = tempfile::tempdir().unwrap();
    let reps = sweep(
        dir.path(),
        &[
            "regions.jingjinji.integrated=false,true",
            "policy.pooled_data_gain=1.2",
        ],
    );
    let leak = |v| values(&reps, v, "all", "leakage");
    let saved = paired_above(
        "leakage, local rules − integrated",
        leak(LOCAL),
        leak(INTEGRATED),
    );
    // docs/model.md quotes this: "about 60 fewer leaked consignments".
    assert!((50.0..=75.0).contains(&saved), "{saved}");
    let paired = clearsim::stats::Estimate::from_values(
        leak(LOCAL)
            .iter()
            .zip(leak(INTEGRATED))
            .map(|(l, i)| Some(l - i)),
    );
    common::assert_quoted(
        "docs/model.md",
        &format!(
            "({saved:.1} ± {:.1}, paired over {} replications",
            paired.half_width.unwrap(),
            leak(LOCAL).len()
        ),
    );
    // The study's own ladder reaches the same models by its first two
    // reforms (one rulebook, then pooled data), with the same seeds: their
    // steps add up to the same saving, to the last digit.
    let ladder = dir.path().join("ladder");
    common::run_ok(STUDY, &ladder, &[]);
    let mut r = csv::Reader::from_path(ladder.join("ladder.csv")).unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    // (rung, metric) → (step, step half-width, Shapley).
    let at = |rung: &str, metric: &str| {
        let rec = rows
            .iter()
            .find(|rec| &rec[0] == rung && &rec[5] == metric)
            .unwrap_or_else(|| panic!("no rung {rung} of {metric}"));
        let n = |i: usize| rec[i].parse::<f64>().unwrap();
        (n(8), n(9), n(10))
    };
    let steps = at("1", "leakage").0 + at("2", "leakage").0;
    println!("ladder: one rulebook + pooled data change leakage by {steps}");
    assert!((steps + saved).abs() < 1e-9, "{steps} vs −{saved}");
    // Pooled data helps only under one rulebook: in the orders where it
    // comes first it does nothing, so its Shapley share is smaller.
    let (step, _, shapley) = at("2", "leakage");
    assert!(shapley > step && shapley < 0.0, "{step} vs {shapley}");
    // First release, then review: faster release, more leaking at release
    // (found afterwards instead).
    let (dt, hw, _) = at("3", "release_time_mean_h");
    assert!(dt + hw < 0.0, "release time step {dt} ± {hw}");
    let (dl, hw, _) = at("3", "leakage");
    assert!(dl - hw > 0.0, "leakage step {dl} ± {hw}");
    let (dr, hw, _) = at("3", "revenue_recovered_yuan");
    assert!(dr - hw > 0.0, "recovered step {dr} ± {hw}");
    // The mechanism: under local rules the risky goods crowd into the lax
    // port; under one rulebook nobody has a reason to move.
    let risky = |v| values(&reps, v, "port=huanghua_port", "non_compliant");
    paired_above(
        "non-compliant arrivals at Huanghua, local − integrated",
        risky(LOCAL),
        risky(INTEGRATED),
    );
    // Every port's arrivals under integration are its own stream's.
    assert_eq!(
        values(&reps, INTEGRATED, "port=huanghua_port", "arrived"),
        values(&reps, INTEGRATED, "stream=hebei_importers", "arrived")
    );
    // Conservation in every group of every variant and replication.
    for ((variant, group, metric), arrived) in &reps {
        if metric != "arrived" {
            continue;
        }
        let get = |m: &str| values(&reps, variant, group, m);
        for (k, a) in arrived.iter().enumerate() {
            let out = get("released")[k] + get("seized")[k] + get("in_system_end")[k];
            assert_eq!(*a, out, "{variant} {group} replication {k}");
        }
    }
}

#[test]
fn arbitrage_moves_goods_only_where_rules_differ() {
    let dir = tempfile::tempdir().unwrap();
    let reps = sweep(
        dir.path(),
        &[
            "streams.tianjin_importers.arbitrage_share=0,1",
            "streams.hebei_importers.arbitrage_share=0,1",
            "regions.jingjinji.integrated=false,true",
        ],
    );
    let v = |arb: u8, integrated: bool| {
        format!(
            "streams.tianjin_importers.arbitrage_share={arb};streams.hebei_importers.arbitrage_share={arb};regions.jingjinji.integrated={integrated}"
        )
    };
    // Local rules: arbitrage raises leakage.
    paired_above(
        "leakage under local rules, full − no arbitrage",
        values(&reps, &v(1, false), "all", "leakage"),
        values(&reps, &v(0, false), "all", "leakage"),
    );
    // One rulebook, equal equipment: no port is laxer, nobody moves, and
    // the run is the same consignment for consignment.
    for metric in ["leakage", "arrived", "release_time_mean_h", "inspections"] {
        assert_eq!(
            values(&reps, &v(1, true), "all", metric),
            values(&reps, &v(0, true), "all", metric),
            "{metric}"
        );
    }
}

/// Two regions whose integrated rulebooks differ, as a scenario text.
fn two_regions(nationwide: bool) -> String {
    format!(
        r#"
name = "two_regions"
seed = 7
replications = 4
horizon_days = 20
warmup_days = 2
nationwide = {nationwide}
national_centre = "north_centre"

[policy]
review_rate = 0.1
inspection_rate = 0.05
targeting = "risk_based"

[[regions]]
id = "north"
centre = "north_centre"
[regions.supervision]
inspection_rate = 0.01
review_rate = 0.02
discrimination = 0.5

[[regions]]
id = "south"
centre = "south_centre"
[regions.supervision]
inspection_rate = 0.12
review_rate = 0.3

[[sites]]
id = "north_centre"
kind = "clearance_centre"
region = "north"
[[sites]]
id = "south_centre"
kind = "clearance_centre"
region = "south"
[[sites]]
id = "north_customs"
kind = "customs"
region = "north"
[[sites]]
id = "south_customs"
kind = "customs"
region = "south"
[[sites]]
id = "north_port"
kind = "sea_port"
customs = "north_customs"
[sites.steps.inspection]
duration = {{ dist = "exponential", mean = 1.0 }}
[[sites]]
id = "south_port"
kind = "sea_port"
customs = "south_customs"
[sites.steps.inspection]
duration = {{ dist = "exponential", mean = 1.0 }}

[[streams]]
id = "north_goods"
port = "north_port"
rate_per_h = 40
prohibited_share = 0.01
undervalued_share = 0.03
[[streams]]
id = "south_goods"
port = "south_port"
rate_per_h = 40
prohibited_share = 0.01
undervalued_share = 0.03
"#
    )
}

#[test]
fn nationwide_integration_replaces_the_regions_rulebooks_with_one() {
    let mut rates = Vec::new();
    for nationwide in [false, true] {
        let s = common::read_summary(&common::run_text(&two_regions(nationwide)).out);
        rates.push([
            common::row(&s, "region=north", "inspection_rate").mean,
            common::row(&s, "region=south", "inspection_rate").mean,
        ]);
    }
    println!(
        "inspection rates north, south: regional {:?}, nationwide {:?}",
        rates[0], rates[1]
    );
    // Regional rulebooks: 1% in the north, 12% in the south.
    assert!((rates[0][0] - 0.01).abs() < 0.005, "{:?}", rates[0]);
    assert!((rates[0][1] - 0.12).abs() < 0.02, "{:?}", rates[0]);
    // Nationwide: the policy's 5% in both.
    for r in rates[1] {
        assert!((r - 0.05).abs() < 0.01, "{:?}", rates[1]);
    }
}

#[test]
fn local_rules_follow_the_customs_that_takes_the_declaration() {
    // Port clearance at Huanghua screens by Shijiazhuang customs' rules;
    // the same goods declared to Tianjin customs (mode 2) by Tianjin's,
    // though they are inspected at Huanghua by the same teams.
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(repo_path(STUDY)).unwrap().replace(
        "home = \"shijiazhuang_customs\"\nmode = \"port_clearance\"",
        "home = \"tianjin_customs\"\nmode = \"port_clearance\"",
    );
    let file = dir.path().join("study.toml");
    std::fs::write(&file, text).unwrap();
    let out = dir.path().join("out");
    ok(&[
        "sweep",
        file.to_str().unwrap(),
        "--set",
        "streams.hebei_importers.mode=port_clearance,territorial_declaration_port_release",
        "--set",
        "streams.hebei_importers.arbitrage_share=0",
        "--set",
        "streams.tianjin_importers.arbitrage_share=0",
        "--set",
        "regions.jingjinji.integrated=false",
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    let reps = read_reps(&out);
    let v = |mode: &str| {
        format!(
            "streams.hebei_importers.mode={mode};streams.hebei_importers.arbitrage_share=0;streams.tianjin_importers.arbitrage_share=0;regions.jingjinji.integrated=false"
        )
    };
    let inspected = |mode: &str| values(&reps, &v(mode), "stream=hebei_importers", "inspections");
    paired_above(
        "inspections of Hebei goods, declared to Tianjin − to Shijiazhuang",
        inspected("territorial_declaration_port_release"),
        inspected("port_clearance"),
    );
}

#[test]
fn the_study_is_byte_identical_for_any_thread_count() {
    let file = repo_path(STUDY);
    let read = |threads: &str| {
        let dir = tempfile::tempdir().unwrap();
        ok(&[
            "run",
            file.to_str().unwrap(),
            "--reps",
            "4",
            "--threads",
            threads,
            "--out",
            dir.path().to_str().unwrap(),
            "--quiet",
        ]);
        ["summary.csv", "replications.csv", "ladder.csv"]
            .map(|f| std::fs::read(dir.path().join(f)).unwrap())
    };
    assert!(
        read("1") == read("2"),
        "outputs differ between --threads 1 and 2"
    );
}

#[test]
fn a_stream_may_list_at_most_32_alternative_ports() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from(
        "name = \"many\"\nhorizon_h = 10\n[policy]\nreview_rate = 0\ninspection_rate = 0\n",
    );
    for i in 0..40 {
        text += &format!("[[sites]]\nid = \"p{i}\"\nkind = \"sea_port\"\n");
    }
    let ports: Vec<String> = (1..40).map(|i| format!("\"p{i}\"")).collect();
    text += &format!(
        "[[streams]]\nid = \"s\"\nport = \"p0\"\nrate_per_h = 1\nalternative_ports = [{}]\n",
        ports.join(", ")
    );
    let file = dir.path().join("many.toml");
    std::fs::write(&file, text).unwrap();
    let o = clearsim(&["validate", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("streams[0].alternative_ports: lists 39 ports; at most 32 are allowed"),
        "{err}"
    );
}

/// `tests/data/two_ports.toml` (the second port lax, a tenth of the
/// importers hiding something) with every importer arbitraging and none
/// choosing by time: exactly the consignments with something to hide move
/// to the lax port, every honest one stays at its usual port.
#[test]
fn arbitrage_moves_exactly_the_non_compliant_to_the_laxest_port() {
    let file = std::fs::read_to_string(repo_path("tests/data/two_ports.toml")).unwrap();
    let text = file
        .replace("arbitrage_share = 0.5", "arbitrage_share = 1.0")
        .replace("time_choice_share = 0.2", "time_choice_share = 0.0");
    assert!(text.contains("arbitrage_share = 1.0") && text.contains("time_choice_share = 0.0"));
    let run = run_text(&text);
    let reps = read_reps(&run.out);
    let get = |group: &str, metric: &str| values(&reps, "base", group, metric).to_vec();
    let (usual, lax) = (get("port=p0", "arrived"), get("port=p1", "arrived"));
    for r in 0..usual.len() {
        assert!(usual[r] > 3000.0, "replication {r}: {} at p0", usual[r]);
        assert_eq!(
            get("port=p0", "non_compliant")[r],
            0.0,
            "replication {r}: non-compliant left at the strict port"
        );
        assert_eq!(
            lax[r],
            get("port=p1", "non_compliant")[r],
            "replication {r}: an honest consignment moved to the lax port"
        );
        assert!(lax[r] > 0.0, "replication {r}: nobody arbitraged");
    }
}
