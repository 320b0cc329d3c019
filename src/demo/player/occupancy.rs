//! What each pool is doing over the player's window: how many consignments
//! queue for it and how many of its servers are busy, counted from the
//! whole crowd (not only the dots drawn), and when its working hours close
//! it.

use super::layout::Layout;
use super::rel;
use crate::engine::hours::WorkingHours;
use crate::model::Model;
use crate::sim::trace::ConsignmentTrace;

/// The hours a calendar is closed within `[t0, t1]` `[h]`, as intervals
/// relative to `t0`, merged and clipped to the window. Calendars open and
/// close on whole hours.
pub fn closed(hours: &WorkingHours, t0: f64, t1: f64) -> Vec<[f64; 2]> {
    let mut out: Vec<[f64; 2]> = Vec::new();
    if hours.is_always_open() {
        return out;
    }
    let mut h = t0.floor();
    while h < t1 {
        if !hours.is_open(h) {
            let (a, b) = (h.max(t0) - t0, (h + 1.0).min(t1) - t0);
            match out.last_mut() {
                Some(last) if last[1] == a => last[1] = b,
                _ => out.push([a, b]),
            }
        }
        h += 1.0;
    }
    out
}

/// Per pool of `layout`: `[time, queue, busy]` rows from the window's start
/// (its state then) to `t1`, one per change, times relative to `t0`.
pub fn series(
    model: &Model,
    layout: &Layout,
    crowd: &[ConsignmentTrace],
    t0: f64,
    t1: f64,
) -> Vec<Vec<[f64; 3]>> {
    // (pool, time, queue change, busy change); unknown ends never come.
    let mut changes: Vec<(usize, f64, i32, i32)> = Vec::new();
    for s in crowd.iter().flat_map(|t| &t.steps).filter(|s| s.taken()) {
        let Some(pool) = s
            .pool
            .and_then(|p| layout.pool_of(&model.pools[p.0 as usize].id))
        else {
            continue;
        };
        let start = if s.start.is_finite() {
            s.start
        } else {
            f64::INFINITY
        };
        if start > s.reached {
            changes.push((pool, s.reached, 1, 0));
            changes.push((pool, start, -1, 0));
        }
        if start.is_finite() {
            let end = if s.end.is_finite() {
                s.end
            } else {
                f64::INFINITY
            };
            changes.push((pool, start, 0, 1));
            changes.push((pool, end, 0, -1));
        }
    }
    changes.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let mut out = vec![Vec::new(); layout.pools.len()];
    let mut now = vec![(0i32, 0i32); layout.pools.len()];
    for (pool, t, dq, db) in changes {
        let (q, b) = &mut now[pool];
        *q += dq;
        *b += db;
        if t > t1 {
            continue;
        }
        let at = rel(t.max(t0), t0).unwrap_or(0.0);
        let row = [at, f64::from(*q), f64::from(*b)];
        let rows: &mut Vec<[f64; 3]> = &mut out[pool];
        match rows.last_mut() {
            Some(last) if last[0] == at => *last = row,
            _ => rows.push(row),
        }
    }
    for rows in &mut out {
        if rows.first().is_none_or(|r| r[0] > 0.0) {
            rows.insert(0, [0.0, 0.0, 0.0]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn office_hours_close_nights_and_the_weekend() {
        // Monday start; open 8-12 and 13-17 on weekdays.
        let h = WorkingHours::weekly(&[0, 1, 2, 3, 4], &[(8, 12), (13, 17)], 0);
        assert_eq!(closed(&h, 10.5, 20.0), vec![[1.5, 2.5], [6.5, 9.5]]);
        assert_eq!(
            closed(&h, 4.0 * 24.0 + 16.0, 7.0 * 24.0 + 9.0),
            vec![[1.0, 64.0]],
            "Friday 17:00 to Monday 08:00"
        );
        assert!(closed(&WorkingHours::always(), 0.0, 100.0).is_empty());
    }
}
