//! The order use cases over in-memory ports: who may act, the lifecycle's rules as the
//! service feeds them (windows, deadlines, rounds), and what each action writes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Asia::Shanghai;

use super::*;
use crate::calendar::WorkingCalendar;
use crate::clock::fixed::FixedClock;
use crate::complaint::complainant::NamedComplainant;
use crate::complaint::events::ComplaintEvent;
use crate::complaint::model::{Complaint, ComplaintState};
use crate::complaint::registration::NewComplaint;
use crate::complaint::{Channel, Complainant, ComplaintNumber, ComplaintType, Matter};
use crate::ids::{ComplaintId, UserId};
use crate::supervision::lifecycle::OrderRefused;
use crate::supervision::model::{ExtensionDecision, OrderStatus};
use crate::supervision::ports::InboxQuery;

mod fakes;
mod flows;

use fakes::{MemOrders, OneComplaint, Units, Weekdays, at, run};

type Service = OrderService<MemOrders, OneComplaint, Units, Weekdays, FixedClock>;

/// Monday 2 March 2026, 09:00 in Shanghai.
const ISSUED: &str = "2026-03-02T09:00:00+08:00";

const POLICY: OrderPolicy = OrderPolicy {
    sign_for_days: 1,
    reply_days: 10,
    return_window_days: 3,
    extension_max_days: 5,
};

/// A case-filed complaint against unit `a`, which sits under `parent`; `b` is another unit
/// and `closed` a deactivated one.
struct Fixture {
    service: Service,
    complaint_id: ComplaintId,
    parent: UnitId,
    a: UnitId,
    b: UnitId,
    closed: UnitId,
}

fn complaint(respondent: UnitId, state: ComplaintState) -> Complaint {
    Complaint {
        id: ComplaintId::generate(),
        number: ComplaintNumber::new(2026, 1).unwrap(),
        details: NewComplaint {
            channel: Channel::WalkIn,
            respondent_unit_id: respondent,
            respondent_staff_id: None,
            matter: Matter::Attitude,
            account: "the clerk was rude".into(),
            complainant: Complainant::Named(NamedComplainant {
                name: "Li Hua".into(),
                phone: None,
                email: None,
                postal_address: None,
            }),
            letter_date: None,
            receipt_number: None,
            received_at: at(ISSUED),
        },
        registered_at: at(ISSUED),
        first_handler_id: UserId::generate(),
        state,
        version: 3,
        updated_at: at(ISSUED),
    }
}

fn case_filed() -> ComplaintState {
    ComplaintState {
        status: ComplaintStatus::InHandling,
        complaint_type: Some(ComplaintType::CaseFiled),
        ..ComplaintState::registered()
    }
}

fn fixture_with(state: ComplaintState, held_by_leading_group: bool) -> Fixture {
    let (parent, a, b, closed) = (
        UnitId::generate(),
        UnitId::generate(),
        UnitId::generate(),
        UnitId::generate(),
    );
    let complaint = complaint(a, state);
    let complaint_id = complaint.id;
    let service = OrderService::new(
        MemOrders::default(),
        OneComplaint {
            complaint,
            held_by_leading_group,
        },
        Units(vec![
            (parent, None, true),
            (a, Some(parent), true),
            (b, None, true),
            (closed, None, false),
        ]),
        Weekdays,
        FixedClock::at(at(ISSUED)),
        Shanghai,
        POLICY,
    );
    Fixture {
        service,
        complaint_id,
        parent,
        a,
        b,
        closed,
    }
}

fn fixture() -> Fixture {
    fixture_with(case_filed(), false)
}

fn actor(role: Role, unit_id: Option<UnitId>) -> Actor {
    Actor {
        user_id: UserId::generate(),
        role,
        unit_id,
    }
}

fn intake() -> Actor {
    actor(Role::Intake, None)
}

fn head(unit: UnitId) -> Actor {
    actor(Role::UnitHead, Some(unit))
}

fn handler(unit: UnitId) -> Actor {
    actor(Role::UnitHandler, Some(unit))
}

fn issue_command(unit_id: UnitId) -> IssueCommand {
    IssueCommand {
        unit_id,
        opinion: "look into the clerk's conduct".into(),
        reply_working_days: None,
        reply_due_at: None,
    }
}

