//! The yearly limit on a buyer's cross-border e-commerce purchases
//! (`buyers`, `annual_limit_yuan`, `spent_before`, `annual_limit_rework`):
//! an order that would take its buyer's total for the calendar year over
//! the limit is re-declared as general trade, and pays general-trade tax.
//! Checked against counts and sums that a deterministic order stream gives
//! exactly.

mod common;

use common::{read_reps, read_summary, refused, repo_path, row, run_text, values};

/// One buyer (or `buyers`), 1,000-yuan orders every hour, lodgement 1 h,
/// nothing staffed or inspected; `start` and `horizon_h` set the calendar.
fn scenario(start: &str, horizon_h: u32, limit: &str) -> String {
    format!(
        r#"
name = "annual_limit"
seed = 11
replications = 2
start_date = {start}
horizon_h = {horizon_h}

[policy]
review_rate = 0.0
inspection_rate = 0.0

[[sites]]
id = "hub"
kind = "ecommerce_site"
[sites.steps.lodgement]
duration = {{ dist = "deterministic", value = 1.0 }}
[sites.steps.release]
duration = {{ dist = "deterministic", value = 0.0 }}

[[streams]]
id = "orders"
channel = "ecommerce_9610"
port = "hub"
rate_per_h = 1
value = {{ dist = "deterministic", value = 1000.0 }}
{limit}
"#
    )
}

const ONE_BUYER: &str =
    "buyers = 1\nannual_limit_rework = { dist = \"deterministic\", value = 72.0 }";

/// Arrivals, and orders over the limit, per replication.
fn counts(text: &str) -> Vec<(f64, f64)> {
    let run = run_text(text);
    let reps = read_reps(&run.out);
    let arrived = values(&reps, "base", "all", "arrived");
    let over = values(&reps, "base", "all", "over_limit");
    arrived.iter().copied().zip(over.iter().copied()).collect()
}

#[test]
fn one_buyer_clears_exactly_26_orders_of_1000_yuan_a_year() {
    // 26 × 1,000 = 26,000: the 27th order would exceed the limit.
    for (arrived, over) in counts(&scenario("2026-03-02", 200, ONE_BUYER)) {
        assert!(
            arrived > 100.0,
            "too few arrivals to reach the limit: {arrived}"
        );
        assert_eq!(over, arrived - 26.0);
    }
    // A buyer who has already bought 25,500 yuan this year has room for
    // none (25,500 + 1,000 > 26,000), under a higher limit for 2.
    let text = scenario(
        "2026-03-02",
        200,
        &format!("{ONE_BUYER}\nspent_before = {{ dist = \"deterministic\", value = 25500.0 }}"),
    );
    for (arrived, over) in counts(&text) {
        assert_eq!(over, arrived);
    }
    let higher = text.replace("buyers = 1", "buyers = 1\nannual_limit_yuan = 27500");
    for (arrived, over) in counts(&higher) {
        assert_eq!(over, arrived - 2.0);
    }
}

#[test]
fn each_buyer_draws_its_own_spending_before_the_run() {
    // Two buyers, each having spent a uniform amount from 0 to 26,000 yuan
    // this year before the run: each has room for n = ⌊(26,000 − spent) /
    // 1,000⌋ more orders, uniform on 0 to 25 (variance (26² − 1) / 12 =
    // 56.25, fourth central moment (26² − 1)(3 × 26² − 7) / 240). In 200 h
    // both use their room up, so the orders within the limit number
    // n₀ + n₁ in each of 400 replications. Drawn independently, the sum is
    // even half the time (within 4 sd, binomial 10, of 200) and varies
    // with variance 112.5, the sample variance within 4 sd of it (sd
    // √((μ₄ − σ⁴) / 400) for the sum's μ₄ = 2 μ₄(n) + 6 × 56.25²). Buyers
    // who shared a draw would give more even sums and a wider spread;
    // draws that did not change from one replication to the next, none.
    let limit = format!(
        "{}\nspent_before = {{ dist = \"uniform\", min = 0.0, max = 26000.0 }}",
        ONE_BUYER.replace("buyers = 1", "buyers = 2")
    );
    let text =
        scenario("2026-03-02", 200, &limit).replace("replications = 2", "replications = 400");
    let within: Vec<f64> = counts(&text)
        .iter()
        .map(|(arrived, over)| arrived - over)
        .collect();
    let r = within.len() as f64;
    assert_eq!(r, 400.0);
    let even = within.iter().filter(|w| *w % 2.0 == 0.0).count() as f64;
    let mean = within.iter().sum::<f64>() / r;
    let variance = within.iter().map(|w| (w - mean).powi(2)).sum::<f64>() / (r - 1.0);
    let (var_n, mu4_n) = (675.0 / 12.0, 675.0 * (3.0 * 676.0 - 7.0) / 240.0);
    let (var_sum, mu4_sum) = (2.0 * var_n, 2.0 * mu4_n + 6.0 * var_n * var_n);
    let var_sd = ((mu4_sum - var_sum * var_sum) / r).sqrt();
    println!(
        "{even} of 400 sums even (200 ± 40); variance {variance:.1} ({var_sum} ± {:.1})",
        4.0 * var_sd
    );
    common::assert_quoted(
        "docs/testing.md",
        &format!(
            "even in half of 400 replications ({even}; 200 ± 40 by 4 binomial sd) \
             and vary with variance {var_sum} ({variance:.1}; ± {:.1}",
            4.0 * var_sd
        ),
    );
    assert!(
        within.iter().all(|w| (0.0..=50.0).contains(w)),
        "{within:?}"
    );
    assert!((even - 200.0).abs() <= 40.0, "{even} of 400 sums even");
    assert!(
        (variance - var_sum).abs() <= 4.0 * var_sd,
        "variance {variance} of the sums, not {var_sum} ± {}",
        4.0 * var_sd
    );
}

