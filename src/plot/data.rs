//! Reading a run's output directory back: the manifest and the tidy CSV
//! files the charts and the report are drawn from.

use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Deserialize;

/// A `summary.csv` row.
#[derive(Clone, Debug, Deserialize)]
pub struct SummaryRow {
    pub variant: String,
    pub group: String,
    pub metric: String,
    pub mean: Option<f64>,
    pub ci95_half_width: Option<f64>,
    pub reps: u32,
}

/// A `comparison.csv` row: a variant's paired difference from the baseline.
#[derive(Clone, Debug, Deserialize)]
pub struct ComparisonRow {
    pub variant: String,
    pub baseline: String,
    pub group: String,
    pub metric: String,
    pub diff_mean: Option<f64>,
    pub diff_ci95_half_width: Option<f64>,
    pub unpaired_ci95_half_width: Option<f64>,
    pub reps: u32,
}

/// A `distribution.csv` row: the p-quantile of release time.
#[derive(Clone, Debug, Deserialize)]
pub struct QuantileRow {
    pub variant: String,
    pub group: String,
    pub p: f64,
    pub release_time_h: Option<f64>,
}

/// A `timeseries.csv` row: a resource's mean over one time bin.
#[derive(Clone, Debug, Deserialize)]
pub struct SeriesRow {
    pub variant: String,
    pub resource: String,
    pub metric: String,
    pub time_h: f64,
    pub mean: Option<f64>,
}

/// The parts of `manifest.json` the report shows.
#[derive(Clone, Debug, Deserialize)]
pub struct ManifestInfo {
    pub command_line: Vec<String>,
    pub scenario: ScenarioInfo,
    pub run: RunInfo,
    pub variants: Vec<String>,
    #[serde(default)]
    pub parameters: Vec<Parameter>,
    #[serde(default)]
    pub peaks: Vec<Peak>,
}

/// A named period of raised demand `[h from start]`.
#[derive(Clone, Debug, Deserialize)]
pub struct Peak {
    pub name: String,
    pub from_h: f64,
    pub until_h: f64,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Parameter {
    pub name: String,
    pub value: String,
}

#[derive(Clone, Debug, Deserialize)]
pub struct ScenarioInfo {
    pub name: String,
    pub description: String,
    pub file: String,
}

#[derive(Clone, Debug, Deserialize)]
pub struct RunInfo {
    pub seed: u64,
    pub replications: u32,
    pub horizon_h: f64,
    pub warmup_h: f64,
    pub consignments_simulated: u64,
}

/// A wide table (`frontier.csv`): its header and rows as text.
#[derive(Clone, Debug, Default)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub fn column(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }
}

/// Everything a run directory holds that charts and the report use.
/// Files a command does not write (`comparison.csv` outside `compare`,
/// `frontier.csv` outside `sweep`) are empty here.
#[derive(Clone, Debug)]
pub struct RunOutputs {
    pub dir: PathBuf,
    pub manifest: ManifestInfo,
    /// The manifest as written, for the report.
    pub manifest_text: String,
    pub summary: Vec<SummaryRow>,
    pub comparison: Vec<ComparisonRow>,
    pub quantiles: Vec<QuantileRow>,
    pub series: Vec<SeriesRow>,
    pub frontier: Option<Table>,
    /// A sweep's variants in one row each (`sweep.csv`).
    pub sweep: Option<Table>,
    /// A capacity plan's evaluations (`plan.csv`).
    pub plan: Option<Table>,
    /// A reform ladder's rungs (`ladder.csv`).
    pub ladder: Option<Table>,
}

fn read_rows<T: for<'de> Deserialize<'de>>(path: &Path) -> anyhow::Result<Vec<T>> {
    let mut r =
        csv::Reader::from_path(path).with_context(|| format!("cannot read {}", path.display()))?;
    r.deserialize()
        .collect::<Result<Vec<T>, _>>()
        .with_context(|| format!("{} is not a clearsim output file", path.display()))
}

