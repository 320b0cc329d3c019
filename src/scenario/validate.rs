//! From the raw file to a checked [`Model`]: every problem is recorded and
//! validation carries on, so one run of `clearsim validate` lists them all,
//! in the order they appear in the file.

mod annual_limit;
mod capacity;
mod choice;
pub(super) mod experiment;
pub use experiment::Experiment;
mod goods;
mod network;
mod places;
pub(super) mod policy;
mod stock;
mod streams;
mod tax_centres;
pub(super) mod values;
pub use values::known_ids;

use std::collections::HashMap;
use std::ops::Range;

use toml::Spanned;

use super::Scenario;
use super::diagnostics::{Diagnostics, ScenarioError, Severity};
use super::raw::RawScenario;
use crate::engine::WorkingHours;
use crate::model::{Mode, Model, PoolId, RegionId, SiteId};
use values::{check_id, check_title, missing, number_in};

/// Name of the always-open calendar, usable without defining it.
pub const ALWAYS_OPEN: &str = "7x24";
const DEFAULT_SEED: u64 = 1;
const DEFAULT_REPLICATIONS: u32 = 10;
const MAX_REPLICATIONS: i64 = 100_000;
pub(crate) const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// The longest horizon (and warm-up) `[h]`: 10^8 h, where `f64` times
/// still resolve about 10^-8 h. Long runs of a small model are legitimate
/// (the 100-million-consignment memory benchmark needs 1.1 × 10^7 h);
/// the work a file may ask for is bounded by the expected arrivals per
/// replication, not by the horizon.
pub const MAX_HORIZON_H: f64 = 1e8;
/// The most entries of each list of a scenario file: the model's tables
/// grow with their products.
const MAX_ENTRIES: [(&str, usize); 6] = [
    ("sites", 5_000),
    ("resources", 5_000),
    ("streams", 2_000),
    ("regions", 1_000),
    ("links", 20_000),
    ("calendars", 1_000),
];

/// What validation has learnt so far, shared by the section checks, which
/// run in dependency order: calendars, sites, resources, steps, streams.
struct Context<'a> {
    d: Diagnostics<'a>,
    start_day: Option<i64>,
    start_weekday: usize,
    horizon: f64,
    calendars: HashMap<String, WorkingHours>,
    /// Site id → index, and where it was first defined.
    site_index: HashMap<String, SiteId>,
    pool_index: HashMap<String, PoolId>,
    region_index: HashMap<String, RegionId>,
    /// Each site's own calendar, the default of its resources.
    site_hours: Vec<Option<WorkingHours>>,
    /// Multiplies every stream's arrival rate.
    volume_scale: f64,
    /// `policy.mode`: assigns one clearance mode to every stream.
    policy_mode: Option<Mode>,
    /// The mode comes from the command line (`compare`): streams that
    /// cannot take it keep their own, listed in `kept_own_mode`.
    mode_from_command_line: bool,
    kept_own_mode: Vec<String>,
    /// `policy.mode_eligibility`: credit classes not eligible for a
    /// stream's mode fall back to another.
    mode_eligibility: bool,
    /// E-commerce buyers whose yearly totals the streams so far keep.
    buyers: i64,
}

/// The span of a spanned value, as diagnostics take it.
fn at<T>(s: &Spanned<T>) -> Range<usize> {
    s.span()
}

