//! Replications of a model, run in parallel and gathered in order.
//!
//! Each replication draws from its own random streams, derived from the
//! master seed and the replication number alone, and results are collected
//! by replication id. The output is therefore identical for any thread
//! count; only the wall-clock time changes.

pub mod compare;
pub mod ladder;
pub mod plan;
pub mod sweep;

use rayon::prelude::*;

use crate::engine::rng::replication_seed;
use crate::model::Model;
use crate::sim::{Ceiling, Divergence, Record, ReplicationResult, run_replication_with};
use crate::stats::Estimate;

/// How to run a model.
#[derive(Clone, Copy, Debug)]
pub struct RunPlan {
    pub seed: u64,
    pub replications: u32,
    /// Worker threads; 0 means one per available core.
    pub threads: usize,
    /// What each replication records besides its summary.
    pub record: Record,
    /// The ceilings that stop a diverging replication.
    pub ceiling: Ceiling,
}

/// A replication went over a ceiling (see [`crate::sim::ceiling`]): the
/// model diverges, and the command reports it as bad input (exit 2)
/// rather than results of a system with no steady state.
#[derive(Debug, thiserror::Error)]
#[error(
    "{variant}replication {replication}: {divergence}: the model diverges; \
     lower its load or raise --max-in-system (now {max})"
)]
pub struct Diverged {
    /// `variant K of N: ` when the command runs several, else empty.
    pub variant: String,
    pub replication: u32,
    pub divergence: Divergence,
    /// The ceiling on consignments in the system.
    pub max: usize,
}

/// One row of the summary: a metric of a group, estimated across
/// replications.
#[derive(Clone, Debug, PartialEq)]
pub struct SummaryRow {
    pub variant: String,
    pub group: String,
    pub metric: &'static str,
    pub estimate: Estimate,
}

/// Runs every replication of `model` and returns them ordered by id.
pub fn run(model: &Model, plan: RunPlan) -> anyhow::Result<Vec<ReplicationResult>> {
    let mut all = run_many(&[model], plan, &|_| {})?;
    Ok(all.pop().expect("one model, one result list"))
}

/// Runs every replication of every model, all in parallel (variant ×
/// replication tasks), and returns each model's replications in order. The
/// same seeds serve every model, so variants share their random numbers.
/// `on_done` is told of each finished replication (in completion order,
/// from worker threads): for progress reporting only.
pub fn run_many(
    models: &[&Model],
    plan: RunPlan,
    on_done: &(dyn Fn(&ReplicationResult) + Sync),
) -> anyhow::Result<Vec<Vec<ReplicationResult>>> {
    let reps = plan.replications as usize;
    let all: Vec<usize> = (0..models.len() * reps).collect();
    let flat = run_tasks(models, plan, &all, on_done)?;
    let mut it = flat.into_iter();
    Ok((0..models.len())
        .map(|_| it.by_ref().take(reps).collect())
        .collect())
}

/// Runs the given tasks — task `t` is replication `t % reps` of variant
/// `t / reps` — in parallel and returns their results in the order given.
/// A cluster shard runs a share of the tasks with this.
pub fn run_tasks(
    models: &[&Model],
    plan: RunPlan,
    tasks: &[usize],
    on_done: &(dyn Fn(&ReplicationResult) + Sync),
) -> anyhow::Result<Vec<ReplicationResult>> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(plan.threads)
        .build()?;
    let reps = plan.replications as usize;
    let results: Vec<ReplicationResult> = pool.install(|| {
        tasks
            .par_iter()
            .map(|&task| {
                let (v, r) = (task / reps, (task % reps) as u32);
                let seed = replication_seed(plan.seed, r as u64);
                let result = run_replication_with(models[v], r, seed, plan.record, plan.ceiling);
                on_done(&result);
                result
            })
            .collect()
    });
    // The first diverging task in task order, whatever the thread count.
    for (&task, result) in tasks.iter().zip(&results) {
        if let Some(d) = &result.diverged {
            let variant = if models.len() > 1 {
                format!("variant {} of {}, ", task / reps + 1, models.len())
            } else {
                String::new()
            };
            return Err(Diverged {
                variant,
                replication: result.replication,
                divergence: d.clone(),
                max: plan.ceiling.in_system,
            }
            .into());
        }
    }
    Ok(results)
}

/// Estimates every `(group, metric)` across replications, in the order the
/// replications list them.
pub fn summarize(variant: &str, results: &[ReplicationResult]) -> Vec<SummaryRow> {
    let Some(first) = results.first() else {
        return Vec::new();
    };
    first
        .observations
        .iter()
        .enumerate()
        .map(|(i, o)| {
            debug_assert!(results.iter().all(|r| r.observations[i].metric == o.metric));
            SummaryRow {
                variant: variant.to_string(),
                group: o.group.clone(),
                metric: o.metric,
                estimate: Estimate::from_values(results.iter().map(|r| r.observations[i].value)),
            }
        })
        .collect()
}

/// Finds a row by group and metric.
pub fn find<'a>(rows: &'a [SummaryRow], group: &str, metric: &str) -> Option<&'a SummaryRow> {
    rows.iter().find(|r| r.group == group && r.metric == metric)
}
