//! A pool of `c` identical servers with one FIFO queue and a working-hour
//! calendar.
//!
//! Service is non-preemptive: work started before closing time is finished;
//! no new work starts while the pool is closed. The pool does not schedule
//! events itself (it knows no event type); it tells the caller when an
//! "open" event is needed and which waiting entity starts next. Entities are
//! plain `u32` handles owned by the caller.

use std::collections::VecDeque;

use super::hours::WorkingHours;
use crate::stats::{BinnedSeries, DurationHistogram, Tally, TimeWeighted};

/// Outcome of [`Pool::request`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Request {
    /// A server was free and open: service starts now.
    Started,
    /// The entity waits. If `open_at` is set the pool is closed and the
    /// caller must call [`Pool::opened`] at that time.
    Queued { open_at: Option<f64> },
}

/// Outcome of [`Pool::finish`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Finish {
    /// Nobody waiting (or nobody can start); `open_at` as in [`Request`].
    Idle { open_at: Option<f64> },
    /// `entity` starts service now after waiting `waited` `[h]`.
    Next { entity: u32, waited: f64 },
}

#[derive(Clone, Debug)]
pub struct Pool {
    capacity: u32,
    busy: u32,
    queue: VecDeque<(u32, f64)>,
    hours: WorkingHours,
    open_event_pending: bool,
    // Statistics, observed from `stats_from` on (the warm-up cut).
    stats_from: f64,
    queue_len: TimeWeighted,
    busy_servers: TimeWeighted,
    entered: u64,
    waits: Tally,
    wait_hist: DurationHistogram,
    /// Queue length and busy servers over time, when asked for (the whole
    /// run, warm-up included, so the series shows how the system filled).
    series: Option<Box<SeriesRecorder>>,
}

/// The bins a pool records into when asked for its time series.
#[derive(Clone, Debug)]
struct SeriesRecorder {
    queue: BinnedSeries,
    busy: BinnedSeries,
}

/// A pool's time series: per bin, the mean queue length and the mean share
/// of its servers busy. (Over a bin, busy ÷ capacity rather than busy ÷
/// open hours: work started before closing time runs on after it, which
/// would push a per-bin utilisation over 1 in the bins around closing.)
#[derive(Clone, Debug, PartialEq)]
pub struct PoolSeries {
    pub bin_h: f64,
    pub queue_len: Vec<f64>,
    pub busy_share: Vec<f64>,
}

impl Pool {
    pub fn new(capacity: u32, hours: WorkingHours) -> Self {
        Self {
            capacity,
            busy: 0,
            queue: VecDeque::with_capacity(64),
            hours,
            open_event_pending: false,
            stats_from: 0.0,
            queue_len: TimeWeighted::new(0.0, 0.0),
            busy_servers: TimeWeighted::new(0.0, 0.0),
            entered: 0,
            waits: Tally::default(),
            wait_hist: DurationHistogram::new(),
            series: None,
        }
    }

    /// Records the queue length and busy servers in `bins` bins of
    /// `width` hours from time 0.
    pub fn record_series(&mut self, width: f64, bins: usize) {
        let s = BinnedSeries::new(width, bins);
        self.series = Some(Box::new(SeriesRecorder {
            queue: s.clone(),
            busy: s,
        }));
    }

    pub fn capacity(&self) -> u32 {
        self.capacity
    }

    pub fn busy(&self) -> u32 {
        self.busy
    }

    pub fn queue_len(&self) -> usize {
        self.queue.len()
    }

    pub fn hours(&self) -> &WorkingHours {
        &self.hours
    }

    #[inline]
    fn can_start(&self, now: f64) -> bool {
        self.busy < self.capacity && self.hours.is_open(now)
    }

    /// The queue length changed at `now`: into its statistics.
    #[inline]
    fn note_queue(&mut self, now: f64) {
        let n = self.queue.len() as f64;
        self.queue_len.set(now, n);
        if let Some(s) = &mut self.series {
            s.queue.set(now, n);
        }
    }

    /// The number of busy servers changed at `now`: into its statistics.
    #[inline]
    fn note_busy(&mut self, now: f64) {
        let n = self.busy as f64;
        self.busy_servers.set(now, n);
        if let Some(s) = &mut self.series {
            s.busy.set(now, n);
        }
    }

    #[inline]
    fn start(&mut self, now: f64, waited: f64) {
        self.busy += 1;
        self.note_busy(now);
        if now >= self.stats_from {
            self.waits.add(waited);
            self.wait_hist.record(waited);
        }
    }

    /// An open event is needed if work waits while the pool is closed.
    fn open_event_needed(&mut self, now: f64) -> Option<f64> {
        if self.queue.is_empty() || self.open_event_pending || self.hours.is_open(now) {
            return None;
        }
        let at = self.hours.next_open(now)?;
        self.open_event_pending = true;
        Some(at)
    }

    /// `entity` asks for a server at `now`.
    #[inline]
    pub fn request(&mut self, now: f64, entity: u32) -> Request {
        if now >= self.stats_from {
            self.entered += 1;
        }
        if self.queue.is_empty() && self.can_start(now) {
            self.start(now, 0.0);
            Request::Started
        } else {
            self.queue.push_back((entity, now));
            self.note_queue(now);
            Request::Queued {
                open_at: self.open_event_needed(now),
            }
        }
    }

    /// The entity at the head of the queue starts, if a server is free and
    /// the pool open.
    #[inline]
    pub fn start_next(&mut self, now: f64) -> Option<(u32, f64)> {
        if !self.can_start(now) {
            return None;
        }
        let (entity, since) = self.queue.pop_front()?;
        self.note_queue(now);
        let waited = now - since;
        self.start(now, waited);
        Some((entity, waited))
    }