pub fn validate(
    label: &str,
    text: &str,
    raw: RawScenario,
    source_sha256: String,
    overrides: &super::Overrides,
) -> Result<Scenario, ScenarioError> {
    let mut cx = Context {
        d: Diagnostics::new(text),
        start_day: None,
        start_weekday: 0,
        horizon: 1.0,
        calendars: HashMap::new(),
        site_index: HashMap::new(),
        pool_index: HashMap::new(),
        region_index: HashMap::new(),
        site_hours: Vec::new(),
        volume_scale: 1.0,
        policy_mode: None,
        mode_from_command_line: overrides.mode.is_some() && !overrides.every_stream,
        kept_own_mode: Vec::new(),
        mode_eligibility: false,
        buyers: 0,
    };
    let d = &mut cx.d;
    if too_many_entries(d, &raw) {
        let (items, unlisted) = cx.d.into_items();
        return Err(ScenarioError {
            file: label.to_string(),
            diagnostics: items,
            unlisted,
        });
    }
    if let Some(text) = &raw.description {
        let max = values::MAX_DESCRIPTION_CHARS;
        values::check_text(d, "description", &at(text), text.get_ref(), max, true);
    }
    let name = match &raw.name {
        Some(n) => {
            check_title(d, "name", &at(n), n.get_ref());
            n.get_ref().clone()
        }
        None => {
            d.error(
                "name",
                None,
                "missing; give the scenario a name such as \"ningbo_port_clearance\": \
                 it titles the report and names the output folder",
            );
            String::new()
        }
    };
    let seed = match &raw.seed {
        Some(s) if *s.get_ref() < 0 => {
            let msg = format!("got {}; expected an integer >= 0", s.get_ref());
            d.error("seed", Some(at(s)), msg);
            DEFAULT_SEED
        }
        Some(s) => *s.get_ref() as u64,
        None => DEFAULT_SEED,
    };
    let replications = match &raw.replications {
        Some(r) if !(1..=MAX_REPLICATIONS).contains(r.get_ref()) => {
            let msg = format!(
                "got {}; expected an integer from 1 to {MAX_REPLICATIONS}",
                r.get_ref()
            );
            d.error("replications", Some(at(r)), msg);
            DEFAULT_REPLICATIONS
        }
        Some(r) => *r.get_ref() as u32,
        None => DEFAULT_REPLICATIONS,
    };
    let horizon = duration_field(d, &raw.horizon_days, &raw.horizon_h, "horizon", true);
    let warmup = duration_field(d, &raw.warmup_days, &raw.warmup_h, "warmup", false);
    if let (Some(h), Some((w, key, span))) = (&horizon, &warmup)
        && w >= &h.0
    {
        let msg = format!(
            "warm-up ({w} h) must be shorter than the horizon ({} h)",
            h.0
        );
        d.error(key, Some(span.clone()), msg);
    }
    cx.horizon = horizon.as_ref().map_or(1.0, |h| h.0);
    let warmup = warmup.map_or(0.0, |w| w.0);
    if let Some(sd) = &raw.start_date {
        let dt = sd.get_ref();
        match (dt.date, dt.time, dt.offset) {
            (Some(date), None, None) => {
                let (y, m, dd) = (date.year as i64, date.month as i64, date.day as i64);
                let day = values::days_from_civil(y, m, dd);
                cx.start_day = Some(day);
                cx.start_weekday = values::weekday(day);
            }
            _ => d.error(
                "start_date",
                Some(at(sd)),
                format!("{dt} is not a plain date; write e.g. start_date = 2026-11-01"),
            ),
        }
    }
    let volume_scale = values::optional_number(d, "volume_scale", &raw.volume_scale, 0.0, 1e6, 1.0);
    let policy = policy::policy(d, &raw);
    cx.policy_mode = overrides.mode.or(policy_mode(d, &raw));
    cx.volume_scale = volume_scale;
    // The demo imposes a mode on every consignment to show its route.
    cx.mode_eligibility = policy.mode_eligibility && !overrides.every_stream;

    calendars(&mut cx, &raw);
    let mut sites = places::site_headers(&mut cx, &raw.sites);
    let mut regions = network::regions(&mut cx, &raw.regions, &sites);
    network::site_refs(&mut cx, &raw.sites, &mut sites);
    let pools = places::resources(&mut cx, &raw.resources);
    let mut activities = places::site_steps(&mut cx, &raw.sites, &mut sites, &pools);
    network::region_activities(&mut cx, &raw.regions, &mut regions, &mut activities);
    network::pooled_reviewers(
        &mut cx,
        &raw.regions,
        &regions,
        &sites,
        &pools,
        &mut activities,
    );
    let links = network::links(&mut cx, &raw.links, &mut activities);
    let national_centre = raw
        .national_centre
        .as_ref()
        .and_then(|c| places::lookup(&mut cx.d, &cx.site_index, "national_centre", c, "site"));
    if raw.nationwide == Some(true)
        && raw
            .regions
            .iter()
            .any(|r| r.get_ref().integrated == Some(false))
    {
        cx.d.error("nationwide", None, "nationwide = true makes every region integrated; remove `integrated = false` from [[regions]] or set nationwide = false");
    }
    let net = streams::Network {
        nationwide: raw.nationwide.unwrap_or(false),
        national_centre,
        sites: &sites,
        activities: &activities,
        regions: &regions,
        links: &links,
    };
    let mut streams = streams::streams(&mut cx, &raw.streams, &net);
    if policy.tax_review_by_category {
        tax_centres::assign(&mut cx, &raw.streams, &sites, &mut streams);
    }
    stock::assign(&mut cx, &raw.streams, &mut streams);
    let d = &mut cx.d;
    if raw.sites.is_empty() {
        d.error(
            "sites",
            None,
            "no sites; add at least one [[sites]] entry with id and kind",
        );
    }
    if raw.streams.is_empty() {
        d.error(
            "streams",
            None,
            "no demand; add at least one [[streams]] entry with id, port and \
             rate_per_h or rate_per_day",
        );
    }
    let mut model = Model {
        name: name.clone(),
        horizon: cx.horizon,
        warmup,
        start_weekday: cx.start_weekday,
        sites,
        regions,
        links,
        pools,
        activities,
        streams,
        policy,
        nationwide: raw.nationwide.unwrap_or(false),
    };
    if !cx.d.has_errors() {
        model.prepare_screening();
        places::check_capacity(&mut cx.d, &raw.resources, &model);
    }
    let study = raw
        .experiment
        .as_ref()
        .and_then(|e| experiment::experiment(&mut cx.d, e, &model));
    // In file order; problems of the file as a whole first.
    let (items, unlisted) = cx.d.into_items();
    if unlisted > 0 || items.iter().any(|i| i.severity == Severity::Error) {
        return Err(ScenarioError {
            file: label.to_string(),
            diagnostics: items,
            unlisted,
        });
    }
    Ok(Scenario {
        name,
        description: raw.description.map(|t| t.into_inner()).unwrap_or_default(),
        model,
        seed,
        replications,
        source_label: label.to_string(),
        source_sha256,
        warnings: items,
        source_text: text.to_string(),
        experiment: study,
        kept_own_mode: cx.kept_own_mode,
    })
}

