//! The customs world as typed, checked values: sites (ports and customs),
//! resource pools, the activities performed at each site, demand streams and
//! the clearance routes they follow, and the inspection policy.
//!
//! A `Model` is built by the scenario layer and is immutable during a run;
//! it knows nothing about files, threads or output formats.

pub mod route;

use crate::engine::{ArrivalProcess, Dist, WorkingHours};
pub use route::{Condition, Mode, Route, RouteStep, StepKind};

/// Index of a site in [`Model::sites`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SiteId(pub u32);
/// Index of a pool in [`Model::pools`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PoolId(pub u32);
/// Index of an activity in [`Model::activities`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ActivityId(pub u32);

/// What kind of place a site is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SiteKind {
    SeaPort,
    AirPort,
    LandPort,
    RailPort,
    /// Postal and express mail processing centre.
    PostalHub,
    /// Cross-border e-commerce supervision site.
    EcommerceSite,
    /// A special customs supervision area (bonded zone).
    BondedZone,
    /// A territorial (inland) customs office.
    Customs,
}

impl SiteKind {
    pub const ALL: [(&'static str, SiteKind); 8] = [
        ("sea_port", SiteKind::SeaPort),
        ("air_port", SiteKind::AirPort),
        ("land_port", SiteKind::LandPort),
        ("rail_port", SiteKind::RailPort),
        ("postal_hub", SiteKind::PostalHub),
        ("ecommerce_site", SiteKind::EcommerceSite),
        ("bonded_zone", SiteKind::BondedZone),
        ("customs", SiteKind::Customs),
    ];

    pub fn parse(s: &str) -> Option<SiteKind> {
        Self::ALL.iter().find(|(n, _)| *n == s).map(|(_, k)| *k)
    }

    /// Whether goods can enter the country here (a stream may arrive here).
    pub fn is_entry_point(self) -> bool {
        !matches!(self, SiteKind::Customs)
    }
}

#[derive(Clone, Debug)]
pub struct Site {
    pub id: String,
    pub name: String,
    pub kind: SiteKind,
    /// The activity performed here for each step kind, indexed by
    /// [`StepKind::index`].
    pub activities: [ActivityId; StepKind::COUNT],
}

/// A pool of identical servers (reviewers, inspection teams, scanners).
#[derive(Clone, Debug)]
pub struct PoolSpec {
    pub id: String,
    pub site: SiteId,
    pub capacity: u32,
    pub hours: WorkingHours,
}

/// One step as performed at one site: its duration, and the pool it holds
/// for that duration (none: a pure delay).
#[derive(Clone, Debug)]
pub struct Activity {
    pub site: SiteId,
    pub step: StepKind,
    pub pool: Option<PoolId>,
    pub duration: Dist,
    /// For inspections: the probability that a prohibited consignment is
    /// found (and seized). Unused for other steps.
    pub detection: f64,
}

/// A demand stream: consignments arriving at one entry port.
#[derive(Clone, Debug)]
pub struct Stream {
    pub id: String,
    pub port: SiteId,
    pub mode: Mode,
    pub arrivals: ArrivalProcess,
    /// Share of consignments carrying prohibited goods (hidden truth).
    pub prohibited_share: f64,
    pub route: Route,
}

/// Risk-screening outcomes: the probabilities that screening sends a
/// consignment to document review and to physical inspection.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Policy {
    pub review_rate: f64,
    pub inspection_rate: f64,
}

#[derive(Clone, Debug)]
pub struct Model {
    pub name: String,
    /// Simulated time `[h]`.
    pub horizon: f64,
    /// Statistics before this time are discarded `[h]`.
    pub warmup: f64,
    /// Weekday of hour 0 (0 = Monday).
    pub start_weekday: usize,
    pub sites: Vec<Site>,
    pub pools: Vec<PoolSpec>,
    pub activities: Vec<Activity>,
    pub streams: Vec<Stream>,
    pub policy: Policy,
}

impl Model {
    pub fn activity(&self, id: ActivityId) -> &Activity {
        &self.activities[id.0 as usize]
    }

    /// Probability that a consignment following `stream`'s route performs
    /// `step` (the product of its screening outcome and the hidden truth is
    /// ignored: seizures only shorten routes).
    pub fn step_probability(&self, step: &RouteStep) -> f64 {
        match step.condition {
            Condition::Always => 1.0,
            Condition::FlaggedForReview => self.policy.review_rate,
            Condition::FlaggedForInspection => self.policy.inspection_rate,
        }
    }

    /// Long-run offered load on each pool: arrival rate × probability ×
    /// mean duration, in busy servers (Erlangs), averaged over a week.
    pub fn offered_load(&self) -> Vec<f64> {
        let mut load = vec![0.0; self.pools.len()];
        for s in &self.streams {
            let rate = s.arrivals.mean_weekly_rate();
            for step in &s.route.steps {
                let a = self.activity(step.activity);
                if let Some(p) = a.pool {
                    load[p.0 as usize] += rate * self.step_probability(step) * a.duration.mean();
                }
            }
        }
        load
    }
}
