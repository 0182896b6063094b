//! Wire types of sanctions: proposals, statements, decisions and their history.

use chrono::{DateTime, NaiveDate, Utc};
use duban_domain::accountability::service::SanctionDetail;
use duban_domain::accountability::{SanctionHistoryEntry, SanctionRecord, SubjectRef};
use duban_domain::sanction::{
    DecisionOutcome as DomainOutcome, Measure, SanctionStatus, SanctionStatusKind,
};
use poem_openapi::{Enum, Object};
use uuid::Uuid;

use super::recommendation_dto::RecommendationView;
use super::sanction_requests::DecisionOutcome;
use super::strict_string::Text;

crate::mirror_enum!(
    /// Where a sanction stands.
    SanctionStatusView => duban_domain::sanction::SanctionStatusKind {
        Proposed, AwaitingStatement, StatementFiled, Decided, Superseded
    }
);
crate::mirror_enum!(
    /// A sanction track.
    TrackView => duban_domain::sanction::Track { Soft, Organisational, Administrative, Party }
);

/// A `(track, measure)` pair, e.g. `{"track": "administrative", "measure": "warning"}`.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct MeasureView {
    pub track: TrackView,
    /// The measure's name within its track (see domain.md).
    #[oai(validator(min_length = 1, max_length = 40))]
    pub measure: Text,
}

impl From<Measure> for MeasureView {
    fn from(m: Measure) -> Self {
        Self {
            track: m.track().into(),
            measure: Text(m.as_str().to_owned()),
        }
    }
}

/// Whom a sanction is against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum SubjectKind {
    Person,
    Unit,
}

/// The subject: `user_id` for a person, `unit_id` for a unit.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct SubjectView {
    pub kind: SubjectKind,
    #[oai(skip_serializing_if_is_none)]
    pub user_id: Option<Uuid>,
    #[oai(skip_serializing_if_is_none)]
    pub unit_id: Option<Uuid>,
}

impl From<SubjectRef> for SubjectView {
    fn from(s: SubjectRef) -> Self {
        match s {
            SubjectRef::Person(id) => Self {
                kind: SubjectKind::Person,
                user_id: Some(id.as_uuid()),
                unit_id: None,
            },
            SubjectRef::Unit(id) => Self {
                kind: SubjectKind::Unit,
                user_id: None,
                unit_id: Some(id.as_uuid()),
            },
        }
    }
}

/// Severity factors of the breach.
#[derive(Debug, Clone, Copy, Default, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct SeverityFactorsView {
    /// 造成不良后果.
    #[oai(default)]
    pub bad_consequences: bool,
    /// 被新闻媒体曝光.
    #[oai(default)]
    pub media_exposure: bool,
    /// 被上级领导、社会团体提出批评.
    #[oai(default)]
    pub criticism_by_superiors_or_social_organisations: bool,
    /// 经批评教育仍不能改正.
    #[oai(default)]
    pub uncorrected_after_earlier_criticism: bool,
    /// 情节严重、社会影响较大.
    #[oai(default)]
    pub serious_wide_social_impact: bool,
    /// 涉及犯罪.
    #[oai(default)]
    pub suspected_crime: bool,
}

impl From<SeverityFactorsView> for duban_domain::sanction::SeverityFactors {
    fn from(f: SeverityFactorsView) -> Self {
        Self {
            bad_consequences: f.bad_consequences,
            media_exposure: f.media_exposure,
            criticism_by_superiors_or_social_organisations: f
                .criticism_by_superiors_or_social_organisations,
            uncorrected_after_earlier_criticism: f.uncorrected_after_earlier_criticism,
            serious_wide_social_impact: f.serious_wide_social_impact,
            suspected_crime: f.suspected_crime,
        }
    }
}

impl From<duban_domain::sanction::SeverityFactors> for SeverityFactorsView {
    fn from(f: duban_domain::sanction::SeverityFactors) -> Self {
        Self {
            bad_consequences: f.bad_consequences,
            media_exposure: f.media_exposure,
            criticism_by_superiors_or_social_organisations: f
                .criticism_by_superiors_or_social_organisations,
            uncorrected_after_earlier_criticism: f.uncorrected_after_earlier_criticism,
            serious_wide_social_impact: f.serious_wide_social_impact,
            suspected_crime: f.suspected_crime,
        }
    }
}

/// The facts the recommendation was computed from.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct FactsView {
    /// Sustained complaints against the subject within the repeat window.
    pub sustained_complaints_in_window: u32,
    /// An earlier sanction of the subject was still active.
    pub aggravating: bool,
}

/// The statement of defence.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct StatementView {
    pub text: String,
    pub filed_by: Uuid,
    pub filed_at: DateTime<Utc>,
    pub late: bool,
}

/// The decision.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct DecisionView {
    pub outcome: DecisionOutcome,
    pub decided_by: Uuid,
    pub decided_at: DateTime<Utc>,
    pub reasons: Option<String>,
    /// For `amend`: the measures decided.
    pub measures: Option<Vec<MeasureView>>,
    pub judicial_referral: Option<bool>,
}

/// One history entry.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct SanctionHistoryView {
    pub kind: String,
    pub actor_id: Uuid,
    /// The actor's display name, as the account reads now.
    pub actor_display_name: Option<String>,
    pub at: DateTime<Utc>,
    pub reason: Option<String>,
}

