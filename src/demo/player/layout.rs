//! Where the player draws each place: entry points (ports, e-commerce
//! sites, bonded zones, postal hubs) in the left column; the customs that
//! supervise them, the regional clearance and tax centres and the data
//! exchange in the middle; inland (territorial) customs on the right; roads as lines
//! between a port and the customs it leads to; each integrated region as a
//! box around its customs and centre. Only places some consignment uses
//! (and the customs and centres they belong to) are drawn, so a national
//! scenario's panel stays readable. Coordinates are in the panel's SVG
//! units; the page scales them.

use serde::Serialize;

use super::ModeRun;
use super::occupancy;
use crate::model::{Model, SiteId, SiteKind, StepKind};
use crate::sim::trace::StepTrace;

/// A place's box width, the gap between columns and between boxes.
const BOX_W: f64 = 150.0;
const COL_GAP: f64 = 34.0;
const ROW_GAP: f64 = 16.0;
/// Heights inside a box: the title, one row per pool, and two rows of
/// dots (in work, then queueing).
const TITLE_H: f64 = 16.0;
const POOL_H: f64 = 13.0;
const DOTS_H: f64 = 22.0;
/// Margins: around the panel, and the region label above its box.
const MARGIN: f64 = 8.0;
const REGION_PAD: f64 = 6.0;
const REGION_LABEL: f64 = 14.0;
/// Most boxes stacked in one column of the map.
const MAX_STACK: usize = 6;
/// Longest pool label drawn (the full id is in its tooltip).
const LABEL_CHARS: usize = 13;

/// What a step's place is: a site, the road of a link (from, to), or the
/// data exchange between customs that are not integrated.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum PlaceKey {
    Site(String),
    Road(String, String),
    Data,
}

impl PlaceKey {
    /// The place of a traced step (site and link ids, so the same place is
    /// found in every mode's model).
    pub fn of(model: &Model, step: &StepTrace) -> PlaceKey {
        match step.step {
            StepKind::Transport => match model.links.iter().find(|l| l.activity == step.activity) {
                Some(l) => {
                    PlaceKey::Road(model.site(l.from).id.clone(), model.site(l.to).id.clone())
                }
                None => PlaceKey::Road(String::new(), model.site(step.site).id.clone()),
            },
            StepKind::Coordination => PlaceKey::Data,
            _ => PlaceKey::Site(model.site(step.site).id.clone()),
        }
    }
}

/// A place as drawn.
#[derive(Debug, Serialize)]
pub struct Place {
    pub id: String,
    /// The site's full name (its tooltip).
    pub name: String,
    /// "site", "road" or "data".
    pub kind: &'static str,
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    /// Its pools, as indices into [`Layout::pools`].
    pub pools: Vec<usize>,
    /// A road's ends (places), when known.
    pub from: Option<usize>,
    pub to: Option<usize>,
}

/// A resource pool: its capacity and the hours it is closed.
#[derive(Debug, Serialize)]
pub struct Pool {
    pub id: String,
    pub label: String,
    pub place: usize,
    pub capacity: u32,
    /// Closed intervals `[from, to)` `[h]`, relative to the window's start.
    pub closed: Vec<[f64; 2]>,
}

