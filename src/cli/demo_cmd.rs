//! `clearsim demo`: the trainers' demonstration of the clearance modes.

use super::*;
use crate::demo::{self, narrate, player, player_page, swimlane};
use crate::model::{Mode, Model};

#[derive(Debug, clap::Args)]
pub struct DemoArgs {
    /// The scenario file (TOML); omitted: the built-in demo scenario
    /// (scenarios/demo.toml: all four channels, every mode possible).
    pub scenario: Option<PathBuf>,
    /// The clearance mode to show: all, one of port_clearance,
    /// territorial_declaration_port_release, territorial_declaration_release,
    /// customs_transit, regional_integration, or a comma-separated list.
    #[arg(long, default_value = "all", value_name = "MODE")]
    pub mode: String,
    /// How many consignments to follow [default: one per channel present].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=20))]
    pub consignments: Option<u32>,
    /// Master seed, overriding the scenario's `seed` (the demo follows
    /// replication 0 of `clearsim run --seed N`).
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Where the swimlane charts (and demo.html) go.
    #[arg(long, value_name = "DIR", default_value = "output/demo")]
    pub out: PathBuf,
    /// Also write DIR/demo.html: an animated, self-contained player of the
    /// modes side by side (for a lecture room; no network needed).
    #[arg(long)]
    pub html: bool,
}

pub(super) fn demo(args: DemoArgs) -> anyhow::Result<()> {
    let s = match &args.scenario {
        Some(p) => scenario::load(p).map_err(InputError)?,
        None => demo::builtin(),
    };
    eprint!("{}", diagnostics_text(&s.source_label, &s.warnings));
    let built: Vec<(Mode, Model)> = build_under_modes(&s, &args.mode, "--mode", false, true)?
        .0
        .into_iter()
        .map(|(mode, v)| (mode, v.model))
        .collect();
    let seed = args.seed.unwrap_or(s.seed);
    let model0 = &built[0].1;
    let n = args
        .consignments
        .map_or(demo::channels(model0).len(), |n| n as usize);
    let from = demo::follow_from(model0);
    let folder = super::open_folder(&args.out, Replaces::Outputs)?;
    let staged = folder.staging();
    // Charts first, then the narration: a reader who stops the output
    // early (`| head`) still gets every chart.
    let mut text = String::new();
    let mut charts = Vec::new();
    let mut followed = Vec::new();
    for (mode, model) in &built {
        let traces = demo::follow(model, seed, n);
        text.push('\n');
        text.push_str(&narrate::narrate(*mode, model, &traces));
        charts.push(swimlane::write(staged, *mode, model, &traces)?);
        followed.push(traces);
    }
    let page = if args.html {
        Some(write_player(&s, &built, seed, from, followed, staged)?)
    } else {
        None
    };
    // Paths as they are once the folder is swapped in.
    let published = |p: PathBuf| p.file_name().map_or(p.clone(), |f| folder.target().join(f));
    let charts: Vec<PathBuf> = charts.into_iter().map(published).collect();
    let page = page.map(published);
    folder.commit()?;
    println!(
        "clearsim demo: scenario {} ({}), seed {seed}",
        s.name, s.source_label
    );
    println!(
        "Following {n} consignment(s), the first of each channel arriving from {} (t = {from:.2} h, after the warm-up,",
        narrate::clock(from, model0.start_weekday)
    );
    println!(
        "so queues are those of a running system), under each mode. The same consignments, with the same hidden truth,"
    );
    println!(
        "screening draws and service times, appear under every mode: only the route and the queues differ."
    );
    print!("{text}");
    println!("\nSwimlane charts (SVG, with PNG beside each):");
    for c in charts {
        println!("  {}", c.display());
    }
    if let Some(p) = page {
        println!(
            "Player (open in a browser; keys listed on the page):\n  {}",
            p.display()
        );
    }
    Ok(())
}

/// Runs each mode's crowd over the followed consignments' window and
/// writes the player page.
fn write_player(
    s: &scenario::Scenario,
    built: &[(Mode, Model)],
    seed: u64,
    from: f64,
    followed: Vec<Vec<crate::sim::trace::ConsignmentTrace>>,
    out: &Path,
) -> anyhow::Result<PathBuf> {
    let all: Vec<&[_]> = followed.iter().map(Vec::as_slice).collect();
    let (t0, t1) = player::window(from, &all, built[0].1.horizon);
    let runs: Vec<player::ModeRun> = built
        .iter()
        .zip(followed)
        .map(|((mode, model), followed)| player::ModeRun {
            mode: *mode,
            model,
            crowd: player::crowd(model, seed, t0, t1),
            followed,
        })
        .collect();
    let data = player::build(&s.name, &s.source_label, seed, &runs, t0, t1);
    player_page::write(out, &data)
}
