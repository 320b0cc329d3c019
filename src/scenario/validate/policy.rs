//! The `[policy]` table: screening rates, targeting, credit treatment, the
//! timing of tax review and the post-release audit.

use toml::Spanned;

use super::super::diagnostics::Diagnostics;
use super::super::raw::{RawCredit, RawScenario};
use super::at;
use super::values::{distribution, missing, number_in, optional_choice, optional_number};
use crate::engine::Dist;
use crate::model::{Policy, Targeting, TaxTiming};

/// Default inspection multipliers by credit class: AEO importers are
/// picked far less often, discredited ones far more (China's 2019 rates
/// were 0.57% for AEO against 84.76% for discredited).
const CREDIT_INSPECTION: [f64; 3] = [0.2, 1.0, 10.0];
/// Default non-compliance multipliers by credit class.
const CREDIT_RISK: [f64; 3] = [0.3, 1.0, 5.0];
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
        &[
            ("random", Targeting::Random),
            ("risk_based", Targeting::RiskBased),
        ],
        Targeting::Random,
    );
    policy.tax_timing = optional_choice(
        d,
        "policy.tax_timing",
        &p.tax_timing,
        &[
            ("before_release", TaxTiming::BeforeRelease),
            ("after_release", TaxTiming::AfterRelease),
        ],
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
