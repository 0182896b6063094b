//! Which measures may be combined for one act against one subject (单处和并处).
//!
//! Rules, checked in this order (the first broken rule is reported):
//! 1. at least one measure, unless the proposal is a judicial referral alone
//!    ([`CombinationError::NoMeasure`]): a referral to the judicial organs is a complete
//!    outcome by itself (seed 000 part 6 第六条(六) "涉及犯罪的，移交司法机关处理"), e.g.
//!    when discipline waits for the judicial result;
//! 2. a unit receives only `soft/circulated_criticism` and `soft/awards_disqualification`;
//!    its head answers personally for the rest ([`CombinationError::NotForUnit`]);
//! 3. party measures only for party members ([`CombinationError::PartyMeasureForNonMember`]);
//! 4. no measure twice ([`CombinationError::DuplicateMeasure`]);
//! 5. at most one administrative measure ([`CombinationError::MoreThanOneAdministrative`]);
//! 6. at most one party measure ([`CombinationError::MoreThanOneParty`]).
//!
//! Soft and organisational measures may be combined freely with each other and with one
//! administrative and one party measure. A judicial referral may accompany any measures and
//! any subject (a unit may be referred: PRC criminal law knows unit offences).

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::measure::{Measure, SoftMeasure, Track};

/// Whom a sanction is against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Subject {
    /// A staff member.
    Person { is_party_member: bool },
    /// A responsible unit (责任单位).
    Unit,
}

/// A combination rule that a proposed set of measures breaks.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CombinationError {
    #[error("a sanction needs at least one measure unless it is a judicial referral alone")]
    NoMeasure,
    #[error("{0} cannot be imposed on a unit; its head answers personally")]
    NotForUnit(Measure),
    #[error("{0} is a party measure and the subject is not a party member")]
    PartyMeasureForNonMember(Measure),
    #[error("{0} is proposed twice")]
    DuplicateMeasure(Measure),
    #[error("at most one administrative measure per act: {first} and {second}")]
    MoreThanOneAdministrative { first: Measure, second: Measure },
    #[error("at most one party measure per act: {first} and {second}")]
    MoreThanOneParty { first: Measure, second: Measure },
}

/// The measures a unit may receive.
pub const UNIT_MEASURES: [Measure; 2] = [
    Measure::Soft(SoftMeasure::CirculatedCriticism),
    Measure::Soft(SoftMeasure::AwardsDisqualification),
];

/// A set of measures (plus the judicial-referral flag) that satisfies every combination rule
/// for its subject. The only way to build one is [`SanctionMeasures::new`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SanctionMeasures {
    subject: Subject,
    measures: Vec<Measure>,
    judicial_referral: bool,
}

impl SanctionMeasures {
    /// Validates `measures` for one act against `subject`; keeps the given order.
    ///
    /// # Errors
    /// The first [`CombinationError`] in the order of the module documentation.
    pub fn new(
        subject: Subject,
        measures: Vec<Measure>,
        judicial_referral: bool,
    ) -> Result<Self, CombinationError> {
        validate_combination(subject, &measures, judicial_referral)?;
        Ok(Self {
            subject,
            measures,
            judicial_referral,
        })
    }

    #[must_use]
    pub const fn subject(&self) -> Subject {
        self.subject
    }

    #[must_use]
    pub fn measures(&self) -> &[Measure] {
        &self.measures
    }

    #[must_use]
    pub const fn judicial_referral(&self) -> bool {
        self.judicial_referral
    }

    /// True when both hold the same measures (in any order) and the same referral flag.
    #[must_use]
    pub fn same_content_as(&self, other: &Self) -> bool {
        self.judicial_referral == other.judicial_referral
            && self.measures.len() == other.measures.len()
            && self.measures.iter().all(|m| other.measures.contains(m))
    }
}

/// Checks the combination rules without building a [`SanctionMeasures`].
///
/// # Errors
/// The first [`CombinationError`] in the order of the module documentation.
pub fn validate_combination(
    subject: Subject,
    measures: &[Measure],
    judicial_referral: bool,
) -> Result<(), CombinationError> {
    if measures.is_empty() && !judicial_referral {
        return Err(CombinationError::NoMeasure);
    }
    for &measure in measures {
        match subject {
            Subject::Unit if !UNIT_MEASURES.contains(&measure) => {
                return Err(CombinationError::NotForUnit(measure));
            }
            Subject::Person {
                is_party_member: false,
            } if measure.track() == Track::Party => {
                return Err(CombinationError::PartyMeasureForNonMember(measure));
            }
            _ => {}
        }
    }
    for (i, measure) in measures.iter().enumerate() {
        if measures[..i].contains(measure) {
            return Err(CombinationError::DuplicateMeasure(*measure));
        }
    }
    if let Some((first, second)) = two_in_track(measures, Track::Administrative) {
        return Err(CombinationError::MoreThanOneAdministrative { first, second });
    }
    if let Some((first, second)) = two_in_track(measures, Track::Party) {
        return Err(CombinationError::MoreThanOneParty { first, second });
    }
    Ok(())
}

