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

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Scenario")]
pub struct RawScenario {
    #[schemars(with = "Option<String>")]
    pub name: Option<Spanned<String>>,
    #[schemars(with = "Option<String>")]
    pub description: Option<Spanned<String>>,
    #[schemars(with = "Option<i64>")]
    pub seed: Option<Spanned<i64>>,
    #[schemars(with = "Option<i64>")]
    pub replications: Option<Spanned<i64>>,
    #[schemars(with = "Option<f64>")]
    pub horizon_days: Option<Spanned<f64>>,
    #[schemars(with = "Option<f64>")]
    pub horizon_h: Option<Spanned<f64>>,
    #[schemars(with = "Option<f64>")]
    pub warmup_days: Option<Spanned<f64>>,
    #[schemars(with = "Option<f64>")]
    pub warmup_h: Option<Spanned<f64>>,
    #[schemars(with = "Option<TomlDatetime>")]
    pub start_date: Option<Spanned<Datetime>>,
    #[schemars(with = "Option<f64>")]
    pub volume_scale: Option<Spanned<f64>>,
    pub nationwide: Option<bool>,
    #[schemars(with = "Option<String>")]
    pub national_centre: Option<Spanned<String>>,
    #[schemars(with = "Option<RawPolicy>")]
    pub policy: Option<Spanned<RawPolicy>>,
    #[schemars(with = "Option<RawExperiment>")]
    pub experiment: Option<Spanned<RawExperiment>>,
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, RawCalendar>")]
    pub calendars: BTreeMap<String, Spanned<RawCalendar>>,
    #[serde(default)]
    #[schemars(with = "Vec<RawRegion>")]
    pub regions: Vec<Spanned<RawRegion>>,
    #[serde(default)]
    #[schemars(with = "Vec<RawSite>")]
    pub sites: Vec<Spanned<RawSite>>,
    #[serde(default)]
    #[schemars(with = "Vec<RawLink>")]
    pub links: Vec<Spanned<RawLink>>,
    #[serde(default)]
    #[schemars(with = "Vec<RawResource>")]
    pub resources: Vec<Spanned<RawResource>>,
    #[serde(default)]
    #[schemars(with = "Vec<RawStream>")]
    pub streams: Vec<Spanned<RawStream>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Policy")]
pub struct RawPolicy {
    #[schemars(with = "Option<f64>")]
    pub review_rate: Option<Spanned<f64>>,
    #[schemars(with = "Option<f64>")]
    pub inspection_rate: Option<Spanned<f64>>,
    #[schemars(with = "Option<String>")]
    pub mode: Option<Spanned<String>>,
    #[schemars(with = "Option<String>")]
    pub targeting: Option<Spanned<String>>,
    #[schemars(with = "Option<RawCredit>")]
    pub credit_inspection: Option<Spanned<RawCredit>>,
    #[schemars(with = "Option<RawCredit>")]
    pub credit_risk: Option<Spanned<RawCredit>>,
    #[schemars(with = "Option<String>")]
    pub tax_timing: Option<Spanned<String>>,
    #[schemars(with = "Option<RawDist>")]
    pub audit_delay: Option<Spanned<RawDist>>,
    #[schemars(with = "Option<f64>")]
    pub audit_detection: Option<Spanned<f64>>,
    #[schemars(with = "Option<bool>")]
    pub audit_by_reviewers: Option<Spanned<bool>>,
    #[schemars(with = "Option<String>")]
    pub lab_test_timing: Option<Spanned<String>>,
    #[schemars(with = "Option<f64>")]
    pub lab_release_breach: Option<Spanned<f64>>,
    #[schemars(with = "Option<String>")]
    pub tax_review: Option<Spanned<String>>,
    #[schemars(with = "Option<f64>")]
    pub undervaluation_factor: Option<Spanned<f64>>,
    #[schemars(with = "Option<f64>")]
    pub misclassification_factor: Option<Spanned<f64>>,
    #[schemars(with = "Option<RawCredit>")]
    pub credit_review: Option<Spanned<RawCredit>>,
    #[schemars(with = "Option<f64>")]
    pub discrimination: Option<Spanned<f64>>,
    #[schemars(with = "Option<f64>")]
    pub pooled_data_gain: Option<Spanned<f64>>,
    pub aeo_priority: Option<bool>,
    pub mode_eligibility: Option<bool>,
}

/// A customs', a port's or a region's own supervision rules; what is left
/// out comes from `[policy]`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Supervision")]
pub struct RawSupervision {
    #[schemars(with = "Option<f64>")]
    pub review_rate: Option<Spanned<f64>>,
    #[schemars(with = "Option<f64>")]
    pub inspection_rate: Option<Spanned<f64>>,
    #[schemars(with = "Option<String>")]
    pub targeting: Option<Spanned<String>>,
    #[schemars(with = "Option<f64>")]
    pub discrimination: Option<Spanned<f64>>,
}

/// A study the file describes: `clearsim run FILE` carries it out.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Experiment")]
pub struct RawExperiment {
    #[schemars(with = "Option<String>")]
    pub kind: Option<Spanned<String>>,
    #[schemars(with = "Option<String>")]
    pub modes: Option<Spanned<String>>,
    #[schemars(with = "Option<String>")]
    pub baseline: Option<Spanned<String>>,
    #[schemars(with = "Option<Vec<String>>")]
    pub set: Option<Spanned<Vec<String>>>,
    #[schemars(with = "Option<String>")]
    pub resource: Option<Spanned<String>>,
    #[schemars(with = "Option<String>")]
    pub target: Option<Spanned<String>>,
    #[schemars(with = "Option<String>")]
    pub within: Option<Spanned<String>>,
    #[schemars(with = "Option<i64>")]
    pub max: Option<Spanned<i64>>,
    #[schemars(with = "Option<String>")]
    pub metric: Option<Spanned<String>>,
    #[schemars(with = "Option<Vec<String>>")]
    pub metrics: Option<Spanned<Vec<String>>>,
    #[schemars(with = "Option<String>")]
    pub group: Option<Spanned<String>>,
    #[schemars(with = "Option<Vec<RawReform>>")]
    pub reforms: Option<Vec<Spanned<RawReform>>>,
}

/// One rung of a reform ladder.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Reform")]
pub struct RawReform {
    #[schemars(with = "Option<String>")]
    pub name: Option<Spanned<String>>,
    #[schemars(with = "Option<String>")]
    pub date: Option<Spanned<String>>,
    #[schemars(with = "Option<String>")]
    pub source: Option<Spanned<String>>,
    #[schemars(with = "Option<Vec<String>>")]
    pub set: Option<Spanned<Vec<String>>>,
}

/// One number per credit class.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Credit")]
pub struct RawCredit {
    pub advanced: Option<f64>,
    pub general: Option<f64>,
    pub discredited: Option<f64>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Region")]
pub struct RawRegion {
    #[schemars(with = "Option<String>")]
    pub id: Option<Spanned<String>>,
    #[schemars(with = "Option<String>")]
    pub name: Option<Spanned<String>>,
    pub integrated: Option<bool>,
    #[schemars(with = "Option<String>")]
    pub centre: Option<Spanned<String>>,
    #[schemars(with = "Option<RawDist>")]
    pub coordination_delay: Option<Spanned<RawDist>>,
    #[schemars(with = "Option<RawSupervision>")]
    pub supervision: Option<Spanned<RawSupervision>>,
    #[schemars(with = "Option<f64>")]
    pub pooled_data_gain: Option<Spanned<f64>>,
    #[schemars(with = "Option<Vec<String>>")]
    pub pooled_reviewers: Option<Spanned<Vec<String>>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Link")]
pub struct RawLink {
    #[schemars(with = "Option<String>")]
    pub from: Option<Spanned<String>>,
    #[schemars(with = "Option<String>")]
    pub to: Option<Spanned<String>>,
    #[schemars(with = "Option<RawDist>")]
    pub duration: Option<Spanned<RawDist>>,
    #[schemars(with = "Option<f64>")]
    pub diversion_share: Option<Spanned<f64>>,
    #[schemars(with = "Option<f64>")]
    pub time_limit_h: Option<Spanned<f64>>,
    #[schemars(with = "Option<RawDist>")]
    pub diversion_delay: Option<Spanned<RawDist>>,
    #[schemars(with = "Option<f64>")]
    pub bond_share: Option<Spanned<f64>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Calendar")]
pub struct RawCalendar {
    #[schemars(with = "Option<Vec<String>>")]
    pub days: Option<Spanned<Vec<String>>>,
    #[schemars(with = "Option<Vec<Vec<i64>>>")]
    pub hours: Option<Spanned<Vec<Vec<i64>>>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Site")]
pub struct RawSite {
    #[schemars(with = "Option<String>")]
    pub id: Option<Spanned<String>>,
    #[schemars(with = "Option<String>")]
    pub name: Option<Spanned<String>>,
    #[schemars(with = "Option<String>")]
    pub kind: Option<Spanned<String>>,
    #[schemars(with = "Option<String>")]
    pub region: Option<Spanned<String>>,
    #[schemars(with = "Option<String>")]
    pub customs: Option<Spanned<String>>,
    #[schemars(with = "Option<String>")]
    pub calendar: Option<Spanned<String>>,
    pub steps: Option<RawSteps>,
    #[schemars(with = "Option<RawSupervision>")]
    pub supervision: Option<Spanned<RawSupervision>>,
    #[schemars(with = "Option<Vec<String>>")]
    pub categories: Option<Spanned<Vec<String>>>,
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Steps")]
pub struct RawSteps {
    #[schemars(with = "Option<RawStep>")]
    pub lodgement: Option<Spanned<RawStep>>,
    #[schemars(with = "Option<RawStep>")]
    pub screening: Option<Spanned<RawStep>>,
    #[schemars(with = "Option<RawStep>")]
    pub review: Option<Spanned<RawStep>>,
    #[schemars(with = "Option<RawStep>")]
    pub inspection: Option<Spanned<RawStep>>,
    #[schemars(with = "Option<RawStep>")]
    pub scan: Option<Spanned<RawStep>>,
    #[schemars(with = "Option<RawStep>")]
    pub tax: Option<Spanned<RawStep>>,
    #[schemars(with = "Option<RawStep>")]
    pub release: Option<Spanned<RawStep>>,
    #[schemars(with = "Option<RawStep>")]
    pub sealing: Option<Spanned<RawStep>>,
    #[schemars(with = "Option<RawStep>")]
    pub arrival_confirmation: Option<Spanned<RawStep>>,
    #[schemars(with = "Option<RawStep>")]
    pub certificates: Option<Spanned<RawStep>>,
    #[schemars(with = "Option<RawStep>")]
    pub discharge: Option<Spanned<RawStep>>,
    #[schemars(with = "Option<RawStep>")]
    pub lab_test: Option<Spanned<RawStep>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Step")]
pub struct RawStep {
    #[schemars(with = "Option<String>")]
    pub resource: Option<Spanned<String>>,
    #[schemars(with = "Option<RawDist>")]
    pub duration: Option<Spanned<RawDist>>,
    #[schemars(with = "Option<f64>")]
    pub detection_probability: Option<Spanned<f64>>,
    #[schemars(with = "Option<f64>")]
    pub share: Option<Spanned<f64>>,
    #[schemars(with = "Option<bool>")]
    pub in_line: Option<Spanned<bool>>,
    #[schemars(with = "Option<String>")]
    pub party: Option<Spanned<String>>,
    #[schemars(with = "Option<RawDist>")]
    pub direct_pickup: Option<Spanned<RawDist>>,
}

/// A distribution: `dist` names the family, the other keys its parameters.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Dist")]
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

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Resource")]
pub struct RawResource {
    #[schemars(with = "Option<String>")]
    pub id: Option<Spanned<String>>,
    #[schemars(with = "Option<String>")]
    pub site: Option<Spanned<String>>,
    #[schemars(with = "Option<i64>")]
    pub capacity: Option<Spanned<i64>>,
    #[schemars(with = "Option<i64>")]
    pub full_scale_capacity: Option<Spanned<i64>>,
    #[schemars(with = "Option<String>")]
    pub calendar: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Stream")]
pub struct RawStream {
    #[schemars(with = "Option<String>")]
    pub id: Option<Spanned<String>>,
    #[schemars(with = "Option<String>")]
    pub port: Option<Spanned<String>>,
    #[schemars(with = "Option<String>")]
    pub mode: Option<Spanned<String>>,
    #[schemars(with = "Option<String>")]
    pub home: Option<Spanned<String>>,
    #[schemars(with = "Option<String>")]
    pub channel: Option<Spanned<String>>,
    #[schemars(with = "Option<f64>")]
    pub rate_per_h: Option<Spanned<f64>>,
    #[schemars(with = "Option<f64>")]
    pub rate_per_day: Option<Spanned<f64>>,
    #[schemars(with = "Option<Vec<f64>>")]
    pub hour_of_day: Option<Spanned<Vec<f64>>>,
    #[schemars(with = "Option<Vec<f64>>")]
    pub day_of_week: Option<Spanned<Vec<f64>>>,
    #[schemars(with = "Option<f64>")]
    pub prohibited_share: Option<Spanned<f64>>,
    #[schemars(with = "Option<f64>")]
    pub undervalued_share: Option<Spanned<f64>>,
    #[schemars(with = "Option<f64>")]
    pub misclassified_share: Option<Spanned<f64>>,
    #[schemars(with = "Option<RawCredit>")]
    pub credit_mix: Option<Spanned<RawCredit>>,
    #[schemars(with = "Option<RawDist>")]
    pub value: Option<Spanned<RawDist>>,
    #[schemars(with = "Option<f64>")]
    pub duty_rate: Option<Spanned<f64>>,
    #[schemars(with = "Option<f64>")]
    pub postal_rate: Option<Spanned<f64>>,
    #[schemars(with = "Option<f64>")]
    pub data_quality: Option<Spanned<f64>>,
    #[schemars(with = "Option<f64>")]
    pub advance_declaration_share: Option<Spanned<f64>>,
    #[schemars(with = "Option<RawDist>")]
    pub advance_lead: Option<Spanned<RawDist>>,
    #[schemars(with = "Option<f64>")]
    pub certificate_share: Option<Spanned<f64>>,
    #[schemars(with = "Option<f64>")]
    pub lab_test_share: Option<Spanned<f64>>,
    #[schemars(with = "Option<String>")]
    pub category: Option<Spanned<String>>,
    #[schemars(with = "Option<String>")]
    pub stock_from: Option<Spanned<String>>,
    #[schemars(with = "Option<RawDist>")]
    pub postal_limit_rework: Option<Spanned<RawDist>>,
    #[schemars(with = "Option<f64>")]
    pub postal_limit_yuan: Option<Spanned<f64>>,
    #[schemars(with = "Option<f64>")]
    pub indivisible_share: Option<Spanned<f64>>,
    #[schemars(with = "Option<i64>")]
    pub buyers: Option<Spanned<i64>>,
    #[schemars(with = "Option<f64>")]
    pub annual_limit_yuan: Option<Spanned<f64>>,
    #[schemars(with = "Option<RawDist>")]
    pub spent_before: Option<Spanned<RawDist>>,
    #[schemars(with = "Option<RawDist>")]
    pub annual_limit_rework: Option<Spanned<RawDist>>,
    #[schemars(with = "Option<i64>")]
    pub units_per_entry: Option<Spanned<i64>>,
    #[schemars(with = "Option<i64>")]
    pub initial_stock: Option<Spanned<i64>>,
    #[schemars(with = "Option<f64>")]
    pub direct_pickup_share: Option<Spanned<f64>>,
    #[schemars(with = "Option<f64>")]
    pub two_step_share: Option<Spanned<f64>>,
    #[schemars(with = "Option<f64>")]
    pub two_step_factor: Option<Spanned<f64>>,
    #[schemars(with = "Option<Vec<String>>")]
    pub alternative_ports: Option<Spanned<Vec<String>>>,
    #[schemars(with = "Option<Vec<String>>")]
    pub alternative_modes: Option<Spanned<Vec<String>>>,
    #[schemars(with = "Option<f64>")]
    pub order_mismatch_share: Option<Spanned<f64>>,
    #[schemars(with = "Option<RawDist>")]
    pub order_rework: Option<Spanned<RawDist>>,
    #[schemars(with = "Option<f64>")]
    pub arbitrage_share: Option<Spanned<f64>>,
    #[schemars(with = "Option<f64>")]
    pub time_choice_share: Option<Spanned<f64>>,
    #[schemars(with = "Option<f64>")]
    pub time_learning: Option<Spanned<f64>>,
    #[serde(default)]
    #[schemars(with = "Vec<RawPeak>")]
    pub peaks: Vec<Spanned<RawPeak>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Peak")]
pub struct RawPeak {
    #[schemars(with = "Option<String>")]
    pub name: Option<Spanned<String>>,
    #[schemars(with = "Option<TomlDatetime>")]
    pub from: Option<Spanned<Datetime>>,
    #[schemars(with = "Option<TomlDatetime>")]
    pub until: Option<Spanned<Datetime>>,
    #[schemars(with = "Option<f64>")]
    pub from_h: Option<Spanned<f64>>,
    #[schemars(with = "Option<f64>")]
    pub until_h: Option<Spanned<f64>>,
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
