//! The `[experiment]` table: a comparison, sweep or capacity plan that the
//! file itself describes, so that the file alone reproduces a study.

use toml::Spanned;

use super::super::diagnostics::Diagnostics;
use super::super::raw::{RawExperiment, RawReform};
use super::at;
use super::values::{MAX_SOURCE_CHARS, check_text, check_title};
use crate::experiment::ladder::{MAX_REFORMS, Reform};
use crate::experiment::plan::Target;
use crate::experiment::sweep::parse_setting;
use crate::model::{Mode, Model};

/// A study described in the scenario file.
#[derive(Clone, Debug, PartialEq)]
pub enum Experiment {
    /// `clearsim compare` with these modes (`all` or a list) and baseline.
    Compare {
        modes: String,
        baseline: Option<String>,
    },
    /// `clearsim sweep` with these `--set` settings.
    Sweep { settings: Vec<String> },
    /// `clearsim plan` of one resource's capacity against a target.
    Plan {
        resource: String,
        target: String,
        within: Option<String>,
        max: u32,
    },
    /// `clearsim ladder`: reforms applied one after another, each one's
    /// contribution to the change of `metric` in `group`.
    Ladder {
        /// The metrics attributed, the first drawn as the waterfall.
        metrics: Vec<String>,
        group: String,
        reforms: Vec<Reform>,
    },
}

/// The kinds of study, as `experiment.kind` names them.
pub(crate) const KINDS: &str = "compare, sweep, plan, ladder";

/// The metric a ladder reports unless told otherwise: GACC's figure.
pub const LADDER_METRIC: &str = "overall_clearance_time_mean_h";

fn text(v: &Option<Spanned<String>>) -> Option<String> {
    v.as_ref().map(|s| s.get_ref().clone())
}

pub(super) fn experiment(
    d: &mut Diagnostics,
    e: &Spanned<RawExperiment>,
    model: &Model,
) -> Option<Experiment> {
    let span = at(e);
    let e = e.get_ref();
    let Some(kind) = &e.kind else {
        d.error(
            "experiment.kind",
            Some(span),
            format!("missing; one of {KINDS}"),
        );
        return None;
    };
    // Keys that belong to another kind are mistakes worth naming.
    let present = [
        ("modes", e.modes.is_some(), "compare"),
        ("baseline", e.baseline.is_some(), "compare"),
        ("set", e.set.is_some(), "sweep"),
        ("resource", e.resource.is_some(), "plan"),
        ("target", e.target.is_some(), "plan"),
        ("within", e.within.is_some(), "plan"),
        ("max", e.max.is_some(), "plan"),
        ("metric", e.metric.is_some(), "ladder"),
        ("metrics", e.metrics.is_some(), "ladder"),
        ("group", e.group.is_some(), "ladder"),
        ("reforms", e.reforms.is_some(), "ladder"),
    ];
    for (key, given, owner) in present {
        if given && owner != kind.get_ref() {
            d.error(
                &format!("experiment.{key}"),
                Some(span.clone()),
                format!(
                    "`{key}` belongs to kind = \"{owner}\", not \"{}\"",
                    kind.get_ref()
                ),
            );
        }
    }
    match kind.get_ref().as_str() {
        "compare" => {
            if let Some(m) = &e.modes
                && m.get_ref() != "all"
            {
                for name in m.get_ref().split(',').map(str::trim) {
                    if Mode::parse(name).is_none() {
                        let msg = format!(
                            "unknown clearance mode {name:?}; give all or a comma-separated list of modes"
                        );
                        d.error("experiment.modes", Some(at(m)), msg);
                    }
                }
            }
            if let Some(b) = &e.baseline
                && Mode::parse(b.get_ref()).is_none()
            {
                d.error(
                    "experiment.baseline",
                    Some(at(b)),
                    format!("unknown clearance mode {:?}", b.get_ref()),
                );
            }
            Some(Experiment::Compare {
                modes: text(&e.modes).unwrap_or_else(|| "all".into()),
                baseline: text(&e.baseline),
            })
        }
        "sweep" => {
            let Some(set) = &e.set else {
                d.error(
                    "experiment.set",
                    Some(span),
                    "missing; list the settings, e.g. set = [\"policy.inspection_rate=0.01:0.1:0.01\"]",
                );
                return None;
            };
            let mut parsed = Vec::new();
            for (i, s) in set.get_ref().iter().enumerate() {
                match parse_setting(s) {
                    Ok(s) => parsed.push(s),
                    Err(msg) => d.error(&format!("experiment.set[{i}]"), Some(at(set)), msg),
                }
            }
            if let Err(msg) = crate::experiment::sweep::grid_size(&parsed) {
                d.error("experiment.set", Some(at(set)), msg);
            }
            Some(Experiment::Sweep {
                settings: set.get_ref().clone(),
            })
        }
        "plan" => {
            let resource = match &e.resource {
                Some(r) if model.pools.iter().any(|p| &p.id == r.get_ref()) => r.get_ref().clone(),
                Some(r) => {
                    let ids = model.pools.iter().map(|p| p.id.as_str());
                    let valid = super::values::known_ids("resource", ids, r.get_ref());
                    let msg = format!("unknown resource {:?}; {valid}", r.get_ref());
                    d.error("experiment.resource", Some(at(r)), msg);
                    return None;
                }
                None => {
                    d.error(
                        "experiment.resource",
                        Some(span),
                        "missing; name the resource whose capacity is planned",
                    );
                    return None;
                }
            };
            let target = match &e.target {
                Some(t) => {
                    if let Err(msg) = Target::parse(t.get_ref()) {
                        d.error("experiment.target", Some(at(t)), msg);
                    }
                    t.get_ref().clone()
                }
                None => {
                    d.error(
                        "experiment.target",
                        Some(span),
                        "missing; e.g. target = \"release_time_p90_h<=24\"",
                    );
                    return None;
                }
            };
            let max = match &e.max {
                Some(m) if (1..=1_000_000).contains(m.get_ref()) => *m.get_ref() as u32,
                Some(m) => {
                    d.error(
                        "experiment.max",
                        Some(at(m)),
                        format!("got {}; expected a capacity from 1 to 1000000", m.get_ref()),
                    );
                    10_000
                }
                None => 10_000,
            };
            Some(Experiment::Plan {
                resource,
                target,
                within: text(&e.within),
                max,
            })
        }
        "ladder" => ladder(d, e, span, model),
        other => {
            d.error(
                "experiment.kind",
                Some(at(kind)),
                format!("unknown kind {other:?}; one of {KINDS}"),
            );
            None
        }
    }
}

