//! The yearly limit on a buyer's cross-border e-commerce retail purchases
//! (`buyers`, `annual_limit_yuan`, `spent_before`,
//! `annual_limit_rework`): see [`crate::model::AnnualLimit`].

use super::super::raw::RawStream;
use super::values::{days_from_civil, distribution, optional_number};
use super::{Context, at};
use crate::model::{AnnualLimit, Channel};

/// The yearly limit per buyer `[yuan]`: 26,000 since 1 January 2019,
/// raised from 20,000 (Ministry of Finance, GACC and State Taxation
/// Administration notice Caiguanshui [2018] No. 49 on the tax policy for
/// cross-border e-commerce retail imports; Xinhua, 30 Nov 2018).
pub(super) const ANNUAL_LIMIT_YUAN: f64 = 26_000.0;
/// The most buyers a scenario may have, over all its streams: each is a
/// running total held in memory for the replication (8 bytes each, so at
/// most 80 MB per replication running).
const MAX_BUYERS: i64 = 10_000_000;

/// The stream's annual limit, where it names its `buyers` and the time an
/// over-limit order's re-declaration takes (`annual_limit_rework`, which
/// no public figure sets). Only for 9610 and 1210 orders.
pub(super) fn annual_limit(
    cx: &mut Context,
    path: &str,
    s: &RawStream,
    channel: Channel,
) -> Option<AnnualLimit> {
    let d = &mut cx.d;
    let spans = [
        ("buyers", s.buyers.as_ref().map(at)),
        (
            "annual_limit_rework",
            s.annual_limit_rework.as_ref().map(at),
        ),
        ("annual_limit_yuan", s.annual_limit_yuan.as_ref().map(at)),
        ("spent_before", s.spent_before.as_ref().map(at)),
    ];
    if spans.iter().all(|(_, span)| span.is_none()) {
        return None;
    }
    if !matches!(channel, Channel::Ecommerce9610 | Channel::Bonded1210) {
        for (key, span) in &spans {
            if let Some(span) = span {
                let msg = format!(
                    "the annual limit applies to cross-border e-commerce retail orders (channel \"ecommerce_9610\" or \"bonded_1210\"), not to {}",
                    channel.name()
                );
                d.error(&format!("{path}.{key}"), Some(span.clone()), msg);
            }
        }
        return None;
    }
    let limit = optional_number(
        d,
        &format!("{path}.annual_limit_yuan"),
        &s.annual_limit_yuan,
        0.0,
        1e9,
        ANNUAL_LIMIT_YUAN,
    );
    let spent_before = s
        .spent_before
        .as_ref()
        .and_then(|v| distribution(d, &format!("{path}.spent_before"), &at(v), v.get_ref()));
    let (Some(buyers), Some(rework)) = (&s.buyers, &s.annual_limit_rework) else {
        let (missing, example) = if s.buyers.is_none() {
            (
                "buyers",
                "buyers = 200000 (distinct buyers placing this stream's orders)",
            )
        } else {
            (
                "annual_limit_rework",
                "annual_limit_rework = { dist = \"lognormal\", mean = 72.0, sd = 48.0 } (hours: the buyer's re-declaration as general trade)",
            )
        };
        let at_key = spans.iter().find_map(|(_, span)| span.clone());
        let msg = format!("the annual limit needs {missing} as well, e.g. {example}");
        d.error(&format!("{path}.{missing}"), at_key, msg);
        return None;
    };
    let n = *buyers.get_ref();
    if !(1..=MAX_BUYERS).contains(&n) {
        let msg = format!("got {n}; expected a whole number from 1 to {MAX_BUYERS}");
        d.error(&format!("{path}.buyers"), Some(at(buyers)), msg);
        return None;
    }
    if cx.buyers + n > MAX_BUYERS {
        let msg = format!(
            "{n} buyers here and {} in the streams before: at most {MAX_BUYERS} over all streams (each buyer's yearly total is kept in memory)",
            cx.buyers
        );
        d.error(&format!("{path}.buyers"), Some(at(buyers)), msg);
        return None;
    }
    cx.buyers += n;
    let d = &mut cx.d;
    let rework = distribution(
        d,
        &format!("{path}.annual_limit_rework"),
        &at(rework),
        rework.get_ref(),
    )?;
    Some(AnnualLimit {
        limit,
        buyers: n as u32,
        spent_before,
        rework,
        new_years: new_years(cx.start_day, cx.horizon),
    })
}

/// The hours from the start at which a calendar year begins, within the
/// horizon. Without a `start_date` the run starts on 1 January of a
/// 365-day year.
fn new_years(start_day: Option<i64>, horizon: f64) -> Vec<f64> {
    let mut out = Vec::new();
    let Some(start) = start_day else {
        let mut t = 8760.0;
        while t < horizon {
            out.push(t);
            t += 8760.0;
        }
        return out;
    };
    // The year the run starts in: the last 1 January on or before it.
    let mut year = 1970 + start.div_euclid(366);
    while days_from_civil(year + 1, 1, 1) <= start {
        year += 1;
    }
    loop {
        year += 1;
        let t = (days_from_civil(year, 1, 1) - start) as f64 * 24.0;
        if t >= horizon {
            return out;
        }
        out.push(t);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_years_fall_on_the_first_of_january() {
        // 2026-11-02 to 1 Jan 2027 is 60 days; 2027 has 365 days, 2028 366.
        let start = days_from_civil(2026, 11, 2);
        assert_eq!(new_years(Some(start), 24.0 * 60.0), Vec::<f64>::new());
        assert_eq!(new_years(Some(start), 24.0 * 61.0), vec![24.0 * 60.0]);
        assert_eq!(
            new_years(Some(start), 24.0 * (60.0 + 365.0 + 366.0 + 1.0)),
            vec![24.0 * 60.0, 24.0 * 425.0, 24.0 * 791.0]
        );
        // Starting on 1 January: the next one is a year later.
        let jan1 = days_from_civil(2027, 1, 1);
        assert_eq!(new_years(Some(jan1), 24.0 * 366.0), vec![24.0 * 365.0]);
        assert_eq!(new_years(None, 20_000.0), vec![8760.0, 17_520.0]);
    }
}
