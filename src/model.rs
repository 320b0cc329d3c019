//! The customs world as typed, checked values: sites (ports and customs),
//! resource pools, the activities performed at each site, demand streams and
//! the clearance routes they follow, and the inspection policy.
//!
//! A `Model` is built by the scenario layer and is immutable during a run;
//! it knows nothing about files, threads or output formats.

pub mod customs;
pub mod party;
pub mod route;
mod screening;
pub mod supervision;

use crate::engine::{ArrivalProcess, Dist, WorkingHours};
pub use customs::{Channel, CreditClass, Targeting, TaxRule, TaxTiming, Truth};
pub use party::Party;
pub use route::{Condition, Mode, Route, RouteContext, RouteStep, StepKind};
pub use supervision::{Decider, Supervision, SupervisionOverride};

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
    /// A tax collection and management centre: document (tax) review of
    /// the declarations of its goods categories, whatever the port.
    TaxCentre,
    /// A territorial (inland) customs office.
    Customs,
}

impl SiteKind {
    pub const ALL: [(&'static str, SiteKind); 10] = [
        ("sea_port", SiteKind::SeaPort),
        ("air_port", SiteKind::AirPort),
        ("land_port", SiteKind::LandPort),
        ("rail_port", SiteKind::RailPort),
        ("postal_hub", SiteKind::PostalHub),
        ("ecommerce_site", SiteKind::EcommerceSite),
        ("clearance_centre", SiteKind::ClearanceCentre),
        ("bonded_zone", SiteKind::BondedZone),
        ("customs", SiteKind::Customs),
        ("tax_centre", SiteKind::TaxCentre),
    ];

    pub fn parse(s: &str) -> Option<SiteKind> {
        Self::ALL.iter().find(|(n, _)| *n == s).map(|(_, k)| *k)
    }

    /// Whether goods can enter the country here (a stream may arrive here).
    pub fn is_entry_point(self) -> bool {
        !matches!(
            self,
            SiteKind::Customs | SiteKind::ClearanceCentre | SiteKind::TaxCentre
        )
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
    /// The supervision rules this customs (or port) sets for itself where
    /// integration is not in force (a port's are laid over its
    /// customs').
    pub supervision: SupervisionOverride,
    /// For a tax centre: the goods categories whose declarations it
    /// reviews.
    pub categories: Vec<String>,
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
    /// The region's uniform rules once integrated (over `[policy]`).
    pub supervision: SupervisionOverride,
    /// How much pooling the region's data raises its risk model's
    /// discrimination (`None`: the policy's `pooled_data_gain`).
    pub pooled_data_gain: Option<f64>,
}

/// Supervised road or rail transport from a port to an inland customs.
#[derive(Clone, Debug)]
pub struct Link {
    pub from: SiteId,
    pub to: SiteId,
    /// The transport activity (step kind `Transport`).
    pub activity: ActivityId,
}

/// The rules of goods moving under customs seal on a link, besides its
/// diversion share.
#[derive(Clone, Debug)]
pub struct Transit {
    /// The transit must arrive within this time of setting off `[h]`; an
    /// overdue load is examined on arrival.
    pub time_limit: f64,
    /// The extra time a diverted load takes, to swap its goods for a decoy
    /// `[h]`.
    pub diversion_delay: Option<Dist>,
    /// The guarantee lodged for the transit, as a share of the goods' tax:
    /// forfeited when a diversion is found.
    pub bond_share: f64,
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
    /// For inspections and scans: the probability that non-compliance of
    /// the kinds the step can see is found; for reviews, likewise for
    /// documentary non-compliance. Unused for other steps.
    pub detection: f64,
    /// For scans: the share of this site's inspections done by scanner.
    pub scan_share: f64,
    /// Other pools the step may draw on besides `pool`: a regional
    /// centre's review pooling the officers of the region's customs
    /// (`regions.pooled_reviewers`). Each consignment joins the one that
    /// can serve it soonest (see `sim`).
    pub pooled_with: Vec<PoolId>,
    /// For transport under seal: the share of loads whose goods are
    /// diverted en route (`links.diversion_share`).
    pub diversion: f64,
    /// For transport under seal: its time limit, a diversion's detour and
    /// the guarantee (see [`Transit`]).
    pub transit: Option<Transit>,
    /// For scans: in-line X-ray that every consignment through the site
    /// passes (parcel sorting lines); screening then targets manual
    /// opening.
    pub in_line: bool,
    /// Who the step's time belongs to (Time Release Study attribution).
    pub party: Party,
    /// For a port's discharge: ship-side direct pick-up, the time from the
    /// means of transport's arrival until a box booked for it is lifted
    /// straight onto its truck (none: the port does not offer it).
    pub direct_pickup: Option<Dist>,
}

impl Activity {
    /// Every pool the step may be served by: its own, then the pooled ones.
    pub fn pools(&self) -> impl Iterator<Item = PoolId> + '_ {
        self.pool.iter().chain(&self.pooled_with).copied()
    }
}

/// A demand stream: consignments arriving at one entry port.
#[derive(Clone, Debug)]
pub struct Stream {
    pub id: String,
    pub port: SiteId,
    pub mode: Mode,
    pub channel: Channel,
    /// The importer's home (territorial) customs, for modes that use it.
    pub home: Option<SiteId>,
    pub arrivals: ArrivalProcess,
    /// Share of consignments from each credit class, by [`CreditClass::index`].
    pub credit_mix: [f64; 3],
    /// Non-compliance prevalences for importers of general credit.
    pub truth: Truth,
    /// True customs value of a consignment `[yuan]`.
    pub value: Dist,
    pub tax: TaxRule,
    /// Risk-score separation d' of this stream's data (see
    /// [`Channel::default_data_quality`]).
    pub data_quality: f64,
    /// Share of declarations lodged before the goods arrive.
    pub advance_share: f64,
    /// How long before the goods arrive an advance declaration is lodged
    /// `[h]`: screening, review and tax proceed in that time (pre-arrival
    /// processing); steps that need the goods wait for them.
    pub advance_lead: Dist,
    /// Share of consignments whose goods need a supervision certificate
    /// (licence, quarantine permit) from another agency before lodgement.
    pub certificate_share: f64,
    /// Share of consignments whose goods need a laboratory test of samples
    /// (ores, some foods and chemicals).
    pub lab_test_share: f64,
    /// Share of importers who book ship-side direct pick-up (used when
    /// their declaration was lodged in advance, nothing was ordered for
    /// inspection and customs released the goods before they reach the
    /// yard).
    pub direct_pickup_share: f64,
    /// Share using two-step declaration (a summary declaration first).
    pub two_step_share: f64,
    /// Lodgement time of a two-step summary declaration, as a share of the
    /// full lodgement time.
    pub two_step_factor: f64,
    /// Cross-border e-commerce: the share of inventory lists whose three
    /// orders (order, payment, logistics) fail to match and are rejected at
    /// lodgement, and the rework before resubmission `[h]`.
    pub order_mismatch: Option<(f64, Dist)>,
    /// Postal articles: the value limit of a personal article, where the
    /// file applies it.
    pub postal_limit: Option<PostalLimit>,
    /// Cross-border e-commerce retail: each buyer's yearly limit, where
    /// the file applies it.
    pub annual_limit: Option<AnnualLimit>,
    /// The goods category (e.g. "machinery"), which decides the tax centre
    /// that reviews its declarations under `policy.tax_review_by_category`.
    pub category: Option<String>,
    /// The tax centre that reviews its declarations, if any.
    pub tax_centre: Option<SiteId>,
    /// Bonded import (1210): the stock in the bonded zone its orders are
    /// filled from (see [`BondedStock`]).
    pub stock: Option<BondedStock>,
    /// For a stream whose goods enter a bonded zone as stock: the stream
    /// (as written) whose orders its releases restock.
    pub restocks: Option<u32>,
    pub route: Route,
    /// Screening parameters per credit class, derived from the above and the
    /// policy by [`Model::prepare_screening`].
    pub screening: [ClassScreening; 3],
    /// Share of this stream's inspections done by scanner (from its route's
    /// scan step).
    pub scan_share: f64,
    /// The named peaks of its arrivals (for charts; the arrival process
    /// holds the multipliers).
    pub peak_periods: Vec<PeakPeriod>,
    /// Whose rules screen this stream, and the rules themselves (set by
    /// [`Model::prepare_screening`]).
    pub decider: Decider,
    pub rules: Supervision,
    /// The rules of its document (tax) review: its decider's, or its tax
    /// centre's (one rulebook per goods category, nationwide).
    pub review_rules: Supervision,
    /// Choice of entry port (see [`Choice`]).
    pub choice: Choice,
}

/// Where an importer who could reach several entry ports, or use several
/// clearance modes, sends its goods.
///
/// A stream with `alternative_ports` or `alternative_modes` is split into
/// one model stream per reachable (port, mode) option: the first (the
/// stream as written) draws the arrivals; the others, generated at
/// validation, share its id and attributes, have their own port, mode and
/// route, and receive only the consignments sent to them. Compliant
/// importers keep to their usual option (where their logistics and
/// habits are); a share `arbitrage_share` of the non-compliant ones go
/// where their kind of non-compliance is least likely to be caught:
/// regulatory arbitrage, the "blind spots" of uneven local supervision.
/// An importer only ever considers the options whose mode is open to its
/// credit class (see [`Model::options_for`]).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Choice {
    /// For a generated alternative: the stream that draws its arrivals.
    pub parent: Option<u32>,
    /// For the stream as written: its generated alternatives (other ports
    /// under its mode first, then its alternative modes at every port).
    pub alternatives: Vec<u32>,
    /// Share of non-compliant importers who seek the laxest reachable port.
    pub arbitrage_share: f64,
    /// Share of importers (of those not arbitraging) who send their goods
    /// to the reachable port with the shortest expected clearance time.
    pub time_share: f64,
    /// The weight of the newest release in the brokers' running estimate
    /// of a port's clearance time (an exponentially weighted mean).
    pub learning: f64,
    /// The clearance time expected before anything has been observed `[h]`:
    /// the route's mean step times without queueing (set by
    /// [`Model::prepare_screening`]).
    pub prior_h: f64,
    /// Per credit class and kind of non-compliance
    /// ([`customs::NonCompliance::index`]):
    /// the stream (self or an alternative) such an importer chooses when it
    /// arbitrages (set by [`Model::prepare_screening`]).
    pub laxest: [[u32; 3]; 3],
    /// Expected share of the parent's arrivals that come here (1 for a
    /// stream without alternatives), for offered-load estimates.
    pub demand_share: f64,
    /// Per credit class: the stream its importers use, self where the
    /// stream's mode is open to the class, else a generated stream under
    /// the mode they fall back to (see [`Mode::open_to`]).
    pub by_credit: [u32; 3],
    /// For the stream as written: its generated fallback streams.
    pub fallbacks: Vec<u32>,
}

