//! What one replication measures, per demand stream and per pool, and how
//! it becomes the tidy list of `(group, metric, value)` observations.

use crate::engine::pool::PoolReport;
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
}

/// Consignment-level statistics of a stream over the observation window.
/// Counts refer to consignments that arrived after the warm-up.
#[derive(Clone, Debug, Default)]
pub struct StreamStats {
    pub arrived: u64,
    pub released: u64,
    pub seized: u64,
    /// Releases happening in the window, whenever the consignment arrived.
    pub releases_in_window: u64,
    pub release_time: Tally,
    pub release_hist: DurationHistogram,
    pub within_24h: u64,
    pub within_48h: u64,
    pub in_system: TimeWeighted,
}

impl StreamStats {
    /// Adds another stream's consignment counts and durations (the
    /// time-weighted number in system is summed separately by the caller,
    /// as areas).
    pub fn merge_counts(&mut self, o: &StreamStats) {
        self.arrived += o.arrived;
        self.released += o.released;
        self.seized += o.seized;
        self.releases_in_window += o.releases_in_window;
        self.release_time.merge(&o.release_time);
        self.release_hist.merge(&o.release_hist);
        self.within_24h += o.within_24h;
        self.within_48h += o.within_48h;
    }
}

/// Appends a stream group's observations. `window` is the observation
/// window `[h]`, `in_system_end` the consignments of the window still in
/// flight at the horizon, `in_system_area` the integral of the number in
/// system over the window.
pub fn push_stream(
    out: &mut Vec<Observation>,
    group: &str,
    s: &StreamStats,
    in_system_end: u64,
    in_system_area: f64,
    window: f64,
) {
    let mut push = |metric: &'static str, value: Option<f64>| {
        out.push(Observation {
            group: group.to_string(),
            metric,
            value,
        })
    };
    let share = |k: u64| (s.released > 0).then(|| k as f64 / s.released as f64);
    let days = window / 24.0;
    push("arrived", Some(s.arrived as f64));
    push("released", Some(s.released as f64));
    push("seized", Some(s.seized as f64));
    push("in_system_end", Some(in_system_end as f64));
    push("release_time_mean_h", s.release_time.mean());
    push("release_time_sd_h", s.release_time.sd());
    push("release_time_p50_h", s.release_hist.quantile(0.50));
    push("release_time_p90_h", s.release_hist.quantile(0.90));
    push("release_time_p95_h", s.release_hist.quantile(0.95));
    push("release_time_p99_h", s.release_hist.quantile(0.99));
    push("released_within_24h_share", share(s.within_24h));
    push("released_within_48h_share", share(s.within_48h));
    push(
        "throughput_per_day",
        (days > 0.0).then(|| s.releases_in_window as f64 / days),
    );
    push(
        "arrival_rate_per_h",
        (window > 0.0).then(|| s.arrived as f64 / window),
    );
    push(
        "in_system_mean",
        (window > 0.0).then(|| in_system_area / window),
    );
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
}
