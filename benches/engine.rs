//! Engine speed in consignments per second, single-threaded.
//!
//! - `mmc`: the M/M/c validation scenario (`scenarios/validation/mmc.toml`,
//!   λ = 9 /h, c = 10, ρ = 0.9) stretched to about one million consignments
//!   per replication, no warm-up. This is the headline number.
//! - `default`: one replication of the built-in default scenario (two sites,
//!   office-hour calendars, non-homogeneous arrivals, mixed distributions).
//!
//! Run with `cargo bench --bench engine`; criterion reports `thrpt` in
//! consignments per second (`Kelem/s`, `Melem/s`). Results are recorded in
//! `docs/performance.md`. Speed is measured here, never asserted in a test.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

use clearsim::engine::rng::replication_seed;
use clearsim::model::Model;
use clearsim::sim::run_replication;

/// Simulated hours giving about 1,000,000 M/M/c consignments at λ = 9 /h.
const MMC_HORIZON_H: f64 = 1_000_000.0 / 9.0;

fn mmc_model() -> Model {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/validation/mmc.toml");
    let scenario = clearsim::scenario::load(&path)
        .unwrap_or_else(|e| panic!("cannot load {}: {e}", path.display()));
    let mut model = scenario.model;
    model.horizon = MMC_HORIZON_H;
    model.warmup = 0.0;
    model
}

/// Benchmarks one replication of `model` under `name` in `group`. The
/// replication seed is fixed, so every iteration does the same work and the
/// consignment count (measured once, beforehand) is exact.
fn bench_replication(c: &mut Criterion, group: &str, name: &str, model: &Model, seed: u64) {
    let consignments = run_replication(model, 0, seed).consignments;
    assert!(consignments > 0, "{group}/{name}: no consignment arrived");
    eprintln!("{group}/{name}: {consignments} consignments per replication");
    let mut g = c.benchmark_group(group);
    g.sample_size(10)
        .warm_up_time(Duration::from_secs(3))
        .measurement_time(Duration::from_secs(20))
        .throughput(Throughput::Elements(consignments));
    g.bench_function(name, |b| {
        b.iter(|| run_replication(black_box(model), 0, black_box(seed)))
    });
    g.finish();
}

fn mmc(c: &mut Criterion) {
    let model = mmc_model();
    bench_replication(c, "mmc", "replication_1m", &model, replication_seed(102, 0));
}

fn default_scenario(c: &mut Criterion) {
    let scenario = clearsim::scenario::builtin_default();
    let seed = replication_seed(scenario.seed, 0);
    bench_replication(c, "default", "replication", &scenario.model, seed);
}

criterion_group!(benches, mmc, default_scenario);
criterion_main!(benches);
