//! Wire types of the recommendation shown with every sanction proposal, with whom it asks the
//! proposer to handle too.

use duban_domain::accountability::RecommendationSnapshot;
use duban_domain::accountability::leaders::AccountablePeople;
use poem_openapi::Object;
use uuid::Uuid;

use super::accountability_dto::MeasureView;

crate::mirror_enum!(
    /// The tier of the recommendation, mildest first.
    SeverityRankView => duban_domain::sanction::SeverityRank {
        MinorBreach, BadConsequences, SustainedComplaint, RepeatedOrCriticised, MediaExposure, Serious
    }
);
crate::mirror_enum!(
    /// A rule of the recommendation policy.
    RuleIdView => duban_domain::sanction::RuleId {
        MinorBreach, BadConsequences, SustainedComplaint, RepeatedComplaints,
        CriticisedBySuperiorsOrSocialOrganisations, MediaExposure, SeriousWideSocialImpact,
        UncorrectedAfterEarlierCriticism, SuspectedCrime, EarlierSanctionActive
    }
);

/// One applying rule.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ReasonView {
    pub rule: RuleIdView,
    pub explanation: String,
}

/// The recommendation computed when the proposal was made.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct RecommendationView {
    /// The minimum recommended measures.
    pub measures: Vec<MeasureView>,
    pub severity_rank: SeverityRankView,
    pub judicial_referral: bool,
    /// The head of the person's section loses award eligibility (media exposure).
    pub section_head_awards_disqualification: bool,
    /// The leader with main responsibility is handled too.
    pub main_responsible_leader: bool,
    pub aggravating: bool,
    pub reasons: Vec<ReasonView>,
    /// With `section_head_awards_disqualification`: the head of the subject's section from
    /// the unit tree, or a note that none is on record.
    #[oai(skip_serializing_if_is_none)]
    pub section_head_named: Option<AccountableView>,
    /// With `main_responsible_leader`: the head of the subject's agency from the unit tree,
    /// or a note that none is on record.
    #[oai(skip_serializing_if_is_none)]
    pub main_responsible_leader_named: Option<AccountableView>,
}

/// A staff member by id and display name.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct NamedPersonView {
    pub user_id: Uuid,
    pub display_name: String,
}

/// Whom the proposer is to handle too, as found in the unit tree when the proposal was made.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct AccountableView {
    /// The section or agency they head; absent when no such unit is on record.
    pub unit_id: Option<Uuid>,
    pub unit_name: Option<String>,
    /// Its active unit heads (empty: none on record).
    pub people: Vec<NamedPersonView>,
    /// Names them, or says that none is on record and why.
    pub note: String,
}

impl From<AccountablePeople> for AccountableView {
    fn from(a: AccountablePeople) -> Self {
        Self {
            unit_id: a.unit_id,
            unit_name: a.unit_name,
            people: a
                .people
                .into_iter()
                .map(|p| NamedPersonView {
                    user_id: p.user_id,
                    display_name: p.display_name,
                })
                .collect(),
            note: a.note,
        }
    }
}

impl From<RecommendationSnapshot> for RecommendationView {
    fn from(r: RecommendationSnapshot) -> Self {
        Self {
            measures: r.measures.into_iter().map(Into::into).collect(),
            severity_rank: r.severity_rank.into(),
            judicial_referral: r.judicial_referral,
            section_head_awards_disqualification: r
                .also_handle_section_head_awards_disqualification,
            main_responsible_leader: r.also_handle_main_responsible_leader,
            aggravating: r.aggravating,
            reasons: r
                .reasons
                .into_iter()
                .map(|x| ReasonView {
                    rule: x.rule.into(),
                    explanation: x.explanation,
                })
                .collect(),
            section_head_named: r.section_head.map(Into::into),
            main_responsible_leader_named: r.main_responsible_leader.map(Into::into),
        }
    }
}
