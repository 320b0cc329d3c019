//! A resource's number of servers: as written (`capacity`), or written for
//! full national volume and scaled with the demand (`full_scale_capacity`
//! × `volume_scale`), so that one knob scales a scenario.

use super::super::diagnostics::Diagnostics;
use super::super::raw::RawResource;
use super::at;
use std::ops::Range;

/// Relative rounding error beyond which validation warns that a scaled
/// pool is noticeably larger or smaller than its share of the volume.
const ROUNDING_WARNING: f64 = 0.25;

/// A scaled pool whose whole number of servers is far from its share of
/// the volume.
pub(super) struct Rounded {
    path: String,
    span: Range<usize>,
    full: u32,
    exact: f64,
    servers: u32,
}

impl Rounded {
    fn change(&self) -> f64 {
        (self.servers as f64 - self.exact) / self.exact
    }
}

/// One warning for every pool [`servers`] rounded by more than 25%, at the
/// first of them: how many, and the worst few.
pub(super) fn warn_rounding(d: &mut Diagnostics, mut rounded: Vec<Rounded>, volume_scale: f64) {
    let Some(first) = rounded.first() else {
        return;
    };
    let (path, span) = (
        format!("{}.full_scale_capacity", first.path),
        first.span.clone(),
    );
    rounded.sort_by(|a, b| b.change().abs().total_cmp(&a.change().abs()));
    let worst: Vec<String> = rounded
        .iter()
        .take(3)
        .map(|r| {
            format!(
                "{} ({} × {volume_scale} = {:.3} → {}, {:+.0}%)",
                r.path,
                r.full,
                r.exact,
                r.servers,
                100.0 * r.change()
            )
        })
        .collect();
    let msg = format!(
        "at volume_scale {volume_scale}, {} scaled to whole servers (at least one) {} more than 25% from {} share of the volume, e.g. {}: {} utilisation and queues read accordingly (a larger volume_scale, or capacity written directly, avoids it)",
        if rounded.len() == 1 {
            "1 pool".to_string()
        } else {
            format!("{} pools", rounded.len())
        },
        if rounded.len() == 1 { "is" } else { "are" },
        if rounded.len() == 1 { "its" } else { "their" },
        worst.join(", "),
        if rounded.len() == 1 { "its" } else { "their" },
    );
    d.warning(&path, Some(span), msg);
}

/// The servers of resource `r` at `path` under `volume_scale`. A scaled
/// capacity is rounded to the nearest whole server, with a floor of one
/// for any pool that has servers at full scale: a site that works at full
/// volume still has someone at a small scale, where it is then
/// over-staffed (validation says by how much when it exceeds 25%).
pub(super) fn servers(
    d: &mut Diagnostics,
    path: &str,
    span: &Range<usize>,
    r: &RawResource,
    volume_scale: f64,
    rounded: &mut Vec<Rounded>,
) -> u32 {
    let whole = |d: &mut Diagnostics, key: &str, v: &toml::Spanned<i64>| -> Option<u32> {
        if (0..=u32::MAX as i64).contains(v.get_ref()) {
            Some(*v.get_ref() as u32)
        } else {
            let msg = format!(
                "got {}; expected a whole number of servers >= 0",
                v.get_ref()
            );
            d.error(&format!("{path}.{key}"), Some(at(v)), msg);
            None
        }
    };
    match (&r.capacity, &r.full_scale_capacity) {
        (Some(c), None) => whole(d, "capacity", c).unwrap_or(0),
        (None, Some(f)) => {
            let Some(full) = whole(d, "full_scale_capacity", f) else {
                return 0;
            };
            let exact = full as f64 * volume_scale;
            let n = if full == 0 {
                0
            } else {
                exact.round().clamp(1.0, u32::MAX as f64) as u32
            };
            if full > 0 && (n as f64 - exact).abs() > ROUNDING_WARNING * exact {
                rounded.push(Rounded {
                    path: path.to_string(),
                    span: at(f),
                    full,
                    exact,
                    servers: n,
                });
            }
            n
        }
        (Some(_), Some(f)) => {
            d.error(
                &format!("{path}.full_scale_capacity"),
                Some(at(f)),
                "give capacity (servers as written) or full_scale_capacity (servers at volume_scale = 1, scaled with it), not both",
            );
            0
        }
        (None, None) => {
            super::values::missing(
                d,
                &format!("{path}.capacity"),
                span,
                "give the number of servers (officers, teams or scanners) as capacity, or at full national volume as full_scale_capacity",
            );
            0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scaled(full: i64, scale: f64) -> (u32, usize) {
        let text = format!("full_scale_capacity = {full}\n");
        let r: RawResource = toml::from_str(&text).unwrap();
        let mut d = Diagnostics::new(&text);
        let mut rounded = Vec::new();
        let n = servers(&mut d, "resources[0]", &(0..1), &r, scale, &mut rounded);
        (n, rounded.len())
    }

    #[test]
    fn scaled_capacity_rounds_with_a_floor_of_one() {
        // 600 at full scale: 3 at 1/200, 1 at 1/1000 (0.6, +67%: warned).
        assert_eq!(scaled(600, 0.005), (3, 0));
        assert_eq!(scaled(600, 0.001), (1, 1));
        // 0.2 servers still get one (+400%, warned); none at full scale
        // stays none.
        assert_eq!(scaled(200, 0.001), (1, 1));
        assert_eq!(scaled(0, 0.5), (0, 0));
        // Within 25%: 7 × 0.3 = 2.1 → 2 (−5%), no warning.
        assert_eq!(scaled(7, 0.3), (2, 0));
        assert_eq!(scaled(1_000_000, 1.0), (1_000_000, 0));
    }
}
