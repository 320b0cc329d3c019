//! Demand streams: arrival rates, profiles, dated peaks, and their routes.

use std::collections::HashMap;
use std::ops::Range;

use toml::Spanned;

use super::super::diagnostics::Diagnostics;
use super::super::raw::{RawPeak, RawStream};
use super::choice;
use super::goods::attributes;
use super::places::{lookup, unique_id};
use super::values::{self, missing, number_in};
use super::{Context, at};
use crate::engine::{ArrivalProcess, Peak};
use crate::model::{
    Channel, Choice, Condition, CreditClass, Decider, Link, Mode, PeakPeriod, Region, Route,
    RouteContext, Site, SiteId, SiteKind, Stream,
};

/// The validated network streams are routed through.
pub(super) struct Network<'a> {
    /// Nationwide integration: the whole country acts as one region.
    pub nationwide: bool,
    /// The centre reviewing for the whole country when nationwide.
    pub national_centre: Option<SiteId>,
    pub sites: &'a [Site],
    pub activities: &'a [crate::model::Activity],
    pub regions: &'a [Region],
    pub links: &'a [Link],
}

impl Network<'_> {
    /// A site's region: its own, or its supervising customs'.
    fn region_of(&self, s: SiteId) -> Option<usize> {
        let site = &self.sites[s.0 as usize];
        site.region
            .or_else(|| site.customs.and_then(|c| self.sites[c.0 as usize].region))
            .map(|r| r.0 as usize)
    }
}

/// The largest rate multiplier (hour of day, day of week, peak).
const MAX_MULTIPLIER: f64 = 1_000.0;
/// The most dated peaks one stream may have.
const MAX_PEAKS: usize = 200;
/// Default weight of the newest release in the brokers' running estimate of
/// a port's clearance time: about the last 20 releases count (a modelling
/// choice; no published figure says how fast brokers learn).
const DEFAULT_TIME_LEARNING: f64 = 0.05;
/// The most candidate arrivals one stream's thinning may draw in a
/// replication: its largest rate times the horizon.
const MAX_CANDIDATES: f64 = 1e10;
/// The most consignments expected to arrive in one replication, over all
/// streams.
pub(super) const MAX_ARRIVALS: f64 = 1e9;

pub(super) fn unknown_mode(m: &str) -> String {
    let modes: Vec<&str> = Mode::ALL.iter().map(|(n, _)| *n).collect();
    format!(
        "unknown clearance mode {m:?}; expected one of {}",
        modes.join(", ")
    )
}

