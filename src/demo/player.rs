//! The data behind the demo player (`clearsim demo --html`): for every
//! mode shown, the followed consignments and a thinned crowd around them as
//! compact timelines (each step's place, queue-join, start and end), the
//! narration lines of the followed ones, and for every resource pool its
//! capacity, its closed hours and its queue and busy servers over time.
//!
//! Every mode runs replication 0 of the same seed (see [`super::follow`]),
//! so the same consignment numbers appear in every panel: common random
//! numbers, only the route and the queues differ. Queue and busy counts come
//! from every consignment that arrived from a day before the window on (the
//! crowd, [`TraceSelect::crowd_until`]), not only from the thinned dots.
//! Turning this into a page is [`super::player_page`]'s business.

pub mod layout;
pub mod occupancy;

use serde::Serialize;

use super::narrate;
use crate::engine::rng::replication_seed;
use crate::model::{Channel, Mode, Model, StepKind};
use crate::plot::draw::PALETTE;
use crate::sim::trace::{ConsignmentTrace, Outcome, StepTrace, TraceSelect};
use layout::{Layout, PlaceKey};

/// At most this many crowd consignments are drawn per mode (the others
/// still count in queues and busy servers): readable, and light enough to
/// animate smoothly.
pub const MAX_BACKGROUND: usize = 400;
/// The crowd counted per mode is capped, bounding the work on a large
/// scenario (its queues are then undercounted; the page says how many).
const MAX_CROWD: usize = 20_000;
/// How long before the window the crowd starts `[h]`: long enough that the
/// queues at the window's start hold the backlog of a running system.
const CROWD_LEAD: f64 = 24.0;
/// Times are written in hours from the window's start rounded to this
/// `[h]` (3.6 s): small numbers, byte-identical output.
const TIME_STEP: f64 = 1e-3;

/// Everything the page shows, serialised inline as JSON.
#[derive(Debug, Serialize)]
pub struct PlayerData {
    /// The scenario's name (any text: the page escapes it).
    pub title: String,
    pub source: String,
    pub seed: u64,
    /// Weekday of hour 0 (0 = Monday), for the calendar clock.
    pub start_weekday: usize,
    /// The window's start `[h]` from the scenario start; every other time
    /// is relative to it.
    pub t0: f64,
    /// The window's length `[h]`.
    pub span: f64,
    /// One crowd consignment in `thinning` is drawn.
    pub thinning: u64,
    /// The queue and busy counts include every consignment arriving from
    /// this time on `[h]` (relative to `t0`; negative: before the window).
    pub counted_from: f64,
    pub channels: Vec<ChannelKey>,
    /// Step names, indexed by the step column of [`Dot::steps`].
    pub steps: Vec<&'static str>,
    pub layout: Layout,
    pub modes: Vec<ModeTimeline>,
}

/// A channel's colour (from the chart palette) and its dot's shape, so
/// channels differ in greyscale too.
#[derive(Debug, Serialize)]
pub struct ChannelKey {
    pub name: &'static str,
    pub colour: String,
    pub shape: &'static str,
}

/// One panel: a mode's consignments and its pools' occupancy.
#[derive(Debug, Serialize)]
pub struct ModeTimeline {
    pub name: &'static str,
    pub explain: &'static str,
    /// The followed consignments first, then the drawn crowd, each in
    /// arrival order.
    pub dots: Vec<Dot>,
    /// Per pool (as in [`Layout::pools`]): `[time, queue, busy]` from the
    /// window's start, one row per change.
    pub occupancy: Vec<Vec<[f64; 3]>>,
    /// How many consignments the queue and busy counts include.
    pub counted: usize,
}

/// One consignment's timeline. `None` times lie beyond the run.
#[derive(Debug, Serialize)]
pub struct Dot {
    /// Its arrival number: the same consignment in every mode.
    pub n: u64,
    /// Index into [`PlayerData::channels`].
    pub ch: usize,
    /// One of the followed consignments (with narration).
    pub followed: bool,
    pub arr: f64,
    /// The steps taken.
    pub steps: Vec<StepRow>,
    pub released: Option<f64>,
    pub seized: Option<f64>,
    /// When it left (released goods gone, or seized).
    pub gone: Option<f64>,
    /// Narration lines with the time each applies from (followed only).
    pub lines: Vec<(f64, String)>,
}

/// One step taken, as a JSON array: place, step, pool (-1: none), reached,
/// start, end (a compact row: there are thousands).
pub type StepRow = (usize, usize, i64, f64, Option<f64>, Option<f64>);

