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
    ] {
        // The wrong part stands alone, so it is the only problem.
        let found = problems(&v, wrong);
        assert!(!found.is_empty(), "{wrong:?} validates");
        assert!(
            found.iter().all(|p| p.starts_with(at)),
            "{wrong:?}: {found:#?}"
        );
    }
    // Dates are TOML dates, unquoted in the file.
    assert!(problems(&v, "start_date = 2024-11-02\n").is_empty());
}