/// A reform ladder: its metric and group must exist, and each reform needs
/// a name, a date (`YYYY-MM`, in order) and at least one `PATH=VALUE`.
fn ladder(
    d: &mut Diagnostics,
    e: &RawExperiment,
    span: std::ops::Range<usize>,
    model: &Model,
) -> Option<Experiment> {
    let known = crate::sim::metrics::consignment_metrics();
    let check = |d: &mut Diagnostics, path: &str, m: &str, span| {
        let ok = known.contains(&m);
        if !ok {
            let msg = format!(
                "unknown metric {m:?}; a consignment metric such as {LADDER_METRIC}, release_time_mean_h or leakage (see the metrics in docs/guide/reference.md)"
            );
            d.error(path, Some(span), msg);
        }
        ok
    };
    let metrics = match (&e.metric, &e.metrics) {
        (Some(m), Some(_)) => {
            let msg = "give metric (one) or metrics (a list), not both";
            d.error("experiment.metrics", Some(at(m)), msg);
            return None;
        }
        (Some(m), None) => {
            if !check(d, "experiment.metric", m.get_ref(), at(m)) {
                return None;
            }
            vec![m.get_ref().clone()]
        }
        (None, Some(list)) if list.get_ref().is_empty() => {
            d.error(
                "experiment.metrics",
                Some(at(list)),
                "empty; list at least one metric",
            );
            return None;
        }
        (None, Some(list)) => {
            let mut ok = true;
            for (i, m) in list.get_ref().iter().enumerate() {
                ok &= check(d, &format!("experiment.metrics[{i}]"), m, at(list));
            }
            if !ok {
                return None;
            }
            list.get_ref().clone()
        }
        (None, None) => vec![LADDER_METRIC.to_string()],
    };
    let groups = model.group_names();
    let group = match &e.group {
        Some(g) if groups.contains(g.get_ref()) => g.get_ref().clone(),
        Some(g) => {
            let shown: Vec<&str> = groups.iter().take(12).map(String::as_str).collect();
            let msg = format!(
                "unknown group {:?}; groups of this scenario include {}",
                g.get_ref(),
                shown.join(", ")
            );
            d.error("experiment.group", Some(at(g)), msg);
            return None;
        }
        None => "all".to_string(),
    };
    let Some(raw) = e.reforms.as_ref().filter(|r| !r.is_empty()) else {
        d.error(
            "experiment.reforms",
            Some(span),
            "missing; list the reforms in the order they took effect, each a [[experiment.reforms]] table with name, date, source and set",
        );
        return None;
    };
    if raw.len() > MAX_REFORMS {
        d.error(
            "experiment.reforms",
            Some(at(&raw[MAX_REFORMS])),
            format!(
                "{} reforms; at most {MAX_REFORMS} (group related changes into one reform)",
                raw.len()
            ),
        );
        return None;
    }
    let mut reforms = Vec::new();
    let mut last_date: Option<String> = None;
    for (i, r) in raw.iter().enumerate() {
        let path = format!("experiment.reforms[{i}]");
        let reform = one_reform(d, &path, r)?;
        if let Some(prev) = &last_date
            && reform.date < *prev
        {
            let msg = format!(
                "dated {} but listed after a reform of {prev}; list reforms in the order they took effect",
                reform.date
            );
            d.error(
                &format!("{path}.date"),
                r.get_ref().date.as_ref().map(at),
                msg,
            );
        }
        last_date = Some(reform.date.clone());
        if reforms.iter().any(|x: &Reform| x.name == reform.name) {
            let msg = format!(
                "another reform is also named {:?}; names must differ",
                reform.name
            );
            d.error(
                &format!("{path}.name"),
                r.get_ref().name.as_ref().map(at),
                msg,
            );
        }
        reforms.push(reform);
    }
    Some(Experiment::Ladder {
        metrics,
        group,
        reforms,
    })
}

