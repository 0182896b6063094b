//! What the accountability use cases store and show.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::leaders::AccountablePeople;
use crate::complaint::status::Finding;
use crate::ids::{ComplaintId, UnitId, UserId};
use crate::role::Role;
use crate::sanction::{
    Measure, Recommendation, RuleId, SanctionCase, SanctionEvent, SeverityFactors, SeverityRank,
};

crate::wire_enum! {
    /// The four kinds of investigation entry.
    RecordKind {
        InterviewComplainant => "interview_complainant",
        InterviewRespondent => "interview_respondent",
        CaseRecordCheck => "case_record_check",
        WitnessStatement => "witness_statement",
    }
}

/// One append-only investigation entry on a complaint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvestigationRecord {
    pub id: Uuid,
    pub complaint_id: ComplaintId,
    pub kind: RecordKind,
    pub author_id: UserId,
    pub recorded_at: DateTime<Utc>,
    pub people_involved: String,
    pub content: String,
}

/// The leading group holds the case (重要问题).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Takeover {
    pub complaint_id: ComplaintId,
    pub taken_by: UserId,
    pub taken_at: DateTime<Utc>,
    pub reason: String,
}

/// What the use cases need to know about a complaint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFacts {
    pub id: ComplaintId,
    pub respondent_unit_id: UnitId,
    pub held_by: Option<Takeover>,
}

/// What the use cases need to know about a staff member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PersonFacts {
    pub id: UserId,
    pub role: Role,
    pub unit_id: Option<UnitId>,
    pub party_member: bool,
}

/// Whom a sanction is against, by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SubjectRef {
    Person(UserId),
    Unit(UnitId),
}

impl SubjectRef {
    #[must_use]
    pub fn uuid(self) -> Uuid {
        match self {
            Self::Person(id) => id.as_uuid(),
            Self::Unit(id) => id.as_uuid(),
        }
    }
}

/// One applying rule, as stored with the proposal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReasonSnapshot {
    pub rule: RuleId,
    pub explanation: String,
}

/// The recommendation as computed when the proposal was made (stored as JSON, so a later
/// change of the settings does not rewrite history).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecommendationSnapshot {
    pub measures: Vec<Measure>,
    pub severity_rank: SeverityRank,
    pub judicial_referral: bool,
    pub also_handle_section_head_awards_disqualification: bool,
    pub also_handle_main_responsible_leader: bool,
    pub aggravating: bool,
    pub reasons: Vec<ReasonSnapshot>,
    /// Who heads the subject's section, when the section head is to be handled too
    /// (absent in snapshots stored before this was recorded).
    #[serde(default)]
    pub section_head: Option<AccountablePeople>,
    /// Who the leader with main responsibility is, when they are to be handled too.
    #[serde(default)]
    pub main_responsible_leader: Option<AccountablePeople>,
}

impl From<&Recommendation> for RecommendationSnapshot {
    fn from(r: &Recommendation) -> Self {
        Self {
            measures: r.measures.clone(),
            severity_rank: r.severity_rank,
            judicial_referral: r.judicial_referral,
            also_handle_section_head_awards_disqualification: r
                .also_handle_section_head_awards_disqualification,
            also_handle_main_responsible_leader: r.also_handle_main_responsible_leader,
            aggravating: r.aggravating,
            reasons: r
                .reasons
                .iter()
                .map(|x| ReasonSnapshot {
                    rule: x.rule,
                    explanation: x.explanation.to_owned(),
                })
                .collect(),
            section_head: None,
            main_responsible_leader: None,
        }
    }
}

