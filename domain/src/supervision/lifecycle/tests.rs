#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{TimeDelta, TimeZone};

use super::*;
use crate::supervision::model::{ExtensionDecision, SupervisionOrder};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    To(OrderStatus),
    Same,
    Wrong,
}
use Expect::{Same, To, Wrong};
use OrderStatus as S;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).single().unwrap()
}

fn ctx() -> OrderContext {
    OrderContext {
        actor: UserId::from_uuid(Uuid::from_u128(7)),
        now: t0() + TimeDelta::hours(1),
    }
}

fn deadline(days: i64) -> Deadline {
    Deadline {
        due_at: t0() + TimeDelta::days(days),
        provisional: false,
    }
}

fn new_order() -> NewOrder {
    NewOrder {
        id: Uuid::from_u128(1),
        complaint_id: ComplaintId::from_uuid(Uuid::from_u128(2)),
        round: 1,
        unit_id: UnitId::from_uuid(Uuid::from_u128(3)),
        opinion: "look into it".into(),
        sign_for_days: 1,
        sign: deadline(1),
        reply_working_days: 10,
        explicit_reply_due_at: None,
        reply: deadline(14),
    }
}

/// An order in `status`, signed for unless still issued.
fn order_in(status: OrderStatus) -> SupervisionOrder {
    let by = ctx().actor;
    let mut order = apply(
        None,
        &OrderEvent::Issued {
            by,
            at: t0(),
            order: new_order(),
        },
    )
    .unwrap();
    order.status = status;
    if status != S::Issued {
        order.signed = Some((t0(), by));
    }
    order
}

fn pending_request() -> ExtensionRequest {
    ExtensionRequest {
        id: Uuid::from_u128(5),
        order_id: Uuid::from_u128(1),
        working_days: 3,
        reason: "more time".into(),
        requested_at: t0(),
        requested_by: ctx().actor,
        decision: None,
        decision_reason: None,
        decided_at: None,
        decided_by: None,
        new_due_at: None,
    }
}

fn extension(days: u32, deadline_passed: bool, again: bool) -> OrderAction {
    OrderAction::RequestExtension {
        request_id: Uuid::from_u128(5),
        working_days: days,
        reason: "more time".into(),
        max_working_days: 5,
        deadline_passed,
        already_requested_this_round: again,
    }
}

fn actions() -> Vec<OrderAction> {
    vec![
        OrderAction::Issue(new_order()),
        OrderAction::Sign { on_time: true },
        OrderAction::Return {
            reason: "not ours".into(),
            basis: "the statute".into(),
            within_return_window: true,
        },
        OrderAction::RuleOnReturn {
            reason: "it is yours".into(),
            reroute_to: None,
        },
        extension(3, false, false),
        OrderAction::DecideExtension {
            request: pending_request(),
            reason: "fine".into(),
            answer: ExtensionAnswer::Refuse,
        },
        OrderAction::Reply {
            result: "done".into(),
            rectification: "retrained".into(),
            answer_method: AnswerMethod::Phone,
            answered_at: t0(),
            on_time: true,
        },
        OrderAction::Review {
            accepted: true,
            reasons: None,
            next_order_id: None,
        },
        OrderAction::Remind {
            note: "hurry".into(),
            overdue: false,
        },
    ]
}

#[rustfmt::skip]
const TABLE: [(Option<OrderStatus>, [Expect; 9]); 8] = [
    //                issue           sign            return           rule            ext   decide reply            review           remind
    (None,            [To(S::Issued), Wrong,          Wrong,           Wrong,          Wrong, Wrong, Wrong,          Wrong,           Wrong]),
    (Some(S::Issued),    [Wrong,      To(S::Signed),  To(S::Returned), Wrong,          Same, Same,  Wrong,           Wrong,           Same]),
    (Some(S::Signed),    [Wrong,      Wrong,          To(S::Returned), Wrong,          Same, Same,  To(S::Replied),  Wrong,           Same]),
    (Some(S::Returned),  [Wrong,      Wrong,          Wrong,           To(S::Signed),  Wrong, Wrong, Wrong,          Wrong,           Wrong]),
    (Some(S::Replied),   [Wrong,      Wrong,          Wrong,           Wrong,          Wrong, Wrong, Wrong,          To(S::Accepted), Wrong]),
    (Some(S::Accepted),  [Wrong,      Wrong,          Wrong,           Wrong,          Wrong, Wrong, Wrong,          Wrong,           Wrong]),
    (Some(S::Rejected),  [Wrong,      Wrong,          Wrong,           Wrong,          Wrong, Wrong, Wrong,          Wrong,           Wrong]),
    (Some(S::Cancelled), [Wrong,      Wrong,          Wrong,           Wrong,          Wrong, Wrong, Wrong,          Wrong,           Wrong]),
];

/// `decide` then `apply`, as the service does: the status reached, or how it was refused.
fn outcome(status: Option<OrderStatus>, action: &OrderAction) -> Expect {
    let order = status.map(order_in);
    match decide(order.as_ref(), action, &ctx()) {
        Ok(events) => {
            let after = events
                .iter()
                .try_fold(order, |o, e| apply(o, e).map(Some))
                .unwrap()
                .unwrap();
            if Some(after.status) == status {
                Same
            } else {
                To(after.status)
            }
        }
        Err(OrderRefused::WrongState { .. }) => Wrong,
        Err(OrderRefused::Rule(rule)) if status.is_none() => {
            assert_eq!(rule.key(), "order_not_found");
            Wrong
        }
        Err(OrderRefused::Rule(rule)) => panic!("{status:?} × {}: rule {rule}", action.name()),
    }
}

