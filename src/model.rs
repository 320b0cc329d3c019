//! The customs world as typed, checked values: sites (ports and customs),
//! resource pools, the activities performed at each site, demand streams and
//! the clearance routes they follow, and the inspection policy.
//!
//! A `Model` is built by the scenario layer and is immutable during a run;
//! it knows nothing about files, threads or output formats.

pub mod route;

use crate::engine::{ArrivalProcess, Dist, WorkingHours};
pub use route::{Condition, Mode, Route, RouteContext, RouteStep, StepKind};

/// Index of a site in [`Model::sites`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SiteId(pub u32);
/// Index of a pool in [`Model::pools`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PoolId(pub u32);
/// Index of a region in [`Model::regions`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RegionId(pub u32);
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
    /// A regional clearance centre: pooled risk screening and document
    /// review for an integrated region.
    ClearanceCentre,
    /// A special customs supervision area (bonded zone).
    BondedZone,
    /// A territorial (inland) customs office.
    Customs,
}

impl SiteKind {
    pub const ALL: [(&'static str, SiteKind); 9] = [
        ("sea_port", SiteKind::SeaPort),
        ("air_port", SiteKind::AirPort),
        ("land_port", SiteKind::LandPort),
        ("rail_port", SiteKind::RailPort),
        ("postal_hub", SiteKind::PostalHub),
        ("ecommerce_site", SiteKind::EcommerceSite),
        ("clearance_centre", SiteKind::ClearanceCentre),
        ("bonded_zone", SiteKind::BondedZone),
        ("customs", SiteKind::Customs),
    ];

    pub fn parse(s: &str) -> Option<SiteKind> {
        Self::ALL.iter().find(|(n, _)| *n == s).map(|(_, k)| *k)
    }

    /// Whether goods can enter the country here (a stream may arrive here).
    pub fn is_entry_point(self) -> bool {
        !matches!(self, SiteKind::Customs | SiteKind::ClearanceCentre)
    }
}

#[derive(Clone, Debug)]
pub struct Site {
    pub id: String,
    pub name: String,
    pub kind: SiteKind,
    /// The integrated region the site belongs to (a port may instead take
    /// its supervising customs' region).
    pub region: Option<RegionId>,
    /// For ports: the directly-affiliated customs that supervises it.
    pub customs: Option<SiteId>,
    /// The activity performed here for each site step, indexed by
    /// [`StepKind::index`].
    pub activities: [ActivityId; StepKind::SITE_STEPS],
}

/// An integrated clearance region (or, before integration, a group of
/// customs that are not yet integrated).
#[derive(Clone, Debug)]
pub struct Region {
    pub id: String,
    pub name: String,
    /// Whether clearance integration is in force: its customs act as one,
    /// with no coordination delay between them.
    pub integrated: bool,
    /// The regional clearance centre (pooled screening and review).
    pub centre: Option<SiteId>,
    /// The data-exchange delay between two customs where integration is not
    /// in force (an activity with step kind `Coordination`).
    pub coordination: Option<ActivityId>,
}

/// Supervised road or rail transport from a port to an inland customs.
#[derive(Clone, Debug)]
pub struct Link {
    pub from: SiteId,
    pub to: SiteId,
    /// The transport activity (step kind `Transport`).
    pub activity: ActivityId,
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
    /// The importer's home (territorial) customs, for modes that use it.
    pub home: Option<SiteId>,
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
    pub regions: Vec<Region>,
    pub links: Vec<Link>,
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
            Condition::NotFlaggedForInspection => 1.0 - self.policy.inspection_rate,
        }
    }

    pub fn site(&self, id: SiteId) -> &Site {
        &self.sites[id.0 as usize]
    }

    /// The region of a site: its own, or its supervising customs'.
    pub fn region_of(&self, id: SiteId) -> Option<RegionId> {
        let site = self.site(id);
        site.region
            .or_else(|| site.customs.and_then(|c| self.site(c).region))
    }

    /// The customs a stream declares to: its home customs where the mode
    /// uses one, else the port's supervising customs.
    pub fn declaring_customs(&self, stream: &Stream) -> Option<SiteId> {
        if stream.mode.needs_home() {
            stream.home
        } else {
            self.site(stream.port).customs
        }
    }

    /// The `key=value` groups a stream's consignments are counted in, besides
    /// `all` and `stream=`: its mode, its port, the declaring customs and
    /// that customs' region (the port's region when it has none).
    pub fn stream_groups(&self, stream: &Stream) -> Vec<String> {
        let mut g = vec![format!("mode={}", stream.mode.name())];
        let customs = self.declaring_customs(stream);
        let region = customs
            .and_then(|c| self.region_of(c))
            .or_else(|| self.region_of(stream.port));
        if let Some(r) = region {
            g.push(format!("region={}", self.regions[r.0 as usize].id));
        }
        g.push(format!("port={}", self.site(stream.port).id));
        if let Some(c) = customs {
            g.push(format!("customs={}", self.site(c).id));
        }
        g
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