fn read_optional<T: for<'de> Deserialize<'de>>(path: &Path) -> anyhow::Result<Vec<T>> {
    if path.exists() {
        read_rows(path)
    } else {
        Ok(Vec::new())
    }
}

fn read_table(path: &Path) -> anyhow::Result<Option<Table>> {
    if !path.exists() {
        return Ok(None);
    }
    let mut r =
        csv::Reader::from_path(path).with_context(|| format!("cannot read {}", path.display()))?;
    let header = r.headers()?.iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|rec| rec.map(|rec| rec.iter().map(String::from).collect()))
        .collect::<Result<_, _>>()
        .with_context(|| format!("cannot read {}", path.display()))?;
    Ok(Some(Table { header, rows }))
}

/// The largest magnitude a chart takes: far above anything a run writes
/// (a billion consignments of 10^12 yuan), far below where the drawing's
/// arithmetic would overflow.
const MAX_PLOTTED: f64 = 1e30;

/// A number the charts can draw: finite and of plausible size.
fn drawable(x: f64) -> bool {
    x.is_finite() && x.abs() <= MAX_PLOTTED
}

/// Refuses a file's row holding a number the charts cannot draw (NaN,
/// infinite or absurdly large): bad input, naming the file, row and column.
fn refuse_undrawable(path: &Path, row: usize, column: &str, x: f64) -> anyhow::Error {
    crate::cli::InputError(crate::scenario::ScenarioError::single(
        &path.display().to_string(),
        format!(
            "{}{column} = {x} is not a finite number of at most {MAX_PLOTTED:e} in \
             size; charts are drawn only from finite numbers (re-run the command, or \
             correct the row)",
            if row == 0 {
                String::new()
            } else {
                format!("row {row}: ")
            }
        ),
    ))
    .into()
}

