//! Charts and the report, from the real binary: every SVG is well-formed
//! XML with its title, axis labels and series; PNGs are real images; the
//! report is self-contained and escapes what comes from the scenario file;
//! `clearsim plot DIR` redraws the same files without re-running.

mod common;

use std::fs;
use std::path::Path;

use common::{clearsim, ok, repo_path};

/// Every `<text>` of an SVG, parsed as XML (a malformed file fails here).
fn svg_texts(path: &Path) -> Vec<String> {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let doc = roxmltree::Document::parse(&text)
        .unwrap_or_else(|e| panic!("{} is not well-formed XML: {e}", path.display()));
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or("").to_string())
        .collect()
}

fn assert_has(texts: &[String], wanted: &[&str], file: &str) {
    for w in wanted {
        assert!(
            texts.iter().any(|t| t.contains(w)),
            "{file}: no text {w:?} among {texts:?}"
        );
    }
}

/// Width and height from a PNG's header, after checking its signature.
fn png_size(path: &Path) -> (u32, u32) {
    let b = fs::read(path).unwrap();
    assert_eq!(
        &b[..8],
        b"\x89PNG\r\n\x1a\n",
        "{} is not a PNG",
        path.display()
    );
    let word = |i: usize| u32::from_be_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
    (word(16), word(20))
}

const MODES: [&str; 5] = [
    "port clearance",
    "terr. decl. + port release",
    "terr. decl. + release",
    "customs transit",
    "regional integration",
];

