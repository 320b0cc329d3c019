//! What one replication measures, per cohort cell (demand stream × credit
//! class) and per pool, and how cells merge into the tidy list of
//! `(group, metric, value)` observations.

use crate::engine::pool::{PoolReport, PoolSeries};
use crate::stats::{DurationHistogram, Tally, TimeWeighted};

/// One metric value of one replication. `value` is `None` where the metric
/// is undefined (e.g. a release-time quantile with no release).
#[derive(Clone, Debug, PartialEq)]
pub struct Observation {
    /// `all`, or `key=value` such as `stream=general_trade`.
    pub group: String,
    pub metric: &'static str,
    pub value: Option<f64>,
}

/// Everything one replication produced.
#[derive(Clone, Debug)]
pub struct ReplicationResult {
    pub replication: u32,
    pub seed: u64,
    /// Events handled (for speed measurements).
    pub events: u64,
    /// Consignments that arrived over the whole run, warm-up included.
    pub consignments: u64,
    /// Peak number of consignments in flight.
    pub peak_in_flight: usize,
    pub observations: Vec<Observation>,
    /// Curves, when asked for (see [`Record`]): release-time quantiles and
    /// pool time series.
    pub profiles: Vec<Profile>,
    /// Set when the replication went over a ceiling and stopped early;
    /// its observations and profiles are then empty.
    pub diverged: Option<super::Divergence>,
}

/// What a replication records beyond its summary observations.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Record {
    /// Release-time quantile curves and pool time series. Off for sweeps
    /// and plans, whose many variants need only the summary.
    pub profiles: bool,
}

/// One curve of one replication: `value` at each `x`.
///
/// - `release_time_h` (groups `all`, `mode=…`): x is a probability p, the
///   value the p-quantile of the release time `[h]` (the CDF read sideways);
/// - `queue_len`, `utilisation` (groups `resource=…`): x is the start of a
///   time bin `[h]`, the value the bin's time average.
#[derive(Clone, Debug, PartialEq)]
pub struct Profile {
    pub group: String,
    pub metric: &'static str,
    pub points: Vec<(f64, Option<f64>)>,
}

/// The probabilities at which release-time quantiles are recorded: every
/// percent, plus the far tail.
pub fn quantile_probabilities() -> impl Iterator<Item = f64> {
    (1..100).map(|k| k as f64 / 100.0).chain([0.995, 0.999])
}

/// The release-time quantile curve of a group.
pub fn quantile_profile(group: &str, s: &CellStats) -> Profile {
    Profile {
        group: group.to_string(),
        metric: "release_time_h",
        points: quantile_probabilities()
            .map(|p| (p, s.release_hist.quantile(p)))
            .collect(),
    }
}

/// A pool's time series as two curves.
pub fn series_profiles(id: &str, s: &PoolSeries) -> [Profile; 2] {
    let group = format!("resource={id}");
    let x = |i: usize| i as f64 * s.bin_h;
    [
        Profile {
            group: group.clone(),
            metric: "queue_len",
            points: s
                .queue_len
                .iter()
                .enumerate()
                .map(|(i, &q)| (x(i), Some(q)))
                .collect(),
        },
        Profile {
            group,
            metric: "busy_share",
            points: s
                .busy_share
                .iter()
                .enumerate()
                .map(|(i, &u)| (x(i), Some(u)))
                .collect(),
        },
    ]
}

