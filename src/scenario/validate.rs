//! From the raw file to a checked [`Model`]: every problem is recorded and
//! validation carries on, so one run of `clearsim validate` lists them all.

mod values;

use std::collections::HashMap;
use std::ops::Range;

use super::Scenario;
use super::diagnostics::{Diagnostics, ScenarioError, Severity};
use super::raw::{RawScenario, RawSite, RawStep, RawStream};
use crate::engine::{ArrivalProcess, Dist, Peak, WorkingHours};
use crate::model::{
    Activity, ActivityId, Mode, Model, Policy, PoolId, PoolSpec, Site, SiteId, SiteKind, StepKind,
    Stream,
};
use values::{check_id, distribution, missing, number_in};

/// Name of the always-open calendar, usable without defining it.
pub const ALWAYS_OPEN: &str = "7x24";
const DEFAULT_SEED: u64 = 1;
const DEFAULT_REPLICATIONS: u32 = 10;
const MAX_REPLICATIONS: i64 = 100_000;
const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// Cross-section context gathered in order: calendars, then sites, then
/// resources, then steps and streams.
struct Context<'a> {
    d: Diagnostics<'a>,
    start_day: Option<i64>,
    start_weekday: usize,
    calendars: HashMap<String, WorkingHours>,
    site_index: HashMap<String, SiteId>,
    pool_index: HashMap<String, PoolId>,
}

pub fn validate(
    label: &str,
    text: &str,
    raw: RawScenario,
    source_sha256: String,
) -> Result<Scenario, ScenarioError> {
    let mut cx = Context {
        d: Diagnostics::new(text),
        start_day: None,
        start_weekday: 0,
        calendars: HashMap::new(),
        site_index: HashMap::new(),
        pool_index: HashMap::new(),
    };
    let d = &mut cx.d;

    let name = match &raw.name {
        Some(n) => {
            check_id(d, "name", &n.span(), n.get_ref());
            n.get_ref().clone()
        }
        None => {
            d.error("name", None, "missing; give the scenario a name such as \"ningbo_port_clearance\" (letters, digits, '_', '-', '.'), used for its output folder");
            String::new()
        }
    };
    let seed = match &raw.seed {
        Some(s) if *s.get_ref() < 0 => {
            d.error(
                "seed",
                Some(s.span()),
                format!("got {}; expected an integer >= 0", s.get_ref()),
            );
            DEFAULT_SEED
        }
        Some(s) => *s.get_ref() as u64,
        None => DEFAULT_SEED,
    };
    let replications = match &raw.replications {
        Some(r) if !(1..=MAX_REPLICATIONS).contains(r.get_ref()) => {
            d.error(
                "replications",
                Some(r.span()),
                format!(
                    "got {}; expected an integer from 1 to {MAX_REPLICATIONS}",
                    r.get_ref()
                ),
            );
            DEFAULT_REPLICATIONS
        }
        Some(r) => *r.get_ref() as u32,
        None => DEFAULT_REPLICATIONS,
    };
    let horizon = hours_field(d, &raw.horizon_days, &raw.horizon_h, "horizon", true).unwrap_or(1.0);
    let warmup = hours_field(d, &raw.warmup_days, &raw.warmup_h, "warmup", false).unwrap_or(0.0);
    if warmup >= horizon {
        let span = raw
            .warmup_days
            .as_ref()
            .map(|s| s.span())
            .or(raw.warmup_h.as_ref().map(|s| s.span()));
        d.error(
            "warmup",
            span,
            format!("warm-up ({warmup} h) must be shorter than the horizon ({horizon} h)"),
        );
    }
    if let Some(sd) = &raw.start_date {
        let dt = sd.get_ref();
        match (dt.date, dt.time, dt.offset) {
            (Some(date), None, None) => {
                let day =
                    values::days_from_civil(date.year as i64, date.month as i64, date.day as i64);
                cx.start_day = Some(day);
                cx.start_weekday = values::weekday(day);
            }
            _ => d.error(
                "start_date",
                Some(sd.span()),
                format!("{dt} is not a plain date; write e.g. start_date = 2026-11-01"),
            ),
        }
    }
    let policy = match &raw.policy {
        Some(p) => {
            let span = p.span();
            let p = p.get_ref();
            let rate = |d: &mut Diagnostics, key: &str, v: Option<f64>| match v {
                Some(v) => {
                    number_in(d, &format!("policy.{key}"), &span, v, 0.0, 1.0).unwrap_or(0.0)
                }
                None => {
                    missing(
                        d,
                        &format!("policy.{key}"),
                        &span,
                        "give a probability from 0 to 1",
                    );
                    0.0
                }
            };
            Policy {
                review_rate: rate(d, "review_rate", p.review_rate),
                inspection_rate: rate(d, "inspection_rate", p.inspection_rate),
            }
        }
        None => {
            d.error("policy", None, "missing; add a [policy] table with review_rate and inspection_rate (probabilities from 0 to 1)");
            Policy {
                review_rate: 0.0,
                inspection_rate: 0.0,
            }
        }
    };

    calendars(&mut cx, &raw);
    let mut sites = site_headers(&mut cx, &raw.sites);
    let pools = resources(&mut cx, &raw);
    let activities = site_steps(&mut cx, &raw.sites, &mut sites, &pools);
    let streams = streams(&mut cx, &raw.streams, &sites, horizon);
    let d = &mut cx.d;
    if raw.sites.is_empty() {
        d.error(
            "sites",
            None,
            "no sites; add at least one [[sites]] entry with id and kind",
        );
    }
    if raw.streams.is_empty() {
        d.error("streams", None, "no demand; add at least one [[streams]] entry with id, port and rate_per_h or rate_per_day");
    }

    let model = Model {
        name: name.clone(),
        horizon,
        warmup,
        start_weekday: cx.start_weekday,
        sites,
        pools,
        activities,
        streams,
        policy,
    };
    if !cx.d.has_errors() {
        check_capacity(&mut cx.d, &raw, &model);
    }
    if cx.d.has_errors() {
        return Err(ScenarioError {
            file: label.to_string(),
            diagnostics: cx.d.items,
        });
    }
    let warnings =
        cx.d.items
            .into_iter()
            .filter(|i| i.severity == Severity::Warning)
            .collect();
    Ok(Scenario {
        name,
        description: raw.description.unwrap_or_default(),
        model,
        seed,
        replications,
        source_label: label.to_string(),
        source_sha256,
        warnings,
    })
}

