//! The one transition function of a sanction case: [`decide`] turns an action into events or
//! a refusal without changing anything; [`apply`] folds an event into the state.
//!
//! | state \ action        | open period | file statement | approve/amend/reject | supersede |
//! |-----------------------|-------------|----------------|----------------------|-----------|
//! | `proposed`            | yes         | –              | –                    | –         |
//! | `awaiting_statement`  | –           | yes, once      | yes (rules below)    | –         |
//! | `decided`             | –           | –              | –                    | yes       |
//! | `superseded`          | –           | –              | –                    | –         |
//!
//! Rules, checked in this order after the state:
//! - open: the deadline must be after `now`;
//! - file: text not blank; only one statement; at or after the deadline it is marked late;
//! - decide: the actor is a leading-group member ([`NotLeadingGroup`]) and not the proposer
//!   ([`DeciderIsProposer`]); the statement arrived or `now ≥ deadline`
//!   ([`StatementPeriodRunning`]); amend and reject need non-blank reasons; an amendment must
//!   pass the combination rules for the subject and differ from the proposal;
//! - supersede: a leading-group member, non-blank reason, a decision other than this one.
//!
//! [`NotLeadingGroup`]: SanctionTransitionError::NotLeadingGroup
//! [`DeciderIsProposer`]: SanctionTransitionError::DeciderIsProposer
//! [`StatementPeriodRunning`]: SanctionTransitionError::StatementPeriodRunning

use super::{
    ApplyError, Decision, DecisionCommand, DecisionOutcome, SanctionAction, SanctionCase,
    SanctionEvent, SanctionStatus, SanctionTransitionError as E, Statement, TransitionContext,
};
use crate::calendar::LocalInstant;
use crate::sanction::combination::SanctionMeasures;

/// Decides what `action` does to `case` in `ctx`: the events to record, or why not.
///
/// # Errors
/// A [`super::SanctionTransitionError`] naming the broken rule (see the module docs).
pub fn decide(
    case: &SanctionCase,
    action: &SanctionAction,
    ctx: &TransitionContext,
) -> Result<Vec<SanctionEvent>, E> {
    let refused = || E::NotAllowed {
        state: case.status_kind(),
        action: action.kind(),
    };
    let event = match (&case.status, action) {
        (SanctionStatus::Proposed, SanctionAction::OpenStatementPeriod { statement_deadline }) => {
            if *statement_deadline <= ctx.now {
                return Err(E::DeadlineNotInFuture {
                    deadline: LocalInstant::new(*statement_deadline, ctx.tz),
                    now: LocalInstant::new(ctx.now, ctx.tz),
                });
            }
            SanctionEvent::StatementPeriodOpened {
                by: ctx.actor,
                at: ctx.now,
                statement_deadline: *statement_deadline,
            }
        }
        (
            SanctionStatus::AwaitingStatement {
                statement_deadline,
                statement,
            },
            SanctionAction::FileStatement { text },
        ) => {
            if statement.is_some() {
                return Err(E::StatementAlreadyFiled);
            }
            if text.trim().is_empty() {
                return Err(E::EmptyStatement);
            }
            SanctionEvent::StatementFiled(Statement {
                filed_by: ctx.actor,
                filed_at: ctx.now,
                text: text.clone(),
                late: ctx.now >= *statement_deadline,
            })
        }
        (
            SanctionStatus::AwaitingStatement {
                statement_deadline,
                statement,
            },
            SanctionAction::Decide {
                decision_id,
                command,
            },
        ) => {
            if !ctx.actor_is_leading_group {
                return Err(E::NotLeadingGroup);
            }
            if ctx.actor == case.proposer {
                return Err(E::DeciderIsProposer);
            }
            if statement.is_none() && ctx.now < *statement_deadline {
                return Err(E::StatementPeriodRunning {
                    until: LocalInstant::new(*statement_deadline, ctx.tz),
                });
            }
            SanctionEvent::Decided(Decision {
                decision_id: *decision_id,
                decider: ctx.actor,
                decided_at: ctx.now,
                outcome: outcome(case, command)?,
            })
        }
        (
            SanctionStatus::Decided { decision, .. },
            SanctionAction::Supersede {
                by_decision,
                reason,
            },
        ) => {
            if !ctx.actor_is_leading_group {
                return Err(E::NotLeadingGroup);
            }
            if reason.trim().is_empty() {
                return Err(E::ReasonsRequired);
            }
            if *by_decision == decision.decision_id {
                return Err(E::SupersededBySelf);
            }
            SanctionEvent::Superseded {
                by: ctx.actor,
                at: ctx.now,
                superseded_by: *by_decision,
                reason: reason.clone(),
            }
        }
        _ => return Err(refused()),
    };
    Ok(vec![event])
}

fn outcome(case: &SanctionCase, command: &DecisionCommand) -> Result<DecisionOutcome, E> {
    match command {
        DecisionCommand::Approve => Ok(DecisionOutcome::Approved),
        DecisionCommand::Reject { reasons } => {
            if reasons.trim().is_empty() {
                return Err(E::ReasonsRequired);
            }
            Ok(DecisionOutcome::Rejected {
                reasons: reasons.clone(),
            })
        }
        DecisionCommand::Amend {
            measures,
            judicial_referral,
            reasons,
        } => {
            if reasons.trim().is_empty() {
                return Err(E::ReasonsRequired);
            }
            let measures = SanctionMeasures::new(
                case.proposed.subject(),
                measures.clone(),
                *judicial_referral,
            )?;
            if measures.same_content_as(&case.proposed) {
                return Err(E::AmendmentUnchanged);
            }
            Ok(DecisionOutcome::Amended {
                measures,
                reasons: reasons.clone(),
            })
        }
    }
}

/// Folds `event` into `case`. Events come from [`decide`] or from the stored history.
///
/// # Errors
/// [`ApplyError`] when the event cannot follow the current state.
pub fn apply(mut case: SanctionCase, event: &SanctionEvent) -> Result<SanctionCase, ApplyError> {
    let refused = ApplyError {
        state: case.status_kind(),
        event: event.name(),
    };
    let status = std::mem::replace(&mut case.status, SanctionStatus::Proposed);
    case.status = match (status, event) {
        (
            SanctionStatus::Proposed,
            SanctionEvent::StatementPeriodOpened {
                statement_deadline, ..
            },
        ) => SanctionStatus::AwaitingStatement {
            statement_deadline: *statement_deadline,
            statement: None,
        },
        (
            SanctionStatus::AwaitingStatement {
                statement_deadline,
                statement: None,
            },
            SanctionEvent::StatementFiled(statement),
        ) => SanctionStatus::AwaitingStatement {
            statement_deadline,
            statement: Some(statement.clone()),
        },
        (SanctionStatus::AwaitingStatement { statement, .. }, SanctionEvent::Decided(decision)) => {
            SanctionStatus::Decided {
                decision: decision.clone(),
                statement,
            }
        }
        (
            SanctionStatus::Decided {
                decision,
                statement,
            },
            SanctionEvent::Superseded { superseded_by, .. },
        ) => SanctionStatus::Superseded {
            decision,
            statement,
            superseded_by: *superseded_by,
        },
        _ => return Err(refused),
    };
    Ok(case)
}
