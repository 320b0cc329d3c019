//! The command line: `clearsim run`, `compare` and `validate`. Parsing lives
//! here; the work is delegated to the library. Errors carry a kind so that
//! `main` can map bad input to exit code 2 and other failures to 1.

mod compare_cmd;
mod demo_cmd;
mod ladder_cmd;
mod modes;
mod plan_cmd;
mod shard;
pub use shard::{ShardSet, read_shards};
mod sweep_cmd;

use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::{Parser, Subcommand};

use crate::experiment::plan::{Evaluation, Target, Unmet, search, unmet_reason};
use crate::experiment::{self, RunPlan, compare, sweep as grid};
use crate::model::Mode;
use crate::output::folder::{OutputFolder, Refusal, Replaces};
use crate::output::progress::Progress;
use crate::output::run::{CHARTS_AND_REPORT, RunRecord, Variant, write_run};
use crate::output::sweep::{FRONTIER_METRICS, SWEEP_METRICS, SweepVariant, wide_csv};
use crate::output::{Manifest, table, write_atomic};
use crate::scenario::{self, Experiment, Overrides, Scenario, ScenarioError, diagnostics_text};
use crate::sim::Record;
use crate::{plot, report};
use compare_cmd::compare as compare_modes;
pub use demo_cmd::DemoArgs;
use ladder_cmd::ladder;
use modes::{build_under_modes, parse_mode};
use plan_cmd::plan_capacity;
use sweep_cmd::sweep;

#[derive(Debug, Parser)]
#[command(
    name = "clearsim",
    version,
    about = "Discrete-event simulator of customs clearance integration"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a scenario (the built-in default when no file is given) and write
    /// summary.csv, replications.csv, timeseries.csv, distribution.csv,
    /// manifest.json, the charts (plots/) and report.html.
    Run(RunArgs),
    /// Run a scenario under several clearance modes with common random
    /// numbers and report each mode and its paired difference from a baseline.
    Compare(CompareArgs),
    /// Run a grid of variants of a scenario (`--set PATH=VALUES`, several
    /// for a grid) and write sweep.csv and, when the inspection rate is swept,
    /// the inspection-intensity frontier.
    Sweep(SweepArgs),
    /// Find the smallest capacity of a resource that meets a target (judged by
    /// the upper end of the 95% confidence interval).
    Plan(PlanArgs),
    /// Apply a file's dated reforms ([experiment] kind = "ladder") one after
    /// another with common random numbers, and attribute the change of its
    /// metric to each reform (in order, and Shapley over every order); write
    /// ladder.csv and a waterfall chart.
    Ladder(LadderArgs),
    /// Combine the partial results of `--shard K/N` runs into the files the
    /// unsharded command writes.
    Merge {
        /// The shard output directories (all N of them).
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
        /// Output directory [default: the command's own default].
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// Draw the charts (DIR/plots/, SVG and PNG) and write DIR/report.html
    /// from a finished run's outputs, without re-running.
    Plot {
        /// The output directory of a run, compare or sweep.
        dir: PathBuf,
    },
    /// For trainers: follow a few consignments (one per channel) through each
    /// clearance mode, narrate their steps and draw a swimlane chart per mode.
    Demo(DemoArgs),
    /// Check a scenario file and report every problem found, without running it.
    Validate {
        /// The scenario file (TOML).
        scenario: PathBuf,
    },
    /// Print the JSON Schema of scenario files, for editors that complete and
    /// check TOML keys (Taplo, Even Better TOML): see docs/scenario-schema.md.
    Schema {
        /// Write it to this file instead of printing it.
        #[arg(long)]
        out: Option<PathBuf>,
        /// The reference of every key as Markdown (docs/scenario-keys.md)
        /// instead of the JSON Schema.
        #[arg(long)]
        markdown: bool,
    },
    /// Print a shell completion script, e.g.
    /// `clearsim completions bash > ~/.local/share/bash-completion/completions/clearsim`.
    Completions {
        /// The shell: bash, elvish, fish, powershell or zsh.
        shell: clap_complete::Shell,
    },
    /// Print a manual page (roff): clearsim's, or a command's, e.g.
    /// `clearsim man run > clearsim-run.1; man ./clearsim-run.1`.
    Man {
        /// The command whose page to print [default: clearsim's own].
        #[arg(value_parser = clap::builder::PossibleValuesParser::new(COMMANDS))]
        command: Option<String>,
    },
}

