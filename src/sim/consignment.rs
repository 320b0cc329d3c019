//! Consignments in flight and the slab that stores them.

use crate::model::customs::{Check, NonCompliance};

/// Screening decisions, hidden truth and what customs has found, as bits.
pub const FLAG_REVIEW: u32 = 1;
pub const FLAG_INSPECT: u32 = 1 << 1;
/// Inspected by scanner rather than by hand.
pub const FLAG_SCAN: u32 = 1 << 2;
pub const TRUTH_PROHIBITED: u32 = 1 << 3;
pub const TRUTH_UNDERVALUED: u32 = 1 << 4;
pub const TRUTH_MISCLASSIFIED: u32 = 1 << 5;
/// Declaration lodged before arrival.
pub const FLAG_ADVANCE: u32 = 1 << 6;
/// Two-step declaration (summary first).
pub const FLAG_TWO_STEP: u32 = 1 << 7;
/// Documentary non-compliance found before release (tax corrected).
pub const FOUND: u32 = 1 << 8;
// (Bit 9, once "went through an inspection", was never read.)
/// Flagged for review, deferred to after release ("first release, then
/// review").
pub const FLAG_AUDIT: u32 = 1 << 10;
/// Followed by the tracer (see `sim::trace`).
pub const FLAG_TRACED: u32 = 1 << 11;
/// Transit fraud: its goods were diverted while under seal (sold on the
/// domestic market, a decoy load travelling on). Until the seal check finds
/// it, what customs examines is not what was declared: no later check can
/// find anything, and the goods' whole tax escapes.
pub const DIVERTED: u32 = 1 << 12;
/// Its goods need a supervision certificate from another agency.
pub const FLAG_CERTIFICATE: u32 = 1 << 13;
/// Released, and now the job of its post-release review in a reviewers'
/// pool: no longer in customs' hands, not counted in the system.
pub const POST_RELEASE: u32 = 1 << 14;
/// Its importer books ship-side direct pick-up where the port offers it.
pub const FLAG_DIRECT: u32 = 1 << 15;
/// Its goods need a laboratory test of samples.
pub const FLAG_LAB: u32 = 1 << 16;
/// Released under "first release, then inspect", and now the job of its
/// laboratory test (then, if it has one, of its post-release review): not
/// counted in the system.
pub const POST_RELEASE_LAB: u32 = 1 << 17;
/// A postal article over the value limit: held until its recipient
/// declares it formally as goods (general-trade tax).
pub const FLAG_OVER_LIMIT: u32 = 1 << 18;
/// A transit load that arrived after its time limit: examined on arrival.
pub const FLAG_OVERDUE: u32 = 1 << 19;
/// A diversion found at the arrival confirmation: the decoy is seized, the
/// real goods are gone (their tax evaded, the guarantee forfeited).
pub const DIVERSION_FOUND: u32 = 1 << 20;
/// Either post-release job.
pub const POST_RELEASE_JOB: u32 = POST_RELEASE | POST_RELEASE_LAB;

pub const TRUTH_TAX: u32 = TRUTH_UNDERVALUED | TRUTH_MISCLASSIFIED;
/// What document review can find (see [`NonCompliance::seen_by`]).
pub const SEEN_BY_REVIEW: u32 = seen_mask(Check::Review);
/// What a physical inspection (scan or manual) can find.
pub const SEEN_BY_INSPECTION: u32 = seen_mask(Check::Inspection);
/// Non-compliance of any kind: the hidden truth drawn on arrival, or a
/// diversion under seal.
pub const NON_COMPLIANT: u32 = TRUTH_PROHIBITED | TRUTH_TAX | DIVERTED;

/// The truth flag of a kind of non-compliance.
pub const fn truth_flag(kind: NonCompliance) -> u32 {
    match kind {
        NonCompliance::Prohibited => TRUTH_PROHIBITED,
        NonCompliance::Undervalued => TRUTH_UNDERVALUED,
        NonCompliance::Misclassified => TRUTH_MISCLASSIFIED,
    }
}

