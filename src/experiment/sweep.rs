//! Parameter sweeps: `--set PATH=VALUES` settings, their grid of variants,
//! and applying one variant's values to the scenario text.
//!
//! A path names a key of the scenario file: `policy.inspection_rate`,
//! `volume_scale`, or an entry of an array of tables by its id, such as
//! `resources.port_reviewers.capacity` or `streams.postal_articles.data_quality`.
//! Values are a comma-separated list (`0.01,0.05,0.1`, `random,risk_based`)
//! or an inclusive range `start:stop:step` (`0.005:0.2:0.005`).

use toml::{Table, Value};

/// One `--set`: a path and the values it takes.
#[derive(Clone, Debug, PartialEq)]
pub struct Setting {
    pub path: String,
    pub values: Vec<Value>,
}

/// The most variants one range may produce (a typo such as a step of
/// 0.00001 would otherwise ask for millions).
const MAX_RANGE_VALUES: usize = 10_000;

/// The most variants a grid may have (the product of the settings' value
/// counts): each is a scenario built and run.
pub const MAX_VARIANTS: usize = 10_000;

/// The number of variants of the grid of `settings`, or why it is too
/// many (checked before the grid is built).
pub fn grid_size(settings: &[Setting]) -> Result<usize, String> {
    let mut n: usize = 1;
    for s in settings {
        n = n.saturating_mul(s.values.len());
    }
    if n > MAX_VARIANTS {
        let counts: Vec<String> = settings
            .iter()
            .map(|s| format!("{} ({})", s.path, s.values.len()))
            .collect();
        return Err(format!(
            "the grid has {} variants ({}); at most {MAX_VARIANTS} are allowed: \
             use fewer values or a larger step",
            if n == usize::MAX {
                "too many".to_string()
            } else {
                n.to_string()
            },
            counts.join(" × ")
        ));
    }
    Ok(n)
}

/// Parses `PATH=LIST_OR_RANGE`.
pub fn parse_setting(arg: &str) -> Result<Setting, String> {
    let (path, values) = arg.split_once('=').ok_or_else(|| {
        format!("{arg:?}: expected PATH=VALUES, e.g. policy.inspection_rate=0.01:0.1:0.01")
    })?;
    let path = path.trim();
    if path.is_empty() || path.split('.').any(str::is_empty) {
        return Err(format!(
            "{arg:?}: the path must be dot-separated keys, e.g. policy.inspection_rate"
        ));
    }
    let values = values.trim();
    let colons = values.split(':').count() - 1;
    if colons > 0 && (colons != 2 || values.contains(',')) {
        return Err(format!(
            "{arg:?}: a range needs three numbers, start:stop:step (e.g. {path}=0.02:0.05:0.01); a list is comma-separated (e.g. {path}=0.02,0.05)"
        ));
    }
    let parsed = if colons == 2 {
        range(values).map_err(|e| format!("{arg:?}: {e}"))?
    } else {
        let n = values.split(',').count();
        if n > MAX_RANGE_VALUES {
            return Err(format!(
                "{path}: the list has {n} values; at most {MAX_RANGE_VALUES} are allowed"
            ));
        }
        values.split(',').map(|v| scalar(v.trim())).collect()
    };
    if parsed.is_empty() {
        return Err(format!("{arg:?}: give at least one value"));
    }
    Ok(Setting {
        path: path.to_string(),
        values: parsed,
    })
}

/// A TOML scalar from its text: integer, float, boolean or string.
fn scalar(v: &str) -> Value {
    if let Ok(i) = v.parse::<i64>() {
        Value::Integer(i)
    } else if let Ok(f) = v.parse::<f64>() {
        Value::Float(f)
    } else if let Ok(b) = v.parse::<bool>() {
        Value::Boolean(b)
    } else {
        Value::String(v.trim_matches('"').to_string())
    }
}