/// A duration given in days or in hours (exactly one), returned in hours.
fn hours_field(
    d: &mut Diagnostics,
    days: &Option<toml::Spanned<f64>>,
    hours: &Option<toml::Spanned<f64>>,
    what: &str,
    required: bool,
) -> Option<f64> {
    match (days, hours) {
        (Some(a), Some(b)) => {
            d.error(
                &format!("{what}_h"),
                Some(b.span()),
                format!("give {what}_days or {what}_h, not both"),
            );
            let _ = a;
            None
        }
        (Some(v), None) => number_in(
            d,
            &format!("{what}_days"),
            &v.span(),
            *v.get_ref(),
            0.0,
            f64::INFINITY,
        )
        .map(|x| x * 24.0),
        (None, Some(v)) => number_in(
            d,
            &format!("{what}_h"),
            &v.span(),
            *v.get_ref(),
            0.0,
            f64::INFINITY,
        ),
        (None, None) if required => {
            d.error(
                &format!("{what}_days"),
                None,
                format!("missing; give {what}_days (or {what}_h), the simulated time"),
            );
            None
        }
        (None, None) => None,
    }
    .and_then(|h| {
        if required && h <= 0.0 {
            d.error(
                &format!("{what}_days"),
                None,
                format!("the {what} must be longer than zero"),
            );
            None
        } else {
            Some(h)
        }
    })
}

