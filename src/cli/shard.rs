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

use anyhow::Context;
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
    if n > MAX_SHARDS {
        return Err(format!(
            "{s:?}: {n} shards; at most {MAX_SHARDS} are allowed (and no more than tasks)"
        ));
    }
    Ok(Shard { k, n })
}

/// The most shards a run may be split into.
pub const MAX_SHARDS: u32 = 100_000;
/// The version of `shard.json` this clearsim writes and reads.
const SHARD_FORMAT: u32 = 1;
/// The most variants and replications a shard file may describe (the
/// sweep's grid limit and `--reps`' limit).
const MAX_VARIANTS: usize = crate::experiment::sweep::MAX_VARIANTS;
const MAX_REPLICATIONS: u32 = 100_000;
/// The most (variant, replication) tasks one command runs: the limit of
/// `--reps` for a single scenario, shared out among a grid's variants.
pub const MAX_TASKS: usize = 100_000;

/// Refuses a command of more than [`MAX_TASKS`] tasks before it builds or
/// runs anything.
pub fn check_tasks(variants: usize, replications: u32) -> anyhow::Result<()> {
    let tasks = variants.saturating_mul(replications as usize);
    if tasks > MAX_TASKS {
        return Err(InputError(ScenarioError::single(
            "--reps",
            format!(
                "{variants} variants × {replications} replications make {tasks} runs; at most \
                 {MAX_TASKS} are allowed: use fewer variants or replications"
            ),
        ))
        .into());
    }
    Ok(())
}

/// The largest `shard.json` read.
const MAX_SHARD_FILE_BYTES: u64 = 1 << 30;

/// Results handed to a command by `merge`.
pub type Merged = Arc<MergedShards>;

#[derive(Debug)]
pub struct MergedShards {
    /// One list per variant.
    results: Vec<Vec<ReplicationResult>>,
    /// Shard k's directory at index k - 1, for messages.
    dirs: Vec<PathBuf>,
}

impl MergedShards {
    /// The partial file of the shard holding `task`.
    fn file_of(&self, task: usize, name: &str) -> String {
        let n = self.dirs.len().max(1);
        self.dirs
            .get(task % n)
            .map_or(name.to_string(), |d| d.join(name).display().to_string())
    }
}

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

