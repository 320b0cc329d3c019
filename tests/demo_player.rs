//! `clearsim demo --html`: the trainers' player page, run through the real
//! binary on a real scenario file.

mod common;

use std::path::Path;

use common::{MODES, clearsim, repo_path};
use serde_json::Value;

/// A scenario name that runs a script if any page fails to escape it.
const HOSTILE: &str = "<script>alert('x')</script> & </script><b>demo";

/// Writes scenarios/demo.toml, renamed to [`HOSTILE`], into `dir`.
fn hostile_scenario(dir: &Path) -> std::path::PathBuf {
    let text = std::fs::read_to_string(repo_path("scenarios/demo.toml")).unwrap();
    let name = toml_string(HOSTILE);
    let renamed = text.replace(
        "name = \"demo_shanghai_hangzhou\"",
        &format!("name = {name}"),
    );
    assert_ne!(renamed, text, "the demo scenario's name line moved");
    let path = dir.join("hostile.toml");
    std::fs::write(&path, renamed).unwrap();
    path
}

/// A TOML basic string.
fn toml_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Runs `clearsim demo SCENARIO --mode all --html --out DIR`; returns the
/// page.
fn page(scenario: &Path, out: &Path, extra: &[&str]) -> String {
    let mut args = vec![
        "demo",
        scenario.to_str().unwrap(),
        "--mode",
        "all",
        "--html",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let o = clearsim(&args);
    assert!(
        o.status.success(),
        "clearsim {args:?} failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("demo.html"), "{stdout}");
    std::fs::read_to_string(out.join("demo.html")).expect("demo.html is written")
}

/// The page's inline data.
fn data(page: &str) -> Value {
    let open = "<script type=\"application/json\" id=\"player-data\">";
    let start = page.find(open).expect("inline data") + open.len();
    let len = page[start..].find("</script>").unwrap();
    serde_json::from_str(&page[start..start + len]).expect("the inline data is JSON")
}

#[test]
fn the_page_is_self_contained_escaped_and_carries_every_mode() {
    let dir = tempfile::tempdir().unwrap();
    let html = page(&hostile_scenario(dir.path()), dir.path(), &[]);
    for bad in [
        "http://", "https://", "//cdn", "src=", "@import", "url(http",
    ] {
        assert!(
            !html.contains(bad),
            "network reference {bad:?} in demo.html"
        );
    }
    // Exactly the page's own two script elements: the hostile name opened
    // none and closed none.
    assert_eq!(html.matches("<script").count(), 2, "script elements");
    assert_eq!(html.matches("</script>").count(), 2, "script ends");
    assert!(
        !html.contains("<b>demo"),
        "markup from the name reached the page"
    );
    assert!(html.contains(
        "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;/script&gt;&lt;b&gt;demo"
    ));
    let d = data(&html);
    assert_eq!(d["title"], HOSTILE, "the name survives intact as data");
    let names: Vec<&str> = d["modes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, MODES);
}

#[test]
fn same_seed_gives_a_byte_identical_page() {
    let dir = tempfile::tempdir().unwrap();
    let file = repo_path("scenarios/demo.toml");
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    let first = page(&file, &a, &["--seed", "9"]);
    assert!(
        first == page(&file, &b, &["--seed", "9"]),
        "demo.html differs between identical runs"
    );
    assert!(
        first != page(&file, &b, &["--seed", "10"]),
        "another seed, another page"
    );
}

#[test]
fn no_page_without_html() {
    let dir = tempfile::tempdir().unwrap();
    let o = clearsim(&[
        "demo",
        "--mode",
        "port_clearance",
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert!(o.status.success());
    assert!(!dir.path().join("demo.html").exists());
}

/// The same traced consignments in every panel (common random numbers),
/// each step in time order on a place of the map, and a pool never busier
/// than its capacity (the demo scenario pools no servers).
#[test]
fn timelines_are_consistent_across_modes_and_within_capacity() {
    let dir = tempfile::tempdir().unwrap();
    let d = data(&page(&repo_path("scenarios/demo.toml"), dir.path(), &[]));
    let places = d["layout"]["places"].as_array().unwrap().len();
    let pools = d["layout"]["pools"].as_array().unwrap();
    let span = d["span"].as_f64().unwrap();
    let mut traced: Option<Vec<u64>> = None;
    let mut busiest = 0.0f64;
    for m in d["modes"].as_array().unwrap() {
        let dots = m["dots"].as_array().unwrap();
        let numbers: Vec<u64> = dots
            .iter()
            .filter(|x| x["followed"] == true)
            .map(|x| x["n"].as_u64().unwrap())
            .collect();
        assert_eq!(numbers.len(), 4, "{}: one per channel", m["name"]);
        assert_eq!(
            *traced.get_or_insert(numbers.clone()),
            numbers,
            "{}",
            m["name"]
        );
        assert!(dots.len() > 40, "{}: a background crowd to show", m["name"]);
        for dot in dots {
            let mut last = dot["arr"].as_f64().unwrap();
            for s in dot["steps"].as_array().unwrap() {
                assert!((s[0].as_u64().unwrap() as usize) < places);
                for t in [&s[3], &s[4], &s[5]] {
                    if let Some(t) = t.as_f64() {
                        assert!(
                            t >= last - 1e-9,
                            "{}: #{} steps out of order",
                            m["name"],
                            dot["n"]
                        );
                        last = t;
                    }
                }
            }
        }
        for (pool, rows) in pools.iter().zip(m["occupancy"].as_array().unwrap()) {
            let cap = pool["capacity"].as_f64().unwrap();
            for r in rows.as_array().unwrap() {
                let (t, queue, busy) = (
                    r[0].as_f64().unwrap(),
                    r[1].as_f64().unwrap(),
                    r[2].as_f64().unwrap(),
                );
                assert!((0.0..=span).contains(&t) && queue >= 0.0);
                assert!(
                    busy <= cap,
                    "{}: {} busy {busy} > {cap}",
                    m["name"],
                    pool["id"]
                );
                busiest = busiest.max(busy);
            }
        }
    }
    assert!(busiest >= 2.0, "someone works at some point");
}

/// The drawn dots are a subset of the crowd the counts come from: at any
/// moment a pool has at least as many busy servers and queueing
/// consignments as there are dots in work and in its queue.
#[test]
fn pool_counts_cover_the_dots_drawn() {
    let dir = tempfile::tempdir().unwrap();
    let d = data(&page(&repo_path("scenarios/demo.toml"), dir.path(), &[]));
    let span = d["span"].as_f64().unwrap();
    let mut checked = 0;
    for m in d["modes"].as_array().unwrap() {
        let occupancy = m["occupancy"].as_array().unwrap();
        // (pool, reached, start, end) of every pooled step drawn.
        let steps: Vec<(usize, f64, f64, f64)> = m["dots"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|x| x["steps"].as_array().unwrap().iter())
            .filter(|s| s[2].as_i64().unwrap() >= 0)
            .map(|s| {
                let t = |v: &Value| v.as_f64().unwrap_or(f64::INFINITY);
                (
                    s[2].as_i64().unwrap() as usize,
                    t(&s[3]),
                    t(&s[4]),
                    t(&s[5]),
                )
            })
            .collect();
        for &(pool, reached, start, end) in &steps {
            for (t, busy_phase) in [
                ((reached + start) / 2.0, false),
                ((start + end) / 2.0, true),
            ] {
                if !(t.is_finite() && (0.0..span).contains(&t))
                    || (busy_phase && start >= end)
                    || (!busy_phase && reached >= start)
                {
                    continue;
                }
                let drawn = steps
                    .iter()
                    .filter(|s| s.0 == pool)
                    .filter(|s| {
                        if busy_phase {
                            s.2 <= t && t < s.3
                        } else {
                            s.1 <= t && t < s.2
                        }
                    })
                    .count() as f64;
                let row = occupancy[pool]
                    .as_array()
                    .unwrap()
                    .iter()
                    .take_while(|r| r[0].as_f64().unwrap() <= t)
                    .last()
                    .unwrap();
                let counted = row[if busy_phase { 2 } else { 1 }].as_f64().unwrap();
                assert!(
                    counted >= drawn,
                    "{} pool {pool} at {t}: {counted} counted < {drawn} drawn ({})",
                    m["name"],
                    if busy_phase { "busy" } else { "queue" }
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 500, "only {checked} moments checked");
}
