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
    let svg = out.join("plots/frontier.svg");
    let texts = svg_texts(&svg);
    assert_has(
        &texts,
        &[
            "Inspection-intensity frontier: leakage against release time",
            "p90 release time [h]",
            "points labelled with policy.inspection_rate",
            "leakage",
            "random",
            "risk_based",
            "0.02",
            "0.1",
            "0.2",
        ],
        "frontier",
    );
    // Intervals on both axes, as lines with two caps each: leakage's for
    // every rate of both targetings; the p90's where two replications
    // disagree (all 6 points here: with durations counted in 10⁻⁶ h, two
    // replications' p90s no longer fall in one counter of 1/1000 h).
    let shapes = Shapes::of(&svg);
    // (Intervals are 2 px wide, the curves 5 and 4.)
    let bars = || shapes.data_lines().filter(|l| l.width == 2.0);
    let vertical = bars().filter(|l| l.is_vertical()).count();
    let horizontal = bars().filter(|l| l.is_horizontal()).count();
    assert_eq!(
        vertical,
        2 * 3 + 2 * 6,
        "{vertical} vertical interval lines"
    );
    assert_eq!(
        horizontal,
        2 * 3 * 2 + 6,
        "{horizontal} horizontal interval lines"
    );
    assert!(!fs::read_to_string(&svg).unwrap().contains("<circle"));
    shapes.assert_legend_clear("frontier");
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
    // One marker per variant in each of the four panels, and a 95% band
    // around each curve but leakage's (none in any replication, so no
    // interval to shade).
    let shapes = Shapes::of(&svg);
    assert_eq!(shapes.markers, 3 * 4, "markers");
    assert_eq!(shapes.bands, 3, "interval bands");
    let report = fs::read_to_string(out.join("report.html")).unwrap();
    assert!(report.contains("id=\"sweep\""));
}

/// A straight line of an SVG: a `<polyline>`'s points, stroke and width.
struct Line {
    points: Vec<(f64, f64)>,
    stroke: String,
    width: f64,
}

impl Line {
    fn is_vertical(&self) -> bool {
        self.points.len() == 2
            && self.points[0].0 == self.points[1].0
            && self.points[0].1 != self.points[1].1
    }
    fn is_horizontal(&self) -> bool {
        self.points.len() == 2
            && self.points[0].1 == self.points[1].1
            && self.points[0].0 != self.points[1].0
    }
    /// Points every pixel or so along the line.
    fn trace(&self) -> Vec<(f64, f64)> {
        let mut out: Vec<(f64, f64)> = self.points.first().copied().into_iter().collect();
        for w in self.points.windows(2) {
            let (a, b) = (w[0], w[1]);
            let n = ((b.0 - a.0).hypot(b.1 - a.1)).ceil().max(1.0) as usize;
            out.extend((1..=n).map(|k| {
                let t = k as f64 / n as f64;
                (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t)
            }));
        }
        out
    }
}

/// The parts of a chart's SVG the structure tests look at.
struct Shapes {
    lines: Vec<Line>,
    /// Legend boxes: (x0, y0, x1, y1).
    legends: Vec<(f64, f64, f64, f64)>,
    /// Filled markers (opaque polygons) and interval bands (translucent).
    markers: usize,
    bands: usize,
    /// Every rectangle: (x, y, width, fill).
    rects: Vec<(f64, f64, f64, String)>,
    /// Every text with its x position.
    texts: Vec<(f64, String)>,
}

impl Shapes {
    fn of(path: &Path) -> Self {
        let text = fs::read_to_string(path).unwrap();
        let doc = roxmltree::Document::parse(&text).unwrap();
        let num = |n: &roxmltree::Node, a: &str| -> f64 {
            n.attribute(a).and_then(|v| v.parse().ok()).unwrap_or(0.0)
        };
        let mut s = Shapes {
            lines: Vec::new(),
            legends: Vec::new(),
            markers: 0,
            bands: 0,
            rects: Vec::new(),
            texts: Vec::new(),
        };
        for n in doc.descendants() {
            match n.tag_name().name() {
                "polyline" => s.lines.push(Line {
                    points: n
                        .attribute("points")
                        .unwrap_or("")
                        .split_whitespace()
                        .filter_map(|p| {
                            let (x, y) = p.split_once(',')?;
                            Some((x.parse().ok()?, y.parse().ok()?))
                        })
                        .collect(),
                    stroke: n.attribute("stroke").unwrap_or("").to_string(),
                    width: num(&n, "stroke-width"),
                }),
                "polygon" if num(&n, "opacity") < 1.0 => s.bands += 1,
                "polygon" => s.markers += 1,
                "rect" => {
                    let (x, y, w, h) = (
                        num(&n, "x"),
                        num(&n, "y"),
                        num(&n, "width"),
                        num(&n, "height"),
                    );
                    let fill = n.attribute("fill").unwrap_or("").to_string();
                    if n.attribute("opacity") == Some("0.85") && fill == "#FFFFFF" {
                        s.legends.push((x, y, x + w, y + h));
                    }
                    s.rects.push((x, y, w, fill));
                }
                "text" => s
                    .texts
                    .push((num(&n, "x"), n.text().unwrap_or("").trim().to_string())),
                _ => {}
            }
        }
        s
    }

