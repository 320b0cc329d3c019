//! A pool of `c` identical servers with a queue in a few priority classes
//! and a working-hour calendar.
//!
//! Service is non-preemptive: work started before closing time is finished;
//! no new work starts while the pool is closed. The pool does not schedule
//! events itself (it knows no event type); it tells the caller when an
//! "open" event is needed and which waiting entity starts next. Entities are
//! plain `u32` handles owned by the caller.
//!
//! Priority exists because a caller's entities are not always equal in the
//! queue: some may be entitled to be taken before others. Each request names
//! one of [`PRIORITY_CLASSES`] classes (0 the highest). When a server frees,
//! the longest-waiting entity of the highest non-empty class starts; within a
//! class the queue is FIFO. Priority is non-preemptive too: an entity in
//! service is never interrupted for one of a higher class. A caller that never
//! names a class ([`Pool::request`]) puts everything in
//! [`DEFAULT_PRIORITY`] and gets one plain FIFO queue.

use std::collections::VecDeque;

use super::hours::WorkingHours;
use crate::stats::{BinnedSeries, DurationHistogram, Tally, TimeWeighted};

/// Number of priority classes; class 0 is served first.
pub const PRIORITY_CLASSES: usize = 3;

/// The class of [`Pool::request`]: the lowest, so that entities given no
/// priority queue behind every entity that was given one.
pub const DEFAULT_PRIORITY: u8 = (PRIORITY_CLASSES - 1) as u8;

// The classes with anyone waiting are bits of a `u8`.
const _: () = assert!(PRIORITY_CLASSES <= 8);