/// A command line as a run is identified by: without the options that do
/// not change results (`--quiet`, `--threads`), with each existing file
/// named by its canonical path, so `./a.toml`, `a.toml` and `/abs/a.toml`
/// are the same run.
fn run_identity(argv: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut args = argv.iter();
    while let Some(a) = args.next() {
        match a.as_str() {
            "-q" | "--quiet" => {}
            "--threads" => {
                args.next();
            }
            _ if a.starts_with("--threads=") => {}
            _ => out.push(
                std::fs::canonicalize(a)
                    .ok()
                    .filter(|p| p.is_file())
                    .map_or_else(|| a.clone(), |p| p.display().to_string()),
            ),
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
    check_tasks(models.len(), plan.replications)?;
    if let Some(merged) = &common.merged {
        let shards = merged;
        let merged = &shards.results;
        if merged.len() != models.len() || merged.iter().any(|v| v.len() != reps) {
            return Err(input(format!(
                "the shards hold {} variants × {} replications, but their command \
                 now makes {} × {reps} (the scenario file changed since they ran?)",
                merged.len(),
                merged.first().map_or(0, Vec::len),
                models.len()
            )));
        }
        check_merged(models, plan, shards)?;
        return Ok(Some(merged.clone()));
    }
    let Some(shard) = common.shard else {
        return experiment::run_many(models, plan, &|r| progress.done(r)).map(Some);
    };
    let total = models.len() * reps;
    if shard.n as usize > total {
        return Err(InputError(ScenarioError::single(
            "--shard",
            format!(
                "--shard {}/{}: more shards than the {total} (variant, replication) tasks; \
             use at most {total} shards",
                shard.k, shard.n
            ),
        ))
        .into());
    }
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
            let v = crate::output::cell(o.value);
            w.write_record([t.to_string().as_str(), &o.group, o.metric, &v])?;
        }
    }
    write_atomic(&out.join("partial.csv"), &w.into_inner()?)?;
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["task", "group", "metric", "x", "value"])?;
    for (t, r) in tasks.iter().zip(&results) {
        for p in &r.profiles {
            for (x, v) in &p.points {
                let v = crate::output::cell(*v);
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

/// Merged results must be what the command would have computed: each
/// replication's seed derived from the master seed, and each variant's
/// replications observing the same groups and metrics, in the order a
/// replication of its model lists them (read from a replication of a
/// moment's horizon), and the same curves.
fn check_merged(models: &[&Model], plan: RunPlan, shards: &MergedShards) -> anyhow::Result<()> {
    let reps = plan.replications as usize;
    let merged = &shards.results;
    for (v, (model, results)) in models.iter().zip(merged).enumerate() {
        let mut probe = (*model).clone();
        probe.warmup = 0.0;
        probe.horizon = probe.horizon.min(1e-6);
        let layout = crate::sim::run_replication(&probe, 0, 1).observations;
        for (r, result) in results.iter().enumerate() {
            let task = v * reps + r;
            let seed = crate::engine::rng::replication_seed(plan.seed, r as u64);
            if result.seed != seed {
                return Err(input(format!(
                    "{}: task {task} has seed {}, but replication {r} of master \
                     seed {} has seed {seed}; the shard file was changed or comes from \
                     another run",
                    shards.file_of(task, "shard.json"),
                    result.seed,
                    plan.seed
                )));
            }
            let same = result.observations.len() == layout.len()
                && result
                    .observations
                    .iter()
                    .zip(&layout)
                    .all(|(a, b)| a.group == b.group && a.metric == b.metric);
            if !same {
                let detail = result
                    .observations
                    .iter()
                    .zip(&layout)
                    .position(|(a, b)| a.group != b.group || a.metric != b.metric)
                    .map_or_else(
                        || {
                            format!(
                                "it has {} rows where {} are expected",
                                result.observations.len(),
                                layout.len()
                            )
                        },
                        |i| {
                            let (a, b) = (&result.observations[i], &layout[i]);
                            format!(
                                "its row {} is {}/{} where {}/{} is expected",
                                i + 1,
                                a.group,
                                a.metric,
                                b.group,
                                b.metric
                            )
                        },
                    );
                return Err(input(format!(
                    "{}: task {task} is incomplete or altered: {detail}",
                    shards.file_of(task, "partial.csv")
                )));
            }
            let first = &results[0];
            let curves = |x: &ReplicationResult| -> Vec<(String, &'static str, Vec<f64>)> {
                x.profiles
                    .iter()
                    .map(|p| {
                        let xs = p.points.iter().map(|(x, _)| *x).collect();
                        (p.group.clone(), p.metric, xs)
                    })
                    .collect()
            };
            if curves(result) != curves(first) {
                let first_task = v * reps;
                return Err(input(format!(
                    "{}: task {task} has other curves than task {first_task} in {} \
                     (rows missing or altered in one of them)",
                    shards.file_of(task, "partial_profiles.csv"),
                    shards.file_of(first_task, "partial_profiles.csv"),
                )));
            }
        }
    }
    Ok(())
}

/// Metric names are `&'static str` in results; a merge leaks each distinct
/// name once (a few dozen strings per process).
fn intern(names: &mut HashMap<String, &'static str>, name: &str) -> &'static str {
    names
        .entry(name.to_string())
        .or_insert_with(|| Box::leak(name.to_string().into_boxed_str()))
}

/// An empty cell (undefined) or a finite number.
fn optional_number(path: &Path, row: u64, cell: &str) -> anyhow::Result<Option<f64>> {
    if cell.is_empty() {
        return Ok(None);
    }
    match cell.parse::<f64>() {
        Ok(x) if x.is_finite() => Ok(Some(x)),
        _ => Err(input(format!(
            "{} row {row}: {cell:?} is not a finite number (nor an empty cell)",
            path.display()
        ))),
    }
}

/// Calls `each` with every record of a shard's CSV file, its row number
/// (the header is row 1) and the task number in its first column, which
/// must be one of `tasks` (the shard's own). The header must be `header`.
fn for_each_task_record(
    path: &Path,
    header: &[&str],
    tasks: &std::collections::HashSet<usize>,
    mut each: impl FnMut(usize, u64, &csv::StringRecord) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let mut r = csv::Reader::from_path(path)
        .map_err(|e| input(format!("cannot read {}: {e}", path.display())))?;
    let found = r
        .headers()
        .map_err(|e| input(format!("{}: {e}", path.display())))?;
    if found.iter().ne(header.iter().copied()) {
        return Err(input(format!(
            "{}: the header is {:?}; a clearsim shard file starts with {:?} (truncated or not \
             written by clearsim)",
            path.display(),
            found.iter().collect::<Vec<_>>().join(","),
            header.join(",")
        )));
    }
    for (i, rec) in r.records().enumerate() {
        let row = i as u64 + 2;
        let rec = rec.map_err(|e| input(format!("{} row {row}: {e}", path.display())))?;
        if rec.len() != header.len() {
            return Err(input(format!(
                "{} row {row}: {} cells where {} are expected",
                path.display(),
                rec.len(),
                header.len()
            )));
        }
        let task = rec[0]
            .parse::<usize>()
            .ok()
            .filter(|t| tasks.contains(t))
            .ok_or_else(|| {
                input(format!(
                    "{} row {row}: task {:?} is not one of this shard's tasks (listed in shard.json)",
                    path.display(),
                    &rec[0]
                ))
            })?;
        each(task, row, &rec)?;
    }
    Ok(())
}

/// A shard's curves by task, in the order written.
fn read_profiles(
    path: &Path,
    tasks: &std::collections::HashSet<usize>,
    names: &mut HashMap<String, &'static str>,
) -> anyhow::Result<HashMap<usize, Vec<Profile>>> {
    let mut by_task: HashMap<usize, Vec<Profile>> = HashMap::new();
    let header = ["task", "group", "metric", "x", "value"];
    for_each_task_record(path, &header, tasks, |task, row, rec| {
        let (group, metric) = (&rec[1], intern(names, &rec[2]));
        let x = optional_number(path, row, &rec[3])?
            .ok_or_else(|| input(format!("{} row {row}: empty x", path.display())))?;
        let value = optional_number(path, row, &rec[4])?;
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

/// Every number of a shard file within what a run can produce, checked
/// before any of them sizes an allocation.
fn check_shard_file(path: &Path, f: &ShardFile) -> anyhow::Result<()> {
    let bad = |what: String| Err(input(format!("{}: {what}", path.display())));
    if f.format != SHARD_FORMAT {
        return bad(format!(
            "format {} is not one this clearsim reads ({SHARD_FORMAT}); merge with the \
             clearsim that wrote the shards",
            f.format
        ));
    }
    if !(1..=MAX_SHARDS).contains(&f.of) || !(1..=f.of).contains(&f.shard) {
        return bad(format!(
            "shard {} of {}: expected 1 <= shard <= of <= {MAX_SHARDS}",
            f.shard, f.of
        ));
    }
    if !(1..=MAX_VARIANTS).contains(&f.variants) {
        return bad(format!(
            "variants = {}; expected 1 to {MAX_VARIANTS}",
            f.variants
        ));
    }
    if !(1..=MAX_REPLICATIONS).contains(&f.replications) {
        return bad(format!(
            "replications = {}; expected 1 to {MAX_REPLICATIONS}",
            f.replications
        ));
    }
    Ok(())
}

/// `clearsim merge DIR...`: checks the shards and finishes their command.
pub fn merge(dirs: &[PathBuf], out: Option<PathBuf>) -> anyhow::Result<()> {
    let mut files = Vec::new();
    for d in dirs {
        let path = d.join("shard.json");
        let bytes = crate::scenario::read_limited(&path, MAX_SHARD_FILE_BYTES)
            .map_err(|e| input(format!("cannot read {}: {e}", path.display())))?;
        let f: ShardFile = serde_json::from_slice(&bytes).map_err(|e| {
            input(format!(
                "{} is not a clearsim shard file: {e}",
                path.display()
            ))
        })?;
        check_shard_file(&path, &f)?;
        files.push((d, f));
    }
    let (_, first) = &files[0];
    for (d, f) in &files {
        if run_identity(&f.argv) != run_identity(&first.argv)
            || f.of != first.of
            || f.variants != first.variants
            || f.replications != first.replications
        {
            return Err(input(format!(
                "{} comes from another run (command {:?}, {} shards, {} variants × {} replications) \
                 than {} (command {:?}, {} shards, {} variants × {} replications)",
                d.join("shard.json").display(),
                f.argv,
                f.of,
                f.variants,
                f.replications,
                files[0].0.join("shard.json").display(),
                first.argv,
                first.of,
                first.variants,
                first.replications
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
    // Bounded by check_shard_file; every task listed exactly once is
    // checked below, before anything of this size is allocated.
    let total = first.variants * reps;
    check_tasks(first.variants, first.replications)?;
    let listed: usize = files.iter().map(|(_, f)| f.tasks.len()).sum();
    if listed != total {
        return Err(input(format!(
            "the shards list {listed} tasks, but {} variants × {reps} replications make {total}",
            first.variants
        )));
    }
    if first.of as usize > total {
        return Err(input(format!(
            "{} shards for {total} tasks: a shard file was altered",
            first.of
        )));
    }
    let mut by_task: Vec<Option<ReplicationResult>> = (0..total).map(|_| None).collect();
    let mut names: HashMap<String, &'static str> = HashMap::new();
    for (d, f) in &files {
        let own: std::collections::HashSet<usize> = f.tasks.iter().map(|t| t.task).collect();
        let mut obs: HashMap<usize, Vec<Observation>> = HashMap::new();
        let path = d.join("partial.csv");
        let header = ["task", "group", "metric", "value"];
        for_each_task_record(&path, &header, &own, |task, row, rec| {
            let metric = intern(&mut names, &rec[2]);
            let value = optional_number(&path, row, &rec[3])?;
            obs.entry(task).or_default().push(Observation {
                group: rec[1].to_string(),
                metric,
                value,
            });
            Ok(())
        })?;
        let mut profiles = read_profiles(&d.join("partial_profiles.csv"), &own, &mut names)?;
        for t in &f.tasks {
            if t.task >= total || by_task[t.task].is_some() {
                return Err(input(format!(
                    "task {} appears twice or out of range in {}",
                    t.task,
                    d.display()
                )));
            }
            if t.task % f.of as usize != (f.shard - 1) as usize {
                return Err(input(format!(
                    "{}: task {} does not belong to shard {}/{} (task t goes to shard t mod N + 1)",
                    d.join("shard.json").display(),
                    t.task,
                    f.shard,
                    f.of
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
    let mut dirs: Vec<(u32, PathBuf)> = files
        .iter()
        .map(|(d, f)| (f.shard, d.to_path_buf()))
        .collect();
    dirs.sort();
    common.merged = Some(Arc::new(MergedShards {
        results: merged,
        dirs: dirs.into_iter().map(|(_, d)| d).collect(),
    }));
    super::run(cli)
}
