//! The replication's tracing hooks: called only for consignments carrying
//! `FLAG_TRACED` (or, on arrival, only when a tracer is present), so a
//! normal run never enters them. They record, never decide: every draw they
//! repeat comes from the consignment's own generators, so a traced run
//! simulates exactly what an untraced one does.

use super::super::trace::*;
use super::{Exit, Replication, audit_outcome};
use crate::model::{Condition, CreditClass, Model, StepKind, Targeting, TaxTiming};
use crate::sim::consignment::*;

/// Runs one replication of `model` with replication seed `seed` (see
/// [`crate::engine::rng::replication_seed`]), following the consignments
/// `select` picks, and returns their traces in arrival order. The run stops
/// as soon as every followed consignment has left.
pub fn trace_replication(model: &Model, seed: u64, select: TraceSelect) -> Vec<ConsignmentTrace> {
    let mut r = Replication::new(model, seed);
    r.trace = Some(Box::new(Tracer::new(model, select)));
    r.run();
    r.trace.map(|t| t.traces).unwrap_or_default()
}

fn hidden(flags: u32) -> Hidden {
    if flags & TRUTH_PROHIBITED != 0 {
        Hidden::Prohibited
    } else if flags & TRUTH_UNDERVALUED != 0 {
        Hidden::Undervalued
    } else if flags & TRUTH_MISCLASSIFIED != 0 {
        Hidden::Misclassified
    } else {
        Hidden::Compliant
    }
}

/// What a review (`inspection` false) or an inspection found, from the
/// consignment's flags before and after the step.
fn finding(before: u32, after: u32, inspection: bool) -> Finding {
    let h = hidden(after);
    let seen = if inspection {
        SEEN_BY_INSPECTION
    } else {
        SEEN_BY_REVIEW
    };
    let visible = after & seen != 0;
    if h == Hidden::Compliant {
        Finding::Nothing
    } else if !visible {
        Finding::Invisible(h)
    } else if before & FOUND != 0 {
        Finding::AlreadyKnown(h)
    } else if after & FOUND != 0 {
        Finding::Found(h)
    } else {
        Finding::Missed(h)
    }
}

