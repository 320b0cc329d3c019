//! The demo's narrated timeline: for each followed consignment, who it is,
//! what screening decided and why, then one line per route step (site, step,
//! start, end, waiting, work, decision and why), and how it left.

use std::fmt::Write;

use crate::model::{Condition, Mode, Model, StepKind};
use crate::sim::trace::*;

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// A time `[h]` as "day D Www HH:MM" counted from the scenario start (day 1
/// begins at hour 0 on weekday `start_weekday`, 0 = Monday), rounded to the
/// minute.
pub fn clock(t: f64, start_weekday: usize) -> String {
    if !t.is_finite() {
        return "-".to_string();
    }
    let minutes = (t * 60.0).round().max(0.0) as u64;
    let (day, rest) = (minutes / 1440, minutes % 1440);
    let weekday = WEEKDAYS[(day as usize + start_weekday) % 7];
    format!(
        "day {} {weekday} {:02}:{:02}",
        day + 1,
        rest / 60,
        rest % 60
    )
}

/// Hours with two decimals, or "-" when unknown.
fn hours(h: f64) -> String {
    if h.is_finite() {
        format!("{h:.2}")
    } else {
        "-".to_string()
    }
}

/// Where a step happens, as the timeline and the swimlane name it: the site
/// id, or the road for transport and the data link for coordination.
pub fn place(model: &Model, step: &StepTrace) -> String {
    match step.step {
        StepKind::Transport => match model.links.iter().find(|l| l.activity == step.activity) {
            Some(l) => format!("{} → {}", model.site(l.from).id, model.site(l.to).id),
            None => format!("road → {}", model.site(step.site).id),
        },
        StepKind::Coordination => "data exchange".to_string(),
        _ => model.site(step.site).id.clone(),
    }
}

fn hidden_name(h: Hidden) -> &'static str {
    match h {
        Hidden::Compliant => "compliant",
        Hidden::Prohibited => "prohibited goods",
        Hidden::Undervalued => "undervaluation",
        Hidden::Misclassified => "misclassification",
    }
}

/// Why screening did or did not select for a check, with its numbers.
fn choice_why(choice: ScreeningChoice, selected: bool, score: &str, rate: &str) -> String {
    match choice {
        ScreeningChoice::RiskBased {
            score: x,
            threshold,
        } => {
            let cmp = if selected { ">" } else { "≤" };
            format!("{score} {x:.2} {cmp} threshold {threshold:.2}")
        }
        ScreeningChoice::Random { draw, probability } => {
            let cmp = if selected { "<" } else { "≥" };
            format!(
                "random draw {draw:.3} {cmp} {:.1}% {rate}",
                probability * 100.0
            )
        }
    }
}

fn inspection_why(s: &Screening) -> String {
    choice_why(s.inspection, s.inspect, "security score", "inspection rate")
}

fn review_why(s: &Screening) -> String {
    choice_why(s.review_choice, s.review, "tax score", "review rate")
}

fn screening_line(s: &Screening) -> String {
    let review = match (s.review, s.review_after_release) {
        (false, _) => format!("no ({})", review_why(s)),
        (true, false) => format!("YES ({})", review_why(s)),
        (true, true) => format!("after release ({})", review_why(s)),
    };
    let inspection = if s.inspect {
        let how = if s.scan { "by scanner" } else { "by hand" };
        format!("YES, {how} ({})", inspection_why(s))
    } else {
        format!("no ({})", inspection_why(s))
    };
    format!(
        "by {}: document review {review}; physical inspection {inspection}",
        s.decider
    )
}

