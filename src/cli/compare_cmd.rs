//! `clearsim compare`: the same demand under several clearance modes.

use super::*;

pub(super) fn compare(args: CompareArgs) -> anyhow::Result<()> {
    let s = scenario::load(&args.scenario).map_err(InputError)?;
    let plan = args.common.plan(&s, false);
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
        .unwrap_or_else(|| s.default_out_dir().join("compare"));
    let started = Instant::now();
    let models: Vec<_> = built.iter().map(|(_, v)| &v.model).collect();
    let progress = Progress::new(models.len(), plan.replications, args.quiet);
    let Some(results) = shard::execute(&args.common, &out, &models, plan, &progress)? else {
        return Ok(());
    };
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
        also_writes: &CHARTS_AND_REPORT,
    };
    let (rows, manifest) = write_run(&out, &record)?;
    let report = super::publish(&out)?;
    if !args.quiet {
        print!(
            "{}",
            table::render_comparison(&title(&s, plan), &rows, &diffs, baseline.name())
        );
        println!(
            "{} consignments simulated in {:.2} s; outputs in {}, report {}",
            manifest.run.consignments_simulated,
            record.wall_seconds,
            out.display(),
            report.display()
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