pub(super) fn streams(cx: &mut Context, raw: &[Spanned<RawStream>], net: &Network) -> Vec<Stream> {
    let sites = net.sites;
    let mut ids = HashMap::new();
    let mut first = HashMap::new();
    let mut out = Vec::new();
    let mut pending = Vec::new();
    let mut pending_fallbacks = Vec::new();
    // Expected arrivals per replication: the total and the largest stream.
    let mut expected = (0.0, 0.0, None);
    // Whose rules screen a stream needs the whole network: set by
    // `Model::prepare_screening` once validation is done.
    let rules_not_yet_set = crate::model::Policy::basic(0.0, 0.0).rules();
    for (i, s) in raw.iter().enumerate() {
        let path = format!("streams[{i}]");
        let span = at(s);
        let s = s.get_ref();
        let d = &mut cx.d;
        let id = match &s.id {
            Some(id) => unique_id(
                d,
                &mut ids,
                &mut first,
                &format!("{path}.id"),
                id,
                i,
                "stream",
            ),
            None => {
                missing(
                    d,
                    &format!("{path}.id"),
                    &span,
                    "give the stream an id such as \"general_trade\"",
                );
                String::new()
            }
        };
        let port = match &s.port {
            Some(p) => lookup(d, &cx.site_index, &format!("{path}.port"), p, "site"),
            None => {
                missing(
                    d,
                    &format!("{path}.port"),
                    &span,
                    "name the entry port (a [[sites]] id) where these consignments arrive",
                );
                None
            }
        };
        if let (Some(p), Some(raw_port)) = (port, &s.port) {
            let site = &sites[p.0 as usize];
            if !site.kind.is_entry_point() {
                let msg = format!(
                    "site {:?} is an inland customs office; consignments arrive at a port, postal hub, e-commerce site or bonded zone",
                    site.id
                );
                d.error(&format!("{path}.port"), Some(at(raw_port)), msg);
            }
        }
        let own_mode = s.mode.as_ref().and_then(|m| {
            let parsed = Mode::parse(m.get_ref());
            if parsed.is_none() {
                d.error(
                    &format!("{path}.mode"),
                    Some(at(m)),
                    unknown_mode(m.get_ref()),
                );
            }
            parsed
        });
        // A scenario-wide policy mode overrides the streams' own, so the same
        // demand can be run under every mode; a mode asked for on the
        // command line (`compare`) only where the stream can take it.
        let own_mode = own_mode.unwrap_or(Mode::PortClearance);
        let mut mode = cx.policy_mode.unwrap_or(own_mode);
        let strict = !cx.mode_from_command_line;
        let home = match &s.home {
            Some(h) => lookup(d, &cx.site_index, &format!("{path}.home"), h, "site").filter(|id| {
                let ok = sites[id.0 as usize].kind == SiteKind::Customs;
                if !ok {
                    let msg = format!("site {:?} is not a customs office; `home` names the importer's territorial customs (a site of kind \"customs\")", h.get_ref());
                    d.error(&format!("{path}.home"), Some(at(h)), msg);
                }
                ok
            }),
            None => {
                if mode.needs_home() && (strict || own_mode.needs_home()) {
                    let msg = format!("mode {} needs the importer's home customs: add home = \"<a customs site id>\"", mode.name());
                    d.error(&format!("{path}.home"), Some(span.clone()), msg);
                }
                None
            }
        };
        let rate = match (&s.rate_per_h, &s.rate_per_day) {
            (Some(r), None) => number_in(
                d,
                &format!("{path}.rate_per_h"),
                &at(r),
                *r.get_ref(),
                0.0,
                f64::INFINITY,
            ),
            (None, Some(r)) => number_in(
                d,
                &format!("{path}.rate_per_day"),
                &at(r),
                *r.get_ref(),
                0.0,
                f64::INFINITY,
            )
            .map(|r| r / 24.0),
            (Some(_), Some(r)) => {
                d.error(
                    &format!("{path}.rate_per_day"),
                    Some(at(r)),
                    "give rate_per_h or rate_per_day, not both",
                );
                None
            }
            (None, None) => {
                missing(
                    d,
                    &format!("{path}.rate_per_h"),
                    &span,
                    "give the mean arrival rate as rate_per_h or rate_per_day (consignments)",
                );
                None
            }
        };
        let hour_of_day = profile::<24>(
            d,
            &format!("{path}.hour_of_day"),
            &s.hour_of_day,
            "24 multipliers, one per hour from 00:00",
        );
        let day_of_week = profile::<7>(
            d,
            &format!("{path}.day_of_week"),
            &s.day_of_week,
            "7 multipliers, Monday first",
        );
        let attrs = attributes(cx, &path, s, port.map(|p| sites[p.0 as usize].kind));
        let d = &mut cx.d;
        let mut peaks = Vec::new();
        let mut peak_periods = Vec::new();
        for (k, p) in s.peaks.iter().enumerate() {
            if let Some(peak) = peak(
                d,
                &format!("{path}.peaks[{k}]"),
                &at(p),
                p.get_ref(),
                cx.start_day,
                cx.horizon,
            ) {
                peak_periods.push(PeakPeriod {
                    name: values::optional_title(
                        d,
                        &format!("{path}.peaks[{k}].name"),
                        &p.get_ref().name,
                    )
                    .unwrap_or_else(|| "peak".into()),
                    from: peak.from,
                    until: peak.until,
                });
                peaks.push(peak);
            }
        }
        if s.peaks.len() > MAX_PEAKS {
            let msg = format!("{} peaks; at most {MAX_PEAKS} are allowed", s.peaks.len());
            d.error(&format!("{path}.peaks"), Some(at(&s.peaks[MAX_PEAKS])), msg);
        }
        let arrivals = ArrivalProcess::new(
            rate.unwrap_or(0.0) * cx.volume_scale,
            hour_of_day,
            day_of_week,
            peaks,
            cx.start_weekday,
        );
        check_demand(d, &path, s, &span, &arrivals, cx.horizon, &mut expected);
        let leg = port.map(|port| Leg {
            path: &path,
            span: &span,
            port,
            home,
        });
        if !strict && mode != own_mode {
            let refusal = if attrs.channel != Channel::GeneralTrade {
                Some(format!(
                    "a {} stream keeps its own clearance procedure; the five modes are for general-trade declarations",
                    attrs.channel.name()
                ))
            } else if mode.needs_home() && home.is_none() {
                Some("it names no home customs".to_string())
            } else {
                leg.as_ref()
                    .and_then(|leg| route_refusal(d, net, mode, leg))
            };
            if let Some(why) = refusal {
                cx.kept_own_mode.push(format!(
                    "stream {id:?} keeps {} instead of {}: {why}",
                    own_mode.name(),
                    mode.name()
                ));
                mode = own_mode;
            }
        }
        let d = &mut cx.d;
        let route = match &leg {
            Some(leg) => built_route(d, net, mode, leg),
            None => Route { steps: Vec::new() },
        };
        if attrs.lab_test_share > 0.0
            && leg.is_some()
            && !route
                .steps
                .iter()
                .any(|st| st.condition == crate::model::Condition::NeedsLabTest)
            && let Some(v) = &s.lab_test_share
        {
            let msg = format!(
                "no site on this stream's route (mode {}) tests samples: give the site that inspects its goods a [sites.steps.lab_test] with a duration (and a resource for the laboratory's analysts), or drop lab_test_share",
                mode.name()
            );
            d.error(&format!("{path}.lab_test_share"), Some(at(v)), msg);
        }
        let staffed_lodgement = route.steps.iter().any(|st| {
            let a = &net.activities[st.activity.0 as usize];
            a.step == crate::model::StepKind::Lodgement && a.pool.is_some()
        });
        for (present, key, whose) in [
            (
                attrs.order_mismatch.is_some(),
                "order_mismatch_share",
                "the three-orders rework is the platform's time",
            ),
            (
                attrs.postal_limit.is_some(),
                "postal_limit_rework",
                "an over-limit article's formal declaration is the recipient's time",
            ),
            (
                attrs.annual_limit.is_some(),
                "annual_limit_rework",
                "an over-limit order's re-declaration is the buyer's time",
            ),
        ] {
            if present && staffed_lodgement {
                let msg = format!(
                    "{whose}, not an officer's, but this stream's lodgement step holds a resource that would wait through it; give lodgement no resource, or drop {key}"
                );
                d.error(&format!("{path}.{key}"), Some(span.clone()), msg);
            }
        }
        if let (Some(v), Some(p)) = (&s.direct_pickup_share, port) {
            let discharge =
                sites[p.0 as usize].activities[crate::model::StepKind::Discharge.index()];
            if *v.get_ref() > 0.0 && net.activities[discharge.0 as usize].direct_pickup.is_none() {
                let msg = format!(
                    "port {:?} does not offer ship-side pick-up; give its discharge step a direct_pickup duration, e.g. [sites.steps.discharge] direct_pickup = {{ dist = \"uniform\", min = 0.08, max = 0.14 }}",
                    sites[p.0 as usize].id
                );
                cx.d.error(&format!("{path}.direct_pickup_share"), Some(at(v)), msg);
            }
        }
        let mut ports = choice::alternative_ports(cx, &path, s, port, sites);
        let usual = choice::Usual {
            mode,
            channel: attrs.channel,
            has_home: home.is_some(),
        };
        let mut modes = choice::alternative_modes(cx, &path, s, &usual);
        if choice::check_option_count(cx, &path, s, ports.len(), modes.len()).is_err() {
            (ports, modes) = (Vec::new(), Vec::new());
        }
        let no_choice = ports.is_empty() && modes.is_empty();
        let arbitrage_share = values::optional_number(
            &mut cx.d,
            &format!("{path}.arbitrage_share"),
            &s.arbitrage_share,
            0.0,
            1.0,
            0.0,
        );
        if arbitrage_share > 0.0
            && no_choice
            && let Some(a) = &s.arbitrage_share
        {
            cx.d.warning(
                &format!("{path}.arbitrage_share"),
                Some(at(a)),
                "has no effect: the stream lists no alternative_ports or alternative_modes to move to",
            );
        }
        let time_share = values::optional_number(
            &mut cx.d,
            &format!("{path}.time_choice_share"),
            &s.time_choice_share,
            0.0,
            1.0,
            0.0,
        );
        let learning = values::optional_number(
            &mut cx.d,
            &format!("{path}.time_learning"),
            &s.time_learning,
            f64::MIN_POSITIVE,
            1.0,
            DEFAULT_TIME_LEARNING,
        );
        if no_choice {
            for (key, v) in [
                ("time_choice_share", &s.time_choice_share),
                ("time_learning", &s.time_learning),
            ] {
                if let Some(v) = v {
                    cx.d.warning(
                        &format!("{path}.{key}"),
                        Some(at(v)),
                        "has no effect: the stream lists no alternative_ports or alternative_modes to choose from",
                    );
                }
            }
        }
        let d = &mut cx.d;
        for &(k, alt) in &ports {
            let alt_path = format!("{path}.alternative_ports[{k}]");
            let leg = Leg {
                path: &alt_path,
                span: &span,
                port: alt,
                home,
            };
            let r = built_route(d, net, mode, &leg);
            pending.push((out.len(), alt, mode, r));
        }
        // Each alternative mode at the usual port, then at every
        // alternative port: an importer weighs every pair it can reach.
        if let Some(usual_port) = port {
            for &(k, m) in &modes {
                let key = format!("{path}.alternative_modes[{k}]");
                for p in std::iter::once(usual_port).chain(ports.iter().map(|(_, p)| *p)) {
                    let leg = Leg {
                        path: &key,
                        span: &span,
                        port: p,
                        home,
                    };
                    if let Some(why) = route_refusal(d, net, m, &leg) {
                        let msg = format!(
                            "mode {} cannot route this stream from port {:?}: {why}",
                            m.name(),
                            sites[p.0 as usize].id
                        );
                        d.error(&key, s.alternative_modes.as_ref().map(at), msg);
                        continue;
                    }
                    pending.push((out.len(), p, m, built_route(d, net, m, &leg)));
                }
            }
        }
        if cx.mode_eligibility
            && let Some(leg) = &leg
        {
            for (classes, fallback) in fallback_modes(d, net, mode, leg, &attrs.credit_mix) {
                let r = built_route(d, net, fallback, leg);
                pending_fallbacks.push((out.len(), classes, fallback, r));
            }
        }
        out.push(Stream {
            id,
            port: port.unwrap_or(SiteId(0)),
            mode,
            home,
            arrivals,
            scan_share: route_scan_share(&route, net),
            route,
            channel: attrs.channel,
            credit_mix: attrs.credit_mix,
            truth: attrs.truth,
            value: attrs.value,
            tax: attrs.tax,
            data_quality: attrs.data_quality,
            advance_share: attrs.advance_share,
            advance_lead: attrs.advance_lead,
            certificate_share: attrs.certificate_share,
            lab_test_share: attrs.lab_test_share,
            direct_pickup_share: attrs.direct_pickup_share,
            two_step_share: attrs.two_step_share,
            two_step_factor: attrs.two_step_factor,
            order_mismatch: attrs.order_mismatch,
            postal_limit: attrs.postal_limit,
            annual_limit: attrs.annual_limit,
            screening: Default::default(),
            peak_periods,
            decider: Decider::National,
            rules: rules_not_yet_set,
            review_rules: rules_not_yet_set,
            category: s.category.as_ref().map(|c| c.get_ref().clone()),
            tax_centre: None,
            stock: None,
            restocks: None,
            choice: Choice {
                arbitrage_share,
                time_share,
                learning,
                demand_share: 1.0,
                by_credit: [out.len() as u32; 3],
                ..Choice::default()
            },
        });
    }
    if let (total, largest, Some((path, span))) = expected
        && (total.is_nan() || total > MAX_ARRIVALS)
    {
        let msg = format!(
            "about {total:.3e} consignments would arrive per replication (the sum over \
             streams of rate × volume_scale × horizon, with hour, day and peak multipliers; \
             this stream {largest:.3e}); at most {MAX_ARRIVALS:.0e} are allowed: lower the \
             rates, volume_scale or the horizon"
        );
        cx.d.error(&path, Some(span), msg);
    }
    // Alternative ports and modes become streams of their own after every
    // written one, so that adding an alternative shifts no other stream's
    // random numbers.
    for (parent, port, mode, route) in pending {
        let index = out.len() as u32;
        let p = &mut out[parent];
        p.choice.alternatives.push(index);
        let alt = generated(p, parent, index, port, mode, route, net);
        out.push(alt);
    }
    // Likewise the streams of importers whose credit class the mode is not
    // open to.
    for (parent, classes, mode, route) in pending_fallbacks {
        let index = out.len() as u32;
        let p = &mut out[parent];
        p.choice.fallbacks.push(index);
        for c in classes {
            p.choice.by_credit[c.index()] = index;
        }
        let port = p.port;
        let fallback = generated(p, parent, index, port, mode, route, net);
        out.push(fallback);
    }
    out
}

