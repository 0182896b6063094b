//! In-memory ports of the accountability service.

use std::future::Future;
use std::pin::pin;
use std::sync::{Mutex, PoisonError};
use std::task::{Context, Poll, Waker};

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::access::Actor;
use crate::accountability::leaders::UnitLeadership;
use crate::accountability::model::{
    CaseFacts, ComplaintAgainst, InvestigationRecord, PersonFacts, SanctionHistoryEntry,
    SanctionQuery, SanctionRecord, SanctionWrite, SubjectRef, Takeover,
};
use crate::accountability::ports::AccountabilityRepository;
use crate::calendar::{CalendarSource, WorkingCalendar};
use crate::complaint::visibility::ComplaintVisibility;
use crate::ids::{ComplaintId, UnitId, UserId};
use crate::storage::RepositoryError;

/// Runs a future whose ports answer at once.
pub fn run<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return out;
        }
    }
}

/// What the fake store holds.
#[derive(Debug, Default)]
pub struct Stored {
    pub cases: Vec<CaseFacts>,
    pub people: Vec<PersonFacts>,
    /// Units with their parent.
    pub units: Vec<(UnitId, Option<UnitId>)>,
    pub records: Vec<InvestigationRecord>,
    pub sanctions: Vec<SanctionRecord>,
    pub history: Vec<(Uuid, SanctionHistoryEntry)>,
}

#[derive(Debug, Default)]
pub struct MemAccountability(pub Mutex<Stored>);

