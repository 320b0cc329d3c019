//! Cluster scale: `--shard K/N` runs a deterministic share of a command's
//! (variant, replication) tasks and writes a partial result; `clearsim merge`
//! puts the partials back together and finishes the command exactly as an
//! unsharded run would, writing byte-identical CSV files.
//!
//! Task t (t = variant × replications + replication) belongs to shard
//! `t mod N + 1`. A shard writes `partial.csv` (each task's observations),
//! `partial_profiles.csv` (its curves) and `shard.json`: the format version,
//! the command line it ran, the hash of the scenario's content, each partial
//! file's hash, its task list with each task's seed and counters, and its
//! simulation time. Merge refuses anything incomplete, foreign, altered or
//! not finite: the shards must agree with each other and with the scenario
//! as it is now, every file must have the hash recorded, every task be
//! there exactly once with the seed its replication derives, and every row
//! belong to its task, in the layout a replication of the model writes.
//! It then re-runs the same command line with the merged results standing
//! in for the simulation, and reports the shards' simulation time.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::{Cli, Common, InputError};
use crate::experiment::{self, RunPlan};
use crate::model::Model;
use crate::output::folder::OutputFolder;
use crate::output::progress::Progress;
use crate::output::write_atomic;
use crate::scenario::{Scenario, ScenarioError};
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
/// 2: the scenario's content hash, the partial files' hashes and the
/// simulation time added.
const SHARD_FORMAT: u32 = 2;
/// The partial files a shard writes, whose hashes `shard.json` records.
const PARTIAL: &str = "partial.csv";
const PARTIAL_PROFILES: &str = "partial_profiles.csv";
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
    /// The content hash of the scenario the shards ran.
    scenario_sha256: String,
    /// The sum of the shards' simulation times [s].
    wall_seconds: f64,
}

