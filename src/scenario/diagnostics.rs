//! Problems found in a scenario file, with where they are and what to do.

use std::fmt;
use std::ops::Range;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// One finding: the field path (e.g. `streams[1].site`), its line and
/// column when known, and a message saying what is wrong and what would be
/// valid.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub path: String,
    /// 1-based line and column.
    pub location: Option<(usize, usize)>,
    pub message: String,
}

/// 1-based line and column of byte `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |i| i + 1);
    let col = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, col)
}

/// The most findings listed for one file; the rest are counted.
const MAX_DIAGNOSTICS: usize = 1_000;

/// Collects findings for one file.
pub struct Diagnostics<'a> {
    text: &'a str,
    pub items: Vec<Diagnostic>,
    /// Byte offsets where lines start, computed at the first finding, so
    /// that locating many findings in a large file stays fast.
    line_starts: Option<Vec<usize>>,
    /// Findings beyond [`MAX_DIAGNOSTICS`], not listed.
    unlisted: usize,
}

impl<'a> Diagnostics<'a> {
    pub fn new(text: &'a str) -> Self {
        Self {
            text,
            items: Vec::new(),
            line_starts: None,
            unlisted: 0,
        }
    }

    /// [`line_col`] by binary search over the line starts.
    fn locate(&mut self, offset: usize) -> (usize, usize) {
        let text = self.text;
        let starts = self.line_starts.get_or_insert_with(|| {
            std::iter::once(0)
                .chain(
                    text.bytes()
                        .enumerate()
                        .filter(|(_, b)| *b == b'\n')
                        .map(|(i, _)| i + 1),
                )
                .collect()
        });
        let offset = offset.min(text.len());
        let line = starts.partition_point(|&s| s <= offset);
        let start = starts[line - 1];
        let col = String::from_utf8_lossy(&text.as_bytes()[start..offset])
            .chars()
            .count()
            + 1;
        (line, col)
    }

    fn push(&mut self, severity: Severity, path: &str, span: Option<Range<usize>>, msg: String) {
        if self.items.len() >= MAX_DIAGNOSTICS {
            self.unlisted += 1;
            return;
        }
        let location = span.map(|s| self.locate(s.start));
        self.items.push(Diagnostic {
            severity,
            path: path.to_string(),
            location,
            message: msg,
        });
    }

    /// The findings in file order (those of the file as a whole first),
    /// and how many more were found but not listed.
    pub fn into_items(mut self) -> (Vec<Diagnostic>, usize) {
        self.items.sort_by_key(|i| i.location);
        (self.items, self.unlisted)
    }

    pub fn error(&mut self, path: &str, span: Option<Range<usize>>, msg: impl Into<String>) {
        self.push(Severity::Error, path, span, msg.into());
    }

    pub fn warning(&mut self, path: &str, span: Option<Range<usize>>, msg: impl Into<String>) {
        self.push(Severity::Warning, path, span, msg.into());
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }
}

/// A scenario that cannot be run, with every error found (and any warnings).
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioError {
    pub file: String,
    pub diagnostics: Vec<Diagnostic>,
    /// Problems found beyond those listed (at most [`MAX_DIAGNOSTICS`] are).
    pub unlisted: usize,
}

impl ScenarioError {
    pub fn single(file: &str, message: String) -> Self {
        Self {
            file: file.to_string(),
            diagnostics: vec![Diagnostic {
                severity: Severity::Error,
                path: String::new(),
                location: None,
                message,
            }],
            unlisted: 0,
        }
    }

    /// A syntax or structure error from the TOML parser, at field `path`
    /// (empty when unknown).
    pub fn from_toml(file: &str, text: &str, e: &toml::de::Error, path: &str) -> Self {
        Self {
            file: file.to_string(),
            diagnostics: vec![Diagnostic {
                severity: Severity::Error,
                path: path.to_string(),
                location: e.span().map(|s| line_col(text, s.start)),
                message: plain_message(e.message().trim()),
            }],
            unlisted: 0,
        }
    }

    pub fn errors(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
            + self.unlisted
    }
}

/// A serde field path without the markers of spanned values and the root
/// dot: `resources[0].capacity`.
pub fn clean_path(path: &str) -> String {
    let p: Vec<&str> = path
        .split('.')
        .filter(|seg| !seg.is_empty() && !seg.starts_with("$__"))
        .collect();
    p.join(".").replace(".[", "[")
}

