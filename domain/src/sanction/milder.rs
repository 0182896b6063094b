//! "Milder than the recommendation" and the written justification it requires.
//!
//! Definition. A proposed measure `p` *covers* a recommended measure `r` when
//! - `p` is in the same track as `r` with an equal or higher grade, or
//! - `p` is in a heavier track ([`Track::weight`]: soft < organisational < administrative
//!   = party).
//!
//! A proposal is *milder than* a recommendation when some recommended measure is covered by
//! no proposed measure, or when the recommendation refers the case to the judicial organs
//! and the proposal does not. Nothing else counts: extra measures never make a proposal
//! milder, and the section-head / main-leader flags concern other people (their own
//! proposals). Consequences: soft measures of higher grade stand in for lower ones
//! (`circulated_criticism` covers `apology`), and the serious tier's floor
//! (`organisational/suspension_for_inspection`) is met by any organisational,
//! administrative or party measure but by no soft measure.

use thiserror::Error;

use super::combination::SanctionMeasures;
use super::measure::Measure;
#[cfg(doc)]
use super::measure::Track;
use super::recommendation::Recommendation;

/// A proposal that breaks a recommendation rule.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SanctionRuleError {
    /// The proposal is milder than the recommendation and no written justification was given.
    #[error(
        "the proposal is milder than the recommendation (not covered: {uncovered:?}, judicial referral omitted: {judicial_referral_omitted}); a written justification is required"
    )]
    JustificationRequired {
        uncovered: Vec<Measure>,
        judicial_referral_omitted: bool,
    },
}

/// True when `proposed` covers `recommended` (see the module docs).
#[must_use]
pub fn covers(proposed: Measure, recommended: Measure) -> bool {
    let (p, r) = (proposed.track(), recommended.track());
    (p == r && proposed.grade() >= recommended.grade()) || p.weight() > r.weight()
}

/// The recommended measures no proposed measure covers, in recommendation order.
#[must_use]
pub fn uncovered_recommendations(
    proposed: &[Measure],
    recommendation: &Recommendation,
) -> Vec<Measure> {
    recommendation
        .measures
        .iter()
        .copied()
        .filter(|&r| !proposed.iter().any(|&p| covers(p, r)))
        .collect()
}

/// True when the proposal is milder than the recommendation (see the module docs).
#[must_use]
pub fn is_milder_than_recommendation(
    proposed: &SanctionMeasures,
    recommendation: &Recommendation,
) -> bool {
    omits_referral(proposed, recommendation)
        || !uncovered_recommendations(proposed.measures(), recommendation).is_empty()
}

/// A proposal milder than the recommendation needs a written justification: some text that is
/// not blank after trimming. Proposals that are not milder need none.
///
/// # Errors
/// [`SanctionRuleError::JustificationRequired`] naming what is missing.
pub fn check_justification(
    proposed: &SanctionMeasures,
    recommendation: &Recommendation,
    justification: Option<&str>,
) -> Result<(), SanctionRuleError> {
    let uncovered = uncovered_recommendations(proposed.measures(), recommendation);
    let judicial_referral_omitted = omits_referral(proposed, recommendation);
    let milder = judicial_referral_omitted || !uncovered.is_empty();
    let justified = justification.is_some_and(|text| !text.trim().is_empty());
    if milder && !justified {
        return Err(SanctionRuleError::JustificationRequired {
            uncovered,
            judicial_referral_omitted,
        });
    }
    Ok(())
}

