//! Folding a complaint's events into its state, and the limits an event stops.

use chrono::{DateTime, Utc};

use crate::complaint::events::ComplaintEvent;
use crate::complaint::model::{Closing, ComplaintState, FeedbackRouting, ReturnVisit, Screening};
use crate::complaint::status::{ComplaintStatus, ComplaintType};
use crate::ids::UserId;
use crate::limits::LimitKind;

/// The running limits of the complaint itself (not of an order) that `event` stops.
#[must_use]
pub fn limits_stopped_by(event: &ComplaintEvent) -> &'static [LimitKind] {
    match event {
        ComplaintEvent::Screened { .. } => &[LimitKind::Screening],
        _ => &[],
    }
}

/// Folds an event, made by `actor` (`None`: the system) at `at`, into the state.
pub fn apply(
    state: &ComplaintState,
    event: &ComplaintEvent,
    actor: Option<UserId>,
    at: DateTime<Utc>,
) -> ComplaintState {
    let mut next = state.clone();
    match event {
        // Order events change the order, not the complaint's own state.
        ComplaintEvent::OrderIssued { .. }
        | ComplaintEvent::OrderSigned { .. }
        | ComplaintEvent::OrderReturned { .. }
        | ComplaintEvent::ReturnRuled { .. }
        | ComplaintEvent::ExtensionRequested { .. }
        | ComplaintEvent::ExtensionDecided { .. }
        | ComplaintEvent::ComplainantToldNewDate { .. }
        | ComplaintEvent::OrderReplied { .. }
        | ComplaintEvent::OrderReminded { .. }
        | ComplaintEvent::ReplyReviewed { .. }
        | ComplaintEvent::InvestigationRecorded { .. }
        | ComplaintEvent::TakenOver { .. }
        | ComplaintEvent::Linked { .. }
        // The complainant is part of what was registered, not of the lifecycle state.
        | ComplaintEvent::ContactDetailsErased { .. } => {}
        ComplaintEvent::Registered { .. } => next = ComplaintState::registered(),
        ComplaintEvent::Screened {
            outcome,
            explanation,
            referral,
        } => {
            next.status = outcome.resulting_status();
            // Only a person screens: the system records no screening.
            next.screening = actor.map(|screened_by| Screening {
                outcome: *outcome,
                explanation: explanation.clone(),
                referral: referral.clone(),
                screened_at: at,
                screened_by,
            });
        }
        ComplaintEvent::Classified { complaint_type } => {
            next.status = ComplaintStatus::InHandling;
            next.complaint_type = Some(*complaint_type);
        }
        ComplaintEvent::Reclassified { to, .. } => next.complaint_type = Some(*to),
        ComplaintEvent::ReconciledOnSite { note } => {
            next.status = ComplaintStatus::Closed;
            next.closing = Some(Closing {
                outcome: note.clone(),
                finding: None,
                closed_at: at,
                answer: None,
                answer_due_at: None,
                feedback: None,
            });
        }
        ComplaintEvent::FeedbackDisposed {
            disposition,
            note,
            section_id,
        } => {
            next.status = ComplaintStatus::Closed;
            next.closing = Some(Closing {
                outcome: note.clone(),
                finding: None,
                closed_at: at,
                answer: None,
                answer_due_at: None,
                feedback: Some(FeedbackRouting {
                    disposition: *disposition,
                    section_id: *section_id,
                }),
            });
        }
        ComplaintEvent::Closed {
            outcome,
            finding,
            answer,
            answer_due_at,
        } => {
            next.status = ComplaintStatus::Closed;
            next.closing = Some(Closing {
                outcome: outcome.clone(),
                finding: Some(*finding),
                closed_at: at,
                answer: *answer,
                answer_due_at: *answer_due_at,
                feedback: None,
            });
        }
        ComplaintEvent::ComplainantToldResult { answer } => {
            if let Some(closing) = next.closing.as_mut() {
                closing.answer = Some(*answer);
            }
        }
        ComplaintEvent::ReturnVisitRecorded {
            satisfaction,
            remarks,
            visited_at,
        } => {
            next.return_visit = Some(ReturnVisit {
                satisfaction: *satisfaction,
                remarks: remarks.clone(),
                visited_at: *visited_at,
            });
        }
        ComplaintEvent::Reopened { .. } => {
            next.status = ComplaintStatus::InHandling;
            next.complaint_type = Some(ComplaintType::CaseFiled);
            next.closing = None;
            next.return_visit = None;
            next.reopen_count += 1;
        }
        // Deadlines are not part of the complaint's state.
        ComplaintEvent::WarningLevelChanged { .. } => {}
    }
    next
}
