//! One replication: the event loop and its handlers.

mod annual_limit;
mod finish;
mod trace_hooks;
pub use trace_hooks::trace_replication;

use rand::RngExt;
use rand_distr::{Distribution, StandardNormal};
use rand_pcg::Pcg64Mcg;

use super::ceiling::{Ceiling, Divergence};
use super::consignment::*;
use super::metrics::{CellStats, Record, ReplicationResult};
use super::trace::Tracer;
use crate::engine::pool::DEFAULT_PRIORITY;
use crate::engine::rng::{self, SimRng, StreamId};
use crate::engine::{Calendar, Finish, Pool, Request};
use crate::model::customs::risk_score;
use crate::model::{Condition, CreditClass, Model, Policy, StepKind, Targeting, TaxTiming};
use crate::stats::series::bin_width_for;

/// Queue classes: AEO importers ahead of everyone else, and post-release
/// reviews after all pre-release work (they hold no goods up).
const AEO_PRIORITY: u8 = 0;
const NORMAL_PRIORITY: u8 = 1;
const POST_RELEASE_PRIORITY: u8 = DEFAULT_PRIORITY;

/// Random-source kinds; with an index they name a stream (see `engine::rng`).
const SOURCE_ARRIVALS: u32 = 1;
const SOURCE_SCREENING: u32 = 2;
const SOURCE_RISK: u32 = 5;
const SOURCE_VALUE: u32 = 6;
/// Each buyer's purchases before the run (yearly e-commerce limit).
const SOURCE_BUYERS: u32 = 7;

#[derive(Clone, Copy, Debug)]
enum Event {
    /// The next consignment of a demand stream arrives.
    Arrival(u32),
    /// A consignment finishes its current route step.
    StepDone(u32),
    /// A closed pool opens and may start waiting work.
    PoolOpen(u32),
    /// A consignment waiting for its goods to be discharged can go on.
    GoodsReady(u32),
    /// A released consignment's post-release job (laboratory test or
    /// review) joins its pool's queue.
    ReviewDue(u32),
    /// A box booked for ship-side pick-up is lifted onto its truck.
    Lifted(u32),
    /// A bulk entry cleared into a bonded zone: orders waiting on that
    /// 1210 stream's stock can go on.
    Restocked(u32),
    /// End of warm-up: statistics restart.
    WarmupEnd,
}

impl Event {
    /// The consignment the event is about, if any.
    #[inline]
    fn consignment(self) -> Option<u32> {
        match self {
            Event::StepDone(c) | Event::GoodsReady(c) | Event::ReviewDue(c) | Event::Lifted(c) => {
                Some(c)
            }
            Event::Arrival(_) | Event::PoolOpen(_) | Event::Restocked(_) | Event::WarmupEnd => None,
        }
    }
}

/// Events ahead whose consignments the loop loads early: two covers the
/// next event and the one after (more only adds instructions on small
/// models, where everything is in cache anyway).
const PREFETCH_AHEAD: usize = 2;

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
    risk_rngs: Vec<SimRng>,
    value_rngs: Vec<SimRng>,
    /// Statistics per cohort cell: stream × credit class.
    cells: Vec<CellStats>,
    events: u64,
    consignments: u64,
    /// The loop stops after this time `[h]`: the horizon, or earlier once a
    /// tracer has seen all it follows leave.
    stop_at: f64,
    /// Opt-in tracing of a few consignments (`None` in normal runs).
    trace: Option<Box<Tracer>>,
    /// Per stream: the staffed review step of its route, which does its
    /// post-release reviews (when `policy.audit_by_reviewers`).
    post_release_review: Vec<Option<u32>>,
    /// Per stream: its route's laboratory test, which follows release under
    /// "first release, then inspect" (`policy.lab_after_release`).
    post_release_lab: Vec<Option<u32>>,
    /// Per stream (as written): its bonded stock, for a 1210 stream filled
    /// from stock.
    shelves: Vec<Shelf>,
    /// Per stream: the brokers' running estimate of its clearance time
    /// (arrival to release) `[h]`, for importers who choose their port or
    /// mode by it (see [`Replication::fastest_option`]).
    expected_h: Vec<f64>,
    /// Per stream (as written): its buyers' totals against the yearly
    /// e-commerce limit.
    buyer_books: Vec<annual_limit::BuyerBook>,
    /// The ceilings on consignments waiting and in the system.
    ceiling: Ceiling,
    /// Set once a ceiling is reached; the loop then stops.
    diverged: Option<Box<Divergence>>,
}

/// Runs replication `replication` of `model` with the replication seed
/// `seed` (see [`rng::replication_seed`]) and returns its observations.
pub fn run_replication(model: &Model, replication: u32, seed: u64) -> ReplicationResult {
    run_replication_with(
        model,
        replication,
        seed,
        Record::default(),
        Ceiling::default(),
    )
}

/// Most bins in a pool's time series.
const MAX_SERIES_BINS: usize = 240;

/// [`run_replication`], recording what `record` asks for besides.
pub fn run_replication_with(
    model: &Model,
    replication: u32,
    seed: u64,
    record: Record,
    ceiling: Ceiling,
) -> ReplicationResult {
    let mut r = Replication::new(model, seed);
    r.ceiling = ceiling;
    if record.profiles {
        let width = bin_width_for(model.horizon, MAX_SERIES_BINS);
        let bins = ((model.horizon / width).floor() as usize).max(1);
        for p in &mut r.pools {
            p.record_series(width, bins);
        }
    }
    r.run();
    if let Some(d) = r.diverged.take() {
        // Its statistics describe no steady state: none are reported.
        return ReplicationResult {
            replication,
            seed,
            events: r.events,
            consignments: r.consignments,
            peak_in_flight: r.slab.peak(),
            observations: Vec::new(),
            profiles: Vec::new(),
            diverged: Some(*d),
        };
    }
    r.finish(replication, seed, record)
}

