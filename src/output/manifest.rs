//! `manifest.json`: what was run, from which file, with which seeds, so that
//! any result can be reproduced and traced back.

use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct Manifest {
    pub clearsim_version: String,
    pub command_line: Vec<String>,
    pub scenario: ScenarioInfo,
    pub run: RunInfo,
    /// The variants run (one `base` for a plain run; modes for compare).
    pub variants: Vec<String>,
    pub files: Vec<String>,
    /// The scenario's key settings, for a reader of the report.
    pub parameters: Vec<Parameter>,
    /// Named periods of raised demand (Double 11), shaded on time charts.
    pub peaks: Vec<PeakInfo>,
    /// What the reader must know to read the variants right: under
    /// `compare`, the modes skipped and the streams that kept their own
    /// mode, with the reasons.
    pub notes: Vec<String>,
}

/// A named peak, in hours from the scenario's start.
#[derive(Debug, Serialize)]
pub struct PeakInfo {
    pub name: String,
    pub from_h: f64,
    pub until_h: f64,
}

/// The model's named peaks for the manifest.
pub fn peaks(model: &crate::model::Model) -> Vec<PeakInfo> {
    model
        .peak_periods()
        .into_iter()
        .map(|p| PeakInfo {
            name: p.name,
            from_h: p.from,
            until_h: p.until,
        })
        .collect()
}

/// A named setting, as text.
#[derive(Debug, Serialize)]
pub struct Parameter {
    pub name: String,
    pub value: String,
}

/// The settings an analyst checks first: network size, policy, staffing.
pub fn key_parameters(model: &crate::model::Model) -> Vec<Parameter> {
    use crate::model::{Targeting, TaxTiming};
    let p = &model.policy;
    let mut out = vec![
        ("regions", model.regions.len().to_string()),
        ("sites", model.sites.len().to_string()),
        ("demand streams", model.streams.len().to_string()),
        ("policy.review_rate", p.review_rate.to_string()),
        ("policy.inspection_rate", p.inspection_rate.to_string()),
        (
            "policy.targeting",
            match p.targeting {
                Targeting::Random => "random",
                Targeting::RiskBased => "risk_based",
            }
            .to_string(),
        ),
        (
            "policy.tax_timing",
            match p.tax_timing {
                TaxTiming::BeforeRelease => "before_release",
                TaxTiming::AfterRelease => "after_release",
            }
            .to_string(),
        ),
    ];
    let mut modes: Vec<&str> = model.streams.iter().map(|s| s.mode.name()).collect();
    modes.dedup();
    modes.sort();
    modes.dedup();
    out.push(("clearance modes in the file", modes.join(", ")));
    let staffing: Vec<String> = model
        .pools
        .iter()
        .map(|pool| format!("{} × {}", pool.id, pool.capacity))
        .collect();
    out.push(("resources", staffing.join(", ")));
    out.into_iter()
        .map(|(name, value)| Parameter {
            name: name.to_string(),
            value,
        })
        .collect()
}

#[derive(Debug, Serialize)]
pub struct ScenarioInfo {
    pub name: String,
    pub description: String,
    pub file: String,
    pub sha256: String,
}

#[derive(Debug, Serialize)]
pub struct RunInfo {
    pub seed: u64,
    pub replications: u32,
    /// Per-replication seeds (derived from `seed`); each replication's
    /// random sources are PCG-64 streams derived from its seed.
    pub replication_seeds: Vec<u64>,
    pub rng: String,
    pub horizon_h: f64,
    pub warmup_h: f64,
    pub threads: usize,
    pub consignments_simulated: u64,
    pub events: u64,
    pub wall_seconds: f64,
}

impl Manifest {
    pub fn to_json(&self) -> anyhow::Result<Vec<u8>> {
        let mut v = serde_json::to_vec_pretty(self)?;
        v.push(b'\n');
        Ok(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The built-in scenario's key settings, as `scenarios/default.toml`
    /// gives them (no regions, targeting left at its default, random).
    #[test]
    fn key_parameters_are_those_of_the_scenario() {
        let model = crate::scenario::builtin_default().model;
        let got: Vec<(String, String)> = key_parameters(&model)
            .into_iter()
            .map(|p| (p.name, p.value))
            .collect();
        let want = [
            ("regions", "0"),
            ("sites", "2"),
            ("demand streams", "2"),
            ("policy.review_rate", "0.1"),
            ("policy.inspection_rate", "0.03"),
            ("policy.targeting", "random"),
            ("policy.tax_timing", "before_release"),
            ("clearance modes in the file", "port_clearance"),
            (
                "resources",
                "ningbo_reviewers × 12, ningbo_inspection_teams × 4, \
                 ecommerce_reviewers × 6, ecommerce_xray_lines × 4",
            ),
        ];
        let want: Vec<(String, String)> = want
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect();
        assert_eq!(got, want);
    }

    /// The Double-11 peak of `scenarios/default.toml` (11 to 14 November,
    /// from a start on 2 November), in hours from the start.
    #[test]
    fn peaks_are_the_models_in_hours() {
        let model = crate::scenario::builtin_default().model;
        let got: Vec<(String, f64, f64)> = peaks(&model)
            .into_iter()
            .map(|p| (p.name, p.from_h, p.until_h))
            .collect();
        assert_eq!(got, [("double_11".to_string(), 9.0 * 24.0, 12.0 * 24.0)]);
    }

    /// `manifest.json` is the manifest as pretty JSON, ending in a newline.
    #[test]
    fn the_json_is_the_manifest_and_a_newline() {
        let m = Manifest {
            clearsim_version: "1.0".into(),
            command_line: vec!["clearsim".into(), "run".into()],
            scenario: ScenarioInfo {
                name: "s".into(),
                description: "d".into(),
                file: "f.toml".into(),
                sha256: "00".into(),
            },
            run: RunInfo {
                seed: 7,
                replications: 1,
                replication_seeds: vec![9],
                rng: "r".into(),
                horizon_h: 24.0,
                warmup_h: 0.0,
                threads: 2,
                consignments_simulated: 10,
                events: 20,
                wall_seconds: 0.5,
            },
            variants: vec!["base".into()],
            files: vec!["summary.csv".into()],
            parameters: Vec::new(),
            peaks: Vec::new(),
            notes: Vec::new(),
        };
        let bytes = m.to_json().unwrap();
        assert_eq!(bytes.last(), Some(&b'\n'));
        let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(v["run"]["seed"], 7);
        assert_eq!(v["files"][0], "summary.csv");
        assert_eq!(
            bytes,
            [serde_json::to_vec_pretty(&m).unwrap(), b"\n".to_vec()].concat()
        );
    }
}
