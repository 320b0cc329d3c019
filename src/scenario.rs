//! Scenario files: the TOML format (see `docs/scenario-keys.md`), parsing, and
//! validation into a checked [`Model`].
//!
//! Parsing is strict (`deny_unknown_fields`): a misspelt key is an error
//! naming the key, its line and column, and the keys that would be valid.
//! Validation then checks meaning (ranges, references between sections,
//! capacities that work must pass through, offered load) and reports every
//! problem at once rather than one per attempt. Raw input never reaches the
//! engine.

mod diagnostics;
mod raw;
mod schema;
mod validate;

use std::path::Path;

use sha2::{Digest, Sha256};

pub use diagnostics::{Diagnostic, ScenarioError, Severity, format_diagnostic};
pub use validate::{Experiment, MAX_HORIZON_H, known_ids};

/// Warnings (or any diagnostics) as lines of text, one per finding.
pub use schema::{json_schema, markdown_reference};

pub fn diagnostics_text(file: &str, items: &[Diagnostic]) -> String {
    items
        .iter()
        .map(|d| format_diagnostic(file, d) + "\n")
        .collect()
}

use crate::model::Model;

/// The built-in default scenario, run by `clearsim run` without a file.
pub const BUILTIN_DEFAULT: &str = include_str!("../scenarios/default.toml");
/// How the built-in scenario is named in messages and the manifest.
pub const BUILTIN_LABEL: &str = "<built-in default: scenarios/default.toml>";

/// A validated scenario: the model plus how to run it and where it came from.
#[derive(Clone, Debug)]
pub struct Scenario {
    pub name: String,
    pub description: String,
    pub model: Model,
    pub seed: u64,
    pub replications: u32,
    /// File path, or [`BUILTIN_LABEL`].
    pub source_label: String,
    /// SHA-256 of the file's bytes, hex.
    pub source_sha256: String,
    /// Non-fatal findings (e.g. offered load at or above capacity).
    pub warnings: Vec<Diagnostic>,
    /// The file's text, kept so that variants can be rebuilt from it.
    pub source_text: String,
    /// The study the file describes in `[experiment]`, if any.
    pub experiment: Option<Experiment>,
    /// Built under a command-line mode: the streams that kept their own
    /// mode, and why.
    pub kept_own_mode: Vec<String>,
}

/// Settings that replace the file's own when a scenario is built, for
/// experiments that run one file several ways.
#[derive(Clone, Copy, Debug, Default)]
pub struct Overrides {
    /// One clearance mode for every general-trade stream that can take it
    /// (the others keep their own, see [`Scenario::kept_own_mode`]).
    pub mode: Option<crate::model::Mode>,
    /// Impose `mode` on every stream and every consignment, whatever its
    /// channel and credit class (the trainers' demo shows each mode moving
    /// a consignment of every channel).
    pub every_stream: bool,
}

impl Scenario {
    /// The folder a run writes to by default, `output/<slug of the name>`:
    /// the name is free text (it titles the report), the folder keeps to
    /// letters, digits, `_`, `-` and `.`.
    pub fn default_out_dir(&self) -> std::path::PathBuf {
        let slug: String = self
            .name
            .trim()
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.') {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let slug = slug.trim_start_matches('.');
        std::path::Path::new("output").join(if slug.is_empty() { "scenario" } else { slug })
    }

