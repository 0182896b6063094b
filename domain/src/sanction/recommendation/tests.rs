#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use crate::sanction::combination::{SanctionMeasures, validate_combination};
use crate::sanction::milder::is_milder_than_recommendation;

const PERSON: Subject = Subject::Person {
    is_party_member: false,
};
const MEMBER: Subject = Subject::Person {
    is_party_member: true,
};

fn m(track: &str, measure: &str) -> Measure {
    Measure::parse(track, measure).unwrap()
}

fn facts(subject: Subject, sustained: u32, factors: SeverityFactors) -> RecommendationFacts {
    RecommendationFacts {
        subject,
        sustained_complaints_in_window: sustained,
        factors,
        earlier_sanction_active: false,
    }
}

fn person(sustained: u32, factors: SeverityFactors) -> Recommendation {
    recommend(
        &facts(PERSON, sustained, factors),
        &PolicySettings::default(),
    )
}

fn unit(sustained: u32, factors: SeverityFactors) -> Recommendation {
    recommend(
        &facts(Subject::Unit, sustained, factors),
        &PolicySettings::default(),
    )
}

fn rules(r: &Recommendation) -> Vec<RuleId> {
    r.reasons.iter().map(|x| x.rule).collect()
}

const NO_FACTORS: SeverityFactors = SeverityFactors {
    bad_consequences: false,
    media_exposure: false,
    criticism_by_superiors_or_social_organisations: false,
    uncorrected_after_earlier_criticism: false,
    serious_wide_social_impact: false,
    suspected_crime: false,
};

fn no_flags(r: &Recommendation) -> bool {
    !r.judicial_referral
        && !r.also_handle_section_head_awards_disqualification
        && !r.also_handle_main_responsible_leader
        && !r.aggravating
}

#[test]
fn breach_without_bad_consequences_gets_criticism_education() {
    let r = person(0, NO_FACTORS);
    assert_eq!(r.severity_rank, SeverityRank::MinorBreach);
    assert_eq!(r.measures, vec![m("soft", "criticism_education")]);
    assert_eq!(rules(&r), vec![RuleId::MinorBreach]);
    assert!(no_flags(&r));
}

#[test]
fn unit_minor_breach_requires_no_unit_measure() {
    let r = unit(0, NO_FACTORS);
    assert_eq!(r.severity_rank, SeverityRank::MinorBreach);
    assert!(r.measures.is_empty());
}

#[test]
fn bad_consequences_without_complaint() {
    let f = SeverityFactors {
        bad_consequences: true,
        ..NO_FACTORS
    };
    let r = person(0, f);
    assert_eq!(r.severity_rank, SeverityRank::BadConsequences);
    assert_eq!(
        r.measures,
        vec![
            m("soft", "written_self_criticism"),
            m("soft", "circulated_criticism")
        ]
    );
    assert_eq!(rules(&r), vec![RuleId::BadConsequences]);
    assert!(no_flags(&r));
    assert_eq!(unit(0, f).measures, vec![m("soft", "circulated_criticism")]);
}

#[test]
fn one_sustained_complaint_gets_apology_and_circulated_criticism() {
    let r = person(1, NO_FACTORS);
    assert_eq!(r.severity_rank, SeverityRank::SustainedComplaint);
    assert_eq!(
        r.measures,
        vec![m("soft", "apology"), m("soft", "circulated_criticism")]
    );
    assert_eq!(rules(&r), vec![RuleId::SustainedComplaint]);
    assert!(no_flags(&r));
}

#[test]
fn two_sustained_complaints_get_reminder_talk_and_circulated_criticism() {
    let r = person(2, NO_FACTORS);
    assert_eq!(r.severity_rank, SeverityRank::RepeatedOrCriticised);
    assert_eq!(
        r.measures,
        vec![
            m("soft", "reminder_talk"),
            m("soft", "circulated_criticism")
        ]
    );
    assert_eq!(
        rules(&r),
        vec![RuleId::SustainedComplaint, RuleId::RepeatedComplaints]
    );
    assert!(no_flags(&r));
    assert_eq!(
        person(7, NO_FACTORS).severity_rank,
        SeverityRank::RepeatedOrCriticised
    );
}