/// A step's decision and the reason for it, in words.
pub fn decision(t: &ConsignmentTrace, step: &StepTrace) -> String {
    let s = &t.screening;
    match step.decision {
        Decision::LodgedInAdvance => "skipped: declaration lodged in advance".to_string(),
        Decision::TaxWithCompleteDeclaration => {
            "deferred: paid with the complete declaration (two-step, under guarantee)".to_string()
        }
        Decision::LabTestAfterRelease => {
            "deferred: samples tested after release (first release, then inspect)".to_string()
        }
        Decision::NotTaken(c) => match c {
            Condition::FlaggedForReview if s.review && s.review_after_release => {
                "skipped: review moved after release (first release, then review)".to_string()
            }
            Condition::FlaggedForReview => format!("skipped: not selected ({})", review_why(s)),
            Condition::FlaggedForScan if s.inspect => {
                "skipped: inspected by hand instead".to_string()
            }
            Condition::FlaggedForManual if s.inspect => {
                "skipped: inspected by scanner instead".to_string()
            }
            Condition::FlaggedForInspection
            | Condition::FlaggedForScan
            | Condition::FlaggedForManual => {
                format!("skipped: not selected ({})", inspection_why(s))
            }
            Condition::NotFlaggedForInspection => {
                "skipped: only for goods not ordered for inspection".to_string()
            }
            Condition::NeedsCertificate => "skipped: no certificate needed".to_string(),
            Condition::NeedsLabTest => "skipped: no laboratory test needed".to_string(),
            Condition::Always => "skipped".to_string(),
        },
        Decision::Lodged { two_step: true } => {
            "summary declaration lodged (two-step; complete one within 14 days)".to_string()
        }
        Decision::Lodged { two_step: false } => "declaration lodged".to_string(),
        Decision::Screened => {
            let r = if s.review { "review" } else { "no review" };
            let i = match (s.inspect, s.scan) {
                (true, true) => "scan",
                (true, false) => "manual inspection",
                (false, _) => "no inspection",
            };
            format!("screened to {r}, {i}: {}", inspection_why(s))
        }
        Decision::Reviewed(f) => match f {
            Finding::Nothing => "documents in order".to_string(),
            Finding::Found(h) => format!("review found {} → tax corrected", hidden_name(h)),
            Finding::Missed(h) => format!("review missed the {}", hidden_name(h)),
            Finding::Invisible(h) => {
                format!("papers in order ({} do not show on paper)", hidden_name(h))
            }
            Finding::AlreadyKnown(h) => format!("{} already corrected", hidden_name(h)),
        },
        Decision::Inspected { finding, .. } => match finding {
            Finding::Found(Hidden::Prohibited) => "seized: prohibited goods found".to_string(),
            Finding::Nothing => "goods as declared".to_string(),
            Finding::Found(h) => format!("found {} → tax corrected", hidden_name(h)),
            Finding::Missed(h) => format!("inspection missed the {}", hidden_name(h)),
            Finding::Invisible(h) => {
                format!("goods as declared (the {} is not visible)", hidden_name(h))
            }
            Finding::AlreadyKnown(h) => format!("{} already corrected", hidden_name(h)),
        },
        Decision::Released { review_after: true } => {
            "released; post-release review scheduled (first release, then review)".to_string()
        }
        Decision::Released {
            review_after: false,
        } => "released".to_string(),
        Decision::Done
            if step.step == StepKind::ArrivalConfirmation
                && matches!(t.outcome, Outcome::Seized { at } if at == step.end) =>
        {
            "seal check: the load was diverted en route; seized".to_string()
        }
        Decision::Done => match step.step {
            StepKind::Tax => "duty and tax paid or guaranteed",
            StepKind::Certificates => "supervision certificate issued",
            StepKind::Sealing => "transit declaration lodged, goods sealed",
            StepKind::Transport => "moved under customs seal",
            StepKind::ArrivalConfirmation => "arrival confirmed, seals intact",
            StepKind::Coordination => "review result reaches the port customs (not integrated)",
            _ => "done",
        }
        .to_string(),
    }
}

/// How the consignment left, and what its release took.
pub fn outcome_line(model: &Model, t: &ConsignmentTrace) -> String {
    let wd = model.start_weekday;
    match t.outcome {
        Outcome::Released {
            released,
            left,
            audit,
        } => {
            let mut line = format!(
                "released {} after {} h (arrival → release); gone {}",
                clock(released, wd),
                hours(released - t.arrived),
                clock(left, wd)
            );
            if let Some(a) = audit {
                let what = match a.finding {
                    Finding::Found(h) => {
                        format!(
                            "finds the {} at {}: tax recovered",
                            hidden_name(h),
                            clock(a.at, wd)
                        )
                    }
                    Finding::Missed(h) => {
                        format!("misses the {} ({})", hidden_name(h), clock(a.at, wd))
                    }
                    _ => "nothing to recover".to_string(),
                };
                let _ = write!(line, "; post-release review {what}");
            }
            line
        }
        Outcome::Seized { at } => format!(
            "seized {} after {} h: prohibited goods do not enter",
            clock(at, wd),
            hours(at - t.arrived)
        ),
        Outcome::InProgress => "still in clearance when the run ended".to_string(),
    }
}

