//! Charts drawn with plotters, written as SVG and PNG into `DIR/plots/`.
//!
//! Charts are drawn from the files a run leaves in its output directory,
//! never from live simulation state, so `clearsim plot DIR` redraws exactly
//! what the run drew, without re-running.

pub mod charts;
pub mod data;
pub mod draw;
pub mod font;

use std::path::Path;

use anyhow::{Context, anyhow};
use plotters::prelude::*;

use crate::output::write_atomic;
use charts::{Chart, Figure};
use data::RunOutputs;

/// A chart and its SVG text (the report inlines it).
pub struct Rendered {
    pub chart: Chart,
    pub svg: String,
}

/// Pixel size of a chart: taller when it stacks panels.
fn size(chart: &Chart) -> (u32, u32) {
    match &chart.figure {
        Figure::Panels { panels, .. } if panels.len() > 1 => (960, 760),
        Figure::Heat { rows, .. } => (960, (220 + 60 * rows.len() as u32).clamp(420, 900)),
        _ => (960, 560),
    }
}

/// The chart as SVG text.
pub fn svg(chart: &Chart) -> anyhow::Result<String> {
    font::ensure_registered();
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, size(chart)).into_drawing_area();
        draw::draw(chart, &root).map_err(|e| anyhow!("cannot draw {}: {e}", chart.name))?;
    }
    Ok(out)
}

/// The chart as PNG bytes, text rendered with the embedded font.
pub fn png(chart: &Chart) -> anyhow::Result<Vec<u8>> {
    font::ensure_registered();
    let (w, h) = size(chart);
    let mut rgb = vec![255u8; (w * h * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (w, h)).into_drawing_area();
        draw::draw(chart, &root).map_err(|e| anyhow!("cannot draw {}: {e}", chart.name))?;
    }
    encode_png(w, h, &rgb)
}

/// PNG bytes of a `w` × `h` RGB buffer (what plotters' bitmap backend
/// draws into), so a PNG can be written atomically like every output.
pub fn encode_png(w: u32, h: u32, rgb: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    let mut enc = png::Encoder::new(&mut bytes, w, h);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    let mut writer = enc.write_header()?;
    writer.write_image_data(rgb)?;
    writer.finish()?;
    Ok(bytes)
}

/// Draws every chart the outputs support into `into/plots/` (SVG and PNG)
/// and returns them.
pub fn render_dir(out: &RunOutputs, into: &Path) -> anyhow::Result<Vec<Rendered>> {
    let plots = into.join("plots");
    std::fs::create_dir_all(&plots)
        .with_context(|| format!("cannot create {}", plots.display()))?;
    let mut rendered = Vec::new();
    for chart in charts::charts(out) {
        let svg = svg(&chart)?;
        write_atomic(&plots.join(format!("{}.svg", chart.name)), svg.as_bytes())?;
        write_atomic(&plots.join(format!("{}.png", chart.name)), &png(&chart)?)?;
        rendered.push(Rendered { chart, svg });
    }
    Ok(rendered)
}

/// Loads a run directory and draws its charts into `into/plots/`.
pub fn plot_dir(dir: &Path, into: &Path) -> anyhow::Result<(RunOutputs, Vec<Rendered>)> {
    let out = RunOutputs::load(dir)?;
    let rendered = render_dir(&out, into)?;
    Ok((out, rendered))
}