/// Lists longer than [`MAX_ENTRIES`] allows, each reported at its first
/// entry too many; true if any (validation stops there: checking the rest
/// would build the oversized tables).
fn too_many_entries(d: &mut Diagnostics, raw: &RawScenario) -> bool {
    let first_extra = |key: &str, max: usize| -> Option<(usize, Option<Range<usize>>)> {
        let len_span = |n: usize, span: Option<Range<usize>>| (n > max).then_some((n, span));
        match key {
            "sites" => len_span(raw.sites.len(), raw.sites.get(max).map(at)),
            "resources" => len_span(raw.resources.len(), raw.resources.get(max).map(at)),
            "streams" => len_span(raw.streams.len(), raw.streams.get(max).map(at)),
            "regions" => len_span(raw.regions.len(), raw.regions.get(max).map(at)),
            "links" => len_span(raw.links.len(), raw.links.get(max).map(at)),
            _ => len_span(raw.calendars.len(), raw.calendars.values().nth(max).map(at)),
        }
    };
    let mut any = false;
    for (key, max) in MAX_ENTRIES {
        if let Some((n, span)) = first_extra(key, max) {
            any = true;
            d.error(
                key,
                span,
                format!(
                    "{n} entries; at most {max} are allowed (split the study into several scenarios)"
                ),
            );
        }
    }
    any
}

