//! Bad input as a user meets it: every broken scenario in `tests/data/bad/`
//! makes both `clearsim validate` and `clearsim run` exit with code 2,
//! naming the file, the place (line:column and/or field path), what is wrong
//! and what would be valid, without a panic and without writing outputs.
//! Bad command lines are usage errors with the same exit code.

mod common;

use std::path::Path;
use std::process::Output;

use common::{clearsim, repo_path};

/// What a case's stderr must contain.
enum Expect {
    /// `FILE:LINE:COL: MESSAGE`, where LINE:COL is the position of the `|`
    /// marker inside `at`, a snippet (without the marker) that occurs
    /// exactly once in the file.
    At {
        at: &'static str,
        message: &'static str,
    },
    /// `FILE: MESSAGE`: a problem with the file as a whole (no position).
    Whole(&'static str),
}

use Expect::{At, Whole};

struct Case {
    file: &'static str,
    /// Errors counted in the closing `FILE: N errors found` line.
    errors: usize,
    expect: &'static [Expect],
}

const CASES: &[Case] = &[
    Case {
        file: "syntax_error.toml",
        errors: 1,
        expect: &[At {
            at: "never closed|\n",
            message: "error: invalid basic string, expected `\"`",
        }],
    },
    Case {
        file: "unknown_field.toml",
        errors: 1,
        expect: &[At {
            at: "|capacty = 2",
            message: "error: resources[0].capacty: unknown field `capacty`, \
                      expected one of `id`, `site`, `capacity`, `full_scale_capacity`, `calendar`; \
                      did you mean `capacity`?",
        }],
    },
    Case {
        file: "unknown_step.toml",
        errors: 1,
        expect: &[At {
            at: "[sites.steps.|inspektion]",
            message: "error: sites[0].steps.inspektion: unknown field `inspektion`, \
                      expected one of `lodgement`, `screening`, `review`, `inspection`, \
                      `scan`, `tax`, `release`, `sealing`, `arrival_confirmation`, `certificates`, `discharge`, `lab_test`; \
                      did you mean `inspection`?",
        }],
    },
    Case {
        file: "negative_rate.toml",
        errors: 1,
        expect: &[At {
            at: "rate_per_h = |-1.5",
            message: "error: streams[0].rate_per_h: got -1.5; expected a finite number >= 0",
        }],
    },
    Case {
        file: "nan_rate.toml",
        errors: 1,
        expect: &[At {
            at: "rate_per_h = |nan",
            message: "error: streams[0].rate_per_h: got NaN; expected a finite number >= 0",
        }],
    },
    Case {
        file: "missing_site.toml",
        errors: 1,
        expect: &[At {
            at: "port = |\"prot\"",
            message: "error: streams[0].port: unknown site \"prot\"; defined sites: port",
        }],
    },
    Case {
        file: "zero_capacity.toml",
        errors: 1,
        expect: &[At {
            at: "capacity = |0",
            message: "error: resources[0].capacity: resource \"servers\" has capacity 0 \
                      but consignments must pass through it; set capacity >= 1",
        }],
    },
    Case {
        file: "empty.toml",
        errors: 1,
        expect: &[Whole(
            "error: the file is empty; a scenario needs at least `name`, `horizon_days`, \
             [policy], [[sites]] and [[streams]]",
        )],
    },
    Case {
        file: "whitespace_only.toml",
        errors: 1,
        expect: &[Whole(
            "error: the file is empty; a scenario needs at least `name`, `horizon_days`, \
             [policy], [[sites]] and [[streams]]",
        )],
    },
    Case {
        file: "binary_garbage.toml",
        errors: 1,
        expect: &[At {
            at: "\"bad_binary\"\n|",
            message: "error: not a text file: invalid UTF-8 at byte 20; \
                      a scenario is a UTF-8 TOML file",
        }],
    },
    Case {
        file: "wrong_type.toml",
        errors: 1,
        expect: &[At {
            at: "capacity = |\"ten\"",
            message: "error: resources[0].capacity: invalid type: string \"ten\", \
                      expected an integer",
        }],
    },
    Case {
        file: "bad_distribution.toml",
        errors: 2,
        expect: &[
            At {
                at: "duration = |{ dist = \"lognormal\"",
                message: "error: sites[0].steps.review.duration: lognormal needs `sd` \
                          (it takes mean, sd)",
            },
            At {
                at: "duration = |{ dist = \"weibull\"",
                message: "error: sites[0].steps.inspection.duration.dist: unknown distribution \
                          \"weibull\"; expected one of: deterministic, exponential, uniform, \
                          triangular, lognormal, gamma, erlang, empirical",
            },
        ],
    },
    Case {
        file: "bad_supervision.toml",
        errors: 13,
        expect: &[
            At {
                at: "discrimination = |nan",
                message: "error: policy.discrimination: got NaN; expected a number from 0 to 10",
            },
            At {
                at: "credit_review = |{ advanced = 0.0 }",
                message: "error: policy.credit_review.advanced: got 0; expected a number > 0 and <= 1000000",
            },
            At {
                at: "pooled_data_gain = |-1.0",
                message: "error: regions[0].pooled_data_gain: got -1; expected a number from 0 to 10",
            },
            At {
                at: "inspection_rate = |1.5",
                message: "error: sites[1].supervision.inspection_rate: got 1.5; expected a number from 0 to 1",
            },
            At {
                at: "targeting = |\"psychic\"",
                message: "error: sites[1].supervision.targeting: got \"psychic\"; expected one of random, risk_based",
            },
            At {
                at: "alternative_ports = |[",
                message: "error: streams[0].alternative_ports[1]: unknown site \"nowhere\"; defined sites: customs_office, other_port, port",
            },
            At {
                at: "alternative_ports = |[",
                message: "error: streams[0].alternative_ports[2]: site \"customs_office\" is not an entry port",
            },
            At {
                at: "alternative_ports = |[",
                message: "error: streams[0].alternative_ports[3]: \"port\" is the stream's own port",
            },
            At {
                at: "alternative_ports = |[",
                message: "error: streams[0].alternative_ports[4]: \"other_port\" is listed twice",
            },
            At {
                at: "arbitrage_share = |2.0",
                message: "error: streams[0].arbitrage_share: got 2; expected a number from 0 to 1",
            },
            At {
                at: "arbitrage_share = 2.0\norder_mismatch_share = |0.1",
                message: "error: streams[0].order_mismatch_share: the three-orders check applies to cross-border e-commerce (ecommerce_9610, bonded_1210), not to general_trade",
            },
            At {
                at: "rate_per_h = 1.0\norder_mismatch_share = |0.1",
                message: "error: streams[1].order_rework: missing; a mismatch share needs the rework time before resubmission",
            },
            At {
                at: "diversion_share = |1.5",
                message: "error: links[0].diversion_share: got 1.5; expected a number from 0 to 1",
            },
        ],
    },
    Case {
        file: "bad_pooled_reviewers.toml",
        errors: 8,
        expect: &[
            At {
                at: "pooled_reviewers = |[\"port_reviewers\"]",
                message: "error: regions[0].pooled_reviewers: pooled reviewers work for the region's clearance centre; give the region a centre",
            },
            At {
                at: "pooled_reviewers = |[\"port_reviewers\", \"ghost\"",
                message: "error: regions[1].pooled_reviewers[1]: unknown resource \"ghost\"; defined resources: far_reviewers, port_inspectors, port_reviewers",
            },
            At {
                at: "pooled_reviewers = |[\"port_reviewers\", \"ghost\"",
                message: "error: regions[1].pooled_reviewers[2]: resource \"port_inspectors\" does not do its site's document review",
            },
            At {
                at: "pooled_reviewers = |[\"port_reviewers\", \"ghost\"",
                message: "error: regions[1].pooled_reviewers[3]: resource \"far_reviewers\" works at \"far_port\", outside region \"south\"",
            },
            At {
                at: "pooled_reviewers = |[\"port_reviewers\", \"ghost\"",
                message: "error: regions[1].pooled_reviewers[4]: resource \"port_reviewers\" is pooled twice",
            },
            At {
                at: "pooled_reviewers = |[\"port_reviewers\", \"ghost\"",
                message: "error: regions[1].pooled_reviewers: the centre \"south_centre\" has no review duration",
            },
            At {
                at: "mean = 1.0 }\nin_line = |true",
                message: "error: sites[1].steps.inspection.in_line: in_line (every consignment through the scanner) only applies to the scan step",
            },
            At {
                at: "share = |0.5",
                message: "error: sites[1].steps.scan.share: an in-line scanner scans every consignment and screening targets the manual opening; remove share or in_line",
            },
        ],
    },
    Case {
        file: "warmup_after_horizon.toml",
        errors: 1,
        expect: &[At {
            at: "warmup_days = |5",
            message: "error: warmup_days: warm-up (120 h) must be shorter than the horizon (48 h)",
        }],
    },
    Case {
        // A bad horizon must not also produce a warm-up error quoting a
        // horizon that is not in the file.
        file: "zero_horizon.toml",
        errors: 1,
        expect: &[At {
            at: "horizon_h = |0",
            message: "error: horizon_h: got 0; expected a duration > 0",
        }],
    },
    Case {
        file: "several_problems.toml",
        errors: 4,
        expect: &[
            At {
                at: "inspection_rate = |1.5",
                message: "error: policy.inspection_rate: got 1.5; expected a number from 0 to 1",
            },
            At {
                at: "resource = |\"inspectors\"",
                message: "error: sites[0].steps.inspection.resource: unknown resource \
                          \"inspectors\"; defined resources: servers",
            },
            At {
                at: "site = |\"harbour\"",
                message: "error: resources[0].site: unknown site \"harbour\"; defined sites: port",
            },
            At {
                at: "prohibited_share = |-0.1",
                message: "error: streams[0].prohibited_share: got -0.1; \
                          expected a number from 0 to 1",
            },
        ],
    },
    Case {
        file: "dated_peak_without_start_date.toml",
        errors: 2,
        expect: &[
            At {
                at: "from = |2026-11-11",
                message: "error: streams[0].peaks[0].from: a dated peak needs the scenario's \
                          start_date (e.g. start_date = 2026-11-01), or give from_h",
            },
            At {
                at: "until = |2026-11-14",
                message: "error: streams[0].peaks[0].until: a dated peak needs the scenario's \
                          start_date (e.g. start_date = 2026-11-01), or give until_h",
            },
        ],
    },
    Case {
        file: "unknown_calendar.toml",
        errors: 1,
        expect: &[At {
            at: "calendar = |\"ofice\"",
            message: "error: resources[0].calendar: unknown calendar \"ofice\"; \
                      defined calendars: 7x24, office",
        }],
    },
    Case {
        file: "duplicate_id.toml",
        errors: 1,
        expect: &[At {
            at: "[[resources]]\nid = |\"servers\"\nsite = \"port\"\ncapacity = 3",
            message: "error: resources[1].id: duplicate resource id \"servers\", \
                      already used by resources[0]; resource ids must be unique",
        }],
    },
    Case {
        file: "bad_time_release.toml",
        errors: 4,
        expect: &[
            At {
                at: "party = |\"broker\"",
                message: "error: sites[0].steps.lodgement.party: unknown party \"broker\"; \
                          valid: \"customs\", \"other_agency\", \"trader\", \"logistics\"",
            },
            At {
                at: "resource = |\"cranes\"",
                message: "error: sites[0].steps.discharge.resource: discharge is the port's own time",
            },
            At {
                at: "certificate_share = |1.5",
                message: "error: streams[0].certificate_share: got 1.5; expected a number from 0 to 1",
            },
            At {
                at: "advance_lead = |{",
                message: "error: streams[0].advance_lead: exponential: mean must be a finite number > 0, got -24",
            },
        ],
    },
    Case {
        file: "huge_horizon.toml",
        errors: 2,
        expect: &[
            At {
                at: "horizon_h = |1e15",
                message: "error: horizon_h: got 1e15; expected at most 100000000 \
                          (10^8 h, the longest simulated time)",
            },
            At {
                at: "warmup_days = |1e308",
                message: "error: warmup_days: got 1e308; expected at most 4166666.6666666665 \
                          (10^8 h, the longest simulated time)",
            },
        ],
    },
    Case {
        file: "huge_multipliers.toml",
        errors: 3,
        expect: &[
            At {
                at: "hour_of_day = |[",
                message: "error: streams[0].hour_of_day[12]: got 1e308; expected a number from 0 to 1000",
            },
            At {
                at: "multiplier = |1e308",
                message: "error: streams[0].peaks[0].multiplier: got 1e308; expected a number from 0 to 1000",
            },
            At {
                at: "rate_per_h = |0.8",
                message: "error: streams[0].rate_per_h: the stream's largest rate (rate × volume_scale \
                          × its largest hour, day and overlapping peak multipliers) is 8.000e8/h, \
                          8.000e11 candidate arrivals over the horizon; at most 1e10 are allowed: \
                          lower the rate, volume_scale, the multipliers or the horizon",
            },
        ],
    },
    Case {
        file: "huge_values.toml",
        errors: 2,
        expect: &[
            At {
                at: "duration = |{ dist = \"empirical\"",
                message: "error: sites[0].steps.inspection.duration: empirical: the weights add up \
                          to inf; give weights whose sum is a finite number (they are relative: \
                          [1, 1] is the same as [1e300, 1e300])",
            },
            At {
                at: "value = |{ dist = \"deterministic\"",
                message: "error: streams[0].value.value: deterministic: got 1e308; expected at most \
                          1e12 (hours for a duration, yuan for a value)",
            },
        ],
    },
    Case {
        file: "huge_demand.toml",
        errors: 2,
        expect: &[
            At {
                at: "rate_per_h = |1e9",
                message: "error: streams[0].rate_per_h: about 6.000e11 consignments would arrive \
                          per replication (rate × volume_scale × horizon, with hour, day and peak \
                          multipliers); at most 1e9 are allowed: lower the rate, volume_scale or \
                          the horizon",
            },
            At {
                at: "rate_per_day = |2.4e7",
                message: "error: streams[1].rate_per_day: about 1.200e9 consignments would arrive \
                          per replication (the sum over streams of rate × volume_scale × horizon, \
                          with hour, day and peak multipliers; this stream 6.000e8); at most 1e9 \
                          are allowed: lower the rates, volume_scale or the horizon",
            },
        ],
    },
];

/// 1-based line and column (in characters) of the `|` marker of `at` in
/// `text`, checking that the snippet occurs exactly once.
fn marker_position(file: &str, text: &str, at: &str) -> (usize, usize) {
    let marker = at.find('|').expect("the snippet has a | marker");
    let snippet = at.replacen('|', "", 1);
    let found: Vec<usize> = text.match_indices(&snippet).map(|(i, _)| i).collect();
    assert_eq!(
        found.len(),
        1,
        "{file}: snippet {snippet:?} must occur exactly once"
    );
    let offset = found[0] + marker;
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Checks one invocation on a bad file; returns its problems (empty if none).
fn check_bad(case: &Case, label: &str, path: &str, text: &str, o: &Output) -> Vec<String> {
    let err = stderr(o);
    let mut problems = Vec::new();
    if o.status.code() != Some(2) {
        problems.push(format!("exit status {:?}, expected code 2", o.status));
    }
    if err.contains("panicked") {
        problems.push("panicked".into());
    }
    if String::from_utf8_lossy(&o.stdout).contains("ok:") {
        problems.push("stdout says ok".into());
    }
    let noun = if case.errors == 1 { "error" } else { "errors" };
    let closing = format!(
        "{path}: {} {noun} found; the scenario was not run",
        case.errors
    );
    let mut wanted = vec![closing];
    for e in case.expect {
        wanted.push(match e {
            At { at, message } => {
                let (l, c) = marker_position(case.file, text, at);
                format!("{path}:{l}:{c}: {message}")
            }
            Whole(message) => format!("{path}: {message}"),
        });
    }
    for w in wanted {
        if !err.contains(&w) {
            problems.push(format!("stderr lacks {w:?}"));
        }
    }
    // Every error line names the file first.
    for line in err.lines().filter(|l| l.contains("error")) {
        if !line.starts_with(path) {
            problems.push(format!("error line does not start with the file: {line:?}"));
        }
    }
    problems
        .into_iter()
        .map(|p| format!("{} ({label}): {p}\n--- stderr:\n{err}", case.file))
        .collect()
}

#[test]
fn every_bad_file_exits_2_naming_the_file_place_and_remedy() {
    let mut failures = Vec::new();
    for case in CASES {
        let path = repo_path(&format!("tests/data/bad/{}", case.file));
        let bytes = std::fs::read(&path).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        let p = path.to_str().unwrap();

        let o = clearsim(&["validate", p]);
        failures.extend(check_bad(case, "validate", p, &text, &o));

        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let o = clearsim(&["run", p, "--out", out.to_str().unwrap(), "--reps", "1"]);
        failures.extend(check_bad(case, "run", p, &text, &o));
        for f in ["summary.csv", "replications.csv", "manifest.json"] {
            if out.join(f).exists() {
                failures.push(format!("{} (run): wrote {f} for a bad scenario", case.file));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// All problems of one file come from one run, each on its own line.
#[test]
fn several_problems_are_all_reported_at_once() {
    let path = repo_path("tests/data/bad/several_problems.toml");
    let o = clearsim(&["validate", path.to_str().unwrap()]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    let error_lines = err.lines().filter(|l| l.contains(": error: ")).count();
    assert_eq!(error_lines, 4, "{err}");
    for field in [
        "policy.inspection_rate",
        "resources[0].site",
        "sites[0].steps.inspection.resource",
        "streams[0].prohibited_share",
    ] {
        assert!(
            err.contains(&format!("error: {field}: ")),
            "{field}:\n{err}"
        );
    }
}

/// Every file in the corpus is covered by a case, and each case's file
/// exists; the binary one really is not UTF-8.
#[test]
fn the_corpus_and_the_table_agree() {
    let dir = repo_path("tests/data/bad");
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut in_table: Vec<String> = CASES.iter().map(|c| c.file.to_string()).collect();
    in_table.sort();
    assert_eq!(on_disk, in_table);

    let garbage = std::fs::read(dir.join("binary_garbage.toml")).unwrap();
    let e = std::str::from_utf8(&garbage).unwrap_err();
    assert_eq!(e.valid_up_to(), 20);
    assert!(std::fs::read(dir.join("empty.toml")).unwrap().is_empty());
}

fn assert_usage_error(args: &[&str], fragments: &[&str]) {
    let o = clearsim(args);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "clearsim {args:?}: {err}");
    assert!(!err.contains("panicked"), "clearsim {args:?}: {err}");
    for f in fragments {
        assert!(err.contains(f), "clearsim {args:?}: no {f:?} in:\n{err}");
    }
}

#[test]
fn a_missing_file_exits_2_and_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no_such_scenario.toml");
    let m = missing.to_str().unwrap();
    let out = dir.path().join("out");
    let expected = format!("{m}: error: cannot read the scenario file: ");
    assert_usage_error(&["validate", m], &[&expected, "the scenario was not run"]);
    assert_usage_error(&["run", m, "--out", out.to_str().unwrap()], &[&expected]);
    assert!(!out.join("summary.csv").exists());
}

#[test]
fn a_directory_as_the_scenario_exits_2_and_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    assert_usage_error(
        &["validate", d],
        &[&format!("{d}: error: cannot read the scenario file: ")],
    );
}

#[test]
fn bad_command_lines_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = out.to_str().unwrap();
    assert_usage_error(
        &["run", "--reps", "0", "--out", o],
        &["--reps", "0 is not in 1..=100000"],
    );
    assert!(!Path::new(&out).join("summary.csv").exists());
    assert_usage_error(
        &["run", "--reps", "many", "--out", o],
        &["invalid value 'many' for '--reps <N>'"],
    );
    assert_usage_error(
        &["run", "--seed=-1", "--out", o],
        &["invalid value '-1' for '--seed <N>'"],
    );
    assert_usage_error(&["frobnicate"], &["unrecognized subcommand 'frobnicate'"]);
    assert_usage_error(&["validate"], &["<SCENARIO>"]);
    assert_usage_error(&[], &["Usage"]);
}
