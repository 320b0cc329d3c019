//! Figures that a doc quotes from a test's printout are checked by that
//! test: with fixed seeds the test measures the same figure every run, so
//! a doc that no longer quotes it is out of date (the model's draws, or
//! the model, changed), and the test says which figure moved.

use super::repo_path;

/// Asserts that `doc` (a path from the crate root) contains `phrase`, a
/// figure as the calling test has just measured and formatted it. A run of
/// whitespace in either matches any run in the other, so the doc's line
/// wraps do not matter.
pub fn assert_quoted(doc: &str, phrase: &str) {
    let text = std::fs::read_to_string(repo_path(doc))
        .unwrap_or_else(|e| panic!("{doc} cannot be read: {e}"));
    assert!(
        quotes(&text, phrase),
        "{doc} no longer quotes what this test measures: \"{phrase}\". \
         Put the new figure in {doc} and say there why it moved."
    );
}

/// Whether `text` contains `phrase`, whitespace runs matching each other.
pub fn quotes(text: &str, phrase: &str) -> bool {
    let flat = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    !phrase.trim().is_empty() && flat(text).contains(&flat(phrase))
}

/// `x` rounded to `decimals` places with a comma between thousands, the
/// way the docs write counts (2,300.4; 60,024).
pub fn with_commas(x: f64, decimals: usize) -> String {
    let fixed = format!("{:.*}", decimals, x.abs());
    let (whole, fraction) = fixed.split_at(fixed.find('.').unwrap_or(fixed.len()));
    let mut grouped = String::new();
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    let sign = if x < 0.0 && fixed.chars().any(|c| c.is_ascii_digit() && c != '0') {
        "-"
    } else {
        ""
    };
    format!("{sign}{grouped}{fraction}")
}
