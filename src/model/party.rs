//! Who spends a step's time: the parties of a WCO Time Release Study.
//!
//! A Time Release Study splits the time from the goods' arrival to their
//! leaving customs control by who holds the goods up: customs, the other
//! border agencies (quarantine, licences and certificates), the trader or
//! its broker, and the port and logistics operators. Reforms act on
//! different parties, so a model that only knows "release time" cannot
//! say which reform a fall in clearance time came from.

use super::StepKind;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Party {
    Customs,
    /// Other border agencies: inspection and quarantine, licensing
    /// authorities issuing supervision certificates.
    OtherAgency,
    /// The importer and its customs broker: preparing and lodging the
    /// declaration, paying duties.
    Trader,
    /// Port and logistics operators: discharge, moving boxes, transport,
    /// gate-out.
    Logistics,
}

impl Party {
    pub const ALL: [Party; 4] = [
        Party::Customs,
        Party::OtherAgency,
        Party::Trader,
        Party::Logistics,
    ];

    pub fn index(self) -> usize {
        self as usize
    }

    /// The key used in scenario files and outputs.
    pub fn name(self) -> &'static str {
        match self {
            Party::Customs => "customs",
            Party::OtherAgency => "other_agency",
            Party::Trader => "trader",
            Party::Logistics => "logistics",
        }
    }

    pub fn parse(s: &str) -> Option<Party> {
        Self::ALL.into_iter().find(|p| p.name() == s)
    }

    /// Who a step's time belongs to unless the scenario says otherwise.
    /// Lodgement is the broker preparing and lodging the declaration; the
    /// tax step is the importer paying (customs assesses at screening and
    /// review); release is the release notice reaching the terminal and the
    /// goods being picked up and gated out; discharge and transport are the
    /// port's and the carrier's. Everything else is customs' own work,
    /// laboratory tests included (the inspection and quarantine
    /// laboratories joined customs in 2018).
    pub fn default_for(step: StepKind) -> Party {
        match step {
            StepKind::Certificates => Party::OtherAgency,
            StepKind::Lodgement | StepKind::Tax => Party::Trader,
            StepKind::Release | StepKind::Transport | StepKind::Discharge => Party::Logistics,
            StepKind::Screening
            | StepKind::Review
            | StepKind::Inspection
            | StepKind::Scan
            | StepKind::Sealing
            | StepKind::ArrivalConfirmation
            | StepKind::LabTest
            | StepKind::Coordination => Party::Customs,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for p in Party::ALL {
            assert_eq!(Party::parse(p.name()), Some(p));
            assert_eq!(Party::ALL[p.index()], p);
        }
        assert_eq!(Party::parse("broker"), None);
    }

    #[test]
    fn defaults_follow_who_does_the_work() {
        assert_eq!(Party::default_for(StepKind::Lodgement), Party::Trader);
        assert_eq!(Party::default_for(StepKind::Review), Party::Customs);
        assert_eq!(
            Party::default_for(StepKind::Certificates),
            Party::OtherAgency
        );
        assert_eq!(Party::default_for(StepKind::Discharge), Party::Logistics);
    }
}
