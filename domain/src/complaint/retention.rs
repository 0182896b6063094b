//! Retention of complainants' personal data: once a complaint has ended (closed, or screened
//! out as out of scope, invalid or withdrawn) longer ago than the retention period, its
//! complainant's name and contacts are erased, with an event in its history.

use std::future::Future;

use chrono::{DateTime, Duration, Utc};

use super::events::{ComplaintEvent, RecordedEvent};
use super::ports::RepositoryError;
use super::status::ComplaintStatus;
use crate::clock::to_storage_precision;
use crate::ids::ComplaintId;

/// How long contact details are kept after a complaint ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetentionPolicy {
    pub contact_retention_days: u32,
}

impl RetentionPolicy {
    /// Complaints that ended before this instant are due.
    pub fn cutoff(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        now - Duration::days(i64::from(self.contact_retention_days))
    }
}

/// A named complaint whose details are not erased yet, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErasureCandidate {
    pub id: ComplaintId,
    pub status: ComplaintStatus,
    /// When it was closed (`closed`) or screened out (the other ended statuses).
    pub ended_at: Option<DateTime<Utc>>,
    /// The erasure happens only if the complaint is still at this version.
    pub version: i64,
}

/// Whether the candidate's details are due for erasure at `now`: it has ended, and longer
/// ago than the retention period. A reopened case is in handling again and not due.
pub fn erasure_due(
    candidate: &ErasureCandidate,
    now: DateTime<Utc>,
    policy: RetentionPolicy,
) -> bool {
    let ended = matches!(
        candidate.status,
        ComplaintStatus::Closed
            | ComplaintStatus::OutOfScope
            | ComplaintStatus::Invalid
            | ComplaintStatus::Withdrawn
    );
    ended
        && candidate
            .ended_at
            .is_some_and(|at| at <= policy.cutoff(now))
}

/// What the retention store offers the erasure job.
pub trait ContactRetention: Send + Sync {
    /// Up to `limit` named complaints not yet erased that ended at or before `cutoff`, oldest
    /// first.
    ///
    /// # Errors
    /// [`RepositoryError::Unavailable`].
    fn candidates(
        &self,
        cutoff: DateTime<Utc>,
        limit: u64,
    ) -> impl Future<Output = Result<Vec<ErasureCandidate>, RepositoryError>> + Send;

    /// Erases the complainant's name and contacts and everything derived from them (the
    /// repeat keys), marks the complaint erased, bumps its version and appends `event` to its
    /// history, in one transaction, but only while the complaint is still at
    /// `candidate.version` and not erased: of several concurrent calls exactly one erases.
    /// True when this call erased.
    ///
    /// # Errors
    /// [`RepositoryError::Unavailable`].
    fn erase(
        &self,
        candidate: &ErasureCandidate,
        event: &RecordedEvent,
    ) -> impl Future<Output = Result<bool, RepositoryError>> + Send;
}

/// What one pass did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ErasureReport {
    pub examined: usize,
    pub erased: usize,
}

/// Candidates asked for per round.
const BATCH: u64 = 100;

/// Erases every complaint due at `now`, in rounds of [`BATCH`] until none is left. A
/// candidate another process erased or changed meanwhile is skipped (it is examined again at
/// the next pass if still due).
///
/// # Errors
/// [`RepositoryError`] from the store; what was erased before stays erased.
pub async fn erase_due<S: ContactRetention>(
    store: &S,
    now: DateTime<Utc>,
    policy: RetentionPolicy,
) -> Result<ErasureReport, RepositoryError> {
    let mut report = ErasureReport::default();
    let mut skipped = std::collections::HashSet::new();
    loop {
        let batch = store
            .candidates(policy.cutoff(now), BATCH + skipped.len() as u64)
            .await?;
        let fresh: Vec<_> = batch
            .into_iter()
            .filter(|c| !skipped.contains(&c.id))
            .collect();
        if fresh.is_empty() {
            return Ok(report);
        }
        for candidate in fresh {
            report.examined += 1;
            let erased = erasure_due(&candidate, now, policy)
                && store.erase(&candidate, &erasure_event(now, policy)).await?;
            if erased {
                report.erased += 1;
            } else {
                skipped.insert(candidate.id);
            }
        }
    }
}

fn erasure_event(now: DateTime<Utc>, policy: RetentionPolicy) -> RecordedEvent {
    RecordedEvent {
        sequence: 0,
        actor_id: None,
        at: to_storage_precision(now),
        event: ComplaintEvent::ContactDetailsErased {
            retention_days: policy.contact_retention_days,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(day: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, day, 12, 0, 0)
            .single()
            .unwrap_or_default()
    }

    fn candidate(status: ComplaintStatus, ended_at: Option<DateTime<Utc>>) -> ErasureCandidate {
        ErasureCandidate {
            id: ComplaintId::generate(),
            status,
            ended_at,
            version: 3,
        }
    }

    #[test]
    fn an_ended_complaint_is_due_once_the_retention_period_has_passed() {
        let policy = RetentionPolicy {
            contact_retention_days: 10,
        };
        for status in [
            ComplaintStatus::Closed,
            ComplaintStatus::OutOfScope,
            ComplaintStatus::Invalid,
            ComplaintStatus::Withdrawn,
        ] {
            let ended = candidate(status, Some(at(1)));
            assert!(!erasure_due(&ended, at(10), policy), "{status:?}");
            assert!(erasure_due(&ended, at(11), policy), "{status:?}");
            assert!(erasure_due(&ended, at(20), policy), "{status:?}");
        }
    }

    #[test]
    fn a_complaint_still_open_or_reopened_is_never_due() {
        let policy = RetentionPolicy {
            contact_retention_days: 1,
        };
        for status in [
            ComplaintStatus::AwaitingScreening,
            ComplaintStatus::AwaitingClassification,
            ComplaintStatus::InHandling,
        ] {
            assert!(!erasure_due(
                &candidate(status, Some(at(1))),
                at(30),
                policy
            ));
        }
        assert!(!erasure_due(
            &candidate(ComplaintStatus::Closed, None),
            at(30),
            policy
        ));
    }
}
