//! The closing use cases over in-memory ports: the answer rule, open orders, and the reopen
//! window counted with a fixed working-day calendar.

use std::future::Future;
use std::pin::pin;
use std::sync::Mutex;
use std::task::{Context, Poll, Waker};

use chrono::{DateTime, Utc};
use chrono_tz::Asia::Shanghai;

use super::*;
use crate::calendar::WorkingCalendar;
use crate::clock::fixed::FixedClock;
use crate::complaint::closing::tests::labour_day_2026;
use crate::complaint::complainant::NamedComplainant;
use crate::complaint::events::ComplaintEvent;
use crate::complaint::links::{ComplaintLink, LinkedComplaint};
use crate::complaint::model::ComplainantAnswer;
use crate::complaint::model::{Closing, ComplaintState, ReturnVisit};
use crate::complaint::ports::{ComplaintQuery, RegisterOutcome, Registration, UnitDirectory};
use crate::complaint::registration::ComplaintDraft;
use crate::complaint::registration::NewComplaint;
use crate::complaint::repeats::RepeatQuery;
use crate::complaint::status::ComplaintStatus;
use crate::complaint::{Channel, Complainant, ComplaintNumber, Matter};
use crate::ids::UserId;
use crate::limits::LimitKind;

/// Runs a future whose ports answer at once.
fn run<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return out;
        }
    }
}

fn at(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339)
        .unwrap_or_else(|e| panic!("{rfc3339}: {e}"))
        .to_utc()
}

/// One complaint, its events, and a number of open supervision orders.
struct OneComplaint {
    complaint: Mutex<Complaint>,
    events: Mutex<Vec<RecordedEvent>>,
    registered: Mutex<Option<Registration>>,
    open_orders: u32,
}

impl ComplaintRepository for OneComplaint {
    async fn register(
        &self,
        registration: Registration,
    ) -> Result<RegisterOutcome, RepositoryError> {
        let number = crate::complaint::number::ComplaintNumber::new(registration.year, 1)
            .map_err(|e| RepositoryError::Unavailable(e.to_string()))?;
        let complaint = registration.complaint(number.clone());
        self.events
            .lock()
            .map_err(|_| RepositoryError::Conflict)?
            .push(registration.registered_event(&number));
        *self
            .registered
            .lock()
            .map_err(|_| RepositoryError::Conflict)? = Some(registration);
        Ok(RegisterOutcome::Created(complaint))
    }

    async fn find(&self, id: ComplaintId) -> Result<Option<Complaint>, RepositoryError> {
        let c = self
            .complaint
            .lock()
            .map_err(|_| RepositoryError::Conflict)?;
        Ok((c.id == id).then(|| c.clone()))
    }

    async fn record_transition(
        &self,
        next: &Complaint,
        expected_version: i64,
        event: &RecordedEvent,
        _: &[crate::limits::LimitKind],
    ) -> Result<(), RepositoryError> {
        let mut c = self
            .complaint
            .lock()
            .map_err(|_| RepositoryError::Conflict)?;
        if c.version != expected_version {
            return Err(RepositoryError::Conflict);
        }
        *c = next.clone();
        self.events
            .lock()
            .map_err(|_| RepositoryError::Conflict)?
            .push(event.clone());
        Ok(())
    }

    async fn list(&self, _: &ComplaintQuery) -> Result<Vec<Complaint>, RepositoryError> {
        Ok(vec![])
    }

    async fn open_orders(&self, _: ComplaintId) -> Result<u32, RepositoryError> {
        Ok(self.open_orders)
    }

    async fn held_by_leading_group(&self, _: ComplaintId) -> Result<bool, RepositoryError> {
        Ok(false)
    }

    async fn link(
        &self,
        _: &ComplaintLink,
        _: &[(ComplaintId, ComplaintEvent)],
    ) -> Result<(), RepositoryError> {
        Ok(())
    }

    async fn links(&self, _: ComplaintId) -> Result<Vec<LinkedComplaint>, RepositoryError> {
        Ok(vec![])
    }

