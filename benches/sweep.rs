//! Sweep speed-up from one to two threads.
//!
//! A sweep of the channels scenario (`scenarios/channels.toml`, horizon cut
//! to 10 days) over four inspection rates × two targetings = 8 variants of
//! 4 replications, run as 32 independent variant × replication tasks by
//! `clearsim::experiment::run_many` with 1 and with 2 worker threads. The
//! ratio of the two times is the parallel speed-up (at most 2 on 2 cores).
//!
//! Run with `cargo bench --bench sweep`; results are in `docs/performance.md`.

use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

use clearsim::experiment::sweep::{apply, grid, parse_setting};
use clearsim::experiment::{RunPlan, run_many};
use clearsim::model::Model;

fn variants() -> Vec<Model> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/channels.toml");
    let text = std::fs::read_to_string(&path).expect("channels scenario");
    let settings = [
        parse_setting("policy.inspection_rate=0.02,0.05,0.1,0.2").unwrap(),
        parse_setting("policy.targeting=random,risk_based").unwrap(),
        parse_setting("horizon_days=10").unwrap(),
    ];
    grid(&settings)
        .iter()
        .map(|a| {
            let t = apply(&text, a).expect("valid setting");
            clearsim::scenario::parse("sweep-bench", t.as_bytes())
                .expect("valid variant")
                .model
        })
        .collect()
}

fn sweep(c: &mut Criterion) {
    let models = variants();
    let refs: Vec<&Model> = models.iter().collect();
    let plan = |threads| RunPlan {
        seed: 1,
        replications: 4,
        threads,
        // A sweep records only its summary, as `clearsim sweep` does.
        record: Default::default(),
        ceiling: Default::default(),
    };
    let consignments: u64 = run_many(&refs, plan(2), &|_| {})
        .unwrap()
        .iter()
        .flatten()
        .map(|r| r.consignments)
        .sum();
    let mut g = c.benchmark_group("sweep");
    g.sample_size(10)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(15))
        .throughput(Throughput::Elements(consignments));
    for threads in [1, 2] {
        g.bench_function(format!("8x4_threads_{threads}"), |b| {
            b.iter(|| run_many(&refs, plan(threads), &|_| {}).unwrap())
        });
    }
    g.finish();
}

criterion_group!(benches, sweep);
criterion_main!(benches);
