//! Who decides a consignment's checks, and by which rules.
//!
//! Before integration each directly-affiliated customs applied its own
//! supervision: its own review and inspection rates, its own targeting, its
//! own risk model. The seed calls the result "blind spots": the same goods
//! met a different intensity at each customs, and an importer who could
//! reach several ports could pick the laxest. Clearance integration put one
//! risk prevention and control centre behind a region (and from 2017 the
//! whole country): one risk profile, uniform standards, pooled data.
//!
//! This module holds the rulebook ([`Supervision`]), a customs' or a
//! region's partial override of it ([`SupervisionOverride`]), and the rule
//! that says whose rulebook applies ([`Decider`]). It knows nothing about
//! files or the event loop; `Model::rules_for` applies it to a stream.

use super::Targeting;

/// The rules one decider applies to what it screens.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Supervision {
    /// Expected share of declarations sent to document (tax) review.
    pub review_rate: f64,
    /// Expected share of consignments sent to physical inspection.
    pub inspection_rate: f64,
    pub targeting: Targeting,
    /// Quality of the decider's risk model: multiplies the separation d' the
    /// stream's data allow (1 = the data's own d'). A customs with few
    /// seizures on record to learn from scores worse than one with many.
    pub discrimination: f64,
}

/// A partial rulebook: what a customs, a port or a region sets for itself;
/// the rest comes from the scenario's `[policy]`.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct SupervisionOverride {
    pub review_rate: Option<f64>,
    pub inspection_rate: Option<f64>,
    pub targeting: Option<Targeting>,
    pub discrimination: Option<f64>,
}

impl SupervisionOverride {
    /// `base` with this override's values in place of its own.
    pub fn over(&self, base: Supervision) -> Supervision {
        Supervision {
            review_rate: self.review_rate.unwrap_or(base.review_rate),
            inspection_rate: self.inspection_rate.unwrap_or(base.inspection_rate),
            targeting: self.targeting.unwrap_or(base.targeting),
            discrimination: self.discrimination.unwrap_or(base.discrimination),
        }
    }
}

/// Whose rules screened a stream's consignments: shown in traces and the
/// demo, and what the docs call "who decides".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decider {
    /// A customs (or port) with integration not in force: its own rules.
    Local(super::SiteId),
    /// An integrated region: one rulebook for all its customs, on pooled
    /// data.
    Region(super::RegionId),
    /// Nationwide integration: the scenario's `[policy]` everywhere, on the
    /// whole country's pooled data.
    National,
}
