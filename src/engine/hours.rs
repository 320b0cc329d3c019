//! Working-hour calendars: which whole hours of the week a pool is open.
//!
//! A calendar is a 168-slot mask over the hours of the week (Monday 00:00 is
//! slot 0). Simulation hour 0 falls on the weekday given at construction, so
//! a run may start on any day. Opening and closing happen on whole hours,
//! which is the granularity at which customs publishes its working hours.

use super::HOURS_PER_WEEK;

#[derive(Clone, Debug, PartialEq)]
pub struct WorkingHours {
    open: [bool; HOURS_PER_WEEK],
    /// Slot of simulation hour 0 (start weekday × 24).
    offset: usize,
    open_per_week: usize,
}

impl WorkingHours {
    /// Open around the clock, every day ("7x24").
    pub fn always() -> Self {
        Self {
            open: [true; HOURS_PER_WEEK],
            offset: 0,
            open_per_week: HOURS_PER_WEEK,
        }
    }

    /// Open on the given weekdays (0 = Monday) during the given
    /// `[start, end)` hour ranges. `start_weekday` is the weekday of
    /// simulation hour 0.
    pub fn weekly(days: &[usize], ranges: &[(usize, usize)], start_weekday: usize) -> Self {
        let mut open = [false; HOURS_PER_WEEK];
        for &d in days {
            for &(a, b) in ranges {
                for h in a..b.min(24) {
                    open[(d % 7) * 24 + h] = true;
                }
            }
        }
        let open_per_week = open.iter().filter(|o| **o).count();
        Self {
            open,
            offset: (start_weekday % 7) * 24,
            open_per_week,
        }
    }

    pub fn is_always_open(&self) -> bool {
        self.open_per_week == HOURS_PER_WEEK
    }

    pub fn is_never_open(&self) -> bool {
        self.open_per_week == 0
    }

    /// Share of the week's hours that are open.
    pub fn open_fraction(&self) -> f64 {
        self.open_per_week as f64 / HOURS_PER_WEEK as f64
    }

    #[inline]
    fn slot(&self, t: f64) -> usize {
        (self.offset + (t.max(0.0) as u64 % HOURS_PER_WEEK as u64) as usize) % HOURS_PER_WEEK
    }

    /// Whether the calendar is open at time `t` `[h]`.
    #[inline]
    pub fn is_open(&self, t: f64) -> bool {
        self.open_per_week == HOURS_PER_WEEK || self.open[self.slot(t)]
    }

    /// The first time `>= t` at which the calendar is open, or `None` if it
    /// never opens.
    pub fn next_open(&self, t: f64) -> Option<f64> {
        if self.is_open(t) {
            return Some(t);
        }
        if self.is_never_open() {
            return None;
        }
        let base = t.floor();
        (1..=HOURS_PER_WEEK)
            .map(|k| base + k as f64)
            .find(|&h| self.is_open(h))
    }

    /// Open hours in `[a, b)` `[h]`, used as the denominator of utilisation.
    pub fn open_hours_between(&self, a: f64, b: f64) -> f64 {
        if b <= a {
            return 0.0;
        }
        if self.is_always_open() {
            return b - a;
        }
        let week = HOURS_PER_WEEK as f64;
        let whole_weeks = ((b - a) / week).floor();
        let mut total = whole_weeks * self.open_per_week as f64;
        let mut t = a + whole_weeks * week;
        // At most a week of hour steps remain; the bound also ends the loop
        // where `t.floor() + 1.0 == t` (t beyond 2^53, where hours can no
        // longer be told apart).
        for _ in 0..=HOURS_PER_WEEK + 1 {
            if t >= b {
                break;
            }
            let next = (t.floor() + 1.0).min(b);
            if next <= t {
                break;
            }
            if self.is_open(t) {
                total += next - t;
            }
            t = next;
        }
        total
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn office(start_weekday: usize) -> WorkingHours {
        WorkingHours::weekly(&[0, 1, 2, 3, 4], &[(9, 17)], start_weekday)
    }

    #[test]
    fn office_hours_open_and_close_on_the_hour() {
        let c = office(0); // hour 0 is Monday 00:00
        assert!(!c.is_open(8.99));
        assert!(c.is_open(9.0));
        assert!(c.is_open(16.5));
        assert!(!c.is_open(17.0));
        assert!(!c.is_open(5.0 * 24.0 + 10.0)); // Saturday
        assert_eq!(c.next_open(17.5), Some(24.0 + 9.0));
        assert_eq!(c.next_open(4.0 * 24.0 + 18.0), Some(7.0 * 24.0 + 9.0)); // Fri evening → Mon
        assert!((c.open_fraction() - 40.0 / 168.0).abs() < 1e-12);
    }

    #[test]
    fn start_weekday_shifts_the_week() {
        let c = office(5); // hour 0 is Saturday
        assert!(!c.is_open(10.0));
        assert!(c.is_open(48.0 + 10.0)); // Monday 10:00
        // The start weekday is taken modulo 7: the same calendar.
        assert_eq!(office(12), c);
    }

    #[test]
    fn open_hours_between_counts_partial_hours() {
        let c = office(0);
        assert_eq!(c.open_hours_between(0.0, 168.0), 40.0);
        assert_eq!(c.open_hours_between(8.5, 9.5), 0.5);
        assert_eq!(c.open_hours_between(0.0, 3.0 * 168.0 + 10.0), 121.0);
        assert_eq!(WorkingHours::always().open_hours_between(1.0, 2.5), 1.5);
    }

    /// A window just under a week long with fractional ends takes 169 hour
    /// steps: every one is counted. Each day is closed from 05:00 to 06:00,
    /// so [0.5, 168.4) holds 0.5 + (167 − 7) + 0.4 open hours.
    #[test]
    fn open_hours_between_counts_a_whole_week_of_steps() {
        let c = WorkingHours::weekly(&[0, 1, 2, 3, 4, 5, 6], &[(0, 5), (6, 24)], 0);
        let total = c.open_hours_between(0.5, 168.4);
        assert!((total - 160.9).abs() < 1e-9, "{total}");
    }

    /// Beyond 2^53 h the next whole hour is the same float: the count
    /// must still end.
    #[test]
    fn open_hours_between_ends_for_huge_times() {
        let c = office(0);
        let total = c.open_hours_between(0.0, 1e17);
        assert!(total.is_finite() && total > 0.0);
        let _ = c.open_hours_between(1e17, 1e17 + 1e6);
    }

    #[test]
    fn never_open_has_no_next_opening() {
        let c = WorkingHours::weekly(&[], &[], 0);
        assert!(c.is_never_open());
        assert_eq!(c.next_open(3.0), None);
    }
}
