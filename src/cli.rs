//! The command line: `clearsim run`, `compare` and `validate`. Parsing lives
//! here; the work is delegated to the library. Errors carry a kind so that
//! `main` can map bad input to exit code 2 and other failures to 1.

use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::{Parser, Subcommand};

use crate::experiment::plan::{Evaluation, Target, search};
use crate::experiment::{self, RunPlan, compare, sweep as grid};
use crate::model::Mode;
use crate::output::progress::Progress;
use crate::output::run::{RunRecord, Variant, write_run};
use crate::output::sweep::{FRONTIER_METRICS, SWEEP_METRICS, SweepVariant, wide_csv};
use crate::output::{table, write_atomic};
use crate::scenario::{self, Experiment, Overrides, Scenario, ScenarioError, diagnostics_text};

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
    /// summary.csv, replications.csv and manifest.json.
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
    /// Check a scenario file and report every problem found, without running it.
    Validate {
        /// The scenario file (TOML).
        scenario: PathBuf,
    },
}

#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// The scenario file (TOML); omitted: the built-in default scenario.
    /// A file with an [experiment] table runs that study (compare, sweep or
    /// plan) unless --no-experiment is given.
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
    /// The resource whose capacity is planned (a [[resources]] id).
    #[arg(long, value_name = "ID")]
    pub resource: String,
    /// The target, an upper bound on a metric: 'release_time_p90_h<=24'.
    #[arg(long, value_name = "METRIC<=VALUE")]
    pub target: String,
    /// The group the metric is read in [default: resource=ID for resource
    /// metrics, else all], e.g. channel=postal.
    #[arg(long, value_name = "GROUP")]
    pub within: Option<String>,
    /// The largest capacity to try.
    #[arg(long, value_name = "N", default_value_t = 10_000)]
    pub max: u32,
    #[command(flatten)]
    pub common: Common,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Options every run-like command takes.
#[derive(Debug, clap::Args)]
pub struct Common {
    /// Output directory [default: output/<scenario name>/].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Master seed, overriding the scenario's `seed`.
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub seed: Option<u64>,
    /// Number of replications, overriding the scenario's `replications`.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub reps: Option<u32>,
    /// Worker threads; 0 uses every core. Results do not depend on it.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub threads: usize,
}

impl Common {
    /// Seeds, replications and threads: the scenario's, unless overridden.
    fn plan(&self, s: &Scenario) -> RunPlan {
        RunPlan {
            seed: self.seed.unwrap_or(s.seed),
            replications: self.reps.unwrap_or(s.replications),
            threads: self.threads,
        }
    }
}

/// Bad input from the user (scenario or arguments): exit code 2.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct InputError(#[from] pub ScenarioError);

/// Runs a parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Validate { scenario } => validate(&scenario),
        Command::Run(args) => run_scenario(args),
        Command::Compare(args) => compare(args),
        Command::Sweep(args) => sweep(args),
        Command::Plan(args) => plan_capacity(args),
    }
}

