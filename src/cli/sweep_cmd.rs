//! `clearsim sweep`: a grid of variants and the inspection-intensity frontier.

use super::*;

/// The policy paths of the inspection-intensity frontier.
const RATE_PATH: &str = "policy.inspection_rate";
const TARGETING_PATH: &str = "policy.targeting";

pub(super) fn sweep(args: SweepArgs) -> anyhow::Result<()> {
    let s = scenario::load(&args.scenario).map_err(InputError)?;
    let plan = args.common.plan(&s, true);
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
    let variants = grid::grid_size(&settings).map_err(bad_set)?;
    shard::check_tasks(variants, plan.replications)?;
    let params: Vec<String> = settings.iter().map(|x| x.path.clone()).collect();
    let mut built = Vec::new();
    let mut variants_meta = Vec::new();
    for assignment in grid::grid(&settings) {
        let name = grid::variant_name(&assignment);
        let v = super::variant_of(&s, &name, &assignment, |e| bad_set(format!("{name}: {e}")))?;
        variants_meta.push(SweepVariant {
            name,
            values: assignment.iter().map(|(_, v)| grid::display(v)).collect(),
        });
        built.push(v);
    }
    let folder = args.common.out_dir(&s, Some("sweep"))?;
    let started = Instant::now();
    let models: Vec<_> = built.iter().map(|v| &v.model).collect();
    let progress = Progress::new(models.len(), plan.replications, args.quiet);
    let Some(results) = shard::execute(&args.common, &folder, &s, &models, plan, &progress)? else {
        return folder.commit();
    };
    progress.finish();
    let variants: Vec<Variant> = variants_meta
        .iter()
        .zip(results)
        .map(|(m, results)| Variant {
            name: m.name.clone(),
            results,
        })
        .collect();
    let rate = params.iter().position(|p| p == RATE_PATH);
    let record = RunRecord {
        notes: &[],
        scenario: &s,
        plan,
        variants: &variants,
        diffs: &[],
        wall_seconds: shard::wall_seconds(&args.common, started),
        also_writes: if rate.is_some() {
            &["sweep.csv", "frontier.csv", "plots/", "report.html"]
        } else {
            &["sweep.csv", "plots/", "report.html"]
        },
    };
    let (rows, manifest) = write_run(folder.staging(), &record)?;
    let staged = folder.staging();
    let in_order: Vec<usize> = (0..variants_meta.len()).collect();
    write_atomic(
        &staged.join("sweep.csv"),
        &wide_csv(&params, &variants_meta, &in_order, &rows, &SWEEP_METRICS)?,
    )?;
    if let Some(rate) = rate {
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
            (others, r)
        };
        order.sort_by(|a, b| {
            let (ka, ra) = key(a);
            let (kb, rb) = key(b);
            ka.cmp(&kb).then(ra.total_cmp(&rb))
        });
        write_atomic(
            &staged.join("frontier.csv"),
            &wide_csv(&params, &variants_meta, &order, &rows, &FRONTIER_METRICS)?,
        )?;
    }
    let out = folder.target().to_path_buf();
    let report = super::publish(folder)?;
    if !args.quiet {
        print!(
            "{}",
            table::render_sweep(&title(&s, plan), &rows, &variants_meta)
        );
        println!(
            "{} variants, {}",
            variants.len(),
            done_line(&manifest, &out, &report)
        );
    }
    Ok(())
}
