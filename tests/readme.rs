//! The sample outputs of the README and of every page under `docs/` cannot
//! drift: each block of output marked
//! `<!-- check: clearsim ARGS -->` on the line before its fence is
//! produced again by running the real binary with those arguments, and
//! every line of the block must be a line of what it prints (the README
//! may abridge, never alter). Timings and output folders are the only
//! parts that may differ, and are masked on both sides.
//!
//! The commands run in a scratch folder that sees the repository's
//! `scenarios/`, so the outputs land there, and the paths they print are
//! the ones a user would see.

mod common;

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

/// One checked block: its command line, the README line it starts at, and
/// its lines.
struct Sample {
    args: Vec<String>,
    line: usize,
    lines: Vec<String>,
}

/// The marked blocks of a markdown text.
fn samples(text: &str) -> Vec<Sample> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let Some(cmd) = l
            .trim()
            .strip_prefix("<!-- check: clearsim ")
            .and_then(|r| r.strip_suffix("-->"))
        else {
            continue;
        };
        assert!(
            lines.get(i + 1).is_some_and(|f| f.starts_with("```")),
            "README line {}: a check marker must come right before a fenced block",
            i + 1
        );
        let body: Vec<String> = lines[i + 2..]
            .iter()
            .take_while(|b| !b.starts_with("```"))
            .filter(|b| !b.starts_with("$ "))
            .map(|b| b.to_string())
            .collect();
        out.push(Sample {
            args: split_args(cmd.trim()),
            line: i + 1,
            lines: body,
        });
    }
    out
}

/// Splits a command line on spaces, keeping 'single-quoted' words whole.
fn split_args(cmd: &str) -> Vec<String> {
    let mut args = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    for ch in cmd.chars() {
        match ch {
            '\'' => quoted = !quoted,
            ' ' if !quoted => {
                if !word.is_empty() {
                    args.push(std::mem::take(&mut word));
                }
            }
            c => word.push(c),
        }
    }
    if !word.is_empty() {
        args.push(word);
    }
    args
}

/// A line with its timings masked: `in 1.16 s`, `1.23 M consignments/s`.
fn masked(line: &str) -> String {
    let words: Vec<&str> = line.split(' ').collect();
    let mut out = Vec::with_capacity(words.len());
    for (k, w) in words.iter().enumerate() {
        let next = words.get(k + 1).copied().unwrap_or("");
        let is_number = w.parse::<f64>().is_ok();
        if is_number && (next.starts_with("s;") || next.starts_with("s,") || next == "s") {
            out.push("<t>");
        } else {
            out.push(w);
        }
    }
    out.join(" ").trim_end().to_string()
}

/// What names a sample line: its words up to the first number (a metric,
/// a group, a variant, a ladder rung), so a rerun's line can replace it.
fn key(line: &str) -> String {
    line.split_whitespace()
        .take_while(|w| w.replace(['±', ','], "").parse::<f64>().is_err() && *w != "±")
        .collect::<Vec<_>>()
        .join(" ")
}

/// `CLEARSIM_BLESS=1 cargo test --release --test readme` rewrites each
/// sample line with the printed line of the same key (what snapshot tools
/// call blessing); lines with no such key are left for a person to fix.
/// A key may recur (a ladder prints the same rungs for each metric), so the
/// search goes on from the line last used, and from the top only if the
/// key is not found further down.
fn bless(readme: &str, samples: &[Sample], printed: &[String]) -> String {
    let mut lines: Vec<String> = readme.lines().map(str::to_string).collect();
    for (s, out) in samples.iter().zip(printed) {
        let out: Vec<&str> = out.lines().collect();
        let mut from = 0;
        let mut k = s.line + 1;
        while k < lines.len() && !lines[k].starts_with("```") {
            let wanted = key(&lines[k]);
            let find = |start: usize| (start..out.len()).find(|&i| key(out[i]) == wanted);
            if !wanted.is_empty()
                && !lines[k].starts_with("$ ")
                && let Some(i) = find(from).or_else(|| find(0))
            {
                lines[k] = out[i].trim_end().to_string();
                from = i + 1;
            }
            k += 1;
        }
    }
    lines.join("\n") + "\n"
}

/// The files whose marked samples (and links) are checked: the README and
/// every Markdown page under `docs/`, as paths from the repository's root.
fn documents() -> Vec<String> {
    fn walk(dir: &Path, rel: &str, out: &mut Vec<String>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for path in entries {
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            let rel = format!("{rel}/{name}");
            if path.is_dir() {
                walk(&path, &rel, out);
            } else if name.ends_with(".md") {
                out.push(rel);
            }
        }
    }
    let mut docs = vec!["README.md".to_string()];
    walk(&common::repo_path("docs"), "docs", &mut docs);
    docs
}