#[test]
fn compare_draws_every_chart_with_its_labels_and_series() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("cmp");
    let s = repo_path("scenarios/modes/regional_integration.toml");
    ok(&[
        "compare",
        s.to_str().unwrap(),
        "--reps",
        "3",
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    let plots = out.join("plots");
    let expect: [(&str, &[&str]); 5] = [
        (
            "release_time_cdf",
            &[
                "Release time distribution by clearance mode",
                "release time [h] (log scale)",
                "share released within that time",
            ],
        ),
        (
            "throughput",
            &["Throughput by clearance mode", "releases per day"],
        ),
        (
            "trs_segments",
            &[
                "Time Release Study: who holds the goods up",
                "mean time [h]",
                "customs",
                "other agencies",
                "trader",
                "port and logistics",
            ],
        ),
        (
            "busiest_resources",
            &["busiest resources", "time [days]", "mean queue length"],
        ),
        (
            "region_mode_heatmap",
            &["Mean release time by region and clearance mode", "region"],
        ),
    ];
    for (name, wanted) in expect {
        let texts = svg_texts(&plots.join(format!("{name}.svg")));
        assert_has(&texts, wanted, name);
        if name != "busiest_resources" {
            assert_has(&texts, &MODES, name);
        }
        let (w, h) = png_size(&plots.join(format!("{name}.png")));
        assert!(w >= 800 && h >= 400, "{name}.png is {w}x{h}");
    }
    // The busiest resources are this scenario's own pools.
    let texts = svg_texts(&plots.join("busiest_resources.svg"));
    assert!(
        texts
            .iter()
            .any(|t| t.contains("reviewers") || t.contains("inspection"))
    );
}

#[test]
fn sweep_draws_the_frontier_for_both_targetings() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sweep");
    let s = repo_path("scenarios/channels.toml");
    ok(&[
        "sweep",
        s.to_str().unwrap(),
        "--set",
        "policy.inspection_rate=0.02,0.1,0.2",
        "--reps",
        "2",
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    let texts = svg_texts(&out.join("plots/frontier.svg"));
    assert_has(
        &texts,
        &[
            "Inspection-intensity frontier",
            "policy.inspection_rate",
            "p90 release time [h]",
            "leakage",
            "random",
            "risk_based",
        ],
        "frontier",
    );
}

#[test]
fn report_escapes_the_scenario_and_plot_redraws_without_rerunning() {
    let dir = tempfile::tempdir().unwrap();
    let text = fs::read_to_string(repo_path("scenarios/channels.toml")).unwrap();
    let evil = text.replace(
        "name = \"channels_hangzhou\"",
        "name = \"<script>alert('x')</script> & co\"",
    );
    assert_ne!(evil, text, "the scenario's name line moved");
    let scenario = dir.path().join("evil.toml");
    fs::write(&scenario, evil).unwrap();
    let out = dir.path().join("run");
    ok(&[
        "run",
        scenario.to_str().unwrap(),
        "--reps",
        "2",
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    let report = fs::read_to_string(out.join("report.html")).unwrap();
    assert!(!report.contains("<script"), "a <script> got through");
    assert!(report.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co"));
    // Self-contained: inline SVG, no external resource of any kind.
    assert!(report.contains("<svg"));
    let without_svg_namespace = report.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
    for external in ["src=", "href=", "http://", "https://", "@import", "url("] {
        assert!(
            !without_svg_namespace.contains(external),
            "report refers to {external}"
        );
    }
    // Every chart is there with its caption.
    for (id, caption) in [
        ("release_time_cdf", "Share of consignments released"),
        ("throughput", "Consignments released per day"),
        (
            "trs_segments",
            "Mean hours from arrival to leaving customs control",
        ),
        ("busiest_resources", "Queue length and utilisation"),
    ] {
        assert!(report.contains(&format!("id=\"{id}\"")), "no {id} figure");
        assert!(report.contains(caption), "no caption for {id}");
    }
    assert!(
        report.contains("&quot;replication_seeds&quot;"),
        "no manifest"
    );

    // `clearsim plot` from the saved files gives the same bytes.
    let before = fs::read(out.join("plots/throughput.svg")).unwrap();
    let png_before = fs::read(out.join("plots/release_time_cdf.png")).unwrap();
    fs::remove_dir_all(out.join("plots")).unwrap();
    fs::remove_file(out.join("report.html")).unwrap();
    ok(&["plot", out.to_str().unwrap()]);
    assert_eq!(fs::read(out.join("plots/throughput.svg")).unwrap(), before);
    assert_eq!(
        fs::read(out.join("plots/release_time_cdf.png")).unwrap(),
        png_before
    );
    assert_eq!(fs::read_to_string(out.join("report.html")).unwrap(), report);
}

#[test]
fn plot_on_a_directory_without_a_run_is_an_input_error() {
    let dir = tempfile::tempdir().unwrap();
    let o = clearsim(&["plot", dir.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("no manifest.json"), "{err}");
}

/// The busiest-resources caption speaks of peaks only where the run had
/// some: the M/M/1 file has none, the default scenario its Double 11.
#[test]
fn the_peaks_caption_appears_only_with_peaks() {
    let dir = tempfile::tempdir().unwrap();
    let report = |scenario: Option<&str>, out: &str| {
        let out = dir.path().join(out);
        let mut args = vec!["run"];
        let file = scenario.map(repo_path);
        if let Some(f) = &file {
            args.push(f.to_str().unwrap());
        }
        args.extend(["--reps", "2", "--out", out.to_str().unwrap(), "--quiet"]);
        ok(&args);
        fs::read_to_string(out.join("report.html")).unwrap()
    };
    let plain = report(Some("scenarios/validation/mm1.toml"), "mm1");
    assert!(plain.contains("Queue length and utilisation over the run"));
    // (The embedded manifest lists `"peaks": []`; no caption may speak of
    // them.)
    for word in ["peaks (", "Double 11"] {
        assert!(!plain.contains(word), "a run without peaks mentions {word}");
    }
    let peaked = report(None, "default");
    assert!(peaked.contains("the peaks (shaded) show as queues building"));
}

/// A sweep of a setting other than the inspection rate draws the headline
/// metrics against it (the frontier covers inspection-rate sweeps).
#[test]
fn a_sweep_of_any_setting_draws_its_metrics_against_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sweep");
    let file = repo_path("scenarios/validation/mmc.toml");
    ok(&[
        "sweep",
        file.to_str().unwrap(),
        "--set",
        "resources.servers.capacity=10,11,12",
        "--reps",
        "2",
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    let svg = out.join("plots/sweep.svg");
    assert!(svg.is_file(), "no sweep chart");
    assert!(!out.join("plots/frontier.svg").exists());
    let texts = svg_texts(&svg);
    assert_has(
        &texts,
        &[
            "Headline metrics against resources.servers.capacity",
            "mean release time [h]",
            "throughput [per day]",
        ],
        "sweep.svg",
    );
    // One marker per variant in each of the four panels.
    let doc = fs::read_to_string(&svg).unwrap();
    assert_eq!(doc.matches("<circle").count(), 3 * 4, "markers");
    let report = fs::read_to_string(out.join("report.html")).unwrap();
    assert!(report.contains("id=\"sweep\""));
}
