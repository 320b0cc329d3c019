//! `clearsim plan`: the smallest capacity that meets a target.

use super::*;

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

pub(super) fn plan_capacity(args: PlanArgs) -> anyhow::Result<()> {
    if args.common.shard.is_some() {
        return Err(InputError(ScenarioError::single(
            "--shard",
            "plan chooses each capacity from the last result, so it cannot be split into shards; \
             shard a sweep over the capacity instead"
                .into(),
        ))
        .into());
    }
    let s = scenario::load(&args.scenario).map_err(InputError)?;
    let plan = args.common.plan(&s, true);
    let folder = args.common.out_dir(&s, Some("plan"))?;
    let input =
        |flag: &str, msg: String| anyhow::Error::from(InputError(ScenarioError::single(flag, msg)));
    let target = Target::parse(&args.target).map_err(|e| input("--target", e))?;
    let Some(pool) = s.model.pools.iter().position(|p| p.id == args.resource) else {
        let ids = s.model.pools.iter().map(|p| p.id.as_str());
        let valid = scenario::known_ids("resource", ids, &args.resource);
        return Err(input(
            "--resource",
            format!("unknown resource {:?}; {valid}", args.resource),
        ));
    };
    let group = args.within.clone().unwrap_or_else(|| {
        if RESOURCE_METRICS.contains(&target.metric.as_str()) {
            format!("resource={}", args.resource)
        } else {
            "all".to_string()
        }
    });
    // A group the runs will not report is a mistake on the command line:
    // say so before simulating anything.
    let mut groups = s.model.group_names();
    groups.extend(s.model.pools.iter().map(|p| format!("resource={}", p.id)));
    if !groups.contains(&group) {
        let flag = if args.within.is_some() {
            "--within"
        } else {
            "--target"
        };
        let valid = scenario::known_ids("group", groups.iter().map(String::as_str), &group);
        return Err(input(
            flag,
            format!("no group {group:?} in this scenario; {valid}"),
        ));
    }
    // The smallest stable capacity: offered load below capacity × open share.
    let spec = &s.model.pools[pool];
    let load = s.model.offered_load()[pool];
    let open = spec.hours.open_fraction().max(f64::MIN_POSITIVE);
    let start = ((load / open).floor() as u32).saturating_add(1);
    let path = format!("resources.{}.capacity", args.resource);
    // Each evaluated capacity's replications, by capacity.
    let mut variants: Vec<(u32, Variant)> = Vec::new();
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
        // A capacity whose queue diverges does not meet the target: the
        // search goes on to larger ones (it has no results to write).
        let results = match experiment::run(&v.model, plan) {
            Err(e) if e.downcast_ref::<experiment::Diverged>().is_some() => {
                return Ok(Evaluation {
                    capacity: c,
                    met: false,
                    estimate: crate::stats::Estimate::from_values(std::iter::empty()),
                });
            }
            r => r?,
        };
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
        variants.push((c, Variant { name, results }));
        Ok(Evaluation {
            capacity: c,
            met: target.met_by(&estimate),
            estimate,
        })
    };
    let (evals, best) = search(start, args.max, evaluate)?;
    variants.sort_by_key(|(c, _)| *c);
    let variants: Vec<Variant> = variants.into_iter().map(|(_, v)| v).collect();
    let record = RunRecord {
        notes: &[],
        scenario: &s,
        plan,
        variants: &variants,
        diffs: &[],
        wall_seconds: started.elapsed().as_secs_f64(),
        also_writes: &["plan.csv", "plots/", "report.html"],
    };
    write_run(folder.staging(), &record)?;
    let mut w = crate::output::sheet::SheetWriter::new();
    w.row([
        "capacity",
        "group",
        "metric",
        "mean",
        "ci95_half_width",
        "upper_bound",
        "meets_target",
        "target",
    ])?;
    let mut sorted = evals.clone();
    sorted.sort_by_key(|e| e.capacity);
    for e in &sorted {
        let f = crate::output::cell;
        w.row([
            e.capacity.to_string(),
            group.clone(),
            target.metric.clone(),
            f(e.estimate.mean),
            f(e.estimate.half_width),
            f(e.estimate.upper()),
            e.met.to_string(),
            f(Some(target.bound)),
        ])?;
    }
    write_atomic(&folder.staging().join("plan.csv"), &w.into_bytes()?)?;
    let out = folder.target().to_path_buf();
    super::publish(folder)?;
    let why = match unmet_reason(&evals) {
        Unmet::Plateau { from, to } => format!(
            "a capacity of {to} gave the same {} as {from}, so more {} does not help: \
             something else limits it (another resource, office hours, or the route's \
             fixed times)",
            target.metric, args.resource
        ),
        Unmet::MaxReached => format!(
            "the metric was still changing at --max {}; a larger --max may meet the target",
            args.max
        ),
    };
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
            let upper = e.estimate.upper().map_or("-".into(), |u| format!("{u:.4}"));
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
                "no capacity up to {} meets the target ({} evaluations): {why}; outputs in {}",
                args.max,
                evals.len(),
                out.display()
            ),
        }
    }
    if best.is_none() {
        anyhow::bail!(
            "no capacity of {} up to {} meets {}: {why}",
            args.resource,
            args.max,
            args.target
        );
    }
    Ok(())
}
