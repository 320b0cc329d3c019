//! Random edits of a byte string, for the fuzz tests of the readers
//! (`tests/scenario_fuzz.rs`, `tests/shard_fuzz.rs`): each test draws
//! [`Mutation`]s with its own strategy and applies them with [`apply`].
#![allow(dead_code)]

/// One edit of a byte string.
#[derive(Clone, Debug)]
pub enum Mutation {
    /// Remove `len` bytes at `at` (positions are fractions of the length).
    Delete {
        at: f64,
        len: usize,
    },
    Insert {
        at: f64,
        bytes: Vec<u8>,
    },
    /// XOR the byte at `at` with `mask` (non-zero).
    Flip {
        at: f64,
        mask: u8,
    },
    Truncate {
        at: f64,
    },
    /// Replace the `nth` number-like run by an extreme value.
    Number {
        nth: usize,
        with: &'static str,
    },
    /// Repeat the line at `at` `times` times (more rows, duplicate tasks).
    RepeatLine {
        at: f64,
        times: usize,
    },
}

/// Applies one edit; positions are fractions of the current length, so an
/// edit always lands inside the bytes.
pub fn apply(bytes: &mut Vec<u8>, m: &Mutation) {
    let pos = |at: f64, len: usize| ((at * len as f64) as usize).min(len);
    match m {
        Mutation::Delete { at, len } => {
            let a = pos(*at, bytes.len());
            let b = (a + len).min(bytes.len());
            bytes.drain(a..b);
        }
        Mutation::Insert { at, bytes: ins } => {
            let a = pos(*at, bytes.len());
            bytes.splice(a..a, ins.iter().copied());
        }
        Mutation::Flip { at, mask } => {
            if !bytes.is_empty() {
                let a = pos(*at, bytes.len() - 1);
                bytes[a] ^= mask;
            }
        }
        Mutation::Truncate { at } => bytes.truncate(pos(*at, bytes.len())),
        Mutation::Number { nth, with } => {
            let mut runs = Vec::new();
            let mut i = 0;
            while i < bytes.len() {
                if bytes[i].is_ascii_digit() {
                    let start = if i > 0 && bytes[i - 1] == b'-' {
                        i - 1
                    } else {
                        i
                    };
                    let mut j = i;
                    while j < bytes.len()
                        && (bytes[j].is_ascii_alphanumeric() || matches!(bytes[j], b'.' | b'-'))
                    {
                        j += 1;
                    }
                    runs.push(start..j);
                    i = j;
                } else {
                    i += 1;
                }
            }
            if !runs.is_empty() {
                let r = runs[nth % runs.len()].clone();
                bytes.splice(r, with.bytes());
            }
        }
        Mutation::RepeatLine { at, times } => {
            let starts: Vec<usize> = std::iter::once(0)
                .chain(
                    bytes
                        .iter()
                        .enumerate()
                        .filter(|(_, b)| **b == b'\n')
                        .map(|(i, _)| i + 1),
                )
                .filter(|i| *i < bytes.len())
                .collect();
            if let Some(&a) = starts.get(pos(*at, starts.len().saturating_sub(1))) {
                let b = bytes[a..]
                    .iter()
                    .position(|c| *c == b'\n')
                    .map_or(bytes.len(), |e| a + e + 1);
                let line = bytes[a..b].to_vec();
                for _ in 0..*times {
                    bytes.splice(b..b, line.iter().copied());
                }
            }
        }
    }
}
