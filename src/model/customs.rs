//! What customs knows and does not know about a consignment: its channel,
//! the importer's credit class, the hidden truth (compliance, value), how
//! risk targeting picks consignments for inspection, and the tax rules.

use statrs::distribution::{ContinuousCDF, Normal};

/// The trade channel a demand stream belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channel {
    /// B2B consignments under a full goods declaration.
    GeneralTrade,
    /// Cross-border e-commerce direct purchase (9610): parcels with matched
    /// order, payment and logistics data, declared by inventory list.
    Ecommerce9610,
    /// Cross-border e-commerce bonded import (1210): consumer orders cleared
    /// and released from stock already in a bonded zone.
    Bonded1210,
    /// Postal and personal articles, with little electronic data.
    Postal,
}

impl Channel {
    pub const ALL: [(&'static str, Channel); 4] = [
        ("general_trade", Channel::GeneralTrade),
        ("ecommerce_9610", Channel::Ecommerce9610),
        ("bonded_1210", Channel::Bonded1210),
        ("postal", Channel::Postal),
    ];

    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, c)| *c == self)
            .map(|(n, _)| *n)
            .expect("every channel is listed")
    }

    /// How well risk targeting separates non-compliant from compliant
    /// consignments on this channel's data: the distance d' between the two
    /// groups' risk scores, in standard deviations. A modelling default,
    /// overridable per stream (`data_quality`): the "three orders" of
    /// e-commerce give the risk centre the most to go on; mail the least.
    pub fn default_data_quality(self) -> f64 {
        match self {
            Channel::GeneralTrade => 1.5,
            Channel::Ecommerce9610 | Channel::Bonded1210 => 2.0,
            Channel::Postal => 0.5,
        }
    }
}

/// The importer's customs credit class.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CreditClass {
    /// Advanced certified enterprise (AEO).
    Advanced,
    General,
    Discredited,
}

impl CreditClass {
    pub const ALL: [CreditClass; 3] = [
        CreditClass::Advanced,
        CreditClass::General,
        CreditClass::Discredited,
    ];

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn name(self) -> &'static str {
        match self {
            CreditClass::Advanced => "advanced",
            CreditClass::General => "general",
            CreditClass::Discredited => "discredited",
        }
    }
}

/// How consignments are picked for inspection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Targeting {
    /// Each consignment with probability `inspection_rate` × its credit
    /// multiplier (normalised so the stream's expected share is the rate).
    Random,
    /// The riskiest consignments by a risk score, the threshold set so that
    /// the stream's expected inspection share is the rate.
    RiskBased,
}

/// When tax risks are dealt with ("one declaration, step-by-step disposal").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TaxTiming {
    /// "First review, then release": document review blocks release.
    BeforeRelease,
    /// "First release, then review": declarations flagged for review are
    /// released first and reviewed by the tax centre after release.
    AfterRelease,
}

/// A kind of hidden non-compliance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NonCompliance {
    /// Prohibited or restricted goods, safety and quarantine risks.
    Prohibited,
    /// A declared value below the price paid.
    Undervalued,
    /// Goods declared under a cheaper tariff heading.
    Misclassified,
}

/// The two checks customs makes before release ("one declaration,
/// step-by-step disposal": security risks at the port, tax risks on paper).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Check {
    /// Physical inspection (scan or manual): sees the goods.
    Inspection,
    /// Document review: sees the papers.
    Review,
}

impl NonCompliance {
    pub const ALL: [NonCompliance; 3] = [
        NonCompliance::Prohibited,
        NonCompliance::Undervalued,
        NonCompliance::Misclassified,
    ];

    pub fn index(self) -> usize {
        self as usize
    }

    /// Whether `check` can find this kind: inspection sees prohibited goods
    /// and goods not what the declaration says, but not the price paid;
    /// review sees what the papers hide, value and tariff. The one statement
    /// of it: the simulation's flags and the risk scores both follow it.
    pub const fn seen_by(self, check: Check) -> bool {
        match (self, check) {
            (NonCompliance::Prohibited, Check::Inspection) => true,
            (NonCompliance::Prohibited, Check::Review) => false,
            (NonCompliance::Undervalued, Check::Inspection) => false,
            (NonCompliance::Undervalued, Check::Review) => true,
            (NonCompliance::Misclassified, _) => true,
        }
    }
}

