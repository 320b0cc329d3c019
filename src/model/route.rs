//! Clearance modes as routes: ordered steps, each performed at a site (or on
//! a transport link, or between customs) and taken only when its condition
//! holds. `docs/model.md` draws each route.

use super::{ActivityId, Site};

/// The steps of clearance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepKind {
    /// The declaration is lodged with customs.
    Lodgement,
    /// Automated risk screening (decides review and inspection).
    Screening,
    /// Document (declaration) review by an officer.
    Review,
    /// Manual physical examination.
    Inspection,
    /// Non-intrusive inspection by scanner (X-ray, CT).
    Scan,
    /// Duty and tax paid or guaranteed.
    Tax,
    /// Release and gate-out formalities.
    Release,
    /// Customs transit: transit declaration and sealing at the entry port.
    Sealing,
    /// Customs transit: arrival confirmed and seals checked at destination.
    ArrivalConfirmation,
    /// A supervision certificate (licence, quarantine permit) obtained from
    /// another agency before the declaration can be lodged.
    Certificates,
    /// The port's work between the means of transport's arrival and the
    /// goods being available to customs and the trader: discharge, moving
    /// the box to the yard. Not a route step: it runs alongside the
    /// paperwork from arrival, and every step that needs the goods
    /// (inspection, scan, sealing, transport, release) waits for it.
    Discharge,
    /// Laboratory test of samples drawn from the goods (ores, some foods
    /// and chemicals): conformity assessment by a customs laboratory. Under
    /// "first release, then inspect" it follows release (see `sim`).
    LabTest,
    /// Supervised transport over a link from a port to an inland customs.
    Transport,
    /// Data exchange between two customs that are not integrated.
    Coordination,
}

impl StepKind {
    /// Steps performed at a site, configured under `[sites.steps.*]`.
    pub const SITE_STEPS: usize = 12;
    pub const AT_SITE: [StepKind; StepKind::SITE_STEPS] = [
        StepKind::Lodgement,
        StepKind::Screening,
        StepKind::Review,
        StepKind::Inspection,
        StepKind::Scan,
        StepKind::Tax,
        StepKind::Release,
        StepKind::Sealing,
        StepKind::ArrivalConfirmation,
        StepKind::Certificates,
        StepKind::Discharge,
        StepKind::LabTest,
    ];

    /// Position among the site steps (transport and coordination are not
    /// site steps and have no index).
    pub fn index(self) -> usize {
        self as usize
    }

    /// Whether finishing the step changes what is known of the consignment
    /// (lodgement time, review and inspection findings, a diversion on the
    /// way under seal and the seal check that may find it). A step that
    /// takes no time is still done when it has an outcome: an
    /// instantaneous (electronic) seal check still finds diversions.
    #[inline]
    pub fn has_outcome(self) -> bool {
        matches!(
            self,
            StepKind::Lodgement
                | StepKind::Review
                | StepKind::Inspection
                | StepKind::Scan
                | StepKind::LabTest
                | StepKind::Transport
                | StepKind::ArrivalConfirmation
        )
    }

    /// A number naming the step in the consignment's own random numbers
    /// (see `sim`), fixed once given: a step added later gets a new one, so
    /// adding steps shifts no existing draw and old results stay the same.
    #[inline]
    pub fn draw_tag(self) -> u64 {
        match self {
            StepKind::Lodgement => 0,
            StepKind::Screening => 1,
            StepKind::Review => 2,
            StepKind::Inspection => 3,
            StepKind::Scan => 4,
            StepKind::Tax => 5,
            StepKind::Release => 6,
            StepKind::Sealing => 7,
            StepKind::ArrivalConfirmation => 8,
            StepKind::Transport => 9,
            StepKind::Coordination => 10,
            StepKind::Certificates => 11,
            StepKind::Discharge => 12,
            StepKind::LabTest => 13,
        }
    }

    /// Whether the step needs the goods themselves, not only their papers:
    /// it cannot start before they are discharged and available. Lodgement,
    /// screening, review, certificates and tax can all be done before the
    /// goods arrive (pre-arrival processing of an advance declaration).
    #[inline]
    pub fn needs_goods(self) -> bool {
        matches!(
            self,
            StepKind::Inspection
                | StepKind::Scan
                | StepKind::Release
                | StepKind::Sealing
                | StepKind::Transport
                | StepKind::ArrivalConfirmation
                | StepKind::LabTest
        )
    }

    /// The key used in scenario files.
    pub fn name(self) -> &'static str {
        match self {
            StepKind::Lodgement => "lodgement",
            StepKind::Screening => "screening",
            StepKind::Review => "review",
            StepKind::Inspection => "inspection",
            StepKind::Scan => "scan",
            StepKind::Tax => "tax",
            StepKind::Release => "release",
            StepKind::Sealing => "sealing",
            StepKind::ArrivalConfirmation => "arrival_confirmation",
            StepKind::Certificates => "certificates",
            StepKind::Discharge => "discharge",
            StepKind::LabTest => "lab_test",
            StepKind::Transport => "transport",
            StepKind::Coordination => "coordination",
        }
    }
}