/// A stream generated from written stream `parent` (at index `index`):
/// the same importers and goods at `port` under `mode`, receiving only the
/// consignments its parent's arrivals send it.
fn generated(
    parent_stream: &Stream,
    parent: usize,
    index: u32,
    port: SiteId,
    mode: Mode,
    route: Route,
    net: &Network,
) -> Stream {
    let mut s = parent_stream.clone();
    s.choice = Choice {
        parent: Some(parent as u32),
        by_credit: [index; 3],
        ..Choice::default()
    };
    s.port = port;
    s.mode = mode;
    s.scan_share = route_scan_share(&route, net);
    s.route = route;
    s.peak_periods.clear();
    s
}

/// For a stream under `mode`, the credit classes present in its mix that
/// the mode is not open to, grouped by the mode each falls back to: the
/// first down the chain ([`Mode::fallback`]) open to the class and able to
/// route the stream (port clearance always can).
fn fallback_modes(
    d: &mut Diagnostics,
    net: &Network,
    mode: Mode,
    leg: &Leg,
    mix: &[f64; 3],
) -> Vec<(Vec<CreditClass>, Mode)> {
    let mut out: Vec<(Vec<CreditClass>, Mode)> = Vec::new();
    for class in CreditClass::ALL {
        if mix[class.index()] == 0.0 || mode.open_to(class) {
            continue;
        }
        let mut m = mode.fallback();
        while m != Mode::PortClearance
            && !(m.open_to(class)
                && (!m.needs_home() || leg.home.is_some())
                && route_refusal(d, net, m, leg).is_none())
        {
            m = m.fallback();
        }
        match out.iter_mut().find(|(_, f)| *f == m) {
            Some((classes, _)) => classes.push(class),
            None => out.push((vec![class], m)),
        }
    }
    out
}

