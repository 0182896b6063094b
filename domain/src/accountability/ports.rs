//! What the accountability use cases need from storage.

use std::future::Future;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::leaders::UnitLeadership;
use super::model::{
    CaseFacts, ComplaintAgainst, InvestigationRecord, PersonFacts, SanctionHistoryEntry,
    SanctionQuery, SanctionRecord, SanctionWrite, Takeover,
};
use crate::ids::{ComplaintId, UnitId, UserId};
use crate::storage::RepositoryError;

/// Investigation records, takeovers and sanctions.
pub trait AccountabilityRepository: Send + Sync {
    /// The complaint with who holds it, `None` when unknown.
    ///
    /// # Errors
    /// [`RepositoryError::Unavailable`].
    fn case_facts(
        &self,
        id: ComplaintId,
    ) -> impl Future<Output = Result<Option<CaseFacts>, RepositoryError>> + Send;

    /// `None` for an unknown user.
    ///
    /// # Errors
    /// [`RepositoryError::Unavailable`].
    fn person(
        &self,
        id: UserId,
    ) -> impl Future<Output = Result<Option<PersonFacts>, RepositoryError>> + Send;

    /// The unit and every unit below it (empty for an unknown unit).
    ///
    /// # Errors
    /// [`RepositoryError::Unavailable`].
    fn unit_and_descendants(
        &self,
        id: UnitId,
    ) -> impl Future<Output = Result<Vec<UnitId>, RepositoryError>> + Send;

    /// The unit and every unit above it, nearest first, each with its active unit heads
    /// (empty for an unknown unit).
    ///
    /// # Errors
    /// [`RepositoryError::Unavailable`].
    fn unit_chain(
        &self,
        id: UnitId,
    ) -> impl Future<Output = Result<Vec<UnitLeadership>, RepositoryError>> + Send;

    /// Inserts the entry and appends `investigation_recorded` to the complaint's history, in
    /// one transaction.
    ///
    /// # Errors
    /// [`RepositoryError::Unavailable`].
    fn add_record(
        &self,
        record: &InvestigationRecord,
    ) -> impl Future<Output = Result<(), RepositoryError>> + Send;

    /// The entries of a complaint, oldest first.
    ///
    /// # Errors
    /// [`RepositoryError::Unavailable`].
    fn records(
        &self,
        complaint_id: ComplaintId,
    ) -> impl Future<Output = Result<Vec<InvestigationRecord>, RepositoryError>> + Send;

    /// The entries with these ids (unknown ids are left out).
    ///
    /// # Errors
    /// [`RepositoryError::Unavailable`].
    fn records_by_id(
        &self,
        ids: &[Uuid],
    ) -> impl Future<Output = Result<Vec<InvestigationRecord>, RepositoryError>> + Send;

    /// Marks the case as held by the leading group and appends `taken_over` to its history.
    ///
    /// # Errors
    /// [`RepositoryError::Conflict`] when the case is already held.
    fn take_over(
        &self,
        takeover: &Takeover,
    ) -> impl Future<Output = Result<(), RepositoryError>> + Send;

    /// Closing instants of sustained complaints naming `person` as respondent staff member.
    ///
    /// # Errors
    /// [`RepositoryError::Unavailable`].
    fn sustained_closings_of_person(
        &self,
        person: UserId,
    ) -> impl Future<Output = Result<Vec<DateTime<Utc>>, RepositoryError>> + Send;

    /// Closing instants of sustained complaints against `unit`.
    ///
    /// # Errors
    /// [`RepositoryError::Unavailable`].
    fn sustained_closings_of_unit(
        &self,
        unit: UnitId,
    ) -> impl Future<Output = Result<Vec<DateTime<Utc>>, RepositoryError>> + Send;

    /// Complaints naming `person` as respondent staff member, oldest first.
    ///
    /// # Errors
    /// [`RepositoryError::Unavailable`].
    fn complaints_against_person(
        &self,
        person: UserId,
    ) -> impl Future<Output = Result<Vec<ComplaintAgainst>, RepositoryError>> + Send;

    /// Complaints against `unit`, oldest first.
    ///
    /// # Errors
    /// [`RepositoryError::Unavailable`].
    fn complaints_against_unit(
        &self,
        unit: UnitId,
    ) -> impl Future<Output = Result<Vec<ComplaintAgainst>, RepositoryError>> + Send;

    /// # Errors
    /// [`RepositoryError::Unavailable`].
    fn find_sanction(
        &self,
        id: Uuid,
    ) -> impl Future<Output = Result<Option<SanctionRecord>, RepositoryError>> + Send;

    /// Newest first.
    ///
    /// # Errors
    /// [`RepositoryError::Unavailable`].
    fn list_sanctions(
        &self,
        query: &SanctionQuery,
    ) -> impl Future<Output = Result<Vec<SanctionRecord>, RepositoryError>> + Send;

    /// The history of a sanction, oldest first.
    ///
    /// # Errors
    /// [`RepositoryError::Unavailable`].
    fn sanction_history(
        &self,
        id: Uuid,
    ) -> impl Future<Output = Result<Vec<SanctionHistoryEntry>, RepositoryError>> + Send;

    /// Applies the write in ONE transaction (rows, measures, links, history).
    ///
    /// # Errors
    /// [`RepositoryError::Conflict`] when a replaced version changed meanwhile.
    fn write_sanction(
        &self,
        write: SanctionWrite,
    ) -> impl Future<Output = Result<(), RepositoryError>> + Send;
}
