//! Cluster scale: `--shard K/N` runs a deterministic share of a command's
//! (variant, replication) tasks and writes a partial result; `clearsim merge`
//! puts the partials back together and finishes the command exactly as an
//! unsharded run would, writing byte-identical CSV files.
//!
//! Task t (t = variant × replications + replication) belongs to shard
//! `t mod N + 1`. A shard writes `shard.json` (the command line it ran, the
//! scenario's hash and each task's counters) and `partial.csv` (each task's
//! observations). Merge checks that the shards agree and that every task is
//! there exactly once, then re-runs the same command line with the merged
//! results standing in for the simulation.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, bail};
use serde::{Deserialize, Serialize};

use super::{Cli, Common, InputError};
use crate::experiment::{self, RunPlan};
use crate::model::Model;
use crate::output::progress::Progress;
use crate::output::write_atomic;
use crate::scenario::ScenarioError;
use crate::sim::{Observation, Profile, ReplicationResult};

/// `K/N`: shard K (1-based) of N.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    pub k: u32,
    pub n: u32,
}

/// Parses `K/N` for clap.
pub fn parse_shard(s: &str) -> Result<Shard, String> {
    let (k, n) = s
        .split_once('/')
        .ok_or_else(|| format!("{s:?}: expected K/N, e.g. 3/10"))?;
    let (k, n): (u32, u32) = (
        k.trim()
            .parse()
            .map_err(|_| format!("{s:?}: K is not a whole number"))?,
        n.trim()
            .parse()
            .map_err(|_| format!("{s:?}: N is not a whole number"))?,
    );
    if n == 0 || k == 0 || k > n {
        return Err(format!("{s:?}: expected 1 <= K <= N"));
    }
    Ok(Shard { k, n })
}

/// Results handed to a command by `merge`, one list per variant.
pub type Merged = Arc<Vec<Vec<ReplicationResult>>>;

#[derive(Debug, Serialize, Deserialize)]
struct ShardFile {
    format: u32,
    shard: u32,
    of: u32,
    /// The command line after `clearsim`, without `--shard` and `--out`.
    argv: Vec<String>,
    variants: usize,
    replications: u32,
    tasks: Vec<TaskInfo>,
}

#[derive(Debug, Serialize, Deserialize)]
struct TaskInfo {
    task: usize,
    seed: u64,
    events: u64,
    consignments: u64,
    peak_in_flight: usize,
}

/// The command line without the program name, `--shard` and `--out`.
fn command_argv() -> Vec<String> {
    let mut out = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--shard" || a == "--out" {
            args.next();
        } else if !(a.starts_with("--shard=") || a.starts_with("--out=")) {
            out.push(a);
        }
    }
    out
}

