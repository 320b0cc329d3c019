//! No input makes scenario parsing panic: arbitrary bytes and text,
//! generated scenario-shaped documents with bad values, and random mutations
//! of the shipped default scenario all give either a scenario or a
//! displayable error that names the file.
//!
//! 500 cases per property by default (well under a second in release);
//! `CLEARSIM_FUZZ_CASES=100000 cargo test --release --test scenario_fuzz`
//! searches longer.

#[path = "common/mutation.rs"]
mod mutation;

use clearsim::scenario::{self, BUILTIN_DEFAULT};
use mutation::{Mutation, apply};
use proptest::prelude::*;

/// Parses `bytes`; on error, formats the message (which must name the file).
fn parse_never_panics(bytes: &[u8]) -> Result<(), TestCaseError> {
    match scenario::parse("fuzz.toml", bytes) {
        Ok(s) => {
            prop_assert!(!s.name.is_empty());
            let _ = scenario::diagnostics_text("fuzz.toml", &s.warnings);
        }
        Err(e) => {
            prop_assert!(e.errors() >= 1, "an error without diagnostics: {e:?}");
            let shown = e.to_string();
            prop_assert!(shown.starts_with("fuzz.toml"), "{shown}");
        }
    }
    Ok(())
}

const EXTREMES: &[&str] = &[
    "0",
    "-0",
    "-1",
    "0.0",
    "-0.5",
    "1e308",
    "-1e308",
    "1e-320",
    "nan",
    "-nan",
    "inf",
    "-inf",
    "9223372036854775807",
    "-9223372036854775808",
    "4294967296",
    "99999999999999999999",
    "\"7\"",
    "[]",
    "{}",
    "true",
    "1979-05-27T07:32:00Z",
    "0000-01-01",
    "9999-12-31",
];

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (0.0..1.0, 1usize..200).prop_map(|(at, len)| Mutation::Delete { at, len }),
        (0.0..1.0, prop::collection::vec(any::<u8>(), 1..16))
            .prop_map(|(at, bytes)| Mutation::Insert { at, bytes }),
        (0.0..1.0, 1u8..=255).prop_map(|(at, mask)| Mutation::Flip { at, mask }),
        (0.0..1.0).prop_map(|at| Mutation::Truncate { at }),
        (0usize..200, prop::sample::select(EXTREMES))
            .prop_map(|(nth, with)| Mutation::Number { nth, with }),
    ]
}

/// Builds scenario-shaped documents from a stream of choice bytes: every
/// section and key of the format, with values that are mostly good and
/// otherwise drawn from pools of out-of-range, dangling, extreme or (rarely)
/// wrongly typed ones, or left out. The TOML is always well formed, so the
/// cases reach validation; how hostile a document is varies, so some are
/// valid and reach the capacity and load checks. A choice byte of 0 picks
/// the good value, so shrinking leads towards a valid scenario.
struct Gen<'a> {
    choices: &'a [u8],
    next: usize,
    /// Choice bytes below this pick the good value.
    good_below: usize,
    doc: String,
}