/// A sanction proposal with everything filed about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SanctionRecord {
    /// The lifecycle (measures proposed, statement, decision, supersession).
    pub case: SanctionCase,
    pub subject: SubjectRef,
    pub findings: String,
    pub rule_broken: String,
    pub factors: SeverityFactors,
    pub justification: Option<String>,
    pub recommendation: RecommendationSnapshot,
    /// Sustained complaints against the subject within the window, at proposal time.
    pub sustained_in_window: u32,
    /// An earlier sanction of the subject was active at proposal time.
    pub aggravating: bool,
    pub complaint_ids: Vec<ComplaintId>,
    pub investigation_record_ids: Vec<Uuid>,
    /// Set with the decision (default: the decision's local date).
    pub effective_date: Option<NaiveDate>,
    /// The decided sanction this proposal replaces once it is approved or amended.
    pub supersedes: Option<Uuid>,
    pub version: i64,
    pub updated_at: DateTime<Utc>,
}

/// One history row of a sanction: who, when, what, why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SanctionHistoryEntry {
    pub kind: String,
    pub actor: UserId,
    pub at: DateTime<Utc>,
    pub reason: Option<String>,
}

impl SanctionHistoryEntry {
    /// The first entry of every sanction's history: `actor` proposed it at `at`.
    #[must_use]
    pub fn proposed(actor: UserId, at: DateTime<Utc>) -> Self {
        Self {
            kind: "proposed".into(),
            actor,
            at,
            reason: None,
        }
    }
}

/// Everything one sanction change writes in ONE transaction.
#[derive(Debug, Clone)]
pub struct SanctionWrite {
    /// The new state (version already incremented).
    pub record: SanctionRecord,
    /// `None` for an insert, else the version it replaces.
    pub replaces_version: Option<i64>,
    pub history: Vec<SanctionHistoryEntry>,
    /// Other sanctions changed by the same act (supersession), with the version they replace.
    pub also: Vec<(SanctionRecord, i64, SanctionHistoryEntry)>,
}

/// A complaint against a subject, for records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComplaintAgainst {
    pub id: ComplaintId,
    pub number: String,
    pub finding: Option<Finding>,
    pub closed_at: Option<DateTime<Utc>>,
}

/// Filters of the sanction list.
#[derive(Debug, Clone, Default)]
pub struct SanctionQuery {
    /// `None`: every subject.
    pub units: Option<Vec<UnitId>>,
    pub subject_user_id: Option<UserId>,
    pub subject_unit_id: Option<UnitId>,
    pub status: Option<crate::sanction::SanctionStatusKind>,
    pub limit: u32,
    pub offset: u32,
}

/// The history event name of a lifecycle event.
#[must_use]
pub fn history_of(event: &SanctionEvent, tz: chrono_tz::Tz) -> SanctionHistoryEntry {
    match event {
        SanctionEvent::StatementPeriodOpened {
            by,
            at,
            statement_deadline,
        } => SanctionHistoryEntry {
            kind: "statement_period_opened".into(),
            actor: UserId::from_uuid(*by),
            at: *at,
            reason: Some(format!(
                "statement due by {}",
                crate::calendar::LocalInstant::new(*statement_deadline, tz)
            )),
        },
        SanctionEvent::StatementFiled(s) => SanctionHistoryEntry {
            kind: "statement_filed".into(),
            actor: UserId::from_uuid(s.filed_by),
            at: s.filed_at,
            reason: None,
        },
        SanctionEvent::Decided(d) => SanctionHistoryEntry {
            kind: "decided".into(),
            actor: UserId::from_uuid(d.decider),
            at: d.decided_at,
            reason: match &d.outcome {
                crate::sanction::DecisionOutcome::Approved => None,
                crate::sanction::DecisionOutcome::Amended { reasons, .. }
                | crate::sanction::DecisionOutcome::Rejected { reasons } => Some(reasons.clone()),
            },
        },
        SanctionEvent::Superseded { by, at, reason, .. } => SanctionHistoryEntry {
            kind: "superseded".into(),
            actor: UserId::from_uuid(*by),
            at: *at,
            reason: Some(reason.clone()),
        },
    }
}

#[cfg(test)]
mod tests;
