//! The trainers' demonstration (`clearsim demo`): a few consignments, one
//! per channel, followed step by step through each clearance mode, told as
//! a narrated timeline ([`narrate`]) and drawn as a swimlane chart of sites
//! against time ([`swimlane`]), and, with `--html`, played as an animated
//! page: the same consignments and a thinned crowd moving over a map of
//! places, one panel per mode ([`player`] for the data, [`player_page`]
//! for the page).
//!
//! The simulation side is [`crate::sim::trace_replication`]; this module only
//! chooses whom to follow and presents what the trace recorded. Every mode
//! runs the same replication seed, so the same consignments (same arrival,
//! same hidden truth, same screening draws and service times) appear under
//! every mode and only the route and the queues differ.

pub mod narrate;
pub mod player;
pub mod player_page;
pub mod swimlane;

use crate::engine::rng::replication_seed;
use crate::model::{Channel, Mode, Model};
use crate::scenario::{self, Scenario};
use crate::sim::trace::{ConsignmentTrace, TraceSelect};

/// The built-in demonstration scenario: four channels at Shanghai ports
/// with importers at Hangzhou customs, a road link from every port and an
/// integrated region with a clearance centre, so every mode can run. The
/// built-in default of `clearsim run` has neither home customs nor links,
/// so it can show port clearance only.
pub const DEMO_SCENARIO: &str = include_str!("../scenarios/demo.toml");
/// How the built-in demo scenario is named in messages.
pub const DEMO_LABEL: &str = "<built-in demo: scenarios/demo.toml>";

/// The built-in demonstration scenario.
pub fn builtin() -> Scenario {
    scenario::parse(DEMO_LABEL, DEMO_SCENARIO.as_bytes())
        .expect("the built-in demo scenario is valid (tested)")
}

/// Hour of the day at which the demo starts following consignments: mid
/// morning, when the office-hours reviewers are at work.
const FOLLOW_FROM_HOUR: f64 = 10.0;

/// When to start following consignments `[h]`: 10:00 on the first day that
/// begins after the warm-up (and no earlier than day 2). By then the queues
/// hold the backlog of a running system rather than an empty one, so the
/// waits shown are typical ones; starting in office hours shows the usual
/// working-day waits, not an overnight closure (which a consignment may
/// still meet later on its route). Falls back to the start of the run if
/// the horizon is too short.
pub fn follow_from(model: &Model) -> f64 {
    let day = (model.warmup.max(24.0) / 24.0).ceil() * 24.0;
    let t = day + FOLLOW_FROM_HOUR;
    if t < model.horizon { t } else { 0.0 }
}

/// The channels present in a model, in [`Channel::ALL`] order: by default
/// the demo follows one consignment of each.
pub fn channels(model: &Model) -> Vec<Channel> {
    Channel::ALL
        .iter()
        .map(|(_, c)| *c)
        .filter(|c| model.streams.iter().any(|s| s.channel == *c))
        .collect()
}

/// Follows `max` consignments through `model` under master seed `seed`:
/// replication 0 of `clearsim run --seed SEED`, so the demo shows
/// consignments of the same run a trainer can then analyse in full.
pub fn follow(model: &Model, seed: u64, max: usize) -> Vec<ConsignmentTrace> {
    let select = TraceSelect {
        after: follow_from(model),
        max,
        crowd_until: None,
    };
    crate::sim::trace_replication(model, replication_seed(seed, 0), select)
}

/// What a clearance mode means, in one line for a trainer's audience.
pub fn explain(mode: Mode) -> &'static str {
    match mode {
        Mode::PortClearance => {
            "declare and release at the port: declaration, review, inspection, tax and release all at the port's customs"
        }
        Mode::TerritorialDeclarationPortRelease => {
            "territorial declaration, port inspection and release: the importer declares to its home customs, which screens and reviews; the port inspects what is ordered and releases"
        }
        Mode::TerritorialDeclarationRelease => {
            "territorial declaration and release: the home customs clears and sends the release to the port; goods ordered for inspection travel to the home customs' inspection site"
        }
        Mode::CustomsTransit => {
            "customs transit: sealed at the port, the goods move under customs control to the inland customs, which then clears them in full"
        }
        Mode::RegionalIntegration => {
            "regional clearance integration: declare at any customs of the integrated region; one regional clearance centre screens and reviews; the port inspects what is ordered and releases"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_demo_runs_under_every_mode() {
        let s = builtin();
        assert!(s.warnings.is_empty(), "{:?}", s.warnings);
        assert_eq!(channels(&s.model).len(), 4);
        for (_, mode) in Mode::ALL {
            let v = s
                .with(&scenario::Overrides {
                    mode: Some(mode),
                    every_stream: true,
                })
                .unwrap_or_else(|e| panic!("{}: {e}", mode.name()));
            let traces = follow(&v.model, s.seed, 4);
            assert_eq!(traces.len(), 4, "{}", mode.name());
            let from = follow_from(&v.model);
            assert!(traces.iter().all(|t| t.arrived >= from));
        }
    }

    #[test]
    fn following_starts_mid_morning_after_the_warm_up() {
        let mut m = builtin().model;
        m.warmup = 48.0;
        assert_eq!(follow_from(&m), 58.0);
        m.warmup = 50.0;
        assert_eq!(follow_from(&m), 82.0);
        m.warmup = 0.0;
        assert_eq!(follow_from(&m), 34.0, "no earlier than day 2");
        m.horizon = 30.0;
        assert_eq!(follow_from(&m), 0.0, "too short: from the start");
    }
}