fn calendars(cx: &mut Context, raw: &RawScenario) {
    for (id, cal) in &raw.calendars {
        let path = format!("calendars.{id}");
        let span = cal.span();
        let cal = cal.get_ref();
        let d = &mut cx.d;
        if id == ALWAYS_OPEN {
            d.error(
                &path,
                Some(span),
                format!("\"{ALWAYS_OPEN}\" is built in (always open); choose another name"),
            );
            continue;
        }
        check_id(d, &path, &span, id);
        let mut days = Vec::new();
        match &cal.days {
            Some(list) => {
                for (i, day) in list.iter().enumerate() {
                    match WEEKDAYS.iter().position(|w| w.eq_ignore_ascii_case(day)) {
                        Some(k) => days.push(k),
                        None => d.error(
                            &format!("{path}.days[{i}]"),
                            Some(span.clone()),
                            format!(
                                "unknown day {day:?}; expected one of {}",
                                WEEKDAYS.join(", ")
                            ),
                        ),
                    }
                }
            }
            None => missing(
                d,
                &format!("{path}.days"),
                &span,
                "list the open weekdays, e.g. [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]",
            ),
        }
        let mut ranges = Vec::new();
        match &cal.hours {
            Some(list) => {
                for (i, r) in list.iter().enumerate() {
                    match r.as_slice() {
                        [a, b] if 0 <= *a && a < b && *b <= 24 => ranges.push((*a as usize, *b as usize)),
                        _ => d.error(&format!("{path}.hours[{i}]"), Some(span.clone()), format!("got {r:?}; expected [start, end] whole hours with 0 <= start < end <= 24, e.g. [9, 17]")),
                    }
                }
            }
            None => missing(
                d,
                &format!("{path}.hours"),
                &span,
                "list the open hour ranges, e.g. [[9, 12], [13, 17]]",
            ),
        }
        cx.calendars.insert(
            id.clone(),
            WorkingHours::weekly(&days, &ranges, cx.start_weekday),
        );
    }
}

/// Sites' ids and kinds, so that resources and streams can refer to them.
fn site_headers(cx: &mut Context, raw: &[toml::Spanned<RawSite>]) -> Vec<Site> {
    let kinds: Vec<&str> = SiteKind::ALL.iter().map(|(n, _)| *n).collect();
    let mut sites = Vec::new();
    for (i, s) in raw.iter().enumerate() {
        let path = format!("sites[{i}]");
        let span = s.span();
        let s = s.get_ref();
        let d = &mut cx.d;
        let id = s.id.clone().unwrap_or_default();
        if s.id.is_none() {
            missing(
                d,
                &format!("{path}.id"),
                &span,
                "give the site an id such as \"ningbo_port\"",
            );
        } else if check_id(d, &format!("{path}.id"), &span, &id)
            && cx.site_index.insert(id.clone(), SiteId(i as u32)).is_some()
        {
            d.error(
                &format!("{path}.id"),
                Some(span.clone()),
                format!("duplicate site id {id:?}; site ids must be unique"),
            );
        }
        let kind = match s.kind.as_deref() {
            Some(k) => SiteKind::parse(k).unwrap_or_else(|| {
                d.error(
                    &format!("{path}.kind"),
                    Some(span.clone()),
                    format!(
                        "unknown site kind {k:?}; expected one of {}",
                        kinds.join(", ")
                    ),
                );
                SiteKind::Customs
            }),
            None => {
                missing(
                    d,
                    &format!("{path}.kind"),
                    &span,
                    &format!("one of {}", kinds.join(", ")),
                );
                SiteKind::Customs
            }
        };
        sites.push(Site {
            name: s.name.clone().unwrap_or_else(|| id.clone()),
            id,
            kind,
            activities: [ActivityId(0); StepKind::COUNT],
        });
    }
    sites
}