    /// Lines drawn in a series colour (not the black and grey of axes,
    /// grid and legend borders).
    fn series_lines(&self) -> impl Iterator<Item = &Line> {
        self.lines
            .iter()
            .filter(|l| l.stroke != "#000000" && !l.stroke.is_empty())
    }

    /// Series lines outside the legends (not a legend's samples).
    fn data_lines(&self) -> impl Iterator<Item = &Line> {
        self.series_lines().filter(|l| {
            !self.legends.iter().any(|&(x0, y0, x1, y1)| {
                l.points
                    .iter()
                    .all(|&(x, y)| x > x0 && x < x1 && y > y0 && y < y1)
            })
        })
    }

    /// No series line enters a legend box, apart from the legend's own
    /// samples (lines wholly inside it).
    fn assert_legend_clear(&self, name: &str) {
        assert!(!self.legends.is_empty(), "{name}: no legend");
        for &(x0, y0, x1, y1) in &self.legends {
            let inside = |&(x, y): &(f64, f64)| x > x0 && x < x1 && y > y0 && y < y1;
            for l in self.series_lines() {
                if l.points.iter().all(inside) {
                    continue; // the legend's sample
                }
                if let Some(p) = l.trace().iter().find(|p| inside(p)) {
                    panic!(
                        "{name}: a {} line passes through the legend box \
                         ({x0},{y0})-({x1},{y1}) at {p:?}",
                        l.stroke
                    );
                }
            }
        }
    }
}

/// Regression for the chart faults, on a five-mode compare: legends
/// keep off the data; coinciding CDF curves differ in width and dash; the
/// log axis is labelled at 1, 2 and 5; throughput intervals are error
/// bars, not circle glyphs; the heat map has a labelled colour bar; the
/// busy share is a daily mean.
#[test]
fn compare_charts_keep_their_legends_clear_and_their_scales_labelled() {
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
    for name in ["release_time_cdf", "busiest_resources", "trs_segments"] {
        Shapes::of(&plots.join(format!("{name}.svg"))).assert_legend_clear(name);
    }

    let cdf = Shapes::of(&plots.join("release_time_cdf.svg"));
    let mut widths: Vec<(String, u64)> = cdf
        .series_lines()
        .map(|l| (l.stroke.clone(), l.width as u64))
        .collect();
    widths.sort();
    widths.dedup();
    let colours: std::collections::BTreeSet<_> = widths.iter().map(|w| &w.0).collect();
    let sizes: std::collections::BTreeSet<_> = widths.iter().map(|w| w.1).collect();
    assert_eq!(colours.len(), 5, "five modes: {widths:?}");
    assert!(sizes.len() >= 3, "line widths {sizes:?}");
    // Dashed curves are drawn as many short pieces.
    let pieces = |c: &str| cdf.series_lines().filter(|l| l.stroke == c).count();
    assert_eq!(
        pieces("#0072B2"),
        1 + 1,
        "the first curve is solid (and its sample)"
    );
    assert!(pieces("#E69F00") > 20, "the second curve is dashed");
    assert!(cdf.markers >= 5 * 4, "{} markers", cdf.markers);
    let labels: Vec<&str> = cdf.texts.iter().map(|t| t.1.as_str()).collect();
    for tick in ["1", "2", "5", "10", "20"] {
        assert!(
            labels.contains(&tick),
            "no log tick {tick} among {labels:?}"
        );
    }

    let throughput = fs::read_to_string(plots.join("throughput.svg")).unwrap();
    assert!(
        !throughput.contains("<circle"),
        "error bars drawn as glyphs"
    );
    let bars = Shapes::of(&plots.join("throughput.svg"));
    let black2 = |f: fn(&Line) -> bool| {
        bars.lines
            .iter()
            .filter(|l| l.stroke == "#000000" && l.width == 2.0 && f(l))
            .count()
    };
    assert_eq!(black2(Line::is_vertical), 5, "one interval per mode");
    assert_eq!(black2(Line::is_horizontal), 2 * 5, "two caps per interval");

    let heat = Shapes::of(&plots.join("region_mode_heatmap.svg"));
    let strip = 960.0 - 130.0;
    let gradient: std::collections::BTreeSet<_> = heat
        .rects
        .iter()
        .filter(|r| r.0 >= strip)
        .map(|r| r.3.clone())
        .collect();
    assert!(
        gradient.len() >= 40,
        "colour bar of {} colours",
        gradient.len()
    );
    let scale: Vec<&String> = heat
        .texts
        .iter()
        .filter(|t| t.0 >= strip && t.1.parse::<f64>().is_ok())
        .map(|t| &t.1)
        .collect();
    assert!(scale.len() >= 3, "colour bar labels {scale:?}");
    assert!(heat.texts.iter().any(|t| t.1 == "mean release time [h]"));

    let busy = svg_texts(&plots.join("busiest_resources.svg"));
    assert_has(
        &busy,
        &["share of servers busy (daily mean)"],
        "busiest_resources",
    );
}