impl Fixture {
    fn issue(&self) -> OrderDetail {
        run(self
            .service
            .issue(&intake(), self.complaint_id, issue_command(self.a)))
        .unwrap()
    }

    fn signed(&self) -> OrderDetail {
        let order = self.issue();
        run(self.service.sign(&handler(self.a), order.order.id, None)).unwrap()
    }

    fn set_now(&self, now: DateTime<Utc>) {
        self.service.clock.set(now);
    }

    fn events(&self) -> Vec<ComplaintEvent> {
        self.service
            .orders
            .with(|s| s.events.iter().map(|(e, _)| e.clone()).collect())
    }

    fn last_event(&self) -> ComplaintEvent {
        self.events().pop().unwrap()
    }

    fn order(&self, id: uuid::Uuid) -> SupervisionOrder {
        run(self.service.orders.find(id)).unwrap().unwrap()
    }
}

fn rule<T: std::fmt::Debug>(result: Result<T, OrderError>) -> &'static str {
    match result {
        Err(OrderError::Refused(OrderRefused::Rule(rule))) => rule.key(),
        other => panic!("expected a rule refusal, got {other:?}"),
    }
}

fn invalid_field<T: std::fmt::Debug>(result: Result<T, OrderError>) -> &'static str {
    match result {
        Err(OrderError::Invalid(InvalidRegistration(problems))) => problems[0].field,
        other => panic!("expected a field problem, got {other:?}"),
    }
}

fn wrong_state<T: std::fmt::Debug>(result: Result<T, OrderError>) -> OrderStatus {
    match result {
        Err(OrderError::Refused(OrderRefused::WrongState { status, .. })) => status,
        other => panic!("expected a wrong state, got {other:?}"),
    }
}

fn reply_limit(detail: &OrderDetail) -> &LimitView {
    detail
        .limits
        .iter()
        .find(|l| l.kind == crate::limits::LimitKind::Reply)
        .unwrap()
}

/// `days` working days from `from` as the service counts them.
fn working_days(from: DateTime<Utc>, days: u32) -> DateTime<Utc> {
    WorkingCalendar::new()
        .add_working_days(from, days, Shanghai)
        .unwrap()
        .due_at
}

#[test]
fn issuing_starts_round_one_with_its_limits_and_refuses_a_second_open_order() {
    let f = fixture();
    let detail = f.issue();
    let order = &detail.order;
    assert_eq!(
        (order.status, order.round, order.version, order.unit_id),
        (OrderStatus::Issued, 1, 1, f.a)
    );
    assert_eq!(detail.limits.len(), 2);
    assert_eq!(reply_limit(&detail).due_at, working_days(at(ISSUED), 10));
    assert!(matches!(
        f.last_event(),
        ComplaintEvent::OrderIssued { round: 1, order_id, .. } if order_id == order.id
    ));
    let again = run(f
        .service
        .issue(&intake(), f.complaint_id, issue_command(f.b)));
    assert_eq!(rule(again), "rule_open_order_exists");
}

#[test]
fn issuing_checks_the_complaint_the_unit_and_the_deadline() {
    let f = fixture_with(ComplaintState::registered(), false);
    let refused = run(f
        .service
        .issue(&intake(), f.complaint_id, issue_command(f.a)));
    assert!(matches!(refused, Err(OrderError::ComplaintState(_))));

    let f = fixture();
    let closed = run(f
        .service
        .issue(&intake(), f.complaint_id, issue_command(f.closed)));
    assert_eq!(invalid_field(closed), "unit_id");
    let early = IssueCommand {
        reply_due_at: Some(at(ISSUED) + Duration::days(3)),
        ..issue_command(f.a)
    };
    let early = run(f.service.issue(&intake(), f.complaint_id, early));
    assert_eq!(invalid_field(early), "reply_due_at");
    let unknown = run(f
        .service
        .issue(&intake(), ComplaintId::generate(), issue_command(f.a)));
    assert!(matches!(unknown, Err(OrderError::NotFound)));
    assert!(f.events().is_empty());
}