fn validate(path: &Path) -> anyhow::Result<()> {
    let s = scenario::load(path).map_err(InputError)?;
    for w in &s.warnings {
        eprintln!("{}", scenario::format_diagnostic(&s.source_label, w));
    }
    println!(
        "{}: ok: scenario {:?}, {} sites, {} resources, {} streams, {} replications of {} h",
        s.source_label,
        s.name,
        s.model.sites.len(),
        s.model.pools.len(),
        s.model.streams.len(),
        s.replications,
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
    let plan = args.common.plan(&s);
    let out = args
        .common
        .out
        .clone()
        .unwrap_or_else(|| Path::new("output").join(&s.name));
    let started = Instant::now();
    let progress = Progress::new(1, plan.replications, args.quiet);
    let mut results = experiment::run_many(&[&s.model], plan, &|r| progress.done(r))?;
    progress.finish();
    let results = results.pop().expect("one model");
    let variants = [Variant {
        name: "base".into(),
        results,
    }];
    let record = RunRecord {
        scenario: &s,
        plan,
        variants: &variants,
        diffs: &[],
        wall_seconds: started.elapsed().as_secs_f64(),
    };
    let (rows, manifest) = write_run(&out, &record)?;
    if !args.quiet {
        print!("{}", table::render(&title(&s, plan), &rows));
        println!(
            "{} consignments simulated in {:.2} s; outputs in {}",
            manifest.run.consignments_simulated,
            record.wall_seconds,
            out.display()
        );
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
            }
        );
    }
    let (common, quiet) = (args.common, args.quiet);
    match study {
        Experiment::Compare { modes, baseline } => compare(CompareArgs {
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
    }
}

/// The first line of a summary: what ran, for how long, with which seed.
fn title(s: &Scenario, plan: RunPlan) -> String {
    format!(
        "{} — {} replications × {:.0} h observed after {:.0} h warm-up (seed {})",
        s.name,
        plan.replications,
        s.model.horizon - s.model.warmup,
        s.model.warmup,
        plan.seed
    )
}

fn compare(args: CompareArgs) -> anyhow::Result<()> {
    let s = scenario::load(&args.scenario).map_err(InputError)?;
    let plan = args.common.plan(&s);
    let explicit = args.modes != "all";
    let modes: Vec<Mode> = if explicit {
        parse_modes(&args.modes)?
    } else {
        Mode::ALL.iter().map(|(_, m)| *m).collect()
    };
    // Each mode is the same file rebuilt with `policy.mode`; a mode the
    // network cannot carry (no link for transit, say) is an error when
    // asked for by name and is skipped, with the reason, under `all`.
    let mut built = Vec::new();
    let mut failures: Vec<(Mode, ScenarioError)> = Vec::new();
    for mode in modes {
        match s.with(&Overrides { mode: Some(mode) }) {
            Ok(v) => built.push((mode, v)),
            Err(e) => failures.push((mode, e)),
        }
    }
    if explicit && !failures.is_empty() || built.is_empty() {
        return Err(InputError(mode_errors(&s.source_label, failures)).into());
    }
    if !args.quiet {
        for (mode, e) in &failures {
            eprintln!(
                "warning: skipping mode {}: the scenario cannot run under it:",
                mode.name()
            );
            eprintln!("{e}");
        }
    }
    let baseline = match &args.baseline {
        Some(b) => {
            let m = parse_modes(b)?[0];
            if !built.iter().any(|(mode, _)| *mode == m) {
                return Err(InputError(ScenarioError::single(
                    &s.source_label,
                    format!("baseline mode {} is not among the modes compared", m.name()),
                ))
                .into());
            }
            m
        }
        None => built[0].0,
    };
    let out = args
        .common
        .out
        .clone()
        .unwrap_or_else(|| Path::new("output").join(&s.name).join("compare"));
    let started = Instant::now();
    let models: Vec<_> = built.iter().map(|(_, v)| &v.model).collect();
    let progress = Progress::new(models.len(), plan.replications, args.quiet);
    let results = experiment::run_many(&models, plan, &|r| progress.done(r))?;
    progress.finish();
    let variants: Vec<Variant> = built
        .iter()
        .zip(results)
        .map(|((mode, _), results)| Variant {
            name: mode.name().to_string(),
            results,
        })
        .collect();
    let base = variants
        .iter()
        .find(|v| v.name == baseline.name())
        .expect("the baseline was built");
    let diffs: Vec<_> = variants
        .iter()
        .filter(|v| v.name != base.name)
        .flat_map(|v| compare::differences(&v.name, &v.results, &base.name, &base.results))
        .collect();
    let record = RunRecord {
        scenario: &s,
        plan,
        variants: &variants,
        diffs: &diffs,
        wall_seconds: started.elapsed().as_secs_f64(),
    };
    let (rows, manifest) = write_run(&out, &record)?;
    if !args.quiet {
        print!(
            "{}",
            table::render_comparison(&title(&s, plan), &rows, &diffs, baseline.name())
        );
        println!(
            "{} consignments simulated in {:.2} s; outputs in {}",
            manifest.run.consignments_simulated,
            record.wall_seconds,
            out.display()
        );
    }
    Ok(())
}

/// `all` or a comma-separated list of mode names.
fn parse_modes(list: &str) -> anyhow::Result<Vec<Mode>> {
    list.split(',')
        .map(str::trim)
        .filter(|m| !m.is_empty())
        .map(|m| {
            Mode::parse(m).ok_or_else(|| {
                let names: Vec<&str> = Mode::ALL.iter().map(|(n, _)| *n).collect();
                anyhow::Error::from(InputError(ScenarioError::single(
                    "--modes",
                    format!("unknown clearance mode {m:?}; expected all or a comma-separated list of {}", names.join(", ")),
                )))
            })
        })
        .collect()
}

/// One error listing why each mode cannot run.
fn mode_errors(file: &str, failures: Vec<(Mode, ScenarioError)>) -> ScenarioError {
    let mut diagnostics = Vec::new();
    for (mode, e) in failures {
        for mut d in e.diagnostics {
            d.message = format!("under mode {}: {}", mode.name(), d.message);
            diagnostics.push(d);
        }
    }
    ScenarioError {
        file: file.to_string(),
        diagnostics,
    }
}

/// The policy paths of the inspection-intensity frontier.
const RATE_PATH: &str = "policy.inspection_rate";
const TARGETING_PATH: &str = "policy.targeting";

fn sweep(args: SweepArgs) -> anyhow::Result<()> {
    let s = scenario::load(&args.scenario).map_err(InputError)?;
    let plan = args.common.plan(&s);
    let bad_set = |e: String| anyhow::Error::from(InputError(ScenarioError::single("--set", e)));
    let mut settings: Vec<grid::Setting> = args
        .settings
        .iter()
        .map(|a| grid::parse_setting(a).map_err(bad_set))
        .collect::<anyhow::Result<_>>()?;
    // The frontier compares random with risk-based targeting: sweeping the
    // inspection rate alone sweeps both.
    if settings.iter().any(|x| x.path == RATE_PATH)
        && !settings.iter().any(|x| x.path == TARGETING_PATH)
    {
        settings.push(grid::Setting {
            path: TARGETING_PATH.into(),
            values: vec!["random".into(), "risk_based".into()],
        });
    }
    let params: Vec<String> = settings.iter().map(|x| x.path.clone()).collect();
    let mut built = Vec::new();
    let mut variants_meta = Vec::new();
    for assignment in grid::grid(&settings) {
        let name = grid::variant_name(&assignment);
        let text = grid::apply(&s.source_text, &assignment)
            .map_err(|e| bad_set(format!("{name}: {e}")))?;
        let label = format!("{} [{name}]", s.source_label);
        let v = scenario::parse(&label, text.as_bytes()).map_err(InputError)?;
        variants_meta.push(SweepVariant {
            name,
            values: assignment.iter().map(|(_, v)| grid::display(v)).collect(),
        });
        built.push(v);
    }
    let out = args
        .common
        .out
        .clone()
        .unwrap_or_else(|| Path::new("output").join(&s.name).join("sweep"));
    let started = Instant::now();
    let models: Vec<_> = built.iter().map(|v| &v.model).collect();
    let progress = Progress::new(models.len(), plan.replications, args.quiet);
    let results = experiment::run_many(&models, plan, &|r| progress.done(r))?;
    progress.finish();
    let variants: Vec<Variant> = variants_meta
        .iter()
        .zip(results)
        .map(|(m, results)| Variant {
            name: m.name.clone(),
            results,
        })
        .collect();
    let record = RunRecord {
        scenario: &s,
        plan,
        variants: &variants,
        diffs: &[],
        wall_seconds: started.elapsed().as_secs_f64(),
    };
    let (rows, manifest) = write_run(&out, &record)?;
    let in_order: Vec<usize> = (0..variants_meta.len()).collect();
    write_atomic(
        &out.join("sweep.csv"),
        &wide_csv(&params, &variants_meta, &in_order, &rows, &SWEEP_METRICS)?,
    )?;
    if let Some(rate) = params.iter().position(|p| p == RATE_PATH) {
        // The frontier: for each targeting (and any other setting), the
        // inspection rate rising.
        let mut order = in_order.clone();
        let key = |i: &usize| {
            let v = &variants_meta[*i].values;
            let others: Vec<&String> = v
                .iter()
                .enumerate()
                .filter(|(k, _)| *k != rate)
                .map(|(_, x)| x)
                .collect();
            let r: f64 = v[rate].parse().unwrap_or(f64::NAN);
            (others.into_iter().cloned().collect::<Vec<_>>(), r)
        };
        order.sort_by(|a, b| {
            let (ka, ra) = key(a);
            let (kb, rb) = key(b);
            ka.cmp(&kb).then(ra.total_cmp(&rb))
        });
        write_atomic(
            &out.join("frontier.csv"),
            &wide_csv(&params, &variants_meta, &order, &rows, &FRONTIER_METRICS)?,
        )?;
    }
    if !args.quiet {
        print!(
            "{}",
            table::render_sweep(&title(&s, plan), &rows, &variants_meta)
        );
        println!(
            "{} variants, {} consignments simulated in {:.2} s; outputs in {}",
            variants.len(),
            manifest.run.consignments_simulated,
            record.wall_seconds,
            out.display()
        );
    }
    Ok(())
}

/// Metrics reported per resource: a target on one of them is read in the
/// planned resource's group unless `--within` says otherwise.
const RESOURCE_METRICS: [&str; 6] = [
    "wait_mean_h",
    "wait_p90_h",
    "queue_len_mean",
    "busy_mean",
    "utilisation",
    "officer_hours",
];

fn plan_capacity(args: PlanArgs) -> anyhow::Result<()> {
    let s = scenario::load(&args.scenario).map_err(InputError)?;
    let plan = args.common.plan(&s);
    let input =
        |flag: &str, msg: String| anyhow::Error::from(InputError(ScenarioError::single(flag, msg)));
    let target = Target::parse(&args.target).map_err(|e| input("--target", e))?;
    let Some(pool) = s.model.pools.iter().position(|p| p.id == args.resource) else {
        let ids: Vec<&str> = s.model.pools.iter().map(|p| p.id.as_str()).collect();
        return Err(input(
            "--resource",
            format!(
                "unknown resource {:?}; resources: {}",
                args.resource,
                ids.join(", ")
            ),
        ));
    };
    let group = args.within.clone().unwrap_or_else(|| {
        if RESOURCE_METRICS.contains(&target.metric.as_str()) {
            format!("resource={}", args.resource)
        } else {
            "all".to_string()
        }
    });
    // The smallest stable capacity: offered load below capacity × open share.
    let spec = &s.model.pools[pool];
    let load = s.model.offered_load()[pool];
    let open = spec.hours.open_fraction().max(f64::MIN_POSITIVE);
    let start = ((load / open).floor() as u32).saturating_add(1);
    let path = format!("resources.{}.capacity", args.resource);
    let mut variants: Vec<Variant> = Vec::new();
    let started = Instant::now();
    let evaluate = |c: u32| -> anyhow::Result<Evaluation> {
        let text = grid::apply(
            &s.source_text,
            &[(path.clone(), toml::Value::Integer(c as i64))],
        )
        .map_err(|e| input("--resource", e))?;
        let v = scenario::parse(
            &format!("{} [capacity={c}]", s.source_label),
            text.as_bytes(),
        )
        .map_err(InputError)?;
        let results = experiment::run(&v.model, plan)?;
        let name = format!("{path}={c}");
        let rows = experiment::summarize(&name, &results);
        let Some(row) = experiment::find(&rows, &group, &target.metric) else {
            let known: Vec<&str> = rows
                .iter()
                .filter(|r| r.group == group)
                .map(|r| r.metric)
                .collect();
            return Err(input(
                "--target",
                if known.is_empty() {
                    format!("no group {group:?} in the results (see summary.csv for the groups)")
                } else {
                    format!(
                        "no metric {:?} in group {group}; metrics: {}",
                        target.metric,
                        known.join(", ")
                    )
                },
            ));
        };
        let estimate = row.estimate;
        variants.push(Variant { name, results });
        Ok(Evaluation {
            capacity: c,
            met: target.met_by(&estimate),
            estimate,
        })
    };
    let (evals, best) = search(start, args.max, evaluate)?;
    variants.sort_by_key(|v| {
        v.name
            .rsplit('=')
            .next()
            .and_then(|c| c.parse::<u32>().ok())
    });
    let out = args
        .common
        .out
        .clone()
        .unwrap_or_else(|| Path::new("output").join(&s.name).join("plan"));
    let record = RunRecord {
        scenario: &s,
        plan,
        variants: &variants,
        diffs: &[],
        wall_seconds: started.elapsed().as_secs_f64(),
    };
    write_run(&out, &record)?;
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "capacity",
        "group",
        "metric",
        "mean",
        "ci95_half_width",
        "upper_bound",
        "meets_target",
    ])?;
    let mut sorted = evals.clone();
    sorted.sort_by_key(|e| e.capacity);
    for e in &sorted {
        let f = |x: Option<f64>| x.map(|v| v.to_string()).unwrap_or_default();
        let upper = e
            .estimate
            .mean
            .map(|m| m + e.estimate.half_width.unwrap_or(0.0));
        w.write_record([
            e.capacity.to_string(),
            group.clone(),
            target.metric.clone(),
            f(e.estimate.mean),
            f(e.estimate.half_width),
            f(upper),
            e.met.to_string(),
        ])?;
    }
    write_atomic(&out.join("plan.csv"), &w.into_inner()?)?;
    if !args.quiet {
        println!("{}", title(&s, plan));
        println!(
            "target: {} {} {} in group {group}, judged by the upper end of the 95% interval",
            target.metric,
            if target.strict { "<" } else { "<=" },
            target.bound
        );
        println!(
            "{:>10} {:>24} {:>14} {:>6}",
            "capacity", "mean ± 95% CI", "upper bound", "meets"
        );
        for e in &sorted {
            let (m, h) = (e.estimate.mean, e.estimate.half_width);
            let shown = match (m, h) {
                (Some(m), Some(h)) => format!("{m:.4} ± {h:.4}"),
                (Some(m), None) => format!("{m:.4}"),
                _ => "-".into(),
            };
            let upper = m.map_or("-".into(), |m| format!("{:.4}", m + h.unwrap_or(0.0)));
            println!(
                "{:>10} {shown:>24} {upper:>14} {:>6}",
                e.capacity,
                if e.met { "yes" } else { "no" }
            );
        }
        match best {
            Some(c) => println!(
                "smallest capacity of {} meeting the target: {c} ({} evaluations); outputs in {}",
                args.resource,
                evals.len(),
                out.display()
            ),
            None => println!(
                "no capacity up to {} meets the target ({} evaluations): where more capacity \
                 stopped changing the metric, something else limits it; outputs in {}",
                args.max,
                evals.len(),
                out.display()
            ),
        }
    }
    if best.is_none() {
        anyhow::bail!(
            "no capacity of {} up to {} meets {}",
            args.resource,
            args.max,
            args.target
        );
    }
    Ok(())
}
