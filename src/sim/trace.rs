//! Opt-in tracing of a few chosen consignments: every route step they
//! take or skip, when they reached it, waited and were served, and what was
//! decided there and why.
//!
//! The trace is plain data (times in hours from the start of the scenario,
//! model ids, enums carrying the numbers behind each decision); turning it
//! into words or pictures is the caller's business (see `crate::demo`).
//! A normal run carries no tracer and pays one never-taken branch per hook.
//! [`trace_replication`](super::trace_replication) runs a traced replication.

use crate::model::{ActivityId, Channel, Condition, CreditClass, Model, PoolId, SiteId, StepKind};

/// Which consignments to follow: the first of each channel arriving at or
/// after `after`, then more in arrival order, up to `max` in all, every
/// channel present getting one before any gets a second.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TraceSelect {
    /// Only consignments arriving at or after this time `[h]`.
    pub after: f64,
    /// How many consignments to follow.
    pub max: usize,
    /// `Some(until)`: follow the whole crowd instead, every consignment
    /// arriving in `[after, until)` whatever its channel, up to `max` (the
    /// player counts queues and busy servers from it).
    pub crowd_until: Option<f64>,
}

/// What a consignment really is (hidden from customs until found).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hidden {
    Compliant,
    Prohibited,
    Undervalued,
    Misclassified,
}

/// Why screening did or did not select a consignment for a check.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ScreeningChoice {
    /// Random targeting: selected if `draw < probability`.
    Random { draw: f64, probability: f64 },
    /// Risk-based targeting: selected if `score > threshold` (the tax score
    /// for review, the security score for inspection).
    RiskBased { score: f64, threshold: f64 },
}

/// The screening decisions taken on arrival (see `on_arrival`).
#[derive(Clone, Debug, PartialEq)]
pub struct Screening {
    /// Whose rules screened it (a customs, a region, the nation).
    pub decider: String,
    /// Flagged for document (tax) review.
    pub review: bool,
    /// The review is deferred to after release ("first release, then
    /// review").
    pub review_after_release: bool,
    pub review_choice: ScreeningChoice,
    pub inspect: bool,
    pub inspection: ScreeningChoice,
    /// Inspected by scanner rather than by hand (when inspected).
    pub scan: bool,
    /// The declaration was lodged before the goods arrived.
    pub advance: bool,
    /// Two-step declaration: a summary first.
    pub two_step: bool,
}

/// What a review or an inspection found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Finding {
    /// Nothing to find: the consignment is compliant.
    Nothing,
    /// Found the non-compliance.
    Found(Hidden),
    /// The step could see it but did not (detection below 100%).
    Missed(Hidden),
    /// The step cannot see this kind (a review cannot see goods, an
    /// inspection cannot see the price paid).
    Invisible(Hidden),
    /// An earlier step had found it already.
    AlreadyKnown(Hidden),
}

/// What happened at a step.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Decision {
    /// The step was not taken: its route condition did not hold.
    NotTaken(Condition),
    /// Lodgement skipped: the declaration was lodged in advance.
    LodgedInAdvance,
    /// Tax skipped before release: a two-step declaration pays it with its
    /// complete declaration, after release.
    TaxWithCompleteDeclaration,
    /// Laboratory test skipped before release: "first release, then
    /// inspect" tests the samples after release.
    LabTestAfterRelease,
    Lodged {
        two_step: bool,
    },
    Screened,
    Reviewed(Finding),
    Inspected {
        scan: bool,
        finding: Finding,
    },
    /// Released; `review_after`: a post-release review is scheduled.
    Released {
        review_after: bool,
    },
    /// A step with no decision (tax, sealing, transport, coordination...).
    Done,
}

/// One route step of a followed consignment.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StepTrace {
    pub activity: ActivityId,
    pub site: SiteId,
    pub step: StepKind,
    pub pool: Option<PoolId>,
    /// When the consignment reached the step (asked for the pool) `[h]`.
    pub reached: f64,
    /// When service started and ended `[h]`; NaN if the run stopped first.
    pub start: f64,
    pub end: f64,
    pub decision: Decision,
}

impl StepTrace {
    /// Whether the step was performed (not skipped).
    pub fn taken(&self) -> bool {
        !matches!(
            self.decision,
            Decision::NotTaken(_)
                | Decision::LodgedInAdvance
                | Decision::TaxWithCompleteDeclaration
                | Decision::LabTestAfterRelease
        )
    }

    /// Time spent waiting for the pool `[h]`.
    pub fn wait(&self) -> f64 {
        self.start - self.reached
    }
}

/// The post-release review of a consignment released under "first release,
/// then review".
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Audit {
    /// When its outcome is known `[h]` (NaN when there was nothing to find).
    pub at: f64,
    pub finding: Finding,
}

