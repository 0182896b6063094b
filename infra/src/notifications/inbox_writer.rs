//! Writing notices: one inbox row per person, and one outbox message per person for the
//! delivery channels, inside the transaction of the event that gives rise to them.

use chrono::{DateTime, SubsecRound, Utc};
use duban_domain::accountability::SanctionRecord;
use duban_domain::complaint::events::ComplaintEvent;
use duban_domain::ids::{ComplaintId, UnitId, UserId};
use duban_domain::notification::{
    CaseFacts, Notice, SanctionFacts, Subject, for_case_event, for_sanction_entry,
};
use duban_domain::sanction::{DecisionOutcome, SanctionStatus};
use duban_domain::storage::RepositoryError;
use sea_orm::{ActiveModelTrait, DatabaseTransaction, EntityTrait, QuerySelect, Set};
use serde_json::{Map, Value, json};
use uuid::Uuid;

use super::audience::people;
use super::outbox::enqueue_in;
use crate::accountability::entities::complaint_takeover;
use crate::entities::{complaint, notification};
use crate::storage_error::unavailable;

/// Tells whoever must know of `event` on the complaint.
///
/// # Errors
/// [`RepositoryError::Unavailable`].
pub(crate) async fn notify_case_event(
    txn: &DatabaseTransaction,
    complaint_id: ComplaintId,
    event: &ComplaintEvent,
    at: DateTime<Utc>,
) -> Result<(), RepositoryError> {
    let Some((number, first_handler, respondent_unit)) =
        complaint::Entity::find_by_id(complaint_id.as_uuid())
            .select_only()
            .column(complaint::Column::Number)
            .column(complaint::Column::FirstHandlerId)
            .column(complaint::Column::RespondentUnitId)
            .into_tuple::<(String, Uuid, Uuid)>()
            .one(txn)
            .await
            .map_err(unavailable)?
    else {
        return Ok(());
    };
    let held = complaint_takeover::Entity::find_by_id(complaint_id.as_uuid())
        .one(txn)
        .await
        .map_err(unavailable)?
        .is_some();
    let case = CaseFacts {
        complaint_id: complaint_id.as_uuid(),
        number,
        first_handler: Some(UserId::from_uuid(first_handler)),
        held_by_leading_group: held,
        respondent_unit: UnitId::from_uuid(respondent_unit),
    };
    for notice in for_case_event(event, &case) {
        write(txn, &notice, Some(complaint_id.as_uuid()), at).await?;
    }
    Ok(())
}

/// Tells whoever must know of the sanction history entry of `kind`.
///
/// # Errors
/// [`RepositoryError::Unavailable`].
pub(crate) async fn notify_sanction_entry(
    txn: &DatabaseTransaction,
    record: &SanctionRecord,
    kind: &str,
    at: DateTime<Utc>,
) -> Result<(), RepositoryError> {
    let (statement_deadline, outcome) = match record.case.status() {
        SanctionStatus::AwaitingStatement {
            statement_deadline, ..
        } => (Some(*statement_deadline), None),
        SanctionStatus::Decided { decision, .. } | SanctionStatus::Superseded { decision, .. } => {
            let outcome = match decision.outcome {
                DecisionOutcome::Approved => "approved",
                DecisionOutcome::Amended { .. } => "amended",
                DecisionOutcome::Rejected { .. } => "rejected",
            };
            (None, Some(outcome))
        }
        SanctionStatus::Proposed => (None, None),
    };
    let facts = SanctionFacts {
        sanction_id: record.case.id(),
        subject: record.subject,
        proposer: UserId::from_uuid(record.case.proposer()),
        statement_deadline,
        outcome,
    };
    for notice in for_sanction_entry(kind, &facts) {
        write(txn, &notice, None, at).await?;
    }
    Ok(())
}

async fn write(
    txn: &DatabaseTransaction,
    notice: &Notice,
    complaint_id: Option<Uuid>,
    at: DateTime<Utc>,
) -> Result<(), RepositoryError> {
    let at = at.trunc_subsecs(6);
    let (subject_kind, subject_id) = match notice.subject {
        Subject::Complaint(id) => ("complaint", id),
        Subject::Order(id) => ("order", id),
        Subject::Sanction(id) => ("sanction", id),
    };
    let facts: Map<String, Value> = notice
        .facts
        .iter()
        .map(|(name, value)| ((*name).to_owned(), Value::String(value.clone())))
        .collect();
    let facts = Value::Object(facts);
    for recipient in people(txn, &notice.audience).await? {
        let id = Uuid::now_v7();
        notification::ActiveModel {
            id: Set(id),
            recipient_id: Set(recipient),
            topic: Set(notice.topic.as_str().to_owned()),
            subject_kind: Set(subject_kind.to_owned()),
            subject_id: Set(subject_id),
            complaint_id: Set(complaint_id),
            facts: Set(facts.to_string()),
            created_at: Set(at),
            read_at: Set(None),
        }
        .insert(txn)
        .await
        .map_err(unavailable)?;
        if !notice.topic.has_own_outbox_message() {
            let payload = json!({
                "notification_id": id,
                "topic": notice.topic.as_str(),
                "recipient_id": recipient,
                "subject": {"kind": subject_kind, "id": subject_id},
                "complaint_id": complaint_id,
                "facts": facts,
                "at": at,
            });
            enqueue_in(txn, notice.topic.as_str(), &payload, at).await?;
        }
    }
    Ok(())
}