/// `start:stop:step`, inclusive of `stop` (up to rounding).
fn range(spec: &str) -> Result<Vec<Value>, String> {
    let parts: Vec<&str> = spec.split(':').collect();
    let nums: Vec<f64> = parts
        .iter()
        .map(|p| {
            p.trim()
                .parse::<f64>()
                .map_err(|_| format!("{p:?} is not a number in start:stop:step"))
        })
        .collect::<Result<_, _>>()?;
    let (start, stop, step) = (nums[0], nums[1], nums[2]);
    if !(step > 0.0 && step.is_finite() && start.is_finite() && stop.is_finite()) || stop < start {
        return Err("a range needs finite start <= stop and a step > 0".into());
    }
    let count = ((stop - start) / step + 1e-9).floor() as usize + 1;
    if count > MAX_RANGE_VALUES {
        return Err(format!(
            "the range has {count} values; at most {MAX_RANGE_VALUES} are allowed"
        ));
    }
    let integral = parts.iter().all(|p| p.trim().parse::<i64>().is_ok());
    Ok((0..count)
        .map(|k| {
            let v = start + k as f64 * step;
            if integral {
                Value::Integer(v.round() as i64)
            } else {
                // Round away the binary noise of repeated addition.
                Value::Float((v * 1e12).round() / 1e12)
            }
        })
        .collect())
}

/// Every combination of the settings' values, the first setting varying
/// slowest.
pub fn grid(settings: &[Setting]) -> Vec<Vec<(String, Value)>> {
    let mut out: Vec<Vec<(String, Value)>> = vec![Vec::new()];
    for s in settings {
        out = out
            .into_iter()
            .flat_map(|prefix| {
                s.values.iter().map(move |v| {
                    let mut p = prefix.clone();
                    p.push((s.path.clone(), v.clone()));
                    p
                })
            })
            .collect();
    }
    out
}

/// A variant's name: `path=value;path=value`.
pub fn variant_name(assignments: &[(String, Value)]) -> String {
    assignments
        .iter()
        .map(|(p, v)| format!("{p}={}", display(v)))
        .collect::<Vec<_>>()
        .join(";")
}

