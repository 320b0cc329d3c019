//! Demand streams: arrival rates, profiles, dated peaks, and their routes.

use std::collections::HashMap;
use std::ops::Range;

use toml::Spanned;

use super::super::diagnostics::Diagnostics;
use super::super::raw::{RawPeak, RawStream};
use super::places::{lookup, unique_id};
use super::values::{self, missing, number_in};
use super::{Context, at};
use crate::engine::{ArrivalProcess, Peak};
use crate::model::{Mode, Route, Site, SiteId, Stream};

pub(super) fn streams(cx: &mut Context, raw: &[Spanned<RawStream>], sites: &[Site]) -> Vec<Stream> {
    let mut ids = HashMap::new();
    let mut first = HashMap::new();
    let modes: Vec<&str> = Mode::ALL.iter().map(|(n, _)| *n).collect();
    let mut out = Vec::new();
    for (i, s) in raw.iter().enumerate() {
        let path = format!("streams[{i}]");
        let span = at(s);
        let s = s.get_ref();
        let d = &mut cx.d;
        let id = match &s.id {
            Some(id) => unique_id(
                d,
                &mut ids,
                &mut first,
                &format!("{path}.id"),
                id,
                i,
                "stream",
            ),
            None => {
                missing(
                    d,
                    &format!("{path}.id"),
                    &span,
                    "give the stream an id such as \"general_trade\"",
                );
                String::new()
            }
        };
        let port = match &s.port {
            Some(p) => lookup(d, &cx.site_index, &format!("{path}.port"), p, "site"),
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
        if let (Some(p), Some(raw_port)) = (port, &s.port) {
            let site = &sites[p.0 as usize];
            if !site.kind.is_entry_point() {
                let msg = format!(
                    "site {:?} is an inland customs office; consignments arrive at a port, postal hub, e-commerce site or bonded zone",
                    site.id
                );
                d.error(&format!("{path}.port"), Some(at(raw_port)), msg);
            }
        }
        let mode = match &s.mode {
            None => Mode::PortClearance,
            Some(m) => Mode::parse(m.get_ref()).unwrap_or_else(|| {
                let msg = format!(
                    "unknown clearance mode {:?}; supported: {}",
                    m.get_ref(),
                    modes.join(", ")
                );
                d.error(&format!("{path}.mode"), Some(at(m)), msg);
                Mode::PortClearance
            }),
        };
        let rate = match (&s.rate_per_h, &s.rate_per_day) {
            (Some(r), None) => number_in(
                d,
                &format!("{path}.rate_per_h"),
                &at(r),
                *r.get_ref(),
                0.0,
                f64::INFINITY,
            ),
            (None, Some(r)) => number_in(
                d,
                &format!("{path}.rate_per_day"),
                &at(r),
                *r.get_ref(),
                0.0,
                f64::INFINITY,
            )
            .map(|r| r / 24.0),
            (Some(_), Some(r)) => {
                d.error(
                    &format!("{path}.rate_per_day"),
                    Some(at(r)),
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
            &s.hour_of_day,
            "24 multipliers, one per hour from 00:00",
        );
        let day_of_week = profile::<7>(
            d,
            &format!("{path}.day_of_week"),
            &s.day_of_week,
            "7 multipliers, Monday first",
        );
        let prohibited_share = match &s.prohibited_share {
            Some(p) => number_in(
                d,
                &format!("{path}.prohibited_share"),
                &at(p),
                *p.get_ref(),
                0.0,
                1.0,
            )
            .unwrap_or(0.0),
            None => 0.0,
        };
        let mut peaks = Vec::new();
        for (k, p) in s.peaks.iter().enumerate() {
            if let Some(peak) = peak(
                d,
                &format!("{path}.peaks[{k}]"),
                &at(p),
                p.get_ref(),
                cx.start_day,
                cx.horizon,
            ) {
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
        let route = port.map_or(Route { steps: Vec::new() }, |p| {
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
    v: &Option<Spanned<Vec<f64>>>,
    what: &str,
) -> [f64; N] {
    let Some(v) = v else { return [1.0; N] };
    let span = at(v);
    let v = v.get_ref();
    if v.len() != N {
        d.error(
            path,
            Some(span),
            format!("has {} values; expected {what}", v.len()),
        );
        return [1.0; N];
    }
    let mut out = [1.0; N];
    for (k, x) in v.iter().enumerate() {
        out[k] =
            number_in(d, &format!("{path}[{k}]"), &span, *x, 0.0, f64::INFINITY).unwrap_or(1.0);
    }
    if out.iter().all(|x| *x == 0.0) {
        d.error(path, Some(span), "all multipliers are zero: nothing would ever arrive; remove the stream or give some hours a positive multiplier");
    }
    out
}

/// One end of a peak: a date (needs `start_date`) or hours from the start.
fn peak_time(
    d: &mut Diagnostics,
    path: &str,
    span: &Range<usize>,
    key: &str,
    date: &Option<Spanned<toml::value::Datetime>>,
    hours: &Option<Spanned<f64>>,
    start_day: Option<i64>,
) -> Option<f64> {
    match (date, hours) {
        (Some(_), Some(h)) => {
            d.error(
                &format!("{path}.{key}_h"),
                Some(at(h)),
                format!("give {key} (a date) or {key}_h (hours from the start), not both"),
            );
            None
        }
        (Some(dt), None) => match start_day {
            Some(sd) => values::hours_since(d, &format!("{path}.{key}"), &at(dt), dt.get_ref(), sd),
            None => {
                let msg = format!(
                    "a dated peak needs the scenario's start_date (e.g. start_date = 2026-11-01), or give {key}_h in hours from the start"
                );
                d.error(&format!("{path}.{key}"), Some(at(dt)), msg);
                None
            }
        },
        (None, Some(h)) => number_in(
            d,
            &format!("{path}.{key}_h"),
            &at(h),
            *h.get_ref(),
            0.0,
            f64::INFINITY,
        ),
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
}

fn peak(
    d: &mut Diagnostics,
    path: &str,
    span: &Range<usize>,
    p: &RawPeak,
    start_day: Option<i64>,
    horizon: f64,
) -> Option<Peak> {
    let from = peak_time(d, path, span, "from", &p.from, &p.from_h, start_day);
    let until = peak_time(d, path, span, "until", &p.until, &p.until_h, start_day);
    let multiplier = match &p.multiplier {
        Some(m) => number_in(
            d,
            &format!("{path}.multiplier"),
            &at(m),
            *m.get_ref(),
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
        d.error(path, Some(span.clone()), format!("the peak ends ({until:.2} h) before it starts ({from:.2} h); `until` must be later than `from`"));
        return None;
    }
    if from >= horizon {
        let name = p.name.as_deref().unwrap_or("the peak");
        d.warning(
            path,
            Some(span.clone()),
            format!(
                "{name} starts at {from:.2} h, after the horizon ({horizon} h): it has no effect"
            ),
        );
    }
    Some(Peak {
        from,
        until,
        multiplier,
    })
}
