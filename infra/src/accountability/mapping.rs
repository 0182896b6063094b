//! Rows to domain values and back.

use duban_domain::accountability::{
    InvestigationRecord, RecommendationSnapshot, SanctionRecord, SubjectRef,
};
use duban_domain::ids::{ComplaintId, UnitId, UserId};
use duban_domain::sanction::{
    Decision, DecisionOutcome, Measure, SanctionCase, SanctionEvent, SanctionMeasures,
    SanctionStatus, SanctionStatusKind, SeverityFactors, Statement, Subject, apply,
};
use duban_domain::storage::RepositoryError;
use sea_orm::ActiveValue::NotSet;
use sea_orm::Set;

use super::entities::{investigation_record, sanction, sanction_measure};

pub(super) fn corrupt(what: impl std::fmt::Display) -> RepositoryError {
    RepositoryError::Unavailable(format!("corrupt sanction data: {what}"))
}

pub(super) fn record_from(
    m: investigation_record::Model,
) -> Result<InvestigationRecord, RepositoryError> {
    Ok(InvestigationRecord {
        id: m.id,
        complaint_id: ComplaintId::from_uuid(m.complaint_id),
        kind: m.kind.parse().map_err(corrupt)?,
        author_id: UserId::from_uuid(m.author_id),
        recorded_at: m.recorded_at,
        people_involved: m.people_involved,
        content: m.content,
    })
}

pub(super) fn status_name(kind: SanctionStatusKind) -> &'static str {
    match kind {
        SanctionStatusKind::Proposed => "proposed",
        SanctionStatusKind::AwaitingStatement => "awaiting_statement",
        SanctionStatusKind::StatementFiled => "statement_filed",
        SanctionStatusKind::Decided => "decided",
        SanctionStatusKind::Superseded => "superseded",
    }
}

fn measures_of(
    rows: &[sanction_measure::Model],
    phase: &str,
) -> Result<Vec<Measure>, RepositoryError> {
    let mut rows: Vec<&sanction_measure::Model> =
        rows.iter().filter(|r| r.phase == phase).collect();
    rows.sort_by_key(|r| r.position);
    rows.iter()
        .map(|r| Measure::parse(&r.track, &r.measure).map_err(corrupt))
        .collect()
}

/// Rebuilds a sanction from its row, measures and links by replaying its lifecycle.
pub(super) fn sanction_from(
    m: sanction::Model,
    measures: &[sanction_measure::Model],
    complaint_ids: Vec<ComplaintId>,
    investigation_record_ids: Vec<uuid::Uuid>,
) -> Result<SanctionRecord, RepositoryError> {
    let (subject, subject_ref) = match (
        m.subject_kind.as_str(),
        m.subject_user_id,
        m.subject_unit_id,
    ) {
        ("person", Some(user), _) => (
            Subject::Person {
                is_party_member: m.subject_party_member,
            },
            SubjectRef::Person(UserId::from_uuid(user)),
        ),
        ("unit", _, Some(unit)) => (Subject::Unit, SubjectRef::Unit(UnitId::from_uuid(unit))),
        _ => return Err(corrupt("subject")),
    };
    let proposed = SanctionMeasures::new(
        subject,
        measures_of(measures, "proposed")?,
        m.judicial_referral,
    )
    .map_err(corrupt)?;
    let mut case = SanctionCase::new(
        m.id,
        subject_ref.uuid(),
        m.proposer_id,
        m.proposed_at,
        proposed,
    );
    let mut events = Vec::new();
    if let Some(deadline) = m.statement_deadline {
        events.push(SanctionEvent::StatementPeriodOpened {
            by: m.proposer_id,
            at: m.proposed_at,
            statement_deadline: deadline,
        });
    }
    if let (Some(text), Some(at), Some(by)) = (&m.statement_text, m.statement_at, m.statement_by) {
        events.push(SanctionEvent::StatementFiled(Statement {
            filed_by: by,
            filed_at: at,
            text: text.clone(),
            late: m.statement_late.unwrap_or(false),
        }));
    }
    if let (Some(decision_id), Some(outcome), Some(by), Some(at)) = (
        m.decision_id,
        m.decision_outcome.as_deref(),
        m.decided_by,
        m.decided_at,
    ) {
        let reasons = m.decision_reasons.clone().unwrap_or_default();
        let outcome = match outcome {
            "approve" => DecisionOutcome::Approved,
            "reject" => DecisionOutcome::Rejected { reasons },
            "amend" => DecisionOutcome::Amended {
                measures: SanctionMeasures::new(
                    subject,
                    measures_of(measures, "decided")?,
                    m.decided_judicial_referral.unwrap_or(false),
                )
                .map_err(corrupt)?,
                reasons,
            },
            other => return Err(corrupt(other)),
        };
        events.push(SanctionEvent::Decided(Decision {
            decision_id,
            decider: by,
            decided_at: at,
            outcome,
        }));
    }
    if let Some(by) = m.superseded_by {
        events.push(SanctionEvent::Superseded {
            by: m.decided_by.unwrap_or(m.proposer_id),
            at: m.updated_at,
            superseded_by: by,
            reason: m.supersede_reason.clone().unwrap_or_default(),
        });
    }
    for event in &events {
        case = apply(case, event).map_err(corrupt)?;
    }
    if status_name(case.status_kind()) != m.status {
        return Err(corrupt(format!(
            "status {} does not match its history",
            m.status
        )));
    }
    let recommendation: RecommendationSnapshot =
        serde_json::from_str(&m.recommendation).map_err(corrupt)?;
    Ok(SanctionRecord {
        case,
        subject: subject_ref,
        findings: m.findings,
        rule_broken: m.rule_broken,
        factors: SeverityFactors {
            bad_consequences: m.bad_consequences,
            media_exposure: m.media_exposure,
            criticism_by_superiors_or_social_organisations: m.criticism_by_superiors,
            uncorrected_after_earlier_criticism: m.uncorrected,
            serious_wide_social_impact: m.serious_impact,
            suspected_crime: m.suspected_crime,
        },
        justification: m.justification,
        recommendation,
        sustained_in_window: u32::try_from(m.sustained_in_window).unwrap_or(0),
        aggravating: m.aggravating,
        complaint_ids,
        investigation_record_ids,
        effective_date: m.effective_date,
        supersedes: m.supersedes,
        version: m.version,
        updated_at: m.updated_at,
    })
}