    async fn repeat_candidates(&self, _: &RepeatQuery) -> Result<Vec<Complaint>, RepositoryError> {
        Ok(vec![])
    }

    async fn events(&self, _: ComplaintId) -> Result<Vec<RecordedEvent>, RepositoryError> {
        Ok(self
            .events
            .lock()
            .map_err(|_| RepositoryError::Conflict)?
            .clone())
    }
}

/// Every unit exists and is active.
struct OpenDirectory;

impl UnitDirectory for OpenDirectory {
    async fn unit_active(&self, _: UnitId) -> Result<Option<bool>, RepositoryError> {
        Ok(Some(true))
    }

    async fn staff_unit(&self, _: UserId) -> Result<Option<Option<UnitId>>, RepositoryError> {
        Ok(None)
    }

    async fn unit_and_descendants(&self, id: UnitId) -> Result<Vec<UnitId>, RepositoryError> {
        Ok(vec![id])
    }
}

struct FixedCalendar(WorkingCalendar);

impl CalendarSource for FixedCalendar {
    async fn working_calendar(&self) -> Result<WorkingCalendar, RepositoryError> {
        Ok(self.0.clone())
    }
}

type Service = ComplaintService<OneComplaint, OpenDirectory, FixedClock, FixedCalendar>;

const RECEIVED: &str = "2026-04-20T09:00:00+08:00";
const CLOSED: &str = "2026-04-29T15:00:00+08:00";
/// Thursday before the 2026 Labour Day block; day 15 after it is Monday 25 May.
const VISITED: &str = "2026-04-30T10:00:00+08:00";

fn complaint(anonymous: bool, state: ComplaintState) -> Complaint {
    let complainant = if anonymous {
        Complainant::Anonymous
    } else {
        Complainant::Named(NamedComplainant {
            name: "Li Hua".into(),
            phone: None,
            email: None,
            postal_address: None,
        })
    };
    Complaint {
        id: ComplaintId::generate(),
        number: ComplaintNumber::new(2026, 1).unwrap_or_else(|e| panic!("{e}")),
        details: NewComplaint {
            channel: Channel::WalkIn,
            respondent_unit_id: UnitId::generate(),
            respondent_staff_id: None,
            matter: Matter::Attitude,
            account: "the clerk was rude".into(),
            complainant,
            letter_date: None,
            receipt_number: None,
            received_at: at(RECEIVED),
        },
        registered_at: at(RECEIVED),
        first_handler_id: UserId::generate(),
        state,
        version: 5,
        updated_at: at(RECEIVED),
    }
}

fn case_filed() -> ComplaintState {
    ComplaintState {
        status: ComplaintStatus::InHandling,
        complaint_type: Some(ComplaintType::CaseFiled),
        ..ComplaintState::registered()
    }
}

fn closed_after_visit(satisfaction: Satisfaction) -> ComplaintState {
    ComplaintState {
        status: ComplaintStatus::Closed,
        closing: Some(Closing {
            outcome: "clerk retrained".into(),
            finding: Some(Finding::Sustained),
            closed_at: at(CLOSED),
            answer: Some(ComplainantAnswer {
                method: AnswerMethod::Phone,
                answered_at: Some(at(CLOSED)),
            }),
            answer_due_at: None,
            feedback: None,
        }),
        return_visit: Some(ReturnVisit {
            satisfaction,
            remarks: None,
            visited_at: at(VISITED),
        }),
        ..case_filed()
    }
}

fn service(complaint: Complaint, open_orders: u32, now: &str) -> Service {
    ComplaintService::new(
        OneComplaint {
            complaint: Mutex::new(complaint),
            events: Mutex::new(vec![]),
            registered: Mutex::new(None),
            open_orders,
        },
        OpenDirectory,
        FixedClock::at(at(now)),
        FixedCalendar(labour_day_2026()),
        Shanghai,
        ComplaintPolicy::default(),
    )
}