/// Statistics of one cohort cell over the observation window. Counts,
/// durations and revenue refer to consignments that arrived after the
/// warm-up; `releases_in_window` and `in_system` to everything.
#[derive(Clone, Debug, Default)]
pub struct CellStats {
    pub arrived: u64,
    pub released: u64,
    pub seized: u64,
    /// Releases happening in the window, whenever the consignment arrived.
    pub releases_in_window: u64,
    /// Arrival → customs release `[h]`.
    pub release_time: Tally,
    pub release_hist: DurationHistogram,
    pub within_24h: u64,
    pub within_48h: u64,
    /// Time Release Study segments `[h]`.
    pub arrival_to_lodgement: Tally,
    pub lodgement_to_release: Tally,
    pub release_to_exit: Tally,
    /// Time from arrival to leaving customs control by party (Time Release
    /// Study attribution, by [`crate::model::Party::index`]) `[h]`.
    pub party_time: [Tally; 4],
    pub party_hist: [DurationHistogram; 4],
    /// GACC's overall clearance time `[h]`: arrival of the means of
    /// transport to the goods leaving customs control, general-trade
    /// declarations only.
    pub overall_time: Tally,
    pub overall_hist: DurationHistogram,
    pub overall_within_24h: u64,
    /// Consignments inspected (scan or manual), and those whose inspection
    /// found non-compliance.
    pub inspections: u64,
    pub hits: u64,
    /// Non-compliant consignments that arrived.
    pub non_compliant: u64,
    /// Non-compliant consignments released with their non-compliance
    /// undetected at release.
    pub leakage: u64,
    /// Consignments released under "first release, then inspect" in which
    /// the laboratory then found non-compliance while the goods were still
    /// held under the no-sale rule: customs recalled them.
    pub recalls: u64,
    /// Bonded (1210) orders that found their stock empty and waited for the
    /// next bulk entry to clear into the zone.
    pub stockouts: u64,
    /// Arrivals over a value limit (a postal article's, or an e-commerce
    /// buyer's yearly one), declared again as general trade.
    pub over_limit: u64,
    /// Tax assessed at release, tax escaping at release, and tax recovered
    /// by post-release review `[yuan]`. Reviews are followed to their
    /// outcome even when it falls after the horizon (the part that does is
    /// also counted on its own), so a short run does not read as lost
    /// revenue.
    pub revenue_assessed: f64,
    pub revenue_evaded: f64,
    pub revenue_recovered: f64,
    pub revenue_recovered_after_horizon: f64,
    pub in_system: TimeWeighted,
    /// Consignments of the cohort still in the system at the horizon (set
    /// at the end).
    pub in_system_end: u64,
}

impl CellStats {
    /// Adds another cell, as if its consignments had been counted here.
    /// Time-weighted numbers in system add as areas until `now`.
    pub fn merge(&mut self, o: &CellStats, now: f64) {
        self.arrived += o.arrived;
        self.released += o.released;
        self.seized += o.seized;
        self.releases_in_window += o.releases_in_window;
        self.release_time.merge(&o.release_time);
        self.release_hist.merge(&o.release_hist);
        self.within_24h += o.within_24h;
        self.within_48h += o.within_48h;
        self.arrival_to_lodgement.merge(&o.arrival_to_lodgement);
        self.lodgement_to_release.merge(&o.lodgement_to_release);
        self.release_to_exit.merge(&o.release_to_exit);
        for k in 0..4 {
            self.party_time[k].merge(&o.party_time[k]);
            self.party_hist[k].merge(&o.party_hist[k]);
        }
        self.overall_time.merge(&o.overall_time);
        self.overall_hist.merge(&o.overall_hist);
        self.overall_within_24h += o.overall_within_24h;
        self.inspections += o.inspections;
        self.hits += o.hits;
        self.recalls += o.recalls;
        self.stockouts += o.stockouts;
        self.over_limit += o.over_limit;
        self.non_compliant += o.non_compliant;
        self.leakage += o.leakage;
        self.revenue_assessed += o.revenue_assessed;
        self.revenue_evaded += o.revenue_evaded;
        self.revenue_recovered += o.revenue_recovered;
        self.revenue_recovered_after_horizon += o.revenue_recovered_after_horizon;
        self.in_system_end += o.in_system_end;
        let area = self.in_system.area_until(now) + o.in_system.area_until(now);
        self.in_system = TimeWeighted::with_area(now, area);
    }
}