/// The simulation time a command reports [s]: its own since `started`,
/// or, merging, the sum of the shards' (merge itself simulates nothing).
pub fn wall_seconds(common: &Common, started: std::time::Instant) -> f64 {
    common
        .merged
        .as_ref()
        .map_or_else(|| started.elapsed().as_secs_f64(), |m| m.wall_seconds)
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
    /// [`Scenario::content_sha256`] of the command's scenario.
    scenario_sha256: String,
    /// SHA-256 (hex) of each partial file, by name.
    files: std::collections::BTreeMap<String, String>,
    /// The shard's simulation time [s].
    wall_seconds: f64,
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
    folder: &OutputFolder,
    scenario: &Scenario,
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
        if shards.scenario_sha256 != scenario.content_sha256() {
            return Err(input(format!(
                "{}: the shards ran another scenario than {} holds now (content hash {} \
                 in shard.json, {} now); rerun the shards, or merge with the file they ran",
                shards.file_of(0, "shard.json"),
                scenario.source_label,
                shards.scenario_sha256,
                scenario.content_sha256()
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
    let started = std::time::Instant::now();
    let results = experiment::run_tasks(models, plan, &tasks, &|r| progress.done(r))?;
    let wall_seconds = started.elapsed().as_secs_f64();
    progress.finish();
    let out = folder.staging();
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["task", "group", "metric", "value"])?;
    for (t, r) in tasks.iter().zip(&results) {
        for o in &r.observations {
            let v = crate::output::cell(o.value);
            w.write_record([t.to_string().as_str(), &o.group, o.metric, &v])?;
        }
    }
    let partial = w.into_inner()?;
    write_atomic(&out.join(PARTIAL), &partial)?;
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
    let profiles = w.into_inner()?;
    write_atomic(&out.join(PARTIAL_PROFILES), &profiles)?;
    let file = ShardFile {
        format: SHARD_FORMAT,
        shard: shard.k,
        of: shard.n,
        argv: command_argv(),
        scenario_sha256: scenario.content_sha256(),
        files: [(PARTIAL, &partial), (PARTIAL_PROFILES, &profiles)]
            .into_iter()
            .map(|(name, bytes)| (name.to_string(), sha256_hex(bytes)))
            .collect(),
        wall_seconds,
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
            folder.target().display()
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

/// SHA-256 of bytes, hex.
fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A reader that hashes what is read through it, so that a partial file is
/// checked against its recorded hash in the same pass that parses it.
struct Hashing<R> {
    inner: R,
    sha: sha2::Sha256,
}

impl<R: std::io::Read> std::io::Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        use sha2::Digest;
        let n = self.inner.read(buf)?;
        self.sha.update(&buf[..n]);
        Ok(n)
    }
}

/// Calls `each` with every record of a shard's CSV file, its row number
/// (the header is row 1) and the task number in its first column, which
/// must be one of `tasks` (the shard's own). The header must be `header`,
/// and the file's SHA-256 `sha256` (as shard.json records it).
fn for_each_task_record(
    path: &Path,
    sha256: &str,
    header: &[&str],
    tasks: &std::collections::HashSet<usize>,
    mut each: impl FnMut(usize, u64, &csv::StringRecord) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    use sha2::Digest;
    let file = std::fs::File::open(path)
        .map_err(|e| input(format!("cannot read {}: {e}", path.display())))?;
    let mut r = csv::Reader::from_reader(Hashing {
        inner: std::io::BufReader::new(file),
        sha: sha2::Sha256::new(),
    });
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
    let found: String = r
        .into_inner()
        .sha
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    if found != sha256 {
        return Err(input(format!(
            "{}: altered after its shard wrote it: its SHA-256 is {found}, shard.json \
             records {sha256}",
            path.display()
        )));
    }
    Ok(())
}

/// A shard's curves by task, in the order written.
fn read_profiles(
    path: &Path,
    sha256: &str,
    tasks: &std::collections::HashSet<usize>,
    names: &mut HashMap<String, &'static str>,
) -> anyhow::Result<HashMap<usize, Vec<Profile>>> {
    let mut by_task: HashMap<usize, Vec<Profile>> = HashMap::new();
    let header = ["task", "group", "metric", "x", "value"];
    for_each_task_record(path, sha256, &header, tasks, |task, row, rec| {
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
    let names: Vec<&str> = f.files.keys().map(String::as_str).collect();
    if names != [PARTIAL, PARTIAL_PROFILES] {
        return bad(format!(
            "files lists {names:?}; a shard records the hashes of {PARTIAL} and {PARTIAL_PROFILES}"
        ));
    }
    if !f.wall_seconds.is_finite() || f.wall_seconds < 0.0 {
        return bad(format!(
            "wall_seconds = {}; expected a finite number of seconds, 0 or more",
            f.wall_seconds
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
    let ShardSet {
        argv,
        merged,
        dirs,
        scenario_sha256,
        wall_seconds,
    } = read_shards(dirs)?;
    let argv = std::iter::once("clearsim".to_string()).chain(argv);
    let mut cli = <Cli as clap::Parser>::try_parse_from(argv)
        .map_err(|e| input(format!("the shards' command line no longer parses: {e}")))?;
    let common = super::common_mut(&mut cli.command)
        .ok_or_else(|| input("the shards' command cannot be merged".into()))?;
    common.out = out;
    common.merged = Some(Arc::new(MergedShards {
        results: merged,
        dirs,
        scenario_sha256,
        wall_seconds,
    }));
    super::run(cli)
}

/// What a set of shard folders holds, read and checked by [`read_shards`].
#[derive(Debug)]
pub struct ShardSet {
    /// The command line the shards ran, after `clearsim`.
    pub argv: Vec<String>,
    /// Each variant's replications, in order.
    pub merged: Vec<Vec<ReplicationResult>>,
    /// The shard folders, by shard number.
    pub dirs: Vec<PathBuf>,
    pub scenario_sha256: String,
    /// The shards' simulation time, summed [s].
    pub wall_seconds: f64,
}

/// Reads the shard folders `dirs` (each with `shard.json` and its partial
/// files) and checks that they are one complete, unaltered run: the first
/// half of `clearsim merge`, which then checks the results against the
/// model and finishes the command. Any bytes give either the shards' results
/// or a located error (exit 2), never a panic; `tests/shard_fuzz.rs` keeps
/// that true.
pub fn read_shards(dirs: &[PathBuf]) -> anyhow::Result<ShardSet> {
    if dirs.is_empty() {
        return Err(input("no shard folders to merge".into()));
    }
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
            || f.scenario_sha256 != first.scenario_sha256
            || f.of != first.of
            || f.variants != first.variants
            || f.replications != first.replications
        {
            return Err(input(format!(
                "{} comes from another run (command {:?}, scenario content {}, {} shards, \
                 {} variants × {} replications) than {} (command {:?}, scenario content {}, \
                 {} shards, {} variants × {} replications)",
                d.join("shard.json").display(),
                f.argv,
                f.scenario_sha256,
                f.of,
                f.variants,
                f.replications,
                files[0].0.join("shard.json").display(),
                first.argv,
                first.scenario_sha256,
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
        let path = d.join(PARTIAL);
        let header = ["task", "group", "metric", "value"];
        for_each_task_record(&path, &f.files[PARTIAL], &header, &own, |task, row, rec| {
            let metric = intern(&mut names, &rec[2]);
            let value = optional_number(&path, row, &rec[3])?;
            obs.entry(task).or_default().push(Observation {
                group: rec[1].to_string(),
                metric,
                value,
            });
            Ok(())
        })?;
        let mut profiles = read_profiles(
            &d.join(PARTIAL_PROFILES),
            &f.files[PARTIAL_PROFILES],
            &own,
            &mut names,
        )?;
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
                diverged: None,
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
    let mut dirs: Vec<(u32, PathBuf)> = files
        .iter()
        .map(|(d, f)| (f.shard, d.to_path_buf()))
        .collect();
    dirs.sort();
    Ok(ShardSet {
        argv: first.argv.clone(),
        merged,
        dirs: dirs.into_iter().map(|(_, d)| d).collect(),
        scenario_sha256: first.scenario_sha256.clone(),
        wall_seconds: files.iter().map(|(_, f)| f.wall_seconds).sum(),
    })
}