fn resources(cx: &mut Context, raw: &RawScenario) -> Vec<PoolSpec> {
    let mut pools = Vec::new();
    for (i, r) in raw.resources.iter().enumerate() {
        let path = format!("resources[{i}]");
        let span = r.span();
        let r = r.get_ref();
        let d = &mut cx.d;
        let id = r.id.clone().unwrap_or_default();
        if r.id.is_none() {
            missing(
                d,
                &format!("{path}.id"),
                &span,
                "give the resource an id such as \"ningbo_inspectors\"",
            );
        } else if check_id(d, &format!("{path}.id"), &span, &id)
            && cx.pool_index.insert(id.clone(), PoolId(i as u32)).is_some()
        {
            d.error(
                &format!("{path}.id"),
                Some(span.clone()),
                format!("duplicate resource id {id:?}; resource ids must be unique"),
            );
        }
        let site = match &r.site {
            Some(s) => lookup(d, &cx.site_index, &format!("{path}.site"), &span, s, "site"),
            None => {
                missing(
                    d,
                    &format!("{path}.site"),
                    &span,
                    "name the site (a [[sites]] id) where this resource works",
                );
                None
            }
        };
        let capacity = match r.capacity {
            Some(c) if (0..=u32::MAX as i64).contains(&c) => c as u32,
            Some(c) => {
                d.error(
                    &format!("{path}.capacity"),
                    Some(span.clone()),
                    format!("got {c}; expected a whole number of servers >= 0"),
                );
                0
            }
            None => {
                missing(
                    d,
                    &format!("{path}.capacity"),
                    &span,
                    "give the number of servers (officers, teams or scanners)",
                );
                0
            }
        };
        let hours = match r.calendar.as_deref() {
            None | Some(ALWAYS_OPEN) => WorkingHours::always(),
            Some(c) => match cx.calendars.get(c) {
                Some(h) => h.clone(),
                None => {
                    let mut known: Vec<&str> = cx.calendars.keys().map(String::as_str).collect();
                    known.sort();
                    known.insert(0, ALWAYS_OPEN);
                    d.error(
                        &format!("{path}.calendar"),
                        Some(span.clone()),
                        format!(
                            "unknown calendar {c:?}; defined calendars: {}",
                            known.join(", ")
                        ),
                    );
                    WorkingHours::always()
                }
            },
        };
        pools.push(PoolSpec {
            id,
            site: site.unwrap_or(SiteId(0)),
            capacity,
            hours,
        });
    }
    pools
}

/// Looks up an id, recording an error listing the valid ids if absent.
fn lookup<T: Copy>(
    d: &mut Diagnostics,
    index: &HashMap<String, T>,
    path: &str,
    span: &Range<usize>,
    id: &str,
    what: &str,
) -> Option<T> {
    if let Some(v) = index.get(id) {
        return Some(*v);
    }
    let mut known: Vec<&str> = index.keys().map(String::as_str).collect();
    known.sort();
    let valid = if known.is_empty() {
        format!("no {what}s are defined")
    } else {
        format!("defined {what}s: {}", known.join(", "))
    };
    d.error(
        path,
        Some(span.clone()),
        format!("unknown {what} {id:?}; {valid}"),
    );
    None
}

/// Each site's six activities (a missing step takes no time and no resource).
fn site_steps(
    cx: &mut Context,
    raw: &[toml::Spanned<RawSite>],
    sites: &mut [Site],
    pools: &[PoolSpec],
) -> Vec<Activity> {
    let mut activities = Vec::new();
    for (i, s) in raw.iter().enumerate() {
        let steps = s.get_ref().steps.as_ref();
        for kind in StepKind::ALL {
            let step: Option<&toml::Spanned<RawStep>> = steps.and_then(|st| match kind {
                StepKind::Lodgement => st.lodgement.as_ref(),
                StepKind::Screening => st.screening.as_ref(),
                StepKind::Review => st.review.as_ref(),
                StepKind::Inspection => st.inspection.as_ref(),
                StepKind::Tax => st.tax.as_ref(),
                StepKind::Release => st.release.as_ref(),
            });
            let path = format!("sites[{i}].steps.{}", kind.name());
            let activity = match step {
                Some(st) => step_activity(cx, &path, st, SiteId(i as u32), kind, pools),
                None => Activity {
                    site: SiteId(i as u32),
                    step: kind,
                    pool: None,
                    duration: Dist::Deterministic { value: 0.0 },
                    detection: 1.0,
                },
            };
            sites[i].activities[kind.index()] = ActivityId(activities.len() as u32);
            activities.push(activity);
        }
    }
    activities
}