/// A sweep over a grid of two parameters draws each headline metric as a
/// heat map: the first parameter across, the second (with the targeting
/// the rate sweep adds) down, a labelled colour bar, every cell's value;
/// the report carries them and `clearsim plot` redraws them.
#[test]
fn a_two_parameter_sweep_draws_heat_maps_with_a_colour_scale() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("grid");
    let s = repo_path("scenarios/channels.toml");
    ok(&[
        "sweep",
        s.to_str().unwrap(),
        "--set",
        "policy.inspection_rate=0.02,0.05,0.1",
        "--set",
        "resources.port_inspection_teams.capacity=3,4",
        "--reps",
        "2",
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    let report = fs::read_to_string(out.join("report.html")).unwrap();
    for (name, value_label) in [
        ("sweep_heat_release_time_mean_h", "mean release time [h]"),
        ("sweep_heat_release_time_p90_h", "p90 release time [h]"),
        ("sweep_heat_leakage", "leakage [non-compliant released]"),
        ("sweep_heat_throughput_per_day", "throughput [per day]"),
    ] {
        let svg = out.join(format!("plots/{name}.svg"));
        let png = out.join(format!("plots/{name}.png"));
        assert!(png.is_file(), "no {name}.png");
        let heat = Shapes::of(&svg);
        let texts: Vec<&str> = heat.texts.iter().map(|t| t.1.as_str()).collect();
        // Both axes named by their parameters, with every value.
        assert!(
            texts.contains(&"policy.inspection_rate"),
            "{name}: {texts:?}"
        );
        assert!(
            texts.contains(&"resources.port_inspection_teams.capacity, policy.targeting"),
            "{name}: {texts:?}"
        );
        for v in ["0.02", "0.05", "0.1", "3, random", "4, risk_based"] {
            assert!(texts.contains(&v), "{name}: no {v:?} among {texts:?}");
        }
        // The colour bar: a gradient in its strip, numbered, named.
        let strip = 960.0 - 130.0;
        let gradient: std::collections::BTreeSet<_> = heat
            .rects
            .iter()
            .filter(|r| r.0 >= strip)
            .map(|r| r.3.clone())
            .collect();
        assert!(gradient.len() >= 40, "{name}: colour bar of {gradient:?}");
        assert!(texts.contains(&value_label), "{name}: {texts:?}");
        // Three rates across, two capacities × two targetings down: 12
        // filled cells left of the strip.
        let cells = heat
            .rects
            .iter()
            .filter(|r| r.0 < strip && r.3 != "#FFFFFF" && r.2 > 50.0)
            .count();
        assert_eq!(cells, 12, "{name}: {cells} cells");
        assert!(
            report.contains(&format!("id=\"{name}\"")),
            "{name} not in the report"
        );
    }
    // `plot` redraws them from the files alone.
    let before = fs::read(out.join("plots/sweep_heat_leakage.svg")).unwrap();
    fs::remove_dir_all(out.join("plots")).unwrap();
    ok(&["plot", out.to_str().unwrap()]);
    assert_eq!(
        fs::read(out.join("plots/sweep_heat_leakage.svg")).unwrap(),
        before
    );
}

/// A sweep of one parameter has curves, not heat maps.
#[test]
fn a_one_parameter_sweep_has_no_heat_map() {
    let dir = tempfile::tempdir().unwrap();
    let s = repo_path("scenarios/validation/mmc.toml");
    ok(&[
        "sweep",
        s.to_str().unwrap(),
        "--set",
        "resources.servers.capacity=10,12",
        "--reps",
        "2",
        "--out",
        dir.path().to_str().unwrap(),
        "--quiet",
    ]);
    assert!(dir.path().join("plots/sweep.svg").is_file());
    let heat_maps = fs::read_dir(dir.path().join("plots"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with("sweep_heat")
        })
        .count();
    assert_eq!(heat_maps, 0);
}

/// The plan chart marks the chosen capacity with a labelled vertical line
/// and shades the mean's interval; `plot` on a plan folder redraws it.
#[test]
fn the_plan_chart_marks_the_chosen_capacity() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("plan");
    let s = repo_path("scenarios/validation/mmc.toml");
    ok(&[
        "plan",
        s.to_str().unwrap(),
        "--resource",
        "servers",
        "--target",
        "wait_mean_h<=0.15",
        "--reps",
        "5",
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    let plan = fs::read_to_string(out.join("plan.csv")).unwrap();
    let chosen = plan
        .lines()
        .skip(1)
        .filter(|l| l.split(',').nth(6) == Some("true"))
        .filter_map(|l| l.split(',').next()?.parse::<u32>().ok())
        .min()
        .expect("a capacity meets the target");
    let svg = out.join("plots/plan.svg");
    let shapes = Shapes::of(&svg);
    let label = format!("chosen: {chosen}");
    assert!(
        shapes.texts.iter().any(|t| t.1 == label),
        "no {label:?} among {:?}",
        shapes.texts
    );
    // The mark: a vertical line in its own colour, the full plot height.
    let mark: Vec<&Line> = shapes
        .lines
        .iter()
        .filter(|l| l.stroke == "#961428" && l.is_vertical())
        .collect();
    assert_eq!(mark.len(), 1, "{:?}", shapes.lines.len());
    assert!(shapes.bands >= 1, "the mean's interval is shaded");
    let report = fs::read_to_string(out.join("report.html")).unwrap();
    assert!(report.contains("id=\"plan\"") && report.contains(&label));
    // The manifest lists them, like every command's.
    let manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    for f in ["plan.csv", "plots/", "report.html"] {
        assert!(
            manifest["files"].as_array().unwrap().iter().any(|x| x == f),
            "manifest.json lacks {f}: {}",
            manifest["files"]
        );
    }
    let before = fs::read(&svg).unwrap();
    fs::remove_dir_all(out.join("plots")).unwrap();
    ok(&["plot", out.to_str().unwrap()]);
    assert_eq!(fs::read(&svg).unwrap(), before);
}

/// A ladder of long reform names numbers its steps under the bars and
/// names them in a key below: no axis label is wider than its bar.
#[test]
fn a_ladder_of_long_names_keys_its_steps() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ladder");
    let s = repo_path("scenarios/calibration/reforms_2017_2022.toml");
    ok(&[
        "ladder",
        s.to_str().unwrap(),
        "--reps",
        "2",
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    let ladder = fs::read_to_string(out.join("ladder.csv")).unwrap();
    let reforms = ladder.lines().count() - 2; // header and the base rung
    let shapes = Shapes::of(&out.join("plots/ladder_waterfall.svg"));
    let texts: Vec<&str> = shapes.texts.iter().map(|t| t.1.as_str()).collect();
    for k in 1..=reforms {
        assert!(
            texts.contains(&k.to_string().as_str()),
            "no step {k}: {texts:?}"
        );
    }
    assert!(
        texts
            .iter()
            .any(|t| t.contains("Nationwide clearance integration: first release then review")),
        "the key names the reform in full: {texts:?}"
    );
    // The bar slot is 840 / (reforms + 2) px; an axis label must fit it.
    let slot = 840.0 / (reforms + 2) as f64;
    for t in ["base", "reached"] {
        assert!(texts.contains(&t), "{t}");
        assert!(t.len() as f64 * 7.5 < slot);
    }
}
