//! Inputs that once hung clearsim, exhausted memory, panicked or produced
//! silently wrong numbers: each now ends quickly, with exit code 2 and a
//! message naming the file (and, for scenarios, the place), or with
//! finite results. Every invocation runs under a time limit, so a
//! regression to a hang fails rather than stalls the suite.

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::repo_path;

/// What a bounded run of the binary produced.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs `clearsim ARGS` and fails the test if it takes longer than
/// `limit` (a hang) or panics.
fn clearsim_within(limit: Duration, args: &[&str]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_clearsim"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the clearsim binary runs");
    let (mut out, mut err) = (child.stdout.take().unwrap(), child.stderr.take().unwrap());
    let out_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        out.read_to_end(&mut s).ok();
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        err.read_to_end(&mut s).ok();
        s
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > limit {
            child.kill().ok();
            child.wait().ok();
            panic!("clearsim {args:?} did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let run = Run {
        code: status.code(),
        stdout: String::from_utf8_lossy(&out_reader.join().unwrap()).into_owned(),
        stderr: String::from_utf8_lossy(&err_reader.join().unwrap()).into_owned(),
    };
    assert!(
        !run.stderr.contains("panicked"),
        "clearsim {args:?} panicked:\n{}",
        run.stderr
    );
    run
}

const LIMIT: Duration = Duration::from_secs(60);

/// Runs `clearsim ARGS`, expecting exit code 2 and every fragment on stderr.
fn refused(args: &[&str], fragments: &[&str]) -> Run {
    let r = clearsim_within(LIMIT, args);
    assert_eq!(
        r.code,
        Some(2),
        "clearsim {args:?}: stdout:\n{}\nstderr:\n{}",
        r.stdout,
        r.stderr
    );
    for f in fragments {
        assert!(
            r.stderr.contains(f),
            "clearsim {args:?}: no {f:?} in:\n{}",
            r.stderr
        );
    }
    r
}

fn mm1() -> String {
    std::fs::read_to_string(repo_path("scenarios/validation/mm1.toml")).unwrap()
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// `validate` refuses a variant of the M/M/1 scenario, with each fragment.
fn mm1_refused(edit: impl Fn(String) -> String, fragments: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "s.toml", &edit(mm1()));
    let p = p.to_str().unwrap();
    let r = refused(&["validate", p], fragments);
    assert!(!r.stdout.contains("ok:"), "{}", r.stdout);
    assert!(r.stderr.contains(&format!("{p}:")), "{}", r.stderr);
}

#[test]
fn endless_horizons_are_refused() {
    let at_most = "expected at most 100000000 (10^8 h";
    mm1_refused(
        |s| s.replace("horizon_h = 20000", "horizon_h = 1e15"),
        &["horizon_h: got 1e15; ", at_most],
    );
    mm1_refused(
        |s| s.replace("horizon_h = 20000", "horizon_days = 1e308"),
        &["horizon_days: got 1e308; expected at most 4166666"],
    );
    // Rate 1e-305 over 1e308 h once put `inf` into summary.csv.
    mm1_refused(
        |s| {
            s.replace("horizon_h = 20000", "horizon_h = 1e308")
                .replace("rate_per_h = 0.8", "rate_per_h = 1e-305")
        },
        &["horizon_h: got 1e308"],
    );
    // Rate 0 and office hours over 1e17 h: counting open hours never ended.
    mm1_refused(
        |s| {
            s.replace("horizon_h = 20000", "horizon_h = 1e17")
                .replace("rate_per_h = 0.8", "rate_per_h = 0.0")
                .replace(
                    "capacity = 1\n",
                    "capacity = 1\ncalendar = \"office\"\n\n[calendars.office]\n\
                     days = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]\nhours = [[9, 17]]\n",
                )
        },
        &["horizon_h: got 1e17"],
    );
}

