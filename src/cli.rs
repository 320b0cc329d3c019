//! The command line: `clearsim run` and `clearsim validate`. Parsing lives
//! here; the work is delegated to the library. Errors carry a kind so that
//! `main` can map bad input to exit code 2 and other failures to 1.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use clap::{Parser, Subcommand};

use crate::engine::rng::replication_seed;
use crate::experiment::{self, RunPlan};
use crate::output::manifest::{Manifest, RunInfo, ScenarioInfo};
use crate::output::{table, tidy, write_atomic};
use crate::scenario::{self, Scenario, ScenarioError, diagnostics_text};

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
    /// Check a scenario file and report every problem found, without running it.
    Validate {
        /// The scenario file (TOML).
        scenario: PathBuf,
    },
}

#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// The scenario file (TOML); omitted: the built-in default scenario.
    pub scenario: Option<PathBuf>,
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
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
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
    if !args.quiet {
        eprint!("{}", diagnostics_text(&s.source_label, &s.warnings));
    }
    let plan = RunPlan {
        seed: args.seed.unwrap_or(s.seed),
        replications: args.reps.unwrap_or(s.replications),
        threads: args.threads,
    };
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| Path::new("output").join(&s.name));
    std::fs::create_dir_all(&out)
        .with_context(|| format!("cannot create the output directory {}", out.display()))?;

    let started = Instant::now();
    let results = experiment::run(&s.model, plan)?;
    let wall_seconds = started.elapsed().as_secs_f64();
    let rows = experiment::summarize("base", &results);

    let files = ["summary.csv", "replications.csv", "manifest.json"];
    write_atomic(&out.join(files[0]), &tidy::summary_csv(&rows)?)?;
    write_atomic(
        &out.join(files[1]),
        &tidy::replications_csv("base", &results)?,
    )?;
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
            rng: "PCG-64 (Lcg128Xsl64); one stream per replication and random source, derived by SplitMix64".into(),
            horizon_h: s.model.horizon,
            warmup_h: s.model.warmup,
            threads: if plan.threads == 0 { rayon::current_num_threads() } else { plan.threads },
            consignments_simulated: results.iter().map(|r| r.consignments).sum(),
            events: results.iter().map(|r| r.events).sum(),
            wall_seconds,
        },
        files: files.iter().map(|f| f.to_string()).collect(),
    };
    write_atomic(&out.join(files[2]), &manifest.to_json()?)?;

    if !args.quiet {
        let title = format!(
            "{} — {} replications × {:.0} h observed after {:.0} h warm-up (seed {})",
            s.name,
            plan.replications,
            s.model.horizon - s.model.warmup,
            s.model.warmup,
            plan.seed
        );
        print!("{}", table::render(&title, &rows));
        println!(
            "{} consignments simulated in {:.2} s; outputs in {}",
            manifest.run.consignments_simulated,
            wall_seconds,
            out.display()
        );
    }
    Ok(())
}