/// What a consignment's own random numbers are for (see [`draw`]).
const DRAW_DURATION: u64 = 0;
const DRAW_DETECTION: u64 = 1;
const DRAW_AUDIT: u64 = 2;
const DRAW_DIVERSION: u64 = 3;
const DRAW_MISMATCH: u64 = 4;
const DRAW_LEAD: u64 = 5;
const DRAW_NEEDS: u64 = 6;
const DRAW_AUDIT_LAG: u64 = 7;
const DRAW_BOOKING: u64 = 8;
const DRAW_LIFT: u64 = 9;
const DRAW_CHOICE: u64 = 10;
const DRAW_BREACH: u64 = 11;
const DRAW_INDIVISIBLE: u64 = 12;
const DRAW_LIMIT_REWORK: u64 = 13;
const DRAW_DIVERSION_DELAY: u64 = 14;
const DRAW_BUYER: u64 = 15;
const DRAW_SPENT: u64 = 16;

/// A generator for one purpose (`what`) at one step of one consignment,
/// derived from the consignment's own seed. A consignment's service times
/// and detection outcomes therefore depend on nothing but the consignment
/// and the step: under another mode (another site, another queue order) the
/// same consignment draws the same numbers, which is what makes common
/// random numbers work across modes.
#[inline]
fn draw(c: &Consignment, step: StepKind, what: u64) -> Pcg64Mcg {
    draw_seeded(c.seed, step, what)
}

/// [`draw`] from a consignment's own seed, before the consignment exists.
#[inline]
fn draw_seeded(seed: u64, step: StepKind, what: u64) -> Pcg64Mcg {
    // One mixing round spreads the seed; the multiplicative generator's
    // first step scrambles the rest.
    let tag = (step.draw_tag() << 8 | what).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let hi = rng::mix64(seed ^ tag);
    let lo = seed.rotate_left(29) ^ tag;
    Pcg64Mcg::new(((hi as u128) << 64) | lo as u128)
}

/// The post-release review of a consignment released with documentary
/// non-compliance undetected ("first release, then review"): whether it
/// finds it, and how long after release `[h]`. `None` when there is no
/// such review to make.
fn audit_outcome(cons: &Consignment, policy: &Policy) -> Option<(bool, f64)> {
    if !(cons.has(FLAG_AUDIT) && cons.has(TRUTH_TAX) && !cons.has(FOUND)) {
        return None;
    }
    let rng = &mut draw(cons, StepKind::Release, DRAW_AUDIT);
    let hit = rng.random::<f64>() < policy.audit_detection;
    Some((hit, policy.audit_delay.sample(rng)))
}

/// Tax assessed at release on what customs knows, and the tax due on the
/// truth that escaped `[yuan]`.
fn revenue(model: &Model, cons: &Consignment) -> (f64, f64) {
    let stream = &model.streams[cons.stream as usize];
    let policy = &model.policy;
    let tax = |value: f64, rate: f64| {
        if cons.has(FLAG_OVER_LIMIT) {
            stream.tax.goods_tax(value, rate)
        } else {
            stream.tax.tax(value, rate)
        }
    };
    let due = tax(cons.value, 1.0);
    let assessed = if cons.has(FOUND) {
        due
    } else if cons.has(DIVERTED) {
        0.0
    } else {
        let value = if cons.has(TRUTH_UNDERVALUED) {
            cons.value * policy.undervaluation_factor
        } else {
            cons.value
        };
        let rate = if cons.has(TRUTH_MISCLASSIFIED) {
            policy.misclassification_factor
        } else {
            1.0
        };
        tax(value, rate)
    };
    (assessed, (due - assessed).max(0.0))
}

/// A 1210 stream's stock in its bonded zone: units on the shelf, and the
/// orders waiting for the next bulk entry (oldest first).
#[derive(Default)]
struct Shelf {
    units: u64,
    waiting: std::collections::VecDeque<u32>,
}

/// What a look at the goods themselves (inspection, scan, a laboratory
/// test of samples) can find in a consignment: nothing in a diverted load,
/// whose goods were swapped for a clean decoy.
#[inline]
fn visible_in_goods(flags: u32) -> u32 {
    if flags & DIVERTED != 0 {
        0
    } else {
        flags & SEEN_BY_INSPECTION
    }
}

/// What a laboratory test after release finds (see
/// [`Replication::lab_outcome`]).
#[derive(Clone, Copy, Default)]
struct LabOutcome {
    /// Non-compliance found while the goods were still held under the
    /// no-sale rule: customs recalls them (prohibited goods for disposal,
    /// misdeclared ones for correction).
    recalled: bool,
    /// Misclassification found: the tax is corrected.
    recovers_tax: bool,
}

/// Per stream: the activity of the first route step that `is_job` picks,
/// when `enabled` (the policy moves that work after release).
fn post_release_steps(
    model: &Model,
    enabled: bool,
    is_job: impl Fn(&crate::model::RouteStep) -> bool,
) -> Vec<Option<u32>> {
    model
        .streams
        .iter()
        .map(|s| {
            s.route
                .steps
                .iter()
                .find(|st| is_job(st))
                .filter(|_| enabled)
                .map(|st| st.activity.0)
        })
        .collect()
}

