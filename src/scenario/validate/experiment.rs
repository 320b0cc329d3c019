//! The `[experiment]` table: a comparison, sweep or capacity plan that the
//! file itself describes, so that the file alone reproduces a study.

use toml::Spanned;

use super::super::diagnostics::Diagnostics;
use super::super::raw::RawExperiment;
use super::at;
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
}

const KINDS: &str = "compare, sweep, plan";

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
            for (i, s) in set.get_ref().iter().enumerate() {
                if let Err(msg) = parse_setting(s) {
                    d.error(&format!("experiment.set[{i}]"), Some(at(set)), msg);
                }
            }
            Some(Experiment::Sweep {
                settings: set.get_ref().clone(),
            })
        }
        "plan" => {
            let resource = match &e.resource {
                Some(r) if model.pools.iter().any(|p| &p.id == r.get_ref()) => r.get_ref().clone(),
                Some(r) => {
                    let ids: Vec<&str> = model.pools.iter().map(|p| p.id.as_str()).collect();
                    let msg = format!(
                        "unknown resource {:?}; resources: {}",
                        r.get_ref(),
                        ids.join(", ")
                    );
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
