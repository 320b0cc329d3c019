//! The end of a replication: its statistics merged into the groups an
//! analyst reads (all, stream, mode, channel, region, port, customs, credit,
//! region × mode, resource) and, when asked for, its curves.

use super::{Replication, audit_outcome, cell_of, revenue};
use crate::model::{CreditClass, Model};
use crate::sim::consignment::{FLAG_AUDIT, POST_RELEASE_JOB, POST_RELEASE_LAB};
use crate::sim::metrics::{
    CellStats, Observation, Record, ReplicationResult, push_cell, push_pool, quantile_profile,
    series_profiles,
};

impl Replication<'_> {
    pub(super) fn finish(
        mut self,
        replication: u32,
        seed: u64,
        record: Record,
    ) -> ReplicationResult {
        let model = self.model;
        let now = self.now;
        let window = model.horizon - model.warmup;
        let mut cells = std::mem::take(&mut self.cells);
        for c in self.slab.live() {
            if c.entered() < model.warmup {
                continue;
            }
            let cell = &mut cells[cell_of(c)];
            if c.flags & POST_RELEASE_JOB == 0 {
                cell.in_system_end += 1;
                continue;
            }
            // Its post-release laboratory test or review is still to come or
            // under way: what either recovers falls after the horizon.
            let audit_hit = matches!(audit_outcome(c, &model.policy), Some((true, _)));
            let staffed_review =
                c.has(FLAG_AUDIT) && self.post_release_review[c.stream as usize].is_some();
            let lab_recovers = c.has(POST_RELEASE_LAB) && self.lab_outcome(c).recovers_tax;
            if (audit_hit && staffed_review) || lab_recovers {
                cell.revenue_recovered_after_horizon += revenue(model, c).1;
            }
        }
        let merged = |members: &mut dyn Iterator<Item = usize>| {
            let mut m = CellStats::default();
            for i in members {
                m.merge(&cells[i], now);
            }
            m
        };
        let mut out = Vec::new();
        let mut profiles = Vec::new();
        let all = merged(&mut (0..cells.len()));
        push_cell(&mut out, "all", &all, now, window);
        if record.profiles {
            profiles.push(quantile_profile("all", &all));
        }
        let officer_hours: f64 = self
            .pools
            .iter()
            .filter_map(|p| p.report(now).busy_mean)
            .sum::<f64>()
            * window;
        out.push(Observation {
            group: "all".into(),
            metric: "officer_hours",
            value: Some(officer_hours),
        });
        // A stream as written, with the alternative ports its importers
        // moved to.
        let written: Vec<(usize, &crate::model::Stream)> = model
            .streams
            .iter()
            .enumerate()
            .filter(|(_, s)| s.choice.parent.is_none())
            .collect();
        if written.len() > 1 {
            for (i, s) in written {
                let members = std::iter::once(i)
                    .chain(s.choice.alternatives.iter().map(|a| *a as usize))
                    .chain(s.choice.fallbacks.iter().map(|a| *a as usize))
                    .flat_map(|k| k * 3..k * 3 + 3);
                let m = merged(&mut members.into_iter());
                push_cell(&mut out, &format!("stream={}", s.id), &m, now, window);
            }
        }
        // Mode, channel, region, port and customs groups are unions of
        // streams, credit groups unions of cells: merged here rather than
        // recorded separately on the hot path.
        for (group, members) in stream_groups(model) {
            let m = merged(&mut members.iter().flat_map(|i| i * 3..i * 3 + 3));
            push_cell(&mut out, &group, &m, now, window);
            if record.profiles && (group.starts_with("mode=") || group.starts_with("channel=")) {
                profiles.push(quantile_profile(&group, &m));
            }
        }
        for class in CreditClass::ALL {
            let k = class.index();
            let m = merged(&mut (0..model.streams.len()).map(|i| i * 3 + k));
            push_cell(
                &mut out,
                &format!("credit={}", class.name()),
                &m,
                now,
                window,
            );
        }
        for (spec, pool) in model.pools.iter().zip(&self.pools) {
            push_pool(&mut out, &spec.id, &pool.report(now));
            if let Some(series) = pool.series(now) {
                profiles.extend(series_profiles(&spec.id, &series));
            }
        }
        ReplicationResult {
            replication,
            seed,
            events: self.events,
            consignments: self.consignments,
            peak_in_flight: self.slab.peak(),
            observations: out,
            profiles,
            diverged: None,
        }
    }
}

/// Each `key=value` group with its member streams, ordered by key (mode,
/// channel, region, port, customs) and then by first appearance.
fn stream_groups(model: &Model) -> Vec<(String, Vec<usize>)> {
    let per_stream: Vec<Vec<String>> = model
        .streams
        .iter()
        .map(|s| model.stream_groups(s))
        .collect();
    let mut out: Vec<(String, Vec<usize>)> = Vec::new();
    for key in [
        "mode=",
        "channel=",
        "region=",
        "port=",
        "customs=",
        "region_mode=",
    ] {
        for (i, groups) in per_stream.iter().enumerate() {
            for g in groups.iter().filter(|g| g.starts_with(key)) {
                match out.iter_mut().find(|(name, _)| name == g) {
                    Some((_, members)) => members.push(i),
                    None => out.push((g.clone(), vec![i])),
                }
            }
        }
    }
    out
}