fn one_reform(d: &mut Diagnostics, path: &str, r: &Spanned<RawReform>) -> Option<Reform> {
    let span = at(r);
    let r = r.get_ref();
    let name = match &r.name {
        Some(n) if !n.get_ref().trim().is_empty() => {
            let name = n.get_ref().trim();
            if !check_title(d, &format!("{path}.name"), &at(n), name) {
                return None;
            }
            name.to_string()
        }
        Some(n) => {
            d.error(
                &format!("{path}.name"),
                Some(at(n)),
                "empty; name the reform",
            );
            return None;
        }
        None => {
            d.error(
                &format!("{path}.name"),
                Some(span),
                "missing; name the reform",
            );
            return None;
        }
    };
    let date = match &r.date {
        Some(v) if is_year_month(v.get_ref()) => v.get_ref().clone(),
        Some(v) => {
            let msg = format!(
                "{:?} is not a date; give the month it took effect as \"YYYY-MM\", e.g. \"2019-08\"",
                v.get_ref()
            );
            d.error(&format!("{path}.date"), Some(at(v)), msg);
            return None;
        }
        None => {
            d.error(
                &format!("{path}.date"),
                Some(span),
                "missing; give the month it took effect as \"YYYY-MM\"",
            );
            return None;
        }
    };
    let Some(set) = r.set.as_ref().filter(|s| !s.get_ref().is_empty()) else {
        d.error(
            &format!("{path}.set"),
            Some(span),
            "missing; list what the reform changed, e.g. set = [\"streams.sea.advance_declaration_share=0.4\"]",
        );
        return None;
    };
    let mut settings = Vec::new();
    for (j, text) in set.get_ref().iter().enumerate() {
        match parse_setting(text) {
            Ok(s) if s.values.len() == 1 => {
                settings.push((s.path, s.values.into_iter().next().expect("one value")))
            }
            Ok(s) => d.error(
                &format!("{path}.set[{j}]"),
                Some(at(set)),
                format!(
                    "{text:?} gives {} values; a reform sets each key to one value",
                    s.values.len()
                ),
            ),
            Err(msg) => d.error(&format!("{path}.set[{j}]"), Some(at(set)), msg),
        }
    }
    Some(Reform {
        name,
        date,
        source: match &r.source {
            Some(s) => {
                let (path, text) = (format!("{path}.source"), s.get_ref());
                if !check_text(d, &path, &at(s), text, MAX_SOURCE_CHARS, false) {
                    return None;
                }
                text.clone()
            }
            None => String::new(),
        },
        settings,
    })
}

/// `YYYY-MM` with a month from 01 to 12.
fn is_year_month(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 7
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && matches!(s[5..].parse::<u32>(), Ok(1..=12))
        && b[5..].iter().all(u8::is_ascii_digit)
}
