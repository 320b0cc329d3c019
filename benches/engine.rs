//! Engine speed in consignments per second, single-threaded, against a
//! hand-written reference loop.
//!
//! - `mmc/replication_1m`: the M/M/c validation scenario
//!   (`scenarios/validation/mmc.toml`, λ = 9 /h, c = 10, ρ = 0.9) stretched
//!   to about one million consignments per replication, no warm-up. This is
//!   the headline number.
//! - `mmc/reference_loop`: the same M/M/c system simulated by the minimal
//!   loop of `engine/reference_loop.rs` (binary heap, `VecDeque`, SplitMix64,
//!   `-ln u`, the mean wait only): what the machine allows.
//! - `default/replication`: one replication of the built-in default scenario
//!   (two sites, office-hour calendars, non-homogeneous arrivals, mixed
//!   distributions).
//! - `national/replication`: one replication of `scenarios/national.toml`
//!   (42 customs, five regions, four channels).
//!
//! After criterion's groups, a side-by-side section times the four again,
//! interleaved round by round so that a change in the machine's load hits
//! them alike, and prints each rate with its ratio to clearsim's M/M/c rate
//! and clearsim M/M/c ÷ loop, the figure that compares across machines and
//! days (absolute speeds on a shared machine drift).
//!
//! Run with `cargo bench --bench engine` (about two minutes); criterion
//! reports `thrpt` in consignments per second (`Melem/s` = million/s).
//! Results are recorded in `docs/performance.md`. Speed is measured here,
//! never asserted in a test.

#[path = "engine/reference_loop.rs"]
mod reference_loop;

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{Criterion, SamplingMode, Throughput};

use clearsim::engine::rng::replication_seed;
use clearsim::model::Model;
use clearsim::sim::run_replication;

/// Simulated hours giving about 1,000,000 M/M/c consignments at λ = 9 /h.
const MMC_HORIZON_H: f64 = 1_000_000.0 / 9.0;
/// The M/M/c scenario's seed; the loop's generator is seeded with it too.
const MMC_SEED: u64 = 102;
/// Rounds of the side-by-side timing; the median of each rate is printed.
const SIDE_BY_SIDE_ROUNDS: usize = 7;

fn load(relative: &str) -> clearsim::scenario::Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    clearsim::scenario::load(&path)
        .unwrap_or_else(|e| panic!("cannot load {}: {e}", path.display()))
}

fn mmc_model() -> Model {
    let mut model = load("scenarios/validation/mmc.toml").model;
    model.horizon = MMC_HORIZON_H;
    model.warmup = 0.0;
    model
}

/// The M/M/c parameters the loop needs, read from the model so that the two
/// simulate the same system: arrival rate `[1/h]`, mean service `[h]`,
/// servers.
fn mmc_parameters(model: &Model) -> (f64, f64, u32) {
    let lambda = model.streams[0].arrivals.mean_weekly_rate();
    let served = model
        .activities
        .iter()
        .find(|a| a.pool.is_some())
        .expect("the M/M/c scenario has one staffed step");
    (lambda, served.duration.mean(), model.pools[0].capacity)
}

/// One workload: a name, the consignments it simulates (the same every
/// time: fixed seeds), and a closure that simulates them.
struct Workload<'a> {
    group: &'static str,
    name: &'static str,
    consignments: u64,
    run: Box<dyn Fn() + 'a>,
}

impl<'a> Workload<'a> {
    /// One clearsim replication of `model` with replication seed `seed`.
    fn replication(group: &'static str, name: &'static str, model: &'a Model, seed: u64) -> Self {
        let consignments = run_replication(model, 0, seed).consignments;
        assert!(consignments > 0, "{group}: no consignment arrived");
        Self {
            group,
            name,
            consignments,
            run: Box::new(move || {
                black_box(run_replication(black_box(model), 0, black_box(seed)));
            }),
        }
    }

    fn reference_loop(model: &Model) -> Self {
        let (lambda, mean, servers) = mmc_parameters(model);
        let horizon = model.horizon;
        let out = reference_loop::run(lambda, mean, servers, horizon, MMC_SEED);
        eprintln!(
            "mmc/reference_loop: {} arrivals, mean wait {:.4} h (Erlang C: 0.6687 h)",
            out.arrivals, out.mean_wait
        );
        Self {
            group: "mmc",
            name: "reference_loop",
            consignments: out.arrivals,
            run: Box::new(move || {
                black_box(reference_loop::run(
                    black_box(lambda),
                    mean,
                    servers,
                    horizon,
                    MMC_SEED,
                ));
            }),
        }
    }

    /// Consignments per second of one timed run.
    fn rate(&self) -> f64 {
        let start = Instant::now();
        (self.run)();
        self.consignments as f64 / start.elapsed().as_secs_f64()
    }
}

/// Criterion's estimate for one workload: `measurement` seconds of samples.
/// Runs of a second or more are taken one per sample (flat sampling).
fn bench(c: &mut Criterion, w: &Workload, measurement: u64) {
    eprintln!(
        "{}/{}: {} consignments per run",
        w.group, w.name, w.consignments
    );
    let mut g = c.benchmark_group(w.group);
    g.sample_size(10)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(measurement))
        .throughput(Throughput::Elements(w.consignments));
    if w.consignments > 2_000_000 {
        g.sampling_mode(SamplingMode::Flat);
    }
    g.bench_function(w.name, |b| b.iter(|| (w.run)()));
    g.finish();
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

/// Times the workloads round-robin and prints each median rate, its ratio
/// to clearsim's M/M/c rate (the first workload), and the loop's ratio.
fn side_by_side(workloads: &[&Workload]) {
    let mut rates = vec![Vec::new(); workloads.len()];
    for _ in 0..SIDE_BY_SIDE_ROUNDS {
        for (w, r) in workloads.iter().zip(&mut rates) {
            r.push(w.rate());
        }
    }
    let medians: Vec<f64> = rates.into_iter().map(median).collect();
    let mmc = medians[0];
    println!("\nside by side ({SIDE_BY_SIDE_ROUNDS} interleaved rounds, median rate, one thread):");
    for (w, m) in workloads.iter().zip(&medians) {
        println!(
            "  {:<24} {:>7.3} M consignments/s   {:>6.3} × clearsim M/M/c",
            format!("{}/{}", w.group, w.name),
            m / 1e6,
            m / mmc
        );
    }
    let reference = workloads
        .iter()
        .position(|w| w.name == "reference_loop")
        .expect("the loop is among the workloads");
    println!(
        "  clearsim M/M/c ÷ reference loop: {:.3}",
        mmc / medians[reference]
    );
}

fn main() {
    let mmc = mmc_model();
    let default = clearsim::scenario::builtin_default();
    let national = load("scenarios/national.toml");
    let workloads = [
        Workload::replication("mmc", "replication_1m", &mmc, replication_seed(MMC_SEED, 0)),
        Workload::reference_loop(&mmc),
        Workload::replication(
            "default",
            "replication",
            &default.model,
            replication_seed(default.seed, 0),
        ),
        Workload::replication(
            "national",
            "replication",
            &national.model,
            replication_seed(national.seed, 0),
        ),
    ];
    let mut c = Criterion::default().configure_from_args();
    for w in &workloads {
        bench(&mut c, w, 10);
    }
    c.final_summary();
    // `cargo bench` passes `--bench`; `cargo test --benches` does not, and
    // then criterion only checks that each benchmark runs.
    if std::env::args().any(|a| a == "--bench") {
        side_by_side(&workloads.iter().collect::<Vec<_>>());
    }
}