fn two_in_track(measures: &[Measure], track: Track) -> Option<(Measure, Measure)> {
    let mut in_track = measures.iter().copied().filter(|m| m.track() == track);
    let first = in_track.next()?;
    let second = in_track.next()?;
    Some((first, second))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::sanction::measure::{AdministrativeMeasure, OrganisationalMeasure, PartyMeasure};

    const MEMBER: Subject = Subject::Person {
        is_party_member: true,
    };
    const NON_MEMBER: Subject = Subject::Person {
        is_party_member: false,
    };
    const CIRCULATED: Measure = Measure::Soft(SoftMeasure::CirculatedCriticism);
    const APOLOGY: Measure = Measure::Soft(SoftMeasure::Apology);
    const AWARDS: Measure = Measure::Soft(SoftMeasure::AwardsDisqualification);
    const REASSIGN: Measure = Measure::Organisational(OrganisationalMeasure::Reassignment);
    const DEMOTION: Measure = Measure::Organisational(OrganisationalMeasure::Demotion);
    const ADMIN_WARNING: Measure = Measure::Administrative(AdministrativeMeasure::Warning);
    const DEMERIT: Measure = Measure::Administrative(AdministrativeMeasure::Demerit);
    const PARTY_WARNING: Measure = Measure::Party(PartyMeasure::Warning);
    const PROBATION: Measure = Measure::Party(PartyMeasure::Probation);

    #[test]
    fn empty_is_refused_without_referral() {
        assert_eq!(
            validate_combination(MEMBER, &[], false),
            Err(CombinationError::NoMeasure)
        );
        assert_eq!(
            validate_combination(Subject::Unit, &[], false),
            Err(CombinationError::NoMeasure)
        );
    }

    #[test]
    fn judicial_referral_alone_is_allowed_for_any_subject() {
        for subject in [MEMBER, NON_MEMBER, Subject::Unit] {
            let set = SanctionMeasures::new(subject, vec![], true).unwrap();
            assert!(set.judicial_referral());
            assert!(set.measures().is_empty());
        }
    }

    #[test]
    fn unit_receives_only_circulated_criticism_and_awards_disqualification() {
        assert!(SanctionMeasures::new(Subject::Unit, vec![CIRCULATED, AWARDS], false).is_ok());
        for measure in Measure::ALL {
            let result = validate_combination(Subject::Unit, &[measure], false);
            if UNIT_MEASURES.contains(&measure) {
                assert_eq!(result, Ok(()), "{measure}");
            } else {
                assert_eq!(
                    result,
                    Err(CombinationError::NotForUnit(measure)),
                    "{measure}"
                );
            }
        }
    }

    #[test]
    fn party_measures_only_for_party_members() {
        for measure in Track::Party.measures() {
            assert_eq!(
                validate_combination(NON_MEMBER, &[measure], false),
                Err(CombinationError::PartyMeasureForNonMember(measure))
            );
            assert_eq!(validate_combination(MEMBER, &[measure], false), Ok(()));
        }
    }

    #[test]
    fn duplicates_are_refused() {
        assert_eq!(
            validate_combination(MEMBER, &[CIRCULATED, APOLOGY, CIRCULATED], false),
            Err(CombinationError::DuplicateMeasure(CIRCULATED))
        );
        assert_eq!(
            validate_combination(Subject::Unit, &[AWARDS, AWARDS], false),
            Err(CombinationError::DuplicateMeasure(AWARDS))
        );
        // duplicates are reported before the one-per-track rule
        assert_eq!(
            validate_combination(MEMBER, &[DEMERIT, DEMERIT], false),
            Err(CombinationError::DuplicateMeasure(DEMERIT))
        );
    }

    #[test]
    fn at_most_one_administrative_measure() {
        assert_eq!(
            validate_combination(NON_MEMBER, &[ADMIN_WARNING, CIRCULATED, DEMERIT], false),
            Err(CombinationError::MoreThanOneAdministrative {
                first: ADMIN_WARNING,
                second: DEMERIT
            })
        );
    }

    #[test]
    fn at_most_one_party_measure() {
        assert_eq!(
            validate_combination(MEMBER, &[PARTY_WARNING, PROBATION], false),
            Err(CombinationError::MoreThanOneParty {
                first: PARTY_WARNING,
                second: PROBATION
            })
        );
    }

    #[test]
    fn administrative_and_party_warning_together_are_allowed() {
        // same name, different tracks: one of each is the maximum allowed
        let set = SanctionMeasures::new(
            MEMBER,
            vec![ADMIN_WARNING, PARTY_WARNING, CIRCULATED, REASSIGN, DEMOTION],
            true,
        )
        .unwrap();
        assert_eq!(set.measures().len(), 5);
        assert_eq!(set.subject(), MEMBER);
    }

    #[test]
    fn first_broken_rule_is_reported_in_documented_order() {
        // unit rule before duplicates
        assert_eq!(
            validate_combination(Subject::Unit, &[APOLOGY, APOLOGY], false),
            Err(CombinationError::NotForUnit(APOLOGY))
        );
        // party membership before one-per-track
        assert_eq!(
            validate_combination(NON_MEMBER, &[PARTY_WARNING, PROBATION], false),
            Err(CombinationError::PartyMeasureForNonMember(PARTY_WARNING))
        );
    }

    #[test]
    fn same_content_ignores_order() {
        let a = SanctionMeasures::new(MEMBER, vec![CIRCULATED, APOLOGY], false).unwrap();
        let b = SanctionMeasures::new(MEMBER, vec![APOLOGY, CIRCULATED], false).unwrap();
        let c = SanctionMeasures::new(MEMBER, vec![APOLOGY, CIRCULATED], true).unwrap();
        let d = SanctionMeasures::new(MEMBER, vec![APOLOGY], false).unwrap();
        assert!(a.same_content_as(&b));
        assert!(!a.same_content_as(&c));
        assert!(!a.same_content_as(&d));
    }
}