#[test]
fn repeat_threshold_is_a_setting() {
    let three = PolicySettings::new(3, 12).unwrap();
    let at = |n| recommend(&facts(PERSON, n, NO_FACTORS), &three).severity_rank;
    assert_eq!(at(2), SeverityRank::SustainedComplaint);
    assert_eq!(at(3), SeverityRank::RepeatedOrCriticised);
}

#[test]
fn criticism_by_superiors_or_social_organisations_alone() {
    let f = SeverityFactors {
        criticism_by_superiors_or_social_organisations: true,
        ..NO_FACTORS
    };
    let r = person(0, f);
    assert_eq!(r.severity_rank, SeverityRank::RepeatedOrCriticised);
    assert_eq!(
        r.measures,
        vec![
            m("soft", "reminder_talk"),
            m("soft", "circulated_criticism")
        ]
    );
    assert_eq!(
        rules(&r),
        vec![RuleId::CriticisedBySuperiorsOrSocialOrganisations]
    );
    assert!(no_flags(&r));
}

#[test]
fn media_exposure_adds_section_head_awards_disqualification() {
    let f = SeverityFactors {
        media_exposure: true,
        ..NO_FACTORS
    };
    let r = person(0, f);
    assert_eq!(r.severity_rank, SeverityRank::MediaExposure);
    assert_eq!(
        r.measures,
        vec![
            m("soft", "reminder_talk"),
            m("soft", "circulated_criticism")
        ]
    );
    assert!(r.also_handle_section_head_awards_disqualification);
    assert!(!r.also_handle_main_responsible_leader);
    assert!(!r.judicial_referral && !r.aggravating);
    assert_eq!(rules(&r), vec![RuleId::MediaExposure]);
}

#[test]
fn serious_wide_social_impact_requires_organisational_or_disciplinary_measure() {
    let f = SeverityFactors {
        serious_wide_social_impact: true,
        ..NO_FACTORS
    };
    let r = person(0, f);
    assert_eq!(r.severity_rank, SeverityRank::Serious);
    assert_eq!(
        r.measures,
        vec![m("organisational", "suspension_for_inspection")]
    );
    assert!(r.also_handle_main_responsible_leader);
    assert!(!r.also_handle_section_head_awards_disqualification);
    assert!(!r.judicial_referral && !r.aggravating);
    assert_eq!(rules(&r), vec![RuleId::SeriousWideSocialImpact]);
}

#[test]
fn uncorrected_after_earlier_criticism_is_serious() {
    let f = SeverityFactors {
        uncorrected_after_earlier_criticism: true,
        ..NO_FACTORS
    };
    let r = person(0, f);
    assert_eq!(r.severity_rank, SeverityRank::Serious);
    assert!(r.also_handle_main_responsible_leader);
    assert_eq!(rules(&r), vec![RuleId::UncorrectedAfterEarlierCriticism]);
}

#[test]
fn serious_tier_for_a_unit() {
    let f = SeverityFactors {
        serious_wide_social_impact: true,
        ..NO_FACTORS
    };
    let r = unit(0, f);
    assert_eq!(
        r.measures,
        vec![
            m("soft", "circulated_criticism"),
            m("soft", "awards_disqualification")
        ]
    );
    assert!(r.also_handle_main_responsible_leader);
}

#[test]
fn suspected_crime_adds_judicial_referral_without_raising_the_tier() {
    let f = SeverityFactors {
        suspected_crime: true,
        ..NO_FACTORS
    };
    let r = person(0, f);
    assert!(r.judicial_referral);
    assert_eq!(r.severity_rank, SeverityRank::MinorBreach);
    assert_eq!(rules(&r), vec![RuleId::MinorBreach, RuleId::SuspectedCrime]);
    assert!(unit(0, f).judicial_referral);
}