fn step_activity(
    cx: &mut Context,
    path: &str,
    st: &toml::Spanned<RawStep>,
    site: SiteId,
    kind: StepKind,
    pools: &[PoolSpec],
) -> Activity {
    let span = st.span();
    let st = st.get_ref();
    let d = &mut cx.d;
    let pool = st.resource.as_ref().and_then(|r| {
        let p = lookup(d, &cx.pool_index, &format!("{path}.resource"), &span, r, "resource")?;
        let owner = pools[p.0 as usize].site;
        if owner != site {
            d.error(&format!("{path}.resource"), Some(span.clone()), format!("resource {r:?} works at another site; a step can only use a resource of its own site"));
        }
        Some(p)
    });
    let duration = match &st.duration {
        Some(dist) => distribution(d, &format!("{path}.duration"), &dist.span(), dist.get_ref()),
        None => {
            missing(
                d,
                &format!("{path}.duration"),
                &span,
                "give a duration distribution, e.g. duration = { dist = \"exponential\", mean = 0.5 } (hours)",
            );
            None
        }
    };
    let detection = match (kind, st.detection_probability) {
        (StepKind::Inspection, Some(p)) => number_in(
            d,
            &format!("{path}.detection_probability"),
            &span,
            p,
            0.0,
            1.0,
        )
        .unwrap_or(1.0),
        (_, Some(_)) => {
            d.error(
                &format!("{path}.detection_probability"),
                Some(span.clone()),
                "detection_probability only applies to the inspection step",
            );
            1.0
        }
        (_, None) => 1.0,
    };
    Activity {
        site,
        step: kind,
        pool,
        duration: duration.unwrap_or(Dist::Deterministic { value: 0.0 }),
        detection,
    }
}

