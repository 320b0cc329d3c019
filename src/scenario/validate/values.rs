//! Checks of single values: numbers in range, identifiers, distributions,
//! dates. Each returns `None` after recording a diagnostic, so callers can
//! go on and report further problems.

use std::ops::Range;

use toml::value::Datetime;

use super::super::diagnostics::Diagnostics;
use super::super::raw::RawDist;
use crate::engine::Dist;

/// Most characters in an id.
pub const MAX_ID_CHARS: usize = 100;

/// The characters allowed in ids: they appear in `key=value` groups of the
/// CSV outputs and in directory names.
pub fn check_id(d: &mut Diagnostics, path: &str, span: &Range<usize>, id: &str) -> bool {
    if id.len() > MAX_ID_CHARS {
        let shown: String = id.chars().take(20).collect();
        d.error(
            path,
            Some(span.clone()),
            format!(
                "the id \"{shown}...\" is {} characters long; use at most {MAX_ID_CHARS}",
                id.chars().count()
            ),
        );
        return false;
    }
    let ok = !id.is_empty()
        && !id.starts_with('.')
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if !ok {
        d.error(
            path,
            Some(span.clone()),
            format!(
                "{id:?} is not a valid id; use letters, digits, '_', '-' or '.', \
                 not starting with '.'"
            ),
        );
    }
    ok
}

/// Most characters in a free-text name.
pub const MAX_TITLE_CHARS: usize = 120;

/// Most characters in a free-text source (a reform's citation).
pub const MAX_SOURCE_CHARS: usize = 500;
/// Most characters in the scenario's description.
pub const MAX_DESCRIPTION_CHARS: usize = 10_000;

/// A free-text name: not blank, one line, at most [`MAX_TITLE_CHARS`].
/// Names reach the charts, the report and the CSV files, where a control
/// character (a NUL, an escape) would corrupt them.
pub fn check_title(d: &mut Diagnostics, path: &str, span: &Range<usize>, text: &str) -> bool {
    if text.trim().is_empty() {
        let msg = format!("{text:?} is blank; give a short name such as \"ningbo_port_clearance\"");
        d.error(path, Some(span.clone()), msg);
        return false;
    }
    check_text(d, path, span, text, MAX_TITLE_CHARS, false)
}

/// An optional free-text name (a site's, a region's, a peak's): checked as
/// [`check_title`] does; `None` when absent or refused.
pub fn optional_title(
    d: &mut Diagnostics,
    path: &str,
    name: &Option<toml::Spanned<String>>,
) -> Option<String> {
    let n = name.as_ref()?;
    let span = n.span();
    if n.get_ref().trim().is_empty() {
        let msg = "is blank; give a name, or leave `name` out to use the id";
        d.error(path, Some(span), msg.to_string());
        return None;
    }
    check_text(d, path, &span, n.get_ref(), MAX_TITLE_CHARS, false).then(|| n.get_ref().clone())
}

/// Free text of at most `max` characters without control characters
/// (but for line breaks and tabs when `multiline`); the message shows the
/// text's start, escaped.
pub fn check_text(
    d: &mut Diagnostics,
    path: &str,
    span: &Range<usize>,
    text: &str,
    max: usize,
    multiline: bool,
) -> bool {
    let allowed = |c: char| multiline && matches!(c, '\n' | '\t' | '\r');
    let shown = || {
        let start: String = text.chars().take(40).collect();
        if start.len() < text.len() {
            format!("{start:?}...")
        } else {
            format!("{start:?}")
        }
    };
    let problem = if let Some(c) = text.chars().find(|&c| c.is_control() && !allowed(c)) {
        let what = if multiline {
            "; use plain text (line breaks and tabs are allowed)"
        } else {
            " (a line break, a tab or an invisible character); use one plain line"
        };
        Some(format!("contains the control character {c:?}{what}"))
    } else if text.chars().count() > max {
        Some(format!(
            "is {} characters long; use at most {max}{}",
            text.chars().count(),
            if max == MAX_TITLE_CHARS {
                " (put the rest in description)"
            } else {
                ""
            }
        ))
    } else {
        None
    };
    if let Some(p) = &problem {
        d.error(path, Some(span.clone()), format!("{} {p}", shown()));
    }
    problem.is_none()
}