/// Runs a command's simulations: all of them, a shard's share (then writes
/// the partial into `out` and returns `None`: the command stops there), or
/// none when `merge` supplied the results.
pub fn execute(
    common: &Common,
    out: &Path,
    models: &[&Model],
    plan: RunPlan,
    progress: &Progress,
) -> anyhow::Result<Option<Vec<Vec<ReplicationResult>>>> {
    let reps = plan.replications as usize;
    if let Some(merged) = &common.merged {
        if merged.len() != models.len() || merged.iter().any(|v| v.len() != reps) {
            bail!("the merged shards do not match this command's variants and replications");
        }
        return Ok(Some(merged.as_ref().clone()));
    }
    let Some(shard) = common.shard else {
        return experiment::run_many(models, plan, &|r| progress.done(r)).map(Some);
    };
    let tasks: Vec<usize> = (0..models.len() * reps)
        .filter(|t| t % shard.n as usize == (shard.k - 1) as usize)
        .collect();
    let results = experiment::run_tasks(models, plan, &tasks, &|r| progress.done(r))?;
    progress.finish();
    std::fs::create_dir_all(out)
        .with_context(|| format!("cannot create the output directory {}", out.display()))?;
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["task", "group", "metric", "value"])?;
    for (t, r) in tasks.iter().zip(&results) {
        for o in &r.observations {
            let v = o.value.map(|x| x.to_string()).unwrap_or_default();
            w.write_record([t.to_string().as_str(), &o.group, o.metric, &v])?;
        }
    }
    write_atomic(&out.join("partial.csv"), &w.into_inner()?)?;
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["task", "group", "metric", "x", "value"])?;
    for (t, r) in tasks.iter().zip(&results) {
        for p in &r.profiles {
            for (x, v) in &p.points {
                let v = v.map(|v| v.to_string()).unwrap_or_default();
                w.write_record([&t.to_string(), &p.group, p.metric, &x.to_string(), &v])?;
            }
        }
    }
    write_atomic(&out.join("partial_profiles.csv"), &w.into_inner()?)?;
    let file = ShardFile {
        format: 1,
        shard: shard.k,
        of: shard.n,
        argv: command_argv(),
        variants: models.len(),
        replications: plan.replications,
        tasks: tasks
            .iter()
            .zip(&results)
            .map(|(&task, r)| TaskInfo {
                task,
                seed: r.seed,
                events: r.events,
                consignments: r.consignments,
                peak_in_flight: r.peak_in_flight,
            })
            .collect(),
    };
    let mut json = serde_json::to_vec_pretty(&file)?;
    json.push(b'\n');
    write_atomic(&out.join("shard.json"), &json)?;
    if !progress.quiet {
        eprintln!(
            "shard {}/{}: {} of {} tasks written to {}; run `clearsim merge` on all shard directories",
            shard.k,
            shard.n,
            tasks.len(),
            models.len() * reps,
            out.display()
        );
    }
    Ok(None)
}

fn input(msg: String) -> anyhow::Error {
    InputError(ScenarioError::single("merge", msg)).into()
}

