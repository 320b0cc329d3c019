//! One replication: the event loop and its handlers.

use rand::RngExt;

use super::consignment::{Consignment, FLAG_INSPECT, FLAG_REVIEW, Slab, TRUTH_PROHIBITED};
use super::metrics::{ReplicationResult, StreamStats, push_pool, push_stream};
use crate::engine::rng::{self, SimRng, StreamId};
use crate::engine::{Calendar, Finish, Pool, Request};
use crate::model::{Condition, Model, StepKind};

/// Random-source kinds; with an index they name a stream (see `engine::rng`).
const SOURCE_ARRIVALS: u32 = 1;
const SOURCE_SCREENING: u32 = 2;
const SOURCE_SERVICE: u32 = 3;

#[derive(Clone, Copy, Debug)]
enum Event {
    /// The next consignment of a demand stream arrives.
    Arrival(u32),
    /// A consignment finishes its current route step.
    StepDone(u32),
    /// A closed pool opens and may start waiting work.
    PoolOpen(u32),
    /// End of warm-up: statistics restart.
    WarmupEnd,
}

/// How a consignment leaves the system.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Exit {
    Released,
    Seized,
}

struct Replication<'m> {
    model: &'m Model,
    now: f64,
    calendar: Calendar<Event>,
    pools: Vec<Pool>,
    slab: Slab,
    arrival_rngs: Vec<SimRng>,
    screening_rngs: Vec<SimRng>,
    service_rngs: Vec<SimRng>,
    streams: Vec<StreamStats>,
    events: u64,
    consignments: u64,
}

/// Runs replication `replication` of `model` with the replication seed
/// `seed` (see [`rng::replication_seed`]) and returns its observations.
pub fn run_replication(model: &Model, replication: u32, seed: u64) -> ReplicationResult {
    let mut r = Replication::new(model, seed);
    r.run();
    r.finish(replication, seed)
}

impl<'m> Replication<'m> {
    fn new(model: &'m Model, seed: u64) -> Self {
        let source = |kind, n: usize| -> Vec<SimRng> {
            (0..n as u32)
                .map(|index| rng::stream(seed, StreamId { kind, index }))
                .collect()
        };
        Self {
            model,
            now: 0.0,
            calendar: Calendar::new(),
            pools: model
                .pools
                .iter()
                .map(|p| Pool::new(p.capacity, p.hours.clone()))
                .collect(),
            slab: Slab::default(),
            arrival_rngs: source(SOURCE_ARRIVALS, model.streams.len()),
            screening_rngs: source(SOURCE_SCREENING, model.streams.len()),
            service_rngs: source(SOURCE_SERVICE, model.activities.len()),
            streams: vec![StreamStats::default(); model.streams.len()],
            events: 0,
            consignments: 0,
        }
    }

    fn run(&mut self) {
        let horizon = self.model.horizon;
        if self.model.warmup > 0.0 {
            self.calendar.schedule(self.model.warmup, Event::WarmupEnd);
        }
        for s in 0..self.model.streams.len() {
            self.schedule_arrival(s as u32);
        }
        while let Some((t, event)) = self.calendar.pop() {
            if t > horizon {
                break;
            }
            self.now = t;
            self.events += 1;
            match event {
                Event::Arrival(s) => self.on_arrival(s),
                Event::StepDone(c) => self.on_step_done(c),
                Event::PoolOpen(p) => self.on_pool_open(p),
                Event::WarmupEnd => self.on_warmup_end(),
            }
        }
        self.now = horizon;
    }

    fn schedule_arrival(&mut self, s: u32) {
        let proc = &self.model.streams[s as usize].arrivals;
        let t = proc.next_after(self.now, &mut self.arrival_rngs[s as usize]);
        if t <= self.model.horizon {
            self.calendar.schedule(t, Event::Arrival(s));
        }
    }