#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// The scenario file (TOML); omitted: the built-in default scenario.
    /// A file with an [experiment] table runs that study (compare, sweep,
    /// plan or ladder) unless --no-experiment is given.
    pub scenario: Option<PathBuf>,
    /// Run the scenario itself even if it describes an [experiment].
    #[arg(long)]
    pub no_experiment: bool,
    #[command(flatten)]
    pub common: Common,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, clap::Args)]
pub struct CompareArgs {
    /// The scenario file (TOML).
    pub scenario: PathBuf,
    /// Modes to compare: `all`, or a comma-separated list such as
    /// port_clearance,customs_transit.
    #[arg(long, default_value = "all", value_name = "LIST")]
    pub modes: String,
    /// The mode the others are compared with [default: the first compared].
    #[arg(long, value_name = "MODE")]
    pub baseline: Option<String>,
    #[command(flatten)]
    pub common: Common,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, clap::Args)]
pub struct SweepArgs {
    /// The scenario file (TOML).
    pub scenario: PathBuf,
    /// PATH=VALUES: a scenario key and its values, a comma-separated list or
    /// an inclusive range start:stop:step, e.g.
    /// policy.inspection_rate=0.005:0.2:0.005 or
    /// resources.port_reviewers.capacity=2:8:1. Repeat for a grid.
    #[arg(long = "set", value_name = "PATH=VALUES", required = true)]
    pub settings: Vec<String>,
    #[command(flatten)]
    pub common: Common,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, clap::Args)]
pub struct PlanArgs {
    /// The scenario file (TOML).
    pub scenario: PathBuf,
    /// The resource whose capacity is planned (the id of one of the scenario's resources).
    #[arg(long, value_name = "ID")]
    pub resource: String,
    /// The target, an upper bound on a metric: 'release_time_p90_h<=24'.
    #[arg(long, value_name = "METRIC<=VALUE")]
    pub target: String,
    /// The group the metric is read in [default: resource=ID for resource
    /// metrics, else all], e.g. channel=postal.
    #[arg(long, value_name = "GROUP")]
    pub within: Option<String>,
    /// The largest capacity to try (1 to 1000000).
    #[arg(long, value_name = "N", default_value_t = 10_000,
          value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub max: u32,
    #[command(flatten)]
    pub common: Common,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, clap::Args)]
pub struct LadderArgs {
    /// The scenario file (TOML) with an [experiment] of kind "ladder".
    pub scenario: PathBuf,
    #[command(flatten)]
    pub common: Common,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Options every run-like command takes.
#[derive(Debug, clap::Args)]
pub struct Common {
    /// Output directory [default: output/SCENARIO_NAME/ for run; output/SCENARIO_NAME/COMMAND/ for compare, sweep, plan and ladder].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Master seed, overriding the scenario's `seed`.
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub seed: Option<u64>,
    /// Number of replications, overriding the scenario's `replications`.
    /// (`--replications`, the scenario key's name, is accepted too.)
    #[arg(long, alias = "replications", value_name = "N", value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub reps: Option<u32>,
    /// Worker threads; 0 uses every core. Results do not depend on it.
    /// At most 1024.
    #[arg(long, value_name = "N", default_value_t = 0, value_parser = parse_threads)]
    pub threads: usize,
    /// Run only shard K of N of the (variant, replication) tasks and write a
    /// partial result for `clearsim merge` (for clusters).
    #[arg(long, value_name = "K/N", value_parser = shard::parse_shard)]
    pub shard: Option<shard::Shard>,
    /// Stop a replication, and the command with exit code 2, once more than
    /// N consignments are in the system at once, or more than N/2 wait at
    /// one pool: the model diverges. Results below it do not depend on it.
    #[arg(long, value_name = "N",
          default_value_t = crate::sim::ceiling::DEFAULT_MAX_IN_SYSTEM as u64,
          value_parser = clap::value_parser!(u64).range(2..=1_000_000_000))]
    pub max_in_system: u64,
    /// Results supplied by `merge` instead of simulating.
    #[arg(skip)]
    pub merged: Option<shard::Merged>,
}

/// The most worker threads `--threads` may ask for.
pub const MAX_THREADS: usize = 1024;

