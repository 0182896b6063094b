//! The personal-data access log: every answer that shows a complainant's details is recorded
//! (who, when, which complaint, which operation, from which client address) before it is
//! sent, and the leading group reads the log per complaint and for a period. Reads of the log
//! are logged too.

use std::future::Future;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::access::Actor;
use crate::clock::{Clock, to_storage_precision};
use crate::complaint::ports::ComplaintRepository;
use crate::complaint::service::ReadError;
use crate::ids::{ComplaintId, UserId};
use crate::role::Role;
use crate::storage::RepositoryError;

/// One logged read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonalDataRead {
    /// Time-ordered (v7): the keyset of every page of the log.
    pub id: Uuid,
    pub reader_id: UserId,
    pub read_at: DateTime<Utc>,
    /// The complaint whose details were shown; absent for a read of the log that showed no
    /// entry.
    pub complaint_id: Option<ComplaintId>,
    /// The operationId of the answer.
    pub operation: String,
    pub client_address: String,
}

/// Which entries of the log to read, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadLogQuery {
    pub complaint_id: Option<ComplaintId>,
    /// At or after.
    pub from: Option<DateTime<Utc>>,
    /// Before.
    pub to: Option<DateTime<Utc>>,
    /// Only entries older than this one (keyset cursor).
    pub before: Option<Uuid>,
    pub limit: u32,
}

/// Where the log is kept.
pub trait PersonalDataLog: Send + Sync {
    /// Appends every entry in ONE statement: all are kept or none is.
    ///
    /// # Errors
    /// [`RepositoryError::Unavailable`].
    fn append(
        &self,
        reads: &[PersonalDataRead],
    ) -> impl Future<Output = Result<(), RepositoryError>> + Send;

    /// Entries matching `query`, newest first.
    ///
    /// # Errors
    /// [`RepositoryError::Unavailable`].
    fn list(
        &self,
        query: &ReadLogQuery,
    ) -> impl Future<Output = Result<Vec<PersonalDataRead>, RepositoryError>> + Send;
}

/// Who may read the log.
const LOG_READERS: &[Role] = &[Role::LeadingGroup];

/// The log's use cases over its port.
pub struct PersonalDataReads<L, R, C> {
    log: L,
    complaints: R,
    clock: C,
}

impl<L: PersonalDataLog, R: ComplaintRepository, C: Clock> PersonalDataReads<L, R, C> {
    pub fn new(log: L, complaints: R, clock: C) -> Self {
        Self {
            log,
            complaints,
            clock,
        }
    }

    /// Records that `reader` was shown the details of `complaints` (each once, in order;
    /// `None` for a read of the log without entries) by `operation` from `client_address`.
    ///
    /// # Errors
    /// [`RepositoryError::Unavailable`]: the answer must then not be sent.
    pub async fn record(
        &self,
        reader: UserId,
        complaints: &[Option<ComplaintId>],
        operation: &str,
        client_address: &str,
    ) -> Result<(), RepositoryError> {
        let read_at = to_storage_precision(self.clock.now());
        let mut reads: Vec<PersonalDataRead> = Vec::with_capacity(complaints.len());
        for complaint_id in complaints {
            if reads.iter().any(|r| r.complaint_id == *complaint_id) {
                continue;
            }
            reads.push(PersonalDataRead {
                id: Uuid::now_v7(),
                reader_id: reader,
                read_at,
                complaint_id: *complaint_id,
                operation: operation.to_owned(),
                client_address: client_address.to_owned(),
            });
        }
        if reads.is_empty() {
            return Ok(());
        }
        self.log.append(&reads).await
    }

    /// The reads of one complaint's details, newest first (leading group).
    ///
    /// # Errors
    /// [`ReadError::Forbidden`] for other roles (before any lookup), [`ReadError::NotFound`].
    pub async fn of_complaint(
        &self,
        actor: &Actor,
        id: ComplaintId,
        before: Option<Uuid>,
        limit: u32,
    ) -> Result<Vec<PersonalDataRead>, ReadError> {
        actor.require(LOG_READERS, "read the personal-data access log")?;
        self.complaints.find(id).await?.ok_or(ReadError::NotFound)?;
        Ok(self
            .log
            .list(&ReadLogQuery {
                complaint_id: Some(id),
                from: None,
                to: None,
                before,
                limit,
            })
            .await?)
    }

    /// The reads in `[from, to)`, newest first (leading group).
    ///
    /// # Errors
    /// [`ReadError::Forbidden`] for other roles.
    pub async fn in_period(
        &self,
        actor: &Actor,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        before: Option<Uuid>,
        limit: u32,
    ) -> Result<Vec<PersonalDataRead>, ReadError> {
        actor.require(LOG_READERS, "read the personal-data access log")?;
        Ok(self
            .log
            .list(&ReadLogQuery {
                complaint_id: None,
                from: Some(from),
                to: Some(to),
                before,
                limit,
            })
            .await?)
    }
}

#[cfg(test)]
mod tests;