/// When a route step is taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Condition {
    Always,
    /// Only if screening flagged the consignment for document review.
    FlaggedForReview,
    /// Only if screening flagged the consignment for physical inspection
    /// (by either method).
    FlaggedForInspection,
    /// Only if flagged for inspection and assigned to the scanner.
    FlaggedForScan,
    /// Only if flagged for inspection and assigned to manual examination.
    FlaggedForManual,
    /// Only if screening did not flag it for inspection.
    NotFlaggedForInspection,
    /// Only if its goods need a supervision certificate.
    NeedsCertificate,
    /// Only if its goods need a laboratory test.
    NeedsLabTest,
}

/// The five clearance modes of China's clearance integration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Declaration, review, inspection, tax and release all at the port's
    /// customs.
    PortClearance,
    /// Declared and reviewed at the home (territorial) customs; inspected and
    /// released at the port. Where the two customs are not integrated, the
    /// review result reaches the port after a coordination delay.
    TerritorialDeclarationPortRelease,
    /// Cleared at the home customs, which sends the release to the port where
    /// the goods are collected. Goods ordered for inspection travel to the
    /// home customs' designated site and are inspected and released there.
    TerritorialDeclarationRelease,
    /// Transit declaration and sealing at the port, supervised transport to
    /// the home customs, arrival confirmation, then full clearance there.
    CustomsTransit,
    /// Declared at any customs of an integrated region; the regional centre
    /// screens and reviews with pooled officers; the port inspects only what
    /// is ordered and releases. No transit, no re-declaration.
    RegionalIntegration,
}

impl Mode {
    pub const ALL: [(&'static str, Mode); 5] = [
        ("port_clearance", Mode::PortClearance),
        (
            "territorial_declaration_port_release",
            Mode::TerritorialDeclarationPortRelease,
        ),
        (
            "territorial_declaration_release",
            Mode::TerritorialDeclarationRelease,
        ),
        ("customs_transit", Mode::CustomsTransit),
        ("regional_integration", Mode::RegionalIntegration),
    ];

    pub fn parse(s: &str) -> Option<Mode> {
        Self::ALL.iter().find(|(n, _)| *n == s).map(|(_, m)| *m)
    }

    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, m)| *m == self)
            .map(|(n, _)| *n)
            .expect("every mode is listed")
    }

    /// Whether the mode needs the stream's home (territorial) customs.
    pub fn needs_home(self) -> bool {
        self != Mode::PortClearance
    }

    /// Whether importers of credit class `class` may use the mode. The
    /// territorial modes were opened by credit: Qingdao customs, for one,
    /// opened "territorial declaration, territorial release" to its AA
    /// enterprises and "territorial declaration, port inspection and
    /// release" down to class-B production enterprises from 1 Nov 2013
    /// (Dazhong Daily, 3 Nov 2013). In clearsim's three classes: mode 3 for
    /// advanced-certified importers, mode 2 for all but the discredited;
    /// port clearance, transit and regional integration for everyone.
    pub fn open_to(self, class: super::CreditClass) -> bool {
        use super::CreditClass::*;
        match self {
            Mode::TerritorialDeclarationRelease => class == Advanced,
            Mode::TerritorialDeclarationPortRelease => class != Discredited,
            _ => true,
        }
    }

    /// The mode an importer of `class` falls back to when it may not use
    /// this one: the next less trusting, ending at port clearance.
    pub fn fallback(self) -> Mode {
        match self {
            Mode::TerritorialDeclarationRelease => Mode::TerritorialDeclarationPortRelease,
            _ => Mode::PortClearance,
        }
    }

    /// Whether the mode moves goods over a port → home link.
    pub fn needs_link(self) -> bool {
        matches!(
            self,
            Mode::TerritorialDeclarationRelease | Mode::CustomsTransit
        )
    }

    /// The route of a consignment under this mode. The caller has checked
    /// that `ctx` holds what the mode needs (see `needs_home`, `needs_link`).
    pub fn route(self, ctx: &RouteContext) -> Route {
        use Condition::*;
        use StepKind::*;
        let port = |k: StepKind, c| ctx.at(ctx.port, k, c);
        let home = |k: StepKind, c| ctx.at(ctx.home.unwrap_or(ctx.port), k, c);
        let centre = |k: StepKind, c| ctx.at(ctx.centre.unwrap_or(ctx.port), k, c);
        let mut steps = Vec::new();
        let mut push = |s: Option<RouteStep>| steps.extend(s);
        let transport = |c| {
            ctx.transport.map(|activity| RouteStep {
                activity,
                condition: c,
            })
        };
        let coordination = |c| {
            ctx.coordination.map(|activity| RouteStep {
                activity,
                condition: c,
            })
        };
        match self {
            Mode::PortClearance => {
                push(Some(port(Certificates, NeedsCertificate)));
                for (k, c) in FULL_CLEARANCE {
                    push(Some(port(k, c)));
                }
            }
            Mode::TerritorialDeclarationPortRelease => {
                push(Some(home(Certificates, NeedsCertificate)));
                push(Some(home(Lodgement, Always)));
                push(Some(home(Screening, Always)));
                push(Some(home(Review, FlaggedForReview)));
                push(coordination(Always));
                push(Some(port(Scan, FlaggedForScan)));
                push(Some(port(Inspection, FlaggedForManual)));
                push(Some(port(LabTest, NeedsLabTest)));
                push(Some(home(Tax, Always)));
                push(Some(port(Release, Always)));
            }
            Mode::TerritorialDeclarationRelease => {
                push(Some(home(Certificates, NeedsCertificate)));
                push(Some(home(Lodgement, Always)));
                push(Some(home(Screening, Always)));
                push(Some(home(Review, FlaggedForReview)));
                push(transport(FlaggedForInspection));
                push(Some(home(Scan, FlaggedForScan)));
                push(Some(home(Inspection, FlaggedForManual)));
                push(Some(home(LabTest, NeedsLabTest)));
                push(Some(home(Tax, Always)));
                push(coordination(NotFlaggedForInspection));
                push(Some(port(Release, NotFlaggedForInspection)));
                push(Some(home(Release, FlaggedForInspection)));
            }
            Mode::CustomsTransit => {
                push(Some(home(Certificates, NeedsCertificate)));
                push(Some(port(Sealing, Always)));
                push(transport(Always));
                push(Some(home(ArrivalConfirmation, Always)));
                for (k, c) in FULL_CLEARANCE {
                    push(Some(home(k, c)));
                }
            }
            Mode::RegionalIntegration => {
                push(Some(home(Certificates, NeedsCertificate)));
                push(Some(home(Lodgement, Always)));
                push(Some(centre(Screening, Always)));
                push(Some(centre(Review, FlaggedForReview)));
                push(Some(port(Scan, FlaggedForScan)));
                push(Some(port(Inspection, FlaggedForManual)));
                push(Some(port(LabTest, NeedsLabTest)));
                push(Some(home(Tax, Always)));
                push(Some(port(Release, Always)));
            }
        }
        Route { steps }
    }
}