/// `--threads N`: 0 (every core) to [`MAX_THREADS`].
fn parse_threads(s: &str) -> Result<usize, String> {
    let n: u64 = s
        .trim()
        .parse()
        .map_err(|_| format!("{s:?} is not a whole number of threads (0 uses every core)"))?;
    if n > MAX_THREADS as u64 {
        return Err(format!(
            "{n} threads; at most {MAX_THREADS} are allowed (0 uses every core)"
        ));
    }
    Ok(n as usize)
}

impl Common {
    /// `--out`, or `output/<scenario name>[/<sub>]`: each command has its
    /// own folder under the scenario's. Opened (checked, locked, staged)
    /// before anything is simulated: a file in the way or another clearsim
    /// writing there is bad input (exit 2), a folder that cannot be created
    /// or written to a failure (exit 1), and neither costs a simulation.
    fn out_dir(&self, s: &Scenario, sub: Option<&str>) -> anyhow::Result<OutputFolder> {
        let dir = self.out.clone().unwrap_or_else(|| {
            let dir = s.default_out_dir();
            match sub {
                Some(sub) => dir.join(sub),
                None => dir,
            }
        });
        open_folder(&dir, Replaces::Outputs)
    }

    /// Seeds, replications and threads: the scenario's, unless overridden.
    /// Profiles (curves for the charts) are recorded unless `summary_only`.
    fn plan(&self, s: &Scenario, summary_only: bool) -> RunPlan {
        RunPlan {
            seed: self.seed.unwrap_or(s.seed),
            replications: self.reps.unwrap_or(s.replications),
            threads: self.threads,
            record: Record {
                profiles: !summary_only,
            },
            ceiling: crate::sim::Ceiling::from_in_system(self.max_in_system as usize),
        }
    }
}

/// Opens an output folder, a refusal reported as bad input about `--out`.
fn open_folder(dir: &Path, replaces: Replaces) -> anyhow::Result<OutputFolder> {
    OutputFolder::open(dir, replaces).map_err(|e| match e.downcast::<Refusal>() {
        Ok(Refusal(msg)) => InputError(ScenarioError::single("--out", msg)).into(),
        Err(e) => e,
    })
}

/// The commands, as `clearsim man` offers their pages (a unit test keeps
/// the list equal to the commands clap knows).
const COMMANDS: [&str; 12] = [
    "run",
    "compare",
    "sweep",
    "plan",
    "ladder",
    "merge",
    "plot",
    "demo",
    "validate",
    "schema",
    "completions",
    "man",
];

/// Prints clearsim's manual page, or the page of one of its commands
/// (named `clearsim-<command>`, as git names its pages).
fn manual_page(command: Option<&str>) -> anyhow::Result<()> {
    use clap::CommandFactory;
    let top = Cli::command();
    let page = match command.and_then(|name| top.find_subcommand(name)) {
        None => top.clone(),
        Some(sub) => sub.clone().name(format!("clearsim-{}", sub.get_name())),
    };
    clap_mangen::Man::new(page).render(&mut std::io::stdout())?;
    Ok(())
}

/// Bad input from the user (scenario or arguments): exit code 2.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct InputError(#[from] pub ScenarioError);

/// The common options of a command that runs simulations.
fn common_mut(c: &mut Command) -> Option<&mut Common> {
    match c {
        Command::Run(a) => Some(&mut a.common),
        Command::Compare(a) => Some(&mut a.common),
        Command::Sweep(a) => Some(&mut a.common),
        Command::Ladder(a) => Some(&mut a.common),
        Command::Plan(_)
        | Command::Merge { .. }
        | Command::Validate { .. }
        | Command::Plot { .. }
        | Command::Completions { .. }
        | Command::Schema { .. }
        | Command::Man { .. }
        | Command::Demo(_) => None,
    }
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Validate { scenario } => validate(&scenario),
        Command::Completions { shell } => {
            use clap::CommandFactory;
            let mut cmd = Cli::command();
            clap_complete::generate(shell, &mut cmd, "clearsim", &mut std::io::stdout());
            Ok(())
        }
        Command::Man { command } => manual_page(command.as_deref()),
        Command::Schema { out, markdown } => {
            let schema = if markdown {
                scenario::markdown_reference()
            } else {
                scenario::json_schema()
            };
            match out {
                Some(path) => write_atomic(&path, schema.as_bytes()),
                None => {
                    print!("{schema}");
                    Ok(())
                }
            }
        }
        Command::Run(args) => run_scenario(args),
        Command::Compare(args) => compare_modes(args),
        Command::Sweep(args) => sweep(args),
        Command::Plan(args) => plan_capacity(args),
        Command::Ladder(args) => ladder(args),
        Command::Merge { dirs, out } => shard::merge(&dirs, out),
        Command::Plot { dir } => {
            if !dir.join("manifest.json").is_file() {
                return Err(InputError(ScenarioError::single(
                    &dir.display().to_string(),
                    "no manifest.json here: give the output directory of a clearsim run, \
                     compare or sweep (e.g. output/<scenario name>)"
                        .into(),
                ))
                .into());
            }
            let folder = open_folder(&dir, Replaces::Charts)?;
            let (outputs, charts) = plot::plot_dir(folder.target(), folder.staging())?;
            let report = report::write_report(&outputs, &charts, folder.staging())?;
            folder.commit()?;
            println!(
                "charts in {}, report {}",
                dir.join("plots").display(),
                report.display()
            );
            Ok(())
        }
        Command::Demo(args) => demo_cmd::demo(args),
    }
}

