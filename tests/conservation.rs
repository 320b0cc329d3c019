//! Conservation over random small scenarios: in every replication and every
//! consignment group, `arrived = released + seized + in_system_end`, whatever
//! the rates, capacities, working hours, inspection policy and distributions.

use clearsim::scenario;
use clearsim::sim::run_replication;
use proptest::prelude::*;

/// A small two-site scenario with the given knobs.
#[allow(clippy::too_many_arguments)]
fn scenario_text(
    rate_a: f64,
    rate_b: f64,
    review_rate: f64,
    inspection_rate: f64,
    reviewers: u32,
    inspectors: u32,
    office_hours: bool,
    prohibited: f64,
    detection: f64,
    dist: &str,
) -> String {
    let calendar = if office_hours { "office" } else { "7x24" };
    format!(
        r#"
name = "prop"
horizon_h = 400
warmup_h = 48
start_date = 2026-11-06

[policy]
review_rate = {review_rate}
inspection_rate = {inspection_rate}

[calendars.office]
days = ["mon", "tue", "wed", "thu", "fri"]
hours = [[9, 12], [13, 17]]

[[sites]]
id = "a"
kind = "air_port"
[sites.steps.lodgement]
duration = {{ dist = "exponential", mean = 0.3 }}
[sites.steps.review]
resource = "a_rev"
duration = {dist}
[sites.steps.inspection]
resource = "a_insp"
duration = {dist}
detection_probability = {detection}

[[sites]]
id = "b"
kind = "postal_hub"
[sites.steps.inspection]
resource = "b_insp"
duration = {{ dist = "erlang", k = 3, mean = 0.4 }}
[sites.steps.release]
duration = {{ dist = "uniform", min = 0.1, max = 0.5 }}

[[resources]]
id = "a_rev"
site = "a"
capacity = {reviewers}
calendar = "{calendar}"

[[resources]]
id = "a_insp"
site = "a"
capacity = {inspectors}

[[resources]]
id = "b_insp"
site = "b"
capacity = 2
calendar = "{calendar}"

[[streams]]
id = "sa"
port = "a"
rate_per_h = {rate_a}
prohibited_share = {prohibited}
hour_of_day = [0.2, 0.2, 0.2, 0.2, 0.2, 0.5, 1, 1.5, 2, 2, 2, 2, 1.5, 1.5, 1.5, 1.5, 1.5, 1, 1, 1, 0.5, 0.5, 0.2, 0.2]

[[streams]]
id = "sb"
port = "b"
rate_per_h = {rate_b}
prohibited_share = {prohibited}

[[streams.peaks]]
from_h = 100
until_h = 150
multiplier = 3
"#
    )
}

fn dist_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        (0.05f64..2.0).prop_map(|m| format!("{{ dist = \"exponential\", mean = {m} }}")),
        (0.0f64..1.0).prop_map(|v| format!("{{ dist = \"deterministic\", value = {v} }}")),
        (0.1f64..2.0, 0.05f64..1.0)
            .prop_map(|(m, s)| format!("{{ dist = \"lognormal\", mean = {m}, sd = {s} }}")),
        Just("{ dist = \"empirical\", values = [0.1, 0.5, 2.0], weights = [3, 2, 1] }".to_string()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn every_consignment_is_accounted_for(
        rate_a in 0.0f64..20.0,
        rate_b in 0.01f64..10.0,
        review_rate in 0.0f64..=1.0,
        inspection_rate in 0.0f64..=1.0,
        reviewers in 1u32..5,
        inspectors in 1u32..5,
        office_hours: bool,
        prohibited in 0.0f64..0.5,
        detection in 0.0f64..=1.0,
        dist in dist_strategy(),
        seed: u64,
    ) {
        let text = scenario_text(rate_a, rate_b, review_rate, inspection_rate, reviewers,
            inspectors, office_hours, prohibited, detection, &dist);
        let s = scenario::parse("prop.toml", text.as_bytes())
            .map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        let r = run_replication(&s.model, 0, seed);
        let value = |group: &str, metric: &str| {
            r.observations.iter()
                .find(|o| o.group == group && o.metric == metric)
                .and_then(|o| o.value)
                .unwrap_or_else(|| panic!("{group}/{metric} missing"))
        };
        for group in ["all", "stream=sa", "stream=sb"] {
            let (a, rel, sz, end) = (value(group, "arrived"), value(group, "released"),
                value(group, "seized"), value(group, "in_system_end"));
            prop_assert_eq!(a, rel + sz + end, "{}: {} != {} + {} + {}", group, a, rel, sz, end);
        }
        prop_assert_eq!(value("all", "arrived"), value("stream=sa", "arrived") + value("stream=sb", "arrived"));
        if detection == 0.0 || prohibited == 0.0 {
            prop_assert_eq!(value("all", "seized"), 0.0);
        }
    }
}