/// Full clearance at one site: what port clearance does at the port and
/// customs transit does again at the destination.
const FULL_CLEARANCE: [(StepKind, Condition); 8] = [
    (StepKind::Lodgement, Condition::Always),
    (StepKind::Screening, Condition::Always),
    (StepKind::Review, Condition::FlaggedForReview),
    (StepKind::Scan, Condition::FlaggedForScan),
    (StepKind::Inspection, Condition::FlaggedForManual),
    (StepKind::LabTest, Condition::NeedsLabTest),
    (StepKind::Tax, Condition::Always),
    (StepKind::Release, Condition::Always),
];

/// The places a stream's route can use.
pub struct RouteContext<'a> {
    pub port: &'a Site,
    /// The importer's home (territorial) customs.
    pub home: Option<&'a Site>,
    /// The regional clearance centre of the home customs' region.
    pub centre: Option<&'a Site>,
    /// Transport over the port → home link.
    pub transport: Option<ActivityId>,
    /// The coordination delay between port and home customs, when they are
    /// not integrated (None when no delay applies).
    pub coordination: Option<ActivityId>,
}

impl RouteContext<'_> {
    fn at(&self, site: &Site, k: StepKind, condition: Condition) -> RouteStep {
        RouteStep {
            activity: site.activities[k.index()],
            condition,
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

impl Route {
    /// Drops the steps that take no time, hold nothing and change nothing,
    /// so the event loop does not walk through them for every consignment.
    /// Lodgement and release are kept: they mark the Time Release Study
    /// points even when instantaneous.
    /// Where the site's scanner is in-line, every consignment passes it and
    /// screening's inspection order means manual opening there.
    pub fn apply_in_line_scanning(&mut self, activities: &[super::Activity]) {
        let in_line_sites: Vec<super::SiteId> = self
            .steps
            .iter()
            .map(|st| &activities[st.activity.0 as usize])
            .filter(|a| a.step == StepKind::Scan && a.in_line)
            .map(|a| a.site)
            .collect();
        for st in &mut self.steps {
            let a = &activities[st.activity.0 as usize];
            if !in_line_sites.contains(&a.site) {
                continue;
            }
            st.condition = match st.condition {
                Condition::FlaggedForScan => Condition::Always,
                Condition::FlaggedForManual => Condition::FlaggedForInspection,
                other => other,
            };
        }
    }

    /// A site that gives no `lab_test` step tests nothing: its (empty) lab
    /// step is dropped too.
    pub fn drop_empty_steps(&mut self, activities: &[super::Activity]) {
        self.steps.retain(|st| {
            let a = &activities[st.activity.0 as usize];
            let empty = a.pool.is_none() && a.duration.is_zero();
            !empty
                || (a.step.has_outcome() && a.step != StepKind::LabTest)
                || a.step == StepKind::Release
        });
    }
}