/// An integrated region's box.
#[derive(Debug, Serialize)]
pub struct RegionBox {
    pub name: String,
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

/// The map every panel shares.
#[derive(Debug, Serialize)]
pub struct Layout {
    pub width: f64,
    pub height: f64,
    pub places: Vec<Place>,
    pub pools: Vec<Pool>,
    pub regions: Vec<RegionBox>,
    #[serde(skip)]
    keys: Vec<PlaceKey>,
}

/// A pool's short label: its id without a first word the site's id
/// shares ("yangshan_reviewers" at "yangshan_port": "reviewers"), cut to
/// [`LABEL_CHARS`].
fn pool_label(pool: &str, site: &str) -> String {
    let short = match pool.split_once('_') {
        Some((first, rest)) if site.split('_').any(|w| w == first) => rest,
        _ => pool,
    };
    if short.chars().count() > LABEL_CHARS {
        let cut: String = short.chars().take(LABEL_CHARS - 1).collect();
        format!("{cut}…")
    } else {
        short.to_string()
    }
}

impl Layout {
    /// Lays out the places the runs use, with the pools' closed hours over
    /// `[t0, t1]` `[h]`.
    pub fn new(model: &Model, runs: &[ModeRun], t0: f64, t1: f64) -> Layout {
        let mut used: Vec<PlaceKey> = runs
            .iter()
            .flat_map(|r| {
                r.followed
                    .iter()
                    .chain(&r.crowd)
                    .flat_map(|t| t.steps.iter().filter(|s| s.taken()))
                    .map(|s| PlaceKey::of(r.model, s))
            })
            .collect();
        used.sort();
        used.dedup();
        let site_of = |id: &str| {
            model
                .sites
                .iter()
                .position(|s| s.id == id)
                .map(|i| SiteId(i as u32))
        };
        // Sites drawn: those used, the customs over a used entry point and
        // the centre of a used customs' region; roads' ends.
        let mut sites: Vec<SiteId> = Vec::new();
        for key in &used {
            match key {
                PlaceKey::Site(id) => sites.extend(site_of(id)),
                PlaceKey::Road(from, to) => {
                    sites.extend(site_of(from).into_iter().chain(site_of(to)))
                }
                PlaceKey::Data => {}
            }
        }
        let extra: Vec<SiteId> = sites
            .iter()
            .flat_map(|&s| {
                let site = model.site(s);
                let centre = site.region.and_then(|r| model.regions[r.0 as usize].centre);
                site.customs.into_iter().chain(centre)
            })
            .collect();
        sites.extend(extra);
        sites.sort_by_key(|s| s.0);
        sites.dedup();
        let supervising: Vec<SiteId> = sites
            .iter()
            .filter_map(|&s| model.site(s).customs)
            .collect();
        let column = |s: SiteId| match model.site(s).kind {
            k if k.is_entry_point() => 0,
            SiteKind::ClearanceCentre | SiteKind::TaxCentre => 1,
            _ if supervising.contains(&s) => 1,
            _ => 2,
        };
        let mut layout = Layout {
            width: 0.0,
            height: 0.0,
            places: Vec::new(),
            pools: Vec::new(),
            regions: Vec::new(),
            keys: Vec::new(),
        };
        // Boxes, column by column (data exchange at the foot of the middle).
        let mut columns: [Vec<usize>; 3] = Default::default();
        for &s in &sites {
            let site = model.site(s);
            let place = layout.places.len();
            let pools: Vec<usize> = model
                .pools
                .iter()
                .filter(|p| p.site == s)
                .map(|p| {
                    layout.pools.push(Pool {
                        id: p.id.clone(),
                        label: pool_label(&p.id, &site.id),
                        place,
                        capacity: p.capacity,
                        closed: occupancy::closed(&p.hours, t0, t1),
                    });
                    layout.pools.len() - 1
                })
                .collect();
            layout.push(PlaceKey::Site(site.id.clone()), &site.name, "site", pools);
            columns[column(s)].push(place);
        }
        // Each region's customs next to each other, so its box is compact.
        let region = |p: &usize| {
            let id = PlaceKey::Site(layout.places[*p].id.clone());
            sites
                .iter()
                .find(|&&s| PlaceKey::Site(model.site(s).id.clone()) == id)
                .and_then(|&s| model.site(s).region)
                .map_or(u32::MAX, |r| r.0)
        };
        for col in &mut columns[1..] {
            col.sort_by_key(|p| (region(p), *p));
        }
        if used.contains(&PlaceKey::Data) {
            columns[1].push(layout.places.len());
            let name = "data exchange between customs that are not integrated";
            layout.push(PlaceKey::Data, name, "data", Vec::new());
        }
        // A long column is cut into stacks side by side, so a national
        // scenario's map stays about as wide as it is tall.
        let stacks: Vec<&[usize]> = columns.iter().flat_map(|c| c.chunks(MAX_STACK)).collect();
        let heights: Vec<f64> = stacks
            .iter()
            .map(|c| c.iter().map(|&p| layout.places[p].h + ROW_GAP).sum::<f64>())
            .collect();
        let tallest = heights.iter().copied().fold(0.0, f64::max);
        let top = MARGIN + REGION_LABEL + REGION_PAD;
        for (i, stack) in stacks.iter().enumerate() {
            let mut y = top + (tallest - heights[i]) / 2.0;
            for &p in stack.iter() {
                let place = &mut layout.places[p];
                place.x = MARGIN + i as f64 * (BOX_W + COL_GAP);
                place.y = y;
                y += place.h + ROW_GAP;
            }
        }
        let n = stacks.len().max(1) as f64;
        layout.width = 2.0 * MARGIN + n * BOX_W + (n - 1.0) * COL_GAP;
        layout.height = top + tallest + MARGIN;
        for key in used.iter().filter(|k| matches!(k, PlaceKey::Road(..))) {
            layout.push_road(key);
        }
        layout.regions = model
            .regions
            .iter()
            .enumerate()
            .filter_map(|(r, region)| {
                let members: Vec<&Place> = sites
                    .iter()
                    .zip(0..)
                    .filter(|(s, _)| model.site(**s).region.is_some_and(|x| x.0 as usize == r))
                    .map(|(_, p)| &layout.places[p])
                    .collect();
                let x = members.iter().map(|p| p.x).fold(f64::INFINITY, f64::min);
                let y = members.iter().map(|p| p.y).fold(f64::INFINITY, f64::min);
                let x1 = members
                    .iter()
                    .map(|p| p.x + p.w)
                    .fold(f64::NEG_INFINITY, f64::max);
                let y1 = members
                    .iter()
                    .map(|p| p.y + p.h)
                    .fold(f64::NEG_INFINITY, f64::max);
                (!members.is_empty()).then(|| RegionBox {
                    name: region.name.clone(),
                    x: x - REGION_PAD,
                    y: y - REGION_PAD - REGION_LABEL,
                    w: x1 - x + 2.0 * REGION_PAD,
                    h: y1 - y + 2.0 * REGION_PAD + REGION_LABEL,
                })
            })
            .collect();
        layout
    }

