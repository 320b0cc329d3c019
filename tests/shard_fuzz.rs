//! No shard folder makes `clearsim merge` panic, hang or allocate without
//! bound: arbitrary bytes in place of a shard's files, and random mutations
//! of a real shard pair's `shard.json`, `partial.csv` and
//! `partial_profiles.csv`, give either merged results or a located error.
//!
//! The shards are made once per test run by the real binary (an M/M/1 with
//! a short horizon, split 1/2 and 2/2). A mutated partial file usually gets
//! its hash recomputed in `shard.json`, so that the case reaches the rows'
//! checks and the model's layout check instead of stopping at the hash.
//! [`clearsim::cli::read_shards`] (the reading half of merge) runs in
//! process, 500 cases per property; the whole `merge` command (reading,
//! checking against the model, writing the outputs) 48 cases. Both take a
//! few seconds in release. `CLEARSIM_FUZZ_CASES=20000 cargo test --release
//! --test shard_fuzz` searches longer (the whole-merge property runs a tenth
//! as many).

mod common;
#[path = "common/mutation.rs"]
mod mutation;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use clearsim::cli::{Cli, InputError, read_shards};
use clearsim::experiment::Diverged;
use common::{clearsim, repo_path};
use mutation::{Mutation, apply};
use proptest::prelude::*;
use sha2::Digest;

const FILES: [&str; 3] = ["shard.json", "partial.csv", "partial_profiles.csv"];

/// The two shards as written: per shard, each file's bytes (in [`FILES`]
/// order), and the folder that holds the scenario they ran.
struct Original {
    shards: [[Vec<u8>; 3]; 2],
    _dir: tempfile::TempDir,
}

fn original() -> &'static Original {
    static ONCE: OnceLock<Original> = OnceLock::new();
    ONCE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        // A short horizon: a few hundred consignments per replication.
        let text = std::fs::read_to_string(repo_path("scenarios/validation/mm1.toml"))
            .unwrap()
            .replace("horizon_h = 20000", "horizon_h = 300")
            .replace("warmup_h = 1000", "warmup_h = 20");
        let scenario = dir.path().join("mm1_short.toml");
        std::fs::write(&scenario, text).unwrap();
        let read = |k: u32| -> [Vec<u8>; 3] {
            let out = dir.path().join(format!("s{k}"));
            let o = clearsim(&[
                "run",
                scenario.to_str().unwrap(),
                "--reps",
                "3",
                "--shard",
                &format!("{k}/2"),
                "--out",
                out.to_str().unwrap(),
                "--quiet",
            ]);
            assert!(
                o.status.success(),
                "shard {k}: {}",
                String::from_utf8_lossy(&o.stderr)
            );
            FILES.map(|f| std::fs::read(out.join(f)).unwrap())
        };
        Original {
            shards: [read(1), read(2)],
            _dir: dir,
        }
    })
}

const EXTREMES: &[&str] = &[
    "0",
    "-1",
    "1e308",
    "-1e308",
    "NaN",
    "inf",
    "1e-320",
    "4294967295",
    "4294967296",
    "18446744073709551615",
    "18446744073709551616",
    "9223372036854775807",
    "99999999999999999999999",
    "100000",
    "100001",
    "\"\"",
    "null",
    "[]",
    "{}",
];

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (0.0..1.0, 1usize..64).prop_map(|(at, len)| Mutation::Delete { at, len }),
        (0.0..1.0, prop::collection::vec(any::<u8>(), 1..16))
            .prop_map(|(at, bytes)| Mutation::Insert { at, bytes }),
        (0.0..1.0, 1u8..=255).prop_map(|(at, mask)| Mutation::Flip { at, mask }),
        (0.0..1.0).prop_map(|at| Mutation::Truncate { at }),
        (0usize..400, prop::sample::select(EXTREMES))
            .prop_map(|(nth, with)| Mutation::Number { nth, with }),
        (0.0..1.0, 1usize..8).prop_map(|(at, times)| Mutation::RepeatLine { at, times }),
    ]
}

/// A case: which shard and file to edit, the edits, and whether to record
/// the edited partial file's new hash in `shard.json`.
#[derive(Clone, Debug)]
struct Case {
    shard: usize,
    file: usize,
    edits: Vec<Mutation>,
    rehash: bool,
}

fn case() -> impl Strategy<Value = Case> {
    (
        0usize..2,
        0usize..3,
        prop::collection::vec(mutation(), 1..4),
        prop::bool::weighted(0.8),
    )
        .prop_map(|(shard, file, edits, rehash)| Case {
            shard,
            file,
            edits,
            rehash,
        })
}