fn omits_referral(proposed: &SanctionMeasures, recommendation: &Recommendation) -> bool {
    recommendation.judicial_referral && !proposed.judicial_referral()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::sanction::combination::Subject;
    use crate::sanction::measure::Track;
    use crate::sanction::recommendation::{
        RecommendationFacts, SeverityFactors, SeverityRank, recommend,
    };
    use crate::sanction::settings::PolicySettings;

    const MEMBER: Subject = Subject::Person {
        is_party_member: true,
    };

    fn m(track: &str, measure: &str) -> Measure {
        Measure::parse(track, measure).unwrap()
    }

    fn proposal(subject: Subject, measures: &[(&str, &str)], referral: bool) -> SanctionMeasures {
        let list = measures.iter().map(|(t, n)| m(t, n)).collect();
        SanctionMeasures::new(subject, list, referral).unwrap()
    }

    fn rec(measures: &[(&str, &str)], referral: bool) -> Recommendation {
        Recommendation {
            measures: measures.iter().map(|(t, n)| m(t, n)).collect(),
            severity_rank: SeverityRank::SustainedComplaint,
            judicial_referral: referral,
            also_handle_section_head_awards_disqualification: false,
            also_handle_main_responsible_leader: false,
            aggravating: false,
            reasons: vec![],
        }
    }

    #[test]
    fn covers_same_track_by_grade() {
        assert!(covers(m("soft", "apology"), m("soft", "apology")));
        assert!(covers(
            m("soft", "circulated_criticism"),
            m("soft", "apology")
        ));
        assert!(!covers(m("soft", "reminder_talk"), m("soft", "apology")));
        assert!(covers(
            m("administrative", "demerit"),
            m("administrative", "warning")
        ));
        assert!(!covers(
            m("administrative", "warning"),
            m("administrative", "demerit")
        ));
    }

    #[test]
    fn covers_by_heavier_track_only() {
        let every_soft: Vec<Measure> = Track::Soft.measures().collect();
        for r in &every_soft {
            for heavier in [
                m("organisational", "suspension_for_inspection"),
                m("administrative", "warning"),
                m("party", "warning"),
            ] {
                assert!(covers(heavier, *r), "{heavier} covers {r}");
            }
        }
        let floor = m("organisational", "suspension_for_inspection");
        assert!(covers(m("administrative", "warning"), floor));
        assert!(covers(m("party", "warning"), floor));
        assert!(!covers(m("soft", "awards_disqualification"), floor));
        // equal weight, different track: grades are not comparable
        assert!(!covers(
            m("party", "expulsion"),
            m("administrative", "warning")
        ));
        assert!(!covers(
            m("administrative", "expulsion"),
            m("party", "warning")
        ));
        // lighter track never covers
        assert!(!covers(
            m("organisational", "demotion"),
            m("administrative", "warning")
        ));
    }

    #[test]
    fn equal_proposal_is_not_milder() {
        let r = rec(
            &[("soft", "apology"), ("soft", "circulated_criticism")],
            false,
        );
        let p = proposal(
            MEMBER,
            &[("soft", "apology"), ("soft", "circulated_criticism")],
            false,
        );
        assert!(!is_milder_than_recommendation(&p, &r));
        assert_eq!(check_justification(&p, &r, None), Ok(()));
    }

    #[test]
    fn higher_grade_stands_in_for_lower() {
        let r = rec(
            &[("soft", "apology"), ("soft", "circulated_criticism")],
            false,
        );
        let p = proposal(MEMBER, &[("soft", "admonishment")], false);
        assert!(!is_milder_than_recommendation(&p, &r));
    }

    #[test]
    fn missing_coverage_is_milder_and_needs_justification() {
        let r = rec(
            &[("soft", "apology"), ("soft", "circulated_criticism")],
            false,
        );
        let p = proposal(MEMBER, &[("soft", "apology")], false);
        assert!(is_milder_than_recommendation(&p, &r));
        assert_eq!(
            check_justification(&p, &r, None),
            Err(SanctionRuleError::JustificationRequired {
                uncovered: vec![m("soft", "circulated_criticism")],
                judicial_referral_omitted: false,
            })
        );
        assert!(check_justification(&p, &r, Some("")).is_err());
        assert!(check_justification(&p, &r, Some("  \n\t")).is_err());
        assert_eq!(
            check_justification(&p, &r, Some("first offence, apologised at once")),
            Ok(())
        );
    }

    #[test]
    fn omitting_a_recommended_referral_is_milder() {
        let r = rec(&[("soft", "criticism_education")], true);
        let without = proposal(MEMBER, &[("administrative", "expulsion")], false);
        assert!(is_milder_than_recommendation(&without, &r));
        assert_eq!(
            check_justification(&without, &r, None),
            Err(SanctionRuleError::JustificationRequired {
                uncovered: vec![],
                judicial_referral_omitted: true,
            })
        );
        let with = proposal(MEMBER, &[("soft", "criticism_education")], true);
        assert!(!is_milder_than_recommendation(&with, &r));
        // a referral alone does not cover a recommended measure
        let alone = proposal(MEMBER, &[], true);
        assert!(is_milder_than_recommendation(&alone, &r));
    }

    #[test]
    fn extra_referral_or_measures_never_make_milder() {
        let r = rec(&[("soft", "criticism_education")], false);
        let p = proposal(
            MEMBER,
            &[("soft", "criticism_education"), ("party", "warning")],
            true,
        );
        assert!(!is_milder_than_recommendation(&p, &r));
    }

    #[test]
    fn empty_recommendation_is_met_by_anything() {
        let r = rec(&[], false);
        let p = proposal(Subject::Unit, &[("soft", "circulated_criticism")], false);
        assert!(!is_milder_than_recommendation(&p, &r));
    }

    #[test]
    fn serious_tier_floor_means_any_organisational_administrative_or_party_measure() {
        let facts = RecommendationFacts {
            subject: MEMBER,
            sustained_complaints_in_window: 1,
            factors: SeverityFactors {
                serious_wide_social_impact: true,
                ..SeverityFactors::default()
            },
            earlier_sanction_active: false,
        };
        let r = recommend(&facts, &PolicySettings::default());
        let not_milder: Vec<Measure> = Measure::ALL
            .into_iter()
            .filter(|x| x.track() != Track::Soft)
            .collect();
        for x in not_milder {
            let p = SanctionMeasures::new(MEMBER, vec![x], false).unwrap();
            assert!(!is_milder_than_recommendation(&p, &r), "{x}");
        }
        for x in Track::Soft.measures() {
            let p = SanctionMeasures::new(MEMBER, vec![x], false).unwrap();
            assert!(is_milder_than_recommendation(&p, &r), "{x}");
        }
        let all_soft =
            SanctionMeasures::new(MEMBER, Track::Soft.measures().collect(), false).unwrap();
        assert!(is_milder_than_recommendation(&all_soft, &r));
    }
}