    /// Adds a box (placed later) for a site or the data exchange.
    fn push(&mut self, key: PlaceKey, name: &str, kind: &'static str, pools: Vec<usize>) {
        let id = match &key {
            PlaceKey::Site(id) => id.clone(),
            _ => "data exchange".to_string(),
        };
        self.places.push(Place {
            id,
            name: name.to_string(),
            kind,
            x: 0.0,
            y: 0.0,
            w: BOX_W,
            h: TITLE_H + POOL_H * pools.len() as f64 + DOTS_H,
            pools,
            from: None,
            to: None,
        });
        self.keys.push(key);
    }

    /// Adds a road: a point halfway between its ends' boxes (or just left
    /// of its destination if the start is unknown).
    fn push_road(&mut self, key: &PlaceKey) {
        let PlaceKey::Road(from, to) = key else {
            return;
        };
        let find = |id: &str| self.place_of(&PlaceKey::Site(id.to_string()));
        let a = (!from.is_empty()).then(|| find(from));
        let b = find(to);
        let end = |p: usize, right: bool| {
            let p = &self.places[p];
            (if right { p.x + p.w } else { p.x }, p.y + p.h / 2.0)
        };
        let (bx, by) = end(b, false);
        let (ax, ay) = a.map_or((bx - COL_GAP, by), |a| end(a, true));
        self.places.push(Place {
            id: format!("{from} → {to}"),
            name: format!("road {from} → {to}"),
            kind: "road",
            x: (ax + bx) / 2.0,
            y: (ay + by) / 2.0,
            w: 0.0,
            h: 0.0,
            pools: Vec::new(),
            from: a,
            to: Some(b),
        });
        self.keys.push(key.clone());
    }

    /// The place drawn for `key` (every key the runs use has one).
    pub fn place_of(&self, key: &PlaceKey) -> usize {
        self.keys
            .iter()
            .position(|k| k == key)
            .expect("every place used is laid out")
    }

    /// The pool drawn with id `id`, if any.
    pub fn pool_of(&self, id: &str) -> Option<usize> {
        self.pools.iter().position(|p| p.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pool_labels_drop_the_sites_word_and_are_cut() {
        assert_eq!(
            pool_label("yangshan_reviewers", "yangshan_port"),
            "reviewers"
        );
        assert_eq!(pool_label("ecommerce_xray", "shanghai_ecommerce"), "xray");
        assert_eq!(pool_label("officers", "x"), "officers");
        assert_eq!(
            pool_label("hangzhou_inspection_teams", "hangzhou_customs"),
            "inspection_t…"
        );
    }
}
