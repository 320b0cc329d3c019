//! Sites, resources and the steps performed at each site; and the capacity
//! checks that need the whole model.

use std::collections::HashMap;
use std::ops::Range;

use toml::Spanned;

use super::super::diagnostics::Diagnostics;
use super::super::raw::{RawResource, RawSite, RawStep};
use super::values::{check_id, distribution, missing, number_in};
use super::{ALWAYS_OPEN, Context, at};
use crate::engine::{Dist, WorkingHours};
use crate::model::{
    Activity, ActivityId, Model, Party, PeakPeriod, PoolId, PoolSpec, Site, SiteId, SiteKind,
    StepKind,
};

/// Records `id` under `index`, or an error naming where it was first used.
pub(super) fn unique_id<T: Copy>(
    d: &mut Diagnostics,
    index: &mut HashMap<String, T>,
    first: &mut HashMap<String, String>,
    path: &str,
    id: &Spanned<String>,
    value: T,
    what: &str,
) -> String {
    let name = id.get_ref().clone();
    if !check_id(d, path, &at(id), &name) {
        return name;
    }
    if let Some(prev) = first.get(&name) {
        let msg = format!(
            "duplicate {what} id {name:?}, already used by {prev}; {what} ids must be unique"
        );
        d.error(path, Some(at(id)), msg);
    } else {
        first.insert(name.clone(), path.trim_end_matches(".id").to_string());
        index.insert(name.clone(), value);
    }
    name
}

/// The working hours of a named calendar (`7x24` or a `[calendars.*]`
/// entry); always open after recording an error for an unknown name.
pub(super) fn calendar_hours(
    d: &mut Diagnostics,
    calendars: &HashMap<String, WorkingHours>,
    path: &str,
    c: &Spanned<String>,
) -> WorkingHours {
    if c.get_ref() == ALWAYS_OPEN {
        return WorkingHours::always();
    }
    if let Some(h) = calendars.get(c.get_ref()) {
        return h.clone();
    }
    let known = std::iter::once(ALWAYS_OPEN).chain(calendars.keys().map(String::as_str));
    let valid = super::values::known_ids("calendar", known, c.get_ref());
    let msg = format!("unknown calendar {:?}; {valid}", c.get_ref());
    d.error(path, Some(at(c)), msg);
    WorkingHours::always()
}

/// Looks up an id, recording an error listing the valid ids if absent.
pub(super) fn lookup<T: Copy>(
    d: &mut Diagnostics,
    index: &HashMap<String, T>,
    path: &str,
    id: &Spanned<String>,
    what: &str,
) -> Option<T> {
    if let Some(v) = index.get(id.get_ref()) {
        return Some(*v);
    }
    let known = index.keys().map(String::as_str);
    let valid = super::values::known_ids(what, known, id.get_ref());
    let msg = format!("unknown {what} {:?}; {valid}", id.get_ref());
    d.error(path, Some(at(id)), msg);
    None
}

