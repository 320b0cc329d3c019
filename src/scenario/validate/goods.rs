//! A stream's goods and importers: channel, credit mix, hidden
//! non-compliance, value, tax rates, data quality and declaration options.

use super::super::raw::RawStream;
use super::policy::credit;
use super::values::{distribution, optional_choice, optional_number};
use super::{Context, at};
use crate::engine::Dist;
use crate::model::{Channel, SiteKind, TaxRule, Truth};

/// A stream's channel, importers and goods: everything but its arrivals
/// and its route.
pub(super) struct Attributes {
    pub(super) channel: Channel,
    pub(super) credit_mix: [f64; 3],
    pub(super) truth: Truth,
    pub(super) value: Dist,
    pub(super) tax: TaxRule,
    pub(super) data_quality: f64,
    pub(super) advance_share: f64,
    pub(super) advance_lead: Dist,
    pub(super) certificate_share: f64,
    pub(super) lab_test_share: f64,
    pub(super) direct_pickup_share: f64,
    pub(super) two_step_share: f64,
    pub(super) two_step_factor: f64,
    /// Cross-border e-commerce: the share of inventory lists whose three
    /// orders fail to match, and the rework before they are resubmitted.
    pub(super) order_mismatch: Option<(f64, Dist)>,
    pub(super) postal_limit: Option<crate::model::PostalLimit>,
    pub(super) annual_limit: Option<crate::model::AnnualLimit>,
}

/// Default general-trade duty rate (a typical most-favoured-nation rate).
const DUTY_RATE: f64 = 0.08;
/// Default postal articles tax rate (the 13% category).
const POSTAL_RATE: f64 = 0.13;
/// Default lodgement time of a two-step summary declaration, as a share of
/// the full declaration's.
const TWO_STEP_FACTOR: f64 = 0.25;
/// The postal value limit of a personal article from abroad `[yuan]`
/// (GACC Announcement 2010 No. 43; 800 from Hong Kong, Macao and Taiwan).
const POSTAL_LIMIT_YUAN: f64 = 1000.0;

/// A typical customs value by channel `[yuan]`, used as a fixed value when
/// the stream gives no `value` distribution: a B2B consignment is worth
/// tens of thousands, an e-commerce parcel or a postal article hundreds.
fn default_value(channel: Channel) -> Dist {
    let value = match channel {
        Channel::GeneralTrade => 150_000.0,
        Channel::Ecommerce9610 | Channel::Bonded1210 => 300.0,
        Channel::Postal => 400.0,
    };
    Dist::Deterministic { value }
}

pub(super) fn attributes(
    cx: &mut Context,
    path: &str,
    s: &RawStream,
    port_kind: Option<SiteKind>,
) -> Attributes {
    let d = &mut cx.d;
    let channel = optional_choice(
        d,
        &format!("{path}.channel"),
        &s.channel,
        &Channel::ALL,
        Channel::GeneralTrade,
    );
    if let (Channel::Bonded1210, Some(kind), Some(c)) = (channel, port_kind, &s.channel)
        && kind != SiteKind::BondedZone
    {
        let msg = "bonded_1210 consumer orders are cleared from stock in a bonded zone: the stream's port must be a site of kind \"bonded_zone\"";
        d.error(&format!("{path}.channel"), Some(at(c)), msg);
    }
    let credit_mix = credit(
        d,
        &format!("{path}.credit_mix"),
        &s.credit_mix,
        0.0,
        1.0,
        [0.0, 1.0, 0.0],
    );
    if let Some(m) = &s.credit_mix
        && ((credit_mix.iter().sum::<f64>() - 1.0).abs() > 1e-9)
    {
        let msg = format!(
            "shares add up to {}; give advanced, general and discredited shares that add up to 1 (absent ones count as 0 advanced, 1 general, 0 discredited)",
            credit_mix.iter().sum::<f64>()
        );
        d.error(&format!("{path}.credit_mix"), Some(at(m)), msg);
    }
    let mut share = |key: &str, v: &Option<toml::Spanned<f64>>| {
        optional_number(d, &format!("{path}.{key}"), v, 0.0, 1.0, 0.0)
    };
    let truth = Truth {
        prohibited: share("prohibited_share", &s.prohibited_share),
        undervalued: share("undervalued_share", &s.undervalued_share),
        misclassified: share("misclassified_share", &s.misclassified_share),
    };
    let advance_share = share("advance_declaration_share", &s.advance_declaration_share);
    let mismatch_share = share("order_mismatch_share", &s.order_mismatch_share);
    let two_step_share = share("two_step_share", &s.two_step_share);
    let certificate_share = share("certificate_share", &s.certificate_share);
    let lab_test_share = share("lab_test_share", &s.lab_test_share);
    let direct_pickup_share = share("direct_pickup_share", &s.direct_pickup_share);
    if truth.total() > 1.0 {
        let msg = format!(
            "prohibited, undervalued and misclassified shares add up to {}; they are exclusive and must add up to at most 1",
            truth.total()
        );
        d.error(path, None, msg);
    }
    let value = match &s.value {
        Some(v) => distribution(d, &format!("{path}.value"), &at(v), v.get_ref())
            .unwrap_or_else(|| default_value(channel)),
        None => default_value(channel),
    };
    let tax = TaxRule {
        channel,
        duty_rate: optional_number(
            d,
            &format!("{path}.duty_rate"),
            &s.duty_rate,
            0.0,
            10.0,
            DUTY_RATE,
        ),
        postal_rate: optional_number(
            d,
            &format!("{path}.postal_rate"),
            &s.postal_rate,
            0.0,
            1.0,
            POSTAL_RATE,
        ),
    };
    let data_quality = optional_number(
        d,
        &format!("{path}.data_quality"),
        &s.data_quality,
        0.0,
        20.0,
        channel.default_data_quality(),
    );
    let two_step_factor = optional_number(
        d,
        &format!("{path}.two_step_factor"),
        &s.two_step_factor,
        0.0,
        1.0,
        TWO_STEP_FACTOR,
    );
    // Lodged at the latest when the goods arrive unless the file says how
    // far ahead: the lead is the trader's choice and the port's, and no
    // single public figure sets it.
    let advance_lead = s
        .advance_lead
        .as_ref()
        .and_then(|v| distribution(d, &format!("{path}.advance_lead"), &at(v), v.get_ref()))
        .unwrap_or(Dist::Deterministic { value: 0.0 });
    let order_mismatch = order_mismatch(cx, path, s, channel, mismatch_share);
    let postal_limit = postal_limit(cx, path, s, channel);
    let annual_limit = super::annual_limit::annual_limit(cx, path, s, channel);
    Attributes {
        postal_limit,
        annual_limit,
        order_mismatch,
        channel,
        credit_mix,
        truth,
        value,
        tax,
        data_quality,
        advance_share,
        advance_lead,
        certificate_share,
        lab_test_share,
        direct_pickup_share,
        two_step_share,
        two_step_factor,
    }
}