fn streams(
    cx: &mut Context,
    raw: &[toml::Spanned<RawStream>],
    sites: &[Site],
    horizon: f64,
) -> Vec<Stream> {
    let mut ids = HashMap::new();
    let mut out = Vec::new();
    for (i, s) in raw.iter().enumerate() {
        let path = format!("streams[{i}]");
        let span = s.span();
        let s = s.get_ref();
        let d = &mut cx.d;
        let id = s.id.clone().unwrap_or_default();
        if s.id.is_none() {
            missing(
                d,
                &format!("{path}.id"),
                &span,
                "give the stream an id such as \"general_trade\"",
            );
        } else if check_id(d, &format!("{path}.id"), &span, &id)
            && ids.insert(id.clone(), i).is_some()
        {
            d.error(
                &format!("{path}.id"),
                Some(span.clone()),
                format!("duplicate stream id {id:?}; stream ids must be unique"),
            );
        }
        let port = match &s.port {
            Some(p) => lookup(d, &cx.site_index, &format!("{path}.port"), &span, p, "site"),
            None => {
                missing(
                    d,
                    &format!("{path}.port"),
                    &span,
                    "name the entry port (a [[sites]] id) where these consignments arrive",
                );
                None
            }
        };
        if let Some(p) = port {
            let site = &sites[p.0 as usize];
            if !site.kind.is_entry_point() {
                d.error(&format!("{path}.port"), Some(span.clone()), format!("site {:?} is an inland customs office; consignments arrive at a port, postal hub, e-commerce site or bonded zone", site.id));
            }
        }
        let modes: Vec<&str> = Mode::ALL.iter().map(|(n, _)| *n).collect();
        let mode = match s.mode.as_deref() {
            None => Mode::PortClearance,
            Some(m) => Mode::parse(m).unwrap_or_else(|| {
                d.error(
                    &format!("{path}.mode"),
                    Some(span.clone()),
                    format!(
                        "unknown clearance mode {m:?}; supported: {}",
                        modes.join(", ")
                    ),
                );
                Mode::PortClearance
            }),
        };
        let rate = match (s.rate_per_h, s.rate_per_day) {
            (Some(r), None) => number_in(
                d,
                &format!("{path}.rate_per_h"),
                &span,
                r,
                0.0,
                f64::INFINITY,
            ),
            (None, Some(r)) => number_in(
                d,
                &format!("{path}.rate_per_day"),
                &span,
                r,
                0.0,
                f64::INFINITY,
            )
            .map(|r| r / 24.0),
            (Some(_), Some(_)) => {
                d.error(
                    &format!("{path}.rate_per_day"),
                    Some(span.clone()),
                    "give rate_per_h or rate_per_day, not both",
                );
                None
            }
            (None, None) => {
                missing(
                    d,
                    &format!("{path}.rate_per_h"),
                    &span,
                    "give the mean arrival rate as rate_per_h or rate_per_day (consignments)",
                );
                None
            }
        };
        let hour_of_day = profile::<24>(
            d,
            &format!("{path}.hour_of_day"),
            &span,
            &s.hour_of_day,
            "24 multipliers, one per hour from 00:00",
        );
        let day_of_week = profile::<7>(
            d,
            &format!("{path}.day_of_week"),
            &span,
            &s.day_of_week,
            "7 multipliers, Monday first",
        );
        let prohibited_share = s
            .prohibited_share
            .map_or(Some(0.0), |p| {
                number_in(d, &format!("{path}.prohibited_share"), &span, p, 0.0, 1.0)
            })
            .unwrap_or(0.0);
        let mut peaks = Vec::new();
        for (k, p) in s.peaks.iter().enumerate() {
            let ppath = format!("{path}.peaks[{k}]");
            if let Some(peak) = peak(d, &ppath, &p.span(), p.get_ref(), cx.start_day, horizon) {
                peaks.push(peak);
            }
        }
        let arrivals = ArrivalProcess::new(
            rate.unwrap_or(0.0),
            hour_of_day,
            day_of_week,
            peaks,
            cx.start_weekday,
        );
        let route = port.map_or(crate::model::Route { steps: Vec::new() }, |p| {
            mode.route(&sites[p.0 as usize])
        });
        out.push(Stream {
            id,
            port: port.unwrap_or(SiteId(0)),
            mode,
            arrivals,
            prohibited_share,
            route,
        });
    }
    out
}

/// An hour-of-day or day-of-week profile of `N` non-negative multipliers.
fn profile<const N: usize>(
    d: &mut Diagnostics,
    path: &str,
    span: &Range<usize>,
    v: &Option<Vec<f64>>,
    what: &str,
) -> [f64; N] {
    let Some(v) = v else { return [1.0; N] };
    if v.len() != N {
        d.error(
            path,
            Some(span.clone()),
            format!("has {} values; expected {what}", v.len()),
        );
        return [1.0; N];
    }
    let mut out = [1.0; N];
    for (k, x) in v.iter().enumerate() {
        out[k] = number_in(d, &format!("{path}[{k}]"), span, *x, 0.0, f64::INFINITY).unwrap_or(1.0);
    }
    if out.iter().all(|x| *x == 0.0) {
        d.error(path, Some(span.clone()), "all multipliers are zero: nothing would ever arrive; remove the stream or give some hours a positive multiplier");
    }
    out
}

