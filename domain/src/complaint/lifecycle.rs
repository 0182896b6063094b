//! The complaint lifecycle as one explicit transition function.
//!
//! `decide` turns an action on the current state into the event it causes, or refuses it;
//! `apply` folds an event into the state. Nothing else changes a complaint's status.

use chrono::{DateTime, Utc};

use super::events::ComplaintEvent;
use super::model::{Closing, ComplainantAnswer, ComplaintState};
use super::status::{
    AnswerMethod, ComplaintStatus, ComplaintType, FeedbackDisposition, Finding, Satisfaction,
    ScreeningOutcome,
};
use crate::clock::stated_before;
use crate::ids::UnitId;

/// Something staff ask to do to a complaint, with the facts the decision needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ComplaintAction {
    Screen {
        outcome: ScreeningOutcome,
        explanation: String,
        referral: Option<String>,
    },
    Classify {
        complaint_type: ComplaintType,
    },
    Reclassify {
        to: ComplaintType,
        reason: String,
        open_orders: u32,
    },
    ReconcileOnSite {
        note: String,
    },
    DisposeFeedback {
        disposition: FeedbackDisposition,
        note: String,
        /// Required for `forward_to_section`, refused for the other dispositions.
        section_id: Option<UnitId>,
    },
    Close {
        outcome: String,
        finding: Finding,
        /// How and when the complainant was told; `None` (or `none_anonymous`) is accepted
        /// only for an anonymous complaint.
        answer: Option<ComplainantAnswer>,
        /// Set when the answer is left to follow: the complainant is owed it by then.
        answer_due_at: Option<DateTime<Utc>>,
        complainant_anonymous: bool,
        open_orders: u32,
    },
    /// The complainant of a case closed with its answer to follow was told the result.
    RecordAnswer {
        answer: ComplainantAnswer,
    },
    RecordReturnVisit {
        satisfaction: Satisfaction,
        remarks: Option<String>,
        visited_at: DateTime<Utc>,
    },
    Reopen {
        reason: String,
        within_reopen_window: bool,
    },
}

/// Why an action was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionRefused {
    /// The action does not apply to a complaint in this status (HTTP 409).
    #[error("cannot {action} a complaint that is {status}")]
    WrongState {
        action: &'static str,
        status: ComplaintStatus,
    },
    /// The status fits but a rule of the domain refuses the action (HTTP 422).
    #[error("{0}")]
    Rule(crate::message::Message),
}

impl ComplaintAction {
    /// A short verb phrase for messages.
    pub fn name(&self) -> &'static str {
        match self {
            ComplaintAction::Screen { .. } => "screen",
            ComplaintAction::Classify { .. } => "classify",
            ComplaintAction::Reclassify { .. } => "reclassify",
            ComplaintAction::ReconcileOnSite { .. } => "close on reconciliation",
            ComplaintAction::DisposeFeedback { .. } => "dispose of as feedback",
            ComplaintAction::Close { .. } => "close",
            ComplaintAction::RecordAnswer { .. } => "record the answer to",
            ComplaintAction::RecordReturnVisit { .. } => "record a return visit for",
            ComplaintAction::Reopen { .. } => "reopen",
        }
    }
}