/// A stream's entry port and home customs, and where problems with its
/// route are reported.
struct Leg<'a> {
    path: &'a str,
    span: &'a Range<usize>,
    port: SiteId,
    home: Option<SiteId>,
}

/// The stream's route as the event loop walks it: checked, in-line
/// scanners applied, steps that do nothing dropped.
fn built_route(d: &mut Diagnostics, net: &Network, mode: Mode, leg: &Leg) -> Route {
    let mut r = route(d, net, mode, leg);
    r.apply_in_line_scanning(net.activities);
    r.drop_empty_steps(net.activities);
    r
}

/// Why `mode` cannot route a stream from `port` (the first problem), or
/// `None` if it can. Leaves no diagnostic behind.
fn route_refusal(d: &mut Diagnostics, net: &Network, mode: Mode, leg: &Leg) -> Option<String> {
    let before = d.items.len();
    route(d, net, mode, leg);
    let why = d.items.get(before).map(|i| i.message.clone());
    d.items.truncate(before);
    why
}

/// The share of inspections done by scanner where this route inspects.
fn route_scan_share(route: &Route, net: &Network) -> f64 {
    route
        .steps
        .iter()
        .find(|s| s.condition == Condition::FlaggedForScan)
        .map_or(0.0, |s| {
            let site = net.activities[s.activity.0 as usize].site;
            let scan = net.sites[site.0 as usize].activities[crate::model::StepKind::Scan.index()];
            net.activities[scan.0 as usize].scan_share
        })
}