/// Release time's statistics, in the order [`push_cell`] computes them.
const RELEASE_METRICS: [&str; 6] = [
    "release_time_mean_h",
    "release_time_sd_h",
    "release_time_p50_h",
    "release_time_p90_h",
    "release_time_p95_h",
    "release_time_p99_h",
];

/// GACC's overall clearance time: the same statistics as release time.
const OVERALL_METRICS: [&str; 6] = [
    "overall_clearance_time_mean_h",
    "overall_clearance_time_sd_h",
    "overall_clearance_time_p50_h",
    "overall_clearance_time_p90_h",
    "overall_clearance_time_p95_h",
    "overall_clearance_time_p99_h",
];

/// Each party's time (by [`crate::model::Party::index`]), with the same
/// statistics as release time.
const PARTY_METRICS: [[&str; 6]; 4] = [
    [
        "customs_time_mean_h",
        "customs_time_sd_h",
        "customs_time_p50_h",
        "customs_time_p90_h",
        "customs_time_p95_h",
        "customs_time_p99_h",
    ],
    [
        "other_agency_time_mean_h",
        "other_agency_time_sd_h",
        "other_agency_time_p50_h",
        "other_agency_time_p90_h",
        "other_agency_time_p95_h",
        "other_agency_time_p99_h",
    ],
    [
        "trader_time_mean_h",
        "trader_time_sd_h",
        "trader_time_p50_h",
        "trader_time_p90_h",
        "trader_time_p95_h",
        "trader_time_p99_h",
    ],
    [
        "logistics_time_mean_h",
        "logistics_time_sd_h",
        "logistics_time_p50_h",
        "logistics_time_p90_h",
        "logistics_time_p95_h",
        "logistics_time_p99_h",
    ],
];

/// Appends a consignment group's observations. `window` is the observation
/// window `[h]`, ending at `now`.
pub fn push_cell(out: &mut Vec<Observation>, group: &str, s: &CellStats, now: f64, window: f64) {
    let mut push = |metric: &'static str, value: Option<f64>| {
        out.push(Observation {
            group: group.to_string(),
            metric,
            value,
        })
    };
    let of_released = |k: u64| (s.released > 0).then(|| k as f64 / s.released as f64);
    let of_inspected = |k: u64| (s.inspections > 0).then(|| k as f64 / s.inspections as f64);
    let of_arrived = |k: u64| (s.arrived > 0).then(|| k as f64 / s.arrived as f64);
    let per_window = |x: f64| (window > 0.0).then(|| x / window);
    push("arrived", Some(s.arrived as f64));
    push("released", Some(s.released as f64));
    push("seized", Some(s.seized as f64));
    push("in_system_end", Some(s.in_system_end as f64));
    // Release time, GACC's overall time and each party's time get the same
    // six statistics.
    let stats = |t: &Tally, h: &DurationHistogram| {
        [
            t.mean(),
            t.sd(),
            h.quantile(0.50),
            h.quantile(0.90),
            h.quantile(0.95),
            h.quantile(0.99),
        ]
    };
    for (name, value) in RELEASE_METRICS
        .iter()
        .zip(stats(&s.release_time, &s.release_hist))
    {
        push(name, value);
    }
    push("released_within_24h_share", of_released(s.within_24h));
    push("released_within_48h_share", of_released(s.within_48h));
    push("arrival_to_lodgement_mean_h", s.arrival_to_lodgement.mean());
    push("lodgement_to_release_mean_h", s.lodgement_to_release.mean());
    push("release_to_exit_mean_h", s.release_to_exit.mean());
    for (names, value) in OVERALL_METRICS
        .iter()
        .zip(stats(&s.overall_time, &s.overall_hist))
    {
        push(names, value);
    }
    let n_overall = s.overall_time.count();
    push(
        "overall_cleared_within_24h_share",
        (n_overall > 0).then(|| s.overall_within_24h as f64 / n_overall as f64),
    );
    for (k, names) in PARTY_METRICS.iter().enumerate() {
        for (name, value) in names.iter().zip(stats(&s.party_time[k], &s.party_hist[k])) {
            push(name, value);
        }
    }
    push(
        "throughput_per_day",
        per_window(s.releases_in_window as f64 * 24.0),
    );
    push("arrival_rate_per_h", per_window(s.arrived as f64));
    push("in_system_mean", per_window(s.in_system.area_until(now)));
    push("inspections", Some(s.inspections as f64));
    push("inspection_rate", of_arrived(s.inspections));
    push("seizures", Some(s.seized as f64));
    push("hit_rate", of_inspected(s.hits));
    push("non_compliant", Some(s.non_compliant as f64));
    push("leakage", Some(s.leakage as f64));
    push("recalls", Some(s.recalls as f64));
    push("stockouts", Some(s.stockouts as f64));
    push("over_limit", Some(s.over_limit as f64));
    push("revenue_assessed_yuan", Some(s.revenue_assessed));
    push("revenue_evaded_yuan", Some(s.revenue_evaded));
    push("revenue_recovered_yuan", Some(s.revenue_recovered));
    push(
        "revenue_recovered_after_horizon_yuan",
        Some(s.revenue_recovered_after_horizon),
    );
}