/// Dot shapes by channel, in [`Channel::ALL`] order.
const SHAPES: [&str; 4] = ["circle", "square", "diamond", "triangle"];

fn channel_index(c: Channel) -> usize {
    Channel::ALL
        .iter()
        .position(|(_, k)| *k == c)
        .expect("every channel is listed")
}

/// A finite time relative to `t0`, rounded to [`TIME_STEP`].
fn rel(t: f64, t0: f64) -> Option<f64> {
    t.is_finite()
        .then(|| ((t - t0) / TIME_STEP).round() * TIME_STEP)
        .map(|x| (x * 1000.0).round() / 1000.0)
}

/// One mode's traces: the followed consignments and the crowd.
pub struct ModeRun<'a> {
    pub mode: Mode,
    pub model: &'a Model,
    pub followed: Vec<ConsignmentTrace>,
    pub crowd: Vec<ConsignmentTrace>,
}

/// Runs the crowd of one mode: every consignment arriving from a lead
/// time before `from` until `until` `[h]`, replication 0 of `seed` as
/// [`super::follow`] runs it. The lead is a day, or shorter when
/// that many arrivals would fill the cap before the window opens (a
/// national scenario).
pub fn crowd(model: &Model, seed: u64, from: f64, until: f64) -> Vec<ConsignmentTrace> {
    let run = |lead: f64| {
        let select = TraceSelect {
            after: (from - lead).max(0.0),
            max: MAX_CROWD,
            crowd_until: Some(until),
        };
        crate::sim::trace_replication(model, replication_seed(seed, 0), select)
    };
    let mut lead = CROWD_LEAD;
    loop {
        let crowd = run(lead);
        let full = crowd.len() >= MAX_CROWD;
        if !full || lead < 0.5 || crowd.last().is_some_and(|t| t.arrived >= from) {
            return crowd;
        }
        lead /= 4.0;
    }
}

/// When a consignment leaves, if it does.
fn gone(t: &ConsignmentTrace) -> f64 {
    match t.outcome {
        Outcome::Released { left, .. } => left,
        Outcome::Seized { at } => at,
        Outcome::InProgress => f64::INFINITY,
    }
}

/// The window shown `[h]`: from `from` to a little after the last followed
/// consignment leaves in any mode (whole hours), at least two hours.
pub fn window(from: f64, followed: &[&[ConsignmentTrace]], horizon: f64) -> (f64, f64) {
    let last = followed
        .iter()
        .flat_map(|ts| ts.iter())
        .flat_map(|t| t.steps.iter().map(|s| s.end).chain([gone(t)]))
        .filter(|e| e.is_finite())
        .fold(from, f64::max);
    let end = ((last + 1.0).ceil()).max(from + 2.0).min(horizon.max(from));
    (from, end)
}

/// Builds the page's data from every mode's runs over the window
/// `[t0, t1]` `[h]`.
pub fn build(
    title: &str,
    source: &str,
    seed: u64,
    runs: &[ModeRun],
    t0: f64,
    t1: f64,
) -> PlayerData {
    let model0 = runs[0].model;
    let layout = Layout::new(model0, runs, t0, t1);
    // Thinning: the same one-in-k consignment numbers in every panel.
    let in_window = |t: &&ConsignmentTrace| t.arrived < t1 && gone(t) > t0;
    let most = runs
        .iter()
        .map(|r| r.crowd.iter().filter(in_window).count())
        .max()
        .unwrap_or(0);
    let thinning = most.div_ceil(MAX_BACKGROUND).max(1) as u64;
    let modes = runs
        .iter()
        .map(|r| {
            let followed: Vec<u64> = r.followed.iter().map(|t| t.number).collect();
            let mut dots: Vec<Dot> = r
                .followed
                .iter()
                .map(|t| dot(r.model, &layout, t, t0, true))
                .collect();
            dots.extend(
                r.crowd
                    .iter()
                    .filter(in_window)
                    .filter(|t| t.number % thinning == 0 && !followed.contains(&t.number))
                    .map(|t| dot(r.model, &layout, t, t0, false)),
            );
            ModeTimeline {
                name: r.mode.name(),
                explain: super::explain(r.mode),
                dots,
                occupancy: occupancy::series(r.model, &layout, &r.crowd, t0, t1),
                counted: r.crowd.len(),
            }
        })
        .collect();
    PlayerData {
        title: title.to_string(),
        source: source.to_string(),
        seed,
        start_weekday: model0.start_weekday,
        t0,
        span: t1 - t0,
        thinning,
        counted_from: runs
            .iter()
            .filter_map(|r| r.crowd.first())
            .map(|t| rel(t.arrived, t0).unwrap_or(0.0))
            .fold(0.0, f64::min),
        channels: Channel::ALL
            .iter()
            .enumerate()
            .map(|(i, (name, _))| {
                let c = PALETTE[i];
                ChannelKey {
                    name,
                    colour: format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2),
                    shape: SHAPES[i],
                }
            })
            .collect(),
        steps: STEP_KINDS.iter().map(|k| k.name()).collect(),
        layout,
        modes,
    }
}

