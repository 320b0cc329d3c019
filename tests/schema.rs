//! `clearsim schema`: the JSON Schema of scenario files. It is the file
//! shipped as `docs/scenario.schema.json`; every scenario in `scenarios/`
//! validates against it, and files with a misspelt key or a value of the
//! wrong type do not.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{clearsim, ok, repo_path};

fn schema_text() -> String {
    let o = clearsim(&["schema"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

fn validator() -> jsonschema::Validator {
    let schema: serde_json::Value = serde_json::from_str(&schema_text()).unwrap();
    jsonschema::validator_for(&schema).expect("the schema is a valid JSON Schema")
}

/// A TOML document as the JSON value editors check against the schema:
/// dates and times become their ISO 8601 text.
fn as_json(v: &toml::Value) -> serde_json::Value {
    use serde_json::Value as J;
    match v {
        toml::Value::String(s) => J::String(s.clone()),
        toml::Value::Integer(i) => J::from(*i),
        toml::Value::Float(f) => J::from(*f),
        toml::Value::Boolean(b) => J::Bool(*b),
        toml::Value::Datetime(d) => J::String(d.to_string()),
        toml::Value::Array(a) => J::Array(a.iter().map(as_json).collect()),
        toml::Value::Table(t) => {
            J::Object(t.iter().map(|(k, v)| (k.clone(), as_json(v))).collect())
        }
    }
}

/// The schema's complaints about the TOML text, one line each.
fn problems(v: &jsonschema::Validator, toml_text: &str) -> Vec<String> {
    let doc: toml::Value = toml::from_str(toml_text).expect("well-formed TOML");
    v.iter_errors(&as_json(&doc))
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

fn scenario_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            scenario_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
}

/// The shipped file is what the command prints: a change to the scenario
/// types that is not regenerated fails here (`clearsim schema --out
/// docs/scenario.schema.json` regenerates it).
#[test]
fn the_shipped_schema_is_current() {
    let shipped = fs::read_to_string(repo_path("docs/scenario.schema.json")).unwrap();
    assert!(
        shipped == schema_text(),
        "docs/scenario.schema.json is stale: run `clearsim schema --out docs/scenario.schema.json`"
    );
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("s.json");
    ok(&["schema", "--out", out.to_str().unwrap()]);
    assert_eq!(fs::read_to_string(out).unwrap(), shipped);
}

#[test]
fn every_scenario_file_validates() {
    let v = validator();
    let mut files = Vec::new();
    scenario_files(&repo_path("scenarios"), &mut files);
    assert!(files.len() >= 20, "only {} scenario files", files.len());
    for f in files {
        let found = problems(&v, &fs::read_to_string(&f).unwrap());
        assert!(found.is_empty(), "{}: {found:#?}", f.display());
    }
}

/// A misspelt key, a number given as text, a misspelt nested key and a
/// table where a list belongs are each refused, at their path.
#[test]
fn a_wrong_file_does_not_validate() {
    let v = validator();
    let base = fs::read_to_string(repo_path("scenarios/channels.toml")).unwrap();
    assert!(problems(&v, &base).is_empty());
    for (wrong, at) in [
        ("replicatons = 5\n", ""),
        ("replications = \"ten\"\n", "/replications"),
        ("[policy]\ninspection_rat = 0.02\n", "/policy"),
        ("[[streams]]\nid = \"x\"\nrate_per_hour = 2.0\n", "/streams"),
        ("[sites]\nid = \"x\"\n", "/sites"),
        // Named values are enums: a misspelt one is refused.
        ("[policy]\ntargeting = \"riskbased\"\n", "/policy/targeting"),
        (
            "[[streams]]\nmode = \"port-clearance\"\n",
            "/streams/0/mode",
        ),
        ("[[sites]]\nkind = \"seaport\"\n", "/sites/0/kind"),
        (
            "[[streams]]\nvalue = { dist = \"normal\", mean = 1.0 }\n",
            "/streams/0/value/dist",
        ),
        (
            "[calendars.c]\ndays = [\"monday\"]\n",
            "/calendars/c/days/0",
        ),
    ] {
        // The wrong part stands alone, so it is the only problem.
        let found = problems(&v, wrong);
        assert!(!found.is_empty(), "{wrong:?} validates");
        assert!(
            found.iter().all(|p| p.starts_with(at)),
            "{wrong:?}: {found:#?}"
        );
    }
    // Days may be in any case, as the reader takes them.
    assert!(problems(&v, "[calendars.c]\ndays = [\"Mon\", \"tue\"]\n").is_empty());
    // Dates are TOML dates, unquoted in the file.
    assert!(problems(&v, "start_date = 2024-11-02\n").is_empty());
}

/// The values an editor completes are those the reader accepts: each named
/// value the validator knows is an `enum` in the schema.
#[test]
fn named_values_are_enums() {
    let schema: serde_json::Value = serde_json::from_str(&schema_text()).unwrap();
    let defs = &schema["definitions"];
    let names = |def: &str| -> Vec<String> {
        let d = &defs[def];
        let list = if d["enum"].is_array() {
            &d["enum"]
        } else {
            &d["anyOf"][0]["enum"]
        };
        list.as_array()
            .unwrap_or_else(|| panic!("{def} has no enum: {d}"))
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(names("ModeName").len(), 5);
    assert!(names("ModeName").contains(&"regional_integration".to_string()));
    assert_eq!(names("TargetingName"), ["random", "risk_based"]);
    assert_eq!(names("ChannelName").len(), 4);
    assert!(names("SiteKindName").contains(&"clearance_centre".to_string()));
    assert!(names("DistName").contains(&"lognormal".to_string()));
    assert_eq!(
        names("ExperimentKindName"),
        ["compare", "sweep", "plan", "ladder"]
    );
    assert_eq!(
        names("PartyName"),
        ["customs", "other_agency", "trader", "logistics"]
    );
    assert_eq!(names("WeekdayName").len(), 7);
    for def in ["TaxTimingName", "LabTestTimingName", "TaxReviewName"] {
        assert_eq!(names(def).len(), 2, "{def}");
    }
}

/// Every shipped scenario starts with Taplo's schema directive, whose path
/// (relative to the file) is the shipped schema, so editors complete and
/// check its keys without any set-up.
#[test]
fn every_scenario_file_names_the_schema() {
    let mut files = Vec::new();
    scenario_files(&repo_path("scenarios"), &mut files);
    let schema = fs::canonicalize(repo_path("docs/scenario.schema.json")).unwrap();
    for f in files {
        let text = fs::read_to_string(&f).unwrap();
        let first = text.lines().next().unwrap_or("");
        let Some(rel) = first.strip_prefix("#:schema ") else {
            panic!(
                "{}: first line {first:?} is not `#:schema PATH`",
                f.display()
            );
        };
        let target = f.parent().unwrap().join(rel.trim());
        assert_eq!(
            fs::canonicalize(&target).ok().as_ref(),
            Some(&schema),
            "{}: {rel} does not lead to docs/scenario.schema.json",
            f.display()
        );
    }
}

/// The reference of every scenario key (docs/scenario-keys.md) is what
/// `clearsim schema --markdown` prints: generated from the same types, so
/// a key added to the reader appears there (CLEARSIM_BLESS=1 rewrites it).
#[test]
fn the_keys_reference_is_generated_from_the_schema() {
    let o = clearsim(&["schema", "--markdown"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let generated = String::from_utf8(o.stdout).unwrap();
    let path = repo_path("docs/scenario-keys.md");
    if std::env::var_os("CLEARSIM_BLESS").is_some() {
        fs::write(&path, &generated).unwrap();
    }
    let shipped = fs::read_to_string(&path).unwrap_or_default();
    assert!(
        shipped == generated,
        "docs/scenario-keys.md is stale: run `clearsim schema --markdown --out docs/scenario-keys.md` \
         (or the test with CLEARSIM_BLESS=1)"
    );
    // Every key of the schema has its row, with its description.
    let schema: serde_json::Value = serde_json::from_str(&schema_text()).unwrap();
    let mut tables = vec![&schema];
    tables.extend(schema["definitions"].as_object().unwrap().values());
    for t in tables {
        for (key, p) in t["properties"].as_object().into_iter().flatten() {
            assert!(
                generated.contains(&format!("| `{key}` |")),
                "no row for {key}"
            );
            if let Some(d) = p["description"].as_str() {
                let words: Vec<&str> = d.split_whitespace().collect();
                assert!(generated.contains(&words.join(" ")), "{key}: {d}");
            }
        }
    }
    for (key, values) in [
        ("targeting", "`random`, `risk_based`"),
        ("dist", "`deterministic`, `exponential`"),
    ] {
        assert!(
            generated
                .lines()
                .any(|l| l.starts_with(&format!("| `{key}` |")) && l.contains(values)),
            "{key} without its values {values}"
        );
    }
}