/// Sites' ids and kinds, so that resources and streams can refer to them.
pub(super) fn site_headers(cx: &mut Context, raw: &[Spanned<RawSite>]) -> Vec<Site> {
    let kinds: Vec<&str> = SiteKind::ALL.iter().map(|(n, _)| *n).collect();
    let mut first = HashMap::new();
    let mut sites = Vec::new();
    for (i, s) in raw.iter().enumerate() {
        let path = format!("sites[{i}]");
        let span = at(s);
        let s = s.get_ref();
        let d = &mut cx.d;
        let id = match &s.id {
            Some(id) => unique_id(
                d,
                &mut cx.site_index,
                &mut first,
                &format!("{path}.id"),
                id,
                SiteId(i as u32),
                "site",
            ),
            None => {
                missing(
                    d,
                    &format!("{path}.id"),
                    &span,
                    "give the site an id such as \"ningbo_port\"",
                );
                String::new()
            }
        };
        let hours = s
            .calendar
            .as_ref()
            .map(|c| calendar_hours(d, &cx.calendars, &format!("{path}.calendar"), c));
        cx.site_hours.push(hours);
        let kind = match &s.kind {
            Some(k) => SiteKind::parse(k.get_ref()).unwrap_or_else(|| {
                let msg = format!(
                    "unknown site kind {:?}; expected one of {}",
                    k.get_ref(),
                    kinds.join(", ")
                );
                d.error(&format!("{path}.kind"), Some(at(k)), msg);
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
        let supervision =
            super::policy::supervision(d, &format!("{path}.supervision"), &s.supervision);
        let categories = super::tax_centres::categories(d, &path, kind, &span, &s.categories);
        sites.push(Site {
            name: super::values::optional_title(d, &format!("{path}.name"), &s.name)
                .unwrap_or_else(|| id.clone()),
            id,
            kind,
            region: None,
            customs: None,
            activities: [ActivityId(0); StepKind::SITE_STEPS],
            supervision,
            categories,
        });
    }
    sites
}

pub(super) fn resources(cx: &mut Context, raw: &[Spanned<RawResource>]) -> Vec<PoolSpec> {
    let mut first = HashMap::new();
    let mut pools = Vec::new();
    let mut rounded = Vec::new();
    for (i, r) in raw.iter().enumerate() {
        let path = format!("resources[{i}]");
        let span = at(r);
        let r = r.get_ref();
        let d = &mut cx.d;
        let id = match &r.id {
            Some(id) => unique_id(
                d,
                &mut cx.pool_index,
                &mut first,
                &format!("{path}.id"),
                id,
                PoolId(i as u32),
                "resource",
            ),
            None => {
                missing(
                    d,
                    &format!("{path}.id"),
                    &span,
                    "give the resource an id such as \"ningbo_inspectors\"",
                );
                String::new()
            }
        };
        let site = match &r.site {
            Some(s) => lookup(d, &cx.site_index, &format!("{path}.site"), s, "site"),
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
        let capacity = super::capacity::servers(d, &path, &span, r, cx.volume_scale, &mut rounded);
        let site_calendar = site.and_then(|s| cx.site_hours.get(s.0 as usize).cloned().flatten());
        let hours = match &r.calendar {
            None => site_calendar.unwrap_or_else(WorkingHours::always),
            Some(c) => calendar_hours(&mut cx.d, &cx.calendars, &format!("{path}.calendar"), c),
        };
        pools.push(PoolSpec {
            id,
            site: site.unwrap_or(SiteId(0)),
            capacity,
            hours,
        });
    }
    super::capacity::warn_rounding(&mut cx.d, rounded, cx.volume_scale);
    pools
}

/// Each site's six activities (a step not given takes no time and no
/// resource).
pub(super) fn site_steps(
    cx: &mut Context,
    raw: &[Spanned<RawSite>],
    sites: &mut [Site],
    pools: &[PoolSpec],
) -> Vec<Activity> {
    let mut activities = Vec::new();
    for (i, s) in raw.iter().enumerate() {
        let steps = s.get_ref().steps.as_ref();
        for kind in StepKind::AT_SITE {
            let step = steps.and_then(|st| match kind {
                StepKind::Lodgement => st.lodgement.as_ref(),
                StepKind::Screening => st.screening.as_ref(),
                StepKind::Review => st.review.as_ref(),
                StepKind::Inspection => st.inspection.as_ref(),
                StepKind::Scan => st.scan.as_ref(),
                StepKind::Tax => st.tax.as_ref(),
                StepKind::Release => st.release.as_ref(),
                StepKind::Sealing => st.sealing.as_ref(),
                StepKind::ArrivalConfirmation => st.arrival_confirmation.as_ref(),
                StepKind::Certificates => st.certificates.as_ref(),
                StepKind::Discharge => st.discharge.as_ref(),
                StepKind::LabTest => st.lab_test.as_ref(),
                StepKind::Transport | StepKind::Coordination => None,
            });
            let path = format!("sites[{i}].steps.{}", kind.name());
            let site = SiteId(i as u32);
            let activity = match step {
                Some(st) => step_activity(cx, &path, st, site, kind, pools),
                None => Activity {
                    scan_share: 0.0,
                    site,
                    step: kind,
                    pool: None,
                    duration: Dist::Deterministic { value: 0.0 },
                    // A step not given is instantaneous, not more thorough.
                    detection: default_detection(kind).unwrap_or(1.0),
                    pooled_with: Vec::new(),
                    diversion: 0.0,
                    transit: None,
                    in_line: false,
                    party: Party::default_for(kind),
                    direct_pickup: None,
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
    st: &Spanned<RawStep>,
    site: SiteId,
    kind: StepKind,
    pools: &[PoolSpec],
) -> Activity {
    let span = at(st);
    let st = st.get_ref();
    let d = &mut cx.d;
    let pool = st.resource.as_ref().and_then(|r| {
        let rpath = format!("{path}.resource");
        let p = lookup(d, &cx.pool_index, &rpath, r, "resource")?;
        if pools[p.0 as usize].site != site {
            let msg = format!("resource {:?} works at another site; a step can only use a resource of its own site", r.get_ref());
            d.error(&rpath, Some(at(r)), msg);
        }
        Some(p)
    });
    let duration = match &st.duration {
        Some(dist) => distribution(d, &format!("{path}.duration"), &at(dist), dist.get_ref()),
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
    let detection = match (&st.detection_probability, default_detection(kind)) {
        (Some(p), Some(_)) => number_in(
            d,
            &format!("{path}.detection_probability"),
            &at(p),
            *p.get_ref(),
            0.0,
            1.0,
        )
        .unwrap_or(1.0),
        (Some(p), None) => {
            d.error(
                &format!("{path}.detection_probability"),
                Some(at(p)),
                "detection_probability only applies to the review, scan, inspection and arrival_confirmation steps",
            );
            1.0
        }
        (None, default) => default.unwrap_or(1.0),
    };
    let scan_share = match (&st.share, kind) {
        (Some(p), StepKind::Scan) => {
            number_in(d, &format!("{path}.share"), &at(p), *p.get_ref(), 0.0, 1.0).unwrap_or(1.0)
        }
        (Some(p), _) => {
            d.error(
                &format!("{path}.share"),
                Some(at(p)),
                "share (of inspections done by scanner) only applies to the scan step",
            );
            0.0
        }
        (None, StepKind::Scan) => 1.0,
        (None, _) => 0.0,
    };
    let in_line = match (&st.in_line, kind) {
        (Some(v), StepKind::Scan) => {
            if *v.get_ref() && st.share.is_some() {
                d.error(
                    &format!("{path}.share"),
                    st.share.as_ref().map(at),
                    "an in-line scanner scans every consignment and screening targets the manual opening; remove share or in_line",
                );
            }
            *v.get_ref()
        }
        (Some(v), _) => {
            d.error(
                &format!("{path}.in_line"),
                Some(at(v)),
                "in_line (every consignment through the scanner) only applies to the scan step",
            );
            false
        }
        (None, _) => false,
    };
    if kind == StepKind::Discharge
        && let Some(r) = &st.resource
    {
        d.error(
            &format!("{path}.resource"),
            Some(at(r)),
            "discharge is the port's own time from the means of transport's arrival to the goods being available; it runs alongside the paperwork and holds no resource; remove resource",
        );
    }
    let direct_pickup = st.direct_pickup.as_ref().and_then(|v| {
        let key = format!("{path}.direct_pickup");
        if kind != StepKind::Discharge {
            d.error(
                &key,
                Some(at(v)),
                "direct_pickup (ship-side pick-up) only applies to a port's discharge step",
            );
            return None;
        }
        distribution(d, &key, &at(v), v.get_ref())
    });
    let party = match &st.party {
        Some(p) => Party::parse(p.get_ref()).unwrap_or_else(|| {
            d.error(
                &format!("{path}.party"),
                Some(at(p)),
                format!(
                    "unknown party {:?}; valid: {}",
                    p.get_ref(),
                    Party::ALL.map(|p| format!("{:?}", p.name())).join(", ")
                ),
            );
            Party::default_for(kind)
        }),
        None => Party::default_for(kind),
    };
    Activity {
        site,
        step: kind,
        pool,
        duration: duration.unwrap_or(Dist::Deterministic { value: 0.0 }),
        detection,
        scan_share: if in_line { 0.0 } else { scan_share },
        pooled_with: Vec::new(),
        diversion: 0.0,
        transit: None,
        in_line,
        party,
        direct_pickup,
    }
}

/// The detection probability a step has when the file gives none; `None`
/// for steps that detect nothing. Manual examination sees what is there;
/// a scan image misses some; a document review finds half of what the
/// papers hide (modelling defaults, each overridable).
fn default_detection(kind: StepKind) -> Option<f64> {
    match kind {
        StepKind::Inspection => Some(1.0),
        StepKind::Scan => Some(0.8),
        StepKind::Review => Some(0.5),
        // The seal check on arrival finds a diversion (broken or faked seals,
        // a substituted load) four times in five: an assumption, stated in
        // docs/model.md; electronic seals and GPS tracking would raise it.
        StepKind::ArrivalConfirmation => Some(0.8),
        // A laboratory analysis of a sample finds what the goods are (grade,
        // harmful elements, solid waste mixed in) nine times in ten: an
        // assumption (sampling can miss a doped part of a bulk cargo),
        // stated in docs/model.md.
        StepKind::LabTest => Some(0.9),
        _ => None,
    }
}

/// Pools that work must pass through need servers and open hours; and an
/// offered load at or above capacity means the queue grows without bound.
pub(super) fn check_capacity(d: &mut Diagnostics, raw: &[Spanned<RawResource>], model: &Model) {
    let mut used = vec![false; model.pools.len()];
    for s in &model.streams {
        for step in &s.route.steps {
            if model.step_probability(s, step) > 0.0 {
                for p in model.activity(step.activity).pools() {
                    used[p.0 as usize] = true;
                }
            }
        }
    }
    let load = model.offered_load();
    let peaks: Vec<(PeakPeriod, Vec<f64>)> = model
        .peak_periods()
        .into_iter()
        .take(MAX_PEAKS_CHECKED)
        .map(|p| {
            let load = model.offered_load_between(p.from, p.until);
            (p, load)
        })
        .collect();
    for (i, pool) in model.pools.iter().enumerate() {
        if !used[i] {
            continue;
        }
        let path = format!("resources[{i}]");
        let field_span = |f: Option<Range<usize>>| f.or(Some(at(&raw[i])));
        if pool.capacity == 0 {
            let msg = format!(
                "resource {:?} has capacity 0 but consignments must pass through it; set capacity >= 1",
                pool.id
            );
            d.error(
                &format!("{path}.capacity"),
                field_span(capacity_span(raw[i].get_ref())),
                msg,
            );
            continue;
        }
        if pool.hours.is_never_open() {
            let msg = format!(
                "resource {:?} is never open but consignments must pass through it; give its calendar some open hours",
                pool.id
            );
            d.error(
                &format!("{path}.calendar"),
                field_span(raw[i].get_ref().calendar.as_ref().map(at)),
                msg,
            );
            continue;
        }
        let available = pool.capacity as f64 * pool.hours.open_fraction();
        if load[i] >= available {
            let msg = format!(
                "offered load on {:?} is {:.3} busy servers on average but only {available:.3} are available \
                 (capacity {} × open share {:.3}): its queue will grow throughout the run",
                pool.id,
                load[i],
                pool.capacity,
                pool.hours.open_fraction()
            );
            d.warning(
                &format!("{path}.capacity"),
                field_span(capacity_span(raw[i].get_ref())),
                msg,
            );
        } else if let Some((peak, excess)) = worst_peak(&peaks, i, available) {
            let hours = peak.until - peak.from;
            let msg = format!(
                "during {:?} ({:.0} h to {:.0} h) the offered load on {:?} is {:.3} busy servers \
                 but only {available:.3} are available (capacity {} × open share {:.3}): a queue \
                 builds up over the peak, about {:.0} h of work for the whole pool when it ends",
                peak.name,
                peak.from,
                peak.until,
                pool.id,
                available + excess,
                pool.capacity,
                pool.hours.open_fraction(),
                excess * hours / available
            );
            d.warning(
                &format!("{path}.capacity"),
                field_span(capacity_span(raw[i].get_ref())),
                msg,
            );
        }
    }
}

/// Where a resource's server count is written, for messages about it.
fn capacity_span(r: &RawResource) -> Option<Range<usize>> {
    r.capacity
        .as_ref()
        .or(r.full_scale_capacity.as_ref())
        .map(at)
}

/// The most peak periods whose offered load validate checks (each costs a
/// pass over the streams).
const MAX_PEAKS_CHECKED: usize = 100;

/// The peak period that most overloads pool `i` (offered load above
/// `available`), and by how many busy servers.
fn worst_peak(
    peaks: &[(PeakPeriod, Vec<f64>)],
    i: usize,
    available: f64,
) -> Option<(&PeakPeriod, f64)> {
    peaks
        .iter()
        .map(|(p, load)| (p, load[i] - available))
        .filter(|(_, excess)| *excess > 0.0)
        .max_by(|a, b| a.1.total_cmp(&b.1))
}
