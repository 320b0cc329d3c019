//! The `[policy]` table: screening rates, targeting, credit treatment, the
//! timing of tax review and the post-release audit.

use toml::Spanned;

use super::super::diagnostics::Diagnostics;
use super::super::raw::{RawCredit, RawScenario, RawSupervision};
use super::at;
use super::values::{distribution, missing, number_in, optional_choice, optional_number};
use crate::engine::Dist;
use crate::model::{Policy, SupervisionOverride, Targeting, TaxTiming};

/// The targeting methods by their names in the file.
pub(crate) const TARGETINGS: [(&str, Targeting); 2] = [
    ("random", Targeting::Random),
    ("risk_based", Targeting::RiskBased),
];
/// When duties are paid: `policy.tax_timing`.
pub(crate) const TAX_TIMINGS: [(&str, TaxTiming); 2] = [
    ("before_release", TaxTiming::BeforeRelease),
    ("after_release", TaxTiming::AfterRelease),
];
/// When lab tests end (`policy.lab_test_timing`): after release or not.
pub(crate) const LAB_TEST_TIMINGS: [(&str, bool); 2] =
    [("before_release", false), ("after_release", true)];
/// Who reviews tax (`policy.tax_review`): by category or not.
pub(crate) const TAX_REVIEWS: [(&str, bool); 2] = [("local", false), ("by_category", true)];
/// Largest multiplier on a risk model's separation d' (discrimination,
/// pooled-data gain): d' = 3 already separates almost perfectly.
pub(super) const MAX_DISCRIMINATION: f64 = 10.0;

/// Default inspection multipliers by credit class: AEO importers are
/// picked far less often, discredited ones far more (China's 2019 rates
/// were 0.57% for AEO against 84.76% for discredited).
const CREDIT_INSPECTION: [f64; 3] = [0.2, 1.0, 10.0];
/// Default non-compliance multipliers by credit class.
const CREDIT_RISK: [f64; 3] = [0.3, 1.0, 5.0];
/// Default review multipliers by credit class: the same as for inspection.
/// GACC Order No. 251 (2021) publishes the AEO inspection benefit (below 20%
/// of the standard rate) and "fewer audits and verifications", but no
/// document-review rate; using the inspection multipliers is a modelling
/// choice (docs/model.md).
const CREDIT_REVIEW: [f64; 3] = [0.2, 1.0, 10.0];
/// Default delay from release to the outcome of a post-release review:
/// 30 days `[h]`.
const AUDIT_DELAY_H: f64 = 720.0;

/// Three numbers by credit class (advanced, general, discredited), each in
/// `[lo, hi]`; absent ones take the default.
pub(super) fn credit(
    d: &mut Diagnostics,
    path: &str,
    v: &Option<Spanned<RawCredit>>,
    lo: f64,
    hi: f64,
    default: [f64; 3],
) -> [f64; 3] {
    let Some(v) = v else { return default };
    let span = at(v);
    let c = v.get_ref();
    let mut out = default;
    for (i, (key, x)) in [
        ("advanced", c.advanced),
        ("general", c.general),
        ("discredited", c.discredited),
    ]
    .into_iter()
    .enumerate()
    {
        if let Some(x) = x {
            out[i] = number_in(d, &format!("{path}.{key}"), &span, x, lo, hi).unwrap_or(default[i]);
        }
    }
    out
}

