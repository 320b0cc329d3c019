//! Bonded import (1210) from stock (`stock_from`, `units_per_entry`,
//! `initial_stock`): orders are filled from the shelf in the bonded zone,
//! and wait for the next bulk entry when it is empty. Read off real sweeps
//! of the study file (paired: the variants share replication seeds).

mod common;

use common::{paired_above, refused, repo_path, sweep_text, values};

const STUDY: &str = "scenarios/studies/bonded_stock.toml";
const ORDERS: &str = "stream=orders_1210";

fn study() -> String {
    std::fs::read_to_string(repo_path(STUDY)).unwrap()
}

#[test]
fn a_shelf_that_never_runs_out_changes_nothing() {
    // The stock draws no random numbers and holds no one up while it
    // lasts: with more units than orders the study is, to the last digit,
    // the same as without stock.
    let text = study();
    let without = text
        .replace("stock_from = \"bulk_entries\"\n", "")
        .replace("units_per_entry = 500\n", "")
        .replace("initial_stock = 4000", "");
    assert_ne!(text, without);
    let (_a, with_stock) = sweep_text(&text, &["streams.orders_1210.initial_stock=1000000000"]);
    let (_b, no_stock) = sweep_text(&without, &["seed=1111"]);
    for metric in [
        "release_time_mean_h",
        "release_time_p90_h",
        "leakage",
        "trader_time_mean_h",
    ] {
        assert_eq!(
            values(
                &with_stock,
                "streams.orders_1210.initial_stock=1000000000",
                ORDERS,
                metric
            ),
            values(&no_stock, "seed=1111", ORDERS, metric),
            "{metric}"
        );
    }
    assert!(
        values(
            &with_stock,
            "streams.orders_1210.initial_stock=1000000000",
            ORDERS,
            "stockouts"
        )
        .iter()
        .all(|n| *n == 0.0)
    );
}

#[test]
fn stocking_up_ahead_of_double_11_spares_the_orders_the_wait() {
    let (_dir, reps) = sweep_text(&study(), &["streams.orders_1210.initial_stock=4000,20000"]);
    let get = |stock: &str, metric: &str| {
        values(
            &reps,
            &format!("streams.orders_1210.initial_stock={stock}"),
            ORDERS,
            metric,
        )
    };
    // Two days of stock run out in the peak: orders wait, and the wait is
    // the importer's.
    assert!(get("4000", "stockouts").iter().all(|n| *n > 0.0));
    paired_above(
        "stockouts, 2 days' stock − 10 days'",
        get("4000", "stockouts"),
        get("20000", "stockouts"),
    );
    paired_above(
        "orders' trader time, 2 days' stock − 10 days'",
        get("4000", "trader_time_mean_h"),
        get("20000", "trader_time_mean_h"),
    );
    // Ten days' stock outlasts the peak: no order waits, so the orders'
    // trader time is nil (their lists are lodged before they arrive).
    assert!(get("20000", "stockouts").iter().all(|n| *n == 0.0));
}

#[test]
fn stock_mistakes_are_located_errors() {
    let text = study()
        .replace(
            "stock_from = \"bulk_entries\"",
            "stock_from = \"bulk_entry\"",
        )
        .replace("initial_stock = 4000", "initial_stock = -1")
        .replace(
            "undervalued_share = 0.02\n",
            "undervalued_share = 0.02\nunits_per_entry = 10\n",
        );
    let err = refused(&text);
    for expected in [
        "streams[1].stock_from: no stream \"bulk_entry\"; stock_from names the stream of bulk entries into the bonded zone, one of bulk_entries, orders_1210",
        "streams[1].initial_stock: got -1; expected a whole number from 0 to",
        "streams[0].units_per_entry: applies only with stock_from",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in\n{err}");
    }
}

#[test]
fn no_order_leaves_without_a_unit_from_the_shelf() {
    // A hundred units a bulk entry, five entries a day, against 2,000
    // orders a day: the shelf, not demand, limits what is released. Each
    // released order took one unit, from the initial stock or from a bulk
    // entry released into the zone (the study has no warm-up, so every
    // release counts).
    let setting = "streams.orders_1210.units_per_entry=100";
    let (_dir, reps) = sweep_text(&study(), &[setting]);
    let orders = values(&reps, setting, ORDERS, "released");
    let entries = values(&reps, setting, "stream=bulk_entries", "released");
    let arrived = values(&reps, setting, ORDERS, "arrived");
    let stockouts = values(&reps, setting, ORDERS, "stockouts");
    for r in 0..orders.len() {
        let supply = 4000.0 + 100.0 * entries[r];
        assert!(
            orders[r] <= supply,
            "replication {r}: {} orders released from a supply of {supply} units",
            orders[r]
        );
        // An order either takes a unit on arrival or finds the shelf empty,
        // once: at most every order stocks out, and at least those the
        // whole supply could not have served on arrival.
        assert!(
            arrived[r] - supply <= stockouts[r] && stockouts[r] <= arrived[r],
            "replication {r}: {} stockouts of {} orders, supply {supply}",
            stockouts[r],
            arrived[r]
        );
        // The bound binds: most orders wait for stock that never comes.
        assert!(
            supply < 0.5 * arrived[r],
            "replication {r}: supply {supply}"
        );
    }
}