fn peak(
    d: &mut Diagnostics,
    path: &str,
    span: &Range<usize>,
    p: &super::raw::RawPeak,
    start_day: Option<i64>,
    horizon: f64,
) -> Option<Peak> {
    let when = |d: &mut Diagnostics,
                key: &str,
                dt: &Option<toml::value::Datetime>,
                h: Option<f64>|
     -> Option<f64> {
        match (dt, h) {
            (Some(_), Some(_)) => {
                d.error(
                    &format!("{path}.{key}"),
                    Some(span.clone()),
                    format!("give {key} (a date) or {key}_h (hours from the start), not both"),
                );
                None
            }
            (Some(dt), None) => match start_day {
                Some(sd) => values::hours_since(d, &format!("{path}.{key}"), span, dt, sd),
                None => {
                    d.error(&format!("{path}.{key}"), Some(span.clone()), format!("a dated peak needs the scenario's start_date (e.g. start_date = 2026-11-01), or give {key}_h in hours from the start"));
                    None
                }
            },
            (None, Some(h)) => {
                number_in(d, &format!("{path}.{key}_h"), span, h, 0.0, f64::INFINITY)
            }
            (None, None) => {
                missing(
                    d,
                    &format!("{path}.{key}"),
                    span,
                    &format!("give {key} as a date (e.g. 2026-11-11) or {key}_h in hours"),
                );
                None
            }
        }
    };
    let from = when(d, "from", &p.from, p.from_h);
    let until = when(d, "until", &p.until, p.until_h);
    let multiplier = match p.multiplier {
        Some(m) => number_in(
            d,
            &format!("{path}.multiplier"),
            span,
            m,
            0.0,
            f64::INFINITY,
        ),
        None => {
            missing(
                d,
                &format!("{path}.multiplier"),
                span,
                "give the rate multiplier during the peak, e.g. 4.0",
            );
            None
        }
    };
    let (from, until, multiplier) = (from?, until?, multiplier?);
    if from >= until {
        d.error(
            path,
            Some(span.clone()),
            format!("the peak ends ({until} h) before it starts ({from} h)"),
        );
        return None;
    }
    if from >= horizon {
        let name = p.name.as_deref().unwrap_or("peak");
        d.warning(
            path,
            Some(span.clone()),
            format!("{name} starts at {from} h, after the horizon ({horizon} h): it has no effect"),
        );
    }
    Some(Peak {
        from,
        until,
        multiplier,
    })
}

/// Pools that work must pass through need servers and open hours; and an
/// offered load at or above capacity means the queue grows without bound.
fn check_capacity(d: &mut Diagnostics, raw: &RawScenario, model: &Model) {
    let mut used = vec![false; model.pools.len()];
    for s in &model.streams {
        for step in &s.route.steps {
            let a = model.activity(step.activity);
            let Some(p) = a.pool else { continue };
            let prob = model.step_probability(step);
            if prob <= 0.0 {
                continue;
            }
            used[p.0 as usize] = true;
        }
    }
    for (i, (pool, used)) in model.pools.iter().zip(&used).enumerate() {
        let path = format!("resources[{i}]");
        let span = Some(raw.resources[i].span());
        if !*used {
            continue;
        }
        if pool.capacity == 0 {
            d.error(&format!("{path}.capacity"), span.clone(), format!("resource {:?} has capacity 0 but consignments must pass through it; set capacity >= 1", pool.id));
        } else if pool.hours.is_never_open() {
            d.error(&format!("{path}.calendar"), span.clone(), format!("resource {:?} is never open but consignments must pass through it; give its calendar some open hours", pool.id));
        }
    }
    for (i, load) in model.offered_load().iter().enumerate() {
        let pool = &model.pools[i];
        let available = pool.capacity as f64 * pool.hours.open_fraction();
        if used[i] && available > 0.0 && *load >= available {
            d.warning(
                &format!("resources[{i}]"),
                Some(raw.resources[i].span()),
                format!(
                    "offered load on {:?} is {load:.3} busy servers on average but only {available:.3} are available \
                     (capacity {} × open share {:.3}): its queue will grow throughout the run",
                    pool.id, pool.capacity, pool.hours.open_fraction()
                ),
            );
        }
    }
}