pub(super) fn policy(d: &mut Diagnostics, raw: &RawScenario) -> Policy {
    let Some(p) = &raw.policy else {
        d.error(
            "policy",
            None,
            "missing; add a [policy] table with review_rate and inspection_rate \
             (probabilities from 0 to 1)",
        );
        return Policy::basic(0.0, 0.0);
    };
    let span = at(p);
    let p = p.get_ref();
    let mut rate = |key: &str, v: &Option<Spanned<f64>>| {
        let path = format!("policy.{key}");
        match v {
            Some(v) => number_in(d, &path, &at(v), *v.get_ref(), 0.0, 1.0).unwrap_or(0.0),
            None => {
                missing(d, &path, &span, "give a probability from 0 to 1");
                0.0
            }
        }
    };
    let mut policy = Policy::basic(
        rate("review_rate", &p.review_rate),
        rate("inspection_rate", &p.inspection_rate),
    );
    policy.targeting = optional_choice(
        d,
        "policy.targeting",
        &p.targeting,
        &TARGETINGS,
        Targeting::Random,
    );
    policy.discrimination = optional_number(
        d,
        "policy.discrimination",
        &p.discrimination,
        0.0,
        MAX_DISCRIMINATION,
        1.0,
    );
    policy.pooled_data_gain = optional_number(
        d,
        "policy.pooled_data_gain",
        &p.pooled_data_gain,
        0.0,
        MAX_DISCRIMINATION,
        1.0,
    );
    // GACC Order No. 251 (2021): AEOs "receive priority in the customs
    // clearance process".
    policy.aeo_priority = p.aeo_priority.unwrap_or(true);
    policy.mode_eligibility = p.mode_eligibility.unwrap_or(true);
    policy.credit_review = credit(
        d,
        "policy.credit_review",
        &p.credit_review,
        f64::MIN_POSITIVE,
        1e6,
        CREDIT_REVIEW,
    );
    policy.tax_timing = optional_choice(
        d,
        "policy.tax_timing",
        &p.tax_timing,
        &TAX_TIMINGS,
        TaxTiming::BeforeRelease,
    );
    let positive = f64::MIN_POSITIVE;
    policy.credit_inspection = credit(
        d,
        "policy.credit_inspection",
        &p.credit_inspection,
        positive,
        1e6,
        CREDIT_INSPECTION,
    );
    policy.credit_risk = credit(
        d,
        "policy.credit_risk",
        &p.credit_risk,
        0.0,
        1e6,
        CREDIT_RISK,
    );
    policy.audit_delay = match &p.audit_delay {
        Some(dist) => distribution(d, "policy.audit_delay", &at(dist), dist.get_ref()).unwrap_or(
            Dist::Deterministic {
                value: AUDIT_DELAY_H,
            },
        ),
        None => Dist::Deterministic {
            value: AUDIT_DELAY_H,
        },
    };
    policy.audit_detection = optional_number(
        d,
        "policy.audit_detection",
        &p.audit_detection,
        0.0,
        1.0,
        0.8,
    );
    policy.audit_by_reviewers = p.audit_by_reviewers.as_ref().is_none_or(|v| *v.get_ref());
    policy.lab_after_release = optional_choice(
        d,
        "policy.lab_test_timing",
        &p.lab_test_timing,
        &LAB_TEST_TIMINGS,
        false,
    );
    policy.tax_review_by_category =
        optional_choice(d, "policy.tax_review", &p.tax_review, &TAX_REVIEWS, false);
    policy.lab_release_breach = optional_number(
        d,
        "policy.lab_release_breach",
        &p.lab_release_breach,
        0.0,
        1.0,
        0.0,
    );
    policy.undervaluation_factor = optional_number(
        d,
        "policy.undervaluation_factor",
        &p.undervaluation_factor,
        0.0,
        1.0,
        0.5,
    );
    policy.misclassification_factor = optional_number(
        d,
        "policy.misclassification_factor",
        &p.misclassification_factor,
        0.0,
        1.0,
        0.5,
    );
    policy
}

/// A customs', port's or region's own rules (`path` is its
/// `supervision` table); absent keys are left to `[policy]`.
pub(super) fn supervision(
    d: &mut Diagnostics,
    path: &str,
    raw: &Option<Spanned<RawSupervision>>,
) -> SupervisionOverride {
    let Some(raw) = raw else {
        return SupervisionOverride::default();
    };
    let r = raw.get_ref();
    let number = |d: &mut Diagnostics, key: &str, v: &Option<Spanned<f64>>, hi: f64| {
        v.as_ref()
            .and_then(|v| number_in(d, &format!("{path}.{key}"), &at(v), *v.get_ref(), 0.0, hi))
    };
    SupervisionOverride {
        review_rate: number(d, "review_rate", &r.review_rate, 1.0),
        inspection_rate: number(d, "inspection_rate", &r.inspection_rate, 1.0),
        discrimination: number(d, "discrimination", &r.discrimination, MAX_DISCRIMINATION),
        targeting: r.targeting.as_ref().map(|_| {
            optional_choice(
                d,
                &format!("{path}.targeting"),
                &r.targeting,
                &TARGETINGS,
                Targeting::Random,
            )
        }),
    }
}