/// The stream's route under `mode`, after checking that the network has
/// what the mode needs: a link for goods that travel inland, a coordination
/// delay where two customs are not integrated, an integrated region with a
/// centre for regional integration.
fn route(d: &mut Diagnostics, net: &Network, mode: Mode, leg: &Leg) -> Route {
    let &Leg {
        path,
        span,
        port,
        home,
    } = leg;
    let site = |s: SiteId| &net.sites[s.0 as usize];
    let mut ctx = RouteContext {
        port: site(port),
        home: home.map(site),
        centre: None,
        transport: None,
        coordination: None,
    };
    let Some(home) = home else {
        return mode.route(&ctx);
    };
    let (port_id, home_id) = (&site(port).id, &site(home).id);
    if mode.needs_link() {
        ctx.transport = net
            .links
            .iter()
            .find(|l| l.from == port && l.to == home)
            .map(|l| l.activity);
        if ctx.transport.is_none() {
            let msg = format!(
                "mode {} moves goods from {port_id:?} to {home_id:?}, but no [[links]] entry has from = {port_id:?} and to = {home_id:?}; add one with its transport time",
                mode.name()
            );
            d.error(&format!("{path}.mode"), Some(span.clone()), msg);
        }
    }
    let home_region = net.region_of(home);
    let port_region = net.region_of(port);
    let same_customs = site(port).customs == Some(home);
    let integrated = net.nationwide
        || same_customs
        || (home_region.is_some()
            && home_region == port_region
            && net.regions[home_region.unwrap_or(0)].integrated);
    match mode {
        Mode::TerritorialDeclarationPortRelease | Mode::TerritorialDeclarationRelease
            if !integrated =>
        {
            let region = home_region.map(|r| &net.regions[r]);
            ctx.coordination = region.and_then(|r| r.coordination);
            if ctx.coordination.is_none() {
                let which =
                    region.map_or("its region".to_string(), |r| format!("region {:?}", r.id));
                let msg = format!(
                    "home customs {home_id:?} and port {port_id:?} are not integrated, so the review result reaches the port after a coordination delay; give {which} a coordination_delay{}",
                    if region.is_none() {
                        " (and the home customs a region)"
                    } else {
                        ""
                    }
                );
                d.error(&format!("{path}.home"), Some(span.clone()), msg);
            }
        }
        Mode::RegionalIntegration => {
            let region = home_region.map(|r| &net.regions[r]);
            match region {
                _ if net.nationwide => {
                    ctx.centre = region
                        .and_then(|r| r.centre)
                        .or(net.national_centre)
                        .map(site);
                    if ctx.centre.is_none() {
                        let msg = "nationwide integration reviews at a clearance centre: give the scenario a national_centre, or the home customs' region a centre";
                        d.error(&format!("{path}.mode"), Some(span.clone()), msg);
                    }
                }
                Some(r) if r.integrated && home_region == port_region => {
                    ctx.centre = r.centre.map(site);
                    if ctx.centre.is_none() {
                        let msg = format!(
                            "regional_integration reviews at the region's clearance centre; give region {:?} a centre (a site of kind \"clearance_centre\")",
                            r.id
                        );
                        d.error(&format!("{path}.mode"), Some(span.clone()), msg);
                    }
                }
                _ => {
                    let msg = format!(
                        "regional_integration needs the home customs {home_id:?} and the port {port_id:?} in the same integrated region (a [[regions]] entry with integrated = true)"
                    );
                    d.error(&format!("{path}.mode"), Some(span.clone()), msg);
                }
            }
        }
        _ => {}
    }
    mode.route(&ctx)
}

