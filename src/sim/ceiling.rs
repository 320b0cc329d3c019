//! Ceilings that stop a diverging replication.
//!
//! A model whose offered load exceeds its capacity has no steady state: its
//! queues grow with the horizon, and so would a replication's memory (one
//! slot per consignment in flight). Validation warns of a mean or peak
//! overload it can compute; at run time these ceilings catch what slips
//! through (a long horizon at a load just over capacity, an interaction no
//! formula sees). They are a mechanism, not a model: a count of entities
//! waiting at one pool and a count in the whole system, compared with two
//! numbers, each once per queue join or arrival. A replication that goes
//! over either stops where it is and reports a [`Divergence`]; results are
//! unchanged for every replication that stays under them.

use std::fmt;

/// Default ceiling on consignments in the system at once, all streams.
///
/// Ten million consignments take about 1.3 GB (a slab slot of about 100
/// bytes, its queue entry, event and free-list slot), so a machine with a
/// few gigabytes per core runs a replication per core at the ceiling
/// without swapping. It is above every stable shipped model at any scale:
/// `national.toml` at full scale (`volume_scale = 1`) holds about 1.35
/// million in flight on an ordinary day and passed two million in the
/// Double-11 backlog (measured with `benches/national.sh 12`, which a
/// ceiling of two million stopped at t = 248.9 h).
pub const DEFAULT_MAX_IN_SYSTEM: usize = 10_000_000;

/// The ceilings a replication runs under.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ceiling {
    /// Most consignments in the system at once (arrived, not yet gone).
    pub in_system: usize,
    /// Most consignments waiting at any one pool.
    pub waiting: usize,
}

impl Default for Ceiling {
    /// The ceilings of `--max-in-system` at its default, so that a run
    /// through the library and one through the command line stop alike.
    fn default() -> Self {
        Self::from_in_system(DEFAULT_MAX_IN_SYSTEM)
    }
}

impl Ceiling {
    /// Ceilings for `--max-in-system N`: the system holds at most `n`, a
    /// pool's queue at most half of it (at least one), so that one
    /// diverging pool is named where it diverges rather than found after
    /// the whole system has filled.
    pub fn from_in_system(n: usize) -> Self {
        Self {
            in_system: n,
            waiting: (n / 2).max(1),
        }
    }
}

/// Where and when a replication went over a ceiling.
#[derive(Clone, Debug, PartialEq)]
pub struct Divergence {
    /// Time of the event that went over `[h]`.
    pub at_h: f64,
    /// The pool with the longest queue at that time (the one over its
    /// ceiling, if a pool's ceiling was the one reached).
    pub pool: String,
    /// Consignments waiting at `pool`.
    pub waiting: usize,
    /// Consignments in the system.
    pub in_system: usize,
    /// Whether the whole system's ceiling was reached (else the pool's).
    pub total: bool,
    /// Offered load on `pool` over the horizon [busy servers].
    pub offered_load: f64,
    /// Servers `pool` has on average over the week (capacity × open share).
    pub available: f64,
}

impl fmt::Display for Divergence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = if self.total {
            format!(
                "{} consignments in the system, {} of them waiting at pool {:?},",
                thousands(self.in_system),
                thousands(self.waiting),
                self.pool
            )
        } else {
            format!(
                "pool {:?} held {} waiting",
                self.pool,
                thousands(self.waiting)
            )
        };
        write!(
            f,
            "{what} at t = {:.1} h (offered load {:.3} busy servers on average for {:.3} available)",
            self.at_h, self.offered_load, self.available
        )
    }
}

/// `1234567` as `1,234,567`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(5_000_000), "5,000,000");
    }
}
