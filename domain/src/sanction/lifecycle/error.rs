//! Refusals of the sanction lifecycle.

use thiserror::Error;

use super::{SanctionActionKind, SanctionStatusKind};
use crate::calendar::LocalInstant;
use crate::sanction::combination::CombinationError;

/// Why [`decide`](super::decide) refused an action.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SanctionTransitionError {
    #[error("cannot {action:?} a sanction case in state {state:?}")]
    NotAllowed {
        state: SanctionStatusKind,
        action: SanctionActionKind,
    },
    #[error("the statement deadline {deadline} is not after now ({now})")]
    DeadlineNotInFuture {
        deadline: LocalInstant,
        now: LocalInstant,
    },
    #[error("the statement is empty")]
    EmptyStatement,
    #[error("a statement was already filed")]
    StatementAlreadyFiled,
    #[error("only a leading-group member may decide or supersede")]
    NotLeadingGroup,
    #[error("the proposer may not decide on their own proposal")]
    DeciderIsProposer,
    #[error("the subject may still state their defence until {until}")]
    StatementPeriodRunning { until: LocalInstant },
    #[error("reasons are required")]
    ReasonsRequired,
    #[error("the amended measures are invalid: {0}")]
    InvalidMeasures(#[from] CombinationError),
    #[error("an amendment must change the measures or the judicial referral")]
    AmendmentUnchanged,
    #[error("a decision cannot supersede itself")]
    SupersededBySelf,
}

/// An event that does not follow from the state it is applied to (a corrupt history).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[error("event {event} cannot be applied in state {state:?}")]
pub struct ApplyError {
    pub state: SanctionStatusKind,
    pub event: &'static str,
}
