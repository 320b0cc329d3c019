//! The serde mirror of the scenario file. Every table denies unknown keys;
//! values keep their raw types (signed integers, unchecked floats) so that
//! validation can say precisely what is wrong with them.
//!
//! The same types derive the JSON Schema that `clearsim schema` prints
//! (`docs/scenario.schema.json`), so the schema editors check against
//! cannot drift from what the reader accepts. Source positions
//! (`Spanned`) are invisible in the file, so the schema sees through them.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Deserialize;
use toml::Spanned;
use toml::value::Datetime;

mod names;
use names::{
    ChannelName, DistName, ExperimentKindName, LabTestTimingName, ModeName, PartyName,
    SiteKindName, TargetingName, TaxReviewName, TaxTimingName, WeekdayName,
};

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Scenario")]
pub struct RawScenario {
    /// Required: free text that titles the report; the output folder is
    /// output/<name> (other characters as _).
    #[schemars(with = "Option<String>")]
    pub name: Option<Spanned<String>>,
    /// Free text describing the scenario.
    #[schemars(with = "Option<String>")]
    pub description: Option<Spanned<String>>,
    /// Master seed of the random streams (default 1).
    #[schemars(with = "Option<i64>")]
    pub seed: Option<Spanned<i64>>,
    /// Independent replications (default 10).
    #[schemars(with = "Option<i64>")]
    pub replications: Option<Spanned<i64>>,
    /// Simulated time [days] (or horizon_h; one of them is required).
    #[schemars(with = "Option<f64>")]
    pub horizon_days: Option<Spanned<f64>>,
    /// Simulated time [h] (or horizon_days).
    #[schemars(with = "Option<f64>")]
    pub horizon_h: Option<Spanned<f64>>,
    /// Statistics are discarded before this [days] (or warmup_h; default 0).
    #[schemars(with = "Option<f64>")]
    pub warmup_days: Option<Spanned<f64>>,
    /// Statistics are discarded before this [h] (or warmup_days; default 0).
    #[schemars(with = "Option<f64>")]
    pub warmup_h: Option<Spanned<f64>>,
    /// Optional: the date of hour 0; sets the weekday and lets peaks use dates.
    #[schemars(with = "Option<TomlDatetime>")]
    pub start_date: Option<Spanned<Datetime>>,
    /// Multiplies every stream's rate and every full_scale_capacity (default
    /// 1).
    #[schemars(with = "Option<f64>")]
    pub volume_scale: Option<Spanned<f64>>,
    /// true: the whole country acts as one integrated region (default false).
    pub nationwide: Option<bool>,
    /// The centre reviewing for a nationwide run (a clearance_centre site).
    #[schemars(with = "Option<String>")]
    pub national_centre: Option<Spanned<String>>,
    /// Risk screening and tax; review_rate and inspection_rate are required.
    #[schemars(with = "Option<RawPolicy>")]
    pub policy: Option<Spanned<RawPolicy>>,
    /// Optional: the study `clearsim run FILE` carries out.
    #[schemars(with = "Option<RawExperiment>")]
    pub experiment: Option<Spanned<RawExperiment>>,
    /// Working hours by name; "7x24" (always open) is built in.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, RawCalendar>")]
    pub calendars: BTreeMap<String, Spanned<RawCalendar>>,
    /// Optional: integrated clearance regions.
    #[serde(default)]
    #[schemars(with = "Vec<RawRegion>")]
    pub regions: Vec<Spanned<RawRegion>>,
    /// Ports, customs offices, centres and zones.
    #[serde(default)]
    #[schemars(with = "Vec<RawSite>")]
    pub sites: Vec<Spanned<RawSite>>,
    /// Supervised transport, port to inland customs.
    #[serde(default)]
    #[schemars(with = "Vec<RawLink>")]
    pub links: Vec<Spanned<RawLink>>,
    /// Pools of servers (officers, teams, scanners) at sites.
    #[serde(default)]
    #[schemars(with = "Vec<RawResource>")]
    pub resources: Vec<Spanned<RawResource>>,
    /// Demand: arrival streams of consignments.
    #[serde(default)]
    #[schemars(with = "Vec<RawStream>")]
    pub streams: Vec<Spanned<RawStream>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Policy")]
pub struct RawPolicy {
    /// Share of declarations sent to document review (required).
    #[schemars(with = "Option<f64>")]
    pub review_rate: Option<Spanned<f64>>,
    /// Share sent to physical inspection (required).
    #[schemars(with = "Option<f64>")]
    pub inspection_rate: Option<Spanned<f64>>,
    /// Optional: one clearance mode for every stream.
    #[schemars(with = "Option<ModeName>")]
    pub mode: Option<Spanned<String>>,
    /// How declarations are picked for review and inspection (default random).
    #[schemars(with = "Option<TargetingName>")]
    pub targeting: Option<Spanned<String>>,
    /// Inspection multipliers by credit class (default 0.2, 1, 10).
    #[schemars(with = "Option<RawCredit>")]
    pub credit_inspection: Option<Spanned<RawCredit>>,
    /// Non-compliance multipliers by credit class.
    #[schemars(with = "Option<RawCredit>")]
    pub credit_risk: Option<Spanned<RawCredit>>,
    /// before_release: "first review, then release" (default); after_release:
    /// review after release.
    #[schemars(with = "Option<TaxTimingName>")]
    pub tax_timing: Option<Spanned<String>>,
    /// Release to the start of the post-release review [h] (its outcome, when
    /// unstaffed).
    #[schemars(with = "Option<RawDist>")]
    pub audit_delay: Option<Spanned<RawDist>>,
    /// Share of documentary non-compliance a post-release review finds.
    #[schemars(with = "Option<f64>")]
    pub audit_detection: Option<Spanned<f64>>,
    /// Post-release reviews use the review step's reviewers, after all
    /// pre-release work (default true; false: no officer time).
    #[schemars(with = "Option<bool>")]
    pub audit_by_reviewers: Option<Spanned<bool>>,
    /// after_release: "first release, then inspect" (ores, 2018): the lab_test
    /// step follows release (default before_release).
    #[schemars(with = "Option<LabTestTimingName>")]
    pub lab_test_timing: Option<Spanned<String>>,
    /// Share of importers who sell before the lab's certificate: their findings
    /// can no longer be recalled (default 0).
    #[schemars(with = "Option<f64>")]
    pub lab_release_breach: Option<Spanned<f64>>,
    /// by_category: general-trade review at the tax_centre of the stream's
    /// category, by the centre's rules (default local).
    #[schemars(with = "Option<TaxReviewName>")]
    pub tax_review: Option<Spanned<String>>,
    /// Declared / true value of an undervalued consignment.
    #[schemars(with = "Option<f64>")]
    pub undervaluation_factor: Option<Spanned<f64>>,
    /// Declared / proper tax rate of a misclassified consignment.
    #[schemars(with = "Option<f64>")]
    pub misclassification_factor: Option<Spanned<f64>>,
    /// Review multipliers by credit class (default 0.2, 1, 10).
    #[schemars(with = "Option<RawCredit>")]
    pub credit_review: Option<Spanned<RawCredit>>,
    /// Risk model: multiplies each stream's separation d' (default 1).
    #[schemars(with = "Option<f64>")]
    pub discrimination: Option<Spanned<f64>>,
    /// Integrated regions' risk model: d' times this (default 1: no gain).
    #[schemars(with = "Option<f64>")]
    pub pooled_data_gain: Option<Spanned<f64>>,
    /// AEO importers go first in every queue (default true).
    pub aeo_priority: Option<bool>,
    /// Territorial modes only for eligible credit classes (default true).
    pub mode_eligibility: Option<bool>,
}

/// A customs', a port's or a region's own supervision rules; what is left
/// out comes from `[policy]`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Supervision")]
pub struct RawSupervision {
    /// Share sent to document review under these rules.
    #[schemars(with = "Option<f64>")]
    pub review_rate: Option<Spanned<f64>>,
    /// Share sent to physical inspection under these rules.
    #[schemars(with = "Option<f64>")]
    pub inspection_rate: Option<Spanned<f64>>,
    /// How declarations are picked under these rules.
    #[schemars(with = "Option<TargetingName>")]
    pub targeting: Option<Spanned<String>>,
    /// Multiplies the streams' separation d' under these rules.
    #[schemars(with = "Option<f64>")]
    pub discrimination: Option<Spanned<f64>>,
}

/// A study the file describes: `clearsim run FILE` carries it out.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Experiment")]
pub struct RawExperiment {
    /// The study: compare modes, sweep settings, plan a capacity or attribute a
    /// reform ladder.
    #[schemars(with = "Option<ExperimentKindName>")]
    pub kind: Option<Spanned<String>>,
    /// compare: "all" or a comma-separated list of clearance modes.
    #[schemars(with = "Option<String>")]
    pub modes: Option<Spanned<String>>,
    /// compare: the mode the others are measured against.
    #[schemars(with = "Option<ModeName>")]
    pub baseline: Option<Spanned<String>>,
    /// sweep: settings as PATH=VALUES (as `--set`), one grid axis each.
    #[schemars(with = "Option<Vec<String>>")]
    pub set: Option<Spanned<Vec<String>>>,
    /// plan: the resource whose capacity is planned.
    #[schemars(with = "Option<String>")]
    pub resource: Option<Spanned<String>>,
    /// plan: the target, METRIC<=VALUE.
    #[schemars(with = "Option<String>")]
    pub target: Option<Spanned<String>>,
    /// plan: the group the target metric is read in (default all, or the
    /// resource for per-resource metrics).
    #[schemars(with = "Option<String>")]
    pub within: Option<Spanned<String>>,
    /// plan: the largest capacity tried.
    #[schemars(with = "Option<i64>")]
    pub max: Option<Spanned<i64>>,
    /// ladder: the metric attributed (default overall_clearance_time_mean_h).
    #[schemars(with = "Option<String>")]
    pub metric: Option<Spanned<String>>,
    /// ladder: several metrics attributed.
    #[schemars(with = "Option<Vec<String>>")]
    pub metrics: Option<Spanned<Vec<String>>>,
    /// ladder: the group the metric is read in (default all).
    #[schemars(with = "Option<String>")]
    pub group: Option<Spanned<String>>,
    /// ladder: the reforms, in the order they took effect.
    #[schemars(with = "Option<Vec<RawReform>>")]
    pub reforms: Option<Vec<Spanned<RawReform>>>,
}

/// One rung of a reform ladder.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Reform")]
pub struct RawReform {
    /// The reform, as it is known.
    #[schemars(with = "Option<String>")]
    pub name: Option<Spanned<String>>,
    /// When it took effect (YYYY-MM), in ladder order.
    #[schemars(with = "Option<String>")]
    pub date: Option<Spanned<String>>,
    /// Where its figures come from.
    #[schemars(with = "Option<String>")]
    pub source: Option<Spanned<String>>,
    /// What it changes: settings as PATH=VALUE.
    #[schemars(with = "Option<Vec<String>>")]
    pub set: Option<Spanned<Vec<String>>>,
}

/// One number per credit class.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Credit")]
pub struct RawCredit {
    /// Advanced-certified (AEO) importers.
    pub advanced: Option<f64>,
    /// General-credit importers.
    pub general: Option<f64>,
    /// Discredited importers.
    pub discredited: Option<f64>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Region")]
pub struct RawRegion {
    /// The region id (sites name it in `region`).
    #[schemars(with = "Option<String>")]
    pub id: Option<Spanned<String>>,
    /// Free-text name.
    #[schemars(with = "Option<String>")]
    pub name: Option<Spanned<String>>,
    /// Integration in force (default true).
    pub integrated: Option<bool>,
    /// Its clearance_centre site (for regional_integration).
    #[schemars(with = "Option<String>")]
    pub centre: Option<Spanned<String>>,
    /// Delay between non-integrated customs [h].
    #[schemars(with = "Option<RawDist>")]
    pub coordination_delay: Option<Spanned<RawDist>>,
    /// Optional: the region's uniform rules once integrated (same keys as a
    /// site's supervision).
    #[schemars(with = "Option<RawSupervision>")]
    pub supervision: Option<Spanned<RawSupervision>>,
    /// Optional: this region's risk-model gain (default the policy's).
    #[schemars(with = "Option<f64>")]
    pub pooled_data_gain: Option<Spanned<f64>>,
    /// Optional: review pools of the region's sites that its centre shares out
    /// (regional_integration).
    #[schemars(with = "Option<Vec<String>>")]
    pub pooled_reviewers: Option<Spanned<Vec<String>>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Link")]
pub struct RawLink {
    /// The site the load leaves (a port).
    #[schemars(with = "Option<String>")]
    pub from: Option<Spanned<String>>,
    /// The customs it goes to.
    #[schemars(with = "Option<String>")]
    pub to: Option<Spanned<String>>,
    /// Travel time [h].
    #[schemars(with = "Option<RawDist>")]
    pub duration: Option<Spanned<RawDist>>,
    /// Share of loads diverted under seal (default 0); the arrival_confirmation
    /// step's detection_probability finds them.
    #[schemars(with = "Option<f64>")]
    pub diversion_share: Option<Spanned<f64>>,
    /// Optional: a load arriving later is examined (a diversion cannot pass; an
    /// honest one is inspected at the destination).
    #[schemars(with = "Option<f64>")]
    pub time_limit_h: Option<Spanned<f64>>,
    /// Optional: a diverted load's detour [h].
    #[schemars(with = "Option<RawDist>")]
    pub diversion_delay: Option<Spanned<RawDist>>,
    /// Optional: the transit guarantee as a share of the goods' tax, forfeited
    /// when a diversion is found (default 0).
    #[schemars(with = "Option<f64>")]
    pub bond_share: Option<Spanned<f64>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Calendar")]
pub struct RawCalendar {
    /// Open days.
    #[schemars(with = "Option<Vec<WeekdayName>>")]
    pub days: Option<Spanned<Vec<String>>>,
    /// Open hours as [start, end) pairs of whole hours.
    #[schemars(with = "Option<Vec<Vec<i64>>>")]
    pub hours: Option<Spanned<Vec<Vec<i64>>>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Site")]
pub struct RawSite {
    /// The site id (resources, streams and links name it).
    #[schemars(with = "Option<String>")]
    pub id: Option<Spanned<String>>,
    /// Free-text name.
    #[schemars(with = "Option<String>")]
    pub name: Option<Spanned<String>>,
    /// What the site is.
    #[schemars(with = "Option<SiteKindName>")]
    pub kind: Option<Spanned<String>>,
    /// Optional: a region id (ports default to their customs').
    #[schemars(with = "Option<String>")]
    pub region: Option<Spanned<String>>,
    /// Optional: the supervising customs (a `customs` site).
    #[schemars(with = "Option<String>")]
    pub customs: Option<Spanned<String>>,
    /// Optional: default working hours of the site's resources.
    #[schemars(with = "Option<String>")]
    pub calendar: Option<Spanned<String>>,
    /// The steps done at this site, each with its resource and duration.
    pub steps: Option<RawSteps>,
    /// Optional: this customs' (or port's) own rules where integration is not
    /// in force; the rest from [policy].
    #[schemars(with = "Option<RawSupervision>")]
    pub supervision: Option<Spanned<RawSupervision>>,
    /// tax_centre only: the goods categories it reviews (tax_review =
    /// "by_category").
    #[schemars(with = "Option<Vec<String>>")]
    pub categories: Option<Spanned<Vec<String>>>,
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Steps")]
pub struct RawSteps {
    /// Lodging the declaration.
    #[schemars(with = "Option<RawStep>")]
    pub lodgement: Option<Spanned<RawStep>>,
    /// Risk screening.
    #[schemars(with = "Option<RawStep>")]
    pub screening: Option<Spanned<RawStep>>,
    /// Document review (if flagged).
    #[schemars(with = "Option<RawStep>")]
    pub review: Option<Spanned<RawStep>>,
    /// Manual examination (if flagged).
    #[schemars(with = "Option<RawStep>")]
    pub inspection: Option<Spanned<RawStep>>,
    /// Non-intrusive inspection (scanner).
    #[schemars(with = "Option<RawStep>")]
    pub scan: Option<Spanned<RawStep>>,
    /// Duty assessment and payment.
    #[schemars(with = "Option<RawStep>")]
    pub tax: Option<Spanned<RawStep>>,
    /// Release.
    #[schemars(with = "Option<RawStep>")]
    pub release: Option<Spanned<RawStep>>,
    /// Sealing for customs transit.
    #[schemars(with = "Option<RawStep>")]
    pub sealing: Option<Spanned<RawStep>>,
    /// Confirming a transit load arrived.
    #[schemars(with = "Option<RawStep>")]
    pub arrival_confirmation: Option<Spanned<RawStep>>,
    /// Supervision certificates.
    #[schemars(with = "Option<RawStep>")]
    pub certificates: Option<Spanned<RawStep>>,
    /// On a port: arrival to goods available (no resource); steps needing the
    /// goods wait for it.
    #[schemars(with = "Option<RawStep>")]
    pub discharge: Option<Spanned<RawStep>>,
    /// Laboratory test of samples, after the inspection at this site.
    #[schemars(with = "Option<RawStep>")]
    pub lab_test: Option<Spanned<RawStep>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Step")]
pub struct RawStep {
    /// Optional: the pool the step holds (a resource of this site).
    #[schemars(with = "Option<String>")]
    pub resource: Option<Spanned<String>>,
    /// How long the step takes [h].
    #[schemars(with = "Option<RawDist>")]
    pub duration: Option<Spanned<RawDist>>,
    /// Chance the step finds non-compliance it looks for.
    #[schemars(with = "Option<f64>")]
    pub detection_probability: Option<Spanned<f64>>,
    /// scan: share of this site's inspections done by scanner.
    #[schemars(with = "Option<f64>")]
    pub share: Option<Spanned<f64>>,
    /// scan: every consignment passes the scanner, and screening targets manual
    /// opening.
    #[schemars(with = "Option<bool>")]
    pub in_line: Option<Spanned<bool>>,
    /// Optional: whose time it is (default by step, see docs/model.md).
    #[schemars(with = "Option<PartyName>")]
    pub party: Option<Spanned<String>>,
    /// discharge: ship-side pick-up time for boxes declared in advance, not
    /// inspected and released in time [h].
    #[schemars(with = "Option<RawDist>")]
    pub direct_pickup: Option<Spanned<RawDist>>,
}

/// A distribution: `dist` names the family, the other keys its parameters.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Dist")]
pub struct RawDist {
    /// The family.
    #[schemars(with = "Option<DistName>")]
    pub dist: Option<String>,
    /// Mean (exponential, lognormal, gamma, erlang).
    pub mean: Option<f64>,
    /// Standard deviation of the value itself (lognormal).
    pub sd: Option<f64>,
    /// The value (deterministic).
    pub value: Option<f64>,
    /// Least value (uniform, triangular).
    pub min: Option<f64>,
    /// Greatest value (uniform, triangular).
    pub max: Option<f64>,
    /// Most likely value (triangular).
    pub mode: Option<f64>,
    /// Shape (gamma).
    pub shape: Option<f64>,
    /// Phases (erlang).
    pub k: Option<i64>,
    /// The values (empirical).
    pub values: Option<Vec<f64>>,
    /// Optional weights of the values (empirical).
    pub weights: Option<Vec<f64>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Resource")]
pub struct RawResource {
    /// The resource id (steps name it).
    #[schemars(with = "Option<String>")]
    pub id: Option<Spanned<String>>,
    /// The site it works at.
    #[schemars(with = "Option<String>")]
    pub site: Option<Spanned<String>>,
    /// Servers: officers, teams, scanners.
    #[schemars(with = "Option<i64>")]
    pub capacity: Option<Spanned<i64>>,
    /// Or: servers at volume_scale = 1, times volume_scale, rounded, at least
    /// 1.
    #[schemars(with = "Option<i64>")]
    pub full_scale_capacity: Option<Spanned<i64>>,
    /// Working hours (default 7x24).
    #[schemars(with = "Option<String>")]
    pub calendar: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Stream")]
pub struct RawStream {
    /// The stream id.
    #[schemars(with = "Option<String>")]
    pub id: Option<Spanned<String>>,
    /// Entry site (not a customs or clearance_centre site).
    #[schemars(with = "Option<String>")]
    pub port: Option<Spanned<String>>,
    /// Clearance mode (default port_clearance; policy.mode overrides it for
    /// every stream).
    #[schemars(with = "Option<ModeName>")]
    pub mode: Option<Spanned<String>>,
    /// The importer's territorial customs (modes 2-5).
    #[schemars(with = "Option<String>")]
    pub home: Option<Spanned<String>>,
    /// Trade channel (default general_trade).
    #[schemars(with = "Option<ChannelName>")]
    pub channel: Option<Spanned<String>>,
    /// Mean arrival rate [per h] (or rate_per_day).
    #[schemars(with = "Option<f64>")]
    pub rate_per_h: Option<Spanned<f64>>,
    /// Mean arrival rate [per day] (or rate_per_h).
    #[schemars(with = "Option<f64>")]
    pub rate_per_day: Option<Spanned<f64>>,
    /// Optional: 24 rate multipliers, 00:00 first.
    #[schemars(with = "Option<Vec<f64>>")]
    pub hour_of_day: Option<Spanned<Vec<f64>>>,
    /// Optional: 7 rate multipliers, Monday first.
    #[schemars(with = "Option<Vec<f64>>")]
    pub day_of_week: Option<Spanned<Vec<f64>>>,
    /// Hidden truth for general credit: share of prohibited goods (exclusive
    /// shares, default 0).
    #[schemars(with = "Option<f64>")]
    pub prohibited_share: Option<Spanned<f64>>,
    /// Hidden truth: share undervalued.
    #[schemars(with = "Option<f64>")]
    pub undervalued_share: Option<Spanned<f64>>,
    /// Hidden truth: share misclassified.
    #[schemars(with = "Option<f64>")]
    pub misclassified_share: Option<Spanned<f64>>,
    /// Shares of importers by credit class (default all general).
    #[schemars(with = "Option<RawCredit>")]
    pub credit_mix: Option<Spanned<RawCredit>>,
    /// True value of a consignment [yuan].
    #[schemars(with = "Option<RawDist>")]
    pub value: Option<Spanned<RawDist>>,
    /// General trade duty (default 0.08).
    #[schemars(with = "Option<f64>")]
    pub duty_rate: Option<Spanned<f64>>,
    /// Postal articles tax rate (default 0.13).
    #[schemars(with = "Option<f64>")]
    pub postal_rate: Option<Spanned<f64>>,
    /// Risk-score separation d' (default by channel).
    #[schemars(with = "Option<f64>")]
    pub data_quality: Option<Spanned<f64>>,
    /// Share lodged before arrival.
    #[schemars(with = "Option<f64>")]
    pub advance_declaration_share: Option<Spanned<f64>>,
    /// How long before arrival [h] (default 0): screening, review and tax run
    /// before the goods arrive.
    #[schemars(with = "Option<RawDist>")]
    pub advance_lead: Option<Spanned<RawDist>>,
    /// Goods needing a supervision certificate (certificates step).
    #[schemars(with = "Option<f64>")]
    pub certificate_share: Option<Spanned<f64>>,
    /// Goods whose samples go to the laboratory (lab_test step).
    #[schemars(with = "Option<f64>")]
    pub lab_test_share: Option<Spanned<f64>>,
    /// Optional: goods category (its tax centre under tax_review =
    /// "by_category").
    #[schemars(with = "Option<String>")]
    pub category: Option<Spanned<String>>,
    /// bonded_1210 only: the stream whose released bulk entries fill its stock.
    #[schemars(with = "Option<String>")]
    pub stock_from: Option<Spanned<String>>,
    /// postal only: apply the 1,000-yuan limit; over it an article waits this
    /// long [h] for its recipient's formal declaration and pays general-trade
    /// tax.
    #[schemars(with = "Option<RawDist>")]
    pub postal_limit_rework: Option<Spanned<RawDist>>,
    /// The postal limit [yuan] (800 from Hong Kong, Macao and Taiwan).
    #[schemars(with = "Option<f64>")]
    pub postal_limit_yuan: Option<Spanned<f64>>,
    /// Over-limit articles that are one indivisible item (exempt).
    #[schemars(with = "Option<f64>")]
    pub indivisible_share: Option<Spanned<f64>>,
    /// 9610/1210 only: buyers, to apply the yearly limit per buyer.
    #[schemars(with = "Option<i64>")]
    pub buyers: Option<Spanned<i64>>,
    /// The yearly limit per buyer [yuan] (default 26,000 since 2019).
    #[schemars(with = "Option<f64>")]
    pub annual_limit_yuan: Option<Spanned<f64>>,
    /// A buyer's purchases earlier in the year [yuan].
    #[schemars(with = "Option<RawDist>")]
    pub spent_before: Option<Spanned<RawDist>>,
    /// An order over the yearly limit is held, re-declared as general trade
    /// (this long [h]) and taxed as goods.
    #[schemars(with = "Option<RawDist>")]
    pub annual_limit_rework: Option<Spanned<RawDist>>,
    /// bonded_1210: units each released bulk entry adds; orders take one each,
    /// or wait (stockouts).
    #[schemars(with = "Option<i64>")]
    pub units_per_entry: Option<Spanned<i64>>,
    /// Units on the shelf at the start (default 0).
    #[schemars(with = "Option<i64>")]
    pub initial_stock: Option<Spanned<i64>>,
    /// Advance declarants who book ship-side pick-up where the port offers it
    /// (its discharge step's direct_pickup).
    #[schemars(with = "Option<f64>")]
    pub direct_pickup_share: Option<Spanned<f64>>,
    /// Share using two-step declaration (summary first).
    #[schemars(with = "Option<f64>")]
    pub two_step_share: Option<Spanned<f64>>,
    /// The summary takes this share of the lodgement time.
    #[schemars(with = "Option<f64>")]
    pub two_step_factor: Option<Spanned<f64>>,
    /// Optional: other entry ports its importers can reach (at most 32).
    #[schemars(with = "Option<Vec<String>>")]
    pub alternative_ports: Option<Spanned<Vec<String>>>,
    /// Optional, general trade: other modes they may declare under; each (port,
    /// mode) pair is an option, used only by the credit classes the mode is
    /// open to.
    #[schemars(with = "Option<Vec<ModeName>>")]
    pub alternative_modes: Option<Spanned<Vec<String>>>,
    /// 9610/1210: lists whose three orders fail to match, rejected.
    #[schemars(with = "Option<f64>")]
    pub order_mismatch_share: Option<Spanned<f64>>,
    /// And lodged again after this rework [h].
    #[schemars(with = "Option<RawDist>")]
    pub order_rework: Option<Spanned<RawDist>>,
    /// Share of non-compliant importers who pick the laxest option.
    #[schemars(with = "Option<f64>")]
    pub arbitrage_share: Option<Spanned<f64>>,
    /// Share of the others who pick the option with the shortest expected
    /// clearance time.
    #[schemars(with = "Option<f64>")]
    pub time_choice_share: Option<Spanned<f64>>,
    /// Weight of the newest release in that running estimate (default 0.05).
    #[schemars(with = "Option<f64>")]
    pub time_learning: Option<Spanned<f64>>,
    /// Optional dated surges, e.g. Double 11.
    #[serde(default)]
    #[schemars(with = "Vec<RawPeak>")]
    pub peaks: Vec<Spanned<RawPeak>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Peak")]
pub struct RawPeak {
    /// The peak, as it is known.
    #[schemars(with = "Option<String>")]
    pub name: Option<Spanned<String>>,
    /// Start date (needs start_date), or from_h.
    #[schemars(with = "Option<TomlDatetime>")]
    pub from: Option<Spanned<Datetime>>,
    /// End date, or until_h.
    #[schemars(with = "Option<TomlDatetime>")]
    pub until: Option<Spanned<Datetime>>,
    /// Start [h].
    #[schemars(with = "Option<f64>")]
    pub from_h: Option<Spanned<f64>>,
    /// End [h].
    #[schemars(with = "Option<f64>")]
    pub until_h: Option<Spanned<f64>>,
    /// Rate multiplier during the peak.
    #[schemars(with = "Option<f64>")]
    pub multiplier: Option<Spanned<f64>>,
}

/// A TOML date or date-time (`2024-11-11`, `2024-11-11T08:00:00`), seen by
/// JSON tools as a string in ISO 8601 form.
pub struct TomlDatetime;

impl JsonSchema for TomlDatetime {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "TomlDatetime".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "A TOML date or date-time (2024-11-11 or 2024-11-11T08:00:00), unquoted in the file",
            "pattern": "^\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2})?)?$"
        })
    }
}
