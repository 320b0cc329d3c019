//! "First release, then review" with the review done by reviewers: the
//! review work is not saved, it is moved off the goods' path, to the back
//! of the reviewers' queue.

mod common;
use common::{read_summary, row};

fn scenario(tax_timing: &str, by_reviewers: bool) -> String {
    format!(
        r#"
name = "post_release"
seed = 21
replications = 6
horizon_days = 40
warmup_days = 4

[policy]
review_rate = 0.3
inspection_rate = 0.0
tax_timing = "{tax_timing}"
audit_delay = {{ dist = "exponential", mean = 24.0 }}
audit_by_reviewers = {by_reviewers}

[[sites]]
id = "port"
kind = "sea_port"
[sites.steps.lodgement]
duration = {{ dist = "exponential", mean = 1.0 }}
[sites.steps.review]
resource = "reviewers"
duration = {{ dist = "lognormal", mean = 1.5, sd = 1.0 }}
[sites.steps.release]
duration = {{ dist = "deterministic", value = 0.5 }}

[[resources]]
id = "reviewers"
site = "port"
capacity = 3

[[streams]]
id = "imports"
port = "port"
rate_per_h = 4
undervalued_share = 0.05
"#
    )
}

#[test]
fn post_release_reviews_take_the_same_officer_time_off_the_goods_path() {
    let before = read_summary(&common::run_text(&scenario("before_release", true)).out);
    let after = read_summary(&common::run_text(&scenario("after_release", true)).out);
    let unstaffed = read_summary(&common::run_text(&scenario("after_release", false)).out);
    let hours = |s: &_| row(s, "resource=reviewers", "officer_hours");
    let (b, a, u) = (hours(&before), hours(&after), hours(&unstaffed));
    println!("officer hours: before release {b:?}, after release {a:?}, unstaffed {u:?}");
    // The same declarations are reviewed with the same durations: the work
    // is the same to within the reviews straddling the window's ends.
    assert!((a.mean / b.mean - 1.0).abs() < 0.03, "{a:?} vs {b:?}");
    assert_eq!(u.mean, 0.0, "unstaffed post-release reviews use no officer");
    // Released without waiting for review: release time falls by about
    // the review share × (wait + review).
    let release = |s: &_| row(s, "all", "release_time_mean_h").mean;
    println!(
        "release time: before {}, after {}",
        release(&before),
        release(&after)
    );
    assert!(release(&after) < release(&before) - 0.3);
    // Staffing changes when reviews finish, not what they find.
    let recovered = |s: &_| row(s, "all", "revenue_recovered_yuan").mean;
    assert_eq!(recovered(&after), recovered(&unstaffed));
    assert!(recovered(&after) > 0.0);
    // Conservation: post-release review jobs are not in the system.
    let arrived = row(&after, "all", "arrived").mean;
    let out = row(&after, "all", "released").mean
        + row(&after, "all", "seized").mean
        + row(&after, "all", "in_system_end").mean;
    assert!((arrived - out).abs() < 1e-9, "{arrived} vs {out}");
}

/// Reviewers too few for the review load: reviews after release pile up
/// behind nothing urgent, and what they would recover lands after the
/// horizon; releases are not held up.
#[test]
fn overloaded_reviewers_delay_recovery_not_release() {
    let text = scenario("after_release", true).replace("capacity = 3", "capacity = 1");
    let s = read_summary(&common::run_text(&text).out);
    let late = row(&s, "all", "revenue_recovered_after_horizon_yuan").mean;
    let recovered = row(&s, "all", "revenue_recovered_yuan").mean;
    println!("recovered {recovered}, of it after the horizon {late}");
    assert!(late > 0.5 * recovered, "{late} of {recovered}");
    // Release: lodgement (1 h) alone before the release step.
    let release = row(&s, "all", "release_time_mean_h").mean;
    assert!((release - 1.0).abs() < 0.05, "{release}");
}

/// Reviews after release by no one in particular (`audit_by_reviewers =
/// false`), each finding what it finds a fixed audit delay of `delay_h`
/// after release: each replication's tax recovered, and the part of it
/// recovered after the horizon.
fn recovered_with_audit_delay(delay_h: f64) -> (Vec<f64>, Vec<f64>) {
    let delay = format!("audit_delay = {{ dist = \"deterministic\", value = {delay_h:?} }}");
    let text = scenario("after_release", false).replace(
        "audit_delay = { dist = \"exponential\", mean = 24.0 }",
        &delay,
    );
    assert!(text.contains(&delay));
    let reps = common::read_reps(&common::run_text(&text).out);
    let get = |m: &str| common::values(&reps, "base", "all", m).to_vec();
    (
        get("revenue_recovered_yuan"),
        get("revenue_recovered_after_horizon_yuan"),
    )
}

/// With the audit delay past the horizon, every tax recovered is
/// recovered after it.
#[test]
fn an_audit_due_after_the_horizon_recovers_after_it() {
    let (recovered, late) = recovered_with_audit_delay(10000.0);
    assert!(recovered.iter().all(|r| *r > 0.0), "{recovered:?}");
    assert_eq!(recovered, late);
}

/// The same, with the delay half the observation window (36 days after a
/// 4-day warm-up, 40 in all): a review called in 432 h after a release in
/// the window's second half falls after the horizon, one after a release
/// in its first half within it. Releases come at a steady rate, so half
/// the recoveries fall after the horizon. The file gives no value
/// distribution, so every undervalued consignment evades the same tax and
/// the amounts count recoveries: binomial(n, 1/2) within 4 sd, pooled
/// over the replications.
#[test]
fn an_audit_due_within_the_horizon_recovers_within_it() {
    let (recovered, late) = recovered_with_audit_delay(432.0);
    let yuan = |x: f64| {
        assert_eq!(x.fract(), 0.0, "{x} yuan");
        x as u64
    };
    let gcd = |mut a: u64, mut b: u64| {
        while b != 0 {
            (a, b) = (b, a % b);
        }
        a
    };
    let unit = recovered.iter().chain(&late).map(|x| yuan(*x)).fold(0, gcd) as f64;
    let n: f64 = recovered.iter().sum::<f64>() / unit;
    let k: f64 = late.iter().sum::<f64>() / unit;
    let slack = 4.0 * (0.25 * n).sqrt();
    println!("{k} of {n} recoveries ({unit} yuan each) after the horizon, expected n/2 ± {slack}");
    assert!(n > 100.0, "{n} recoveries");
    assert!(
        (k - 0.5 * n).abs() <= slack,
        "{k} of {n} recoveries after the horizon, not n/2 ± {slack}"
    );
}
