//! `demo.html`: the demo player as one self-contained page. The data
//! ([`super::player::PlayerData`]) goes inline as JSON, the style and the
//! script ([`STYLE`], [`SCRIPT`]) inline as text; nothing is fetched, no
//! font, no library, no network.
//!
//! Scenario text may be anything (`<script>` included): it reaches the page
//! HTML-escaped in the markup and, in the JSON, with every `<`, `>` and `&`
//! written as a `\u` escape, so no string can close the script element; the
//! script puts text into the page only as text nodes.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::narrate::clock;
use super::player::PlayerData;
use crate::output::write_atomic;
use crate::report::escape;

/// The page's style sheet (screen and print).
pub const STYLE: &str = include_str!("player.css");
/// The page's script.
pub const SCRIPT: &str = include_str!("player.js");

/// The keyboard shortcuts, as listed on the page.
const KEYS: [(&str, &str); 10] = [
    ("space", "play/pause"),
    ("→ ←", "next/previous event"),
    ("+ −", "faster/slower"),
    ("Home End", "start/end"),
    ("click", "follow a dot"),
    ("f", "follow the next traced one"),
    ("Esc", "stop following"),
    ("b", "background load"),
    ("1…5", "show/hide a mode"),
    ("Ctrl+P", "print frame and narration"),
];

/// JSON that is safe inside a `<script>` element: `<`, `>`, `&` and the
/// two JavaScript line separators as `\u` escapes (they can only occur in
/// strings, where the escape means the same character).
pub fn script_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// The whole page.
pub fn render(data: &PlayerData) -> anyhow::Result<String> {
    let json = script_json(&serde_json::to_string(data)?);
    let title = escape(&data.title);
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title} · clearsim demo player</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n"
    );
    let _ = write!(
        h,
        "<header class=\"top\">\n<h1>{title}</h1>\n<div class=\"controls\">\n\
         <button id=\"prev\" title=\"previous event (←)\">◀ prev</button>\n\
         <button id=\"play\" title=\"play or pause (space)\">▶ play</button>\n\
         <button id=\"next\" title=\"next event (→)\">next ▶</button>\n\
         <button id=\"slower\" title=\"slower (−)\">−</button><span id=\"speed\"></span>\
         <button id=\"faster\" title=\"faster (+)\">+</button>\n\
         <input id=\"time\" type=\"range\" min=\"0\" step=\"0.001\" value=\"0\" aria-label=\"time since the window's start [h]\">\n\
         <label><input id=\"background\" type=\"checkbox\"> background load</label>\n</div>\n\
         <div id=\"modes\" class=\"controls\"></div>\n</header>\n"
    );
    h.push_str(
        "<main>\n<div id=\"panels\"></div>\n<aside>\n<h2 id=\"narration-head\"></h2>\n\
         <ol id=\"narration\"></ol>\n</aside>\n</main>\n",
    );
    footer(&mut h, data);
    print_narration(&mut h, data);
    let _ = write!(
        h,
        "<script type=\"application/json\" id=\"player-data\">{json}</script>\n<script>\n{SCRIPT}</script>\n</body>\n</html>\n"
    );
    Ok(h)
}

/// The legend, the keys and what the window shows.
fn footer(h: &mut String, data: &PlayerData) {
    h.push_str(
        "<footer>\n<svg id=\"legend-svg\" width=\"0\" height=\"0\" style=\"position:absolute\" aria-hidden=\"true\"><defs>\
         <pattern id=\"closed-hatch\" width=\"5\" height=\"5\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">\
         <rect width=\"5\" height=\"5\" fill=\"#000\" fill-opacity=\"0.10\"/>\
         <line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"5\" stroke=\"#333\" stroke-width=\"1.4\"/></pattern></defs></svg>\n\
         <div class=\"legend\">",
    );
    for c in &data.channels {
        let _ = write!(
            h,
            "<span><svg width=\"14\" height=\"14\" viewBox=\"-7 -7 14 14\"><path d=\"{}\" fill=\"{}\" stroke=\"#000\" stroke-width=\"0.6\"/></svg> {}</span>",
            shape_path(c.shape, 4.5),
            c.colour,
            escape(c.name)
        );
    }
    h.push_str(
        "<span>large: traced; small: background; red ring: followed</span>\
         <span><svg width=\"30\" height=\"12\"><rect width=\"30\" height=\"12\" fill=\"url(#closed-hatch)\"/></svg> closed</span>\
         <span><svg width=\"30\" height=\"10\"><rect x=\"0.5\" y=\"0.5\" width=\"29\" height=\"9\" fill=\"#fff\" stroke=\"#555\"/>\
         <rect x=\"0.5\" y=\"0.5\" width=\"18\" height=\"9\" fill=\"#555\"/></svg> busy / capacity, q queue</span>\
         <span>box dots: working above, queueing below</span></div>\n<div class=\"keys\">Keys: ",
    );
    for (i, (k, what)) in KEYS.iter().enumerate() {
        let sep = if i == 0 { "" } else { " · " };
        let _ = write!(h, "{sep}<kbd>{k}</kbd> {what}");
    }
    let from = clock(data.t0, data.start_weekday);
    let to = clock(data.t0 + data.span, data.start_weekday);
    let counted = data.modes.iter().map(|m| m.counted).max().unwrap_or(0);
    let counted_from = clock(data.t0 + data.counted_from, data.start_weekday);
    let _ = write!(
        h,
        "</div>\n<div>{from} to {to} · seed {} · {} · background: 1 in {} drawn; \
         queues count all {counted} arriving from {counted_from}</div>\n</footer>\n",
        data.seed,
        escape(&data.source),
        data.thinning,
    );
}

/// The whole narration of every mode, for the printed page.
fn print_narration(h: &mut String, data: &PlayerData) {
    h.push_str("<section class=\"print-only\">\n<h2>Narration</h2>\n");
    for m in &data.modes {
        let _ = write!(
            h,
            "<h3>{}</h3>\n<p>{}</p>\n<pre>",
            escape(m.name),
            escape(m.explain)
        );
        for d in m.dots.iter().filter(|d| d.followed) {
            for (_, line) in &d.lines {
                let _ = writeln!(h, "{}", escape(line));
            }
            h.push('\n');
        }
        h.push_str("</pre>\n");
    }
    h.push_str("</section>\n");
}

/// A legend shape's SVG path centred on 0,0 (the script draws the same).
fn shape_path(shape: &str, r: f64) -> String {
    let q = r * 1.3;
    match shape {
        "square" => format!("M{},{}h{}v{}h{}z", -r, -r, 2.0 * r, 2.0 * r, -2.0 * r),
        "diamond" => format!("M0,{}L{q},0L0,{q}L{},0z", -q, -q),
        "triangle" => format!("M0,{}L{q},{}L{},{}z", -q, q * 0.8, -q, q * 0.8),
        _ => format!(
            "M{},0a{r},{r} 0 1,0 {},0a{r},{r} 0 1,0 {},0",
            -r,
            2.0 * r,
            -2.0 * r
        ),
    }
}

/// Writes `DIR/demo.html` atomically; returns its path.
pub fn write(dir: &Path, data: &PlayerData) -> anyhow::Result<PathBuf> {
    let path = dir.join("demo.html");
    write_atomic(&path, render(data)?.as_bytes())?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_cannot_close_the_script_element() {
        let json = serde_json::to_string("</script><b>&\u{2028}").unwrap();
        let safe = script_json(&json);
        assert!(!safe.contains('<') && !safe.contains('>') && !safe.contains('&'));
        let back: String = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, "</script><b>&\u{2028}");
    }
}
