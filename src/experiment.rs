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

#[cfg(test)]
impl SummaryRow {
    /// A row with the given estimate, for the tests of the code that
    /// writes and prints summaries.
    pub(crate) fn estimated(
        variant: &str,
        group: &str,
        metric: &'static str,
        mean: Option<f64>,
        half_width: Option<f64>,
        n: usize,
    ) -> Self {
        SummaryRow {
            variant: variant.into(),
            group: group.into(),
            metric,
            estimate: Estimate {
                mean,
                half_width,
                n,
            },
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// One server, every consignment inspected (7.2 s on average), Poisson
    /// arrivals at `rate` per hour for four hours: a replication takes
    /// milliseconds.
    fn queue(rate: f64) -> Model {
        let text = format!(
            "name = \"t\"\nseed = 1\nreplications = 2\nhorizon_h = 4\nwarmup_h = 0\n\
             [policy]\nreview_rate = 0.0\ninspection_rate = 1.0\n\
             [[sites]]\nid = \"port\"\nkind = \"sea_port\"\n\
             [sites.steps.inspection]\nresource = \"server\"\n\
             duration = {{ dist = \"exponential\", mean = 0.002 }}\n\
             [[resources]]\nid = \"server\"\nsite = \"port\"\ncapacity = 1\n\
             [[streams]]\nid = \"arrivals\"\nport = \"port\"\nrate_per_h = {rate:?}\n"
        );
        crate::scenario::parse("test", text.as_bytes())
            .unwrap()
            .model
    }

    fn plan(replications: u32, ceiling: Ceiling) -> RunPlan {
        RunPlan {
            seed: 7,
            replications,
            threads: 2,
            record: Record::default(),
            ceiling,
        }
    }

    /// What identifies a replication's run: its id, its seed and what it
    /// simulated.
    fn id(r: &ReplicationResult) -> (u32, u64, u64, u64) {
        (r.replication, r.seed, r.events, r.consignments)
    }

    /// Result `[v][r]` is replication `r` of model `v`, run with the seed
    /// derived from the plan's seed and `r`, as if run alone.
    #[test]
    fn each_variant_gets_its_own_replications_in_order() {
        let (a, b) = (queue(20.0), queue(40.0));
        let all = run_many(&[&a, &b], plan(3, Ceiling::default()), &|_| {}).unwrap();
        let want: Vec<Vec<_>> = [&a, &b]
            .iter()
            .map(|m| {
                (0..3)
                    .map(|r| {
                        let seed = replication_seed(7, r as u64);
                        id(&run_replication_with(
                            m,
                            r,
                            seed,
                            Record::default(),
                            Ceiling::default(),
                        ))
                    })
                    .collect()
            })
            .collect();
        let got: Vec<Vec<_>> = all.iter().map(|v| v.iter().map(id).collect()).collect();
        assert_eq!(got, want);
        // The two models differ in what they simulate (else this proves
        // nothing about which model ran).
        assert_ne!(want[0][0].3, want[1][0].3);
        let alone: Vec<_> = run(&b, plan(3, Ceiling::default()))
            .unwrap()
            .iter()
            .map(id)
            .collect();
        assert_eq!(alone, want[1]);
    }

    /// A diverging replication is an error naming it, and the variant
    /// (`variant K of N, `) only when there are several.
    #[test]
    fn a_divergence_names_the_replication_and_the_variant() {
        // Over one consignment in the system at 250 an hour: at once.
        let tight = Ceiling::from_in_system(1);
        let (calm, busy) = (queue(1e-6), queue(250.0));
        let e = run_many(&[&calm, &busy], plan(2, tight), &|_| {}).unwrap_err();
        let d = e.downcast_ref::<Diverged>().expect("a divergence");
        assert_eq!((d.variant.as_str(), d.replication), ("variant 2 of 2, ", 0));
        assert!(
            e.to_string().starts_with("variant 2 of 2, replication 0: "),
            "{e}"
        );
        let e = run(&busy, plan(2, tight)).unwrap_err();
        assert!(e.to_string().starts_with("replication 0: "), "{e}");
    }

    fn observed(values: [f64; 2]) -> ReplicationResult {
        ReplicationResult::observed(
            0,
            0,
            &[
                ("all", "arrived", Some(values[0])),
                ("mode=a", "arrived", Some(values[1])),
            ],
        )
    }

    /// Each (group, metric) averaged over the replications, in the
    /// replications' order; `find` picks a row by both.
    #[test]
    fn summary_rows_average_each_observation() {
        let rows = summarize("base", &[observed([1.0, 10.0]), observed([3.0, 30.0])]);
        let got: Vec<_> = rows
            .iter()
            .map(|r| {
                (
                    r.variant.as_str(),
                    r.group.as_str(),
                    r.metric,
                    r.estimate.mean,
                    r.estimate.n,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("base", "all", "arrived", Some(2.0), 2),
                ("base", "mode=a", "arrived", Some(20.0), 2)
            ]
        );
        assert_eq!(find(&rows, "mode=a", "arrived"), Some(&rows[1]));
        assert_eq!(find(&rows, "all", "arrived"), Some(&rows[0]));
        assert_eq!(find(&rows, "all", "leakage"), None);
        assert!(summarize("base", &[]).is_empty());
    }
}
