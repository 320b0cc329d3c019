//! Each e-commerce buyer's running total for the calendar year, against
//! the yearly limit (see [`crate::model::AnnualLimit`]).

use rand::RngExt;

use super::{DRAW_BUYER, DRAW_SPENT, Replication, draw_seeded};
use crate::engine::rng::{self, StreamId};
use crate::model::{Model, StepKind};

/// One written stream's buyers: what each has bought this year as
/// cross-border e-commerce retail `[yuan]` (NaN until the buyer first
/// orders, when its purchases before the run are drawn), and the next new
/// year.
pub(super) struct BuyerBook {
    spent: Vec<f64>,
    /// Seeds each buyer's purchases before the run, independently of every
    /// other draw.
    seed: u64,
    /// Index in the limit's `new_years` of the next one to come.
    next_new_year: usize,
}

/// The books of every stream (empty for a stream without the limit): one
/// allocation per replication, not per order.
pub(super) fn books(model: &Model, seed: u64) -> Vec<BuyerBook> {
    model
        .streams
        .iter()
        .enumerate()
        .map(|(s, stream)| BuyerBook {
            spent: stream
                .annual_limit
                .as_ref()
                .map_or_else(Vec::new, |l| vec![f64::NAN; l.buyers as usize]),
            seed: rng::stream(
                seed,
                StreamId {
                    kind: super::SOURCE_BUYERS,
                    index: s as u32,
                },
            )
            .random(),
            next_new_year: 0,
        })
        .collect()
}

impl Replication<'_> {
    /// Whether an order of `value` yuan arriving now on written stream
    /// `written`, with its own seed `own_seed`, takes its buyer over the
    /// yearly limit. An order within it counts towards the buyer's total;
    /// one over it does not (it leaves e-commerce retail).
    pub(super) fn over_annual_limit(&mut self, written: usize, own_seed: u64, value: f64) -> bool {
        let Some(limit) = &self.model.streams[written].annual_limit else {
            return false;
        };
        let book = &mut self.buyer_books[written];
        // A new calendar year: every total starts again.
        while limit
            .new_years
            .get(book.next_new_year)
            .is_some_and(|t| self.now >= *t)
        {
            book.spent.fill(0.0);
            book.next_new_year += 1;
        }
        let buyer = draw_seeded(own_seed, StepKind::Lodgement, DRAW_BUYER)
            .random_range(0..limit.buyers) as usize;
        let spent = &mut book.spent[buyer];
        if spent.is_nan() {
            *spent = limit.spent_before.as_ref().map_or(0.0, |d| {
                d.sample(&mut draw_seeded(
                    rng::mix64(book.seed ^ buyer as u64),
                    StepKind::Lodgement,
                    DRAW_SPENT,
                ))
            });
        }
        if *spent + value > limit.limit {
            return true;
        }
        *spent += value;
        false
    }
}