/// Decides what `action` does to a complaint in `state`.
///
/// # Errors
/// [`TransitionRefused::WrongState`] when the status does not admit the action,
/// [`TransitionRefused::Rule`] naming the rule when the status fits but a rule refuses it.
pub fn decide(
    state: &ComplaintState,
    action: ComplaintAction,
) -> Result<ComplaintEvent, TransitionRefused> {
    use ComplaintAction as A;
    use ComplaintStatus as S;
    let wrong_state = |action: &ComplaintAction| TransitionRefused::WrongState {
        action: action.name(),
        status: state.status,
    };
    match (state.status, state.complaint_type, action) {
        (
            S::AwaitingScreening,
            _,
            A::Screen {
                outcome,
                explanation,
                referral,
            },
        ) => {
            if referral.is_some() && outcome != ScreeningOutcome::OutOfScope {
                return Err(TransitionRefused::Rule(crate::msg!(
                    "rule_referral_only_out_of_scope"
                )));
            }
            Ok(ComplaintEvent::Screened {
                outcome,
                explanation,
                referral,
            })
        }
        (S::AwaitingClassification, _, A::Classify { complaint_type }) => {
            Ok(ComplaintEvent::Classified { complaint_type })
        }
        (
            S::InHandling,
            Some(from),
            A::Reclassify {
                to,
                reason,
                open_orders,
            },
        ) => {
            if from == to {
                return Err(TransitionRefused::Rule(crate::msg!(
                    "rule_reclassify_same_type"
                )));
            }
            if open_orders > 0 {
                return Err(TransitionRefused::Rule(crate::msg!(
                    "rule_reclassify_open_orders"
                )));
            }
            Ok(ComplaintEvent::Reclassified { from, to, reason })
        }
        (S::InHandling, Some(ComplaintType::OnSite), A::ReconcileOnSite { note }) => {
            Ok(ComplaintEvent::ReconciledOnSite { note })
        }
        (
            S::InHandling,
            Some(ComplaintType::Feedback),
            A::DisposeFeedback {
                disposition,
                note,
                section_id,
            },
        ) => {
            let to_section = disposition == FeedbackDisposition::ForwardToSection;
            if to_section && section_id.is_none() {
                return Err(TransitionRefused::Rule(crate::msg!(
                    "rule_forward_needs_section"
                )));
            }
            if !to_section && section_id.is_some() {
                return Err(TransitionRefused::Rule(crate::msg!(
                    "rule_section_only_when_forwarded"
                )));
            }
            Ok(ComplaintEvent::FeedbackDisposed {
                disposition,
                note,
                section_id,
            })
        }
        (
            S::InHandling,
            Some(ComplaintType::CaseFiled),
            A::Close {
                outcome,
                finding,
                answer,
                answer_due_at,
                complainant_anonymous,
                open_orders,
            },
        ) => {
            if open_orders > 0 {
                return Err(TransitionRefused::Rule(crate::msg!(
                    "rule_close_open_orders"
                )));
            }
            let answer = match answer_due_at {
                Some(_) if complainant_anonymous => {
                    return Err(TransitionRefused::Rule(crate::msg!(
                        "rule_anonymous_owed_no_answer"
                    )));
                }
                Some(_) => None,
                None => Some(closing_answer(answer, complainant_anonymous)?),
            };
            Ok(ComplaintEvent::Closed {
                outcome,
                finding,
                answer,
                answer_due_at,
            })
        }
        (S::Closed, _, A::RecordAnswer { answer }) => {
            let Some(closing) = state.closing.as_ref().filter(|c| c.answer_owed()) else {
                return Err(TransitionRefused::Rule(crate::msg!("rule_no_answer_owed")));
            };
            if answer.method == AnswerMethod::NoneAnonymous {
                return Err(TransitionRefused::Rule(crate::msg!(
                    "rule_close_needs_answer"
                )));
            }
            match answer.answered_at {
                None => Err(TransitionRefused::Rule(crate::msg!(
                    "rule_answer_needs_time"
                ))),
                Some(at) if stated_before(at, closing.closed_at) => Err(TransitionRefused::Rule(
                    crate::msg!("rule_answer_before_closing"),
                )),
                Some(_) => Ok(ComplaintEvent::ComplainantToldResult { answer }),
            }
        }
        (
            S::Closed,
            _,
            A::RecordReturnVisit {
                satisfaction,
                remarks,
                visited_at,
            },
        ) => {
            if state.return_visit.is_some() {
                return Err(TransitionRefused::Rule(crate::msg!(
                    "rule_return_visit_recorded"
                )));
            }
            if state.closing.as_ref().is_some_and(Closing::answer_owed) {
                return Err(TransitionRefused::Rule(crate::msg!(
                    "rule_return_visit_before_answer"
                )));
            }
            if state
                .closing
                .as_ref()
                .is_some_and(|closing| stated_before(visited_at, closing.closed_at))
            {
                return Err(TransitionRefused::Rule(crate::msg!(
                    "rule_return_visit_before_closing"
                )));
            }
            Ok(ComplaintEvent::ReturnVisitRecorded {
                satisfaction,
                remarks,
                visited_at,
            })
        }
        (
            S::Closed,
            _,
            A::Reopen {
                reason,
                within_reopen_window,
            },
        ) => {
            if state.return_visit.as_ref().map(|v| v.satisfaction)
                != Some(Satisfaction::Dissatisfied)
            {
                return Err(TransitionRefused::Rule(crate::msg!(
                    "rule_reopen_needs_dissatisfied"
                )));
            }
            if !within_reopen_window {
                return Err(TransitionRefused::Rule(crate::msg!(
                    "rule_reopen_window_passed"
                )));
            }
            Ok(ComplaintEvent::Reopened { reason })
        }
        (_, _, action) => Err(wrong_state(&action)),
    }
}

/// The answer a closing records: a named complainant must have been told the result
/// (不向群众公开处理结果 is itself a breach); an anonymous one is owed no answer.
fn closing_answer(
    answer: Option<ComplainantAnswer>,
    complainant_anonymous: bool,
) -> Result<ComplainantAnswer, TransitionRefused> {
    match answer {
        Some(answer) if answer.method != AnswerMethod::NoneAnonymous => {
            if answer.answered_at.is_none() {
                return Err(TransitionRefused::Rule(crate::msg!(
                    "rule_answer_needs_time"
                )));
            }
            Ok(answer)
        }
        _ if complainant_anonymous => Ok(ComplainantAnswer {
            method: AnswerMethod::NoneAnonymous,
            answered_at: None,
        }),
        _ => Err(TransitionRefused::Rule(crate::msg!(
            "rule_close_needs_answer"
        ))),
    }
}

mod fold;
pub use fold::{apply, limits_stopped_by};

#[cfg(test)]
mod tests;