#[test]
fn overflowing_multipliers_are_refused() {
    let peaks = "\n[[streams.peaks]]\nfrom_h = 10\nuntil_h = 100\nmultiplier = 1e308\n\
                 \n[[streams.peaks]]\nfrom_h = 50\nuntil_h = 200\nmultiplier = 1e308\n";
    mm1_refused(
        |s| s + peaks,
        &[
            "streams[0].peaks[0].multiplier: got 1e308; expected a number from 0 to 1000",
            "streams[0].peaks[1].multiplier: got 1e308",
        ],
    );
    let hours = format!("hour_of_day = [{}]\n", vec!["1e308"; 24].join(", "));
    mm1_refused(
        |s| s.replace("rate_per_h = 0.8\n", &format!("rate_per_h = 0.8\n{hours}")),
        &["streams[0].hour_of_day[0]: got 1e308; expected a number from 0 to 1000"],
    );
    // Allowed multipliers whose overlap is too much.
    let stacked: String = (0..4)
        .map(|_| "\n[[streams.peaks]]\nfrom_h = 10\nuntil_h = 10.001\nmultiplier = 1000.0\n")
        .collect();
    mm1_refused(
        |s| s + &stacked,
        &[
            "streams[0].rate_per_h: the stream's largest rate",
            "at most 1e10",
        ],
    );
}

#[test]
fn demand_too_large_for_memory_is_refused_with_a_remedy() {
    mm1_refused(
        |s| s.replace("rate_per_h = 0.8", "rate_per_h = 1e9"),
        &["streams[0].rate_per_h: ", "lower the rate, volume_scale"],
    );
    mm1_refused(
        |s| s.replace("horizon_h = 20000", "horizon_h = 20000\nvolume_scale = 1e6"),
        &[
            "streams[0].rate_per_h: about 1.600e10 consignments would arrive per replication",
            "at most 1e9 are allowed: lower the rate, volume_scale or the horizon",
        ],
    );
}

#[test]
fn oversized_lists_are_refused_before_they_are_built() {
    let mut text = mm1();
    for i in 0..20_000 {
        text.push_str(&format!(
            "\n[[resources]]\nid = \"r{i}\"\nsite = \"port\"\ncapacity = 1\n\
             \n[[streams]]\nid = \"s{i}\"\nport = \"port\"\nrate_per_h = 0.001\n"
        ));
    }
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "many.toml", &text);
    refused(
        &["validate", p.to_str().unwrap()],
        &[
            "error: resources: 20001 entries; at most 5000 are allowed",
            "error: streams: 20001 entries; at most 2000 are allowed",
        ],
    );
}

#[test]
fn unknown_references_list_a_bounded_number_of_ids() {
    let mut text = mm1();
    for i in 0..3_000 {
        text.push_str(&format!(
            "\n[[sites]]\nid = \"site_{i:04}\"\nkind = \"sea_port\"\n\
             \n[[resources]]\nid = \"pool_{i}\"\nsite = \"harbour_{i}\"\ncapacity = 1\n"
        ));
    }
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "refs.toml", &text);
    let r = refused(
        &["validate", p.to_str().unwrap()],
        &[
            "resources[1].site: unknown site \"harbour_0\"; defined sites: port, site_0000, \
             site_0001, site_0002, site_0003, site_0004, site_0005, site_0006, site_0007, \
             site_0008 and 2991 more\n",
            "3000 errors found",
        ],
    );
    assert!(r.stderr.len() < 1_000_000, "{} bytes", r.stderr.len());
    // Many ids: ten listed, the rest counted, the nearest suggested.
    let mut text = mm1().replace("site = \"port\"", "site = \"prt\"");
    for i in 0..50 {
        text.push_str(&format!(
            "\n[[sites]]\nid = \"site_{i:02}\"\nkind = \"sea_port\"\n"
        ));
    }
    let p = write(dir.path(), "typo.toml", &text);
    refused(
        &["validate", p.to_str().unwrap()],
        &[
            "unknown site \"prt\"; defined sites: port, site_00, ",
            " and 41 more; did you mean \"port\"?",
        ],
    );
}