    /// SHA-256 (hex) of the scenario's content whatever its layout: the
    /// file parsed and written back with its keys in order, so comments,
    /// spacing and key order do not change it, and any setting does.
    /// Shards record it; `merge` refuses shards of another content.
    pub fn content_sha256(&self) -> String {
        let canonical = toml::from_str::<toml::Table>(&self.source_text)
            .map_or_else(|_| self.source_text.clone(), |t| t.to_string());
        Sha256::digest(canonical.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// The same scenario rebuilt with `overrides`; errors name what the
    /// variant lacks (e.g. a link that a mode needs).
    pub fn with(&self, overrides: &Overrides) -> Result<Scenario, ScenarioError> {
        parse_with(&self.source_label, self.source_text.as_bytes(), overrides)
    }
}

/// The largest scenario file read: 64 MiB.
pub const MAX_FILE_BYTES: u64 = 64 << 20;

/// Reads at most `limit` bytes of the file at `path`: an error (the
/// message) if it cannot be read or is longer, checked while reading, so
/// that a device or a growing file is never read whole.
pub fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > limit {
        return Err(format!(
            "the file is larger than {} MiB, the most clearsim reads",
            limit >> 20
        ));
    }
    Ok(bytes)
}

/// Reads and validates the scenario file at `path`.
pub fn load(path: &Path) -> Result<Scenario, ScenarioError> {
    let label = path.display().to_string();
    let bytes = read_limited(path, MAX_FILE_BYTES).map_err(|e| {
        ScenarioError::single(&label, format!("cannot read the scenario file: {e}"))
    })?;
    parse(&label, &bytes)
}

/// The built-in default scenario.
pub fn builtin_default() -> Scenario {
    parse(BUILTIN_LABEL, BUILTIN_DEFAULT.as_bytes())
        .expect("the built-in default scenario is valid (tested)")
}

/// Validates scenario text; `label` names it in messages.
pub fn parse(label: &str, bytes: &[u8]) -> Result<Scenario, ScenarioError> {
    parse_with(label, bytes, &Overrides::default())
}

/// Validates scenario text with some settings replaced.
pub fn parse_with(
    label: &str,
    bytes: &[u8],
    overrides: &Overrides,
) -> Result<Scenario, ScenarioError> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        let valid = std::str::from_utf8(&bytes[..at]).unwrap_or_default();
        let mut err = ScenarioError::single(
            label,
            format!("not a text file: invalid UTF-8 at byte {at}; a scenario is a UTF-8 TOML file"),
        );
        err.diagnostics[0].location = Some(diagnostics::line_col(valid, at));
        err
    })?;
    if text.trim().is_empty() {
        return Err(ScenarioError::single(
            label,
            "the file is empty; a scenario needs at least `name`, `horizon_days`, \
             [policy], [[sites]] and [[streams]] (see scenarios/default.toml)"
                .to_string(),
        ));
    }
    // The path-tracking wrapper names the field of a type error, which the
    // TOML parser alone does not.
    let de = toml::Deserializer::parse(text)
        .map_err(|e| ScenarioError::from_toml(label, text, &e, ""))?;
    let raw: raw::RawScenario = serde_path_to_error::deserialize(de).map_err(|e| {
        let path = diagnostics::clean_path(&e.path().to_string());
        ScenarioError::from_toml(label, text, e.inner(), &path)
    })?;
    let sha = Sha256::digest(bytes);
    let source_sha256 = sha.iter().map(|b| format!("{b:02x}")).collect();
    validate::validate(label, text, raw, source_sha256, overrides)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors_of(text: &str) -> String {
        match parse("t.toml", text.as_bytes()) {
            Ok(_) => panic!("expected errors"),
            Err(e) => e.to_string(),
        }
    }

    /// Each mode's needs are checked against the network, with a message
    /// saying what to add.
    #[test]
    fn modes_report_what_the_network_lacks() {
        let transit = include_str!("../scenarios/modes/customs_transit.toml");
        let cut = transit.find("[[links]]").unwrap();
        let end = transit[cut..].find("# --- Demand").unwrap() + cut;
        let no_link = format!("{}{}", &transit[..cut], &transit[end..]);
        let e = errors_of(&no_link);
        assert!(
            e.contains("streams[0].mode: mode customs_transit moves goods"),
            "{e}"
        );
        assert!(e.contains("no [[links]] entry"), "{e}");

        let regional = include_str!("../scenarios/modes/regional_integration.toml");
        let e = errors_of(&regional.replace("integrated = true", "integrated = false"));
        assert!(e.contains("same integrated region"), "{e}");

        let tdpr = include_str!("../scenarios/modes/territorial_declaration_port_release.toml");
        let no_delay: String = tdpr
            .lines()
            .filter(|l| !l.starts_with("coordination_delay"))
            .map(|l| format!("{l}\n"))
            .collect();
        let e = errors_of(&no_delay);
        assert!(
            e.contains("give region \"yangtze\" a coordination_delay"),
            "{e}"
        );

        let e = errors_of(&tdpr.replace("home = \"hangzhou_customs\"\n", ""));
        assert!(e.contains("needs the importer's home customs"), "{e}");
        let e = errors_of(&tdpr.replace("home = \"hangzhou_customs\"", "home = \"yangshan_port\""));
        assert!(e.contains("is not a customs office"), "{e}");
    }

    /// An [experiment] table is checked like the rest of the file.
    #[test]
    fn experiment_tables_are_validated() {
        let base = include_str!("../scenarios/validation/mmc.toml");
        let with = |table: &str| format!("{base}\n[experiment]\n{table}\n");
        let ok = parse(
            "t.toml",
            with("kind = \"sweep\"\nset = [\"policy.inspection_rate=0.1,0.2\"]").as_bytes(),
        )
        .unwrap();
        assert_eq!(
            ok.experiment,
            Some(Experiment::Sweep {
                settings: vec!["policy.inspection_rate=0.1,0.2".into()]
            })
        );
        for (table, expect) in [
            (
                "kind = \"poll\"",
                "unknown kind \"poll\"; one of compare, sweep, plan",
            ),
            ("kind = \"sweep\"", "experiment.set: missing"),
            (
                "kind = \"sweep\"\nset = [\"nonsense\"]",
                "expected PATH=VALUES",
            ),
            (
                "kind = \"plan\"\nresource = \"ghosts\"\ntarget = \"wait_mean_h<=1\"",
                "unknown resource \"ghosts\"; defined resources: servers",
            ),
            (
                "kind = \"plan\"\nresource = \"servers\"\ntarget = \"wait_mean_h>1\"",
                "expected METRIC<=VALUE",
            ),
            (
                "kind = \"compare\"\nmodes = \"port_clearance,teleport\"",
                "unknown clearance mode \"teleport\"",
            ),
            (
                "kind = \"compare\"\nresource = \"servers\"",
                "`resource` belongs to kind = \"plan\"",
            ),
        ] {
            let e = errors_of(&with(table));
            assert!(e.contains(expect), "{table}: {e}");
        }
    }

    /// Comments, spacing and key order are layout; a value is content.
    #[test]
    fn content_hash_ignores_layout_and_sees_every_value() {
        let text = BUILTIN_DEFAULT;
        let hash = |t: &str| parse("t.toml", t.as_bytes()).unwrap().content_sha256();
        let base = hash(text);
        let relaid = format!("# a comment\n\n{}", text.replace(" = ", "   =   ")).replacen(
            "seed   =   20261111\nreplications   =   10",
            "replications = 10\nseed = 20261111",
            1,
        );
        assert!(
            relaid.contains("replications = 10\nseed"),
            "the key order changed"
        );
        assert_eq!(hash(&relaid), base);
        let changed = text.replacen("seed = 20261111", "seed = 20261112", 1);
        assert_ne!(hash(&changed), base);
    }

    #[test]
    fn builtin_default_is_valid() {
        let s = builtin_default();
        assert!(!s.model.streams.is_empty());
        // Double 11 builds a queue at the e-commerce x-ray lines for a few
        // days, and validate says so; nothing is overloaded on average.
        let other: Vec<_> = s
            .warnings
            .iter()
            .filter(|w| !w.message.starts_with("during \"double_11\""))
            .collect();
        assert!(other.is_empty(), "{other:?}");
    }
}