fn intake() -> Actor {
    Actor {
        user_id: UserId::generate(),
        role: Role::Intake,
        unit_id: None,
    }
}

fn rule(result: Result<Complaint, ActionError>) -> &'static str {
    match result {
        Err(ActionError::Refused(TransitionRefused::Rule(rule))) => rule.key(),
        other => panic!("expected a rule refusal, got {other:?}"),
    }
}

fn reopen_at(now: &str, satisfaction: Satisfaction) -> (Complaint, Result<Complaint, ActionError>) {
    let c = complaint(false, closed_after_visit(satisfaction));
    let service = service(c.clone(), 0, now);
    let result = run(service.reopen(&intake(), c.id, Some(5), "still rude".into()));
    (c, result)
}

#[test]
fn reopening_is_allowed_through_the_fifteenth_working_day_after_the_visit() {
    for now in ["2026-05-25T09:00:00+08:00", "2026-05-25T23:59:59+08:00"] {
        let (before, result) = reopen_at(now, Satisfaction::Dissatisfied);
        let after = result.unwrap_or_else(|e| panic!("{now}: {e}"));
        assert_eq!(after.state.status, ComplaintStatus::InHandling);
        assert_eq!(after.state.complaint_type, Some(ComplaintType::CaseFiled));
        assert_eq!(after.state.reopen_count, 1);
        assert_eq!(after.state.return_visit, None);
        assert_eq!(after.first_handler_id, before.first_handler_id);
        assert_eq!(after.version, 6);
    }
}

#[test]
fn reopening_on_the_sixteenth_working_day_is_refused() {
    for now in ["2026-05-26T00:00:00+08:00", "2026-05-26T09:00:00+08:00"] {
        let (_, result) = reopen_at(now, Satisfaction::Dissatisfied);
        assert_eq!(rule(result), "rule_reopen_window_passed", "{now}");
    }
}

#[test]
fn only_a_dissatisfied_visit_reopens() {
    for satisfaction in [
        Satisfaction::Satisfied,
        Satisfaction::BasicallySatisfied,
        Satisfaction::Unreachable,
    ] {
        let (_, result) = reopen_at("2026-05-06T09:00:00+08:00", satisfaction);
        assert_eq!(
            rule(result),
            "rule_reopen_needs_dissatisfied",
            "{satisfaction:?}"
        );
    }
}

fn close_command(answer: Option<AnswerCommand>) -> CloseCommand {
    CloseCommand {
        outcome: "clerk retrained".into(),
        finding: Finding::Sustained,
        answer,
        answer_later: false,
    }
}

const NOW: &str = "2026-05-06T09:00:00+08:00";

#[test]
fn a_named_complaint_closes_only_once_the_complainant_was_told() {
    let c = complaint(false, case_filed());
    let s = service(c.clone(), 0, NOW);
    let refused = run(s.close(&intake(), c.id, None, close_command(None)));
    assert_eq!(rule(refused), "rule_close_needs_answer");

    let told = AnswerCommand {
        method: AnswerMethod::Phone,
        answered_at: Some(at("2026-05-05T16:00:00+08:00")),
    };
    let closed = run(s.close(&intake(), c.id, None, close_command(Some(told))));
    let closed = closed.unwrap_or_else(|e| panic!("{e}"));
    let closing = closed.state.closing.unwrap_or_else(|| panic!("not closed"));
    assert_eq!(closing.answer.map(|a| a.method), Some(AnswerMethod::Phone));
    assert_eq!(closing.closed_at, at(NOW));
}