    fn on_arrival(&mut self, s: u32) {
        self.schedule_arrival(s);
        self.consignments += 1;
        let stream = &self.model.streams[s as usize];
        let policy = &self.model.policy;
        // Always three draws per consignment, whatever the rates, so that a
        // consignment's screening outcome does not depend on other settings.
        let rng = &mut self.screening_rngs[s as usize];
        let (u_review, u_inspect, u_truth): (f64, f64, f64) =
            (rng.random(), rng.random(), rng.random());
        let mut flags = 0;
        if u_review < policy.review_rate {
            flags |= FLAG_REVIEW;
        }
        if u_inspect < policy.inspection_rate {
            flags |= FLAG_INSPECT;
        }
        if u_truth < stream.prohibited_share {
            flags |= TRUTH_PROHIBITED;
        }
        let stats = &mut self.streams[s as usize];
        if self.now >= self.model.warmup {
            stats.arrived += 1;
        }
        let n = stats.in_system.value() + 1.0;
        stats.in_system.set(self.now, n);
        let c = self.slab.insert(Consignment {
            stream: s,
            step: 0,
            flags,
            arrived: self.now,
        });
        self.advance(c);
    }

    /// Moves consignment `c` through its route from its current step until
    /// it waits for a pool, is delayed, or leaves.
    fn advance(&mut self, c: u32) {
        loop {
            let cons = *self.slab.get(c);
            let route = &self.model.streams[cons.stream as usize].route;
            let Some(step) = route.steps.get(cons.step as usize) else {
                self.depart(c, Exit::Released);
                return;
            };
            let taken = match step.condition {
                Condition::Always => true,
                Condition::FlaggedForReview => cons.flags & FLAG_REVIEW != 0,
                Condition::FlaggedForInspection => cons.flags & FLAG_INSPECT != 0,
                Condition::NotFlaggedForInspection => cons.flags & FLAG_INSPECT == 0,
            };
            if !taken {
                self.slab.get_mut(c).step += 1;
                continue;
            }
            let a = step.activity.0 as usize;
            let activity = &self.model.activities[a];
            match activity.pool {
                Some(p) => {
                    match self.pools[p.0 as usize].request(self.now, c) {
                        Request::Started => self.start_service(c, a),
                        Request::Queued { open_at } => {
                            if let Some(t) = open_at {
                                self.calendar.schedule(t, Event::PoolOpen(p.0));
                            }
                        }
                    }
                    return;
                }
                None if activity.duration.is_zero() => {
                    self.slab.get_mut(c).step += 1;
                }
                None => {
                    self.start_service(c, a);
                    return;
                }
            }
        }
    }

    #[inline]
    fn start_service(&mut self, c: u32, activity: usize) {
        let d = self.model.activities[activity]
            .duration
            .sample(&mut self.service_rngs[activity]);
        self.calendar.schedule(self.now + d, Event::StepDone(c));
    }

    /// The activity consignment `c` is currently at.
    #[inline]
    fn current_activity(&self, c: u32) -> usize {
        let cons = self.slab.get(c);
        self.model.streams[cons.stream as usize].route.steps[cons.step as usize]
            .activity
            .0 as usize
    }

    fn on_step_done(&mut self, c: u32) {
        let a = self.current_activity(c);
        let activity = &self.model.activities[a];
        if let Some(p) = activity.pool {
            match self.pools[p.0 as usize].finish(self.now) {
                Finish::Next { entity, .. } => {
                    let next = self.current_activity(entity);
                    self.start_service(entity, next);
                }
                Finish::Idle { open_at: Some(t) } => {
                    self.calendar.schedule(t, Event::PoolOpen(p.0));
                }
                Finish::Idle { open_at: None } => {}
            }
        }
        let cons = *self.slab.get(c);
        if activity.step == StepKind::Inspection
            && cons.flags & TRUTH_PROHIBITED != 0
            && self.service_rngs[a].random::<f64>() < activity.detection
        {
            self.depart(c, Exit::Seized);
            return;
        }
        self.slab.get_mut(c).step += 1;
        self.advance(c);
    }