#[test]
fn an_endless_file_is_refused_without_reading_it_all() {
    if !Path::new("/dev/zero").exists() {
        return;
    }
    refused(
        &["validate", "/dev/zero"],
        &["/dev/zero: error: cannot read the scenario file: the file is larger than 64 MiB"],
    );
}

#[test]
fn thread_counts_plan_maxima_and_shard_counts_are_bounded() {
    let s = repo_path("scenarios/validation/mm1.toml");
    let s = s.to_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = out.to_str().unwrap();
    for n in ["18446744073709551615", "100000", "1025"] {
        refused(
            &["run", s, "--threads", n, "--out", o],
            &["--threads", "at most 1024"],
        );
    }
    refused(
        &[
            "plan",
            s,
            "--resource",
            "server",
            "--target",
            "wait_mean_h<=1",
            "--max",
            "0",
            "--out",
            o,
        ],
        &["--max", "0 is not in 1..=1000000"],
    );
    refused(
        &["run", s, "--shard", "1/4294967295", "--out", o],
        &["at most 100000"],
    );
    refused(
        &["run", s, "--reps", "2", "--shard", "1/3", "--out", o],
        &["more shards than the 2 (variant, replication) tasks"],
    );
    assert!(!out.exists());
}

#[test]
fn sweep_grids_are_bounded() {
    let s = repo_path("scenarios/validation/mm1.toml");
    let s = s.to_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let o = dir.path().join("out");
    refused(
        &[
            "sweep",
            s,
            "--set",
            "policy.inspection_rate=0:0.9999:0.0001",
            "--set",
            "policy.review_rate=0:0.9999:0.0001",
            "--out",
            o.to_str().unwrap(),
        ],
        &[
            "the grid has 200000000 variants (policy.inspection_rate (10000) × \
             policy.review_rate (10000) × policy.targeting (2))",
            "at most 10000 are allowed",
        ],
    );
    refused(
        &[
            "sweep",
            s,
            "--set",
            "policy.review_rate=0:0.9999:0.0001",
            "--reps",
            "11",
            "--out",
            o.to_str().unwrap(),
        ],
        &["10000 variants × 11 replications make 110000 runs; at most 100000"],
    );
    let list = vec!["0.5"; 10_001].join(",");
    refused(
        &[
            "sweep",
            s,
            "--set",
            &format!("policy.review_rate={list}"),
            "--out",
            o.to_str().unwrap(),
        ],
        &["the list has 10001 values; at most 10000"],
    );
    mm1_refused(
        |t| {
            t + "\n[experiment]\nkind = \"sweep\"\nset = [\"policy.inspection_rate=0:0.9999:0.0001\", \
                 \"policy.review_rate=0:0.9999:0.0001\"]\n"
        },
        &["experiment.set: the grid has 100000000 variants"],
    );
}

/// Two shards of a small run, and their untouched merge.
fn shards(dir: &Path) -> (PathBuf, PathBuf) {
    let text = mm1().replace("horizon_h = 20000", "horizon_h = 2000");
    let scenario = write(dir, "small.toml", &text);
    let mut dirs = Vec::new();
    for k in 1..=2 {
        let d = dir.join(format!("shard{k}"));
        let r = clearsim_within(
            LIMIT,
            &[
                "run",
                scenario.to_str().unwrap(),
                "--reps",
                "3",
                "--quiet",
                "--shard",
                &format!("{k}/2"),
                "--out",
                d.to_str().unwrap(),
            ],
        );
        assert_eq!(r.code, Some(0), "{}", r.stderr);
        dirs.push(d);
    }
    (dirs[0].clone(), dirs[1].clone())
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
}

/// A way of damaging a copy of a shard directory.
type Damage = Box<dyn Fn(&Path)>;

