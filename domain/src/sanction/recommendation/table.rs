//! The policy table: which facts raise which tier and add which effects, and the minimum
//! measures of each tier. Edit the data here, not the evaluation in the parent module.

use super::{RecommendationFacts, RuleId, SeverityRank};
use crate::sanction::measure::{Measure, OrganisationalMeasure, SoftMeasure};
use crate::sanction::settings::PolicySettings;

/// Effects a rule adds whatever tier wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AdditiveEffects {
    pub judicial_referral: bool,
    pub section_head_awards_disqualification: bool,
    pub main_responsible_leader: bool,
    pub aggravating: bool,
}

/// One row of the policy: a condition and its effect.
#[derive(Debug, Clone, Copy)]
pub struct PolicyRule {
    pub id: RuleId,
    pub applies: fn(&RecommendationFacts, &PolicySettings) -> bool,
    pub tier: Option<SeverityRank>,
    pub additive: AdditiveEffects,
    pub explanation: &'static str,
}

/// One tier: the minimum measures for a person and for a unit.
#[derive(Debug, Clone, Copy)]
pub struct TierRow {
    pub rank: SeverityRank,
    pub person: &'static [Measure],
    pub unit: &'static [Measure],
}

const CRITICISM_EDUCATION: Measure = Measure::Soft(SoftMeasure::CriticismEducation);
const REMINDER_TALK: Measure = Measure::Soft(SoftMeasure::ReminderTalk);
const APOLOGY: Measure = Measure::Soft(SoftMeasure::Apology);
const WRITTEN: Measure = Measure::Soft(SoftMeasure::WrittenSelfCriticism);
const CIRCULATED: Measure = Measure::Soft(SoftMeasure::CirculatedCriticism);
const AWARDS: Measure = Measure::Soft(SoftMeasure::AwardsDisqualification);
const ORGANISATIONAL_FLOOR: Measure =
    Measure::Organisational(OrganisationalMeasure::SuspensionForInspection);

/// The minimum measures of each tier, in rank order.
pub const TIERS: [TierRow; 6] = [
    TierRow {
        rank: SeverityRank::MinorBreach,
        person: &[CRITICISM_EDUCATION],
        unit: &[],
    },
    TierRow {
        rank: SeverityRank::BadConsequences,
        person: &[WRITTEN, CIRCULATED],
        unit: &[CIRCULATED],
    },
    TierRow {
        rank: SeverityRank::SustainedComplaint,
        person: &[APOLOGY, CIRCULATED],
        unit: &[CIRCULATED],
    },
    TierRow {
        rank: SeverityRank::RepeatedOrCriticised,
        person: &[REMINDER_TALK, CIRCULATED],
        unit: &[CIRCULATED],
    },
    TierRow {
        rank: SeverityRank::MediaExposure,
        person: &[REMINDER_TALK, CIRCULATED],
        unit: &[CIRCULATED],
    },
    TierRow {
        rank: SeverityRank::Serious,
        person: &[ORGANISATIONAL_FLOOR],
        unit: &[CIRCULATED, AWARDS],
    },
];

const NONE: AdditiveEffects = AdditiveEffects {
    judicial_referral: false,
    section_head_awards_disqualification: false,
    main_responsible_leader: false,
    aggravating: false,
};

/// The policy table.
pub const RULES: [PolicyRule; 10] = [
    PolicyRule {
        id: RuleId::MinorBreach,
        applies: no_tier_raising_fact,
        tier: Some(SeverityRank::MinorBreach),
        additive: NONE,
        explanation: "breach with no bad consequences: criticism and education by the subject's own unit",
    },
    PolicyRule {
        id: RuleId::BadConsequences,
        applies: |f, _| f.factors.bad_consequences,
        tier: Some(SeverityRank::BadConsequences),
        additive: NONE,
        explanation: "bad consequences: written self-criticism and circulated criticism",
    },
    PolicyRule {
        id: RuleId::SustainedComplaint,
        applies: |f, _| f.sustained_complaints_in_window >= 1,
        tier: Some(SeverityRank::SustainedComplaint),
        additive: NONE,
        explanation: "sustained complaint from the public: apology and circulated criticism in a limited scope",
    },
    PolicyRule {
        id: RuleId::RepeatedComplaints,
        applies: |f, s| f.sustained_complaints_in_window >= s.repeat_threshold(),
        tier: Some(SeverityRank::RepeatedOrCriticised),
        additive: NONE,
        explanation: "repeated sustained complaints within the window: circulated criticism and a reminder talk",
    },
    PolicyRule {
        id: RuleId::CriticisedBySuperiorsOrSocialOrganisations,
        applies: |f, _| f.factors.criticism_by_superiors_or_social_organisations,
        tier: Some(SeverityRank::RepeatedOrCriticised),
        additive: NONE,
        explanation: "criticised by superiors or social organisations: circulated criticism and a reminder talk",
    },
    PolicyRule {
        id: RuleId::MediaExposure,
        applies: |f, _| f.factors.media_exposure,
        tier: Some(SeverityRank::MediaExposure),
        additive: AdditiveEffects {
            section_head_awards_disqualification: true,
            ..NONE
        },
        explanation: "news-media exposure harming the office: circulated criticism, a reminder talk, and the section head loses award eligibility",
    },
    PolicyRule {
        id: RuleId::SeriousWideSocialImpact,
        applies: |f, _| f.factors.serious_wide_social_impact,
        tier: Some(SeverityRank::Serious),
        additive: AdditiveEffects {
            main_responsible_leader: true,
            ..NONE
        },
        explanation: "serious, wide social impact: organisational handling or an administrative or party sanction; the leader with main responsibility is handled too",
    },
    PolicyRule {
        id: RuleId::UncorrectedAfterEarlierCriticism,
        applies: |f, _| f.factors.uncorrected_after_earlier_criticism,
        tier: Some(SeverityRank::Serious),
        additive: AdditiveEffects {
            main_responsible_leader: true,
            ..NONE
        },
        explanation: "not corrected after earlier criticism: organisational handling or an administrative or party sanction; the leader with main responsibility is handled too",
    },
    PolicyRule {
        id: RuleId::SuspectedCrime,
        applies: |f, _| f.factors.suspected_crime,
        tier: None,
        additive: AdditiveEffects {
            judicial_referral: true,
            ..NONE
        },
        explanation: "suspected crime: refer to the judicial organs",
    },
    PolicyRule {
        id: RuleId::EarlierSanctionActive,
        applies: |f, _| f.earlier_sanction_active,
        tier: None,
        additive: AdditiveEffects {
            aggravating: true,
            ..NONE
        },
        explanation: "an earlier sanction is still active: aggravating",
    },
];

fn no_tier_raising_fact(f: &RecommendationFacts, _: &PolicySettings) -> bool {
    let x = &f.factors;
    f.sustained_complaints_in_window == 0
        && !x.bad_consequences
        && !x.media_exposure
        && !x.criticism_by_superiors_or_social_organisations
        && !x.uncorrected_after_earlier_criticism
        && !x.serious_wide_social_impact
}