#[test]
fn every_marked_readme_sample_is_what_the_command_prints() {
    let scratch = tempfile::tempdir().unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        common::repo_path("scenarios"),
        scratch.path().join("scenarios"),
    )
    .unwrap();
    let mut failures = Vec::new();
    let mut checked = 0;
    for doc in documents() {
        let path = common::repo_path(&doc);
        let text = std::fs::read_to_string(&path).unwrap();
        let samples = samples(&text);
        checked += samples.len();
        let printed: Vec<String> = samples
            .iter()
            .map(|s| run(scratch.path(), &s.args))
            .collect();
        if std::env::var_os("CLEARSIM_BLESS").is_some() {
            std::fs::write(&path, bless(&text, &samples, &printed)).unwrap();
            continue;
        }
        for (s, printed) in samples.iter().zip(&printed) {
            let mut available: HashMap<String, usize> = HashMap::new();
            for l in printed.lines() {
                *available.entry(masked(l)).or_default() += 1;
            }
            for l in &s.lines {
                let key = masked(l);
                match available.get_mut(&key) {
                    Some(n) if *n > 0 => *n -= 1,
                    _ => failures.push(format!(
                        "{doc} line {} (clearsim {}): not printed:\n  {l}",
                        s.line,
                        s.args.join(" ")
                    )),
                }
            }
        }
    }
    assert!(checked >= 7, "only {checked} marked samples");
    assert!(
        failures.is_empty(),
        "{} sample lines differ from what the commands print; rerun them and paste, or \
         CLEARSIM_BLESS=1 cargo test --release --test readme:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// What `clearsim ARGS` prints (stderr, then stdout), run in `dir`.
fn run(dir: &Path, args: &[String]) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_clearsim"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the clearsim binary runs");
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stderr),
        String::from_utf8_lossy(&o.stdout)
    )
}

#[test]
fn masking_hides_timings_only() {
    assert_eq!(
        masked("5820996 consignments simulated in 1.16 s; outputs in output/x"),
        "5820996 consignments simulated in <t> s; outputs in output/x"
    );
    assert_eq!(
        masked("  arrived   522595   619.76"),
        "  arrived   522595   619.76"
    );
    assert_eq!(
        split_args("plan f.toml --target 'wait_mean_h<=0.15' --max 3"),
        [
            "plan",
            "f.toml",
            "--target",
            "wait_mean_h<=0.15",
            "--max",
            "3"
        ]
    );
}

/// Every relative link of the README and the guide (`[text](path)`,
/// `![alt](path)`) leads to a file or folder of the repository, and every
/// `#anchor` into a Markdown page to one of its headings: moving a page
/// cannot leave a link behind.
#[test]
fn every_relative_link_resolves() {
    let mut broken = Vec::new();
    let mut seen = 0;
    for doc in documents() {
        let path = common::repo_path(&doc);
        let text = std::fs::read_to_string(&path).unwrap();
        let base = path.parent().unwrap();
        let mut fenced = false;
        for (n, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("```") {
                fenced = !fenced;
            }
            if fenced {
                continue;
            }
            for target in link_targets(line) {
                if target.contains("://") || target.starts_with("mailto:") {
                    continue;
                }
                seen += 1;
                let (file, anchor) = match target.split_once('#') {
                    Some((f, a)) => (f, Some(a)),
                    None => (target.as_str(), None),
                };
                let file = if file.is_empty() {
                    path.clone()
                } else {
                    base.join(file)
                };
                if !file.exists() {
                    broken.push(format!("{doc}:{}: {target}: no such file", n + 1));
                    continue;
                }
                if let Some(anchor) = anchor
                    && file.extension().is_some_and(|e| e == "md")
                {
                    let page = std::fs::read_to_string(&file).unwrap();
                    if !page
                        .lines()
                        .any(|l| heading_anchor(l).as_deref() == Some(anchor))
                    {
                        broken.push(format!("{doc}:{}: {target}: no such heading", n + 1));
                    }
                }
            }
        }
    }
    assert!(seen >= 50, "only {seen} relative links found");
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

/// The targets of the Markdown links on a line, outside inline code.
fn link_targets(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut code = false;
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '`' => code = !code,
            ']' if !code && chars.get(i + 1) == Some(&'(') => {
                let rest: String = chars[i + 2..].iter().collect();
                if let Some(end) = rest.find(')') {
                    let target = rest[..end].split_whitespace().next().unwrap_or("");
                    if !target.is_empty() {
                        out.push(target.to_string());
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// GitHub's anchor of a heading line (`## Charts and the report` →
/// `charts-and-the-report`), or `None` for other lines.
fn heading_anchor(line: &str) -> Option<String> {
    let title = line.strip_prefix('#')?.trim_start_matches('#');
    if !title.starts_with(' ') {
        return None;
    }
    Some(
        title
            .trim()
            .to_lowercase()
            .chars()
            .filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '-' || *c == '_')
            .map(|c| if c == ' ' { '-' } else { c })
            .collect(),
    )
}

#[test]
fn links_and_anchors_are_read_as_github_does() {
    assert_eq!(
        link_targets("see [a](docs/a.md#x) and ![b](i.png \"t\") but `[c](no)`"),
        ["docs/a.md#x", "i.png"]
    );
    assert_eq!(
        heading_anchor("## Time Release Study: who holds the goods up").as_deref(),
        Some("time-release-study-who-holds-the-goods-up")
    );
    assert_eq!(heading_anchor("#:schema x"), None);
}

/// The helper that keeps the docs' quoted test figures true matches across
/// the docs' line wraps, refuses an empty phrase, and writes counts the way
/// the docs do.
#[test]
fn quoted_figures_match_across_line_wraps_and_carry_thousands_commas() {
    let doc = "prints 2,300.4\n  found and 573.6 missed";
    assert!(common::quotes(doc, "2,300.4 found and 573.6 missed"));
    assert!(!common::quotes(doc, "2,300.5 found"));
    assert!(!common::quotes(doc, " "));
    assert_eq!(common::with_commas(2300.44, 1), "2,300.4");
    assert_eq!(common::with_commas(60024.0, 0), "60,024");
    assert_eq!(common::with_commas(999.96, 1), "1,000.0");
    assert_eq!(common::with_commas(-1234567.0, 0), "-1,234,567");
    assert_eq!(common::with_commas(-0.04, 1), "0.0");
    assert_eq!(common::with_commas(12.0, 2), "12.00");
}
