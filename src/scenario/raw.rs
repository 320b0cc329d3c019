//! The serde mirror of the scenario file. Every table denies unknown keys;
//! values keep their raw types (signed integers, unchecked floats) so that
//! validation can say precisely what is wrong with them.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;
use toml::value::Datetime;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    pub name: Option<Spanned<String>>,
    pub description: Option<Spanned<String>>,
    pub seed: Option<Spanned<i64>>,
    pub replications: Option<Spanned<i64>>,
    pub horizon_days: Option<Spanned<f64>>,
    pub horizon_h: Option<Spanned<f64>>,
    pub warmup_days: Option<Spanned<f64>>,
    pub warmup_h: Option<Spanned<f64>>,
    pub start_date: Option<Spanned<Datetime>>,
    pub volume_scale: Option<Spanned<f64>>,
    pub nationwide: Option<bool>,
    pub national_centre: Option<Spanned<String>>,
    pub policy: Option<Spanned<RawPolicy>>,
    pub experiment: Option<Spanned<RawExperiment>>,
    #[serde(default)]
    pub calendars: BTreeMap<String, Spanned<RawCalendar>>,
    #[serde(default)]
    pub regions: Vec<Spanned<RawRegion>>,
    #[serde(default)]
    pub sites: Vec<Spanned<RawSite>>,
    #[serde(default)]
    pub links: Vec<Spanned<RawLink>>,
    #[serde(default)]
    pub resources: Vec<Spanned<RawResource>>,
    #[serde(default)]
    pub streams: Vec<Spanned<RawStream>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPolicy {
    pub review_rate: Option<Spanned<f64>>,
    pub inspection_rate: Option<Spanned<f64>>,
    pub mode: Option<Spanned<String>>,
    pub targeting: Option<Spanned<String>>,
    pub credit_inspection: Option<Spanned<RawCredit>>,
    pub credit_risk: Option<Spanned<RawCredit>>,
    pub tax_timing: Option<Spanned<String>>,
    pub audit_delay: Option<Spanned<RawDist>>,
    pub audit_detection: Option<Spanned<f64>>,
    pub audit_by_reviewers: Option<Spanned<bool>>,
    pub lab_test_timing: Option<Spanned<String>>,
    pub lab_release_breach: Option<Spanned<f64>>,
    pub tax_review: Option<Spanned<String>>,
    pub undervaluation_factor: Option<Spanned<f64>>,
    pub misclassification_factor: Option<Spanned<f64>>,
    pub credit_review: Option<Spanned<RawCredit>>,
    pub discrimination: Option<Spanned<f64>>,
    pub pooled_data_gain: Option<Spanned<f64>>,
    pub aeo_priority: Option<bool>,
    pub mode_eligibility: Option<bool>,
}

/// A customs', a port's or a region's own supervision rules; what is left
/// out comes from `[policy]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSupervision {
    pub review_rate: Option<Spanned<f64>>,
    pub inspection_rate: Option<Spanned<f64>>,
    pub targeting: Option<Spanned<String>>,
    pub discrimination: Option<Spanned<f64>>,
}

/// A study the file describes: `clearsim run FILE` carries it out.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawExperiment {
    pub kind: Option<Spanned<String>>,
    pub modes: Option<Spanned<String>>,
    pub baseline: Option<Spanned<String>>,
    pub set: Option<Spanned<Vec<String>>>,
    pub resource: Option<Spanned<String>>,
    pub target: Option<Spanned<String>>,
    pub within: Option<Spanned<String>>,
    pub max: Option<Spanned<i64>>,
    pub metric: Option<Spanned<String>>,
    pub metrics: Option<Spanned<Vec<String>>>,
    pub group: Option<Spanned<String>>,
    pub reforms: Option<Vec<Spanned<RawReform>>>,
}

/// One rung of a reform ladder.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawReform {
    pub name: Option<Spanned<String>>,
    pub date: Option<Spanned<String>>,
    pub source: Option<Spanned<String>>,
    pub set: Option<Spanned<Vec<String>>>,
}