/// The truth flags of the kinds `check` can find.
const fn seen_mask(check: Check) -> u32 {
    let mut mask = 0;
    let mut i = 0;
    while i < NonCompliance::ALL.len() {
        if NonCompliance::ALL[i].seen_by(check) {
            mask |= truth_flag(NonCompliance::ALL[i]);
        }
        i += 1;
    }
    mask
}

/// The kind of non-compliance a consignment's flags hold, if any.
#[inline]
pub fn kind_of(flags: u32) -> Option<NonCompliance> {
    NonCompliance::ALL
        .into_iter()
        .find(|k| flags & truth_flag(*k) != 0)
}

#[derive(Clone, Copy, Debug)]
pub struct Consignment {
    /// Index of the demand stream, or `FREE` for an empty slot.
    pub stream: u32,
    /// Position in the stream's route.
    pub step: u16,
    pub flags: u32,
    /// Credit class index of the importer.
    pub credit: u8,
    /// The pool serving or queueing it at its current step (a pooled step
    /// may draw on several).
    pub pool: u32,
    /// When the means of transport arrived with the goods `[h]`: the start
    /// of the Time Release Study window. Later than the consignment's entry
    /// for a declaration lodged in advance.
    pub arrived: f64,
    /// When the goods are discharged and available to customs and the
    /// trader `[h]`; steps that need the goods wait for it.
    pub ready: f64,
    /// When the consignment reached its current step, or last had time
    /// attributed `[h]`.
    pub mark: f64,
    /// Time spent so far within the window from arrival, by [`Party`]
    /// (Time Release Study attribution) `[h]`.
    ///
    /// [`Party`]: crate::model::Party
    pub party: [f64; 4],
    /// When the declaration was lodged `[h]` (NaN until then).
    pub lodged: f64,
    /// When customs released it `[h]` (NaN until then).
    pub released: f64,
    /// True customs value `[yuan]`.
    pub value: f64,
    /// The consignment's own seed: its service times and inspection
    /// outcomes are drawn from it, so they are the same under every mode.
    pub seed: u64,
}

impl Consignment {
    #[inline]
    pub fn has(&self, flag: u32) -> bool {
        self.flags & flag != 0
    }

    /// When it entered the system `[h]`: the goods' arrival, or the
    /// lodgement of a declaration made in advance. Cohorts (warm-up) go by
    /// entry, so a consignment counts once whichever comes first.
    #[inline]
    pub fn entered(&self) -> f64 {
        if self.has(FLAG_ADVANCE) {
            self.lodged
        } else {
            self.arrived
        }
    }

    /// Attributes the time since `mark` that falls after the goods'
    /// arrival to `party`, and moves the mark to `now`. Time before arrival
    /// (pre-arrival processing of an advance declaration) belongs to no one:
    /// the Time Release Study window opens at arrival.
    #[inline]
    pub fn charge(&mut self, party: usize, now: f64) {
        let from = self.mark.max(self.arrived);
        if now > from {
            self.party[party] += now - from;
        }
        self.mark = now;
    }

    /// When customs released it, for a consignment leaving at `now`: a
    /// route without a release step releases on leaving.
    #[inline]
    pub fn released_by(&self, now: f64) -> f64 {
        if self.released.is_nan() {
            now
        } else {
            self.released
        }
    }
}

const FREE: u32 = u32::MAX;

/// Consignments in flight, addressed by a stable `u32` handle; freed slots
/// are reused so memory tracks the number in flight, not the number served.
#[derive(Default)]
pub struct Slab {
    slots: Vec<Consignment>,
    free: Vec<u32>,
}

impl Slab {
    #[inline]
    pub fn insert(&mut self, c: Consignment) -> u32 {
        debug_assert!(c.stream != FREE);
        match self.free.pop() {
            Some(i) => {
                self.slots[i as usize] = c;
                i
            }
            None => {
                if self.slots.len() == self.slots.capacity() {
                    self.grow();
                }
                self.slots.push(c);
                (self.slots.len() - 1) as u32
            }
        }
    }