const FLOATS: &[&str] = &[
    "0.0", "-1.0", "0.5", "2", "1e308", "1e-308", "nan", "inf", "-inf",
];
const PROBS: &[&str] = &["0.0", "1.0", "1.5", "-0.1", "nan", "inf"];
const INTS: &[&str] = &[
    "0",
    "-1",
    "1",
    "100001",
    "4294967296",
    "9223372036854775807",
    "-9223372036854775808",
];
const NAMES: &[&str] = &["\"\"", "\".x\"", "\"a b\"", "\"dup\""];
const SITE_REFS: &[&str] = &["\"p\"", "\"q\"", "\"nowhere\"", "\"\""];
const RES_REFS: &[&str] = &["\"r\"", "\"s\"", "\"none\"", "\"\""];
const CAL_REFS: &[&str] = &["\"c\"", "\"7x24\"", "\"unknown\"", "\"\""];
const KINDS: &[&str] = &["\"customs\"", "\"postal_hub\"", "\"moon\""];
const MODES: &[&str] = &["\"teleport\""];
const DATES: &[&str] = &[
    "2026-11-11",
    "2026-11-02",
    "0001-01-01",
    "9999-12-31",
    "2026-11-11T08:00:00",
    "2026-11-11T08:00:00+08:00",
    "08:00:00",
];
const DAYS: &[&str] = &["[]", "[\"someday\"]", "[\"SUN\", \"sun\"]"];
const HOURS: &[&str] = &[
    "[[0, 24]]",
    "[]",
    "[[17, 9]]",
    "[[0, 25]]",
    "[[-1, 3]]",
    "[[1, 2, 3]]",
    "[[9223372036854775807, -9223372036854775808]]",
];
const DISTS: &[&str] = &[
    "{ dist = \"exponential\", mean = 0.0 }",
    "{ dist = \"deterministic\", value = 0.0 }",
    "{ dist = \"deterministic\" }",
    "{ dist = \"deterministic\", value = 1.0, mean = 1.0 }",
    "{ dist = \"uniform\", min = 2.0, max = 1.0 }",
    "{ dist = \"triangular\", min = 1.0, mode = 1.0, max = 1.0 }",
    "{ dist = \"triangular\", min = 0.0, mode = 1e308, max = 1e308 }",
    "{ dist = \"lognormal\", mean = 1.0, sd = 1e300 }",
    "{ dist = \"lognormal\", mean = 1e-300, sd = 1e300 }",
    "{ dist = \"gamma\", shape = 1e-300, mean = 1.0 }",
    "{ dist = \"gamma\", shape = 1e300, mean = 1e-300 }",
    "{ dist = \"erlang\", k = 9223372036854775807, mean = 1.0 }",
    "{ dist = \"erlang\", k = 0, mean = 1.0 }",
    "{ dist = \"empirical\", values = [] }",
    "{ dist = \"empirical\", values = [1.0, 2.0], weights = [0.0, 0.0] }",
    "{ dist = \"empirical\", values = [1.0], weights = [1e308, 1e308] }",
    "{ dist = \"empirical\", values = [1e308, 1e308], weights = [1e308, 1e308] }",
    "{ dist = \"nope\", value = 1 }",
    "{ mean = 1.0 }",
    "{}",
];