/// Metric names are `&'static str` in results; a merge leaks each distinct
/// name once (a few dozen strings per process).
fn intern(names: &mut HashMap<String, &'static str>, name: &str) -> &'static str {
    names
        .entry(name.to_string())
        .or_insert_with(|| Box::leak(name.to_string().into_boxed_str()))
}

/// An empty cell (undefined) or a number.
fn optional_number(path: &Path, cell: &str) -> anyhow::Result<Option<f64>> {
    if cell.is_empty() {
        return Ok(None);
    }
    cell.parse::<f64>()
        .map(Some)
        .map_err(|_| input(format!("{}: bad number {cell:?}", path.display())))
}

/// Calls `each` with every record of a shard's CSV file and the task number
/// in its first column.
fn for_each_task_record(
    path: &Path,
    mut each: impl FnMut(usize, &csv::StringRecord) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let mut r = csv::Reader::from_path(path)
        .map_err(|e| input(format!("cannot read {}: {e}", path.display())))?;
    for rec in r.records() {
        let rec = rec.map_err(|e| input(format!("{}: {e}", path.display())))?;
        let task: usize = rec[0]
            .parse()
            .map_err(|_| input(format!("{}: bad task {:?}", path.display(), &rec[0])))?;
        each(task, &rec)?;
    }
    Ok(())
}

/// A shard's curves by task, in the order written.
fn read_profiles(
    path: &Path,
    names: &mut HashMap<String, &'static str>,
) -> anyhow::Result<HashMap<usize, Vec<Profile>>> {
    let mut by_task: HashMap<usize, Vec<Profile>> = HashMap::new();
    for_each_task_record(path, |task, rec| {
        let (group, metric) = (&rec[1], intern(names, &rec[2]));
        let x = optional_number(path, &rec[3])?
            .ok_or_else(|| input(format!("{}: empty x", path.display())))?;
        let value = optional_number(path, &rec[4])?;
        let list = by_task.entry(task).or_default();
        match list.last_mut() {
            Some(p) if p.group == group && p.metric == metric => p.points.push((x, value)),
            _ => list.push(Profile {
                group: group.to_string(),
                metric,
                points: vec![(x, value)],
            }),
        }
        Ok(())
    })?;
    Ok(by_task)
}

/// `clearsim merge DIR...`: checks the shards and finishes their command.
pub fn merge(dirs: &[PathBuf], out: Option<PathBuf>) -> anyhow::Result<()> {
    let mut files = Vec::new();
    for d in dirs {
        let path = d.join("shard.json");
        let bytes = std::fs::read(&path)
            .map_err(|e| input(format!("cannot read {}: {e}", path.display())))?;
        let f: ShardFile = serde_json::from_slice(&bytes).map_err(|e| {
            input(format!(
                "{} is not a clearsim shard file: {e}",
                path.display()
            ))
        })?;
        files.push((d, f));
    }
    let (_, first) = &files[0];
    for (d, f) in &files {
        if f.argv != first.argv
            || f.of != first.of
            || f.variants != first.variants
            || f.replications != first.replications
        {
            return Err(input(format!(
                "{} comes from another run (command {:?}, {} shards) than {} (command {:?}, {} shards)",
                d.display(),
                f.argv,
                f.of,
                files[0].0.display(),
                first.argv,
                first.of
            )));
        }
    }
    let mut shards: Vec<u32> = files.iter().map(|(_, f)| f.shard).collect();
    shards.sort();
    let expected: Vec<u32> = (1..=first.of).collect();
    if shards != expected {
        return Err(input(format!(
            "need shards 1..={} exactly once each; got {shards:?}",
            first.of
        )));
    }
    let reps = first.replications as usize;
    let total = first.variants * reps;
    let mut by_task: Vec<Option<ReplicationResult>> = (0..total).map(|_| None).collect();
    let mut names: HashMap<String, &'static str> = HashMap::new();
    for (d, f) in &files {
        let mut obs: HashMap<usize, Vec<Observation>> = HashMap::new();
        let path = d.join("partial.csv");
        for_each_task_record(&path, |task, rec| {
            let metric = intern(&mut names, &rec[2]);
            let value = optional_number(&path, &rec[3])?;
            obs.entry(task).or_default().push(Observation {
                group: rec[1].to_string(),
                metric,
                value,
            });
            Ok(())
        })?;
        let mut profiles = read_profiles(&d.join("partial_profiles.csv"), &mut names)?;
        for t in &f.tasks {
            if t.task >= total || by_task[t.task].is_some() {
                return Err(input(format!(
                    "task {} appears twice or out of range in {}",
                    t.task,
                    d.display()
                )));
            }
            by_task[t.task] = Some(ReplicationResult {
                replication: (t.task % reps) as u32,
                seed: t.seed,
                events: t.events,
                consignments: t.consignments,
                peak_in_flight: t.peak_in_flight,
                observations: obs.remove(&t.task).unwrap_or_default(),
                profiles: profiles.remove(&t.task).unwrap_or_default(),
            });
        }
    }
    let mut flat = Vec::with_capacity(total);
    for (t, r) in by_task.into_iter().enumerate() {
        flat.push(r.ok_or_else(|| input(format!("task {t} is missing from every shard")))?);
    }
    let mut it = flat.into_iter();
    let merged: Vec<Vec<ReplicationResult>> = (0..first.variants)
        .map(|_| it.by_ref().take(reps).collect())
        .collect();
    let argv = std::iter::once("clearsim".to_string()).chain(first.argv.iter().cloned());
    let mut cli = <Cli as clap::Parser>::try_parse_from(argv)
        .map_err(|e| input(format!("the shards' command line no longer parses: {e}")))?;
    let common = super::common_mut(&mut cli.command)
        .ok_or_else(|| input("the shards' command cannot be merged".into()))?;
    common.out = out;
    common.merged = Some(Arc::new(merged));
    super::run(cli)
}
