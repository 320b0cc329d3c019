//! A progress bar on stderr for long runs: variants and replications done,
//! consignments per second, time left. Hidden when stderr is not a terminal
//! (indicatif's stderr target checks) or when the user asked for quiet.

use std::sync::atomic::{AtomicU64, Ordering};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::sim::ReplicationResult;

pub struct Progress {
    bar: ProgressBar,
    /// The user asked for quiet: other status lines stay silent too.
    pub quiet: bool,
    replications: u64,
    consignments: AtomicU64,
}

impl Progress {
    /// A bar over `variants` × `replications` tasks.
    pub fn new(variants: usize, replications: u32, quiet: bool) -> Self {
        let total = variants as u64 * replications as u64;
        let bar = if quiet {
            ProgressBar::hidden()
        } else {
            ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr())
        };
        bar.set_style(
            ProgressStyle::with_template(
                "{bar:30} {pos}/{len} replications {msg} [{elapsed_precise}, {eta} left]",
            )
            .expect("valid template"),
        );
        Self {
            bar,
            quiet,
            replications: replications as u64,
            consignments: AtomicU64::new(0),
        }
    }

    /// Called from worker threads as each replication finishes.
    pub fn done(&self, r: &ReplicationResult) {
        let n = self
            .consignments
            .fetch_add(r.consignments, Ordering::Relaxed)
            + r.consignments;
        self.bar.inc(1);
        let secs = self.bar.elapsed().as_secs_f64().max(1e-9);
        let finished = self.bar.position();
        let per_variant = self.replications.max(1);
        let variants = self.bar.length().unwrap_or(0) / per_variant;
        // A plain run is one variant: count its replications instead.
        let (done, of, what) = if variants > 1 {
            (finished / per_variant, variants, "variants")
        } else {
            (finished, per_variant, "replications")
        };
        self.bar.set_message(format!(
            "({done} of {of} {what}), {:.2} M consignments/s",
            n as f64 / secs / 1e6
        ));
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
