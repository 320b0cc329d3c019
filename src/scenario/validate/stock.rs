//! Bonded import (1210) from stock: which stream's bulk entries fill a 1210
//! stream's shelf (`stock_from`), how many units each adds
//! (`units_per_entry`) and how many are there at the start
//! (`initial_stock`).

use toml::Spanned;

use super::super::raw::RawStream;
use super::{Context, at};
use crate::model::{BondedStock, Channel, Stream};

/// The most units a shelf may start with or an entry may add: far beyond
/// any bonded zone, and small enough that counts stay exact.
const MAX_UNITS: i64 = 1_000_000_000_000;

/// Links each 1210 stream that names `stock_from` to the stream whose
/// releases restock it.
pub(super) fn assign(cx: &mut Context, raw: &[Spanned<RawStream>], streams: &mut [Stream]) {
    let d = &mut cx.d;
    let ids: Vec<&str> = raw
        .iter()
        .filter_map(|r| r.get_ref().id.as_ref().map(|i| i.get_ref().as_str()))
        .collect();
    for (i, r) in raw.iter().enumerate() {
        let r = r.get_ref();
        let path = format!("streams[{i}]");
        let units = |d: &mut super::super::diagnostics::Diagnostics,
                     key: &str,
                     v: &Option<Spanned<i64>>,
                     lo: i64|
         -> Option<u64> {
            let v = v.as_ref()?;
            let n = *v.get_ref();
            if (lo..=MAX_UNITS).contains(&n) {
                Some(n as u64)
            } else {
                let msg = format!("got {n}; expected a whole number from {lo} to {MAX_UNITS}");
                d.error(&format!("{path}.{key}"), Some(at(v)), msg);
                None
            }
        };
        let per_entry = units(d, "units_per_entry", &r.units_per_entry, 1);
        let initial = units(d, "initial_stock", &r.initial_stock, 0);
        let Some(from) = &r.stock_from else {
            for (key, v) in [
                ("units_per_entry", &r.units_per_entry),
                ("initial_stock", &r.initial_stock),
            ] {
                if let Some(v) = v {
                    d.error(
                        &format!("{path}.{key}"),
                        Some(at(v)),
                        "applies only with stock_from, the stream whose bulk entries fill this 1210 stream's stock",
                    );
                }
            }
            continue;
        };
        let key = format!("{path}.stock_from");
        let Some(id) = r.id.as_ref().map(|i| i.get_ref().as_str()) else {
            continue;
        };
        let Some(me) = streams
            .iter()
            .position(|s| s.id == id && s.choice.parent.is_none())
        else {
            continue;
        };
        if streams[me].channel != Channel::Bonded1210 {
            let msg = "only a bonded_1210 stream is filled from stock in a bonded zone";
            d.error(&key, Some(at(from)), msg);
            continue;
        }
        let Some(supplier) = streams
            .iter()
            .position(|s| s.id == *from.get_ref() && s.choice.parent.is_none())
        else {
            let msg = format!(
                "no stream {:?}; stock_from names the stream of bulk entries into the bonded zone, one of {}",
                from.get_ref(),
                ids.join(", ")
            );
            d.error(&key, Some(at(from)), msg);
            continue;
        };
        if streams[supplier].channel == Channel::Bonded1210 {
            let msg = "names a bonded_1210 stream; stock enters the zone as bulk goods, e.g. a general_trade stream";
            d.error(&key, Some(at(from)), msg);
            continue;
        }
        if streams
            .iter()
            .any(|s| s.restocks.is_some() && s.id == *from.get_ref())
        {
            let msg = format!(
                "stream {:?} already fills another 1210 stream's stock; give each its own bulk entries",
                from.get_ref()
            );
            d.error(&key, Some(at(from)), msg);
            continue;
        }
        let Some(units_per_entry) = per_entry else {
            if r.units_per_entry.is_none() {
                d.error(
                    &format!("{path}.units_per_entry"),
                    Some(at(from)),
                    "give how many consumer orders one released bulk entry can fill, e.g. units_per_entry = 500",
                );
            }
            continue;
        };
        streams[me].stock = Some(BondedStock {
            initial: initial.unwrap_or(0),
            units_per_entry,
        });
        // The supplier as written and every stream generated from it (its
        // alternative ports, its fallback modes) restock the same shelf.
        let supplier_id = streams[supplier].id.clone();
        for s in streams.iter_mut().filter(|s| s.id == supplier_id) {
            s.restocks = Some(me as u32);
        }
    }
}