impl MemAccountability {
    pub fn with<T>(&self, f: impl FnOnce(&mut Stored) -> T) -> T {
        f(&mut self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

fn subject_unit(s: &Stored, subject: SubjectRef) -> Option<UnitId> {
    match subject {
        SubjectRef::Unit(id) => Some(id),
        SubjectRef::Person(id) => s.people.iter().find(|p| p.id == id)?.unit_id,
    }
}

/// Stores `record` if the stored one is still at `expected` (`None`: a new one).
fn replace(s: &mut Stored, record: &SanctionRecord, expected: Option<i64>) -> bool {
    let id = record.case.id();
    let stored = s.sanctions.iter().position(|r| r.case.id() == id);
    match (stored, expected) {
        (None, None) => s.sanctions.push(record.clone()),
        (Some(i), Some(v)) if s.sanctions[i].version == v => s.sanctions[i] = record.clone(),
        _ => return false,
    }
    true
}

impl AccountabilityRepository for MemAccountability {
    async fn case_facts(&self, id: ComplaintId) -> Result<Option<CaseFacts>, RepositoryError> {
        Ok(self.with(|s| s.cases.iter().find(|c| c.id == id).cloned()))
    }

    async fn person(&self, id: UserId) -> Result<Option<PersonFacts>, RepositoryError> {
        Ok(self.with(|s| s.people.iter().find(|p| p.id == id).copied()))
    }

    async fn unit_and_descendants(&self, id: UnitId) -> Result<Vec<UnitId>, RepositoryError> {
        Ok(self.with(|s| {
            let mut found: Vec<UnitId> =
                s.units.iter().filter(|u| u.0 == id).map(|u| u.0).collect();
            let mut i = 0;
            while let Some(&unit) = found.get(i) {
                found.extend(s.units.iter().filter(|u| u.1 == Some(unit)).map(|u| u.0));
                i += 1;
            }
            found
        }))
    }

    async fn unit_chain(&self, _: UnitId) -> Result<Vec<UnitLeadership>, RepositoryError> {
        Ok(vec![])
    }

    async fn add_record(&self, record: &InvestigationRecord) -> Result<(), RepositoryError> {
        self.with(|s| s.records.push(record.clone()));
        Ok(())
    }

    async fn records(&self, id: ComplaintId) -> Result<Vec<InvestigationRecord>, RepositoryError> {
        Ok(self.with(|s| {
            s.records
                .iter()
                .filter(|r| r.complaint_id == id)
                .cloned()
                .collect()
        }))
    }

    async fn records_by_id(
        &self,
        ids: &[Uuid],
    ) -> Result<Vec<InvestigationRecord>, RepositoryError> {
        Ok(self.with(|s| {
            s.records
                .iter()
                .filter(|r| ids.contains(&r.id))
                .cloned()
                .collect()
        }))
    }

    async fn take_over(&self, takeover: &Takeover) -> Result<(), RepositoryError> {
        self.with(
            |s| match s.cases.iter_mut().find(|c| c.id == takeover.complaint_id) {
                Some(case) if case.held_by.is_none() => {
                    case.held_by = Some(takeover.clone());
                    Ok(())
                }
                _ => Err(RepositoryError::Conflict),
            },
        )
    }

    async fn sustained_closings_of_person(
        &self,
        _: UserId,
    ) -> Result<Vec<DateTime<Utc>>, RepositoryError> {
        Ok(vec![])
    }

    async fn sustained_closings_of_unit(
        &self,
        _: UnitId,
    ) -> Result<Vec<DateTime<Utc>>, RepositoryError> {
        Ok(vec![])
    }

    async fn complaints_against_person(
        &self,
        _: UserId,
    ) -> Result<Vec<ComplaintAgainst>, RepositoryError> {
        Ok(vec![])
    }

    async fn complaints_against_unit(
        &self,
        _: UnitId,
    ) -> Result<Vec<ComplaintAgainst>, RepositoryError> {
        Ok(vec![])
    }

    async fn find_sanction(&self, id: Uuid) -> Result<Option<SanctionRecord>, RepositoryError> {
        Ok(self.with(|s| s.sanctions.iter().find(|r| r.case.id() == id).cloned()))
    }

    async fn list_sanctions(
        &self,
        query: &SanctionQuery,
    ) -> Result<Vec<SanctionRecord>, RepositoryError> {
        Ok(self.with(|s| {
            s.sanctions
                .iter()
                .filter(|r| {
                    query
                        .subject_user_id
                        .is_none_or(|id| r.subject == SubjectRef::Person(id))
                        && query
                            .subject_unit_id
                            .is_none_or(|id| r.subject == SubjectRef::Unit(id))
                        && query.units.as_ref().is_none_or(|units| {
                            subject_unit(s, r.subject).is_some_and(|u| units.contains(&u))
                        })
                })
                .cloned()
                .collect()
        }))
    }

    async fn sanction_history(
        &self,
        id: Uuid,
    ) -> Result<Vec<SanctionHistoryEntry>, RepositoryError> {
        Ok(self.with(|s| {
            s.history
                .iter()
                .filter(|(of, _)| *of == id)
                .map(|(_, e)| e.clone())
                .collect()
        }))
    }

    async fn write_sanction(&self, write: SanctionWrite) -> Result<(), RepositoryError> {
        self.with(|s| {
            // All or nothing, as in one transaction.
            let mut next = Stored {
                sanctions: s.sanctions.clone(),
                history: s.history.clone(),
                ..Stored::default()
            };
            if !replace(&mut next, &write.record, write.replaces_version) {
                return Err(RepositoryError::Conflict);
            }
            let id = write.record.case.id();
            next.history
                .extend(write.history.into_iter().map(|e| (id, e)));
            for (other, expected, entry) in write.also {
                if !replace(&mut next, &other, Some(expected)) {
                    return Err(RepositoryError::Conflict);
                }
                next.history.push((other.case.id(), entry));
            }
            s.sanctions = next.sanctions;
            s.history = next.history;
            Ok(())
        })
    }
}

/// Everyone sees these complaints, and no other.
pub struct Visible(pub Vec<ComplaintId>);

impl ComplaintVisibility for Visible {
    async fn may_see(&self, _: &Actor, id: ComplaintId) -> Result<bool, RepositoryError> {
        Ok(self.0.contains(&id))
    }
}

/// Monday to Friday, no holidays.
pub struct Weekdays;

impl CalendarSource for Weekdays {
    async fn working_calendar(&self) -> Result<WorkingCalendar, RepositoryError> {
        Ok(WorkingCalendar::new())
    }
}