/// Who a followed consignment is and what screening decided: the lines
/// that open its part of the timeline.
pub fn header(model: &Model, t: &ConsignmentTrace) -> [String; 3] {
    let wd = model.start_weekday;
    let stream = &model.streams[t.stream];
    [
        format!(
            "{} #{} (stream {}) arrived {} (t = {} h) at {}",
            t.channel.name(),
            t.number,
            stream.id,
            clock(t.arrived, wd),
            hours(t.arrived),
            model.site(stream.port).id,
        ),
        format!(
            "  importer of {} credit; value {:.0} yuan; hidden truth: {} (customs does not know)",
            t.credit.name(),
            t.value,
            hidden_name(t.hidden)
        ),
        format!("  screening: {}", screening_line(&t.screening)),
    ]
}

/// One step's row of the timeline: site, step, start, end, wait, work (the
/// four times empty for a step not taken) and the decision.
pub fn step_cells(model: &Model, t: &ConsignmentTrace, s: &StepTrace) -> [String; 7] {
    let wd = model.start_weekday;
    let taken = s.taken();
    let when = |text: String| if taken { text } else { String::new() };
    [
        place(model, s),
        s.step.name().to_string(),
        when(clock(s.start, wd)),
        when(clock(s.end, wd)),
        when(hours(s.wait())),
        when(hours(s.end - s.start)),
        decision(t, s),
    ]
}

/// The narrated timeline of one mode.
pub fn narrate(mode: Mode, model: &Model, traces: &[ConsignmentTrace]) -> String {
    let mut out = String::new();
    let title = format!("== Mode: {} ", mode.name());
    let _ = writeln!(out, "{title:=<100}");
    let _ = writeln!(out, "{}", super::explain(mode));
    if traces.is_empty() {
        let _ = writeln!(out, "\n(no consignment arrived in the time followed)");
    }
    for t in traces {
        out.push('\n');
        for line in header(model, t) {
            let _ = writeln!(out, "{line}");
        }
        let rows: Vec<[String; 7]> = t.steps.iter().map(|s| step_cells(model, t, s)).collect();
        let head = [
            "site",
            "step",
            "start",
            "end",
            "wait h",
            "work h",
            "decision and why",
        ];
        let width = |i: usize| {
            rows.iter()
                .map(|r| r[i].chars().count())
                .chain([head[i].len()])
                .max()
                .unwrap_or(0)
        };
        let w: Vec<usize> = (0..6).map(width).collect();
        let line = |cells: [&str; 7]| {
            format!(
                "  {:<w0$}  {:<w1$}  {:<w2$}  {:<w3$}  {:>w4$}  {:>w5$}  {}",
                cells[0],
                cells[1],
                cells[2],
                cells[3],
                cells[4],
                cells[5],
                cells[6],
                w0 = w[0],
                w1 = w[1],
                w2 = w[2],
                w3 = w[3],
                w4 = w[4],
                w5 = w[5],
            )
            .trim_end()
            .to_string()
        };
        let _ = writeln!(out, "{}", line(head));
        for r in &rows {
            let cells: [&str; 7] = std::array::from_fn(|i| r[i].as_str());
            let _ = writeln!(out, "{}", line(cells));
        }
        let _ = writeln!(out, "  => {}", outcome_line(model, t));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_counts_days_from_one_and_names_the_weekday() {
        assert_eq!(clock(0.0, 0), "day 1 Mon 00:00");
        assert_eq!(clock(58.5, 0), "day 3 Wed 10:30");
        assert_eq!(
            clock(23.9999, 0),
            "day 2 Tue 00:00",
            "rounded to the minute"
        );
        assert_eq!(clock(24.0 * 6.0 + 1.25, 0), "day 7 Sun 01:15");
        assert_eq!(clock(24.0 * 7.0, 0), "day 8 Mon 00:00");
        assert_eq!(clock(1.0, 4), "day 1 Fri 01:00");
        assert_eq!(clock(f64::NAN, 0), "-");
    }

    #[test]
    fn hours_have_two_decimals() {
        assert_eq!(hours(1.0 / 3.0), "0.33");
        assert_eq!(hours(f64::NAN), "-");
    }
}