impl From<SanctionHistoryEntry> for SanctionHistoryView {
    fn from(e: SanctionHistoryEntry) -> Self {
        Self {
            kind: e.kind,
            actor_id: e.actor.as_uuid(),
            actor_display_name: None,
            at: e.at,
            reason: e.reason,
        }
    }
}

/// A sanction proposal and where it stands.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct SanctionView {
    pub id: Uuid,
    pub subject: SubjectView,
    pub proposer_id: Uuid,
    pub proposed_at: DateTime<Utc>,
    pub findings: String,
    pub rule_broken: String,
    pub severity: SeverityFactorsView,
    pub complaint_ids: Vec<Uuid>,
    pub investigation_record_ids: Vec<Uuid>,
    pub measures: Vec<MeasureView>,
    pub judicial_referral: bool,
    pub justification: Option<String>,
    pub recommendation: RecommendationView,
    pub facts: FactsView,
    pub status: SanctionStatusView,
    /// The end of the statement period, while it is open.
    pub statement_deadline: Option<DateTime<Utc>>,
    pub statement: Option<StatementView>,
    pub decision: Option<DecisionView>,
    /// The measures in force (decided and not superseded or rejected).
    pub measures_in_force: Option<Vec<MeasureView>>,
    pub effective_date: Option<NaiveDate>,
    pub supersedes: Option<Uuid>,
    pub superseded_by: Option<Uuid>,
    /// Only when one sanction is read.
    #[oai(skip_serializing_if_is_none)]
    pub history: Option<Vec<SanctionHistoryView>>,
    pub version: i64,
    pub updated_at: DateTime<Utc>,
}

impl From<SanctionRecord> for SanctionView {
    fn from(r: SanctionRecord) -> Self {
        let case = &r.case;
        let (deadline, statement, decision, superseded_by) = match case.status() {
            SanctionStatus::Proposed => (None, None, None, None),
            SanctionStatus::AwaitingStatement {
                statement_deadline,
                statement,
            } => (Some(*statement_deadline), statement.clone(), None, None),
            SanctionStatus::Decided {
                decision,
                statement,
            } => (None, statement.clone(), Some(decision.clone()), None),
            SanctionStatus::Superseded {
                decision,
                statement,
                superseded_by,
            } => (
                None,
                statement.clone(),
                Some(decision.clone()),
                Some(*superseded_by),
            ),
        };
        let in_force = if case.status_kind() == SanctionStatusKind::Decided {
            case.measures_in_force()
                .map(|m| m.measures().iter().copied().map(Into::into).collect())
        } else {
            None
        };
        Self {
            id: case.id(),
            subject: r.subject.into(),
            proposer_id: case.proposer(),
            proposed_at: case.proposed_at(),
            findings: r.findings.clone(),
            rule_broken: r.rule_broken.clone(),
            severity: r.factors.into(),
            complaint_ids: r.complaint_ids.iter().map(|c| c.as_uuid()).collect(),
            investigation_record_ids: r.investigation_record_ids.clone(),
            measures: case
                .proposed()
                .measures()
                .iter()
                .copied()
                .map(Into::into)
                .collect(),
            judicial_referral: case.proposed().judicial_referral(),
            justification: r.justification.clone(),
            recommendation: r.recommendation.clone().into(),
            facts: FactsView {
                sustained_complaints_in_window: r.sustained_in_window,
                aggravating: r.aggravating,
            },
            status: case.status_kind().into(),
            statement_deadline: deadline,
            statement: statement.map(|s| StatementView {
                text: s.text,
                filed_by: s.filed_by,
                filed_at: s.filed_at,
                late: s.late,
            }),
            decision: decision.map(|d| {
                let (outcome, reasons, measures, referral) = match d.outcome {
                    DomainOutcome::Approved => (DecisionOutcome::Approve, None, None, None),
                    DomainOutcome::Rejected { reasons } => {
                        (DecisionOutcome::Reject, Some(reasons), None, None)
                    }
                    DomainOutcome::Amended { measures, reasons } => (
                        DecisionOutcome::Amend,
                        Some(reasons),
                        Some(
                            measures
                                .measures()
                                .iter()
                                .copied()
                                .map(Into::into)
                                .collect(),
                        ),
                        Some(measures.judicial_referral()),
                    ),
                };
                DecisionView {
                    outcome,
                    decided_by: d.decider,
                    decided_at: d.decided_at,
                    reasons,
                    measures,
                    judicial_referral: referral,
                }
            }),
            measures_in_force: in_force,
            effective_date: r.effective_date,
            supersedes: r.supersedes,
            superseded_by,
            history: None,
            version: r.version,
            updated_at: r.updated_at,
        }
    }
}

impl From<SanctionDetail> for SanctionView {
    fn from(d: SanctionDetail) -> Self {
        let mut view = SanctionView::from(d.record);
        view.history = Some(d.history.into_iter().map(Into::into).collect());
        view
    }
}

/// Sanctions, newest first.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct SanctionList {
    pub items: Vec<SanctionView>,
    #[oai(skip_serializing_if_is_none)]
    pub next_cursor: Option<String>,
}
