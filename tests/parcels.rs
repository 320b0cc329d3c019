//! Parcel lines: in-line X-ray that every parcel passes, with screening
//! targeting the manual opening, against X-ray used only on the parcels
//! screening selects.

mod common;

use std::collections::HashMap;

use common::{Row, clearly_above, read_summary, row};

/// A cross-border e-commerce site whose scanner is in-line or targeted.
fn site(in_line: bool) -> String {
    let scan = if in_line {
        "in_line = true"
    } else {
        "share = 1.0"
    };
    format!(
        r#"
name = "parcel_line"
seed = 11
replications = 8
horizon_days = 10
warmup_days = 1

[policy]
review_rate = 0.0
inspection_rate = 0.05
targeting = "random"

[[sites]]
id = "ecommerce_site"
kind = "ecommerce_site"
[sites.steps.scan]
resource = "xray_lines"
duration = {{ dist = "exponential", mean = 0.004 }}
detection_probability = 0.7
{scan}
[sites.steps.inspection]
resource = "openers"
duration = {{ dist = "exponential", mean = 0.1 }}

[[resources]]
id = "xray_lines"
site = "ecommerce_site"
capacity = 2

[[resources]]
id = "openers"
site = "ecommerce_site"
capacity = 4

[[streams]]
id = "parcels"
channel = "ecommerce_9610"
port = "ecommerce_site"
rate_per_h = 300
prohibited_share = 0.01
"#
    )
}

fn run(in_line: bool) -> HashMap<(String, String), Row> {
    read_summary(&common::run_text(&site(in_line)).out)
}

#[test]
fn in_line_xray_scans_every_parcel_and_targets_the_opening() {
    let line = run(true);
    let targeted = run(false);
    let arrived = row(&line, "all", "arrived").mean;
    let scanned = row(&line, "resource=xray_lines", "entered").mean;
    println!("arrived {arrived}, scanned {scanned}");
    assert!(
        (scanned / arrived - 1.0).abs() < 0.01,
        "{scanned} of {arrived}"
    );
    // Targeted: the scanner sees only the 5% selected.
    let scanned_targeted = row(&targeted, "resource=xray_lines", "entered").mean;
    assert!(scanned_targeted < 0.07 * arrived, "{scanned_targeted}");
    // Inspections count the targeted openings (the 5% selected), not every
    // parcel's pass through the line; what the X-ray itself finds is
    // seized or corrected at the line.
    let rate = row(&line, "all", "inspection_rate").mean;
    assert!((0.05..0.07).contains(&rate), "inspection rate {rate}");
    // Looking at every parcel catches prohibited goods screening missed.
    clearly_above(
        "seized, in-line X-ray vs targeted",
        row(&line, "all", "seized"),
        row(&targeted, "all", "seized"),
    );
}

/// 9610 parcels whose three orders may fail to match.
fn three_orders(share: f64) -> String {
    format!(
        r#"
name = "three_orders"
seed = 3
replications = 8
horizon_days = 10
warmup_days = 1

[policy]
review_rate = 0.0
inspection_rate = 0.0

[[sites]]
id = "ecommerce_site"
kind = "ecommerce_site"
[sites.steps.lodgement]
duration = {{ dist = "exponential", mean = 0.1 }}

[[streams]]
id = "parcels"
channel = "ecommerce_9610"
port = "ecommerce_site"
rate_per_h = 200
order_mismatch_share = {share}
order_rework = {{ dist = "deterministic", value = 4.0 }}
"#
    )
}

#[test]
fn mismatched_three_orders_are_reworked_and_lodged_again() {
    let s = read_summary(&common::run_text(&three_orders(0.2)).out);
    // Lodgement 0.1 h; a fifth rejected, reworked for 4 h and lodged again
    // (another 0.1 h): 0.1 + 0.2 × (4 + 0.1) = 0.92 h on average.
    let lodged = row(&s, "all", "arrival_to_lodgement_mean_h");
    println!("arrival → lodgement {lodged:?}, expected 0.92");
    // Parcels still being reworked at the horizon are not counted yet,
    // which pulls the mean a little low (about 0.015 h here).
    assert!((lodged.mean - 0.92).abs() < 0.025, "{lodged:?}");
}