    /// A server finishes its current entity at `now`.
    #[inline]
    pub fn finish(&mut self, now: f64) -> Finish {
        debug_assert!(self.busy > 0, "finish on an idle pool");
        self.busy -= 1;
        self.note_busy(now);
        match self.start_next(now) {
            Some((entity, waited)) => Finish::Next { entity, waited },
            None => Finish::Idle {
                open_at: self.open_event_needed(now),
            },
        }
    }

    /// The open event requested earlier has arrived; the caller then calls
    /// [`Pool::start_next`] until it returns `None`.
    pub fn opened(&mut self) {
        self.open_event_pending = false;
    }

    /// Discards statistics gathered before `now` (warm-up deletion).
    pub fn reset_stats(&mut self, now: f64) {
        self.stats_from = now;
        self.queue_len.reset(now);
        self.busy_servers.reset(now);
        self.entered = 0;
        self.waits = Tally::default();
        self.wait_hist = DurationHistogram::new();
    }

    /// Statistics over `[stats_from, now]`.
    /// The time series up to `now`, if recorded.
    pub fn series(&self, now: f64) -> Option<PoolSeries> {
        let SeriesRecorder { queue, busy } = self.series.as_deref()?;
        let capacity = self.capacity.max(1) as f64;
        Some(PoolSeries {
            bin_h: queue.width(),
            queue_len: queue.means(now),
            busy_share: busy.means(now).iter().map(|b| b / capacity).collect(),
        })
    }

    pub fn report(&self, now: f64) -> PoolReport {
        let scheduled = self.capacity as f64 * self.hours.open_hours_between(self.stats_from, now);
        PoolReport {
            capacity: self.capacity,
            entered: self.entered,
            started: self.waits.count(),
            wait_mean: self.waits.mean(),
            wait_p90: self.wait_hist.quantile(0.9),
            queue_len_mean: self.queue_len.mean_until(now),
            busy_mean: self.busy_servers.mean_until(now),
            utilisation: (scheduled > 0.0).then(|| self.busy_servers.area_until(now) / scheduled),
            window: now - self.stats_from,
        }
    }
}

/// A pool's statistics over the observation window.
#[derive(Clone, Debug, PartialEq)]
pub struct PoolReport {
    pub capacity: u32,
    /// Requests made in the window.
    pub entered: u64,
    /// Services started in the window.
    pub started: u64,
    /// Mean wait in queue of services started in the window `[h]`.
    pub wait_mean: Option<f64>,
    pub wait_p90: Option<f64>,
    /// Time-average queue length (excluding those in service).
    pub queue_len_mean: Option<f64>,
    /// Time-average number of busy servers.
    pub busy_mean: Option<f64>,
    /// Busy server-hours over scheduled (open) server-hours. Can slightly
    /// exceed 1 with a calendar, since work started before closing finishes.
    pub utilisation: Option<f64>,
    /// Length of the observation window `[h]`.
    pub window: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fifo_with_capacity_two() {
        let mut p = Pool::new(2, WorkingHours::always());
        assert_eq!(p.request(0.0, 1), Request::Started);
        assert_eq!(p.request(0.0, 2), Request::Started);
        assert_eq!(p.request(1.0, 3), Request::Queued { open_at: None });
        assert_eq!(p.request(2.0, 4), Request::Queued { open_at: None });
        assert_eq!(
            p.finish(3.0),
            Finish::Next {
                entity: 3,
                waited: 2.0
            }
        );
        assert_eq!(
            p.finish(4.0),
            Finish::Next {
                entity: 4,
                waited: 2.0
            }
        );
        assert_eq!(p.finish(5.0), Finish::Idle { open_at: None });
        let r = p.report(10.0);
        assert_eq!(r.entered, 4);
        assert_eq!(r.wait_mean, Some(1.0));
        // Busy: 2 on [0,5), 1 on [5,?): finish at 5 leaves one busy.
        assert_eq!(p.busy(), 1);
        // Queue: 1 on [1,2), 2 on [2,3), 1 on [3,4) → area 4 over 10 h.
        assert_eq!(r.queue_len_mean, Some(0.4));
    }

    #[test]
    fn closed_pool_asks_for_one_open_event() {
        let office = WorkingHours::weekly(&[0, 1, 2, 3, 4], &[(9, 17)], 0);
        let mut p = Pool::new(1, office);
        assert_eq!(p.request(2.0, 7), Request::Queued { open_at: Some(9.0) });
        assert_eq!(p.request(3.0, 8), Request::Queued { open_at: None });
        p.opened();
        assert_eq!(p.start_next(9.0), Some((7, 7.0)));
        assert_eq!(p.start_next(9.0), None); // one server only
        // Work started at 16:30 finishes after closing; the next waits for Tuesday.
        assert_eq!(
            p.finish(17.5),
            Finish::Idle {
                open_at: Some(33.0)
            }
        );
        p.opened();
        assert_eq!(p.start_next(33.0), Some((8, 30.0)));
    }

    #[test]
    fn utilisation_counts_only_open_hours() {
        let office = WorkingHours::weekly(&[0, 1, 2, 3, 4, 5, 6], &[(0, 12)], 0);
        let mut p = Pool::new(1, office);
        assert_eq!(p.request(0.0, 1), Request::Started);
        p.finish(6.0);
        let r = p.report(24.0);
        assert_eq!(r.utilisation, Some(0.5));
    }
}