    /// Doubles the room. The new room is asked for huge pages before the
    /// consignments are copied in, so that the kernel backs it with them
    /// from the first touch (see [`crate::engine::memory::prefer_huge_pages`]).
    #[cold]
    fn grow(&mut self) {
        let mut bigger = Vec::with_capacity((2 * self.slots.capacity()).max(64));
        crate::engine::memory::prefer_huge_pages(&bigger);
        bigger.extend_from_slice(&self.slots);
        self.slots = bigger;
    }

    #[inline]
    pub fn remove(&mut self, id: u32) -> Consignment {
        let c = self.slots[id as usize];
        self.slots[id as usize].stream = FREE;
        self.free.push(id);
        c
    }

    #[inline]
    pub fn get(&self, id: u32) -> &Consignment {
        &self.slots[id as usize]
    }

    /// Starts loading consignment `id` into the caches (see
    /// [`crate::engine::memory::prefetch`]); no effect on any value.
    #[inline]
    pub fn prefetch(&self, id: u32) {
        if let Some(c) = self.slots.get(id as usize) {
            crate::engine::memory::prefetch(c);
        }
    }

    #[inline]
    pub fn get_mut(&mut self, id: u32) -> &mut Consignment {
        &mut self.slots[id as usize]
    }

    /// Consignments still in flight, post-release review jobs included.
    pub fn live(&self) -> impl Iterator<Item = &Consignment> {
        self.slots.iter().filter(|c| c.stream != FREE)
    }

    /// Slots ever allocated: the peak number in flight.
    pub fn peak(&self) -> usize {
        self.slots.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A consignment of stream 0 that arrived at `arrived` with its own
    /// `seed`, at its first step, with nothing charged yet.
    fn waiting(arrived: f64, seed: u64) -> Consignment {
        Consignment {
            stream: 0,
            step: 0,
            flags: 0,
            credit: 1,
            pool: 0,
            arrived,
            ready: 0.0,
            mark: 0.0,
            party: [0.0; 4],
            lodged: f64::NAN,
            released: f64::NAN,
            value: 0.0,
            seed,
        }
    }

    #[test]
    fn slots_are_reused() {
        let mut s = Slab::default();
        let c = |stream| Consignment {
            stream,
            ..waiting(0.0, 0)
        };
        let a = s.insert(c(0));
        let b = s.insert(c(1));
        assert_eq!(s.remove(a).stream, 0);
        let d = s.insert(c(2));
        assert_eq!(d, a);
        assert_eq!(s.get(b).stream, 1);
        assert_eq!(s.live().count(), 2);
        assert_eq!(s.peak(), 2);
    }

    /// Growing past the size at which the room asks for huge pages (8 MiB,
    /// about 80,000 consignments) keeps every consignment at its handle.
    #[test]
    fn growth_keeps_every_consignment_at_its_handle() {
        let mut s = Slab::default();
        let n = 200_000u32;
        let c = |i: u32| Consignment {
            stream: i,
            ..waiting(f64::from(i), u64::from(i) * 7)
        };
        for i in 0..n {
            assert_eq!(s.insert(c(i)), i);
        }
        assert!(s.slots.capacity() * std::mem::size_of::<Consignment>() > 8 << 20);
        for i in 0..n {
            let got = s.get(i);
            assert_eq!(
                (got.stream, got.arrived, got.seed),
                (i, f64::from(i), u64::from(i) * 7)
            );
        }
        assert_eq!(s.peak(), n as usize);
    }

    #[test]
    fn charging_counts_only_time_after_arrival() {
        let mut c = Consignment {
            stream: 0,
            step: 0,
            flags: FLAG_ADVANCE,
            credit: 1,
            pool: 0,
            arrived: 10.0,
            ready: 12.0,
            mark: 4.0,
            party: [0.0; 4],
            lodged: 4.0,
            released: f64::NAN,
            value: 0.0,
            seed: 0,
        };
        assert_eq!(c.entered(), 4.0);
        c.charge(2, 8.0); // all before arrival
        assert_eq!(c.party, [0.0; 4]);
        c.charge(0, 11.0); // 1 h of it after arrival
        c.charge(3, 12.5);
        assert_eq!(c.party, [1.0, 0.0, 0.0, 1.5]);
        assert_eq!(c.mark, 12.5);
    }
}