    fn on_pool_open(&mut self, p: u32) {
        self.pools[p as usize].opened();
        while let Some((entity, _)) = self.pools[p as usize].start_next(self.now) {
            let a = self.current_activity(entity);
            self.start_service(entity, a);
        }
    }

    fn on_warmup_end(&mut self) {
        let now = self.now;
        for p in &mut self.pools {
            p.reset_stats(now);
        }
        for s in &mut self.streams {
            s.in_system.reset(now);
        }
    }

    fn depart(&mut self, c: u32, exit: Exit) {
        let cons = self.slab.remove(c);
        let now = self.now;
        let warmup = self.model.warmup;
        let s = &mut self.streams[cons.stream as usize];
        let n = s.in_system.value() - 1.0;
        s.in_system.set(now, n);
        if exit == Exit::Released && now >= warmup {
            s.releases_in_window += 1;
        }
        if cons.arrived < warmup {
            return;
        }
        match exit {
            Exit::Seized => s.seized += 1,
            Exit::Released => {
                let t = now - cons.arrived;
                s.released += 1;
                s.release_time.add(t);
                s.release_hist.record(t);
                s.within_24h += u64::from(t <= 24.0);
                s.within_48h += u64::from(t <= 48.0);
            }
        }
    }

    fn finish(self, replication: u32, seed: u64) -> ReplicationResult {
        let model = self.model;
        let now = self.now;
        let window = model.horizon - model.warmup;
        let mut in_flight = vec![0u64; model.streams.len()];
        for c in self.slab.live() {
            if c.arrived >= model.warmup {
                in_flight[c.stream as usize] += 1;
            }
        }
        let mut observations = Vec::new();
        let mut all = StreamStats::default();
        let mut all_area = 0.0;
        for s in &self.streams {
            all.merge_counts(s);
            all_area += s.in_system.area_until(now);
        }
        push_stream(
            &mut observations,
            "all",
            &all,
            in_flight.iter().sum(),
            all_area,
            window,
        );
        if model.streams.len() > 1 {
            for (i, s) in self.streams.iter().enumerate() {
                push_stream(
                    &mut observations,
                    &format!("stream={}", model.streams[i].id),
                    s,
                    in_flight[i],
                    s.in_system.area_until(now),
                    window,
                );
            }
        }
        // Mode, region, port and customs groups are unions of streams, so
        // they are merged here from the streams' statistics rather than
        // recorded separately on the hot path.
        for (group, members) in stream_groups(model) {
            let mut merged = StreamStats::default();
            let (mut end, mut area) = (0, 0.0);
            for &i in &members {
                merged.merge_counts(&self.streams[i]);
                end += in_flight[i];
                area += self.streams[i].in_system.area_until(now);
            }
            push_stream(&mut observations, &group, &merged, end, area, window);
        }
        for (spec, pool) in model.pools.iter().zip(&self.pools) {
            push_pool(&mut observations, &spec.id, &pool.report(now));
        }
        ReplicationResult {
            replication,
            seed,
            events: self.events,
            consignments: self.consignments,
            peak_in_flight: self.slab.peak(),
            observations,
        }
    }
}

/// Each `key=value` group with its member streams, ordered by key (mode,
/// region, port, customs) and then by first appearance among the streams.
fn stream_groups(model: &Model) -> Vec<(String, Vec<usize>)> {
    let per_stream: Vec<Vec<String>> = model
        .streams
        .iter()
        .map(|s| model.stream_groups(s))
        .collect();
    let mut out: Vec<(String, Vec<usize>)> = Vec::new();
    for key in ["mode=", "region=", "port=", "customs="] {
        for (i, groups) in per_stream.iter().enumerate() {
            for g in groups.iter().filter(|g| g.starts_with(key)) {
                match out.iter_mut().find(|(name, _)| name == g) {
                    Some((_, members)) => members.push(i),
                    None => out.push((g.clone(), vec![i])),
                }
            }
        }
    }
    out
}