/// One number per credit class.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCredit {
    pub advanced: Option<f64>,
    pub general: Option<f64>,
    pub discredited: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRegion {
    pub id: Option<Spanned<String>>,
    pub name: Option<Spanned<String>>,
    pub integrated: Option<bool>,
    pub centre: Option<Spanned<String>>,
    pub coordination_delay: Option<Spanned<RawDist>>,
    pub supervision: Option<Spanned<RawSupervision>>,
    pub pooled_data_gain: Option<Spanned<f64>>,
    pub pooled_reviewers: Option<Spanned<Vec<String>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLink {
    pub from: Option<Spanned<String>>,
    pub to: Option<Spanned<String>>,
    pub duration: Option<Spanned<RawDist>>,
    pub diversion_share: Option<Spanned<f64>>,
    pub time_limit_h: Option<Spanned<f64>>,
    pub diversion_delay: Option<Spanned<RawDist>>,
    pub bond_share: Option<Spanned<f64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCalendar {
    pub days: Option<Spanned<Vec<String>>>,
    pub hours: Option<Spanned<Vec<Vec<i64>>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSite {
    pub id: Option<Spanned<String>>,
    pub name: Option<Spanned<String>>,
    pub kind: Option<Spanned<String>>,
    pub region: Option<Spanned<String>>,
    pub customs: Option<Spanned<String>>,
    pub calendar: Option<Spanned<String>>,
    pub steps: Option<RawSteps>,
    pub supervision: Option<Spanned<RawSupervision>>,
    pub categories: Option<Spanned<Vec<String>>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSteps {
    pub lodgement: Option<Spanned<RawStep>>,
    pub screening: Option<Spanned<RawStep>>,
    pub review: Option<Spanned<RawStep>>,
    pub inspection: Option<Spanned<RawStep>>,
    pub scan: Option<Spanned<RawStep>>,
    pub tax: Option<Spanned<RawStep>>,
    pub release: Option<Spanned<RawStep>>,
    pub sealing: Option<Spanned<RawStep>>,
    pub arrival_confirmation: Option<Spanned<RawStep>>,
    pub certificates: Option<Spanned<RawStep>>,
    pub discharge: Option<Spanned<RawStep>>,
    pub lab_test: Option<Spanned<RawStep>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStep {
    pub resource: Option<Spanned<String>>,
    pub duration: Option<Spanned<RawDist>>,
    pub detection_probability: Option<Spanned<f64>>,
    pub share: Option<Spanned<f64>>,
    pub in_line: Option<Spanned<bool>>,
    pub party: Option<Spanned<String>>,
    pub direct_pickup: Option<Spanned<RawDist>>,
}

/// A distribution: `dist` names the family, the other keys its parameters.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDist {
    pub dist: Option<String>,
    pub mean: Option<f64>,
    pub sd: Option<f64>,
    pub value: Option<f64>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub mode: Option<f64>,
    pub shape: Option<f64>,
    pub k: Option<i64>,
    pub values: Option<Vec<f64>>,
    pub weights: Option<Vec<f64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawResource {
    pub id: Option<Spanned<String>>,
    pub site: Option<Spanned<String>>,
    pub capacity: Option<Spanned<i64>>,
    pub full_scale_capacity: Option<Spanned<i64>>,
    pub calendar: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStream {
    pub id: Option<Spanned<String>>,
    pub port: Option<Spanned<String>>,
    pub mode: Option<Spanned<String>>,
    pub home: Option<Spanned<String>>,
    pub channel: Option<Spanned<String>>,
    pub rate_per_h: Option<Spanned<f64>>,
    pub rate_per_day: Option<Spanned<f64>>,
    pub hour_of_day: Option<Spanned<Vec<f64>>>,
    pub day_of_week: Option<Spanned<Vec<f64>>>,
    pub prohibited_share: Option<Spanned<f64>>,
    pub undervalued_share: Option<Spanned<f64>>,
    pub misclassified_share: Option<Spanned<f64>>,
    pub credit_mix: Option<Spanned<RawCredit>>,
    pub value: Option<Spanned<RawDist>>,
    pub duty_rate: Option<Spanned<f64>>,
    pub postal_rate: Option<Spanned<f64>>,
    pub data_quality: Option<Spanned<f64>>,
    pub advance_declaration_share: Option<Spanned<f64>>,
    pub advance_lead: Option<Spanned<RawDist>>,
    pub certificate_share: Option<Spanned<f64>>,
    pub lab_test_share: Option<Spanned<f64>>,
    pub category: Option<Spanned<String>>,
    pub stock_from: Option<Spanned<String>>,
    pub postal_limit_rework: Option<Spanned<RawDist>>,
    pub postal_limit_yuan: Option<Spanned<f64>>,
    pub indivisible_share: Option<Spanned<f64>>,
    pub buyers: Option<Spanned<i64>>,
    pub annual_limit_yuan: Option<Spanned<f64>>,
    pub spent_before: Option<Spanned<RawDist>>,
    pub annual_limit_rework: Option<Spanned<RawDist>>,
    pub units_per_entry: Option<Spanned<i64>>,
    pub initial_stock: Option<Spanned<i64>>,
    pub direct_pickup_share: Option<Spanned<f64>>,
    pub two_step_share: Option<Spanned<f64>>,
    pub two_step_factor: Option<Spanned<f64>>,
    pub alternative_ports: Option<Spanned<Vec<String>>>,
    pub alternative_modes: Option<Spanned<Vec<String>>>,
    pub order_mismatch_share: Option<Spanned<f64>>,
    pub order_rework: Option<Spanned<RawDist>>,
    pub arbitrage_share: Option<Spanned<f64>>,
    pub time_choice_share: Option<Spanned<f64>>,
    pub time_learning: Option<Spanned<f64>>,
    #[serde(default)]
    pub peaks: Vec<Spanned<RawPeak>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPeak {
    pub name: Option<Spanned<String>>,
    pub from: Option<Spanned<Datetime>>,
    pub until: Option<Spanned<Datetime>>,
    pub from_h: Option<Spanned<f64>>,
    pub until_h: Option<Spanned<f64>>,
    pub multiplier: Option<Spanned<f64>>,
}
