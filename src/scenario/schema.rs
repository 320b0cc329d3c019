//! The JSON Schema of scenario files, derived from the serde mirror the
//! reader parses them with ([`super::raw`]), so the keys, nesting and value
//! types an editor checks are exactly those `clearsim` accepts. Ranges,
//! names that must exist and the choice among named values are checked by
//! `clearsim validate`, which says what to fix.

use schemars::Schema;
use schemars::generate::SchemaSettings;
use schemars::transform::RecursiveTransform;
use serde_json::Value;

use super::raw::RawScenario;

/// The schema as pretty-printed JSON, ending in a newline.
pub fn json_schema() -> String {
    let generator = SchemaSettings::draft07()
        .with_transform(RecursiveTransform(no_null as fn(&mut Schema)))
        .into_generator();
    let mut schema = generator.into_root_schema_for::<RawScenario>();
    schema.insert("title".into(), "clearsim scenario".into());
    schema.insert(
        "description".into(),
        "A clearsim scenario file (TOML): customs, ports, regions, links, \
         resources, arrival streams, policy and an optional study. Generated \
         by `clearsim schema` from the types the reader uses."
            .into(),
    );
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

/// TOML has no null: an `Option` field is a key that may be left out, so
/// `"type": ["number", "null"]` becomes `"type": "number"` and an `anyOf`
/// of a table and null becomes the table.
fn no_null(schema: &mut Schema) {
    let Some(obj) = schema.as_object_mut() else {
        return;
    };
    if let Some(Value::Array(types)) = obj.get_mut("type") {
        types.retain(|t| t != "null");
        if types.len() == 1 {
            let only = types[0].clone();
            obj.insert("type".into(), only);
        }
    }
    if let Some(Value::Array(any)) = obj.get("anyOf") {
        let null = serde_json::json!({ "type": "null" });
        let rest: Vec<Value> = any.iter().filter(|s| **s != null).cloned().collect();
        if let [Value::Object(only)] = rest.as_slice() {
            let only = only.clone();
            obj.remove("anyOf");
            obj.extend(only);
        }
    }
}