#[test]
fn every_total_starts_again_on_the_first_of_january() {
    // From 30 December: 48 h of 2026, then 2027. Each year clears 26.
    for (arrived, over) in counts(&scenario("2026-12-30", 150, ONE_BUYER)) {
        assert!(arrived > 100.0, "{arrived}");
        assert_eq!(over, arrived - 52.0);
    }
    // And again a year later: 48 h of 2026, all of 2027 (8,760 h), 100 h
    // of 2028: three years, 26 each.
    for (arrived, over) in counts(&scenario("2026-12-30", 48 + 8760 + 100, ONE_BUYER)) {
        assert!(arrived > 8000.0, "{arrived}");
        assert_eq!(over, arrived - 78.0);
    }
}

#[test]
fn over_limit_orders_pay_goods_tax_and_wait_for_their_redeclaration() {
    let run = run_text(&scenario("2026-03-02", 200, ONE_BUYER));
    let reps = read_reps(&run.out);
    let get = |m: &str| values(&reps, "base", "all", m).to_vec();
    let (released, over, assessed) = (
        get("released"),
        get("over_limit"),
        get("revenue_assessed_yuan"),
    );
    for r in 0..released.len() {
        // Every order is released by the horizon (the last ones within
        // 1 + 1 + 72 h of arriving) only if it arrived early enough; count
        // what was released. Within the limit: 70% of VAT at 13% (91 yuan);
        // over it: duty 8% (80) and VAT on value plus duty (140.40).
        let within = 26.0;
        let over_released = released[r] - within;
        assert!(over_released >= 0.0 && over_released <= over[r]);
        let expected = within * 91.0 + over_released * 220.4;
        assert!(
            (assessed[r] - expected).abs() < 1e-6 * expected,
            "replication {r}: assessed {} against {expected}",
            assessed[r]
        );
    }
    // Release time: lodgement (1 h) within the limit; lodgement twice plus
    // the 72 h re-declaration over it.
    let s = read_summary(&run.out);
    let p50 = row(&s, "all", "release_time_p50_h").mean;
    assert!((p50 - 74.0).abs() < 0.1, "median release time {p50}");
}

#[test]
fn a_limit_no_order_reaches_changes_nothing_but_its_count() {
    // Many buyers, a limit no one reaches: every number is the same as
    // without the limit (the buyer draws are the order's own), and none is
    // over.
    let file = std::fs::read_to_string(repo_path("scenarios/channels.toml")).unwrap();
    let anchor = "id = \"parcels_9610\"\n";
    assert!(file.contains(anchor));
    let limited = file.replacen(
        anchor,
        &format!("{anchor}buyers = 50000\nannual_limit_yuan = 1e9\nannual_limit_rework = {{ dist = \"deterministic\", value = 72.0 }}\n"),
        1,
    );
    let a = read_summary(&run_text(&file).out);
    let b = read_summary(&run_text(&limited).out);
    assert_eq!(a.len(), b.len());
    for (key, ra) in &a {
        let rb = &b[key];
        assert_eq!(
            (ra.mean.to_bits(), ra.half_width.to_bits()),
            (rb.mean.to_bits(), rb.half_width.to_bits()),
            "{key:?}"
        );
    }
    assert_eq!(row(&b, "all", "over_limit").mean, 0.0);
}

#[test]
fn bad_annual_limit_keys_are_located_errors() {
    let base = scenario("2026-03-02", 200, "");
    let with = |extra: &str| {
        base.replace(
            "value = 1000.0 }\n",
            &format!("value = 1000.0 }}\n{extra}\n"),
        )
    };
    for (extra, expected) in [
        (
            "buyers = 10",
            "streams[0].annual_limit_rework: the annual limit needs annual_limit_rework as well",
        ),
        (
            "annual_limit_rework = { dist = \"deterministic\", value = 72.0 }",
            "streams[0].buyers: the annual limit needs buyers as well",
        ),
        (
            "buyers = 0\nannual_limit_rework = { dist = \"deterministic\", value = 72.0 }",
            "streams[0].buyers: got 0; expected a whole number from 1 to 10000000",
        ),
        (
            "buyers = 10\nannual_limit_yuan = -5\nannual_limit_rework = { dist = \"deterministic\", value = 72.0 }",
            "streams[0].annual_limit_yuan: got -5",
        ),
    ] {
        let err = refused(&with(extra));
        assert!(err.contains(expected), "{extra}: {err}");
    }
    // Buyers are memory: at most ten million over all streams, so two
    // streams of six million are refused at the second.
    let two =
        with("buyers = 6000000\nannual_limit_rework = { dist = \"deterministic\", value = 72.0 }");
    let second = two.clone()
        + &two[two.find("[[streams]]").unwrap()..]
            .replace("id = \"orders\"", "id = \"more_orders\"");
    let err = refused(&second);
    assert!(
        err.contains("streams[1].buyers: 6000000 buyers here and 6000000 in the streams before: at most 10000000 over all streams"),
        "{err}"
    );
    let general = with(ONE_BUYER).replace(
        "channel = \"ecommerce_9610\"",
        "channel = \"general_trade\"",
    );
    let err = refused(&general);
    assert!(
        err.contains(
            "streams[0].buyers: the annual limit applies to cross-border e-commerce retail orders"
        ),
        "{err}"
    );
}