/// The row of a sanction.
pub(super) fn sanction_row(r: &SanctionRecord) -> Result<sanction::ActiveModel, RepositoryError> {
    let proposed = r.case.proposed();
    let (kind, user, unit, party) = match (r.subject, proposed.subject()) {
        (SubjectRef::Person(id), Subject::Person { is_party_member }) => {
            ("person", Some(id.as_uuid()), None, is_party_member)
        }
        (SubjectRef::Unit(id), _) => ("unit", None, Some(id.as_uuid()), false),
        _ => return Err(corrupt("subject")),
    };
    let (deadline, statement, decision, superseded_by) = match r.case.status() {
        SanctionStatus::Proposed => (None, None, None, None),
        SanctionStatus::AwaitingStatement {
            statement_deadline,
            statement,
        } => (Some(*statement_deadline), statement.as_ref(), None, None),
        SanctionStatus::Decided {
            decision,
            statement,
        } => (None, statement.as_ref(), Some(decision), None),
        SanctionStatus::Superseded {
            decision,
            statement,
            superseded_by,
        } => (
            None,
            statement.as_ref(),
            Some(decision),
            Some(*superseded_by),
        ),
    };
    let recommendation = serde_json::to_string(&r.recommendation).map_err(corrupt)?;
    let (outcome, reasons, decided_referral) = match decision.map(|d| &d.outcome) {
        None => (None, None, None),
        Some(DecisionOutcome::Approved) => (Some("approve"), None, None),
        Some(DecisionOutcome::Rejected { reasons }) => {
            (Some("reject"), Some(reasons.clone()), None)
        }
        Some(DecisionOutcome::Amended { measures, reasons }) => (
            Some("amend"),
            Some(reasons.clone()),
            Some(measures.judicial_referral()),
        ),
    };
    Ok(sanction::ActiveModel {
        id: Set(r.case.id()),
        subject_kind: Set(kind.to_owned()),
        subject_user_id: Set(user),
        subject_unit_id: Set(unit),
        subject_party_member: Set(party),
        proposer_id: Set(r.case.proposer()),
        proposed_at: Set(r.case.proposed_at()),
        findings: Set(r.findings.clone()),
        rule_broken: Set(r.rule_broken.clone()),
        bad_consequences: Set(r.factors.bad_consequences),
        media_exposure: Set(r.factors.media_exposure),
        criticism_by_superiors: Set(r.factors.criticism_by_superiors_or_social_organisations),
        uncorrected: Set(r.factors.uncorrected_after_earlier_criticism),
        serious_impact: Set(r.factors.serious_wide_social_impact),
        suspected_crime: Set(r.factors.suspected_crime),
        judicial_referral: Set(proposed.judicial_referral()),
        justification: Set(r.justification.clone()),
        recommendation: Set(recommendation),
        sustained_in_window: Set(i32::try_from(r.sustained_in_window).unwrap_or(i32::MAX)),
        aggravating: Set(r.aggravating),
        status: Set(status_name(r.case.status_kind()).to_owned()),
        statement_deadline: deadline.map_or(NotSet, |d| Set(Some(d))),
        statement_text: Set(statement.map(|s| s.text.clone())),
        statement_at: Set(statement.map(|s| s.filed_at)),
        statement_by: Set(statement.map(|s| s.filed_by)),
        statement_late: Set(statement.map(|s| s.late)),
        decision_id: Set(decision.map(|d| d.decision_id)),
        decision_outcome: Set(outcome.map(str::to_owned)),
        decision_reasons: Set(reasons),
        decided_judicial_referral: Set(decided_referral),
        decided_by: Set(decision.map(|d| d.decider)),
        decided_at: Set(decision.map(|d| d.decided_at)),
        effective_date: Set(r.effective_date),
        superseded_by: Set(superseded_by),
        supersede_reason: NotSet,
        supersedes: Set(r.supersedes),
        version: Set(r.version),
        updated_at: Set(r.updated_at),
    })
}
