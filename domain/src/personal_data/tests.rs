//! The log's use cases over an in-memory log and a complaint store that knows one id.

use std::future::Future;
use std::pin::pin;
use std::sync::Mutex;
use std::task::{Context, Poll, Waker};

use super::*;
use crate::clock::fixed::FixedClock;
use crate::complaint::Complaint;
use crate::complaint::events::{ComplaintEvent, RecordedEvent};
use crate::complaint::links::{ComplaintLink, LinkedComplaint};
use crate::complaint::ports::{ComplaintQuery, RegisterOutcome, Registration};
use crate::complaint::repeats::RepeatQuery;

fn run<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return out;
        }
    }
}

#[derive(Default)]
struct Log {
    appends: Mutex<Vec<Vec<PersonalDataRead>>>,
}

impl PersonalDataLog for &Log {
    async fn append(&self, reads: &[PersonalDataRead]) -> Result<(), RepositoryError> {
        self.appends
            .lock()
            .map_err(|_| RepositoryError::Unavailable("poisoned".into()))?
            .push(reads.to_vec());
        Ok(())
    }

    async fn list(&self, query: &ReadLogQuery) -> Result<Vec<PersonalDataRead>, RepositoryError> {
        let appends = self
            .appends
            .lock()
            .map_err(|_| RepositoryError::Unavailable("poisoned".into()))?;
        Ok(appends
            .iter()
            .flatten()
            .filter(|r| query.complaint_id.is_none() || r.complaint_id == query.complaint_id)
            .cloned()
            .collect())
    }
}

/// Knows no complaint at all: `find` answers `None`.
struct NoComplaints;

fn absent<T>() -> Result<T, RepositoryError> {
    Err(RepositoryError::Unavailable("not in these tests".into()))
}

impl ComplaintRepository for NoComplaints {
    async fn register(&self, _: Registration) -> Result<RegisterOutcome, RepositoryError> {
        absent()
    }
    async fn find(&self, _: ComplaintId) -> Result<Option<Complaint>, RepositoryError> {
        Ok(None)
    }
    async fn record_transition(
        &self,
        _: &Complaint,
        _: i64,
        _: &RecordedEvent,
        _: &[crate::limits::LimitKind],
    ) -> Result<(), RepositoryError> {
        absent()
    }
    async fn list(&self, _: &ComplaintQuery) -> Result<Vec<Complaint>, RepositoryError> {
        absent()
    }
    async fn open_orders(&self, _: ComplaintId) -> Result<u32, RepositoryError> {
        absent()
    }
    async fn held_by_leading_group(&self, _: ComplaintId) -> Result<bool, RepositoryError> {
        absent()
    }
    async fn events(&self, _: ComplaintId) -> Result<Vec<RecordedEvent>, RepositoryError> {
        absent()
    }
    async fn repeat_candidates(&self, _: &RepeatQuery) -> Result<Vec<Complaint>, RepositoryError> {
        absent()
    }
    async fn link(
        &self,
        _: &ComplaintLink,
        _: &[(ComplaintId, ComplaintEvent)],
    ) -> Result<(), RepositoryError> {
        absent()
    }
    async fn links(&self, _: ComplaintId) -> Result<Vec<LinkedComplaint>, RepositoryError> {
        absent()
    }
}

fn actor(role: Role) -> Actor {
    Actor {
        user_id: UserId::generate(),
        role,
        unit_id: None,
    }
}

#[test]
fn a_page_is_recorded_in_one_append_with_each_complaint_once() {
    let log = Log::default();
    let at = DateTime::parse_from_rfc3339("2026-12-03T08:00:00.123456789Z")
        .map(|t| t.to_utc())
        .unwrap_or_default();
    let reads = PersonalDataReads::new(&log, NoComplaints, FixedClock::at(at));
    let reader = UserId::generate();
    let (a, b) = (ComplaintId::generate(), ComplaintId::generate());
    let recorded = run(reads.record(
        reader,
        &[Some(a), Some(b), Some(a)],
        "listComplaints",
        "10.0.0.7",
    ));
    assert_eq!(recorded, Ok(()));
    let appends = log.appends.lock().map(|a| a.clone()).unwrap_or_default();
    assert_eq!(appends.len(), 1);
    let rows = &appends[0];
    assert_eq!(
        rows.iter().map(|r| r.complaint_id).collect::<Vec<_>>(),
        vec![Some(a), Some(b)]
    );
    assert!(rows.iter().all(|r| r.reader_id == reader
        && r.operation == "listComplaints"
        && r.client_address == "10.0.0.7"
        && r.read_at == to_storage_precision(at)));
    assert_eq!(run(reads.record(reader, &[], "getComplaint", "x")), Ok(()));
    assert_eq!(log.appends.lock().map(|a| a.len()).unwrap_or_default(), 1);
}

#[test]
fn only_the_leading_group_reads_the_log_and_others_are_refused_before_any_lookup() {
    let log = Log::default();
    let reads = PersonalDataReads::new(&log, NoComplaints, FixedClock::at(Utc::now()));
    let id = ComplaintId::generate();
    for role in [Role::Intake, Role::UnitHandler, Role::UnitHead, Role::Admin] {
        let refused = run(reads.of_complaint(&actor(role), id, None, 50));
        assert!(matches!(refused, Err(ReadError::Forbidden(_))), "{role:?}");
        let refused = run(reads.in_period(&actor(role), Utc::now(), Utc::now(), None, 50));
        assert!(matches!(refused, Err(ReadError::Forbidden(_))), "{role:?}");
    }
    let leader = actor(Role::LeadingGroup);
    assert!(matches!(
        run(reads.of_complaint(&leader, id, None, 50)),
        Err(ReadError::NotFound)
    ));
    assert_eq!(
        run(reads.in_period(&leader, Utc::now(), Utc::now(), None, 50))
            .map(|r| r.len())
            .ok(),
        Some(0)
    );
}