#[test]
fn an_answer_to_follow_is_owed_by_the_end_of_the_next_working_day_and_the_system_may_give_it() {
    let c = complaint(false, case_filed());
    // Thursday 30 April 2026; 1–5 May are off, so the next working day is Wednesday 6 May.
    let s = service(c.clone(), 0, "2026-04-30T10:00:00+08:00");
    let command = CloseCommand {
        answer_later: true,
        ..close_command(None)
    };
    let closed = run(s.close(&intake(), c.id, None, command)).unwrap_or_else(|e| panic!("{e}"));
    let closing = closed.state.closing.unwrap_or_else(|| panic!("not closed"));
    let due = at("2026-05-07T00:00:00+08:00");
    assert_eq!(closing.answer_due_at, Some(due));
    assert!(closing.answer_owed());

    let phoned = run(s.record_answer_sent(c.id, AnswerMethod::Phone, due, at(VISITED)));
    assert!(matches!(phoned, Err(ActionError::Invalid(_))), "{phoned:?}");
    let other = at("2026-05-08T00:00:00+08:00");
    let stale = run(s.record_answer_sent(c.id, AnswerMethod::Sms, other, at(VISITED)));
    assert!(
        matches!(stale, Ok(None)),
        "another answer's due time: {stale:?}"
    );
    let sent = run(s.record_answer_sent(c.id, AnswerMethod::Sms, due, at(VISITED)));
    let sent = sent
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("not told"));
    let answer = sent.state.closing.and_then(|c| c.answer);
    assert_eq!(answer.map(|a| a.method), Some(AnswerMethod::Sms));
    let events = s
        .repository
        .events
        .lock()
        .map(|e| e.clone())
        .unwrap_or_default();
    let last = events.last().unwrap_or_else(|| panic!("no event"));
    assert_eq!(last.actor_id, None, "recorded by the system");
    assert!(matches!(
        last.event,
        ComplaintEvent::ComplainantToldResult { .. }
    ));
    let again = run(s.record_answer_sent(c.id, AnswerMethod::Sms, due, at(VISITED)));
    assert!(matches!(again, Ok(None)), "told once: {again:?}");
}

#[test]
fn a_registration_decides_its_screening_limit_and_first_event_in_the_core() {
    let c = complaint(false, case_filed());
    // Received Thursday 30 April 2026 at 16:00; 1–5 May are off: one working day ends at
    // 24:00 of Wednesday 6 May.
    let s = service(c, 0, "2026-04-30T17:00:00+08:00");
    let draft = ComplaintDraft {
        channel: Some(Channel::WalkIn),
        respondent_unit_id: Some(UnitId::generate()),
        respondent_staff_id: None,
        matter: Some(Matter::Attitude),
        account: "kept waiting all afternoon".into(),
        anonymous: false,
        complainant_name: Some("Li Hua".into()),
        phone: None,
        email: None,
        postal_address: None,
        letter_date: None,
        receipt_number: None,
        received_at: Some(at("2026-04-30T16:00:00+08:00")),
    };
    let actor = intake();
    let registered = run(s.register(&actor, draft, None)).unwrap_or_else(|e| panic!("{e}"));
    let stored = s.repository.registered.lock().ok().and_then(|r| r.clone());
    let screening = stored.unwrap_or_else(|| panic!("nothing stored")).screening;
    assert_eq!(screening.kind, LimitKind::Screening);
    assert_eq!(screening.started_at, at("2026-04-30T16:00:00+08:00"));
    assert_eq!(screening.working_days, 1);
    assert_eq!(screening.due_at, at("2026-05-07T00:00:00+08:00"));
    assert!(!screening.provisional);
    let events = s
        .repository
        .events
        .lock()
        .map(|e| e.clone())
        .unwrap_or_default();
    assert_eq!(
        events[0].event,
        ComplaintEvent::Registered {
            number: registered.complaint.number.to_string(),
            channel: Channel::WalkIn,
        }
    );
    assert_eq!(events[0].actor_id, Some(actor.user_id));
}

#[test]
fn an_answer_cannot_be_dated_in_the_future_or_before_the_receipt() {
    let c = complaint(false, case_filed());
    let s = service(c.clone(), 0, NOW);
    for when in ["2026-05-06T09:05:01+08:00", "2026-04-20T08:59:59+08:00"] {
        let answer = AnswerCommand {
            method: AnswerMethod::Letter,
            answered_at: Some(at(when)),
        };
        let result = run(s.close(&intake(), c.id, None, close_command(Some(answer))));
        assert!(
            matches!(&result, Err(ActionError::Invalid(i)) if i.0[0].field == "answer.answered_at"),
            "{when}: {result:?}"
        );
    }
}