/// Checks every number of a file's rows: `numbers(row)` lists them with
/// their column names; row 2 is the first after the header.
fn check_rows<T>(
    path: &Path,
    rows: &[T],
    numbers: impl Fn(&T) -> Vec<(&'static str, Option<f64>)>,
) -> anyhow::Result<()> {
    for (i, r) in rows.iter().enumerate() {
        for (column, x) in numbers(r) {
            if let Some(x) = x.filter(|x| !drawable(*x)) {
                return Err(refuse_undrawable(path, i + 2, column, x));
            }
        }
    }
    Ok(())
}

/// A wide table's cells that are numbers must be drawable.
fn check_table(path: &Path, table: &Option<Table>) -> anyhow::Result<()> {
    let Some(t) = table else { return Ok(()) };
    for (i, row) in t.rows.iter().enumerate() {
        for (k, cell) in row.iter().enumerate() {
            if let Ok(x) = cell.trim().parse::<f64>()
                && !drawable(x)
            {
                let column = t.header.get(k).map_or("?", String::as_str);
                return Err(
                    crate::cli::InputError(crate::scenario::ScenarioError::single(
                        &path.display().to_string(),
                        format!(
                            "row {}: {column} = {cell} is not a finite number of at most \
                         {MAX_PLOTTED:e} in size; charts are drawn only from finite numbers",
                            i + 2
                        ),
                    ))
                    .into(),
                );
            }
        }
    }
    Ok(())
}

impl RunOutputs {
    /// Refuses NaN, infinite or absurd numbers anywhere the charts read.
    fn check_drawable(&self) -> anyhow::Result<()> {
        let dir = &self.dir;
        let m = &self.manifest;
        let manifest = dir.join("manifest.json");
        for (column, x) in [
            ("run.horizon_h", m.run.horizon_h),
            ("run.warmup_h", m.run.warmup_h),
        ]
        .into_iter()
        .chain(
            m.peaks
                .iter()
                .flat_map(|p| [("peaks.from_h", p.from_h), ("peaks.until_h", p.until_h)]),
        ) {
            if !drawable(x) {
                return Err(refuse_undrawable(&manifest, 0, column, x));
            }
        }
        check_rows(&dir.join("summary.csv"), &self.summary, |r| {
            vec![("mean", r.mean), ("ci95_half_width", r.ci95_half_width)]
        })?;
        check_rows(&dir.join("comparison.csv"), &self.comparison, |r| {
            vec![
                ("diff_mean", r.diff_mean),
                ("diff_ci95_half_width", r.diff_ci95_half_width),
                ("unpaired_ci95_half_width", r.unpaired_ci95_half_width),
            ]
        })?;
        check_rows(&dir.join("distribution.csv"), &self.quantiles, |r| {
            vec![("p", Some(r.p)), ("release_time_h", r.release_time_h)]
        })?;
        check_rows(&dir.join("timeseries.csv"), &self.series, |r| {
            vec![("time_h", Some(r.time_h)), ("mean", r.mean)]
        })?;
        check_table(&dir.join("frontier.csv"), &self.frontier)?;
        check_table(&dir.join("sweep.csv"), &self.sweep)?;
        check_table(&dir.join("plan.csv"), &self.plan)?;
        check_table(&dir.join("ladder.csv"), &self.ladder)
    }

    /// Loads a run directory written by `run`, `compare` or `sweep`.
    pub fn load(dir: &Path) -> anyhow::Result<Self> {
        // `clearsim plot` checks for the manifest first and reports its
        // absence as bad input; here a missing file is just unreadable.
        let manifest_path = dir.join("manifest.json");
        let manifest_text = std::fs::read_to_string(&manifest_path)
            .with_context(|| format!("cannot read {}", manifest_path.display()))?;
        let manifest: ManifestInfo = serde_json::from_str(&manifest_text)
            .with_context(|| format!("{} is not a clearsim manifest", manifest_path.display()))?;
        let outputs = Self {
            dir: dir.to_path_buf(),
            manifest,
            manifest_text,
            summary: read_rows(&dir.join("summary.csv"))?,
            comparison: read_optional(&dir.join("comparison.csv"))?,
            quantiles: read_optional(&dir.join("distribution.csv"))?,
            series: read_optional(&dir.join("timeseries.csv"))?,
            frontier: read_table(&dir.join("frontier.csv"))?,
            sweep: read_table(&dir.join("sweep.csv"))?,
            plan: read_table(&dir.join("plan.csv"))?,
            ladder: read_table(&dir.join("ladder.csv"))?,
        };
        outputs.check_drawable()?;
        Ok(outputs)
    }

    /// A summary value and its half-width.
    pub fn get(&self, variant: &str, group: &str, metric: &str) -> Option<(f64, Option<f64>)> {
        self.summary
            .iter()
            .find(|r| r.variant == variant && r.group == group && r.metric == metric)
            .and_then(|r| r.mean.map(|m| (m, r.ci95_half_width)))
    }

    /// The distinct values of `key=` groups, in order of appearance.
    pub fn groups(&self, key: &str) -> Vec<String> {
        let prefix = format!("{key}=");
        let mut out: Vec<String> = Vec::new();
        for r in &self.summary {
            if let Some(v) = r.group.strip_prefix(&prefix)
                && !out.iter().any(|o| o == v)
            {
                out.push(v.to_string());
            }
        }
        out
    }

    /// True when the variants are settings of a sweep: several variants
    /// that are not clearance modes.
    pub fn is_sweep(&self) -> bool {
        self.manifest.variants.len() > 1 && !self.variants_are_modes()
    }

    /// True when the variants are clearance modes (a `compare` run).
    pub fn variants_are_modes(&self) -> bool {
        !self.comparison.is_empty()
            || self
                .manifest
                .command_line
                .get(1)
                .is_some_and(|c| c == "compare")
    }
}