/// A stream's demand must stay countable: its largest rate finite and its
/// thinning candidates bounded; adds its expected arrivals to `expected`
/// (total, largest, and where the largest stream's rate is).
fn check_demand(
    d: &mut Diagnostics,
    path: &str,
    s: &RawStream,
    span: &Range<usize>,
    arrivals: &ArrivalProcess,
    horizon: f64,
    expected: &mut (f64, f64, Option<(String, Range<usize>)>),
) {
    let (key, at_rate) = match (&s.rate_per_h, &s.rate_per_day) {
        (Some(r), _) => ("rate_per_h", at(r)),
        (None, Some(r)) => ("rate_per_day", at(r)),
        (None, None) => ("rate_per_h", span.clone()),
    };
    let rate_path = format!("{path}.{key}");
    let candidates = arrivals.max_rate() * horizon;
    let n = if candidates.is_finite() {
        arrivals.expected_count(horizon)
    } else {
        f64::INFINITY
    };
    if n > MAX_ARRIVALS {
        let msg = format!(
            "about {n:.3e} consignments would arrive per replication (rate × volume_scale × \
             horizon, with hour, day and peak multipliers); at most {MAX_ARRIVALS:.0e} are \
             allowed: lower the rate, volume_scale or the horizon"
        );
        d.error(&rate_path, Some(at_rate), msg);
        return;
    }
    if candidates.is_nan() || candidates > MAX_CANDIDATES {
        let msg = format!(
            "the stream's largest rate (rate × volume_scale × its largest hour, day and \
             overlapping peak multipliers) is {:.3e}/h, {candidates:.3e} candidate arrivals \
             over the horizon; at most {MAX_CANDIDATES:.0e} are allowed: lower the rate, \
             volume_scale, the multipliers or the horizon",
            arrivals.max_rate()
        );
        d.error(&rate_path, Some(at_rate), msg);
        return;
    }
    expected.0 += n;
    if expected.2.is_none() || n > expected.1 {
        expected.1 = n;
        expected.2 = Some((rate_path, at_rate));
    }
}