/// The postal value limit of personal articles from abroad: over `limit`
/// (unless a single indivisible item) an article is held until its
/// recipient declares it formally as goods, which takes `rework`, and pays
/// general-trade tax.
#[derive(Clone, Debug)]
pub struct PostalLimit {
    /// `[yuan]`
    pub limit: f64,
    /// Share of over-limit articles that are a single indivisible item
    /// (cleared as personal articles all the same).
    pub indivisible: f64,
    /// The recipient's time to declare the article formally `[h]`.
    pub rework: Dist,
}

/// The yearly limit on a buyer's cross-border e-commerce retail purchases
/// (26,000 yuan since 1 January 2019). The customs system keeps each
/// buyer's running total for the calendar year; an order that would take
/// it over the limit cannot clear as e-commerce retail: it is held, its
/// buyer re-declares it as general trade (`rework`), and general-trade tax
/// applies. Orders within the limit add their value to the total.
#[derive(Clone, Debug)]
pub struct AnnualLimit {
    /// `[yuan]`
    pub limit: f64,
    /// Distinct buyers of the stream; each order is placed by one of them,
    /// drawn uniformly.
    pub buyers: u32,
    /// A buyer's purchases earlier in the year, before the run starts
    /// `[yuan]` (drawn when the buyer first orders; `None` for none).
    pub spent_before: Option<Dist>,
    /// The buyer's time to re-declare an over-limit order as general trade
    /// `[h]`.
    pub rework: Dist,
    /// When each new calendar year begins within the horizon `[h from
    /// start]`: every buyer's total starts again from zero.
    pub new_years: Vec<f64>,
}