/// A duration given as `<what>_days` or `<what>_h` (exactly one): the value
/// in hours, the key used, and its span.
fn duration_field(
    d: &mut Diagnostics,
    days: &Option<Spanned<f64>>,
    hours: &Option<Spanned<f64>>,
    what: &str,
    required: bool,
) -> Option<(f64, String, Range<usize>)> {
    let (key, v, scale) = match (days, hours) {
        (Some(_), Some(h)) => {
            let msg = format!("give {what}_days or {what}_h, not both");
            d.error(&format!("{what}_h"), Some(at(h)), msg);
            return None;
        }
        (Some(v), None) => (format!("{what}_days"), v, 24.0),
        (None, Some(v)) => (format!("{what}_h"), v, 1.0),
        (None, None) => {
            if required {
                let msg = format!("missing; give {what}_days (or {what}_h), the simulated time");
                d.error(&format!("{what}_days"), None, msg);
            }
            return None;
        }
    };
    let hours = number_in(d, &key, &at(v), *v.get_ref(), 0.0, f64::INFINITY)? * scale;
    if hours > MAX_HORIZON_H {
        let msg = format!(
            "got {}; expected at most {} (10^8 h, the longest simulated time)",
            values::show(*v.get_ref()),
            MAX_HORIZON_H / scale
        );
        d.error(&key, Some(at(v)), msg);
        return None;
    }
    if required && hours <= 0.0 {
        d.error(&key, Some(at(v)), "got 0; expected a duration > 0");
        return None;
    }
    Some((hours, key, at(v)))
}

/// `policy.mode`, if given: one clearance mode for every stream.
fn policy_mode(d: &mut Diagnostics, raw: &RawScenario) -> Option<Mode> {
    let m = raw.policy.as_ref()?.get_ref().mode.as_ref()?;
    let mode = Mode::parse(m.get_ref());
    if mode.is_none() {
        d.error(
            "policy.mode",
            Some(at(m)),
            streams::unknown_mode(m.get_ref()),
        );
    }
    mode
}

fn calendars(cx: &mut Context, raw: &RawScenario) {
    for (id, cal) in &raw.calendars {
        let path = format!("calendars.{id}");
        let span = at(cal);
        let cal = cal.get_ref();
        let d = &mut cx.d;
        if id == ALWAYS_OPEN {
            let msg = format!("\"{ALWAYS_OPEN}\" is built in (always open); choose another name");
            d.error(&path, Some(span), msg);
            continue;
        }
        check_id(d, &path, &span, id);
        let mut days = Vec::new();
        match &cal.days {
            Some(list) => {
                for (i, day) in list.get_ref().iter().enumerate() {
                    match WEEKDAYS.iter().position(|w| w.eq_ignore_ascii_case(day)) {
                        Some(k) => days.push(k),
                        None => d.error(
                            &format!("{path}.days[{i}]"),
                            Some(at(list)),
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
                for (i, r) in list.get_ref().iter().enumerate() {
                    match r.as_slice() {
                        [a, b] if 0 <= *a && a < b && *b <= 24 => {
                            ranges.push((*a as usize, *b as usize))
                        }
                        _ => d.error(
                            &format!("{path}.hours[{i}]"),
                            Some(at(list)),
                            format!(
                                "got {r:?}; expected [start, end] whole hours with \
                                 0 <= start < end <= 24, e.g. [9, 17]"
                            ),
                        ),
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
        let hours = WorkingHours::weekly(&days, &ranges, cx.start_weekday);
        cx.calendars.insert(id.clone(), hours);
    }
}
