//! The lifecycle of a sanction proposal: states, actions, events and errors. The transition
//! function itself is [`decide`] (action → events or a refusal) and [`apply`] (event → next
//! state).
//!
//! States (wire names): `proposed` → `awaiting_statement` → (`statement_filed`) → `decided` →
//! `superseded`.
//! - `proposed`: recorded with its measures; the statement period is opened right away.
//! - `awaiting_statement`: the subject may state their defence (陈述申辩) until the deadline
//!   (computed by the caller in working days, default 3); a late statement is still accepted
//!   (and marked late) as long as no decision was made.
//! - `statement_filed`: the statement is on file; the leading group may decide. (The state
//!   is [`SanctionStatus::AwaitingStatement`] with its statement; only its name differs.)
//! - `decided`: a leading-group member other than the proposer approved, amended (other
//!   measures, with reasons) or rejected (with reasons). The outcome is data on the state, so
//!   there is no separate `rejected` state: a rejection is filed and can be superseded on
//!   review exactly like an approval. A decision is never edited.
//! - `superseded`: a later decision (e.g. on review) replaced this one by reference; final.
//!
//! The case is created in `proposed` by [`SanctionCase::new`] from measures already validated
//! for the subject; the proposal use case records that creation.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::combination::SanctionMeasures;
use super::measure::Measure;

mod error;
mod transition;

pub use error::{ApplyError, SanctionTransitionError};
pub use transition::{apply, decide};

/// The lifecycle state of a sanction case, with the data each state carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SanctionStatus {
    Proposed,
    AwaitingStatement {
        statement_deadline: DateTime<Utc>,
        statement: Option<Statement>,
    },
    Decided {
        decision: Decision,
        statement: Option<Statement>,
    },
    Superseded {
        decision: Decision,
        statement: Option<Statement>,
        superseded_by: Uuid,
    },
}

/// The name of a [`SanctionStatus`], as stored and sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SanctionStatusKind {
    Proposed,
    /// The statement period is open and no statement was filed yet.
    AwaitingStatement,
    /// The subject's statement is filed: the case awaits the decision.
    StatementFiled,
    Decided,
    Superseded,
}

/// The subject's statement of defence (陈述申辩).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub filed_by: Uuid,
    pub filed_at: DateTime<Utc>,
    pub text: String,
    /// Filed at or after the statement deadline (still before the decision).
    pub late: bool,
}

/// A filed decision (备案). Never edited; a later decision supersedes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub decision_id: Uuid,
    pub decider: Uuid,
    pub decided_at: DateTime<Utc>,
    pub outcome: DecisionOutcome,
}

/// What the leading group decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecisionOutcome {
    Approved,
    Amended {
        measures: SanctionMeasures,
        reasons: String,
    },
    Rejected {
        reasons: String,
    },
}

/// A decision as asked for; [`decide`] validates it into a [`DecisionOutcome`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecisionCommand {
    Approve,
    Amend {
        measures: Vec<Measure>,
        judicial_referral: bool,
        reasons: String,
    },
    Reject {
        reasons: String,
    },
}

/// What someone asks to do with a sanction case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SanctionAction {
    /// Give the subject until `statement_deadline` to state their defence.
    OpenStatementPeriod { statement_deadline: DateTime<Utc> },
    /// Record the subject's statement.
    FileStatement { text: String },
    /// Decide; `decision_id` is the new decision's id (from the id generator).
    Decide {
        decision_id: Uuid,
        command: DecisionCommand,
    },
    /// A later decision `by_decision` replaces this case's decision.
    Supersede { by_decision: Uuid, reason: String },
}

/// The name of an action, for refusals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SanctionActionKind {
    OpenStatementPeriod,
    FileStatement,
    Approve,
    Amend,
    Reject,
    Supersede,
}

/// Who acts, and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TransitionContext {
    pub actor: Uuid,
    pub actor_is_leading_group: bool,
    pub now: DateTime<Utc>,
    /// The agency's time zone, in which refusals name deadlines.
    pub tz: Tz,
}