/// Bonded import (1210) works from stock: goods enter the bonded zone in
/// bulk, declared and cleared into it ahead of the orders they serve, and
/// each consumer order is filled from that stock. An order that finds the
/// shelf empty waits for the next bulk entry to clear.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BondedStock {
    /// Units on the shelf at the start.
    pub initial: u64,
    /// Units each released bulk entry adds.
    pub units_per_entry: u64,
}

/// A named period of raised demand, such as Double 11 `[h from start]`.
#[derive(Clone, Debug, PartialEq)]
pub struct PeakPeriod {
    pub name: String,
    pub from: f64,
    pub until: f64,
}

/// How screening treats one credit class of one stream.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ClassScreening {
    /// Non-compliance prevalences of the class.
    pub truth: Truth,
    /// Physical inspection, decided on the security score.
    pub inspection: Selection,
    /// Document review, decided on the tax score.
    pub review: Selection,
}

/// How one check selects consignments of one credit class.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Selection {
    /// Random targeting: the probability of selection.
    pub probability: f64,
    /// Risk-based targeting: the class's multiplier (shifts the score by its
    /// logarithm) and the stream's score threshold.
    pub credit_multiplier: f64,
    pub threshold: f64,
}

/// Risk-screening outcomes: the probabilities that screening sends a
/// consignment to document review and to physical inspection.
#[derive(Clone, Debug)]
pub struct Policy {
    pub review_rate: f64,
    pub inspection_rate: f64,
    pub targeting: Targeting,
    /// Inspection multipliers by credit class (advanced, general,
    /// discredited): how much more often a class is picked.
    pub credit_inspection: [f64; 3],
    /// Review multipliers by credit class: AEO importers' declarations are
    /// reviewed less often.
    pub credit_review: [f64; 3],
    /// The default risk model's discrimination (see
    /// [`Supervision::discrimination`]).
    pub discrimination: f64,
    /// Multiplier on discrimination where integration pools the data of
    /// several customs into one risk profile.
    pub pooled_data_gain: f64,
    /// AEO (advanced-certified) importers go ahead of the others in every
    /// queue (non-preemptive priority).
    pub aeo_priority: bool,
    /// Importers may use a clearance mode only if their credit class is
    /// eligible for it ([`Mode::open_to`]).
    pub mode_eligibility: bool,
    /// Non-compliance multipliers by credit class.
    pub credit_risk: [f64; 3],
    pub tax_timing: TaxTiming,
    /// Delay from release to the post-release review's outcome `[h]`.
    pub audit_delay: Dist,
    /// Probability that a post-release review finds documentary
    /// non-compliance (undervaluation, misclassification).
    pub audit_detection: f64,
    /// Post-release reviews are done by the reviewers who would have
    /// reviewed the declaration before release, after all pre-release work
    /// (see `docs/model.md`); false: they take no officer time.
    pub audit_by_reviewers: bool,
    /// "First release, then inspect" (GACC, October 2018, for ores): goods
    /// whose samples go to the laboratory are released after the on-site
    /// inspection, and the laboratory test follows release.
    pub lab_after_release: bool,
    /// Share of importers who sell or use goods released under "first
    /// release, then inspect" before the laboratory's certificate, against
    /// the rule: a failed test can no longer recall them.
    pub lab_release_breach: f64,
    /// Document review by goods category at the tax collection and
    /// management centres (GACC, 2017), instead of at each customs.
    pub tax_review_by_category: bool,
    /// Declared value of an undervalued consignment, as a share of the true.
    pub undervaluation_factor: f64,
    /// Tax rates of a misclassified consignment, as a share of the proper.
    pub misclassification_factor: f64,
}

