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