impl Gen<'_> {
    fn new(choices: &[u8]) -> Gen<'_> {
        let mut g = Gen {
            choices,
            next: 0,
            good_below: 256,
            doc: String::new(),
        };
        g.good_below = [256, 240, 192, 96][g.choice() % 4];
        g
    }

    fn choice(&mut self) -> usize {
        let c = self.choices.get(self.next).copied().unwrap_or(0);
        self.next += 1;
        c as usize
    }

    /// Writes `key = good`, or a value of `bad`, or (rarely) a value of the
    /// wrong type, or leaves the key out.
    fn key(&mut self, key: &str, good: &str, bad: &[&str]) {
        let c = self.choice();
        let value = if c < self.good_below {
            good
        } else if c == 255 {
            "{}"
        } else if c % 8 == 7 || bad.is_empty() {
            return;
        } else {
            bad[c % bad.len()]
        };
        self.doc += &format!("{key} = {value}\n");
    }

    /// Usually one of two alternative keys, sometimes neither or both.
    fn either(&mut self, a: (&str, &str, &[&str]), b: (&str, &str, &[&str])) {
        let c = self.choice();
        let (first, second) = if c < self.good_below {
            let even = c.is_multiple_of(2);
            (even, !even)
        } else {
            match c % 4 {
                0 => (false, false),
                1 => (true, false),
                2 => (true, true),
                _ => (false, true),
            }
        };
        if first {
            self.key(a.0, a.1, a.2);
        }
        if second {
            self.key(b.0, b.1, b.2);
        }
    }

    /// Whether an optional part is written: usually `usual`.
    fn flag(&mut self, usual: bool) -> bool {
        let c = self.choice();
        if c < self.good_below {
            usual
        } else {
            c.is_multiple_of(2)
        }
    }

    /// How many entries a section has: usually 1 to `max`, otherwise 0.
    fn count(&mut self, max: usize) -> usize {
        let c = self.choice();
        if c < self.good_below || !c.is_multiple_of(4) {
            1 + c % max
        } else {
            0
        }
    }

    /// A profile of `n` multipliers: absent, or a good, zero, short or
    /// NaN-bearing one.
    fn profile(&mut self, key: &str, n: usize) {
        let c = self.choice();
        let values = if c < self.good_below {
            match c % 2 {
                0 => return,
                _ => (0..n).map(|k| ["1.0", "0.5", "2"][k % 3]).collect(),
            }
        } else {
            match c % 4 {
                0 => vec!["0.0"; n],
                1 => vec!["1.0"; n - 1],
                2 => {
                    let mut v = vec!["1.0"; n];
                    v[c % n] = "nan";
                    v
                }
                _ => {
                    let mut v = vec!["0.0"; n];
                    v[c % n] = "1e308";
                    v
                }
            }
        };
        self.doc += &format!("{key} = [{}]\n", values.join(", "));
    }

    fn document(mut self) -> Vec<u8> {
        const SITES: [&str; 3] = ["\"p\"", "\"q\"", "\"t\""];
        const POOLS: [&str; 3] = ["\"r\"", "\"s\"", "\"u\""];
        const STREAMS: [&str; 3] = ["\"a\"", "\"b\"", "\"c\""];
        self.key("name", "\"fuzz\"", NAMES);
        self.key("seed", "7", INTS);
        self.key("replications", "2", INTS);
        self.either(("horizon_h", "100", FLOATS), ("horizon_days", "4", FLOATS));
        self.either(("warmup_h", "10", FLOATS), ("warmup_days", "1", FLOATS));
        if self.flag(false) {
            self.key("start_date", "2026-11-02", DATES);
        }
        if self.flag(true) {
            self.doc += "[policy]\n";
            self.key("review_rate", "0.1", PROBS);
            self.key("inspection_rate", "0.5", PROBS);
        }
        let calendars = if self.flag(false) { self.count(3) } else { 0 };
        for cal in ["c", "7x24", "d-1"].into_iter().take(calendars) {
            self.doc += &format!("[calendars.{cal:?}]\n");
            self.key("days", "[\"mon\", \"fri\"]", DAYS);
            self.key("hours", "[[9, 12], [13, 17]]", HOURS);
        }
        let sites = self.count(3);
        for (i, id) in SITES.iter().enumerate().take(sites) {
            self.doc += "[[sites]]\n";
            self.key("id", id, SITE_REFS);
            self.key("kind", "\"sea_port\"", KINDS);
            for step in ["lodgement", "review", "inspection", "tax"] {
                if self.flag(step == "inspection") {
                    self.doc += &format!("[sites.steps.{step}]\n");
                    if self.flag(step != "lodgement") {
                        self.key("resource", POOLS[i], RES_REFS);
                    }
                    self.key("duration", "{ dist = \"exponential\", mean = 0.5 }", DISTS);
                    if self.flag(step == "inspection") {
                        self.key("detection_probability", "0.9", PROBS);
                    }
                }
            }
        }
        let pools = self.count(3);
        for i in 0..pools {
            self.doc += "[[resources]]\n";
            self.key("id", POOLS[i], RES_REFS);
            self.key("site", SITES[i], SITE_REFS);
            self.key("capacity", "3", INTS);
            if self.flag(false) {
                self.key("calendar", "\"c\"", CAL_REFS);
            }
        }
        let streams = self.count(3);
        for id in STREAMS.iter().take(streams) {
            self.doc += "[[streams]]\n";
            self.key("id", id, NAMES);
            self.key("port", "\"p\"", SITE_REFS);
            if self.flag(false) {
                self.key("mode", "\"port_clearance\"", MODES);
            }
            self.either(
                ("rate_per_h", "0.5", FLOATS),
                ("rate_per_day", "12", FLOATS),
            );
            self.profile("hour_of_day", 24);
            self.profile("day_of_week", 7);
            if self.flag(false) {
                self.key("prohibited_share", "0.01", PROBS);
            }
            let peaks = if self.flag(false) { self.count(2) } else { 0 };
            for _ in 0..peaks {
                self.doc += "[[streams.peaks]]\n";
                self.key("name", "\"rush\"", NAMES);
                self.either(("from_h", "20", FLOATS), ("from", "2026-11-03", DATES));
                self.either(("until_h", "30", FLOATS), ("until", "2026-11-04", DATES));
                self.key("multiplier", "2", FLOATS);
            }
        }
        self.doc.into_bytes()
    }
}

fn document() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(any::<u8>(), 0..400).prop_map(|choices| Gen::new(&choices).document())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("CLEARSIM_FUZZ_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(500),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        parse_never_panics(&bytes)?;
    }

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        parse_never_panics(text.as_bytes())?;
    }

    #[test]
    fn scenario_shaped_documents_never_panic(bytes in document()) {
        parse_never_panics(&bytes)?;
    }

    #[test]
    fn mutated_default_scenario_never_panics(
        mutations in prop::collection::vec(mutation(), 1..6)
    ) {
        let mut bytes = BUILTIN_DEFAULT.as_bytes().to_vec();
        for m in &mutations {
            apply(&mut bytes, m);
        }
        parse_never_panics(&bytes)?;
    }
}

/// The unmutated default parses, so mutations start from a valid scenario.
#[test]
fn the_default_scenario_parses() {
    assert!(scenario::parse("fuzz.toml", BUILTIN_DEFAULT.as_bytes()).is_ok());
}
