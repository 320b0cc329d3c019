//! Clearance modes as routes: ordered steps, each performed at a site and
//! taken only when its condition holds.

use super::{ActivityId, Site};

/// The steps of clearance, in the order the port-clearance route takes them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepKind {
    /// The declaration is lodged with customs.
    Lodgement,
    /// Automated risk screening by the risk centre (decides review and
    /// inspection).
    Screening,
    /// Document (declaration) review by an officer.
    Review,
    /// Physical inspection (scanner or manual examination).
    Inspection,
    /// Duty and tax paid or guaranteed.
    Tax,
    /// Release and gate-out formalities.
    Release,
}

impl StepKind {
    pub const COUNT: usize = 6;
    pub const ALL: [StepKind; StepKind::COUNT] = [
        StepKind::Lodgement,
        StepKind::Screening,
        StepKind::Review,
        StepKind::Inspection,
        StepKind::Tax,
        StepKind::Release,
    ];

    pub fn index(self) -> usize {
        self as usize
    }

    /// The key used in scenario files.
    pub fn name(self) -> &'static str {
        match self {
            StepKind::Lodgement => "lodgement",
            StepKind::Screening => "screening",
            StepKind::Review => "review",
            StepKind::Inspection => "inspection",
            StepKind::Tax => "tax",
            StepKind::Release => "release",
        }
    }
}

/// When a route step is taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Condition {
    Always,
    /// Only if screening flagged the consignment for document review.
    FlaggedForReview,
    /// Only if screening flagged the consignment for physical inspection.
    FlaggedForInspection,
}

/// A clearance mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Declaration, review, inspection, tax and release all at the port's
    /// customs.
    PortClearance,
}

impl Mode {
    pub const ALL: [(&'static str, Mode); 1] = [("port_clearance", Mode::PortClearance)];

    pub fn parse(s: &str) -> Option<Mode> {
        Self::ALL.iter().find(|(n, _)| *n == s).map(|(_, m)| *m)
    }

    pub fn name(self) -> &'static str {
        match self {
            Mode::PortClearance => "port_clearance",
        }
    }

    /// The route a consignment entering at `port` follows under this mode.
    pub fn route(self, port: &Site) -> Route {
        match self {
            Mode::PortClearance => {
                let at = |k: StepKind| port.activities[k.index()];
                let step = |k: StepKind, condition| RouteStep {
                    activity: at(k),
                    condition,
                };
                Route {
                    steps: vec![
                        step(StepKind::Lodgement, Condition::Always),
                        step(StepKind::Screening, Condition::Always),
                        step(StepKind::Review, Condition::FlaggedForReview),
                        step(StepKind::Inspection, Condition::FlaggedForInspection),
                        step(StepKind::Tax, Condition::Always),
                        step(StepKind::Release, Condition::Always),
                    ],
                }
            }
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RouteStep {
    pub activity: ActivityId,
    pub condition: Condition,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Route {
    pub steps: Vec<RouteStep>,
}