#[test]
fn every_status_and_action_pair_is_allowed_or_refused_as_the_table_says() {
    for (status, row) in TABLE {
        for (action, expected) in actions().iter().zip(row) {
            assert_eq!(
                outcome(status, action),
                expected,
                "{status:?} × {}",
                action.name()
            );
            // `permitted` is the status part of `decide`.
            assert_eq!(
                permitted(status, action.kind()).is_ok(),
                expected != Wrong,
                "{status:?} × {}",
                action.name()
            );
        }
    }
}

fn refused_by(status: OrderStatus, action: &OrderAction) -> String {
    match decide(Some(&order_in(status)), action, &ctx()) {
        Err(OrderRefused::Rule(rule)) => rule.key().to_owned(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn rules_refuse_late_returns_and_extensions() {
    let late_return = OrderAction::Return {
        reason: "not ours".into(),
        basis: "the statute".into(),
        within_return_window: false,
    };
    assert_eq!(
        refused_by(S::Signed, &late_return),
        "rule_return_window_passed"
    );
    assert_eq!(outcome(Some(S::Signed), &extension(5, false, false)), Same);
    for days in [0, 6] {
        assert_eq!(
            refused_by(S::Signed, &extension(days, false, false)),
            "rule_extension_length"
        );
    }
    assert_eq!(
        refused_by(S::Signed, &extension(2, true, false)),
        "rule_extension_before_deadline"
    );
    // Once per round is checked first.
    assert_eq!(
        refused_by(S::Signed, &extension(9, true, true)),
        "rule_extension_once_per_round"
    );
    let decided = OrderAction::DecideExtension {
        request: ExtensionRequest {
            decision: Some(ExtensionDecision::Refused),
            ..pending_request()
        },
        reason: "again".into(),
        answer: ExtensionAnswer::Refuse,
    };
    assert_eq!(refused_by(S::Signed, &decided), "rule_extension_decided");
}

#[test]
fn rulings_on_a_return() {
    let rule = |reroute_to| OrderAction::RuleOnReturn {
        reason: "because".into(),
        reroute_to,
    };
    assert_eq!(
        outcome(Some(S::Returned), &rule(Some(Uuid::from_u128(9)))),
        To(S::Cancelled)
    );
    let mut unsigned = order_in(S::Returned);
    unsigned.signed = None;
    let events = decide(Some(&unsigned), &rule(None), &ctx()).unwrap();
    assert_eq!(apply(Some(unsigned), &events[0]).unwrap().status, S::Issued);
    let reject = OrderAction::Review {
        accepted: false,
        reasons: Some("not enough".into()),
        next_order_id: Some(Uuid::from_u128(9)),
    };
    assert_eq!(outcome(Some(S::Replied), &reject), To(S::Rejected));
}

#[test]
fn a_ruling_records_itself_on_the_return() {
    let mut order = order_in(S::Signed);
    for action in [
        OrderAction::Return {
            reason: "not ours".into(),
            basis: "the statute".into(),
            within_return_window: true,
        },
        OrderAction::RuleOnReturn {
            reason: "elsewhere".into(),
            reroute_to: Some(Uuid::from_u128(9)),
        },
    ] {
        let events = decide(Some(&order), &action, &ctx()).unwrap();
        order = apply(Some(order), &events[0]).unwrap();
    }
    let returned = order.returned.unwrap();
    assert_eq!(returned.reason, "not ours");
    assert_eq!(returned.ruling, Some(ReturnRuling::Rerouted));
    assert_eq!(returned.ruling_reason.as_deref(), Some("elsewhere"));
    assert_eq!(returned.rerouted_to, Some(Uuid::from_u128(9)));
}

#[test]
fn a_grant_moves_the_deadline_and_opens_a_complainant_notice() {
    let order = order_in(S::Signed);
    let grant = OrderAction::DecideExtension {
        request: pending_request(),
        reason: "fine".into(),
        answer: ExtensionAnswer::Grant {
            moved: deadline(20),
            notice_due_at: deadline(2).due_at,
        },
    };
    let events = decide(Some(&order), &grant, &ctx()).unwrap();
    let OrderEvent::ExtensionDecided { request, .. } = &events[0] else {
        panic!("{events:?}");
    };
    assert_eq!(request.decision, Some(ExtensionDecision::Granted));
    assert_eq!(request.new_due_at, Some(deadline(20).due_at));
    assert_eq!(request.decided_at, Some(ctx().now));
    let after = apply(Some(order), &events[0]).unwrap();
    assert!(after.complainant_to_be_told_new_date);
    let notice = after.complainant_notice.clone().unwrap();
    assert_eq!(notice.due_at, deadline(2).due_at);
    assert!(notice.is_open());

    let told = ComplainantTold {
        method: AnswerMethod::Sms,
        at: ctx().now,
        by: None,
    };
    let events = tell_complainant(&after, told.clone()).unwrap();
    let closed = apply(Some(after), &events[0]).unwrap();
    assert_eq!(closed.complainant_notice.unwrap().told, Some(told.clone()));
    let untold = order_in(S::Signed);
    assert!(matches!(
        tell_complainant(&untold, told),
        Err(OrderRefused::Rule(rule)) if rule.key() == "rule_no_complainant_notice_open"
    ));
}

#[test]
fn apply_refuses_events_that_cannot_follow() {
    let signed = Ev::Signed {
        by: ctx().actor,
        at: t0(),
        on_time: true,
    };
    assert_eq!(
        apply(None, &signed),
        Err(ApplyError {
            status: None,
            event: "order_signed"
        })
    );
    assert_eq!(
        apply(Some(order_in(S::Replied)), &signed),
        Err(ApplyError {
            status: Some(S::Replied),
            event: "order_signed"
        })
    );
}

use OrderEvent as Ev;