/// The last line a run-like command prints: how much was simulated, how
/// fast, and where the results are.
fn done_line(manifest: &Manifest, out: &Path, report: &Path) -> String {
    format!(
        "{} consignments simulated in {:.2} s; outputs in {}, report {}",
        manifest.run.consignments_simulated,
        manifest.run.wall_seconds,
        out.display(),
        report.display()
    )
}

/// The scenario with `assignment` applied, built as the variant `name` (its
/// errors located "FILE [name]"); `on_bad` words a setting that does not
/// fit the file.
fn variant_of(
    s: &Scenario,
    name: &str,
    assignment: &[(String, toml::Value)],
    on_bad: impl FnOnce(String) -> anyhow::Error,
) -> anyhow::Result<Scenario> {
    let text = grid::apply(&s.source_text, assignment).map_err(on_bad)?;
    let label = format!("{} [{name}]", s.source_label);
    Ok(scenario::parse(&label, text.as_bytes())
        .map_err(|e| InputError(blame_the_setting(e, name, assignment)))?)
}

/// A variant's errors that are all about keys it set come from the command
/// line, not from the file: they are labelled with the setting, without a
/// file position.
fn blame_the_setting(
    mut e: ScenarioError,
    name: &str,
    assignment: &[(String, toml::Value)],
) -> ScenarioError {
    // `streams.x.rate` is reported as `streams[0].rate`: compare the table
    // and the final key.
    let table = |p: &str| p.split(['.', '[']).next().unwrap_or("").to_string();
    let key = |p: &str| p.rsplit('.').next().unwrap_or("").to_string();
    let set_here = |path: &str| {
        assignment
            .iter()
            .any(|(p, _)| table(p) == table(path) && key(p) == key(path))
    };
    if !e.diagnostics.is_empty() && e.diagnostics.iter().all(|d| set_here(&d.path)) {
        e.file = format!("--set {name}");
        for d in &mut e.diagnostics {
            d.location = None;
        }
    }
    e
}

/// Draws the charts and writes the report of the outputs staged in
/// `folder`, then swaps the folder in; returns the report's path (where it
/// ends up).
fn publish(folder: OutputFolder) -> anyhow::Result<PathBuf> {
    let staged = folder.staging();
    let (mut outputs, charts) = plot::plot_dir(staged, staged)?;
    // The report names the folder the reader opens, not the staging one.
    outputs.dir = folder.target().to_path_buf();
    let report = report::write_report(&outputs, &charts, staged)?;
    folder.commit()?;
    Ok(report)
}

fn validate(path: &Path) -> anyhow::Result<()> {
    let s = scenario::load(path).map_err(InputError)?;
    for w in &s.warnings {
        eprintln!("{}", scenario::format_diagnostic(&s.source_label, w));
    }
    let written = s
        .model
        .streams
        .iter()
        .filter(|st| st.choice.parent.is_none())
        .count();
    // Generated streams: other ports or modes importers may choose, and
    // the modes credit classes not eligible for a stream's fall back to.
    let (mut options, mut fallbacks) = (0, 0);
    for st in s
        .model
        .streams
        .iter()
        .filter(|st| st.choice.parent.is_none())
    {
        options += st.choice.alternatives.len();
        fallbacks += st.choice.fallbacks.len();
    }
    let generated: Vec<String> = [
        (options, "alternative routes"),
        (fallbacks, "credit fallbacks"),
    ]
    .iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| format!("{n} {what}"))
    .collect();
    let alternatives = if generated.is_empty() {
        String::new()
    } else {
        format!(" (with {})", generated.join(" and "))
    };
    println!(
        "{}: ok: scenario {:?}, {}, {}, {}{alternatives}, {} of {} h",
        s.source_label,
        s.name,
        plural(s.model.sites.len(), "site"),
        plural(s.model.pools.len(), "resource"),
        plural(written, "stream"),
        plural(s.replications as usize, "replication"),
        s.model.horizon
    );
    Ok(())
}

