//! Writing a finished run (one or several variants of a scenario) into its
//! output directory: summary, replications, comparison and manifest.

use std::path::Path;

use anyhow::Context;

use super::manifest::{Manifest, RunInfo, ScenarioInfo, key_parameters, peaks};
use super::{profiles, tidy, write_atomic};
use crate::engine::rng::replication_seed;
use crate::experiment::compare::DiffRow;
use crate::experiment::{RunPlan, SummaryRow, summarize};
use crate::scenario::Scenario;
use crate::sim::ReplicationResult;

/// One variant's replications, named as in the `variant` column.
pub struct Variant {
    pub name: String,
    pub results: Vec<ReplicationResult>,
}

/// Everything a run produced.
pub struct RunRecord<'a> {
    pub scenario: &'a Scenario,
    pub plan: RunPlan,
    pub variants: &'a [Variant],
    /// Paired differences against a baseline variant (compare only).
    pub diffs: &'a [DiffRow],
    pub wall_seconds: f64,
    /// Files the command writes after these (its own tables, the charts and
    /// the report), listed in the manifest with the rest.
    pub also_writes: &'a [&'a str],
    /// Notes for the manifest (see [`Manifest::notes`]).
    pub notes: &'a [String],
}

/// What `run` and `compare` write after the tables: charts and report.
pub const CHARTS_AND_REPORT: [&str; 2] = ["plots/", "report.html"];

/// Writes the run's files into `dir` (created if needed) and returns the
/// summary rows and the manifest.
pub fn write_run(dir: &Path, run: &RunRecord) -> anyhow::Result<(Vec<SummaryRow>, Manifest)> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the output directory {}", dir.display()))?;
    let rows: Vec<SummaryRow> = run
        .variants
        .iter()
        .flat_map(|v| summarize(&v.name, &v.results))
        .collect();
    let mut files = vec!["summary.csv", "replications.csv"];
    write_atomic(&dir.join("summary.csv"), &tidy::summary_csv(&rows)?)?;
    let variants: Vec<(&str, &[ReplicationResult])> = run
        .variants
        .iter()
        .map(|v| (v.name.as_str(), v.results.as_slice()))
        .collect();
    write_atomic(
        &dir.join("replications.csv"),
        &tidy::replications_csv(&variants)?,
    )?;
    if let Some((series, dist)) = profiles::profile_csvs(&variants)? {
        files.extend(["timeseries.csv", "distribution.csv"]);
        write_atomic(&dir.join("timeseries.csv"), &series)?;
        write_atomic(&dir.join("distribution.csv"), &dist)?;
    }
    if !run.diffs.is_empty() {
        files.push("comparison.csv");
        write_atomic(
            &dir.join("comparison.csv"),
            &tidy::comparison_csv(run.diffs)?,
        )?;
    }
    files.push("manifest.json");
    files.extend(run.also_writes);
    let s = run.scenario;
    let plan = run.plan;
    let all = || run.variants.iter().flat_map(|v| &v.results);
    let manifest = Manifest {
        clearsim_version: env!("CARGO_PKG_VERSION").to_string(),
        command_line: std::env::args().collect(),
        scenario: ScenarioInfo {
            name: s.name.clone(),
            description: s.description.clone(),
            file: s.source_label.clone(),
            sha256: s.source_sha256.clone(),
        },
        run: RunInfo {
            seed: plan.seed,
            replications: plan.replications,
            replication_seeds: (0..plan.replications as u64)
                .map(|r| replication_seed(plan.seed, r))
                .collect(),
            rng: "PCG-64 (Lcg128Xsl64); one stream per replication and random source, \
                  derived by SplitMix64; every variant uses the same seeds"
                .into(),
            horizon_h: s.model.horizon,
            warmup_h: s.model.warmup,
            threads: if plan.threads == 0 {
                rayon::current_num_threads()
            } else {
                plan.threads
            },
            consignments_simulated: all().map(|r| r.consignments).sum(),
            events: all().map(|r| r.events).sum(),
            wall_seconds: run.wall_seconds,
        },
        variants: run.variants.iter().map(|v| v.name.clone()).collect(),
        files: files.iter().map(|f| f.to_string()).collect(),
        parameters: key_parameters(&s.model),
        peaks: peaks(&s.model),
        notes: run.notes.to_vec(),
    };
    write_atomic(&dir.join("manifest.json"), &manifest.to_json()?)?;
    Ok((rows, manifest))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{Ceiling, Record};

    fn result(replication: u32, arrived: f64) -> ReplicationResult {
        ReplicationResult {
            events: 100,
            consignments: 10,
            ..ReplicationResult::observed(
                replication,
                replication_seed(7, replication as u64),
                &[("all", "arrived", Some(arrived))],
            )
        }
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    /// A run without differences writes no `comparison.csv` and lists the
    /// files it wrote; the manifest records the thread count asked for, or
    /// the pool's when 0 (one per core) was asked for.
    #[test]
    fn the_files_and_threads_are_those_of_the_run() {
        let scenario = crate::scenario::builtin_default();
        let variants = [Variant {
            name: "base".into(),
            results: vec![result(0, 3.0), result(1, 5.0)],
        }];
        let cores = rayon::current_num_threads();
        for (threads, recorded) in [(cores + 1, cores + 1), (0, cores)] {
            let dir = tempfile::tempdir().unwrap();
            let record = RunRecord {
                scenario: &scenario,
                plan: RunPlan {
                    seed: 7,
                    replications: 2,
                    threads,
                    record: Record::default(),
                    ceiling: Ceiling::default(),
                },
                variants: &variants,
                diffs: &[],
                wall_seconds: 1.5,
                also_writes: &[],
                notes: &[],
            };
            let (rows, manifest) = write_run(dir.path(), &record).unwrap();
            assert_eq!(rows.len(), 1);
            assert_eq!(rows[0].estimate.mean, Some(4.0));
            assert_eq!(manifest.run.threads, recorded);
            assert_eq!(
                manifest.files,
                ["summary.csv", "replications.csv", "manifest.json"]
            );
            assert_eq!(
                names(dir.path()),
                ["manifest.json", "replications.csv", "summary.csv"]
            );
        }
    }
}