/// Outcome of [`Pool::request`] and [`Pool::request_with_priority`].
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
    /// Waiting `(entity, since)`, one FIFO queue per priority class.
    queues: [VecDeque<(u32, f64)>; PRIORITY_CLASSES],
    /// Bit `k` is set while class `k` has someone waiting.
    waiting_classes: u8,
    /// Entities waiting, all classes.
    queued: usize,
    hours: WorkingHours,
    open_event_pending: bool,
    // Statistics, observed from `stats_from` on (the warm-up cut).
    stats_from: f64,
    queue_len: TimeWeighted,
    busy_servers: TimeWeighted,
    entered: u64,
    /// Waits of services started, per class (the pool's wait is their
    /// merge, so one tally is updated per start).
    class_waits: [Tally; PRIORITY_CLASSES],
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
            queues: std::array::from_fn(|k| {
                // The default class is the one every plain request uses.
                VecDeque::with_capacity(if k == DEFAULT_PRIORITY as usize {
                    64
                } else {
                    0
                })
            }),
            waiting_classes: 0,
            queued: 0,
            hours,
            open_event_pending: false,
            stats_from: 0.0,
            queue_len: TimeWeighted::new(0.0, 0.0),
            busy_servers: TimeWeighted::new(0.0, 0.0),
            entered: 0,
            class_waits: Default::default(),
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

    /// Entities waiting, all classes together.
    pub fn queue_len(&self) -> usize {
        self.queued
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
        // Through `i64`: a single instruction, where `usize` takes several.
        // Exact, since no collection holds more than `isize::MAX` bytes.
        let n = self.queued as i64 as f64;
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
    fn start(&mut self, now: f64, waited: f64, class: usize) {
        self.busy += 1;
        self.note_busy(now);
        if now >= self.stats_from {
            self.class_waits[class].add(waited);
            self.wait_hist.record(waited);
        }
    }

    /// An open event is needed if work waits while the pool is closed.
    fn open_event_needed(&mut self, now: f64) -> Option<f64> {
        if self.queued == 0 || self.open_event_pending || self.hours.is_open(now) {
            return None;
        }
        let at = self.hours.next_open(now)?;
        self.open_event_pending = true;
        Some(at)
    }

    /// `entity` asks for a server at `now`, in class [`DEFAULT_PRIORITY`].
    #[inline]
    pub fn request(&mut self, now: f64, entity: u32) -> Request {
        self.request_with_priority(now, entity, DEFAULT_PRIORITY)
    }

    /// `entity` asks for a server at `now` in priority class `class`
    /// (0 the highest; a class beyond the last is taken as the last). It
    /// starts at once only if nobody of any class is waiting.
    #[inline]
    pub fn request_with_priority(&mut self, now: f64, entity: u32, class: u8) -> Request {
        debug_assert!(
            (class as usize) < PRIORITY_CLASSES,
            "priority class {class} out of range 0..{PRIORITY_CLASSES}"
        );
        let class = (class as usize).min(PRIORITY_CLASSES - 1);
        if now >= self.stats_from {
            self.entered += 1;
        }
        if self.queued == 0 && self.can_start(now) {
            self.start(now, 0.0, class);
            Request::Started
        } else {
            self.queues[class].push_back((entity, now));
            self.waiting_classes |= 1 << class;
            self.queued += 1;
            self.note_queue(now);
            Request::Queued {
                open_at: self.open_event_needed(now),
            }
        }
    }

    /// The longest-waiting entity of the highest class with anyone waiting
    /// starts, if a server is free and the pool open.
    #[inline]
    pub fn start_next(&mut self, now: f64) -> Option<(u32, f64)> {
        if !self.can_start(now) || self.waiting_classes == 0 {
            return None;
        }
        let class = self.waiting_classes.trailing_zeros() as usize;
        // `get_mut` rather than indexing (the class is always in range):
        // without a panic path the compiler saves registers only on this
        // path, not on every call, so the early return above stays cheap.
        let queue = self.queues.get_mut(class)?;
        let (entity, since) = queue.pop_front()?;
        if queue.is_empty() {
            self.waiting_classes &= !(1 << class);
        }
        self.queued -= 1;
        self.note_queue(now);
        let waited = now - since;
        self.start(now, waited, class);
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
        self.class_waits = Default::default();
        self.wait_hist = DurationHistogram::new();
    }

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

    /// Statistics over `[stats_from, now]`.
    pub fn report(&self, now: f64) -> PoolReport {
        let scheduled = self.capacity as f64 * self.hours.open_hours_between(self.stats_from, now);
        // With a single class in use this is that class's tally unchanged.
        let mut waits = Tally::default();
        for w in &self.class_waits {
            waits.merge(w);
        }
        PoolReport {
            capacity: self.capacity,
            entered: self.entered,
            started: waits.count(),
            wait_mean: waits.mean(),
            class_wait_mean: std::array::from_fn(|k| self.class_waits[k].mean()),
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
    /// The same per priority class (index = class); `None` for a class none
    /// of whose services started in the window.
    pub class_wait_mean: [Option<f64>; PRIORITY_CLASSES],
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
    use crate::stats::histogram::quantile_error_bound;

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

    /// Finishes one service at each of `times`; returns who started next,
    /// with their waits.
    fn served(p: &mut Pool, times: &[f64]) -> Vec<(u32, f64)> {
        times
            .iter()
            .map(|&t| match p.finish(t) {
                Finish::Next { entity, waited } => (entity, waited),
                idle => panic!("nobody started at {t}: {idle:?}"),
            })
            .collect()
    }

    #[test]
    fn higher_class_starts_first_and_fifo_within_a_class() {
        let mut p = Pool::new(1, WorkingHours::always());
        assert_eq!(p.request_with_priority(0.0, 1, 2), Request::Started);
        // (time, entity, class): the high-class requests come later.
        for (t, e, class) in [
            (1.0, 20, 2),
            (2.0, 21, 2),
            (3.0, 10, 1),
            (4.0, 0, 0),
            (5.0, 11, 1),
        ] {
            let queued = p.request_with_priority(t, e, class);
            assert_eq!(queued, Request::Queued { open_at: None });
        }
        assert_eq!(p.queue_len(), 5);
        assert_eq!(
            served(&mut p, &[6.0, 7.0, 8.0, 9.0, 10.0]),
            [(0, 2.0), (10, 4.0), (11, 3.0), (20, 8.0), (21, 8.0)]
        );
        assert_eq!(p.queue_len(), 0);
        assert_eq!(p.finish(11.0), Finish::Idle { open_at: None });
    }

    #[test]
    fn plain_requests_are_the_lowest_class() {
        assert_eq!(usize::from(DEFAULT_PRIORITY), PRIORITY_CLASSES - 1);
        let mut p = Pool::new(1, WorkingHours::always());
        assert_eq!(p.request(0.0, 1), Request::Started);
        p.request(1.0, 2);
        p.request_with_priority(2.0, 3, DEFAULT_PRIORITY);
        p.request_with_priority(3.0, 4, 1);
        p.request(4.0, 5);
        let order: Vec<u32> = served(&mut p, &[5.0, 6.0, 7.0, 8.0])
            .into_iter()
            .map(|(e, _)| e)
            .collect();
        assert_eq!(order, [4, 2, 3, 5]);
    }

    #[test]
    fn a_higher_class_does_not_interrupt_service() {
        let mut p = Pool::new(2, WorkingHours::always());
        assert_eq!(p.request_with_priority(0.0, 1, 2), Request::Started);
        assert_eq!(p.request_with_priority(0.0, 2, 2), Request::Started);
        assert_eq!(
            p.request_with_priority(1.0, 3, 0),
            Request::Queued { open_at: None }
        );
        // Both servers stay with their low-class work.
        assert_eq!(p.busy(), 2);
        assert_eq!(p.start_next(1.5), None);
        assert_eq!(p.queue_len(), 1);
        assert_eq!(served(&mut p, &[4.0]), [(3, 3.0)]);
        assert_eq!(p.busy(), 2);
    }

    #[test]
    fn closed_pool_serves_classes_in_order_at_opening() {
        let office = WorkingHours::weekly(&[0, 1, 2, 3, 4], &[(9, 17)], 0);
        let mut p = Pool::new(1, office);
        // One open event however many classes wait.
        assert_eq!(
            p.request_with_priority(2.0, 7, 2),
            Request::Queued { open_at: Some(9.0) }
        );
        assert_eq!(
            p.request_with_priority(3.0, 8, 0),
            Request::Queued { open_at: None }
        );
        assert_eq!(
            p.request_with_priority(4.0, 9, 1),
            Request::Queued { open_at: None }
        );
        p.opened();
        assert_eq!(p.start_next(9.0), Some((8, 6.0)));
        assert_eq!(p.start_next(9.0), None); // one server only
        // Finishing after closing: the rest wait for Tuesday, one event.
        assert_eq!(
            p.finish(17.5),
            Finish::Idle {
                open_at: Some(33.0)
            }
        );
        p.opened();
        assert_eq!(p.start_next(33.0), Some((9, 29.0)));
        assert_eq!(
            p.finish(34.0),
            Finish::Next {
                entity: 7,
                waited: 32.0
            }
        );
    }

    #[test]
    fn waits_are_tallied_per_class_and_together() {
        let mut p = Pool::new(1, WorkingHours::always());
        // Before the warm-up cut at 1: not counted.
        assert_eq!(p.request_with_priority(0.0, 1, 0), Request::Started);
        p.request_with_priority(0.5, 2, 1);
        assert_eq!(served(&mut p, &[0.75]), [(2, 0.25)]);
        p.reset_stats(1.0);
        // Class 1 starts at once (wait 0); then class 2 waits 3, class 0
        // waits 1 and overtakes it, class 2 starts at 5.
        p.finish(1.0);
        assert_eq!(p.request_with_priority(1.0, 3, 1), Request::Started);
        p.request_with_priority(2.0, 4, 2);
        p.request_with_priority(3.0, 5, 0);
        assert_eq!(served(&mut p, &[4.0, 5.0]), [(5, 1.0), (4, 3.0)]);
        let r = p.report(6.0);
        assert_eq!(r.class_wait_mean, [Some(1.0), Some(0.0), Some(3.0)]);
        assert_eq!(r.started, 3);
        assert_eq!(r.entered, 3);
        assert_eq!(r.wait_mean, Some(4.0 / 3.0));
        // Queue length counts every class: 1 on [2,3), 2 on [3,4), 1 on
        // [4,5) → area 4 over 5 h.
        assert_eq!(r.queue_len_mean, Some(0.8));
        // A class with no start in the window has no mean.
        p.reset_stats(6.0);
        p.finish(6.0);
        p.request_with_priority(7.0, 6, 1);
        assert_eq!(p.report(8.0).class_wait_mean, [None, Some(0.0), None]);
    }

    /// The rest of the report, and the time series, on a hand-worked run:
    /// two servers, busy 1 on [0, 0.5), 2 on [0.5, 3.5), 1 on [3.5, 4);
    /// one wait of 1 h (entity 3, queued on [1, 2)).
    #[test]
    fn report_and_series_of_a_hand_worked_run() {
        let mut p = Pool::new(2, WorkingHours::always());
        assert_eq!(p.series(1.0), None, "not recorded unless asked");
        p.record_series(1.0, 4);
        assert_eq!(p.request(0.0, 1), Request::Started);
        assert_eq!(p.request(0.5, 2), Request::Started);
        assert_eq!(p.request(1.0, 3), Request::Queued { open_at: None });
        assert_eq!(
            p.finish(2.0),
            Finish::Next {
                entity: 3,
                waited: 1.0
            }
        );
        assert_eq!(p.finish(3.5), Finish::Idle { open_at: None });
        assert_eq!(p.finish(4.0), Finish::Idle { open_at: None });
        let r = p.report(4.0);
        assert_eq!((r.capacity, p.capacity()), (2, 2));
        assert!(p.hours().is_always_open());
        assert_eq!((r.entered, r.started, r.window), (3, 3, 4.0));
        // Busy server-hours 0.5 + 6 + 0.5 = 7 over 4 h, of 8 scheduled.
        assert_eq!(r.busy_mean, Some(1.75));
        assert_eq!(r.utilisation, Some(0.875));
        assert_eq!(r.queue_len_mean, Some(0.25));
        // Waits 0, 0 and 1 h: the 0.9 quantile is the 1 h one, within the
        // histogram's stated precision.
        let p90 = r.wait_p90.expect("three waits");
        assert!(
            p90 >= 1.0 - 0.5e-6 && p90 <= 1.0 + quantile_error_bound(1.0),
            "{p90}"
        );
        let series = p.series(4.0).expect("recorded");
        assert_eq!(series.bin_h, 1.0);
        assert_eq!(series.queue_len, [0.0, 1.0, 0.0, 0.0]);
        assert_eq!(series.busy_share, [0.75, 1.0, 1.0, 0.75]);
        // The window starts at the warm-up cut.
        p.reset_stats(1.0);
        assert_eq!(p.report(4.0).window, 3.0);
    }

    /// A pool that never opens has no scheduled hours, so no utilisation
    /// (not 0 / 0).
    #[test]
    fn a_pool_never_open_has_no_utilisation() {
        let p = Pool::new(1, WorkingHours::weekly(&[], &[], 0));
        assert_eq!(p.report(5.0).utilisation, None);
    }

    #[test]
    #[should_panic(expected = "priority class 3 out of range")]
    #[cfg(debug_assertions)]
    fn out_of_range_class_is_a_debug_error() {
        Pool::new(1, WorkingHours::always()).request_with_priority(0.0, 1, 3);
    }

    #[test]
    #[cfg(not(debug_assertions))]
    fn out_of_range_class_is_taken_as_the_lowest() {
        let mut p = Pool::new(1, WorkingHours::always());
        p.request(0.0, 1);
        p.request_with_priority(1.0, 2, u8::MAX);
        p.request_with_priority(2.0, 3, 1);
        assert_eq!(served(&mut p, &[3.0, 4.0]), [(3, 1.0), (2, 3.0)]);
    }
}
