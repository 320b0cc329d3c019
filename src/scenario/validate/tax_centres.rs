//! Tax collection and management centres: document (tax) review organised
//! by goods category (`policy.tax_review = "by_category"`).
//!
//! With nationwide clearance integration (1 July 2017) GACC set up tax
//! collection and management centres, each responsible for the tax review
//! of some goods categories nationwide, whatever the port of entry. A
//! `tax_centre` site lists its `categories`; a general-trade stream names
//! its goods `category`; under review by category the stream's review step
//! is done by its centre's reviewers, by the centre's rules.

use std::collections::HashMap;
use std::ops::Range;

use toml::Spanned;

use super::super::diagnostics::Diagnostics;
use super::super::raw::RawStream;
use super::{Context, at};
use crate::model::{Channel, Condition, Site, SiteId, SiteKind, StepKind, Stream};

/// The goods categories a site lists: required, non-empty and distinct on a
/// tax centre; refused on any other site.
pub(super) fn categories(
    d: &mut Diagnostics,
    path: &str,
    kind: SiteKind,
    span: &Range<usize>,
    raw: &Option<Spanned<Vec<String>>>,
) -> Vec<String> {
    let key = format!("{path}.categories");
    match (kind, raw) {
        (SiteKind::TaxCentre, None) => {
            d.error(
                &key,
                Some(span.clone()),
                "a tax_centre reviews the declarations of its goods categories; list them, e.g. categories = [\"machinery\", \"electronics\"]",
            );
            Vec::new()
        }
        (SiteKind::TaxCentre, Some(list)) => {
            let mut out: Vec<String> = Vec::new();
            for c in list.get_ref() {
                if c.trim().is_empty() || out.contains(c) {
                    let msg = format!(
                        "category {c:?} is empty or listed twice; each category is a distinct name"
                    );
                    d.error(&key, Some(at(list)), msg);
                } else if super::values::check_text(
                    d,
                    &key,
                    &at(list),
                    c,
                    super::values::MAX_TITLE_CHARS,
                    false,
                ) {
                    out.push(c.clone());
                }
            }
            if out.is_empty() && list.get_ref().is_empty() {
                d.error(&key, Some(at(list)), "is empty; list at least one category");
            }
            out
        }
        (_, Some(list)) => {
            d.error(
                &key,
                Some(at(list)),
                "categories apply only to a site of kind \"tax_centre\"",
            );
            Vec::new()
        }
        (_, None) => Vec::new(),
    }
}

/// Sends each general-trade stream's document review to the tax centre of
/// its goods category: its route's review step becomes the centre's.
pub(super) fn assign(
    cx: &mut Context,
    raw: &[Spanned<RawStream>],
    sites: &[Site],
    streams: &mut [Stream],
) {
    let d = &mut cx.d;
    let mut centre_of: HashMap<&str, SiteId> = HashMap::new();
    for (i, site) in sites.iter().enumerate() {
        for c in &site.categories {
            if let Some(other) = centre_of.insert(c, SiteId(i as u32)) {
                let msg = format!(
                    "category {c:?} is already reviewed by tax centre {:?}; a category has one centre",
                    sites[other.0 as usize].id
                );
                d.error(&format!("sites[{i}].categories"), None, msg);
            }
        }
    }
    if centre_of.is_empty() {
        d.error(
            "policy.tax_review",
            None,
            "\"by_category\" needs tax centres: add a [[sites]] entry of kind \"tax_centre\" with categories, or set tax_review = \"local\"",
        );
        return;
    }
    let mut known: Vec<&str> = centre_of.keys().copied().collect();
    known.sort_unstable();
    for (i, r) in raw.iter().enumerate() {
        let r = r.get_ref();
        let Some(id) = r.id.as_ref().map(|id| id.get_ref().as_str()) else {
            continue;
        };
        let path = format!("streams[{i}]");
        let mut members = streams.iter_mut().filter(|s| s.id == id).peekable();
        let Some(first) = members.peek() else {
            continue;
        };
        if first.channel != Channel::GeneralTrade {
            // Parcels, bonded orders and postal articles keep their own
            // review.
            continue;
        }
        let Some(category) = &r.category else {
            let msg = format!(
                "a general-trade stream without a goods category is reviewed where it declares; give it one of the tax centres' categories ({})",
                known.join(", ")
            );
            d.warning(&path, None, msg);
            continue;
        };
        let Some(&centre) = centre_of.get(category.get_ref().as_str()) else {
            let msg = format!(
                "no tax centre reviews category {:?}; the centres' categories are {}",
                category.get_ref(),
                known.join(", ")
            );
            d.error(&format!("{path}.category"), Some(at(category)), msg);
            continue;
        };
        let review = sites[centre.0 as usize].activities[StepKind::Review.index()];
        for s in members {
            s.tax_centre = Some(centre);
            for step in &mut s.route.steps {
                if step.condition == Condition::FlaggedForReview {
                    step.activity = review;
                }
            }
        }
    }
}