impl Policy {
    /// The policy a minimal scenario gets: random targeting, every credit
    /// class alike, tax reviewed before release.
    pub fn basic(review_rate: f64, inspection_rate: f64) -> Self {
        Self {
            review_rate,
            inspection_rate,
            targeting: Targeting::Random,
            credit_inspection: [1.0; 3],
            credit_review: [1.0; 3],
            discrimination: 1.0,
            pooled_data_gain: 1.0,
            aeo_priority: false,
            mode_eligibility: false,
            credit_risk: [1.0; 3],
            tax_timing: TaxTiming::BeforeRelease,
            audit_delay: Dist::Deterministic { value: 720.0 },
            audit_detection: 0.8,
            audit_by_reviewers: true,
            lab_after_release: false,
            lab_release_breach: 0.0,
            tax_review_by_category: false,
            undervaluation_factor: 0.5,
            misclassification_factor: 0.5,
        }
    }

    /// The rules of the scenario as a whole: every decider's default.
    pub fn rules(&self) -> Supervision {
        Supervision {
            review_rate: self.review_rate,
            inspection_rate: self.inspection_rate,
            targeting: self.targeting,
            discrimination: self.discrimination,
        }
    }
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
    /// Nationwide integration: the whole country is one integrated region.
    pub nationwide: bool,
}