#[inline]
fn cell_of(c: &Consignment) -> usize {
    c.stream as usize * 3 + c.credit as usize
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
            risk_rngs: source(SOURCE_RISK, model.streams.len()),
            value_rngs: source(SOURCE_VALUE, model.streams.len()),
            cells: vec![CellStats::default(); model.streams.len() * 3],
            events: 0,
            consignments: 0,
            stop_at: model.horizon,
            trace: None,
            post_release_review: post_release_steps(model, model.policy.audit_by_reviewers, |st| {
                st.condition == Condition::FlaggedForReview
                    && model.activity(st.activity).pool.is_some()
            }),
            post_release_lab: post_release_steps(model, model.policy.lab_after_release, |st| {
                st.condition == Condition::NeedsLabTest
            }),
            expected_h: model.streams.iter().map(|s| s.choice.prior_h).collect(),
            buyer_books: annual_limit::books(model, seed),
            shelves: model
                .streams
                .iter()
                .map(|s| Shelf {
                    units: s.stock.map_or(0, |k| k.initial),
                    waiting: Default::default(),
                })
                .collect(),
            ceiling: Ceiling::default(),
            diverged: None,
        }
    }

    /// A ceiling was reached at pool `pool` (its queue), or by the whole
    /// system (`None`): record where, and stop the loop at the next event.
    #[cold]
    #[inline(never)]
    fn diverge(&mut self, pool: Option<usize>) {
        let model = self.model;
        let longest = || {
            (0..self.pools.len())
                .max_by_key(|&p| (self.pools[p].queue_len(), std::cmp::Reverse(p)))
                .unwrap_or(0)
        };
        let p = pool.unwrap_or_else(longest);
        let (id, waiting, load, available) = match (model.pools.get(p), self.pools.get(p)) {
            (Some(spec), Some(pool)) => (
                spec.id.clone(),
                pool.queue_len(),
                model.offered_load().get(p).copied().unwrap_or(f64::NAN),
                spec.capacity as f64 * spec.hours.open_fraction(),
            ),
            _ => (String::from("(none)"), 0, f64::NAN, f64::NAN),
        };
        self.diverged = Some(Box::new(Divergence {
            at_h: self.now,
            pool: id,
            waiting,
            in_system: self.slab.live().count(),
            total: pool.is_none(),
            offered_load: load,
            available,
        }));
        self.stop_at = f64::NEG_INFINITY;
    }

    fn run(&mut self) {
        let horizon = self.model.horizon;
        if self.model.warmup > 0.0 {
            self.calendar.schedule(self.model.warmup, Event::WarmupEnd);
        }
        for (s, stream) in self.model.streams.iter().enumerate() {
            // A generated alternative port receives only what its parent's
            // arrivals divert to it.
            if stream.choice.parent.is_none() {
                self.schedule_arrival(s as u32);
            }
        }
        while let Some((t, event)) = self.calendar.pop() {
            if t > self.stop_at {
                break;
            }
            self.now = t;
            self.events += 1;
            // Load the consignments of the next events while this one is
            // handled: at national scale each is otherwise a cache miss.
            for next in self.calendar.due_next().take(PREFETCH_AHEAD) {
                if let Some(c) = (*next).consignment() {
                    self.slab.prefetch(c);
                }
            }
            match event {
                Event::Arrival(s) => self.on_arrival(s),
                Event::StepDone(c) => self.on_step_done(c),
                Event::PoolOpen(p) => self.on_pool_open(p),
                Event::GoodsReady(c) => self.on_goods_ready(c),
                Event::ReviewDue(c) => self.on_review_due(c),
                Event::Lifted(c) => self.on_lifted(c),
                Event::Restocked(s) => self.on_restocked(s),
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

    /// A consignment arrives: draw its importer, hidden truth and value, and
    /// screen it. Every consignment makes the same screening draws in the
    /// same order whatever the policy, so a consignment is the same one under
    /// every mode and rate (common random numbers). The risk score's noise
    /// and the value come from streams of their own, drawn only where they
    /// are used (risk-based targeting; a value distribution), so skipping
    /// them shifts no other draw.
    fn on_arrival(&mut self, s: u32) {
        self.schedule_arrival(s);
        self.consignments += 1;
        let model = self.model;
        let written = &model.streams[s as usize];
        let policy = &model.policy;
        let rng = &mut self.screening_rngs[s as usize];
        let u: [f64; 8] = std::array::from_fn(|_| rng.random());
        let own_seed: u64 = rng.random();
        let value = written.value.sample(&mut self.value_rngs[s as usize]);
        let [
            u_credit,
            u_truth,
            u_review,
            u_inspect,
            u_scan,
            u_advance,
            u_two_step,
            u_arbitrage,
        ] = u;

        let mut acc = 0.0;
        let credit = CreditClass::ALL
            .iter()
            .position(|c| {
                acc += written.credit_mix[c.index()];
                u_credit < acc
            })
            .unwrap_or(CreditClass::General.index());
        let t = &written.screening[credit].truth;
        let mut flags = if u_truth < t.prohibited {
            TRUTH_PROHIBITED
        } else if u_truth < t.prohibited + t.undervalued {
            TRUTH_UNDERVALUED
        } else if u_truth < t.total() {
            TRUTH_MISCLASSIFIED
        } else {
            0
        };
        // An importer who could use several ports or modes and has
        // something to hide may pick the one least likely to catch it;
        // one who minds time, the one that looks quickest. Either chooses
        // only among the options open to its credit class (its usual one
        // being the fallback mode where the stream's is not).
        let choice = &written.choice;
        let drawn_by = s as usize;
        let s = match kind_of(flags) {
            Some(kind) if u_arbitrage < choice.arbitrage_share => {
                choice.laxest[credit][kind.index()]
            }
            _ if choice.time_share > 0.0
                && draw_seeded(own_seed, StepKind::Lodgement, DRAW_CHOICE).random::<f64>()
                    < choice.time_share =>
            {
                self.fastest_option(s, credit)
            }
            _ => choice.by_credit[credit],
        };
        let stream = &model.streams[s as usize];
        let class = &stream.screening[credit];
        // The security score decides inspection, the tax score review; each
        // carries a signal only for what its check can find, and each check
        // is targeted by its decider's rules (review by a tax centre's,
        // where one reviews the stream). Both noises are drawn whenever
        // either check is risk-based, so the draws line up across policies.
        let risk_based = |t: Targeting| t == Targeting::RiskBased;
        let (inspect_by_score, review_by_score) = (
            risk_based(stream.rules.targeting),
            risk_based(stream.review_rules.targeting),
        );
        let mut scores = [f64::NAN; 2];
        if inspect_by_score || review_by_score {
            let risk = &mut self.risk_rngs[drawn_by];
            let z_security: f64 = StandardNormal.sample(risk);
            let z_tax: f64 = StandardNormal.sample(risk);
            scores = [
                risk_score(
                    stream.review_separation(),
                    flags & SEEN_BY_REVIEW != 0,
                    class.review.credit_multiplier,
                    z_tax,
                ),
                risk_score(
                    stream.separation(),
                    flags & SEEN_BY_INSPECTION != 0,
                    class.inspection.credit_multiplier,
                    z_security,
                ),
            ];
        }
        // A check targeted at random shows no score in a trace.
        if !review_by_score {
            scores[0] = f64::NAN;
        }
        if !inspect_by_score {
            scores[1] = f64::NAN;
        }
        let [tax, security] = scores;
        let review = if review_by_score {
            tax > class.review.threshold
        } else {
            u_review < class.review.probability
        };
        let inspect = if inspect_by_score {
            security > class.inspection.threshold
        } else {
            u_inspect < class.inspection.probability
        };
        // Two-step declaration, open to importers of general credit or
        // better: released on the summary declaration; the complete one,
        // with the tax, follows within 14 days.
        if u_two_step < stream.two_step_share && credit != CreditClass::Discredited.index() {
            flags |= FLAG_TWO_STEP;
        }
        if review {
            // The complete declaration of a two-step one is reviewed after
            // release, whatever the tax timing.
            flags |= match policy.tax_timing {
                TaxTiming::BeforeRelease if flags & FLAG_TWO_STEP == 0 => FLAG_REVIEW,
                _ => FLAG_AUDIT,
            };
        }
        if inspect {
            flags |= FLAG_INSPECT;
            if u_scan < stream.scan_share {
                flags |= FLAG_SCAN;
            }
        }
        if u_advance < stream.advance_share {
            flags |= FLAG_ADVANCE;
        }
        // Over its buyer's yearly limit: re-declared as general trade.
        if written.annual_limit.is_some() && self.over_annual_limit(drawn_by, own_seed, value) {
            flags |= FLAG_OVER_LIMIT;
        }
        let mut cons = Consignment {
            stream: s,
            step: 0,
            flags,
            credit: credit as u8,
            pool: 0,
            arrived: self.now,
            ready: self.now,
            mark: self.now,
            party: [0.0; 4],
            lodged: f64::NAN,
            released: f64::NAN,
            value,
            seed: own_seed,
        };
        self.arrive_goods(&mut cons);
        let cell = &mut self.cells[cell_of(&cons)];
        if self.now >= model.warmup {
            cell.arrived += 1;
            cell.non_compliant += u64::from(flags & NON_COMPLIANT != 0);
            cell.over_limit += u64::from(cons.has(FLAG_OVER_LIMIT));
        }
        let n = cell.in_system.value() + 1.0;
        cell.in_system.set(self.now, n);
        let c = self.slab.insert(cons);
        // Slots are reused, so a handle at the ceiling means the slab first
        // grew past it now: the system holds more than the ceiling allows.
        if c as usize >= self.ceiling.in_system {
            self.diverge(None);
        }
        if self.trace.is_some() {
            self.trace_arrival(c, [u_review, u_inspect], scores);
        }
        if written.stock.is_some() && !self.take_from_shelf(drawn_by, c) {
            return;
        }
        self.advance(c);
    }

    /// A bonded (1210) order takes a unit from its stream's stock; on an
    /// empty shelf it waits for the next bulk entry (and returns false).
    fn take_from_shelf(&mut self, written: usize, c: u32) -> bool {
        let shelf = &mut self.shelves[written];
        if shelf.units > 0 {
            shelf.units -= 1;
            return true;
        }
        shelf.waiting.push_back(c);
        let cons = *self.slab.get(c);
        if cons.entered() >= self.model.warmup {
            self.cells[cell_of(&cons)].stockouts += 1;
        }
        false
    }

    /// A bulk entry has cleared into the zone: waiting orders take its
    /// units, oldest first. The wait was the importer's (its stocking).
    fn on_restocked(&mut self, written: u32) {
        let trader = crate::model::Party::Trader.index();
        loop {
            let shelf = &mut self.shelves[written as usize];
            if shelf.units == 0 {
                return;
            }
            let Some(c) = shelf.waiting.pop_front() else {
                return;
            };
            shelf.units -= 1;
            self.slab.get_mut(c).charge(trader, self.now);
            self.advance(c);
        }
    }

    /// When the goods arrive and are ready, and whether they need a
    /// certificate: from the consignment's own numbers, so the same under
    /// every policy. An advance declaration is lodged now and its goods
    /// arrive `advance_lead` later; the port's discharge runs from arrival,
    /// alongside the paperwork.
    fn arrive_goods(&self, cons: &mut Consignment) {
        let stream = &self.model.streams[cons.stream as usize];
        if cons.has(FLAG_ADVANCE) {
            cons.lodged = self.now;
            let lead = &stream.advance_lead;
            if !lead.is_zero() {
                cons.arrived += lead.sample(&mut draw(cons, StepKind::Lodgement, DRAW_LEAD));
            }
        }
        let discharge = &self.discharge_at_port(cons).duration;
        cons.ready = cons.arrived;
        if !discharge.is_zero() {
            cons.ready += discharge.sample(&mut draw(cons, StepKind::Discharge, DRAW_DURATION));
        }
        if cons.has(FLAG_ADVANCE)
            && stream.direct_pickup_share > 0.0
            && draw(cons, StepKind::Discharge, DRAW_BOOKING).random::<f64>()
                < stream.direct_pickup_share
        {
            cons.flags |= FLAG_DIRECT;
        }
        if stream.certificate_share > 0.0
            && draw(cons, StepKind::Certificates, DRAW_NEEDS).random::<f64>()
                < stream.certificate_share
        {
            cons.flags |= FLAG_CERTIFICATE;
        }
        if let Some(limit) = &stream.postal_limit
            && cons.value > limit.limit
            && draw(cons, StepKind::Lodgement, DRAW_INDIVISIBLE).random::<f64>()
                >= limit.indivisible
        {
            cons.flags |= FLAG_OVER_LIMIT;
        }
        if stream.lab_test_share > 0.0
            && draw(cons, StepKind::LabTest, DRAW_NEEDS).random::<f64>() < stream.lab_test_share
        {
            cons.flags |= FLAG_LAB;
        }
    }

    /// The discharge step of the port where a consignment's goods arrive.
    #[inline]
    fn discharge_at_port(&self, cons: &Consignment) -> &'m crate::model::Activity {
        let port = self.model.streams[cons.stream as usize].port;
        self.model
            .activity(self.model.site(port).activities[StepKind::Discharge.index()])
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
            let inspect = cons.has(FLAG_INSPECT);
            let taken = match step.condition {
                Condition::Always => true,
                Condition::FlaggedForReview => cons.has(FLAG_REVIEW),
                Condition::FlaggedForInspection => inspect,
                Condition::FlaggedForScan => inspect && cons.has(FLAG_SCAN),
                Condition::FlaggedForManual => inspect && !cons.has(FLAG_SCAN),
                Condition::NotFlaggedForInspection => !inspect,
                Condition::NeedsCertificate => cons.has(FLAG_CERTIFICATE),
                Condition::NeedsLabTest => cons.has(FLAG_LAB),
            };
            let a = step.activity.0 as usize;
            let activity = &self.model.activities[a];
            // A declaration lodged in advance is already there on arrival;
            // a two-step declaration's tax comes with its complete
            // declaration, after release (under guarantee); "first release,
            // then inspect" tests the samples after release.
            let skipped = match activity.step {
                StepKind::Lodgement => cons.has(FLAG_ADVANCE),
                StepKind::Tax => cons.has(FLAG_TWO_STEP),
                StepKind::LabTest => self.model.policy.lab_after_release,
                _ => false,
            };
            if !taken || skipped {
                // (A lodgement skipped in advance was dated at arrival, see
                // `arrive_goods`.)
                if cons.has(FLAG_TRACED) {
                    self.trace_skip(c, a, step.condition, skipped);
                }
                self.slab.get_mut(c).step += 1;
                continue;
            }
            // Pre-arrival processing ends where the goods are needed: wait
            // for them to arrive and be discharged.
            if activity.step.needs_goods() && self.now < cons.ready {
                if activity.step == StepKind::Release
                    && cons.has(FLAG_DIRECT)
                    && !cons.has(FLAG_INSPECT)
                {
                    self.lift_at_ship_side(c);
                } else {
                    self.calendar.schedule(cons.ready, Event::GoodsReady(c));
                }
                return;
            }
            if activity.step == StepKind::Release && cons.released.is_nan() {
                self.slab.get_mut(c).released = self.now;
            }
            if cons.has(FLAG_TRACED) {
                self.trace_reach(c, a);
            }
            match activity.pool {
                Some(_) => {
                    let class = if self.model.policy.aeo_priority
                        && cons.credit == CreditClass::Advanced as u8
                    {
                        AEO_PRIORITY
                    } else {
                        NORMAL_PRIORITY
                    };
                    self.join_pool(c, a, class);
                    return;
                }
                None => {
                    // A step with no time of its own may still take time for
                    // this consignment (a lodgement's rework, a transit
                    // detour); only one that takes none is passed at once,
                    // without an event.
                    let d = self.service_time(c, a);
                    if d > 0.0 || !activity.duration.is_zero() {
                        self.schedule_step_done(c, d);
                        return;
                    }
                    if activity.step.has_outcome() && !self.complete_step(c, a) {
                        return;
                    }
                    self.slab.get_mut(c).step += 1;
                }
            }
        }
    }

    /// Of the options open to credit class `class` of written stream `s`,
    /// the one whose expected clearance time is shortest now; ties keep
    /// the usual option (moving has a cost). The estimate learns only from
    /// releases, so it lags the queues it describes: choosers can all pile
    /// onto the port or mode that looked fastest, and swing back once its
    /// releases say otherwise.
    fn fastest_option(&self, s: u32, class: usize) -> u32 {
        let mut options = self.model.options_for(s, class);
        let mut best = options.next().expect("the usual option comes first");
        for o in options {
            if self.expected_h[o as usize] < self.expected_h[best as usize] {
                best = o;
            }
        }
        best
    }

    /// Consignment `c` asks for a server of activity `a`'s pool (the one
    /// that can serve it soonest, for a pooled step) in queue `class`.
    #[inline]
    fn join_pool(&mut self, c: u32, a: usize, class: u8) {
        let activity = &self.model.activities[a];
        let p = match activity.pool {
            Some(own) if activity.pooled_with.is_empty() => own.0,
            _ => self.soonest_pool(activity),
        };
        self.slab.get_mut(c).pool = p;
        match self.pools[p as usize].request_with_priority(self.now, c, class) {
            Request::Started => self.start_service(c, a),
            Request::Queued { open_at } => {
                if let Some(t) = open_at {
                    self.calendar.schedule(t, Event::PoolOpen(p));
                }
                if self.pools[p as usize].queue_len() > self.ceiling.waiting {
                    self.diverge(Some(p as usize));
                }
            }
        }
    }

    #[inline]
    fn start_service(&mut self, c: u32, activity: usize) {
        let d = self.service_time(c, activity);
        self.schedule_step_done(c, d);
    }

    /// How long consignment `c` takes at `activity` `[h]`: its duration,
    /// and at lodgement any rework (two-step factor, mismatched orders, an
    /// article over its limit), on transport any transit detour. A step
    /// with no duration of its own draws none.
    #[inline]
    fn service_time(&mut self, c: u32, activity: usize) -> f64 {
        let a = &self.model.activities[activity];
        let mut d = if a.duration.is_zero() {
            0.0
        } else {
            a.duration
                .sample(&mut draw(self.slab.get(c), a.step, DRAW_DURATION))
        };
        if a.step == StepKind::Lodgement {
            let cons = self.slab.get(c);
            let stream = &self.model.streams[cons.stream as usize];
            if cons.has(FLAG_TWO_STEP) {
                d *= stream.two_step_factor;
            }
            // Three orders that do not match: rejected, reworked by the
            // platform, lodged again.
            if let Some((share, rework)) = &stream.order_mismatch {
                let rng = &mut draw(cons, a.step, DRAW_MISMATCH);
                if rng.random::<f64>() < *share {
                    d = 2.0 * d + rework.sample(rng);
                }
            }
            // A postal article over the value limit, or an e-commerce
            // order over its buyer's yearly limit: held, and declared
            // again, formally, as goods.
            if cons.has(FLAG_OVER_LIMIT) {
                let rework = stream
                    .postal_limit
                    .as_ref()
                    .map(|l| &l.rework)
                    .or(stream.annual_limit.as_ref().map(|l| &l.rework));
                if let Some(rework) = rework {
                    let rng = &mut draw(cons, a.step, DRAW_LIMIT_REWORK);
                    d = 2.0 * d + rework.sample(rng);
                }
            }
        }
        if let Some(transit) = &a.transit {
            d += self.transit_detour(c, a, transit, d);
        }
        d
    }

    /// The step ends `d` hours from now.
    #[inline]
    fn schedule_step_done(&mut self, c: u32, d: f64) {
        self.calendar.schedule(self.now + d, Event::StepDone(c));
        if self.slab.get(c).has(FLAG_TRACED) {
            self.trace_start(c, self.now + d);
        }
    }

    /// Transport under seal with transit rules: a load about to be
    /// diverted (the same draw its arrival will see) takes the detour to
    /// swap its goods; a load whose journey (`journey` plus any detour)
    /// exceeds the time limit is overdue. Returns the detour `[h]`.
    #[cold]
    fn transit_detour(
        &mut self,
        c: u32,
        a: &crate::model::Activity,
        transit: &crate::model::Transit,
        journey: f64,
    ) -> f64 {
        let cons = self.slab.get(c);
        let diverted =
            a.diversion > 0.0 && draw(cons, a.step, DRAW_DIVERSION).random::<f64>() < a.diversion;
        let detour = match &transit.diversion_delay {
            Some(delay) if diverted => delay.sample(&mut draw(cons, a.step, DRAW_DIVERSION_DELAY)),
            _ => 0.0,
        };
        if journey + detour > transit.time_limit {
            self.slab.get_mut(c).flags |= FLAG_OVERDUE;
        }
        detour
    }

    /// The activity consignment `c` is currently at: its route's step, or
    /// for a released one, the review that follows release.
    #[inline]
    fn current_activity(&self, c: u32) -> usize {
        let cons = self.slab.get(c);
        if cons.has(POST_RELEASE_LAB) {
            return self.post_release_lab[cons.stream as usize].unwrap_or(0) as usize;
        }
        if cons.has(POST_RELEASE) {
            return self.post_release_review[cons.stream as usize].unwrap_or(0) as usize;
        }
        self.model.streams[cons.stream as usize].route.steps[cons.step as usize]
            .activity
            .0 as usize
    }

    /// What finishing a step means for the consignment: lodgement time,
    /// what a review or an inspection finds. Returns false if the
    /// consignment was seized (and has left).
    fn complete_step(&mut self, c: u32, a: usize) -> bool {
        let activity = &self.model.activities[a];
        let now = self.now;
        let cons = self.slab.get_mut(c);
        match activity.step {
            StepKind::Lodgement => cons.lodged = now,
            // Transit fraud: a share of the loads moving under seal is
            // diverted on the way.
            StepKind::Transport
                if activity.diversion > 0.0
                    && draw(cons, activity.step, DRAW_DIVERSION).random::<f64>()
                        < activity.diversion =>
            {
                let newly = cons.flags & NON_COMPLIANT == 0;
                cons.flags |= DIVERTED;
                if newly && cons.entered() >= self.model.warmup {
                    self.cells[cell_of(cons)].non_compliant += 1;
                }
            }
            // The seal check on arrival finds a diversion with the step's
            // detection probability: the load is seized. Missed, the
            // diversion stands and later checks see nothing.
            // An overdue load is examined: a diversion cannot pass.
            StepKind::ArrivalConfirmation
                if cons.has(DIVERTED)
                    && (cons.has(FLAG_OVERDUE)
                        || draw(cons, activity.step, DRAW_DETECTION).random::<f64>()
                            < activity.detection) =>
            {
                cons.flags = (cons.flags & !DIVERTED) | FOUND | DIVERSION_FOUND;
                if cons.has(FLAG_TRACED) {
                    self.trace_complete(c, a);
                }
                self.depart(c, Exit::Seized);
                return false;
            }
            // An honest load that is overdue is opened all the same: it
            // goes to physical inspection at the destination.
            StepKind::ArrivalConfirmation if cons.has(FLAG_OVERDUE) => {
                cons.flags |= FLAG_INSPECT;
            }
            StepKind::Review
                if cons.has(SEEN_BY_REVIEW)
                    && !cons.has(DIVERTED)
                    && draw(cons, activity.step, DRAW_DETECTION).random::<f64>()
                        < activity.detection =>
            {
                cons.flags |= FOUND;
            }
            StepKind::LabTest => {
                let visible = visible_in_goods(cons.flags);
                let found = visible != 0
                    && draw(cons, activity.step, DRAW_DETECTION).random::<f64>()
                        < activity.detection;
                if found {
                    cons.flags |= FOUND;
                    if visible & TRUTH_PROHIBITED != 0 {
                        self.depart(c, Exit::Seized);
                        return false;
                    }
                }
            }
            StepKind::Inspection | StepKind::Scan => {
                let visible = visible_in_goods(cons.flags);
                let found = visible != 0
                    && draw(cons, activity.step, DRAW_DETECTION).random::<f64>()
                        < activity.detection;
                // An in-line X-ray pass is part of screening, not a targeted
                // examination: it is not counted among inspections.
                let in_cohort = cons.entered() >= self.model.warmup && !activity.in_line;
                let cell = cell_of(cons);
                if found {
                    cons.flags |= FOUND;
                }
                if in_cohort {
                    self.cells[cell].inspections += 1;
                    self.cells[cell].hits += u64::from(found);
                }
                if found && visible & TRUTH_PROHIBITED != 0 {
                    self.depart(c, Exit::Seized);
                    return false;
                }
            }
            _ => {}
        }
        if self.slab.get(c).has(FLAG_TRACED) {
            self.trace_complete(c, a);
        }
        true
    }

    /// Of a pooled step's pools, the one that can serve a newcomer soonest:
    /// the first with a server free and open; else, among the open ones,
    /// the one with the fewest waiting per server; else the first to open.
    /// Officers of several customs working one regional queue, as the
    /// centre's dispatch would share it out.
    #[cold]
    fn soonest_pool(&self, activity: &crate::model::Activity) -> u32 {
        let now = self.now;
        let pool = |p: crate::model::PoolId| &self.pools[p.0 as usize];
        if let Some(p) = activity.pools().find(|p| {
            let q = pool(*p);
            q.queue_len() == 0 && q.busy() < q.capacity() && q.hours().is_open(now)
        }) {
            return p.0;
        }
        let load = |p: crate::model::PoolId| {
            let q = pool(p);
            (q.queue_len() as f64 + 1.0) / q.capacity().max(1) as f64
        };
        let open = activity
            .pools()
            .filter(|p| pool(*p).hours().is_open(now))
            .min_by(|a, b| load(*a).total_cmp(&load(*b)));
        let first_to_open = || {
            activity.pools().min_by(|a, b| {
                let at = |p: crate::model::PoolId| {
                    pool(p).hours().next_open(now).unwrap_or(f64::INFINITY)
                };
                at(*a)
                    .total_cmp(&at(*b))
                    .then(load(*a).total_cmp(&load(*b)))
            })
        };
        open.or_else(first_to_open)
            .map_or(activity.pool.map_or(0, |p| p.0), |p| p.0)
    }

    fn on_step_done(&mut self, c: u32) {
        let a = self.current_activity(c);
        if self.model.activities[a].pool.is_some() {
            let p = self.slab.get(c).pool;
            match self.pools[p as usize].finish(self.now) {
                Finish::Next { entity, .. } => {
                    let next = self.current_activity(entity);
                    self.start_service(entity, next);
                }
                Finish::Idle { open_at: Some(t) } => {
                    self.calendar.schedule(t, Event::PoolOpen(p));
                }
                Finish::Idle { open_at: None } => {}
            }
        }
        let job = self.slab.get(c).flags;
        if job & POST_RELEASE_LAB != 0 {
            // The laboratory test after release is done (its outcome was
            // counted at release); a post-release review may follow.
            self.after_lab_test(c);
            return;
        }
        if job & POST_RELEASE != 0 {
            // The post-release review is done; its outcome was counted at
            // release.
            self.slab.remove(c);
            return;
        }
        let party = self.model.activities[a].party.index();
        self.slab.get_mut(c).charge(party, self.now);
        if !self.complete_step(c, a) {
            return;
        }
        self.slab.get_mut(c).step += 1;
        self.advance(c);
    }

    /// Ship-side direct pick-up: customs released the goods before they
    /// reached the yard, so the box goes from the ship straight onto the
    /// importer's truck, `direct_pickup` after arrival, and leaves; no yard
    /// dwell, no pick-up from the yard (the release step is not taken).
    fn lift_at_ship_side(&mut self, c: u32) {
        let now = self.now;
        let cons = *self.slab.get(c);
        let lift = match &self.discharge_at_port(&cons).direct_pickup {
            Some(d) => d.sample(&mut draw(&cons, StepKind::Discharge, DRAW_LIFT)),
            None => 0.0,
        };
        let lifted = (cons.arrived + lift).min(cons.ready);
        self.slab.get_mut(c).released = now.max(cons.arrived);
        if lifted > now {
            self.calendar.schedule(lifted, Event::Lifted(c));
        } else {
            self.on_lifted(c);
        }
    }

    /// The box is on its truck: the wait since the papers were done is the
    /// port's.
    fn on_lifted(&mut self, c: u32) {
        let logistics = crate::model::Party::Logistics.index();
        self.slab.get_mut(c).charge(logistics, self.now);
        self.depart(c, Exit::Released);
    }

    /// A released consignment's post-release job joins its pool's queue: a
    /// review behind all pre-release work (it holds no goods up); a
    /// laboratory test in the usual order (the importer may not sell the
    /// goods before its certificate).
    fn on_review_due(&mut self, c: u32) {
        let a = self.current_activity(c);
        let cons = self.slab.get(c);
        if cons.has(POST_RELEASE_LAB) && self.model.activities[a].pool.is_none() {
            self.start_service(c, a);
            return;
        }
        let class = if !cons.has(POST_RELEASE_LAB) {
            POST_RELEASE_PRIORITY
        } else if self.model.policy.aeo_priority && cons.credit == CreditClass::Advanced as u8 {
            AEO_PRIORITY
        } else {
            NORMAL_PRIORITY
        };
        self.join_pool(c, a, class);
    }

    /// A laboratory test after release is done: the consignment's staffed
    /// post-release review, if it has one, follows (no earlier than its
    /// documents would have been called in); else it is gone.
    fn after_lab_test(&mut self, c: u32) {
        let cons = *self.slab.get(c);
        if !(cons.has(FLAG_AUDIT) && self.post_release_review[cons.stream as usize].is_some()) {
            self.slab.remove(c);
            return;
        }
        let lag = self.audit_lag(&cons);
        let job = self.slab.get_mut(c);
        job.flags = (job.flags & !POST_RELEASE_LAB) | POST_RELEASE;
        let due = (cons.released + lag).max(self.now);
        self.calendar.schedule(due, Event::ReviewDue(c));
    }

    /// How long after release a post-release review's documents are called
    /// in `[h]`.
    fn audit_lag(&self, cons: &Consignment) -> f64 {
        self.model
            .policy
            .audit_delay
            .sample(&mut draw(cons, StepKind::Release, DRAW_AUDIT_LAG))
    }

    /// What the laboratory test of a consignment released under "first
    /// release, then inspect" finds, from its own random numbers (the same
    /// ones the test before release would use): what it finds is recalled
    /// unless the importer already sold or used the goods
    /// (`policy.lab_release_breach`); misclassification's tax is corrected
    /// either way.
    fn lab_outcome(&self, cons: &Consignment) -> LabOutcome {
        let Some(a) = self.post_release_lab[cons.stream as usize] else {
            return LabOutcome::default();
        };
        let visible = visible_in_goods(cons.flags);
        let lab = &self.model.activities[a as usize];
        if !cons.has(FLAG_LAB)
            || cons.has(FOUND)
            || visible == 0
            || draw(cons, StepKind::LabTest, DRAW_DETECTION).random::<f64>() >= lab.detection
        {
            return LabOutcome::default();
        }
        let breach = draw(cons, StepKind::LabTest, DRAW_BREACH).random::<f64>()
            < self.model.policy.lab_release_breach;
        LabOutcome {
            recalled: !breach,
            recovers_tax: visible & TRUTH_MISCLASSIFIED != 0,
        }
    }

    /// The goods a consignment waited for are available: the wait since its
    /// papers were done is the port's (discharge, moving the box).
    fn on_goods_ready(&mut self, c: u32) {
        let logistics = crate::model::Party::Logistics.index();
        self.slab.get_mut(c).charge(logistics, self.now);
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
        for s in &mut self.cells {
            s.in_system.reset(now);
        }
    }

    /// Brokers hear how long a release took at its port, and update their
    /// running estimate of the port's clearance time (warm-up included:
    /// this is behaviour, not a statistic).
    fn learn_clearance_time(&mut self, cons: &Consignment) {
        let model = self.model;
        let stream = &model.streams[cons.stream as usize];
        let written = stream
            .choice
            .parent
            .map_or(stream, |p| &model.streams[p as usize]);
        if written.choice.time_share > 0.0 {
            let t = cons.released_by(self.now) - cons.arrived;
            let e = &mut self.expected_h[cons.stream as usize];
            *e += written.choice.learning * (t - *e);
        }
    }

    /// A diversion found on arrival: the decoy is seized, but the real goods
    /// were sold untaxed; the transit's guarantee recovers its share of that
    /// tax.
    #[cold]
    fn forfeit_guarantee(&mut self, cons: &Consignment) {
        let model = self.model;
        let stream = &model.streams[cons.stream as usize];
        let bond = stream
            .route
            .steps
            .iter()
            .find_map(|st| model.activity(st.activity).transit.as_ref())
            .map_or(0.0, |t| t.bond_share);
        let (due, _) = revenue(model, cons);
        let s = &mut self.cells[cell_of(cons)];
        s.revenue_evaded += due;
        s.revenue_recovered += bond * due;
    }

    /// A released bulk entry into a bonded zone adds its units to the
    /// stock of the 1210 stream it supplies.
    fn restock(&mut self, cons: &Consignment) {
        let model = self.model;
        let Some(k) = model.streams[cons.stream as usize].restocks else {
            return;
        };
        let Some(stock) = model.streams[k as usize].stock else {
            return;
        };
        let shelf = &mut self.shelves[k as usize];
        shelf.units = shelf.units.saturating_add(stock.units_per_entry);
        if !shelf.waiting.is_empty() {
            self.calendar.schedule(self.now, Event::Restocked(k));
        }
    }

    fn depart(&mut self, c: u32, exit: Exit) {
        let cons = *self.slab.get(c);
        // "First release, then review" with reviewers doing the review:
        // the consignment stays on as its review's job.
        let staffed = exit == Exit::Released
            && cons.has(FLAG_AUDIT)
            && self.post_release_review[cons.stream as usize].is_some();
        // "First release, then inspect": the laboratory tests the samples
        // now, then any review follows.
        let lab_job = exit == Exit::Released
            && cons.has(FLAG_LAB)
            && self.post_release_lab[cons.stream as usize].is_some();
        if lab_job {
            let job = self.slab.get_mut(c);
            job.flags = (job.flags | POST_RELEASE_LAB) & !FLAG_TRACED;
            self.calendar.schedule(self.now, Event::ReviewDue(c));
        } else if staffed {
            let lag = self.audit_lag(&cons);
            let job = self.slab.get_mut(c);
            job.flags = (job.flags | POST_RELEASE) & !FLAG_TRACED;
            self.calendar.schedule(self.now + lag, Event::ReviewDue(c));
        } else {
            self.slab.remove(c);
        }
        if cons.has(FLAG_TRACED) {
            self.trace_depart(c, &cons, exit);
        }
        let now = self.now;
        let model = self.model;
        let s = &mut self.cells[cell_of(&cons)];
        let n = s.in_system.value() - 1.0;
        s.in_system.set(now, n);
        if exit == Exit::Released && now >= model.warmup {
            s.releases_in_window += 1;
        }
        if exit == Exit::Released {
            self.learn_clearance_time(&cons);
            self.restock(&cons);
        }
        let s = &mut self.cells[cell_of(&cons)];
        if cons.entered() < model.warmup {
            return;
        }
        if exit == Exit::Seized {
            s.seized += 1;
            if cons.has(DIVERSION_FOUND) {
                self.forfeit_guarantee(&cons);
            }
            return;
        }
        let released = cons.released_by(now);
        let lodged = if cons.lodged.is_nan() {
            released
        } else {
            cons.lodged
        };
        let t = released - cons.arrived;
        s.released += 1;
        s.release_time.add(t);
        s.release_hist.record(t);
        s.within_24h += u64::from(t <= 24.0);
        s.within_48h += u64::from(t <= 48.0);
        s.arrival_to_lodgement.add(lodged - cons.arrived);
        s.lodgement_to_release.add(released - lodged);
        s.release_to_exit.add(now - released);
        for (k, t) in cons.party.iter().enumerate() {
            s.party_time[k].add(*t);
            s.party_hist[k].record(*t);
        }
        let stream = &model.streams[cons.stream as usize];
        if stream.channel == crate::model::Channel::GeneralTrade {
            let overall = now - cons.arrived;
            s.overall_time.add(overall);
            s.overall_hist.record(overall);
            s.overall_within_24h += u64::from(overall <= 24.0);
        }

        let (assessed, evaded) = revenue(model, &cons);
        s.revenue_assessed += assessed;
        s.revenue_evaded += evaded;
        if cons.flags & NON_COMPLIANT != 0 && !cons.has(FOUND) {
            s.leakage += 1;
        }
        // "First release, then review": the tax centre reviews after release
        // and recovers what it finds. The review is followed to its outcome
        // even past the horizon: cutting it off would count a slow review
        // as revenue lost. A review done by reviewers is past the horizon
        // if its job is still waiting or in service then (see `finish`).
        // "First release, then inspect": the laboratory's findings after
        // release, likewise followed to their outcome. A recall does not undo
        // the leakage: the goods left customs' hands with it undetected.
        let lab = self.lab_outcome(&cons);
        let s = &mut self.cells[cell_of(&cons)];
        s.recalls += u64::from(lab.recalled);
        let audit = audit_outcome(&cons, &model.policy);
        if lab.recovers_tax || matches!(audit, Some((true, _))) {
            s.revenue_recovered += evaded;
        }
        // A pending laboratory test that recovers the tax is counted at the
        // horizon (see `finish`).
        if let Some((true, delay)) = audit
            && !staffed
            && !(lab_job && lab.recovers_tax)
            && released + delay > model.horizon
        {
            s.revenue_recovered_after_horizon += evaded;
        }
    }
}
