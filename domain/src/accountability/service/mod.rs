//! The accountability use cases. Each starts with who may do it, reads what the rules need,
//! asks the pure rules in [`crate::sanction`] and writes the outcome in one transaction.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use thiserror::Error;
use uuid::Uuid;

use super::model::{RecordKind, SanctionHistoryEntry, SanctionRecord, SubjectRef};
use super::ports::AccountabilityRepository;
use crate::access::Forbidden;
use crate::calendar::CalendarSource;
use crate::calendar::local_date;
use crate::clock::Clock;
use crate::complaint::visibility::ComplaintVisibility;
use crate::ids::ComplaintId;
use crate::role::Role;
use crate::sanction::{
    CombinationError, DecisionCommand, Measure, PolicySettings, SanctionRuleError,
    SanctionTransitionError, SeverityFactors,
};
use crate::storage::RepositoryError;

mod decision;
mod investigation;
mod proposal;
mod sight;
mod subject_records;

#[cfg(test)]
mod tests;

/// Settings of the accountability use cases.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccountabilityPolicy {
    pub settings: PolicySettings,
    /// Working days the subject has to state their defence (default 3).
    pub statement_period_working_days: u32,
}

/// Why an accountability use case refused.
#[derive(Debug, Error)]
pub enum AccountabilityError {
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    #[error("no such {0}")]
    NotFound(&'static str),
    #[error("{field}: {message}")]
    Invalid {
        field: &'static str,
        message: crate::message::Message,
    },
    #[error("combination rule broken: {0}")]
    Combination(#[from] CombinationError),
    #[error(transparent)]
    Justification(#[from] SanctionRuleError),
    #[error(transparent)]
    Lifecycle(#[from] SanctionTransitionError),
    #[error("the case is already held by the leading group")]
    AlreadyHeld,
    #[error("the sanction was changed by someone else; read it again")]
    SanctionChanged,
    #[error("the change was based on version {given}, the sanction is at version {current}")]
    PreconditionFailed { given: i64, current: i64 },
    #[error("the working-day calendar cannot give the statement deadline: {0}")]
    Calendar(crate::calendar::DeadlineError),
    #[error(transparent)]
    Storage(#[from] RepositoryError),
}

type Result<T> = std::result::Result<T, AccountabilityError>;

fn invalid(field: &'static str, message: crate::message::Message) -> AccountabilityError {
    AccountabilityError::Invalid { field, message }
}

/// A new investigation entry.
#[derive(Debug, Clone)]
pub struct NewRecord {
    pub kind: RecordKind,
    pub people_involved: String,
    pub content: String,
}

/// A sanction proposal as asked for.
#[derive(Debug, Clone)]
pub struct ProposeCommand {
    pub subject: SubjectRef,
    pub findings: String,
    pub rule_broken: String,
    pub factors: SeverityFactors,
    pub complaint_ids: Vec<ComplaintId>,
    pub investigation_record_ids: Vec<Uuid>,
    pub measures: Vec<Measure>,
    pub judicial_referral: bool,
    pub justification: Option<String>,
    /// A decided sanction this proposal is to replace (review); it is superseded when this
    /// one is approved or amended.
    pub supersedes: Option<Uuid>,
}

/// A decision as asked for.
#[derive(Debug, Clone)]
pub struct DecideCommand {
    pub command: DecisionCommand,
    /// Default: the local date of the decision.
    pub effective_date: Option<NaiveDate>,
}

/// A sanction with its history.
#[derive(Debug, Clone)]
pub struct SanctionDetail {
    pub record: SanctionRecord,
    pub history: Vec<SanctionHistoryEntry>,
}

/// The accountability use cases with their adapters; `complaints` answers which complaints
/// an actor may see (the complaint use cases' own policy).
pub struct AccountabilityService<R, C, K, V> {
    repository: R,
    calendar: C,
    clock: K,
    complaints: V,
    tz: Tz,
    policy: AccountabilityPolicy,
}

/// Who may read and cite investigation records.
const RECORD_READERS: &[Role] = &[Role::Intake, Role::LeadingGroup];

impl<R, C, K, V> AccountabilityService<R, C, K, V>
where
    R: AccountabilityRepository,
    C: CalendarSource,
    K: Clock,
    V: ComplaintVisibility,
{
    pub fn new(
        repository: R,
        calendar: C,
        clock: K,
        complaints: V,
        tz: Tz,
        policy: AccountabilityPolicy,
    ) -> Self {
        Self {
            repository,
            calendar,
            clock,
            complaints,
            tz,
            policy,
        }
    }

    fn today(&self, now: DateTime<Utc>) -> NaiveDate {
        local_date(now, self.tz)
    }
}