#[test]
fn earlier_active_sanction_is_aggravating_without_raising_the_tier() {
    let mut input = facts(PERSON, 1, NO_FACTORS);
    input.earlier_sanction_active = true;
    let r = recommend(&input, &PolicySettings::default());
    assert!(r.aggravating);
    assert_eq!(r.severity_rank, SeverityRank::SustainedComplaint);
    assert_eq!(
        rules(&r),
        vec![RuleId::SustainedComplaint, RuleId::EarlierSanctionActive]
    );
    input.earlier_sanction_active = false;
    assert!(!recommend(&input, &PolicySettings::default()).aggravating);
}

#[test]
fn highest_tier_wins_and_additive_effects_accumulate() {
    let f = SeverityFactors {
        bad_consequences: true,
        media_exposure: true,
        criticism_by_superiors_or_social_organisations: true,
        uncorrected_after_earlier_criticism: true,
        serious_wide_social_impact: true,
        suspected_crime: true,
    };
    let mut input = facts(MEMBER, 3, f);
    input.earlier_sanction_active = true;
    let r = recommend(&input, &PolicySettings::default());
    assert_eq!(r.severity_rank, SeverityRank::Serious);
    assert_eq!(
        r.measures,
        vec![m("organisational", "suspension_for_inspection")]
    );
    assert!(r.judicial_referral);
    assert!(r.also_handle_section_head_awards_disqualification);
    assert!(r.also_handle_main_responsible_leader);
    assert!(r.aggravating);
    // every rule but the minor-breach base applies, in table order
    let expected: Vec<RuleId> = RULES
        .iter()
        .map(|x| x.id)
        .filter(|id| *id != RuleId::MinorBreach)
        .collect();
    assert_eq!(rules(&r), expected);
}

#[test]
fn pairwise_combinations() {
    let media = SeverityFactors {
        media_exposure: true,
        ..NO_FACTORS
    };
    assert_eq!(person(2, media).severity_rank, SeverityRank::MediaExposure);
    let bad = SeverityFactors {
        bad_consequences: true,
        ..NO_FACTORS
    };
    let r = person(1, bad);
    assert_eq!(r.severity_rank, SeverityRank::SustainedComplaint);
    assert_eq!(
        r.measures,
        vec![m("soft", "apology"), m("soft", "circulated_criticism")]
    );
    let media_and_serious = SeverityFactors {
        media_exposure: true,
        serious_wide_social_impact: true,
        ..NO_FACTORS
    };
    let r = person(0, media_and_serious);
    assert_eq!(r.severity_rank, SeverityRank::Serious);
    assert!(r.also_handle_section_head_awards_disqualification);
    assert!(r.also_handle_main_responsible_leader);
    let crime_and_criticised = SeverityFactors {
        suspected_crime: true,
        criticism_by_superiors_or_social_organisations: true,
        ..NO_FACTORS
    };
    let r = person(1, crime_and_criticised);
    assert_eq!(r.severity_rank, SeverityRank::RepeatedOrCriticised);
    assert!(r.judicial_referral);
}