/// How a followed consignment left, if it did.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Outcome {
    /// Released at `released` and gone at `left` `[h]`.
    Released {
        released: f64,
        left: f64,
        audit: Option<Audit>,
    },
    Seized {
        at: f64,
    },
    /// Still in the system when the run ended.
    InProgress,
}

/// Everything that happened to one followed consignment.
#[derive(Clone, Debug, PartialEq)]
pub struct ConsignmentTrace {
    /// Its arrival number in the replication (1 for the first): the same
    /// consignment has the same number under every mode.
    pub number: u64,
    /// Index of its demand stream in `Model::streams`.
    pub stream: usize,
    pub channel: Channel,
    pub arrived: f64,
    pub credit: CreditClass,
    pub hidden: Hidden,
    /// True customs value `[yuan]`.
    pub value: f64,
    pub screening: Screening,
    pub steps: Vec<StepTrace>,
    pub outcome: Outcome,
}

/// Picks the consignments to follow and holds their traces while the
/// replication runs.
pub(super) struct Tracer {
    select: TraceSelect,
    /// The channels present in the model, in [`Channel::ALL`] order.
    channels: Vec<Channel>,
    /// Consignments followed so far, per channel.
    counts: Vec<usize>,
    pub(super) traces: Vec<ConsignmentTrace>,
    /// Followed consignments in flight: slab handle, trace index and the
    /// consignment's flags when its current step began (to tell what the
    /// step found from what was known before).
    pub(super) active: Vec<(u32, usize, u32)>,
}

impl Tracer {
    pub(super) fn new(model: &Model, select: TraceSelect) -> Self {
        let channels: Vec<Channel> = Channel::ALL
            .iter()
            .map(|(_, c)| *c)
            .filter(|c| model.streams.iter().any(|s| s.channel == *c))
            .collect();
        Self::for_channels(channels, select)
    }

    fn for_channels(channels: Vec<Channel>, select: TraceSelect) -> Self {
        Self {
            select,
            counts: vec![0; channels.len()],
            channels,
            traces: Vec::new(),
            active: Vec::new(),
        }
    }

    /// Whether to follow a consignment of `channel` arriving at `t`; if so
    /// it is counted.
    pub(super) fn wants(&mut self, channel: Channel, t: f64) -> bool {
        let taken = self.traces.len();
        if t < self.select.after || taken >= self.select.max {
            return false;
        }
        let Some(k) = self.channels.iter().position(|c| *c == channel) else {
            return false;
        };
        if let Some(until) = self.select.crowd_until {
            return t < until;
        }
        // Keep a place for each channel still without one.
        let waiting = (0..self.counts.len())
            .filter(|&j| j != k && self.counts[j] == 0)
            .count();
        let per_channel = self.select.max.div_ceil(self.channels.len());
        if self.counts[k] >= per_channel
            || (self.counts[k] > 0 && taken + waiting >= self.select.max)
        {
            return false;
        }
        self.counts[k] += 1;
        true
    }

    /// Whether every consignment to follow has been picked and has left
    /// (at time `now` `[h]`).
    pub(super) fn finished(&self, now: f64) -> bool {
        let target = if self.channels.is_empty() {
            0
        } else {
            self.select.max
        };
        let picked =
            self.traces.len() >= target || self.select.crowd_until.is_some_and(|u| now >= u);
        picked && self.active.is_empty()
    }

