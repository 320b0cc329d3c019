//! The string values a scenario key chooses among, as JSON Schema `enum`s,
//! so that editors complete them and flag a misspelt one. Each list is read
//! from the table the validator checks the key against, so the schema and
//! the reader cannot disagree.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

use crate::model::{Channel, Mode, Party, SiteKind};
use crate::scenario::validate::{WEEKDAYS, experiment, policy, values};

/// A string that is one of `names`, described by `description`.
fn one_of(description: &str, names: &[&str]) -> Schema {
    json_schema!({
        "type": "string",
        "description": description,
        "enum": names,
    })
}

/// The names in a comma-separated list (`"a, b, c"`).
fn listed(list: &str) -> Vec<&str> {
    list.split(',').map(str::trim).collect()
}

macro_rules! names {
    ($(#[doc = $doc:literal])+ $ty:ident => $names:expr) => {
        $(#[doc = $doc])+
        pub struct $ty;

        impl JsonSchema for $ty {
            fn schema_name() -> Cow<'static, str> {
                stringify!($ty).into()
            }

            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                let names: Vec<&str> = $names;
                one_of(concat!($($doc),+).trim(), &names)
            }
        }
    };
}

names! {
    /// A clearance mode (see docs/model.md).
    ModeName => Mode::ALL.iter().map(|(n, _)| *n).collect()
}

names! {
    /// How screening picks declarations: at random, or by risk score.
    TargetingName => policy::TARGETINGS.iter().map(|(n, _)| *n).collect()
}

names! {
    /// When duties are assessed: before release, or reviewed after it.
    TaxTimingName => policy::TAX_TIMINGS.iter().map(|(n, _)| *n).collect()
}

names! {
    /// When the lab test ends: before release, or after it ("first release, then inspect").
    LabTestTimingName => policy::LAB_TEST_TIMINGS.iter().map(|(n, _)| *n).collect()
}

names! {
    /// Where general-trade tax is reviewed: locally, or at the tax centre of the goods' category.
    TaxReviewName => policy::TAX_REVIEWS.iter().map(|(n, _)| *n).collect()
}

names! {
    /// The kind of study `clearsim run FILE` carries out.
    ExperimentKindName => listed(experiment::KINDS)
}

names! {
    /// A distribution family; the other keys are its parameters.
    DistName => listed(values::DISTRIBUTIONS)
}

names! {
    /// What a site is.
    SiteKindName => SiteKind::ALL.iter().map(|(n, _)| *n).collect()
}

names! {
    /// A trade channel (customs procedure).
    ChannelName => Channel::ALL.iter().map(|(n, _)| *n).collect()
}

names! {
    /// The party whose time a step is (Time Release Study segments).
    PartyName => Party::ALL.iter().map(|p| p.name()).collect()
}

/// A day of the week, in any case (`mon` … `sun`).
pub struct WeekdayName;

impl JsonSchema for WeekdayName {
    fn schema_name() -> Cow<'static, str> {
        "WeekdayName".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        // The reader ignores case: the lower-case names to complete, and
        // any other case still valid.
        let any_case: Vec<String> = WEEKDAYS
            .iter()
            .map(|d| {
                d.chars()
                    .map(|c| format!("[{}{}]", c, c.to_ascii_uppercase()))
                    .collect()
            })
            .collect();
        json_schema!({
            "type": "string",
            "description": "A day of the week, in any case (mon … sun).",
            "anyOf": [
                { "enum": WEEKDAYS },
                { "pattern": format!("^({})$", any_case.join("|")) },
            ],
        })
    }
}