fn load(path: Option<&Path>) -> anyhow::Result<Scenario> {
    Ok(match path {
        Some(p) => scenario::load(p).map_err(InputError)?,
        None => scenario::builtin_default(),
    })
}

fn run_scenario(args: RunArgs) -> anyhow::Result<()> {
    let s = load(args.scenario.as_deref())?;
    if let (Some(study), Some(path), false) = (&s.experiment, &args.scenario, args.no_experiment) {
        return run_study(study.clone(), path.clone(), args);
    }
    if !args.quiet {
        eprint!("{}", diagnostics_text(&s.source_label, &s.warnings));
    }
    let plan = args.common.plan(&s, false);
    let folder = args.common.out_dir(&s, None)?;
    let started = Instant::now();
    let progress = Progress::new(1, plan.replications, args.quiet);
    let Some(mut results) =
        shard::execute(&args.common, &folder, &s, &[&s.model], plan, &progress)?
    else {
        return folder.commit();
    };
    progress.finish();
    let results = results.pop().expect("one model");
    let variants = [Variant {
        name: "base".into(),
        results,
    }];
    let record = RunRecord {
        notes: &[],
        scenario: &s,
        plan,
        variants: &variants,
        diffs: &[],
        wall_seconds: shard::wall_seconds(&args.common, started),
        also_writes: &CHARTS_AND_REPORT,
    };
    let (rows, manifest) = write_run(folder.staging(), &record)?;
    let out = folder.target().to_path_buf();
    let report = publish(folder)?;
    if !args.quiet {
        print!("{}", table::render(&title(&s, plan), &rows));
        println!("{}", done_line(&manifest, &out, &report));
    }
    Ok(())
}

/// Carries out the `[experiment]` a scenario file describes, as the
/// matching command would with the same options.
fn run_study(study: Experiment, scenario: PathBuf, args: RunArgs) -> anyhow::Result<()> {
    if !args.quiet {
        eprintln!(
            "{}: running its [experiment] ({}); --no-experiment runs the scenario alone",
            scenario.display(),
            match &study {
                Experiment::Compare { .. } => "compare",
                Experiment::Sweep { .. } => "sweep",
                Experiment::Plan { .. } => "plan",
                Experiment::Ladder { .. } => "ladder",
            }
        );
    }
    let (common, quiet) = (args.common, args.quiet);
    match study {
        Experiment::Compare { modes, baseline } => compare_modes(CompareArgs {
            scenario,
            modes,
            baseline,
            common,
            quiet,
        }),
        Experiment::Sweep { settings } => sweep(SweepArgs {
            scenario,
            settings,
            common,
            quiet,
        }),
        Experiment::Plan {
            resource,
            target,
            within,
            max,
        } => plan_capacity(PlanArgs {
            scenario,
            resource,
            target,
            within,
            max,
            common,
            quiet,
        }),
        Experiment::Ladder { .. } => ladder(LadderArgs {
            scenario,
            common,
            quiet,
        }),
    }
}

/// `n thing` or `n things`.
pub fn plural(n: usize, thing: &str) -> String {
    if n == 1 {
        format!("1 {thing}")
    } else {
        format!("{n} {thing}s")
    }
}

/// The first line of a summary: what ran, for how long, with which seed.
fn title(s: &Scenario, plan: RunPlan) -> String {
    format!(
        "{} — {} × {:.0} h observed after {:.0} h warm-up (seed {})",
        s.name,
        plural(plan.replications as usize, "replication"),
        s.model.horizon - s.model.warmup,
        s.model.warmup,
        plan.seed
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_manual_offers_a_page_for_every_command() {
        use clap::CommandFactory;
        let known: Vec<String> = Cli::command()
            .get_subcommands()
            .map(|c| c.get_name().to_string())
            .collect();
        assert_eq!(known, COMMANDS.map(String::from).to_vec());
    }
}