/// A value as written on the command line.
pub fn display(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The scenario text with each path set to its value.
pub fn apply(text: &str, assignments: &[(String, Value)]) -> Result<String, String> {
    let mut table: Table = toml::from_str(text).map_err(|e| e.message().to_string())?;
    for (path, value) in assignments {
        set(&mut table, path, value.clone())?;
    }
    toml::to_string(&table).map_err(|e| e.to_string())
}

fn set(root: &mut Table, path: &str, value: Value) -> Result<(), String> {
    let segments: Vec<&str> = path.split('.').collect();
    let (last, parents) = segments.split_last().expect("non-empty path");
    let mut table = root;
    let mut walked = String::new();
    for seg in parents {
        if !walked.is_empty() {
            walked.push('.');
        }
        walked.push_str(seg);
        let entry = table
            .entry(seg.to_string())
            .or_insert_with(|| Value::Table(Table::new()));
        table = match entry {
            Value::Table(t) => t,
            // An array of tables: pick the entry whose id is the next segment.
            Value::Array(items) => {
                return set_in_array(
                    items,
                    &walked,
                    &segments[walked.split('.').count()..],
                    value,
                );
            }
            _ => return Err(format!("{walked} is a value, not a table, in {path}")),
        };
    }
    table.insert(last.to_string(), coerce(table.get(*last), value));
    Ok(())
}

fn set_in_array(
    items: &mut [Value],
    walked: &str,
    rest: &[&str],
    value: Value,
) -> Result<(), String> {
    let (id, rest) = rest.split_first().ok_or_else(|| {
        format!("{walked} is a list; name an entry by its id, e.g. {walked}.<id>.<key>")
    })?;
    let ids: Vec<String> = items
        .iter()
        .filter_map(|i| i.get("id").and_then(Value::as_str).map(str::to_string))
        .collect();
    let item = items
        .iter_mut()
        .find(|i| i.get("id").and_then(Value::as_str) == Some(id))
        .ok_or_else(|| {
            let valid = crate::scenario::known_ids("id", ids.iter().map(String::as_str), id);
            format!("no {walked} entry has id {id:?}; {valid}")
        })?;
    let Value::Table(t) = item else {
        return Err(format!("{walked}.{id} is not a table"));
    };
    if rest.is_empty() {
        return Err(format!(
            "{walked}.{id}: name the key to set, e.g. {walked}.{id}.capacity"
        ));
    }
    set(t, &rest.join("."), value)
}

/// Keeps the file's number type: `capacity = 3` stays an integer when swept
/// with `3:6:1`, a rate stays a float when swept with whole numbers.
fn coerce(existing: Option<&Value>, value: Value) -> Value {
    match (existing, value) {
        (Some(Value::Float(_)), Value::Integer(i)) => Value::Float(i as f64),
        (Some(Value::Integer(_)), Value::Float(f)) if f.fract() == 0.0 => Value::Integer(f as i64),
        (_, v) => v,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_lists_and_grids() {
        let s = parse_setting("policy.inspection_rate=0.005:0.02:0.005").unwrap();
        assert_eq!(
            s.values,
            [0.005, 0.01, 0.015, 0.02].map(Value::Float).to_vec()
        );
        let c = parse_setting("resources.x.capacity=2:4:1").unwrap();
        assert_eq!(c.values, [2, 3, 4].map(Value::Integer).to_vec());
        let t = parse_setting("policy.targeting=random,risk_based").unwrap();
        assert_eq!(t.values[1], Value::String("risk_based".into()));
        let g = grid(&[s, t]);
        assert_eq!(g.len(), 8);
        assert_eq!(
            variant_name(&g[1]),
            "policy.inspection_rate=0.005;policy.targeting=risk_based"
        );
        assert!(parse_setting("nonsense").is_err());
        assert!(parse_setting("a=1:0:1").is_err());
        assert!(parse_setting("a=0:1:0.0000001").is_err());
        let long = format!("a={}", vec!["1"; MAX_RANGE_VALUES + 1].join(","));
        assert!(parse_setting(&long).unwrap_err().contains("at most"));
        let fine = parse_setting("a=0:0.9999:0.0001").unwrap();
        assert_eq!(grid_size(std::slice::from_ref(&fine)), Ok(10_000));
        let e = grid_size(&[fine.clone(), fine]).unwrap_err();
        assert!(e.contains("100000000 variants"), "{e}");
    }

    #[test]
    fn apply_sets_keys_and_entries_by_id() {
        let text = "volume_scale = 1.0\n[policy]\ninspection_rate = 0.1\n[[resources]]\nid = \"a\"\ncapacity = 2\n";
        let out = apply(
            text,
            &[
                ("policy.inspection_rate".into(), Value::Float(0.3)),
                ("resources.a.capacity".into(), Value::Float(5.0)),
                ("volume_scale".into(), Value::Integer(2)),
            ],
        )
        .unwrap();
        let t: Table = toml::from_str(&out).unwrap();
        assert_eq!(t["policy"]["inspection_rate"].as_float(), Some(0.3));
        assert_eq!(t["resources"][0]["capacity"].as_integer(), Some(5));
        assert_eq!(t["volume_scale"].as_float(), Some(2.0));
        let err = apply(text, &[("resources.b.capacity".into(), Value::Integer(1))]).unwrap_err();
        assert!(err.contains("defined ids: a"), "{err}");
    }

    /// A range is exactly `start:stop:step`, never mixed with a list, and
    /// a path has no empty key: anything else is refused, not read as text.
    #[test]
    fn malformed_settings_are_refused() {
        for bad in ["a=1:2", "a=1:2:3:4", "a=1,2:3:1", "a..b=1", ".a=1", "a.=1"] {
            assert!(parse_setting(bad).is_err(), "{bad}");
        }
        let e = parse_setting("a=1:2").unwrap_err();
        assert!(e.contains("a range needs three numbers"), "{e}");
    }

    /// A range's step is positive and finite and its ends finite and in
    /// order; one value (start = stop) is a range, and a list may hold
    /// exactly the most values allowed.
    #[test]
    fn range_and_list_limits() {
        for bad in ["a=1:2:-1", "a=1:1:0", "a=1:2:inf", "a=2:1:1", "a=0:inf:1"] {
            assert!(parse_setting(bad).is_err(), "{bad}");
        }
        assert_eq!(
            parse_setting("a=1:1:1").unwrap().values,
            [Value::Integer(1)]
        );
        let most = format!("a={}", vec!["1"; MAX_RANGE_VALUES].join(","));
        assert_eq!(parse_setting(&most).unwrap().values.len(), MAX_RANGE_VALUES);
    }

    /// An integer key swept with a fraction keeps the fraction (validation
    /// then refuses it) rather than being cut to a whole number.
    #[test]
    fn a_fraction_is_not_cut_into_an_integer_key() {
        let out = apply("capacity = 2\n", &[("capacity".into(), Value::Float(2.5))]).unwrap();
        let t: Table = toml::from_str(&out).unwrap();
        assert_eq!(t["capacity"].as_float(), Some(2.5));
    }
}
