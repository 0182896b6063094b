//! Closing a case and telling the complainant its result (不向群众公开处理结果 is itself a
//! breach): told before closing, or closed with the answer to follow, owed within a working
//! day and told by intake or sent by the system; then the return visit, and reopening after
//! a dissatisfied one.

use chrono::{DateTime, Utc};

use super::{
    ActionError, AnswerCommand, CloseCommand, ComplaintService, REASON_MAX, REMARKS_MAX,
    ReturnVisitCommand, field, optional_text, text,
};
use crate::access::Actor;
use crate::calendar::CalendarSource;
use crate::clock::{Clock, stated_before, stated_in_future, to_storage_precision};
use crate::complaint::closing::within_reopen_window;
use crate::complaint::lifecycle::ComplaintAction;
use crate::complaint::model::{ComplainantAnswer, Complaint};
use crate::complaint::ports::{ComplaintRepository, RepositoryError, UnitDirectory};
use crate::complaint::status::AnswerMethod;
use crate::ids::ComplaintId;

use super::OUTCOME_MAX;

/// Working days a complainant may wait for the result of a case closed before they were
/// told, as for the new date of an extension.
pub const ANSWER_WORKING_DAYS: u32 = 1;

/// How often recording a sent answer is retried when the complaint changed meanwhile.
const SENT_ATTEMPTS: usize = 3;