/// Records the partial files' present hashes in shard.json, as a careful
/// forger would, so that the checks of every row are reached.
fn rehash(dir: &Path) {
    use sha2::{Digest, Sha256};
    let path = dir.join("shard.json");
    let mut shard: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    for name in ["partial.csv", "partial_profiles.csv"] {
        let sha: String = Sha256::digest(std::fs::read(dir.join(name)).unwrap())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        shard["files"][name] = sha.into();
    }
    std::fs::write(&path, serde_json::to_string_pretty(&shard).unwrap()).unwrap();
}

#[test]
fn merge_refuses_damaged_or_altered_shards_naming_the_file() {
    let tmp = tempfile::tempdir().unwrap();
    let (one, two) = shards(tmp.path());
    let merge = |a: &Path, b: &Path| {
        let out = tmp.path().join("merged");
        let _ = std::fs::remove_dir_all(&out);
        clearsim_within(
            LIMIT,
            &[
                "merge",
                a.to_str().unwrap(),
                b.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ],
        )
    };
    let ok = merge(&one, &two);
    assert_eq!(ok.code, Some(0), "{}", ok.stderr);

    // Partial files are edited and their new hashes recorded, so that
    // each row check is reached; an edit that leaves the hash is "altered".
    let edit_text = |p: &Path, f: &dyn Fn(String) -> String| {
        let t = std::fs::read_to_string(p).unwrap();
        std::fs::write(p, f(t)).unwrap();
        if p.extension().is_some_and(|e| e == "csv") {
            rehash(p.parent().unwrap());
        }
    };
    let cases: Vec<(&str, Damage, &str)> = vec![
        (
            "truncated partial.csv",
            Box::new(move |d: &Path| {
                edit_text(&d.join("partial.csv"), &|t| {
                    t.lines().take(300).map(|l| format!("{l}\n")).collect()
                })
            }),
            "partial.csv: task 0 is incomplete or altered",
        ),
        (
            "a row deleted",
            Box::new(move |d: &Path| {
                edit_text(&d.join("partial.csv"), &|t| {
                    t.lines()
                        .enumerate()
                        .filter(|(i, _)| *i != 4)
                        .map(|(_, l)| format!("{l}\n"))
                        .collect()
                })
            }),
            "partial.csv: task 0 is incomplete or altered: its row 4",
        ),
        (
            "an unknown metric appended",
            Box::new(move |d: &Path| {
                edit_text(&d.join("partial.csv"), &|t| t + "0,all,bogus_metric,1\n")
            }),
            "partial.csv: task 0 is incomplete or altered",
        ),
        (
            "an empty partial_profiles.csv",
            Box::new(move |d: &Path| {
                std::fs::write(d.join("partial_profiles.csv"), "").unwrap();
                rehash(d);
            }),
            "partial_profiles.csv: the header is",
        ),
        (
            "partial_profiles.csv with its rows deleted",
            Box::new(move |d: &Path| {
                std::fs::write(
                    d.join("partial_profiles.csv"),
                    "task,group,metric,x,value\n",
                )
                .unwrap();
                rehash(d);
            }),
            "partial_profiles.csv: task 1 has other curves than task 0",
        ),
        (
            "a value changed, its hash not",
            Box::new(move |d: &Path| {
                let p = d.join("partial.csv");
                let t = std::fs::read_to_string(&p).unwrap();
                let mut lines: Vec<String> = t.lines().map(String::from).collect();
                lines[1].push('1');
                std::fs::write(&p, lines.join("\n") + "\n").unwrap();
            }),
            "partial.csv: altered after its shard wrote it",
        ),
        (
            "a curve point changed, its hash not",
            Box::new(move |d: &Path| {
                let p = d.join("partial_profiles.csv");
                let t = std::fs::read_to_string(&p).unwrap();
                std::fs::write(&p, t.replacen(",0,", ",0.5,", 1)).unwrap();
            }),
            "partial_profiles.csv: altered after its shard wrote it",
        ),
        (
            "a hash list without the curves",
            Box::new(move |d: &Path| {
                let p = d.join("shard.json");
                let mut v: serde_json::Value =
                    serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
                v["files"]
                    .as_object_mut()
                    .unwrap()
                    .remove("partial_profiles.csv");
                std::fs::write(&p, v.to_string()).unwrap();
            }),
            "shard.json: files lists [\"partial.csv\"]",
        ),
        (
            "a negative simulation time",
            Box::new(move |d: &Path| {
                let p = d.join("shard.json");
                let mut v: serde_json::Value =
                    serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
                v["wall_seconds"] = (-1.0).into();
                std::fs::write(&p, v.to_string()).unwrap();
            }),
            "shard.json: wall_seconds = -1",
        ),
        (
            "variants = 2^64 - 1",
            Box::new(move |d: &Path| {
                edit_text(&d.join("shard.json"), &|t| {
                    t.replace("\"variants\": 1,", "\"variants\": 18446744073709551615,")
                })
            }),
            "shard.json: variants = 18446744073709551615; expected 1 to 10000",
        ),
        (
            "a NaN value",
            Box::new(move |d: &Path| {
                edit_text(&d.join("partial.csv"), &|t| {
                    let mut lines: Vec<String> = t.lines().map(String::from).collect();
                    let cells: Vec<&str> = lines[1].split(',').collect();
                    lines[1] = format!("{},{},{},NaN", cells[0], cells[1], cells[2]);
                    lines.join("\n") + "\n"
                })
            }),
            "partial.csv row 2: \"NaN\" is not a finite number",
        ),
        (
            "format 99",
            Box::new(move |d: &Path| {
                edit_text(&d.join("shard.json"), &|t| {
                    t.replace("\"format\": 2,", "\"format\": 99,")
                })
            }),
            "shard.json: format 99 is not one this clearsim reads",
        ),
        (
            "rows for task 999",
            Box::new(move |d: &Path| {
                edit_text(&d.join("partial.csv"), &|t| t + "999,all,arrived,1\n")
            }),
            "task \"999\" is not one of this shard's tasks",
        ),
        (
            "a changed task seed",
            Box::new(move |d: &Path| {
                edit_text(&d.join("shard.json"), &|t| {
                    let at = t.find("\"seed\": ").unwrap() + 8;
                    let end = at + t[at..].find(',').unwrap();
                    let seed: u64 = t[at..end].parse().unwrap();
                    format!("{}{}{}", &t[..at], seed ^ 1, &t[end..])
                })
            }),
            "shard.json: task 0 has seed",
        ),
        (
            "378 GB of replications",
            Box::new(move |d: &Path| {
                edit_text(&d.join("shard.json"), &|t| {
                    t.replace("\"replications\": 3,", "\"replications\": 4000000000,")
                })
            }),
            "shard.json: replications = 4000000000; expected 1 to 100000",
        ),
    ];
    for (what, edit, expected) in cases {
        let damaged = tmp.path().join("damaged");
        let _ = std::fs::remove_dir_all(&damaged);
        copy_dir(&one, &damaged);
        edit(&damaged);
        let r = merge(&damaged, &two);
        assert_eq!(r.code, Some(2), "{what}: {}", r.stderr);
        assert!(
            r.stderr.contains(expected),
            "{what}: no {expected:?} in:\n{}",
            r.stderr
        );
    }
}