/// An hour-of-day or day-of-week profile of `N` non-negative multipliers.
fn profile<const N: usize>(
    d: &mut Diagnostics,
    path: &str,
    v: &Option<Spanned<Vec<f64>>>,
    what: &str,
) -> [f64; N] {
    let Some(v) = v else { return [1.0; N] };
    let span = at(v);
    let v = v.get_ref();
    if v.len() != N {
        d.error(
            path,
            Some(span),
            format!("has {} values; expected {what}", v.len()),
        );
        return [1.0; N];
    }
    let mut out = [1.0; N];
    for (k, x) in v.iter().enumerate() {
        out[k] =
            number_in(d, &format!("{path}[{k}]"), &span, *x, 0.0, MAX_MULTIPLIER).unwrap_or(1.0);
    }
    if out.iter().all(|x| *x == 0.0) {
        d.error(path, Some(span), "all multipliers are zero: nothing would ever arrive; remove the stream or give some hours a positive multiplier");
    }
    out
}

/// One end of a peak: a date (needs `start_date`) or hours from the start.
fn peak_time(
    d: &mut Diagnostics,
    path: &str,
    span: &Range<usize>,
    key: &str,
    date: &Option<Spanned<toml::value::Datetime>>,
    hours: &Option<Spanned<f64>>,
    start_day: Option<i64>,
) -> Option<f64> {
    match (date, hours) {
        (Some(_), Some(h)) => {
            d.error(
                &format!("{path}.{key}_h"),
                Some(at(h)),
                format!("give {key} (a date) or {key}_h (hours from the start), not both"),
            );
            None
        }
        (Some(dt), None) => match start_day {
            Some(sd) => values::hours_since(d, &format!("{path}.{key}"), &at(dt), dt.get_ref(), sd),
            None => {
                let msg = format!(
                    "a dated peak needs the scenario's start_date (e.g. start_date = 2026-11-01), or give {key}_h in hours from the start"
                );
                d.error(&format!("{path}.{key}"), Some(at(dt)), msg);
                None
            }
        },
        (None, Some(h)) => number_in(
            d,
            &format!("{path}.{key}_h"),
            &at(h),
            *h.get_ref(),
            0.0,
            f64::INFINITY,
        ),
        (None, None) => {
            missing(
                d,
                &format!("{path}.{key}"),
                span,
                &format!("give {key} as a date (e.g. 2026-11-11) or {key}_h in hours"),
            );
            None
        }
    }
}

fn peak(
    d: &mut Diagnostics,
    path: &str,
    span: &Range<usize>,
    p: &RawPeak,
    start_day: Option<i64>,
    horizon: f64,
) -> Option<Peak> {
    let from = peak_time(d, path, span, "from", &p.from, &p.from_h, start_day);
    let until = peak_time(d, path, span, "until", &p.until, &p.until_h, start_day);
    let multiplier = match &p.multiplier {
        Some(m) => number_in(
            d,
            &format!("{path}.multiplier"),
            &at(m),
            *m.get_ref(),
            0.0,
            MAX_MULTIPLIER,
        ),
        None => {
            missing(
                d,
                &format!("{path}.multiplier"),
                span,
                "give the rate multiplier during the peak, e.g. 4.0",
            );
            None
        }
    };
    let (from, until, multiplier) = (from?, until?, multiplier?);
    if from >= until {
        d.error(path, Some(span.clone()), format!("the peak ends ({until:.2} h) before it starts ({from:.2} h); `until` must be later than `from`"));
        return None;
    }
    if from >= horizon {
        let name = p.name.as_ref().map_or("the peak", |n| n.get_ref().as_str());
        d.warning(
            path,
            Some(span.clone()),
            format!(
                "{name} starts at {from:.2} h, after the horizon ({horizon} h): it has no effect"
            ),
        );
    }
    Some(Peak {
        from,
        until,
        multiplier,
    })
}
