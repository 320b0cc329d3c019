//! Named, independent random streams.
//!
//! Every random source of a replication (an arrival stream, a screening
//! decision, an activity's service times) gets its own PCG-64 generator whose
//! state and stream selector are derived from `(master seed, replication,
//! source)` by the SplitMix64 finaliser. Sources therefore never share
//! numbers, adding a source does not shift the others, and results do not
//! depend on thread scheduling.

use rand::SeedableRng;
use rand_pcg::Pcg64;

/// The generator used everywhere in clearsim: PCG XSL RR 128/64 (`Pcg64`).
pub type SimRng = Pcg64;

/// Identifies a random source inside one replication: a kind tag and an index
/// (e.g. kind `ARRIVALS`, index = stream number).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StreamId {
    pub kind: u32,
    pub index: u32,
}

/// SplitMix64 finaliser: a bijective mixer with good avalanche.
#[inline]
pub fn mix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The seed of replication `replication` under master seed `seed`; written to
/// the manifest so a single replication can be reproduced.
pub fn replication_seed(seed: u64, replication: u64) -> u64 {
    mix64(mix64(seed) ^ replication.wrapping_mul(0xD1B5_4A32_D192_ED03))
}

/// An independent generator for `source` within the replication whose seed is
/// `rep_seed` (see [`replication_seed`]).
pub fn stream(rep_seed: u64, source: StreamId) -> SimRng {
    let tag = ((source.kind as u64) << 32) | source.index as u64;
    let a = mix64(rep_seed ^ mix64(tag));
    let b = mix64(a ^ 0x6A09_E667_F3BC_C909);
    let c = mix64(b ^ tag);
    let d = mix64(c);
    let state = ((a as u128) << 64) | b as u128;
    let selector = ((c as u128) << 64) | d as u128;
    let mut rng = Pcg64::new(state, selector);
    // Discard one output so that the first value is well mixed.
    let _ = rand::Rng::next_u64(&mut rng);
    rng
}

/// Convenience for tests and tools: a generator seeded from a plain `u64`.
pub fn from_seed(seed: u64) -> SimRng {
    Pcg64::seed_from_u64(seed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    #[test]
    fn streams_are_reproducible_and_distinct() {
        let id = |kind, index| StreamId { kind, index };
        let mut a1 = stream(7, id(1, 0));
        let mut a2 = stream(7, id(1, 0));
        let mut b = stream(7, id(1, 1));
        let mut c = stream(8, id(1, 0));
        let xs: Vec<u64> = (0..4).map(|_| a1.next_u64()).collect();
        let ys: Vec<u64> = (0..4).map(|_| a2.next_u64()).collect();
        let zs: Vec<u64> = (0..4).map(|_| b.next_u64()).collect();
        let ws: Vec<u64> = (0..4).map(|_| c.next_u64()).collect();
        assert_eq!(xs, ys);
        assert_ne!(xs, zs);
        assert_ne!(xs, ws);
    }

    /// `mix64` is the SplitMix64 output function: from state 0, stepping by
    /// the golden-ratio increment, it gives the reference generator's
    /// published first outputs.
    #[test]
    fn mix64_is_splitmix64() {
        let expected = [
            0xE220_A839_7B1D_CDAF,
            0x6E78_9E6A_A1B9_65F4,
            0x06C4_5D18_8009_454F,
            0xF88B_B8A8_724C_81EC,
        ];
        let mut state = 0u64;
        for e in expected {
            assert_eq!(mix64(state), e);
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        }
    }

    /// A replication's seed and a stream's first numbers are fixed: a seed
    /// written to a manifest must reproduce its run in later versions, so
    /// any change to the derivation shows here (values recorded from this
    /// derivation, 2 December 2026).
    #[test]
    fn seeds_and_streams_are_those_recorded() {
        let r = replication_seed(7, 3);
        assert_eq!(r, 0x67A7_B461_4602_3675);
        let mut g = stream(r, StreamId { kind: 2, index: 5 });
        assert_eq!(
            [g.next_u64(), g.next_u64()],
            [0xC793_01D8_A953_1EF1, 0x0E9A_EE78_45F9_E898]
        );
    }

    #[test]
    fn replication_seeds_differ() {
        let s: std::collections::HashSet<u64> = (0..1000).map(|r| replication_seed(1, r)).collect();
        assert_eq!(s.len(), 1000);
    }
}