/// Writes the shard pair into `dir` with `file` of `shard` replaced by
/// `bytes` (its hash recorded in `shard.json` when `rehash` and the JSON
/// still parses); returns the two shard folders.
fn write_shards(dir: &Path, shard: usize, file: usize, bytes: &[u8], rehash: bool) -> [PathBuf; 2] {
    let o = original();
    let dirs = [dir.join("s1"), dir.join("s2")];
    for (k, d) in dirs.iter().enumerate() {
        std::fs::create_dir_all(d).unwrap();
        let mut files = o.shards[k].clone();
        if k == shard {
            files[file] = bytes.to_vec();
            if rehash && file > 0 {
                let json: Result<serde_json::Value, _> = serde_json::from_slice(&files[0]);
                if let Ok(mut v) = json {
                    let hash: String = sha2::Sha256::digest(bytes)
                        .iter()
                        .map(|b| format!("{b:02x}"))
                        .collect();
                    if let Some(f) = v.get_mut("files").and_then(|f| f.as_object_mut()) {
                        f.insert(FILES[file].to_string(), serde_json::Value::String(hash));
                    }
                    files[0] = serde_json::to_vec_pretty(&v).unwrap();
                }
            }
        }
        for (name, b) in FILES.iter().zip(&files) {
            std::fs::write(d.join(name), b).unwrap();
        }
    }
    dirs
}

/// Reads the shards: results, or an error that says something.
fn read_never_panics(dirs: &[PathBuf]) -> Result<(), TestCaseError> {
    match read_shards(dirs) {
        Ok(set) => {
            prop_assert_eq!(set.merged.len(), 1);
            prop_assert_eq!(set.merged[0].len(), 3);
        }
        Err(e) => {
            prop_assert!(
                e.downcast_ref::<InputError>().is_some(),
                "not bad input: {e:#}"
            );
            prop_assert!(!e.to_string().trim().is_empty());
        }
    }
    Ok(())
}

fn cases(default: u32, share: u32) -> u32 {
    std::env::var("CLEARSIM_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse::<u32>().ok())
        .map_or(default, |n| (n / share).max(1))
}

#[test]
fn unaltered_shards_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = original().shards[0][0].clone();
    let dirs = write_shards(dir.path(), 0, 0, &bytes, false);
    let set = read_shards(&dirs).unwrap();
    assert_eq!(set.merged.len(), 1);
    assert_eq!(set.merged[0].len(), 3);
    assert!(!set.merged[0][0].observations.is_empty());
    assert!(read_shards(&[]).is_err());
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(500, 1),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn arbitrary_bytes_never_panic(
        shard in 0usize..2,
        file in 0usize..3,
        bytes in prop::collection::vec(any::<u8>(), 0..512),
        rehash in any::<bool>(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let dirs = write_shards(dir.path(), shard, file, &bytes, rehash);
        read_never_panics(&dirs)?;
    }

    #[test]
    fn mutated_shards_never_panic(c in case()) {
        let mut bytes = original().shards[c.shard][c.file].clone();
        for m in &c.edits {
            apply(&mut bytes, m);
        }
        let dir = tempfile::tempdir().unwrap();
        let dirs = write_shards(dir.path(), c.shard, c.file, &bytes, c.rehash);
        read_never_panics(&dirs)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(48, 10),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// The whole merge, in process: reading, the check against the model,
    /// and writing the outputs. Bad input is exit 2 (an `InputError`, or a
    /// divergence); nothing panics.
    #[test]
    fn mutated_shards_merge_or_refuse(c in case()) {
        let mut bytes = original().shards[c.shard][c.file].clone();
        for m in &c.edits {
            apply(&mut bytes, m);
        }
        let dir = tempfile::tempdir().unwrap();
        let [d1, d2] = write_shards(dir.path(), c.shard, c.file, &bytes, c.rehash);
        let out = dir.path().join("out");
        let cli = <Cli as clap::Parser>::try_parse_from([
            "clearsim".as_ref(),
            "merge".as_ref(),
            d1.as_os_str(),
            d2.as_os_str(),
            "--out".as_ref(),
            out.as_os_str(),
        ])
        .unwrap();
        if let Err(e) = clearsim::cli::run(cli) {
            prop_assert!(
                e.downcast_ref::<InputError>().is_some() || e.downcast_ref::<Diverged>().is_some(),
                "not bad input: {e:#}"
            );
        }
    }
}