#[test]
fn only_the_unit_and_the_units_above_it_see_an_order() {
    let f = fixture();
    let id = f.issue().order.id;
    let other = run(f.service.sign(&handler(f.b), id, None));
    assert!(matches!(other, Err(OrderError::NotFound)));
    assert!(matches!(
        run(f.service.get(&head(f.b), id)),
        Err(OrderError::NotFound)
    ));
    assert!(matches!(
        run(f.service.for_complaint(&head(f.b), f.complaint_id)),
        Err(OrderError::NotFound)
    ));
    assert_eq!(
        run(f.service.get(&head(f.parent), id)).unwrap().order.id,
        id
    );
    let inbox =
        |who: &Actor| run(f.service.inbox(who, InboxQuery::default())).map(|items| items.len());
    assert_eq!(inbox(&handler(f.a)).unwrap(), 1);
    assert_eq!(inbox(&handler(f.b)).unwrap(), 0);
    assert!(matches!(
        inbox(&actor(Role::Admin, None)),
        Err(OrderError::Forbidden(_))
    ));
}

#[test]
fn roles_are_refused_whatever_the_order() {
    let f = fixture();
    let id = f.issue().order.id;
    let unknown = uuid::Uuid::now_v7();
    for target in [id, unknown] {
        assert!(matches!(
            run(f.service.sign(&intake(), target, None)),
            Err(OrderError::Forbidden(_))
        ));
        assert!(matches!(
            run(f.service.remind(&head(f.a), target, "hurry")),
            Err(OrderError::Forbidden(_))
        ));
        assert!(matches!(
            run(f
                .service
                .request_extension(&handler(f.a), target, 2, "busy".into())),
            Err(OrderError::Forbidden(_))
        ));
    }
    // The leading group acts only on a case it took over.
    let lg = actor(Role::LeadingGroup, None);
    assert!(matches!(
        run(f.service.remind(&lg, id, "hurry")),
        Err(OrderError::Forbidden(_))
    ));
    let held = fixture_with(case_filed(), true);
    let issued = run(held
        .service
        .issue(&lg, held.complaint_id, issue_command(held.a)));
    assert_eq!(issued.unwrap().order.issued_by, lg.user_id);
}

#[test]
fn signing_stops_the_sign_for_limit_once_and_checks_the_version() {
    let f = fixture();
    let id = f.issue().order.id;
    let stale = run(f.service.sign(&handler(f.a), id, Some(7)));
    assert!(matches!(
        stale,
        Err(OrderError::PreconditionFailed {
            given: 7,
            current: 1
        })
    ));
    f.set_now(at(ISSUED) + Duration::hours(2));
    let signed = run(f.service.sign(&handler(f.a), id, Some(1))).unwrap();
    assert_eq!(
        (signed.order.status, signed.order.version),
        (OrderStatus::Signed, 2)
    );
    let sign_for = signed
        .limits
        .iter()
        .find(|l| l.kind == crate::limits::LimitKind::SignFor)
        .unwrap();
    assert_eq!(sign_for.met_on_time, Some(true));
    assert!(matches!(
        f.last_event(),
        ComplaintEvent::OrderSigned { on_time: true, .. }
    ));
    let again = run(f.service.sign(&handler(f.a), id, None));
    assert_eq!(wrong_state(again), OrderStatus::Signed);
}

#[test]
fn a_return_is_accepted_until_the_window_closes() {
    let window = working_days(at(ISSUED), POLICY.return_window_days);
    let ret = |f: &Fixture, id| {
        run(f.service.return_order(
            &head(f.a),
            id,
            None,
            "not ours".into(),
            "the statute".into(),
        ))
    };
    let f = fixture();
    let id = f.signed().order.id;
    f.set_now(window - Duration::seconds(1));
    let returned = ret(&f, id).unwrap();
    assert_eq!(returned.order.status, OrderStatus::Returned);
    assert_eq!(returned.order.returned.unwrap().basis, "the statute");

    let f = fixture();
    let id = f.signed().order.id;
    f.set_now(window);
    assert_eq!(rule(ret(&f, id)), "rule_return_window_passed");
    assert_eq!(f.order(id).status, OrderStatus::Signed);
}