/// Every combination of the six factors, three complaint counts, three subjects and the
/// aggravating flag: the tier is the maximum of the expected per-fact tiers, every flag
/// follows its fact, and the recommended measures always pass the combination rules.
#[test]
fn exhaustive_factor_combinations_are_consistent() {
    let settings = PolicySettings::default();
    for bits in 0u8..64 {
        let f = SeverityFactors {
            bad_consequences: bits & 1 != 0,
            media_exposure: bits & 2 != 0,
            criticism_by_superiors_or_social_organisations: bits & 4 != 0,
            uncorrected_after_earlier_criticism: bits & 8 != 0,
            serious_wide_social_impact: bits & 16 != 0,
            suspected_crime: bits & 32 != 0,
        };
        for sustained in 0..3 {
            for subject in [PERSON, MEMBER, Subject::Unit] {
                for active in [false, true] {
                    let input = RecommendationFacts {
                        subject,
                        sustained_complaints_in_window: sustained,
                        factors: f,
                        earlier_sanction_active: active,
                    };
                    let r = recommend(&input, &settings);
                    let mut expected = SeverityRank::MinorBreach;
                    let mut raise = |cond: bool, rank| {
                        if cond && rank > expected {
                            expected = rank;
                        }
                    };
                    raise(f.bad_consequences, SeverityRank::BadConsequences);
                    raise(sustained >= 1, SeverityRank::SustainedComplaint);
                    raise(sustained >= 2, SeverityRank::RepeatedOrCriticised);
                    raise(
                        f.criticism_by_superiors_or_social_organisations,
                        SeverityRank::RepeatedOrCriticised,
                    );
                    raise(f.media_exposure, SeverityRank::MediaExposure);
                    raise(f.serious_wide_social_impact, SeverityRank::Serious);
                    raise(f.uncorrected_after_earlier_criticism, SeverityRank::Serious);
                    assert_eq!(r.severity_rank, expected, "{input:?}");
                    assert_eq!(r.judicial_referral, f.suspected_crime);
                    assert_eq!(
                        r.also_handle_section_head_awards_disqualification,
                        f.media_exposure
                    );
                    assert_eq!(
                        r.also_handle_main_responsible_leader,
                        f.serious_wide_social_impact || f.uncorrected_after_earlier_criticism
                    );
                    assert_eq!(r.aggravating, active);
                    assert!(!r.reasons.is_empty());
                    if !r.measures.is_empty() || r.judicial_referral {
                        assert_eq!(
                            validate_combination(subject, &r.measures, r.judicial_referral),
                            Ok(()),
                            "{input:?}"
                        );
                        let own =
                            SanctionMeasures::new(subject, r.measures.clone(), r.judicial_referral)
                                .unwrap();
                        assert!(!is_milder_than_recommendation(&own, &r));
                    }
                }
            }
        }
    }
}

#[test]
fn table_has_one_row_per_tier_in_rank_order_and_each_rule_once() {
    let ranks: Vec<SeverityRank> = TIERS.iter().map(|t| t.rank).collect();
    assert_eq!(
        ranks,
        vec![
            SeverityRank::MinorBreach,
            SeverityRank::BadConsequences,
            SeverityRank::SustainedComplaint,
            SeverityRank::RepeatedOrCriticised,
            SeverityRank::MediaExposure,
            SeverityRank::Serious,
        ]
    );
    for (i, rule) in RULES.iter().enumerate() {
        assert!(
            RULES[..i].iter().all(|other| other.id != rule.id),
            "{:?} listed twice",
            rule.id
        );
        assert!(!rule.explanation.is_empty());
    }
    assert_eq!(RULES.len(), 10);
}

#[test]
fn tiers_grow_monotonically_under_milder_than() {
    // a higher tier's recommended measures are never milder than a lower tier's
    for (i, low) in TIERS.iter().enumerate() {
        for high in &TIERS[i..] {
            for subject in [PERSON, Subject::Unit] {
                let (lo, hi) = match subject {
                    Subject::Unit => (low.unit, high.unit),
                    Subject::Person { .. } => (low.person, high.person),
                };
                if hi.is_empty() {
                    continue;
                }
                let rec = Recommendation {
                    measures: lo.to_vec(),
                    severity_rank: low.rank,
                    judicial_referral: false,
                    also_handle_section_head_awards_disqualification: false,
                    also_handle_main_responsible_leader: false,
                    aggravating: false,
                    reasons: vec![],
                };
                let proposal = SanctionMeasures::new(subject, hi.to_vec(), false).unwrap();
                assert!(
                    !is_milder_than_recommendation(&proposal, &rec),
                    "{:?} vs {:?} for {subject:?}",
                    high.rank,
                    low.rank
                );
            }
        }
    }
}
