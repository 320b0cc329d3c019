//! `clearsim compare`: the same demand under several clearance modes.

use super::*;

pub(super) fn compare(args: CompareArgs) -> anyhow::Result<()> {
    let s = scenario::load(&args.scenario).map_err(InputError)?;
    let plan = args.common.plan(&s, false);
    let (built, notes) = build_under_modes(&s, &args.modes, "--modes", args.quiet, false)?;
    let baseline = match &args.baseline {
        Some(b) => {
            let m = parse_mode(b, "--baseline")?;
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
    let folder = args.common.out_dir(&s, Some("compare"))?;
    let started = Instant::now();
    let models: Vec<_> = built.iter().map(|(_, v)| &v.model).collect();
    let progress = Progress::new(models.len(), plan.replications, args.quiet);
    let Some(results) = shard::execute(&args.common, &folder, &s, &models, plan, &progress)? else {
        return folder.commit();
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
        notes: &notes,
        scenario: &s,
        plan,
        variants: &variants,
        diffs: &diffs,
        wall_seconds: shard::wall_seconds(&args.common, started),
        also_writes: &CHARTS_AND_REPORT,
    };
    let (rows, manifest) = write_run(folder.staging(), &record)?;
    let out = folder.target().to_path_buf();
    let report = super::publish(folder)?;
    if !args.quiet {
        print!(
            "{}",
            table::render_comparison(&title(&s, plan), &rows, &diffs, baseline.name())
        );
        println!("{}", done_line(&manifest, &out, &report));
    }
    Ok(())
}
