//! The network around the sites: integrated regions with their clearance
//! centres and coordination delays, which customs supervises each port, and
//! the transport links from ports to inland customs.

use std::collections::HashMap;

use toml::Spanned;

use super::super::raw::{RawLink, RawRegion, RawSite};
use super::places::{lookup, unique_id};
use super::values::{self, distribution, missing, number_in};
use super::{Context, at};
use crate::engine::Dist;
use crate::model::{
    Activity, ActivityId, Link, Party, Region, RegionId, Site, SiteId, SiteKind, StepKind, Transit,
};

/// Regions' ids, names, integration flag and centre (coordination delays
/// become activities later, in [`region_activities`]).
pub(super) fn regions(cx: &mut Context, raw: &[Spanned<RawRegion>], sites: &[Site]) -> Vec<Region> {
    let mut first = HashMap::new();
    let mut out = Vec::new();
    for (i, r) in raw.iter().enumerate() {
        let path = format!("regions[{i}]");
        let span = at(r);
        let r = r.get_ref();
        let d = &mut cx.d;
        let id = match &r.id {
            Some(id) => unique_id(
                d,
                &mut cx.region_index,
                &mut first,
                &format!("{path}.id"),
                id,
                RegionId(i as u32),
                "region",
            ),
            None => {
                missing(
                    d,
                    &format!("{path}.id"),
                    &span,
                    "give the region an id such as \"yangtze\"",
                );
                String::new()
            }
        };
        let centre = r.centre.as_ref().and_then(|c| {
            let cpath = format!("{path}.centre");
            let site = lookup(d, &cx.site_index, &cpath, c, "site")?;
            if sites[site.0 as usize].kind != SiteKind::ClearanceCentre {
                let msg = format!("site {:?} is not a clearance_centre; a region's centre must be a site of kind \"clearance_centre\"", c.get_ref());
                d.error(&cpath, Some(at(c)), msg);
            }
            Some(site)
        });
        let supervision =
            super::policy::supervision(d, &format!("{path}.supervision"), &r.supervision);
        let pooled_data_gain = r.pooled_data_gain.as_ref().and_then(|g| {
            number_in(
                d,
                &format!("{path}.pooled_data_gain"),
                &at(g),
                *g.get_ref(),
                0.0,
                super::policy::MAX_DISCRIMINATION,
            )
        });
        out.push(Region {
            name: values::optional_title(&mut cx.d, &format!("{path}.name"), &r.name)
                .unwrap_or_else(|| id.clone()),
            id,
            integrated: r.integrated.unwrap_or(true),
            centre,
            coordination: None,
            supervision,
            pooled_data_gain,
        });
    }
    out
}

/// Each site's region and supervising customs.
pub(super) fn site_refs(cx: &mut Context, raw: &[Spanned<RawSite>], sites: &mut [Site]) {
    let kinds: Vec<SiteKind> = sites.iter().map(|s| s.kind).collect();
    for (i, s) in raw.iter().enumerate() {
        let path = format!("sites[{i}]");
        let s = s.get_ref();
        let d = &mut cx.d;
        if let Some(r) = &s.region {
            sites[i].region = lookup(d, &cx.region_index, &format!("{path}.region"), r, "region");
        }
        if let Some(c) = &s.customs {
            let cpath = format!("{path}.customs");
            if let Some(c_id) = lookup(d, &cx.site_index, &cpath, c, "site") {
                if kinds[c_id.0 as usize] != SiteKind::Customs {
                    let msg = format!(
                        "site {:?} is not a customs office; `customs` names the directly-affiliated customs (a site of kind \"customs\") supervising this site",
                        c.get_ref()
                    );
                    d.error(&cpath, Some(at(c)), msg);
                }
                sites[i].customs = Some(c_id);
            }
        }
    }
}

/// Coordination delays of regions, appended to `activities`.
pub(super) fn region_activities(
    cx: &mut Context,
    raw: &[Spanned<RawRegion>],
    regions: &mut [Region],
    activities: &mut Vec<Activity>,
) {
    for (i, r) in raw.iter().enumerate() {
        let Some(delay) = &r.get_ref().coordination_delay else {
            continue;
        };
        let path = format!("regions[{i}].coordination_delay");
        if let Some(duration) = distribution(&mut cx.d, &path, &at(delay), delay.get_ref()) {
            regions[i].coordination = Some(ActivityId(activities.len() as u32));
            activities.push(Activity {
                site: regions[i].centre.unwrap_or(SiteId(0)),
                step: StepKind::Coordination,
                party: Party::Customs,
                direct_pickup: None,
                pool: None,
                duration,
                detection: 1.0,
                scan_share: 0.0,
                pooled_with: Vec::new(),
                diversion: 0.0,
                transit: None,
                in_line: false,
            });
        }
    }
}