/// The postal value limit (GACC Announcement 2010 No. 43): a personal
/// postal article from abroad may be worth at most 1,000 yuan (800 from
/// Hong Kong, Macao and Taiwan), unless it is a single indivisible item;
/// over it, the article is held until the recipient declares it formally
/// as goods, and general-trade tax applies. Applied where the file gives
/// the recipient's time for that (`postal_limit_rework`), which no public
/// figure sets.
fn postal_limit(
    cx: &mut Context,
    path: &str,
    s: &RawStream,
    channel: Channel,
) -> Option<crate::model::PostalLimit> {
    let d = &mut cx.d;
    let keys = [
        (
            "postal_limit_rework",
            s.postal_limit_rework.as_ref().map(at),
        ),
        ("postal_limit_yuan", s.postal_limit_yuan.as_ref().map(at)),
        ("indivisible_share", s.indivisible_share.as_ref().map(at)),
    ];
    if channel != Channel::Postal {
        for (key, span) in &keys {
            if let Some(span) = span {
                let msg = format!(
                    "the postal value limit applies to postal articles, not to {}",
                    channel.name()
                );
                d.error(&format!("{path}.{key}"), Some(span.clone()), msg);
            }
        }
        return None;
    }
    let limit = optional_number(
        d,
        &format!("{path}.postal_limit_yuan"),
        &s.postal_limit_yuan,
        0.0,
        1e9,
        POSTAL_LIMIT_YUAN,
    );
    let indivisible = optional_number(
        d,
        &format!("{path}.indivisible_share"),
        &s.indivisible_share,
        0.0,
        1.0,
        0.0,
    );
    let Some(rework) = &s.postal_limit_rework else {
        for (key, span) in &keys[1..] {
            if let Some(span) = span {
                d.error(
                    &format!("{path}.{key}"),
                    Some(span.clone()),
                    "applies only with postal_limit_rework, the recipient's time to declare an over-limit article formally, e.g. postal_limit_rework = { dist = \"lognormal\", mean = 72.0, sd = 48.0 } (hours)",
                );
            }
        }
        return None;
    };
    let rework = distribution(
        d,
        &format!("{path}.postal_limit_rework"),
        &at(rework),
        rework.get_ref(),
    )?;
    Some(crate::model::PostalLimit {
        limit,
        indivisible,
        rework,
    })
}

/// The "three orders" check of cross-border e-commerce: order, payment and
/// logistics data must match before an inventory list is accepted. A share
/// that fails is rejected and resubmitted after `order_rework` (the
/// platform's and the logistics firm's time). Only for 9610 and 1210; a
/// share needs its rework time, since clearsim has no default for it.
fn order_mismatch(
    cx: &mut Context,
    path: &str,
    s: &RawStream,
    channel: Channel,
    share: f64,
) -> Option<(f64, Dist)> {
    let d = &mut cx.d;
    let ecommerce = matches!(channel, Channel::Ecommerce9610 | Channel::Bonded1210);
    if let Some(v) = &s.order_mismatch_share
        && !ecommerce
    {
        let msg = format!(
            "the three-orders check applies to cross-border e-commerce (ecommerce_9610, bonded_1210), not to {}",
            channel.name()
        );
        d.error(&format!("{path}.order_mismatch_share"), Some(at(v)), msg);
        return None;
    }
    let rework = s
        .order_rework
        .as_ref()
        .and_then(|r| distribution(d, &format!("{path}.order_rework"), &at(r), r.get_ref()));
    match (share > 0.0, rework) {
        (true, Some(r)) => Some((share, r)),
        (true, None) if s.order_rework.is_none() => {
            let span = s.order_mismatch_share.as_ref().map(at);
            d.error(
                &format!("{path}.order_rework"),
                span,
                "missing; a mismatch share needs the rework time before resubmission, e.g. order_rework = { dist = \"lognormal\", mean = 4.0, sd = 3.0 } (hours)",
            );
            None
        }
        _ => None,
    }
}