#[test]
fn plot_refuses_non_finite_numbers_naming_file_and_row() {
    let tmp = tempfile::tempdir().unwrap();
    let text = mm1().replace("horizon_h = 20000", "horizon_h = 2000");
    let scenario = write(tmp.path(), "small.toml", &text);
    let out = tmp.path().join("sweep");
    let r = clearsim_within(
        LIMIT,
        &[
            "sweep",
            scenario.to_str().unwrap(),
            "--set",
            "policy.inspection_rate=0.9,1.0",
            "--reps",
            "2",
            "--quiet",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    // No file a run writes holds inf or NaN.
    for e in std::fs::read_dir(&out).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "csv") {
            let t = std::fs::read_to_string(&p).unwrap();
            for cell in t.split([',', '\n']) {
                assert!(
                    cell.parse::<f64>().is_ok_and(f64::is_finite) || cell.parse::<f64>().is_err(),
                    "{}: cell {cell:?}",
                    p.display()
                );
            }
        }
    }
    let summary = out.join("summary.csv");
    let original = std::fs::read_to_string(&summary).unwrap();
    let mut lines: Vec<String> = original.lines().map(String::from).collect();
    let cells: Vec<&str> = lines[2].split(',').collect();
    lines[2] = format!(
        "{},{},{},inf,{},{}",
        cells[0], cells[1], cells[2], cells[4], cells[5]
    );
    std::fs::write(&summary, lines.join("\n") + "\n").unwrap();
    refused(
        &["plot", out.to_str().unwrap()],
        &["summary.csv: error: row 3: mean = inf is not a finite number"],
    );
    std::fs::write(&summary, original).unwrap();

    let frontier = out.join("frontier.csv");
    let t = std::fs::read_to_string(&frontier).unwrap();
    let mut lines: Vec<String> = t.lines().map(String::from).collect();
    let mut cells: Vec<String> = lines[1].split(',').map(String::from).collect();
    let last = cells.len() - 1;
    cells[last] = "NaN".into();
    lines[1] = cells.join(",");
    std::fs::write(&frontier, lines.join("\n") + "\n").unwrap();
    refused(
        &["plot", out.to_str().unwrap()],
        &[
            "frontier.csv: error: row 2: ",
            " = NaN is not a finite number",
        ],
    );
}