#[test]
fn an_answer_stated_to_the_second_of_the_receipt_or_slightly_ahead_of_the_clock_is_accepted() {
    let mut c = complaint(false, case_filed());
    c.details.received_at = at("2026-04-20T09:00:00.700+08:00");
    for when in ["2026-04-20T09:00:00+08:00", "2026-05-06T09:04:59+08:00"] {
        let s = service(c.clone(), 0, NOW);
        let answer = AnswerCommand {
            method: AnswerMethod::Phone,
            answered_at: Some(at(when)),
        };
        let result = run(s.close(&intake(), c.id, None, close_command(Some(answer))));
        assert!(result.is_ok(), "{when}: {result:?}");
    }
}

#[test]
fn an_anonymous_complaint_closes_without_an_answer() {
    let c = complaint(true, case_filed());
    let s = service(c.clone(), 0, NOW);
    let closed = run(s.close(&intake(), c.id, None, close_command(None)));
    let closing = closed
        .unwrap_or_else(|e| panic!("{e}"))
        .state
        .closing
        .unwrap_or_else(|| panic!("not closed"));
    assert_eq!(
        closing.answer,
        Some(ComplainantAnswer {
            method: AnswerMethod::NoneAnonymous,
            answered_at: None
        })
    );
}

#[test]
fn open_orders_from_the_repository_block_closing_and_reclassifying() {
    let c = complaint(true, case_filed());
    let s = service(c.clone(), 1, NOW);
    let closed = run(s.close(&intake(), c.id, None, close_command(None)));
    assert_eq!(rule(closed), "rule_close_open_orders");
    let reclassified = run(s.classify(
        &intake(),
        c.id,
        None,
        ClassifyCommand {
            complaint_type: ComplaintType::Feedback,
            reason: Some("a matter of opinion after all".into()),
        },
    ));
    assert_eq!(rule(reclassified), "rule_reclassify_open_orders");
}

#[test]
fn an_on_site_complaint_not_reconciled_is_filed_with_the_reason() {
    let on_site = ComplaintState {
        complaint_type: Some(ComplaintType::OnSite),
        ..case_filed()
    };
    let c = complaint(false, on_site);
    let s = service(c.clone(), 0, NOW);
    let filed = run(s.resolve_on_site(
        &intake(),
        c.id,
        Some(5),
        OnSiteResolutionCommand {
            reconciled: false,
            note: "the complainant refused the apology".into(),
        },
    ))
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(filed.state.status, ComplaintStatus::InHandling);
    assert_eq!(filed.state.complaint_type, Some(ComplaintType::CaseFiled));
    let events = run(s.events(&intake(), c.id)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(events.len(), 1);
    assert_eq!(
        events[0].event.reason(),
        Some("the complainant refused the apology")
    );
    // Now case_filed: an on-site resolution no longer applies.
    let again = run(s.resolve_on_site(
        &intake(),
        c.id,
        None,
        OnSiteResolutionCommand {
            reconciled: true,
            note: "n".into(),
        },
    ));
    assert!(matches!(
        again,
        Err(ActionError::Refused(TransitionRefused::WrongState { .. }))
    ));
}

#[test]
fn only_intake_closes_visits_and_reopens() {
    let c = complaint(false, closed_after_visit(Satisfaction::Dissatisfied));
    let s = service(c.clone(), 0, NOW);
    let head = Actor {
        role: Role::UnitHead,
        unit_id: Some(UnitId::generate()),
        ..intake()
    };
    let result = run(s.reopen(&head, c.id, None, "r".into()));
    assert!(matches!(result, Err(ActionError::Forbidden(_))));
}