/// Every step kind, as the page numbers them.
const STEP_KINDS: [StepKind; StepKind::SITE_STEPS + 2] = {
    let mut all = [StepKind::Transport; StepKind::SITE_STEPS + 2];
    let mut i = 0;
    while i < StepKind::SITE_STEPS {
        all[i] = StepKind::AT_SITE[i];
        i += 1;
    }
    all[StepKind::SITE_STEPS + 1] = StepKind::Coordination;
    all
};

/// Index of a step kind in [`STEP_KINDS`].
fn step_index(k: StepKind) -> usize {
    STEP_KINDS
        .iter()
        .position(|s| *s == k)
        .expect("every step kind is listed")
}

/// One consignment's timeline; narration lines for a followed one.
fn dot(model: &Model, layout: &Layout, t: &ConsignmentTrace, t0: f64, followed: bool) -> Dot {
    let taken = t.steps.iter().filter(|s| s.taken());
    let steps = taken
        .map(|s| {
            let place = layout.place_of(&PlaceKey::of(model, s));
            let pool = s
                .pool
                .and_then(|p| layout.pool_of(&model.pools[p.0 as usize].id))
                .map_or(-1, |i| i as i64);
            let reached = rel(s.reached, t0).unwrap_or(f64::NAN);
            (
                place,
                step_index(s.step),
                pool,
                reached,
                rel(s.start, t0),
                rel(s.end, t0),
            )
        })
        .collect();
    let (released, seized) = match t.outcome {
        Outcome::Released { released, .. } => (rel(released, t0), None),
        Outcome::Seized { at } => (None, rel(at, t0)),
        Outcome::InProgress => (None, None),
    };
    Dot {
        n: t.number,
        ch: channel_index(t.channel),
        followed,
        arr: rel(t.arrived, t0).unwrap_or(0.0),
        steps,
        released,
        seized,
        gone: rel(gone(t), t0),
        lines: if followed {
            lines(model, t, t0)
        } else {
            Vec::new()
        },
    }
}

/// A followed consignment's narration, each line with the time it becomes
/// true: who it is at arrival, each step when it starts (a skipped step
/// when it is passed by), how it left when it leaves.
fn lines(model: &Model, t: &ConsignmentTrace, t0: f64) -> Vec<(f64, String)> {
    let at = |x: f64| rel(x, t0).unwrap_or(f64::MAX);
    let mut out: Vec<(f64, String)> = narrate::header(model, t)
        .into_iter()
        .map(|l| (at(t.arrived), l.trim().to_string()))
        .collect();
    for s in &t.steps {
        out.push((at(step_time(s)), step_line(model, t, s)));
    }
    let end = match t.outcome {
        Outcome::Released { released, .. } => released,
        Outcome::Seized { at } => at,
        Outcome::InProgress => f64::INFINITY,
    };
    let last = (at(end), format!("=> {}", narrate::outcome_line(model, t)));
    if last.0 < f64::MAX {
        out.push(last);
    }
    out
}

/// When a step's narration line applies: its start, or when it was
/// reached if it was skipped or never started.
fn step_time(s: &StepTrace) -> f64 {
    if s.taken() && s.start.is_finite() {
        s.start
    } else {
        s.reached
    }
}

/// One step as a line of the narration: the timeline's columns, joined.
fn step_line(model: &Model, t: &ConsignmentTrace, s: &StepTrace) -> String {
    let [site, step, start, end, wait, work, why] = narrate::step_cells(model, t, s);
    if start.is_empty() {
        format!("{site} · {step}: {why}")
    } else {
        format!("{site} · {step} {start} → {end} (wait {wait} h, work {work} h): {why}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_relative_rounded_and_none_when_unknown() {
        assert_eq!(rel(58.0123456, 58.0), Some(0.012));
        assert_eq!(rel(57.5, 58.0), Some(-0.5));
        assert_eq!(rel(f64::NAN, 58.0), None);
        assert_eq!(rel(f64::INFINITY, 58.0), None);
    }
}