/// A million bad entries in one list: located fast, the first 1,000
/// listed, the rest counted.
#[test]
fn a_flood_of_problems_is_listed_briefly_and_quickly() {
    let days = vec!["\"someday\""; 1_000_000].join(", ");
    let text = mm1().replace(
        "capacity = 1\n",
        &format!(
            "capacity = 1\ncalendar = \"office\"\n\n[calendars.office]\ndays = [{days}]\nhours = [[9, 17]]\n"
        ),
    );
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "flood.toml", &text);
    let r = refused(
        &["validate", p.to_str().unwrap()],
        &[
            "calendars.office.days[0]: unknown day \"someday\"",
            "... and 999000 more problems, not listed (the first 1000 are)",
            "1000000 errors found",
        ],
    );
    assert!(
        r.stderr.lines().count() < 1_100,
        "{} lines",
        r.stderr.lines().count()
    );
}

/// The reproducer: a NUL in a peak, site or region name made a
/// malformed SVG and reached report.html. Every free-text name or id that
/// reaches an output gets the check `name` gets: no control character, a
/// bounded length, a located message.
#[test]
fn names_that_reach_outputs_are_checked_like_the_scenario_name() {
    let site = |t: String| t.replace("id = \"port\"\n", "id = \"port\"\nname = \"a\\u0000b\"\n");
    mm1_refused(
        site,
        &[
            "sites[0].name",
            "contains the control character '\\0'",
            "one plain line",
        ],
    );
    let peak = |t: String| {
        t + "\n[[streams.peaks]]\nname = \"Double \\u001b[31m11\"\nfrom_h = 10\nuntil_h = 20\nmultiplier = 2\n"
    };
    mm1_refused(
        peak,
        &[
            "streams[0].peaks[0].name",
            "contains the control character '\\u{1b}'",
        ],
    );
    let blank = |t: String| t.replace("id = \"port\"\n", "id = \"port\"\nname = \"  \"\n");
    mm1_refused(
        blank,
        &[
            "sites[0].name",
            "is blank; give a name, or leave `name` out",
        ],
    );
    let long = "x".repeat(121);
    mm1_refused(
        |t| {
            t.replace(
                "id = \"port\"\n",
                &format!("id = \"port\"\nname = \"{long}\"\n"),
            )
        },
        &["sites[0].name", "is 121 characters long; use at most 120"],
    );
    let long_id = "s".repeat(101);
    mm1_refused(
        |t| t.replace("id = \"arrivals\"", &format!("id = \"{long_id}\"")),
        &["streams[0].id", "is 101 characters long; use at most 100"],
    );
    mm1_refused(
        |t| {
            t.replace(
                "seed = 101",
                "description = \"line one\\nline two\\u0007\"\nseed = 101",
            )
        },
        &[
            "description",
            "contains the control character '\\u{7}'",
            "line breaks and tabs are allowed",
        ],
    );
    // A description of several lines is fine.
    let dir = tempfile::tempdir().unwrap();
    let ok = write(
        dir.path(),
        "ok.toml",
        &mm1().replace(
            "seed = 101",
            "description = \"line one\\nline two\\tand a tab\"\nseed = 101",
        ),
    );
    let r = clearsim_within(LIMIT, &["validate", ok.to_str().unwrap()]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
}

/// The reproducer: `=HYPERLINK(...)` reached sweep.csv as a
/// formula. Every CSV cell that a spreadsheet would evaluate starts with
/// `'`; negative numbers stay numbers.
#[test]
fn csv_cells_that_could_be_formulas_are_neutralised() {
    let tmp = tempfile::tempdir().unwrap();
    let text = mm1().replace("horizon_h = 20000", "horizon_h = 2000");
    let scenario = write(tmp.path(), "small.toml", &text);
    let out = tmp.path().join("sweep");
    let r = clearsim_within(
        LIMIT,
        &[
            "sweep",
            scenario.to_str().unwrap(),
            "--set",
            "name==HYPERLINK(\"example.com\";\"x\"),@SUM(A1)",
            "--reps",
            "2",
            "-q",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let mut formulas = 0;
    for file in ["sweep.csv", "summary.csv", "replications.csv"] {
        let mut reader = csv::Reader::from_path(out.join(file)).unwrap();
        for rec in reader.records() {
            for cell in rec.unwrap().iter() {
                let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
                assert!(
                    !risky || cell.parse::<f64>().is_ok(),
                    "{file}: a formula cell {cell:?}"
                );
                formulas += usize::from(cell.starts_with("'=") || cell.starts_with("'@"));
            }
        }
    }
    assert!(formulas >= 2, "the swept names were not written");
}

/// Validate warns about overload during a peak, not only on average: the
/// issue's Double 11 in double11_xray_plan reached a 27.5 h mean wait
/// unannounced. A peak that doubles M/M/1's arrivals (ρ = 1.6 for 100 h)
/// is named, with its hours and the work left when it ends; the same file
/// without the peak validates quietly.
#[test]
fn validate_warns_about_overload_during_a_peak() {
    let tmp = tempfile::tempdir().unwrap();
    let peak = "rate_per_h = 0.8\n[[streams.peaks]]\nname = \"Double 11\"\nfrom_h = 5000\n\
                until_h = 5100\nmultiplier = 2\n";
    let with = write(
        tmp.path(),
        "peak.toml",
        &mm1().replace("rate_per_h = 0.8\n", peak),
    );
    let r = clearsim_within(LIMIT, &["validate", with.to_str().unwrap()]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    for fragment in [
        "warning: resources[0].capacity: during \"Double 11\" (5000 h to 5100 h)",
        "offered load on \"server\" is 1.600 busy servers but only 1.000 are available",
        "about 60 h of work",
    ] {
        assert!(
            r.stderr.contains(fragment),
            "no {fragment:?} in:\n{}",
            r.stderr
        );
    }
    let without = write(tmp.path(), "plain.toml", &mm1());
    let r = clearsim_within(LIMIT, &["validate", without.to_str().unwrap()]);
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
    let study = repo_path("scenarios/studies/double11_xray_plan.toml");
    let r = clearsim_within(LIMIT, &["validate", study.to_str().unwrap()]);
    assert!(
        r.stderr.contains("during \"double_11\"") && r.stderr.contains("\"list_checkers\""),
        "{}",
        r.stderr
    );
}