/// Transport links, each becoming a transport activity.
pub(super) fn links(
    cx: &mut Context,
    raw: &[Spanned<RawLink>],
    activities: &mut Vec<Activity>,
) -> Vec<Link> {
    let mut out = Vec::new();
    let mut seen: HashMap<(SiteId, SiteId), usize> = HashMap::new();
    for (i, l) in raw.iter().enumerate() {
        let path = format!("links[{i}]");
        let span = at(l);
        let l = l.get_ref();
        let d = &mut cx.d;
        let end = |d: &mut _, key: &str, v: &Option<Spanned<String>>| match v {
            Some(v) => lookup(d, &cx.site_index, &format!("{path}.{key}"), v, "site"),
            None => {
                missing(d, &format!("{path}.{key}"), &span, "name a site id");
                None
            }
        };
        let from = end(d, "from", &l.from);
        let to = end(d, "to", &l.to);
        let duration = match &l.duration {
            Some(dist) => distribution(d, &format!("{path}.duration"), &at(dist), dist.get_ref()),
            None => {
                missing(
                    d,
                    &format!("{path}.duration"),
                    &span,
                    "give the transport time distribution in hours, e.g. { dist = \"lognormal\", mean = 8, sd = 3 }",
                );
                None
            }
        };
        let diversion = values::optional_number(
            d,
            &format!("{path}.diversion_share"),
            &l.diversion_share,
            0.0,
            1.0,
            0.0,
        );
        let transit = transit_rules(d, &path, l);
        let (Some(from), Some(to)) = (from, to) else {
            continue;
        };
        if let Some(prev) = seen.insert((from, to), i) {
            d.error(
                &path,
                Some(span.clone()),
                format!("a link with the same from and to is already defined at links[{prev}]"),
            );
        }
        out.push(Link {
            from,
            to,
            activity: ActivityId(activities.len() as u32),
        });
        activities.push(Activity {
            site: to,
            step: StepKind::Transport,
            party: Party::Logistics,
            direct_pickup: None,
            pool: None,
            duration: duration.unwrap_or(Dist::Deterministic { value: 0.0 }),
            detection: 1.0,
            scan_share: 0.0,
            pooled_with: Vec::new(),
            diversion,
            transit,
            in_line: false,
        });
    }
    out
}

/// A link's transit rules: its time limit, a diversion's detour and the
/// guarantee. None when the link sets none of them (the earlier model).
fn transit_rules(
    d: &mut super::super::diagnostics::Diagnostics,
    path: &str,
    l: &RawLink,
) -> Option<Transit> {
    if l.time_limit_h.is_none() && l.diversion_delay.is_none() && l.bond_share.is_none() {
        return None;
    }
    let time_limit = values::optional_number(
        d,
        &format!("{path}.time_limit_h"),
        &l.time_limit_h,
        f64::MIN_POSITIVE,
        1e6,
        f64::INFINITY,
    );
    let diversion_delay = l
        .diversion_delay
        .as_ref()
        .and_then(|v| distribution(d, &format!("{path}.diversion_delay"), &at(v), v.get_ref()));
    let bond_share = values::optional_number(
        d,
        &format!("{path}.bond_share"),
        &l.bond_share,
        0.0,
        1.0,
        0.0,
    );
    Some(Transit {
        time_limit,
        diversion_delay,
        bond_share,
    })
}

/// A region's `pooled_reviewers`: the review pools of its customs and ports
/// that its clearance centre pools under regional integration, attached to
/// the centre's review step (which is where the model keeps them).
pub(super) fn pooled_reviewers(
    cx: &mut Context,
    raw: &[Spanned<RawRegion>],
    regions: &[Region],
    sites: &[Site],
    pools: &[crate::model::PoolSpec],
    activities: &mut [Activity],
) {
    let region_of = |s: SiteId| {
        let site = &sites[s.0 as usize];
        site.region
            .or_else(|| site.customs.and_then(|c| sites[c.0 as usize].region))
    };
    for (i, r) in raw.iter().enumerate() {
        let Some(list) = &r.get_ref().pooled_reviewers else {
            continue;
        };
        let path = format!("regions[{i}].pooled_reviewers");
        let d = &mut cx.d;
        let Some(centre) = regions[i].centre else {
            let msg =
                "pooled reviewers work for the region's clearance centre; give the region a centre";
            d.error(&path, Some(at(list)), msg);
            continue;
        };
        let review = sites[centre.0 as usize].activities[StepKind::Review.index()];
        let mut pooled = Vec::new();
        for (k, name) in list.get_ref().iter().enumerate() {
            let key = format!("{path}[{k}]");
            let spanned = Spanned::new(at(list), name.clone());
            let Some(p) = lookup(d, &cx.pool_index, &key, &spanned, "resource") else {
                continue;
            };
            let site = pools[p.0 as usize].site;
            let reviews_here = activities
                [sites[site.0 as usize].activities[StepKind::Review.index()].0 as usize]
                .pool
                == Some(p);
            let problem = if region_of(site) != Some(RegionId(i as u32)) {
                Some(format!(
                    "resource {name:?} works at {:?}, outside region {:?}; pool only the region's own reviewers",
                    sites[site.0 as usize].id, regions[i].id
                ))
            } else if !reviews_here {
                Some(format!(
                    "resource {name:?} does not do its site's document review (its [sites.steps.review] resource); pool reviewers only"
                ))
            } else if pooled.contains(&p) || activities[review.0 as usize].pool == Some(p) {
                Some(format!("resource {name:?} is pooled twice"))
            } else {
                None
            };
            match problem {
                Some(msg) => d.error(&key, Some(at(list)), msg),
                None => pooled.push(p),
            }
        }
        let a = &mut activities[review.0 as usize];
        if a.duration.is_zero() {
            let msg = format!(
                "the centre {:?} has no review duration: give it [sites.steps.review] with a duration, which the pooled reviewers take",
                sites[centre.0 as usize].id
            );
            d.error(&path, Some(at(list)), msg);
        }
        // The centre's own reviewers, if any, come first; without them the
        // first pooled pool stands in as the step's pool.
        if a.pool.is_none() && !pooled.is_empty() {
            a.pool = Some(pooled.remove(0));
        }
        a.pooled_with = pooled;
    }
}
