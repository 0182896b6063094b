//! The recommendation policy: a table of (condition, effect) rules drawn from seed 000 part 6
//! 第六条 and seed 002 责任追究制度 七, as designed in domain.md.
//!
//! Evaluation: every rule of [`RULES`] whose condition holds *applies*. Among the applying
//! rules that name a tier, the highest [`SeverityRank`] wins and its row of [`TIERS`] gives
//! the minimum measures (one list for persons, one for units). Additive effects (judicial
//! referral, section head, main responsible leader, aggravating) of every applying rule are
//! OR-ed together. Every applying rule is listed in `reasons`, in table order.
//!
//! The tiers, mildest first:
//! - `minor_breach`: no tier-raising fact at all (a breach with no bad consequences) →
//!   `criticism_education` by the subject's own unit; a unit gets no measure (its head answers);
//! - `bad_consequences` (影响正常工作或者给群众造成损失, seed 002 七.2) →
//!   `written_self_criticism` + `circulated_criticism`;
//! - `sustained_complaint` (≥ 1 sustained complaint in the window) → `apology` +
//!   `circulated_criticism` in a limited scope;
//! - `repeated_or_criticised` (≥ threshold sustained complaints in the window, or criticism
//!   by superiors or social organisations) → `reminder_talk` (告诫) + `circulated_criticism`;
//! - `media_exposure` → the same measures (seed: "除给予通报批评、行政告诫外"), plus the
//!   section head loses award eligibility (additive);
//! - `serious` (serious wide social impact, or uncorrected after earlier criticism) →
//!   organisational handling or an administrative or party sanction, and the leader with main
//!   responsibility is handled too. "At least" is encoded as the mildest organisational
//!   measure, `organisational/suspension_for_inspection`: under the milder-than rule (see
//!   [`crate::sanction::milder`]) *any* organisational, administrative or party measure
//!   meets it, and no soft measure does. For a unit: `circulated_criticism` +
//!   `awards_disqualification`.
//!
//! A suspected crime adds judicial referral and an earlier sanction still active adds the
//! aggravating flag; neither changes the tier.

use serde::{Deserialize, Serialize};

use super::combination::Subject;
use super::measure::Measure;
use super::settings::PolicySettings;

mod table;

pub use table::{AdditiveEffects, PolicyRule, RULES, TIERS, TierRow};

/// Facts about the breach and the subject, gathered by the proposer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SeverityFactors {
    /// 造成不良后果 (影响正常工作或者给群众造成损失).
    pub bad_consequences: bool,
    /// 被新闻媒体曝光, harming the office.
    pub media_exposure: bool,
    /// 被上级领导、社会团体提出批评.
    pub criticism_by_superiors_or_social_organisations: bool,
    /// 经批评教育仍不能改正.
    pub uncorrected_after_earlier_criticism: bool,
    /// 情节严重、社会影响较大.
    pub serious_wide_social_impact: bool,
    /// 涉及犯罪.
    pub suspected_crime: bool,
}

/// The input of [`recommend`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecommendationFacts {
    pub subject: Subject,
    /// Sustained complaints against the subject within the repeat window, including the ones
    /// this proposal is about (see [`crate::sanction::window::count_sustained_within_window`]).
    pub sustained_complaints_in_window: u32,
    pub factors: SeverityFactors,
    /// An earlier sanction of the subject is still active (see [`crate::sanction::impact`]).
    pub earlier_sanction_active: bool,
}

/// The tiers of the policy, mildest first; `Ord` is "milder than".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SeverityRank {
    MinorBreach,
    BadConsequences,
    SustainedComplaint,
    RepeatedOrCriticised,
    MediaExposure,
    Serious,
}

/// The rules of the policy table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleId {
    MinorBreach,
    BadConsequences,
    SustainedComplaint,
    RepeatedComplaints,
    CriticisedBySuperiorsOrSocialOrganisations,
    MediaExposure,
    SeriousWideSocialImpact,
    UncorrectedAfterEarlierCriticism,
    SuspectedCrime,
    EarlierSanctionActive,
}

/// Why a recommendation says what it says: one applying rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reason {
    pub rule: RuleId,
    pub explanation: &'static str,
}

/// The output of [`recommend`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recommendation {
    /// The minimum recommended measures for the subject (empty: no measure is required).
    pub measures: Vec<Measure>,
    pub severity_rank: SeverityRank,
    pub judicial_referral: bool,
    /// The head of the person's section loses award eligibility (media exposure).
    pub also_handle_section_head_awards_disqualification: bool,
    /// The leader with main responsibility is handled too (serious tier).
    pub also_handle_main_responsible_leader: bool,
    pub aggravating: bool,
    pub reasons: Vec<Reason>,
}

/// Evaluates the policy table for `facts`.
#[must_use]
pub fn recommend(facts: &RecommendationFacts, settings: &PolicySettings) -> Recommendation {
    let applying: Vec<&PolicyRule> = RULES
        .iter()
        .filter(|rule| (rule.applies)(facts, settings))
        .collect();
    let severity_rank = applying
        .iter()
        .filter_map(|rule| rule.tier)
        .max()
        .unwrap_or(SeverityRank::MinorBreach);
    let additive = applying
        .iter()
        .fold(AdditiveEffects::default(), |acc, rule| AdditiveEffects {
            judicial_referral: acc.judicial_referral || rule.additive.judicial_referral,
            section_head_awards_disqualification: acc.section_head_awards_disqualification
                || rule.additive.section_head_awards_disqualification,
            main_responsible_leader: acc.main_responsible_leader
                || rule.additive.main_responsible_leader,
            aggravating: acc.aggravating || rule.additive.aggravating,
        });
    let measures = TIERS
        .iter()
        .find(|row| row.rank == severity_rank)
        .map(|row| match facts.subject {
            Subject::Person { .. } => row.person.to_vec(),
            Subject::Unit => row.unit.to_vec(),
        })
        .unwrap_or_default();
    Recommendation {
        measures,
        severity_rank,
        judicial_referral: additive.judicial_referral,
        also_handle_section_head_awards_disqualification: additive
            .section_head_awards_disqualification,
        also_handle_main_responsible_leader: additive.main_responsible_leader,
        aggravating: additive.aggravating,
        reasons: applying
            .iter()
            .map(|rule| Reason {
                rule: rule.id,
                explanation: rule.explanation,
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests;