/// Serde's messages in the words of a scenario author: TOML types rather
/// than Rust ones, and a suggestion for a misspelt key.
fn plain_message(msg: &str) -> String {
    let mut m = msg.to_string();
    for (rust, toml) in [
        (" as i128, expected f64", ", expected a number"),
        (" as i128, expected i64", ", expected an integer"),
        ("expected i64", "expected an integer"),
        ("expected f64", "expected a number"),
        ("expected a sequence", "expected an array [..]"),
        ("expected a map", "expected a table"),
    ] {
        m = m.replace(rust, toml);
    }
    if let Some(i) = m.find("expected struct Raw") {
        m.truncate(i);
        m.push_str("expected a table");
    }
    if let Some(s) = suggestion(&m) {
        m.push_str(&format!("; did you mean `{s}`?"));
    }
    m
}

/// For "unknown field `x`, expected one of `a`, `b`": the expected key
/// closest to `x`, if it is a plausible typo.
fn suggestion(msg: &str) -> Option<String> {
    if !msg.starts_with("unknown field") && !msg.starts_with("unknown variant") {
        return None;
    }
    let quoted: Vec<&str> = msg.split('`').skip(1).step_by(2).collect();
    let (given, expected) = quoted.split_first()?;
    expected
        .iter()
        .map(|e| (edit_distance(given, e), *e))
        .filter(|(d, e)| *d <= 2.max(e.len() / 4))
        .min()
        .map(|(_, e)| e.to_string())
}

/// Levenshtein distance between two short keys.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// `file:line:col: error: path: message`, the form editors and terminals
/// turn into links.
pub fn format_diagnostic(file: &str, d: &Diagnostic) -> String {
    let mut s = file.to_string();
    if let Some((l, c)) = d.location {
        s.push_str(&format!(":{l}:{c}"));
    }
    s.push_str(match d.severity {
        Severity::Error => ": error: ",
        Severity::Warning => ": warning: ",
    });
    if !d.path.is_empty() {
        s.push_str(&d.path);
        s.push_str(": ");
    }
    s.push_str(&d.message);
    s
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.diagnostics {
            writeln!(f, "{}", format_diagnostic(&self.file, d))?;
        }
        if self.unlisted > 0 {
            writeln!(
                f,
                "{}: ... and {} more problems, not listed (the first {MAX_DIAGNOSTICS} are)",
                self.file, self.unlisted
            )?;
        }
        let n = self.errors();
        write!(
            f,
            "{}: {n} error{} found; the scenario was not run",
            self.file,
            if n == 1 { "" } else { "s" }
        )
    }
}

impl std::error::Error for ScenarioError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn findings_are_located_fast_and_bounded() {
        let t = "a = 1\nbé = 2\n";
        let mut d = Diagnostics::new(t);
        for offset in [0, 6, 9, 100] {
            assert_eq!(d.locate(offset), line_col(t, offset));
        }
        for _ in 0..MAX_DIAGNOSTICS + 5 {
            d.error("x", Some(9..10), "bad");
        }
        let (items, unlisted) = d.into_items();
        assert_eq!((items.len(), unlisted), (MAX_DIAGNOSTICS, 5));
    }

    #[test]
    fn line_and_column_are_one_based() {
        let t = "a = 1\nbé = 2\n";
        assert_eq!(line_col(t, 0), (1, 1));
        assert_eq!(line_col(t, 6), (2, 1));
        assert_eq!(line_col(t, 9), (2, 3)); // after the two-byte é
    }

    #[test]
    fn misspelt_keys_get_a_suggestion() {
        let m = plain_message("unknown field `capacty`, expected one of `id`, `site`, `capacity`");
        assert!(m.ends_with("did you mean `capacity`?"), "{m}");
        let m = plain_message("unknown field `zzz`, expected one of `id`, `site`");
        assert!(!m.contains("did you mean"), "{m}");
        assert_eq!(edit_distance("inspektion", "inspection"), 1);
    }

    #[test]
    fn rust_type_names_become_toml_ones() {
        let m = plain_message("invalid type: string \"ten\", expected i64");
        assert_eq!(m, "invalid type: string \"ten\", expected an integer");
        assert_eq!(
            clean_path("resources[0].capacity.$__serde_spanned_private_value"),
            "resources[0].capacity"
        );
    }
}