impl<R, D, C, K> ComplaintService<R, D, C, K>
where
    R: ComplaintRepository,
    D: UnitDirectory,
    C: Clock,
    K: CalendarSource,
{
    /// Closes a case-filed complaint with its outcome, finding and the answer given; every
    /// supervision order must be done or cancelled, and a named complainant must have been
    /// told the result, or be owed it (`answer_later`).
    ///
    /// # Errors
    /// See [`ActionError`]; 422 naming `answer` when it is given together with
    /// `answer_later`.
    pub async fn close(
        &self,
        actor: &Actor,
        id: ComplaintId,
        if_match: Option<i64>,
        command: CloseCommand,
    ) -> Result<Complaint, ActionError> {
        self.require_case_handler(actor, id, "close complaints")
            .await?;
        let outcome = text("outcome", &command.outcome, OUTCOME_MAX)?;
        if command.answer_later && command.answer.is_some() {
            return Err(field("answer", crate::msg!("field_answer_or_later")).into());
        }
        let open_orders = self.repository.open_orders(id).await?;
        let calendar = if command.answer_later {
            Some(self.calendar.working_calendar().await?)
        } else {
            None
        };
        self.transition(actor, id, if_match, |complaint, now| {
            let answer = command
                .answer
                .map(|a| check_answer(a, "answer.answered_at", complaint, now))
                .transpose()?;
            let answer_due_at = calendar
                .map(|calendar| {
                    calendar
                        .add_working_days(now, ANSWER_WORKING_DAYS, self.tz)
                        .map(|deadline| deadline.due_at)
                        .map_err(|e| field("answer_later", e.message()))
                })
                .transpose()?;
            Ok(ComplaintAction::Close {
                outcome,
                finding: command.finding,
                answer,
                answer_due_at,
                complainant_anonymous: complaint.details.complainant.is_anonymous(),
                open_orders,
            })
        })
        .await
    }

    /// Records how and when the complainant of a case closed with its answer to follow was
    /// told the result (intake; the leading group on a case it holds).
    ///
    /// # Errors
    /// See [`ActionError`]; 422 when no answer is owed, naming `answered_at` for a time in
    /// the future or before the closing.
    pub async fn record_answer(
        &self,
        actor: &Actor,
        id: ComplaintId,
        if_match: Option<i64>,
        answer: AnswerCommand,
    ) -> Result<Complaint, ActionError> {
        self.require_case_handler(actor, id, "record that the complainant was told")
            .await?;
        self.transition(actor, id, if_match, |complaint, now| {
            let answer = check_answer(answer, "answered_at", complaint, now)?;
            if let (Some(at), Some(closing)) = (answer.answered_at, &complaint.state.closing)
                && stated_before(at, closing.closed_at)
            {
                return Err(field("answered_at", crate::msg!("field_before_closing")).into());
            }
            Ok(ComplaintAction::RecordAnswer { answer })
        })
        .await
    }

    /// Records that the system itself told the complainant the result, by the SMS or
    /// e-mail (`method`) it sent at `sent_at`, for the answer owed by `answer_due_at`.
    /// `None` when that answer is no longer owed (intake recorded it meanwhile, or the case
    /// was reopened): nothing changes then.
    ///
    /// # Errors
    /// See [`ActionError`]: not found for an unknown complaint; 422 for a method other
    /// than SMS or e-mail.
    pub async fn record_answer_sent(
        &self,
        id: ComplaintId,
        method: AnswerMethod,
        answer_due_at: DateTime<Utc>,
        sent_at: DateTime<Utc>,
    ) -> Result<Option<Complaint>, ActionError> {
        if !matches!(method, AnswerMethod::Sms | AnswerMethod::Email) {
            return Err(field("method", crate::msg!("field_not_a_system_channel")).into());
        }
        let answer = ComplainantAnswer {
            method,
            answered_at: Some(to_storage_precision(sent_at)),
        };
        let mut attempt = 0;
        loop {
            attempt += 1;
            let complaint = self
                .repository
                .find(id)
                .await?
                .ok_or(ActionError::NotFound)?;
            let owed = complaint
                .state
                .closing
                .as_ref()
                .is_some_and(|c| c.answer_owed() && c.answer_due_at == Some(answer_due_at));
            if !owed {
                return Ok(None);
            }
            match self
                .commit(complaint, None, |_, _| {
                    Ok(ComplaintAction::RecordAnswer { answer })
                })
                .await
            {
                // Changed meanwhile (a note, a link): the answer may still be owed.
                Err(ActionError::Storage(RepositoryError::Conflict)) if attempt < SENT_ATTEMPTS => {
                }
                other => return other.map(Some),
            }
        }
    }

    /// Records the return visit after a closing.
    ///
    /// # Errors
    /// See [`ActionError`]; 422 naming `visited_at` when it is in the future.
    pub async fn record_return_visit(
        &self,
        actor: &Actor,
        id: ComplaintId,
        if_match: Option<i64>,
        command: ReturnVisitCommand,
    ) -> Result<Complaint, ActionError> {
        self.require_case_handler(actor, id, "record return visits")
            .await?;
        let remarks = optional_text("remarks", command.remarks, REMARKS_MAX)?;
        self.transition(actor, id, if_match, |_, now| {
            let visited_at = command.visited_at.map_or(now, to_storage_precision);
            if stated_in_future(visited_at, now) {
                return Err(field("visited_at", crate::msg!("field_in_future")).into());
            }
            Ok(ComplaintAction::RecordReturnVisit {
                satisfaction: command.satisfaction,
                remarks,
                visited_at,
            })
        })
        .await
    }

    /// Reopens a closed case after a dissatisfied return visit, within the reopen window
    /// (working days after the visit); it continues as a case_filed complaint in handling.
    ///
    /// # Errors
    /// See [`ActionError`].
    pub async fn reopen(
        &self,
        actor: &Actor,
        id: ComplaintId,
        if_match: Option<i64>,
        reason: String,
    ) -> Result<Complaint, ActionError> {
        self.require_case_handler(actor, id, "reopen complaints")
            .await?;
        let reason = text("reason", &reason, REASON_MAX)?;
        let calendar = self.calendar.working_calendar().await?;
        let window = self.policy.reopen_window_working_days;
        self.transition(actor, id, if_match, |complaint, now| {
            let within_reopen_window = complaint.state.return_visit.as_ref().is_none_or(|v| {
                within_reopen_window(&calendar, v.visited_at, now, window, self.tz)
            });
            Ok(ComplaintAction::Reopen {
                reason,
                within_reopen_window,
            })
        })
        .await
    }
}

/// An answer as given: dated (unless none is owed), not in the future, not before receipt.
fn check_answer(
    answer: AnswerCommand,
    at_field: &'static str,
    complaint: &Complaint,
    now: DateTime<Utc>,
) -> Result<ComplainantAnswer, ActionError> {
    let answered_at = answer.answered_at.map(to_storage_precision);
    match answered_at {
        None if answer.method != AnswerMethod::NoneAnonymous => {
            Err(field(at_field, crate::msg!("field_answered_at_required")).into())
        }
        Some(at) if stated_in_future(at, now) => {
            Err(field(at_field, crate::msg!("field_in_future")).into())
        }
        Some(at) if stated_before(at, complaint.details.received_at) => {
            Err(field(at_field, crate::msg!("field_before_receipt")).into())
        }
        _ => Ok(ComplainantAnswer {
            method: answer.method,
            answered_at,
        }),
    }
}