impl Replication<'_> {
    /// A consignment has arrived and been screened: follow it if the tracer
    /// wants it.
    #[cold]
    #[inline(never)]
    pub(super) fn trace_arrival(&mut self, c: u32, draws: [f64; 2], scores: [f64; 2]) {
        let model = self.model;
        let now = self.now;
        let number = self.consignments;
        let cons = *self.slab.get(c);
        let stream = &model.streams[cons.stream as usize];
        let Some(tr) = self.trace.as_deref_mut() else {
            return;
        };
        if !tr.wants(stream.channel, now) {
            return;
        }
        let class = &stream.screening[cons.credit as usize];
        let choice = |k: usize, sel: &crate::model::Selection| match stream.rules.targeting {
            Targeting::Random => ScreeningChoice::Random {
                draw: draws[k],
                probability: sel.probability,
            },
            Targeting::RiskBased => ScreeningChoice::RiskBased {
                score: scores[k],
                threshold: sel.threshold,
            },
        };
        let screening = Screening {
            decider: model.decider_name(stream.decider),
            review: cons.has(FLAG_REVIEW | FLAG_AUDIT),
            // "First release, then review", or a two-step declaration's
            // complete declaration reviewed after release.
            review_after_release: model.policy.tax_timing == TaxTiming::AfterRelease
                || cons.has(FLAG_TWO_STEP),
            review_choice: choice(0, &class.review),
            inspect: cons.has(FLAG_INSPECT),
            inspection: choice(1, &class.inspection),
            scan: cons.has(FLAG_SCAN),
            advance: cons.has(FLAG_ADVANCE),
            two_step: cons.has(FLAG_TWO_STEP),
        };
        tr.active.push((c, tr.traces.len(), cons.flags));
        tr.traces.push(ConsignmentTrace {
            number,
            stream: cons.stream as usize,
            channel: stream.channel,
            arrived: now,
            credit: CreditClass::ALL[cons.credit as usize],
            hidden: hidden(cons.flags),
            value: cons.value,
            screening,
            steps: Vec::new(),
            outcome: Outcome::InProgress,
        });
        self.slab.get_mut(c).flags |= FLAG_TRACED;
    }

    fn push_step(&mut self, c: u32, a: usize, decision: Decision, start: f64, end: f64) {
        let activity = &self.model.activities[a];
        let flags = self.slab.get(c).flags;
        let now = self.now;
        if let Some((t, before)) = self.trace.as_deref_mut().and_then(|tr| tr.of(c)) {
            *before = flags;
            t.steps.push(StepTrace {
                activity: crate::model::ActivityId(a as u32),
                site: activity.site,
                step: activity.step,
                pool: activity.pool,
                reached: now,
                start,
                end,
                decision,
            });
        }
    }

    /// A route step is passed by: its condition does not hold, the
    /// declaration was lodged in advance, or a two-step declaration's tax
    /// waits for its complete declaration.
    #[cold]
    #[inline(never)]
    pub(super) fn trace_skip(&mut self, c: u32, a: usize, condition: Condition, skipped: bool) {
        let decision = match self.model.activities[a].step {
            crate::model::StepKind::Tax if skipped => Decision::TaxWithCompleteDeclaration,
            crate::model::StepKind::LabTest if skipped => Decision::LabTestAfterRelease,
            _ if skipped => Decision::LodgedInAdvance,
            _ => Decision::NotTaken(condition),
        };
        self.push_step(c, a, decision, self.now, self.now);
    }

    /// A route step is reached: the consignment asks for its pool, or
    /// starts it at once.
    #[cold]
    #[inline(never)]
    pub(super) fn trace_reach(&mut self, c: u32, a: usize) {
        let activity = &self.model.activities[a];
        let cons = self.slab.get(c);
        let decision = match activity.step {
            StepKind::Lodgement => Decision::Lodged {
                two_step: cons.has(FLAG_TWO_STEP),
            },
            StepKind::Screening => Decision::Screened,
            StepKind::Release => Decision::Released {
                review_after: cons.has(FLAG_AUDIT),
            },
            _ => Decision::Done,
        };
        // An instantaneous step with no pool is over as soon as reached.
        let (start, end) = if activity.pool.is_none() && activity.duration.is_zero() {
            (self.now, self.now)
        } else {
            (f64::NAN, f64::NAN)
        };
        self.push_step(c, a, decision, start, end);
    }

    /// Service of the current step starts now and ends at `end`.
    #[cold]
    #[inline(never)]
    pub(super) fn trace_start(&mut self, c: u32, end: f64) {
        let now = self.now;
        if let Some((t, _)) = self.trace.as_deref_mut().and_then(|tr| tr.of(c))
            && let Some(step) = t.steps.last_mut()
        {
            step.start = now;
            step.end = end;
        }
    }

    /// A step with an outcome is over: record what it found.
    #[cold]
    #[inline(never)]
    pub(super) fn trace_complete(&mut self, c: u32, a: usize) {
        let step = self.model.activities[a].step;
        let after = self.slab.get(c).flags;
        let Some((t, before)) = self.trace.as_deref_mut().and_then(|tr| tr.of(c)) else {
            return;
        };
        let Some(last) = t.steps.last_mut() else {
            return;
        };
        match step {
            StepKind::Review => last.decision = Decision::Reviewed(finding(*before, after, false)),
            StepKind::Inspection | StepKind::Scan => {
                last.decision = Decision::Inspected {
                    scan: step == StepKind::Scan,
                    finding: finding(*before, after, true),
                }
            }
            _ => {}
        }
        *before = after;
    }

    /// A followed consignment leaves: released (with the post-release review
    /// it will get, drawn as `depart` draws it) or seized.
    #[cold]
    #[inline(never)]
    pub(super) fn trace_depart(&mut self, c: u32, cons: &Consignment, exit: Exit) {
        let now = self.now;
        let policy = &self.model.policy;
        let Some(tr) = self.trace.as_deref_mut() else {
            return;
        };
        let Some(k) = tr.active.iter().position(|(h, _, _)| *h == c) else {
            return;
        };
        let (_, i, before) = tr.active.swap_remove(k);
        let t = &mut tr.traces[i];
        t.outcome = match exit {
            Exit::Seized => {
                if let Some(last) = t.steps.last_mut() {
                    last.decision = Decision::Inspected {
                        scan: last.step == StepKind::Scan,
                        finding: finding(before, cons.flags, true),
                    };
                }
                Outcome::Seized { at: now }
            }
            Exit::Released => {
                let audit = cons
                    .has(FLAG_AUDIT)
                    .then(|| match audit_outcome(cons, policy) {
                        Some((hit, delay)) => {
                            let h = hidden(cons.flags);
                            Audit {
                                at: cons.released + delay,
                                finding: if hit {
                                    Finding::Found(h)
                                } else {
                                    Finding::Missed(h)
                                },
                            }
                        }
                        None => Audit {
                            at: f64::NAN,
                            finding: finding(cons.flags, cons.flags, false),
                        },
                    });
                Outcome::Released {
                    released: cons.released_by(now),
                    left: now,
                    audit,
                }
            }
        };
        if tr.finished(now) {
            self.stop_at = now;
        }
    }
}