/// The names of the metrics every consignment group reports.
pub fn consignment_metrics() -> Vec<&'static str> {
    let mut out = Vec::new();
    push_cell(&mut out, "all", &CellStats::default(), 0.0, 1.0);
    out.into_iter().map(|o| o.metric).collect()
}

/// Appends a pool's observations under `resource=<id>`.
pub fn push_pool(out: &mut Vec<Observation>, id: &str, r: &PoolReport) {
    let group = format!("resource={id}");
    let mut push = |metric: &'static str, value: Option<f64>| {
        out.push(Observation {
            group: group.clone(),
            metric,
            value,
        })
    };
    push("capacity", Some(r.capacity as f64));
    push("entered", Some(r.entered as f64));
    push("started", Some(r.started as f64));
    push(
        "arrival_rate_per_h",
        (r.window > 0.0).then(|| r.entered as f64 / r.window),
    );
    push("wait_mean_h", r.wait_mean);
    push("wait_p90_h", r.wait_p90);
    push("queue_len_mean", r.queue_len_mean);
    push("busy_mean", r.busy_mean);
    push("utilisation", r.utilisation);
    push("officer_hours", r.busy_mean.map(|b| b * r.window));
}

#[cfg(test)]
impl ReplicationResult {
    /// A replication's result that holds only `observations` (group,
    /// metric, value): what the tests of the code that reads results
    /// (summaries, tables, files) need.
    pub(crate) fn observed(
        replication: u32,
        seed: u64,
        observations: &[(&str, &'static str, Option<f64>)],
    ) -> Self {
        ReplicationResult {
            replication,
            seed,
            events: 0,
            consignments: 0,
            peak_in_flight: 0,
            observations: observations
                .iter()
                .map(|&(group, metric, value)| Observation {
                    group: group.into(),
                    metric,
                    value,
                })
                .collect(),
            profiles: Vec::new(),
            diverged: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The whole-number counters of a cell, by name, so that a test can
    /// set and check every one of them.
    macro_rules! counters {
        ($m:ident) => {
            $m!(
                arrived,
                released,
                seized,
                releases_in_window,
                within_24h,
                within_48h,
                overall_within_24h,
                inspections,
                hits,
                non_compliant,
                leakage,
                recalls,
                stockouts,
                over_limit,
                in_system_end
            )
        };
    }

    /// A cell whose every counter, sum and duration differs from the
    /// others' and from another seed's: `k` consignments' worth, each
    /// counter offset by its position, so that a field merged into the
    /// wrong one, or not at all, shows.
    fn cell(k: u64) -> CellStats {
        let mut c = CellStats::default();
        let mut i = 0;
        macro_rules! set {
            ($($f:ident),*) => {$(
                i += 1;
                c.$f = k * 1000 + i;
            )*};
        }
        counters!(set);
        let x = k as f64;
        c.revenue_assessed = 11.0 * x;
        c.revenue_evaded = 13.0 * x;
        c.revenue_recovered = 17.0 * x;
        c.revenue_recovered_after_horizon = 19.0 * x;
        for n in 0..k {
            let t = x + n as f64;
            c.release_time.add(t);
            c.release_hist.record(t);
            c.arrival_to_lodgement.add(2.0 * t);
            c.lodgement_to_release.add(3.0 * t);
            c.release_to_exit.add(5.0 * t);
            c.overall_time.add(7.0 * t);
            c.overall_hist.record(7.0 * t);
            for p in 0..4 {
                c.party_time[p].add(t + p as f64);
                c.party_hist[p].record(t + p as f64);
            }
        }
        // `k` consignments in the system from time 0 to 2, then none.
        c.in_system = TimeWeighted::new(0.0, x);
        c.in_system.set(2.0, 0.0);
        c
    }

    /// The sum of a tally's observations, from its count and mean.
    fn total(t: &Tally) -> f64 {
        t.count() as f64 * t.mean().unwrap_or(0.0)
    }

    #[test]
    fn merging_a_cell_counts_its_consignments_here() {
        let (a, b) = (cell(3), cell(5));
        let mut m = a.clone();
        m.merge(&b, 10.0);
        macro_rules! check {
            ($($f:ident),*) => {$(
                assert_eq!(m.$f, a.$f + b.$f, stringify!($f));
            )*};
        }
        counters!(check);
        assert_eq!(m.revenue_assessed, a.revenue_assessed + b.revenue_assessed);
        assert_eq!(m.revenue_evaded, a.revenue_evaded + b.revenue_evaded);
        assert_eq!(
            m.revenue_recovered,
            a.revenue_recovered + b.revenue_recovered
        );
        assert_eq!(
            m.revenue_recovered_after_horizon,
            a.revenue_recovered_after_horizon + b.revenue_recovered_after_horizon
        );
        let tallies = |c: &CellStats| {
            let mut t = vec![
                &c.release_time,
                &c.arrival_to_lodgement,
                &c.lodgement_to_release,
                &c.release_to_exit,
                &c.overall_time,
            ];
            t.extend(c.party_time.iter());
            t.into_iter()
                .map(|t| (t.count(), total(t)))
                .collect::<Vec<_>>()
        };
        for ((m, a), b) in tallies(&m).iter().zip(tallies(&a)).zip(tallies(&b)) {
            assert_eq!(m.0, a.0 + b.0);
            assert!((m.1 - (a.1 + b.1)).abs() < 1e-9, "{m:?} {a:?} {b:?}");
        }
        let hists = |c: &CellStats| {
            let mut h = vec![c.release_hist.count(), c.overall_hist.count()];
            h.extend(c.party_hist.iter().map(DurationHistogram::count));
            h
        };
        for ((m, a), b) in hists(&m).iter().zip(hists(&a)).zip(hists(&b)) {
            assert_eq!(*m, a + b);
        }
        // Areas add: 3 and 5 in the system for 2 h each, 16 in all, and
        // the merged cell keeps adding from there at the horizon.
        assert_eq!(m.in_system.area_until(10.0), 16.0);
    }

    #[test]
    fn release_time_quantiles_are_every_percent_and_the_far_tail() {
        let p: Vec<f64> = quantile_probabilities().collect();
        assert_eq!(p.len(), 101);
        assert_eq!(p[0], 0.01);
        assert_eq!(p[49], 0.5);
        assert_eq!(p[98], 0.99);
        assert_eq!(p[99..], [0.995, 0.999]);
        assert!(p.windows(2).all(|w| w[0] < w[1]), "increasing");
    }
}