impl Model {
    /// The streams an importer of credit class `class` of written stream
    /// `s` can send its goods to: first its usual one (the stream itself,
    /// or the fallback its class uses where the mode is not open to it),
    /// then each alternative whose mode is open to the class.
    pub fn options_for(&self, s: u32, class: usize) -> impl Iterator<Item = u32> + '_ {
        let choice = &self.streams[s as usize].choice;
        let credit = CreditClass::ALL[class];
        std::iter::once(choice.by_credit[class]).chain(choice.alternatives.iter().copied().filter(
            move |&o| {
                !self.policy.mode_eligibility || self.streams[o as usize].mode.open_to(credit)
            },
        ))
    }

    pub fn activity(&self, id: ActivityId) -> &Activity {
        &self.activities[id.0 as usize]
    }

    /// Probability that a consignment of `stream` has the work of `step`
    /// of its route done, before or after release (seizures, which only
    /// shorten routes, are ignored): under "first release, then inspect"
    /// the laboratory still tests the samples, after release.
    pub fn step_probability(&self, stream: &Stream, step: &RouteStep) -> f64 {
        let rules = &stream.rules;
        match step.condition {
            Condition::Always => 1.0,
            Condition::FlaggedForReview => stream.review_rules.review_rate,
            Condition::FlaggedForInspection => rules.inspection_rate,
            Condition::FlaggedForScan => rules.inspection_rate * stream_scan_share(self, step),
            Condition::FlaggedForManual => {
                rules.inspection_rate * (1.0 - stream_scan_share(self, step))
            }
            Condition::NotFlaggedForInspection => 1.0 - rules.inspection_rate,
            Condition::NeedsCertificate => stream.certificate_share,
            Condition::NeedsLabTest => stream.lab_test_share,
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
        let mut g = vec![
            format!("mode={}", stream.mode.name()),
            format!("channel={}", stream.channel.name()),
        ];
        let customs = self.declaring_customs(stream);
        let region = customs
            .and_then(|c| self.region_of(c))
            .or_else(|| self.region_of(stream.port));
        if let Some(r) = region {
            g.push(format!("region={}", self.regions[r.0 as usize].id));
        }
        // Region × mode cells, for the heat map of release times.
        if let Some(r) = region.filter(|_| self.regions.len() > 1) {
            g.push(format!(
                "region_mode={}/{}",
                self.regions[r.0 as usize].id,
                stream.mode.name()
            ));
        }
        g.push(format!("port={}", self.site(stream.port).id));
        if let Some(c) = customs {
            g.push(format!("customs={}", self.site(c).id));
        }
        g
    }

    /// Every consignment group a run of this model reports: `all`, each
    /// stream's (when there are several), its mode, channel, region, port
    /// and customs groups, and the credit classes.
    pub fn group_names(&self) -> Vec<String> {
        let mut out = vec!["all".to_string()];
        let written = self
            .streams
            .iter()
            .filter(|s| s.choice.parent.is_none())
            .count();
        for s in &self.streams {
            let own = (written > 1).then(|| format!("stream={}", s.id));
            for g in own.into_iter().chain(self.stream_groups(s)) {
                if !out.contains(&g) {
                    out.push(g);
                }
            }
        }
        out.extend(CreditClass::ALL.map(|c| format!("credit={}", c.name())));
        out
    }

    /// Every stream's named peaks in time order, overlapping periods of the
    /// same name merged (Double 11 lands on different days for parcels
    /// from bonded stock, from overseas and by post: one band on a chart).
    pub fn peak_periods(&self) -> Vec<PeakPeriod> {
        let mut all: Vec<PeakPeriod> = self
            .streams
            .iter()
            .flat_map(|s| s.peak_periods.iter().cloned())
            .collect();
        all.sort_by(|a, b| a.name.cmp(&b.name).then(a.from.total_cmp(&b.from)));
        let mut out: Vec<PeakPeriod> = Vec::new();
        for p in all {
            match out.last_mut() {
                Some(last) if last.name == p.name && p.from <= last.until => {
                    last.until = last.until.max(p.until);
                }
                _ => out.push(p),
            }
        }
        out.sort_by(|a, b| a.from.total_cmp(&b.from).then_with(|| a.name.cmp(&b.name)));
        out
    }

    /// Long-run offered load on each pool: arrival rate × probability ×
    /// mean duration, in busy servers (Erlangs), averaged over a week.
    pub fn offered_load(&self) -> Vec<f64> {
        self.load_at(|s| s.arrivals.mean_weekly_rate())
    }

    /// Offered load on each pool over `[from, until)` [busy servers]: each
    /// stream's mean arrival rate over the period, peaks included.
    pub fn offered_load_between(&self, from: f64, until: f64) -> Vec<f64> {
        let span = until - from;
        self.load_at(|s| {
            let n = s.arrivals.expected_count(until) - s.arrivals.expected_count(from);
            if span > 0.0 { n / span } else { 0.0 }
        })
    }

    /// Offered load on each pool when each stream arrives at `rate(stream)`
    /// (before its demand share) [busy servers].
    fn load_at(&self, rate: impl Fn(&Stream) -> f64) -> Vec<f64> {
        let mut load = vec![0.0; self.pools.len()];
        for s in &self.streams {
            let rate = rate(s) * s.choice.demand_share;
            for step in &s.route.steps {
                let a = self.activity(step.activity);
                let busy = rate * self.step_probability(s, step) * a.duration.mean();
                // A pooled step's load is spread over its pools by capacity
                // (an estimate, for the capacity warning only).
                let capacity: f64 = a
                    .pools()
                    .map(|p| self.pools[p.0 as usize].capacity as f64)
                    .sum();
                for p in a.pools() {
                    let share = self.pools[p.0 as usize].capacity as f64 / capacity;
                    load[p.0 as usize] += busy * if capacity > 0.0 { share } else { 1.0 };
                }
            }
        }
        load
    }
}

/// The scan share of the site where `step` (a scan or manual inspection)
/// happens.
fn stream_scan_share(model: &Model, step: &RouteStep) -> f64 {
    let site = model.activity(step.activity).site;
    let scan = model.site(site).activities[StepKind::Scan.index()];
    model.activity(scan).scan_share
}
