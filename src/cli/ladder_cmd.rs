//! `clearsim ladder`: a base scenario and its dated reforms, each reform's
//! contribution to the change of a metric (see `experiment::ladder`).

use super::*;
use crate::experiment::ladder::{self, Rung};
use crate::stats::Estimate;

pub(super) fn ladder(args: LadderArgs) -> anyhow::Result<()> {
    let s = scenario::load(&args.scenario).map_err(InputError)?;
    let Some(Experiment::Ladder {
        metrics,
        group,
        reforms,
    }) = &s.experiment
    else {
        return Err(InputError(ScenarioError::single(
            &s.source_label,
            "no reform ladder here: add an [experiment] table with kind = \"ladder\" and \
             its [[experiment.reforms]] (see scenarios/calibration/reforms_2017_2022.toml)"
                .into(),
        ))
        .into());
    };
    let plan = args.common.plan(&s, true);
    let n = reforms.len();
    let masks = ladder::masks(n);
    let mut built = Vec::new();
    let mut names = Vec::new();
    for mask in &masks {
        let name = ladder::variant_name(reforms, *mask);
        let assignment = ladder::assignments(reforms, *mask);
        built.push(super::variant_of(&s, &name, &assignment, |e| {
            bad_reform(&s, reforms, *mask, e)
        })?);
        names.push(name);
    }
    let folder = args.common.out_dir(&s, Some("ladder"))?;
    let started = Instant::now();
    let models: Vec<_> = built.iter().map(|v| &v.model).collect();
    let progress = Progress::new(models.len(), plan.replications, args.quiet);
    let Some(results) = shard::execute(&args.common, &folder, &s, &models, plan, &progress)? else {
        return folder.commit();
    };
    progress.finish();
    // Per metric: each variant's value in each replication.
    let attributions: Vec<Attribution> = metrics
        .iter()
        .map(|metric| {
            let values: Vec<Vec<Option<f64>>> = results
                .iter()
                .map(|reps| {
                    reps.iter()
                        .map(|r| {
                            r.observations
                                .iter()
                                .find(|o| o.group == *group && o.metric == metric.as_str())
                                .and_then(|o| o.value)
                        })
                        .collect()
                })
                .collect();
            Attribution {
                metric,
                rungs: ladder::contributions(n, &masks, &values),
                total: ladder::total(n, &masks, &values),
            }
        })
        .collect();
    let variants: Vec<Variant> = names
        .into_iter()
        .zip(results)
        .map(|(name, results)| Variant { name, results })
        .collect();
    let record = RunRecord {
        notes: &[],
        scenario: &s,
        plan,
        variants: &variants,
        diffs: &[],
        wall_seconds: shard::wall_seconds(&args.common, started),
        also_writes: &["ladder.csv", "plots/", "report.html"],
    };
    let (_, manifest) = write_run(folder.staging(), &record)?;
    let staged = folder.staging();
    write_atomic(
        &staged.join("ladder.csv"),
        ladder_csv(group, reforms, &attributions)?.as_bytes(),
    )?;
    let out = folder.target().to_path_buf();
    let report = super::publish(folder)?;
    if !args.quiet {
        println!("{}", title(&s, plan));
        for a in &attributions {
            print!("{}", render(a, group, reforms));
        }
        println!(
            "{} variants, {}",
            variants.len(),
            done_line(&manifest, &out, &report)
        );
    }
    Ok(())
}

/// A reform whose changes do not fit the scenario, named as the file names
/// it.
fn bad_reform(s: &Scenario, reforms: &[ladder::Reform], mask: u32, e: String) -> anyhow::Error {
    let k = (0..reforms.len())
        .find(|k| grid::apply(&s.source_text, &ladder::assignments(reforms, 1 << k)).is_err())
        .unwrap_or(mask.trailing_zeros() as usize);
    InputError(ScenarioError::single(
        &s.source_label,
        format!(
            "experiment.reforms[{k}] ({:?}): {e}",
            reforms[k.min(reforms.len() - 1)].name
        ),
    ))
    .into()
}

fn num(v: Option<f64>) -> String {
    crate::output::cell(v)
}

/// One metric's levels and contributions.
struct Attribution<'a> {
    metric: &'a str,
    rungs: Vec<Rung>,
    total: Estimate,
}

/// `ladder.csv`: per metric, one row per rung, the base first.
fn ladder_csv(
    group: &str,
    reforms: &[ladder::Reform],
    attributions: &[Attribution],
) -> anyhow::Result<String> {
    let mut w = crate::output::sheet::SheetWriter::new();
    w.row([
        "rung",
        "reform",
        "date",
        "source",
        "group",
        "metric",
        "level_mean",
        "level_ci95_half_width",
        "step_mean",
        "step_ci95_half_width",
        "shapley_mean",
        "shapley_ci95_half_width",
        "reps",
    ])?;
    for (a, r) in attributions
        .iter()
        .flat_map(|a| a.rungs.iter().map(move |r| (a, r)))
    {
        let metric = a.metric;
        let (name, date, source) = match r.k {
            0 => ("base", "", ""),
            k => {
                let f = &reforms[k - 1];
                (f.name.as_str(), f.date.as_str(), f.source.as_str())
            }
        };
        let pair = |e: Option<Estimate>| {
            e.map_or((String::new(), String::new()), |e| {
                (num(e.mean), num(e.half_width))
            })
        };
        let (step, step_hw) = pair(r.step);
        let (shapley, shapley_hw) = pair(r.shapley);
        w.row([
            r.k.to_string(),
            name.to_string(),
            date.to_string(),
            source.to_string(),
            group.to_string(),
            metric.to_string(),
            num(r.level.mean),
            num(r.level.half_width),
            step,
            step_hw,
            shapley,
            shapley_hw,
            r.level.n.to_string(),
        ])?;
    }
    Ok(String::from_utf8(w.into_bytes()?)?)
}

/// `12.34 ± 0.56`, or `-` when undefined.
fn pm(e: Option<Estimate>) -> String {
    match e.and_then(|e| e.mean.map(|m| (m, e.half_width))) {
        Some((m, Some(h))) => format!("{m:.2} ± {h:.2}"),
        Some((m, None)) => format!("{m:.2}"),
        None => "-".into(),
    }
}

fn render(a: &Attribution, group: &str, reforms: &[ladder::Reform]) -> String {
    let (metric, rungs, total) = (a.metric, &a.rungs, &a.total);
    let mut out = format!("\n{metric} ({group}), reforms applied in order:\n\n");
    let width = reforms
        .iter()
        .map(|r| r.name.len())
        .max()
        .unwrap_or(4)
        .max(4);
    out.push_str(&format!(
        "  {:<7}  {:<width$}  {:>16}  {:>16}  {:>16}\n",
        "date", "rung", "level", "step", "Shapley"
    ));
    for r in rungs {
        let (date, name) = match r.k {
            0 => ("", "base"),
            k => (reforms[k - 1].date.as_str(), reforms[k - 1].name.as_str()),
        };
        out.push_str(&format!(
            "  {:<7}  {:<width$}  {:>16}  {:>16}  {:>16}\n",
            date,
            name,
            pm(Some(r.level)),
            pm(r.step),
            pm(r.shapley)
        ));
    }
    out.push_str(&format!(
        "\n  total change {} (paired 95% CI; the steps and the Shapley contributions each add up to it)\n",
        pm(Some(*total))
    ));
    out
}