/// What happened to a sanction case. Each carries its actor and time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SanctionEvent {
    StatementPeriodOpened {
        by: Uuid,
        at: DateTime<Utc>,
        statement_deadline: DateTime<Utc>,
    },
    StatementFiled(Statement),
    Decided(Decision),
    Superseded {
        by: Uuid,
        at: DateTime<Utc>,
        superseded_by: Uuid,
        reason: String,
    },
}

/// A sanction proposal and where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SanctionCase {
    id: Uuid,
    subject_id: Uuid,
    proposer: Uuid,
    proposed_at: DateTime<Utc>,
    proposed: SanctionMeasures,
    status: SanctionStatus,
}

impl SanctionCase {
    /// A new case in `proposed`. The measures were validated for the subject.
    #[must_use]
    pub const fn new(
        id: Uuid,
        subject_id: Uuid,
        proposer: Uuid,
        proposed_at: DateTime<Utc>,
        proposed: SanctionMeasures,
    ) -> Self {
        Self {
            id,
            subject_id,
            proposer,
            proposed_at,
            proposed,
            status: SanctionStatus::Proposed,
        }
    }

    #[must_use]
    pub const fn id(&self) -> Uuid {
        self.id
    }

    #[must_use]
    pub const fn subject_id(&self) -> Uuid {
        self.subject_id
    }

    #[must_use]
    pub const fn proposer(&self) -> Uuid {
        self.proposer
    }

    #[must_use]
    pub const fn proposed_at(&self) -> DateTime<Utc> {
        self.proposed_at
    }

    #[must_use]
    pub const fn proposed(&self) -> &SanctionMeasures {
        &self.proposed
    }

    #[must_use]
    pub const fn status(&self) -> &SanctionStatus {
        &self.status
    }

    #[must_use]
    pub const fn status_kind(&self) -> SanctionStatusKind {
        match self.status {
            SanctionStatus::Proposed => SanctionStatusKind::Proposed,
            SanctionStatus::AwaitingStatement {
                statement: None, ..
            } => SanctionStatusKind::AwaitingStatement,
            SanctionStatus::AwaitingStatement {
                statement: Some(_), ..
            } => SanctionStatusKind::StatementFiled,
            SanctionStatus::Decided { .. } => SanctionStatusKind::Decided,
            SanctionStatus::Superseded { .. } => SanctionStatusKind::Superseded,
        }
    }

    /// The measures in force: the proposal when approved, the amendment when amended; none
    /// when rejected, superseded or not yet decided.
    #[must_use]
    pub const fn measures_in_force(&self) -> Option<&SanctionMeasures> {
        match &self.status {
            SanctionStatus::Decided { decision, .. } => match &decision.outcome {
                DecisionOutcome::Approved => Some(&self.proposed),
                DecisionOutcome::Amended { measures, .. } => Some(measures),
                DecisionOutcome::Rejected { .. } => None,
            },
            _ => None,
        }
    }
}

impl SanctionAction {
    #[must_use]
    pub const fn kind(&self) -> SanctionActionKind {
        match self {
            Self::OpenStatementPeriod { .. } => SanctionActionKind::OpenStatementPeriod,
            Self::FileStatement { .. } => SanctionActionKind::FileStatement,
            Self::Decide { command, .. } => match command {
                DecisionCommand::Approve => SanctionActionKind::Approve,
                DecisionCommand::Amend { .. } => SanctionActionKind::Amend,
                DecisionCommand::Reject { .. } => SanctionActionKind::Reject,
            },
            Self::Supersede { .. } => SanctionActionKind::Supersede,
        }
    }
}

impl SanctionEvent {
    /// The event's name, for logs and [`ApplyError`].
    #[must_use]
    pub const fn name(&self) -> &'static str {
        match self {
            Self::StatementPeriodOpened { .. } => "statement_period_opened",
            Self::StatementFiled(_) => "statement_filed",
            Self::Decided(_) => "decided",
            Self::Superseded { .. } => "superseded",
        }
    }
}

#[cfg(test)]
mod tests;
