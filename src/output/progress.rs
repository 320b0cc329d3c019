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

#[cfg(test)]
mod tests {
    use super::*;

    fn finished(consignments: u64) -> ReplicationResult {
        ReplicationResult {
            consignments,
            ..ReplicationResult::observed(0, 0, &[])
        }
    }

    /// `(done of total what)`: whole variants done when there are several,
    /// replications done of one variant's when there is one.
    #[test]
    fn the_message_counts_variants_or_replications() {
        let p = Progress::new(3, 4, false);
        for _ in 0..4 {
            p.done(&finished(10));
        }
        assert_eq!(p.bar.position(), 4);
        assert!(
            p.bar.message().starts_with("(1 of 3 variants), "),
            "{}",
            p.bar.message()
        );
        p.done(&finished(10));
        assert!(
            p.bar.message().starts_with("(1 of 3 variants), "),
            "{}",
            p.bar.message()
        );
        let p = Progress::new(1, 4, false);
        p.done(&finished(10));
        assert!(
            p.bar.message().starts_with("(1 of 4 replications), "),
            "{}",
            p.bar.message()
        );
        p.finish();
        assert!(p.bar.is_finished());
    }

    /// The rate is all consignments so far over the time since the start:
    /// between n / (time measured around it) and n / (time slept before it).
    #[test]
    fn the_rate_is_consignments_so_far_per_second() {
        let start = std::time::Instant::now();
        let p = Progress::new(1, 2, false);
        let slept = 0.05;
        std::thread::sleep(std::time::Duration::from_secs_f64(slept));
        p.done(&finished(1_000_000));
        p.done(&finished(2_000_000));
        let most = start.elapsed().as_secs_f64();
        let message = p.bar.message();
        let rate: f64 = message
            .strip_prefix("(2 of 2 replications), ")
            .and_then(|m| m.strip_suffix(" M consignments/s"))
            .and_then(|m| m.parse().ok())
            .unwrap_or_else(|| panic!("{message}"));
        // 3 M consignments in `slept` to `most` seconds, shown to 0.01.
        assert!(rate >= 3.0 / most - 0.005, "{rate} < 3 / {most}");
        assert!(rate <= 3.0 / slept + 0.005, "{rate} > 3 / {slept}");
    }
}