/// Prevalence of each kind of non-compliance (mutually exclusive), for an
/// importer of general credit.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Truth {
    pub prohibited: f64,
    pub undervalued: f64,
    pub misclassified: f64,
}

impl Truth {
    pub fn total(&self) -> f64 {
        self.prohibited + self.undervalued + self.misclassified
    }

    pub fn of(&self, kind: NonCompliance) -> f64 {
        match kind {
            NonCompliance::Prohibited => self.prohibited,
            NonCompliance::Undervalued => self.undervalued,
            NonCompliance::Misclassified => self.misclassified,
        }
    }

    /// Prevalence of the kinds `check` can find: the share of consignments
    /// whose risk score for that check carries a signal.
    pub fn seen_by(&self, check: Check) -> f64 {
        NonCompliance::ALL
            .iter()
            .filter(|k| k.seen_by(check))
            .map(|k| self.of(*k))
            .sum()
    }

    /// The prevalences for an importer whose risk is `multiplier` times
    /// that of general credit, scaled down together if they would exceed 1.
    pub fn scaled(&self, multiplier: f64) -> Truth {
        let total = self.total() * multiplier;
        let k = if total > 1.0 {
            multiplier / total
        } else {
            multiplier
        };
        Truth {
            prohibited: self.prohibited * k,
            undervalued: self.undervalued * k,
            misclassified: self.misclassified * k,
        }
    }
}

/// Risk score of a consignment for one check under risk-based targeting:
/// `d × [carries what the check can find] + ln(credit multiplier) + Z`, Z
/// standard normal. The security score (inspection) and the tax score
/// (review) are two such scores with independent noise.
pub fn risk_score(d: f64, signal: bool, credit_multiplier: f64, z: f64) -> f64 {
    let signal = if signal { d } else { 0.0 };
    signal + credit_multiplier.ln() + z
}

/// The probability that a consignment whose score carries `signal` (d' or
/// 0) and whose credit class shifts it by `ln(credit_multiplier)` scores
/// above `threshold`.
pub fn selection_probability(threshold: f64, signal: f64, credit_multiplier: f64) -> f64 {
    Normal::standard().sf(threshold - signal - credit_multiplier.ln())
}