    /// The trace of the consignment with slab handle `c`, if followed, and
    /// its flags when the current step began.
    pub(super) fn of(&mut self, c: u32) -> Option<(&mut ConsignmentTrace, &mut u32)> {
        let (_, i, flags) = self.active.iter_mut().find(|(h, _, _)| *h == c)?;
        Some((&mut self.traces[*i], flags))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tracer(max: usize) -> Tracer {
        let channels = vec![
            Channel::GeneralTrade,
            Channel::Ecommerce9610,
            Channel::Postal,
        ];
        Tracer::for_channels(
            channels,
            TraceSelect {
                after: 10.0,
                max,
                crowd_until: None,
            },
        )
    }

    /// Picks a consignment as the replication would: counted, and its trace
    /// pushed.
    fn offer(t: &mut Tracer, channel: Channel, at: f64) -> bool {
        let yes = t.wants(channel, at);
        if yes {
            t.traces.push(ConsignmentTrace {
                number: t.traces.len() as u64,
                stream: 0,
                channel,
                arrived: at,
                credit: CreditClass::General,
                hidden: Hidden::Compliant,
                value: 0.0,
                screening: Screening {
                    decider: String::new(),
                    review: false,
                    review_after_release: false,
                    review_choice: ScreeningChoice::Random {
                        draw: 0.5,
                        probability: 0.1,
                    },
                    inspect: false,
                    inspection: ScreeningChoice::Random {
                        draw: 0.5,
                        probability: 0.1,
                    },
                    scan: false,
                    advance: false,
                    two_step: false,
                },
                steps: Vec::new(),
                outcome: Outcome::InProgress,
            });
        }
        yes
    }

    #[test]
    fn one_per_channel_after_the_start_time() {
        use Channel::*;
        let mut t = tracer(3);
        assert!(!offer(&mut t, Postal, 9.9), "before `after`");
        assert!(offer(&mut t, Ecommerce9610, 10.0));
        assert!(!offer(&mut t, Ecommerce9610, 10.1), "a second parcel waits");
        assert!(!offer(&mut t, Bonded1210, 10.2), "channel not in the model");
        assert!(offer(&mut t, Postal, 10.3));
        assert!(offer(&mut t, GeneralTrade, 10.4));
        assert!(!offer(&mut t, GeneralTrade, 10.5), "all three taken");
        assert!(t.finished(12.0));
    }

    #[test]
    fn more_than_one_per_channel_keeps_a_place_for_each() {
        use Channel::*;
        let mut t = tracer(4);
        assert!(offer(&mut t, Postal, 11.0));
        assert!(offer(&mut t, Postal, 11.1), "two per channel allowed");
        assert!(!offer(&mut t, Postal, 11.2), "at most ceil(4/3) = 2");
        assert!(offer(&mut t, Ecommerce9610, 11.3));
        assert!(
            !offer(&mut t, Ecommerce9610, 11.4),
            "the last place is general trade's"
        );
        assert!(offer(&mut t, GeneralTrade, 12.0));
        assert_eq!(t.traces.len(), 4);
    }

    #[test]
    fn a_crowd_is_every_arrival_in_its_window_up_to_max() {
        use Channel::*;
        let mut t = Tracer::for_channels(
            vec![GeneralTrade, Postal],
            TraceSelect {
                after: 10.0,
                max: 3,
                crowd_until: Some(20.0),
            },
        );
        assert!(!offer(&mut t, Postal, 9.0), "before the window");
        assert!(offer(&mut t, Postal, 10.0));
        assert!(offer(&mut t, Postal, 11.0), "no balancing of channels");
        assert!(!offer(&mut t, Bonded1210, 12.0), "channel not in the model");
        assert!(!offer(&mut t, GeneralTrade, 20.0), "after the window");
        assert!(!t.finished(19.0), "the window is still open");
        assert!(t.finished(20.0), "window over, none in flight");
        assert!(offer(&mut t, GeneralTrade, 19.0));
        assert!(!offer(&mut t, GeneralTrade, 19.5), "max reached");
        assert!(t.finished(19.5));
    }

    #[test]
    fn fewer_than_the_channels_takes_the_first_arrivals() {
        use Channel::*;
        let mut t = tracer(2);
        assert!(offer(&mut t, Postal, 11.0));
        assert!(!offer(&mut t, Postal, 11.1));
        assert!(offer(&mut t, GeneralTrade, 11.2));
        assert!(!offer(&mut t, Ecommerce9610, 11.3));
        assert!(t.finished(12.0));
        t.active.push((7, 0, 0));
        assert!(
            !t.finished(12.0),
            "a followed consignment is still in flight"
        );
        assert!(t.of(7).is_some() && t.of(8).is_none());
    }

    /// The demo draws and narrates only the steps a consignment performed:
    /// one it passed by (its condition did not hold, or the work happens
    /// elsewhere or later) is not taken; every step that decided something,
    /// or simply ran, is.
    #[test]
    fn a_step_passed_by_is_not_taken() {
        let step = |decision| StepTrace {
            activity: ActivityId(0),
            site: SiteId(0),
            step: StepKind::Inspection,
            pool: None,
            reached: 1.0,
            start: 1.0,
            end: 2.0,
            decision,
        };
        for passed in [
            Decision::NotTaken(Condition::FlaggedForInspection),
            Decision::LodgedInAdvance,
            Decision::TaxWithCompleteDeclaration,
            Decision::LabTestAfterRelease,
        ] {
            assert!(!step(passed).taken(), "{passed:?}");
        }
        for done in [
            Decision::Lodged { two_step: false },
            Decision::Screened,
            Decision::Reviewed(Finding::Nothing),
            Decision::Inspected {
                scan: true,
                finding: Finding::Nothing,
            },
            Decision::Released {
                review_after: false,
            },
            Decision::Done,
        ] {
            assert!(step(done).taken(), "{done:?}");
        }
    }
}