/// A finite number within `[lo, hi]`.
pub fn number_in(
    d: &mut Diagnostics,
    path: &str,
    span: &Range<usize>,
    v: f64,
    lo: f64,
    hi: f64,
) -> Option<f64> {
    if v.is_finite() && v >= lo && v <= hi {
        return Some(v);
    }
    let valid = if hi.is_infinite() {
        format!("a finite number >= {lo}")
    } else if lo == f64::MIN_POSITIVE {
        format!("a number > 0 and <= {hi}")
    } else {
        format!("a number from {lo} to {hi}")
    };
    d.error(
        path,
        Some(span.clone()),
        format!("got {}; expected {valid}", show(v)),
    );
    None
}

/// A number as a message quotes it: very large or very small ones in
/// scientific notation (`1e308`, not 309 digits).
pub fn show(v: f64) -> String {
    if v.is_finite() && v != 0.0 && !(1e-6..1e15).contains(&v.abs()) {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

/// An optional number within `[lo, hi]`, `default` when absent (or wrong,
/// after recording the error).
pub fn optional_number(
    d: &mut Diagnostics,
    path: &str,
    v: &Option<toml::Spanned<f64>>,
    lo: f64,
    hi: f64,
    default: f64,
) -> f64 {
    v.as_ref()
        .and_then(|v| number_in(d, path, &v.span(), *v.get_ref(), lo, hi))
        .unwrap_or(default)
}

/// An optional choice among named values, `default` when absent.
pub fn optional_choice<T: Copy>(
    d: &mut Diagnostics,
    path: &str,
    v: &Option<toml::Spanned<String>>,
    options: &[(&str, T)],
    default: T,
) -> T {
    let Some(v) = v else { return default };
    match options.iter().find(|(n, _)| *n == v.get_ref()) {
        Some((_, t)) => *t,
        None => {
            let names: Vec<&str> = options.iter().map(|(n, _)| *n).collect();
            let msg = format!(
                "got {:?}; expected one of {}",
                v.get_ref(),
                names.join(", ")
            );
            d.error(path, Some(v.span()), msg);
            default
        }
    }
}

/// A required field that is missing.
pub fn missing(d: &mut Diagnostics, path: &str, span: &Range<usize>, what: &str) {
    d.error(path, Some(span.clone()), format!("missing; {what}"));
}

/// The largest parameter of a distribution: 10^12 hours or yuan.
pub const MAX_DIST_VALUE: f64 = 1e12;

/// The distribution families, as `dist` names them.
pub(crate) const DISTRIBUTIONS: &str =
    "deterministic, exponential, uniform, triangular, lognormal, gamma, erlang, empirical";

/// Converts a raw distribution, checking that exactly the family's
/// parameters are given.
pub fn distribution(
    d: &mut Diagnostics,
    path: &str,
    span: &Range<usize>,
    r: &RawDist,
) -> Option<Dist> {
    let Some(family) = r.dist.as_deref() else {
        d.error(
            path,
            Some(span.clone()),
            format!("missing `dist`; one of: {DISTRIBUTIONS}"),
        );
        return None;
    };
    let given: Vec<(&str, bool)> = vec![
        ("mean", r.mean.is_some()),
        ("sd", r.sd.is_some()),
        ("value", r.value.is_some()),
        ("min", r.min.is_some()),
        ("max", r.max.is_some()),
        ("mode", r.mode.is_some()),
        ("shape", r.shape.is_some()),
        ("k", r.k.is_some()),
        ("values", r.values.is_some()),
        ("weights", r.weights.is_some()),
    ];
    let (required, optional): (&[&str], &[&str]) = match family {
        "deterministic" => (&["value"], &[]),
        "exponential" => (&["mean"], &[]),
        "uniform" => (&["min", "max"], &[]),
        "triangular" => (&["min", "mode", "max"], &[]),
        "lognormal" => (&["mean", "sd"], &[]),
        "gamma" => (&["shape", "mean"], &[]),
        "erlang" => (&["k", "mean"], &[]),
        "empirical" => (&["values"], &["weights"]),
        other => {
            d.error(
                &format!("{path}.dist"),
                Some(span.clone()),
                format!("unknown distribution {other:?}; expected one of: {DISTRIBUTIONS}"),
            );
            return None;
        }
    };
    let mut ok = true;
    for (key, present) in &given {
        let allowed = required.contains(key) || optional.contains(key);
        if *present && !allowed {
            d.error(
                &format!("{path}.{key}"),
                Some(span.clone()),
                format!(
                    "`{key}` does not apply to {family}; {family} takes {}",
                    required.join(", ")
                ),
            );
            ok = false;
        }
        if !*present && required.contains(key) {
            d.error(
                path,
                Some(span.clone()),
                format!("{family} needs `{key}` (it takes {})", required.join(", ")),
            );
            ok = false;
        }
    }
    if !ok {
        return None;
    }
    // Durations [h] and values [yuan] alike: sums over a billion draws
    // must stay finite.
    let scalars = [
        ("mean", r.mean),
        ("sd", r.sd),
        ("value", r.value),
        ("min", r.min),
        ("max", r.max),
        ("mode", r.mode),
    ];
    let listed = r.values.iter().flatten().enumerate();
    let too_large = scalars
        .iter()
        .filter_map(|(k, x)| x.map(|x| (k.to_string(), x)))
        .chain(listed.map(|(i, x)| (format!("values[{i}]"), *x)))
        .find(|(_, x)| x.abs() > MAX_DIST_VALUE);
    if let Some((key, x)) = too_large {
        d.error(
            &format!("{path}.{key}"),
            Some(span.clone()),
            format!(
                "{family}: got {}; expected at most {MAX_DIST_VALUE:e} (hours for a duration, \
                 yuan for a value)",
                show(x)
            ),
        );
        return None;
    }
    let f = |x: Option<f64>| x.unwrap_or(f64::NAN);
    let built = match family {
        "deterministic" => Dist::deterministic(f(r.value)),
        "exponential" => Dist::exponential(f(r.mean)),
        "uniform" => Dist::uniform(f(r.min), f(r.max)),
        "triangular" => Dist::triangular(f(r.min), f(r.mode), f(r.max)),
        "lognormal" => Dist::lognormal(f(r.mean), f(r.sd)),
        "gamma" => Dist::gamma(f(r.shape), f(r.mean)),
        "erlang" => Dist::erlang(r.k.unwrap_or(0), f(r.mean)),
        _ => Dist::empirical(r.values.clone().unwrap_or_default(), r.weights.clone()),
    };
    match built {
        Ok(dist) => Some(dist),
        Err(msg) => {
            d.error(path, Some(span.clone()), format!("{family}: {msg}"));
            None
        }
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil`).
pub fn days_from_civil(y: i64, m: i64, day: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Weekday of a day number from [`days_from_civil`] (0 = Monday).
pub fn weekday(days: i64) -> usize {
    // 1970-01-01 was a Thursday (3).
    (days + 3).rem_euclid(7) as usize
}

/// A local date or date-time as hours since midnight of day 0 (the
/// `start_date`, given as its day number).
pub fn hours_since(
    d: &mut Diagnostics,
    path: &str,
    span: &Range<usize>,
    dt: &Datetime,
    start_day: i64,
) -> Option<f64> {
    let (Some(date), None) = (dt.date, dt.offset) else {
        d.error(
            path,
            Some(span.clone()),
            format!("{dt} is not a local date or date-time; write e.g. 2026-11-11 or 2026-11-11T08:00:00"),
        );
        return None;
    };
    let day = days_from_civil(date.year as i64, date.month as i64, date.day as i64);
    let time = dt.time.map_or(0.0, |t| {
        t.hour as f64 + t.minute as f64 / 60.0 + t.second.unwrap_or(0) as f64 / 3600.0
    });
    Some((day - start_day) as f64 * 24.0 + time)
}

/// The most ids a message lists.
const MAX_LISTED: usize = 10;

/// "defined sites: a, b, c" for an unknown `wanted` id: sorted, at most
/// [`MAX_LISTED`] shown then "and N more", with the nearest id suggested.
pub fn known_ids<'a>(what: &str, ids: impl IntoIterator<Item = &'a str>, wanted: &str) -> String {
    let mut known: Vec<&str> = ids.into_iter().collect();
    if known.is_empty() {
        return format!("no {what}s are defined");
    }
    // The ids are distinct; the first few in order without sorting them all.
    let total = known.len();
    if total > MAX_LISTED {
        known.select_nth_unstable(MAX_LISTED);
    }
    let shown = total.min(MAX_LISTED);
    known[..shown].sort_unstable();
    let mut out = format!("defined {what}s: {}", known[..shown].join(", "));
    if total > shown {
        out.push_str(&format!(" and {} more", total - shown));
    }
    if let Some(near) = nearest(&known, wanted) {
        out.push_str(&format!("; did you mean {near:?}?"));
    }
    out
}

/// The id closest to `wanted` by edit distance, if close enough to be a
/// plausible typo (at most a third of its length).
fn nearest<'a>(known: &[&'a str], wanted: &str) -> Option<&'a str> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    /// Character comparisons left for suggestions in this process: a file
    /// of thousands of unknown ids among thousands of defined ones gets
    /// suggestions for the first of them only, never a quadratic wait.
    static BUDGET: AtomicUsize = AtomicUsize::new(50_000_000);
    const LONGEST: usize = 64;
    let n = wanted.chars().count();
    let cost = known.len() * (n + 1) * (LONGEST + 1);
    let spend = BUDGET.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |b| {
        b.checked_sub(cost)
    });
    if n > LONGEST || spend.is_err() {
        return None;
    }
    known
        .iter()
        .filter(|k| k.chars().count() <= LONGEST)
        .map(|k| (edit_distance(k, wanted), *k))
        .min()
        .filter(|(dist, _)| *dist > 0 && *dist * 3 <= wanted.chars().count().max(3))
        .map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb {
                prev
            } else {
                1 + prev.min(row[j]).min(row[j + 1])
            };
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_ids_are_bounded_and_suggest_the_nearest() {
        let ids: Vec<String> = (0..30).map(|i| format!("site_{i:02}")).collect();
        let m = known_ids("site", ids.iter().map(String::as_str), "site_7");
        assert!(m.ends_with("and 20 more; did you mean \"site_07\"?"), "{m}");
        assert_eq!(known_ids("site", [], "x"), "no sites are defined");
        assert_eq!(known_ids("site", ["b", "a"], "zzzz"), "defined sites: a, b");
        let many: Vec<String> = (0..20).rev().map(|i| format!("{i:02}")).collect();
        let m = known_ids("id", many.iter().map(String::as_str), "zzzz");
        assert_eq!(
            m,
            "defined ids: 00, 01, 02, 03, 04, 05, 06, 07, 08, 09 and 10 more"
        );
    }

    #[test]
    fn civil_days_and_weekdays() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(weekday(days_from_civil(2026, 11, 11)), 2); // a Wednesday
        assert_eq!(weekday(days_from_civil(2024, 2, 29)), 3); // a Thursday
    }
}