/// The score threshold above which a consignment is inspected so that the
/// expected inspected share of a stream is `rate`. `classes` lists, per
/// credit class, its share of the stream, its non-compliance prevalence and
/// its inspection multiplier.
pub fn risk_threshold(rate: f64, d: f64, classes: &[(f64, f64, f64)]) -> f64 {
    if rate <= 0.0 {
        return f64::INFINITY;
    }
    if rate >= 1.0 {
        return f64::NEG_INFINITY;
    }
    let share = |t: f64| -> f64 {
        classes
            .iter()
            .map(|&(w, p, m)| {
                w * (p * selection_probability(t, d, m)
                    + (1.0 - p) * selection_probability(t, 0.0, m))
            })
            .sum()
    };
    // The share falls as the threshold rises: bisect.
    let (mut lo, mut hi) = (-40.0, 40.0);
    for _ in 0..200 {
        let mid = (lo + hi) / 2.0;
        if share(mid) > rate {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    (lo + hi) / 2.0
}

/// VAT on imports `[share of value]`.
pub const VAT: f64 = 0.13;
/// Cross-border e-commerce pays 70% of the import VAT (and consumption tax)
/// within the limits, with no duty.
pub const ECOMMERCE_TAX_SHARE: f64 = 0.7;
/// The per-transaction limit of the e-commerce tax treatment `[yuan]`.
pub const ECOMMERCE_TRANSACTION_LIMIT: f64 = 5000.0;
/// Postal articles tax of 50 yuan or less is waived `[yuan]`.
pub const POSTAL_WAIVER: f64 = 50.0;

/// The tax rule of a stream.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TaxRule {
    pub channel: Channel,
    /// General-trade duty rate (also for e-commerce goods over the limit).
    pub duty_rate: f64,
    /// Postal articles tax rate of the goods' category (13%, 20% or 50%).
    pub postal_rate: f64,
}

impl TaxRule {
    /// General-trade tax: duty, and VAT on value plus duty. What goods
    /// outside the personal and e-commerce allowances pay (a postal article
    /// over the value limit, declared formally as goods).
    pub fn goods_tax(&self, value: f64, rate_factor: f64) -> f64 {
        let duty = value * self.duty_rate * rate_factor;
        duty + (value + duty) * VAT
    }

    /// Tax due on goods of customs value `value` `[yuan]`, with the tax
    /// rates scaled by `rate_factor` (1 for correct classification; lower
    /// for goods declared under a cheaper heading).
    pub fn tax(&self, value: f64, rate_factor: f64) -> f64 {
        let general = |v: f64| self.goods_tax(v, rate_factor);
        match self.channel {
            Channel::GeneralTrade => general(value),
            Channel::Ecommerce9610 | Channel::Bonded1210 => {
                if value <= ECOMMERCE_TRANSACTION_LIMIT {
                    ECOMMERCE_TAX_SHARE * value * VAT
                } else {
                    general(value)
                }
            }
            Channel::Postal => {
                let t = value * self.postal_rate * rate_factor;
                if t <= POSTAL_WAIVER { 0.0 } else { t }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tax_rules_follow_the_published_rates() {
        let rule = |channel| TaxRule {
            channel,
            duty_rate: 0.1,
            postal_rate: 0.2,
        };
        // 9610 within the limit: 70% of 13% VAT = 9.1%.
        let t = rule(Channel::Ecommerce9610).tax(1000.0, 1.0);
        assert!((t - 91.0).abs() < 1e-9);
        // Over the per-transaction limit: general trade duty + VAT.
        let t = rule(Channel::Ecommerce9610).tax(6000.0, 1.0);
        assert!((t - (600.0 + 6600.0 * 0.13)).abs() < 1e-9);
        // Postal: 20% of 200 = 40 <= 50, waived; 20% of 300 = 60 is due.
        assert_eq!(rule(Channel::Postal).tax(200.0, 1.0), 0.0);
        assert!((rule(Channel::Postal).tax(300.0, 1.0) - 60.0).abs() < 1e-9);
        // General trade: duty 100 + VAT 13% of 1100.
        let t = rule(Channel::GeneralTrade).tax(1000.0, 1.0);
        assert!((t - 243.0).abs() < 1e-9);
        // Declared under a heading at half the rates (misclassified): duty
        // 5% of 1000 = 50, VAT (not scaled) 13% of 1050; postal 10% of 1000
        // = 100 is due, 10% of 400 = 40 <= 50 is waived.
        let t = rule(Channel::GeneralTrade).tax(1000.0, 0.5);
        assert!((t - (50.0 + 1050.0 * 0.13)).abs() < 1e-9);
        assert!((rule(Channel::Postal).tax(1000.0, 0.5) - 100.0).abs() < 1e-9);
        assert_eq!(rule(Channel::Postal).tax(400.0, 0.5), 0.0);
    }

    #[test]
    fn risk_threshold_gives_the_requested_share() {
        let classes = [(0.2, 0.01, 0.2), (0.7, 0.05, 1.0), (0.1, 0.3, 5.0)];
        let normal = Normal::standard();
        for rate in [0.01, 0.05, 0.3] {
            let t = risk_threshold(rate, 2.0, &classes);
            let share: f64 = classes
                .iter()
                .map(|&(w, p, m)| {
                    w * (p * normal.sf(t - 2.0 - m.ln()) + (1.0 - p) * normal.sf(t - m.ln()))
                })
                .sum();
            assert!((share - rate).abs() < 1e-9, "{rate}: {share}");
        }
        assert_eq!(risk_threshold(0.0, 1.0, &classes), f64::INFINITY);
    }

    #[test]
    fn truth_scales_and_caps() {
        let t = Truth {
            prohibited: 0.1,
            undervalued: 0.2,
            misclassified: 0.1,
        };
        assert!((t.scaled(2.0).total() - 0.8).abs() < 1e-12);
        assert!((t.scaled(5.0).total() - 1.0).abs() < 1e-12);
    }
}
