//! Extensions, rulings on returns, reviews, reminders and complainant notices.

use super::*;

fn ask(f: &Fixture, id: uuid::Uuid, days: u32) -> Result<OrderDetail, OrderError> {
    run(f
        .service
        .request_extension(&head(f.a), id, days, "the file is at the archive".into()))
}

#[test]
fn an_extension_is_asked_for_once_per_round_before_the_deadline_within_the_maximum() {
    let f = fixture();
    let id = f.signed().order.id;
    assert_eq!(rule(ask(&f, id, 0)), "rule_extension_length");
    assert_eq!(rule(ask(&f, id, 6)), "rule_extension_length");
    let asked = ask(&f, id, 5).unwrap();
    assert_eq!(
        asked.order.version, 3,
        "a request is a new version of the order"
    );
    assert_eq!(asked.extension_requests.len(), 1);
    assert_eq!(asked.extension_requests[0].decision, None);
    assert_eq!(rule(ask(&f, id, 2)), "rule_extension_once_per_round");

    let f = fixture();
    let detail = f.signed();
    f.set_now(reply_limit(&detail).due_at);
    assert_eq!(
        rule(ask(&f, detail.order.id, 2)),
        "rule_extension_before_deadline"
    );
}

#[test]
fn a_re_routed_order_shares_its_round_s_one_extension() {
    let f = fixture();
    let id = f.issue().order.id;
    ask(&f, id, 2).unwrap();
    run(f
        .service
        .return_order(&head(f.a), id, None, "not ours".into(), "statute".into()))
    .unwrap();
    let reroute = RulingCommand::Reroute {
        unit_id: f.b,
        opinion: None,
        reason: "the other bureau".into(),
    };
    run(f.service.rule_on_return(&intake(), id, None, reroute)).unwrap();
    let next = run(f.service.for_complaint(&intake(), f.complaint_id)).unwrap();
    let next = next.iter().find(|d| d.order.unit_id == f.b).unwrap();
    let asked = run(f
        .service
        .request_extension(&head(f.b), next.order.id, 2, "busy".into()));
    assert_eq!(rule(asked), "rule_extension_once_per_round");
}

#[test]
fn a_grant_moves_the_reply_deadline_and_owes_the_complainant_the_new_date() {
    let f = fixture();
    let detail = f.signed();
    let id = detail.order.id;
    let before = reply_limit(&detail).due_at;
    let request = ask(&f, id, 3).unwrap().extension_requests[0].id;
    let decide = |granted| {
        run(f
            .service
            .decide_extension(&intake(), id, request, granted, "fair".into()))
    };
    let unknown =
        run(f
            .service
            .decide_extension(&intake(), id, uuid::Uuid::now_v7(), true, "fair".into()));
    assert!(matches!(unknown, Err(OrderError::NotFound)));
    let granted = decide(true).unwrap();
    let moved = working_days(before - Duration::seconds(1), 3);
    assert_eq!(reply_limit(&granted).due_at, moved);
    assert_eq!(reply_limit(&granted).extension_days, 3);
    let decided = &granted.extension_requests[0];
    assert_eq!(decided.decision, Some(ExtensionDecision::Granted));
    assert_eq!(decided.new_due_at, Some(moved));
    assert!(granted.order.complainant_to_be_told_new_date);
    let notice = granted.order.complainant_notice.clone().unwrap();
    assert_eq!(notice.due_at, working_days(at(ISSUED), 1));
    assert!(notice.is_open());
    assert_eq!(rule(decide(false)), "rule_extension_decided");

    // The system's notice for another due date changes nothing; intake's record closes it.
    let stale = run(f.service.record_complainant_notice_sent(
        id,
        AnswerMethod::Sms,
        notice.due_at + Duration::days(1),
        at(ISSUED),
    ));
    assert!(stale.unwrap().is_none());
    let future = run(f.service.record_complainant_notice(
        &intake(),
        id,
        AnswerMethod::Phone,
        at(ISSUED) + Duration::hours(1),
    ));
    assert_eq!(invalid_field(future), "told_at");
    let told =
        run(f
            .service
            .record_complainant_notice(&intake(), id, AnswerMethod::Phone, at(ISSUED)))
        .unwrap();
    let told = told.order.complainant_notice.unwrap().told.unwrap();
    assert_eq!((told.method, told.at), (AnswerMethod::Phone, at(ISSUED)));
    let again =
        run(f
            .service
            .record_complainant_notice(&intake(), id, AnswerMethod::Phone, at(ISSUED)));
    assert_eq!(rule(again), "rule_no_complainant_notice_open");
}

#[test]
fn a_refusal_leaves_the_deadline_and_the_complainant_alone() {
    let f = fixture();
    let detail = f.signed();
    let id = detail.order.id;
    let request = ask(&f, id, 3).unwrap().extension_requests[0].id;
    let refused = run(f
        .service
        .decide_extension(&intake(), id, request, false, "no".into()))
    .unwrap();
    assert_eq!(reply_limit(&refused).due_at, reply_limit(&detail).due_at);
    assert_eq!(
        refused.extension_requests[0].decision,
        Some(ExtensionDecision::Refused)
    );
    assert_eq!(refused.order.complainant_notice, None);
    assert!(matches!(
        f.last_event(),
        ComplaintEvent::ExtensionDecided {
            granted: false,
            new_reply_due_at: None,
            ..
        }
    ));
}

fn reply(f: &Fixture, id: uuid::Uuid) -> Result<OrderDetail, OrderError> {
    let command = ReplyCommand {
        result: "the clerk apologised".into(),
        rectification: "counter training".into(),
        answer_method: AnswerMethod::Phone,
        answered_at: at(ISSUED),
    };
    run(f.service.reply(&head(f.a), id, None, command))
}

fn review(accepted: bool, reasons: Option<&str>, next_opinion: Option<&str>) -> ReviewCommand {
    ReviewCommand {
        accepted,
        reasons: reasons.map(Into::into),
        next_opinion: next_opinion.map(Into::into),
        next_reply_working_days: Some(5),
    }
}

#[test]
fn a_rejected_reply_issues_round_two_to_the_same_unit() {
    let f = fixture();
    let id = f.signed().order.id;
    // Refused by status before the review is read.
    let early = run(f
        .service
        .review(&intake(), id, None, review(false, None, None)));
    assert_eq!(wrong_state(early), OrderStatus::Signed);
    let replied = reply(&f, id).unwrap();
    assert_eq!(replied.order.status, OrderStatus::Replied);
    assert_eq!(reply_limit(&replied).met_on_time, Some(true));
    let no_reasons = run(f
        .service
        .review(&intake(), id, None, review(false, None, Some("again"))));
    assert_eq!(invalid_field(no_reasons), "reasons");
    let no_opinion = run(f
        .service
        .review(&intake(), id, None, review(false, Some("thin"), None)));
    assert_eq!(invalid_field(no_opinion), "next_opinion");

    let rejected = run(f.service.review(
        &intake(),
        id,
        None,
        review(false, Some("thin"), Some("name the clerk")),
    ))
    .unwrap();
    assert_eq!(rejected.order.status, OrderStatus::Rejected);
    let events = f.events();
    let [
        ..,
        ComplaintEvent::ReplyReviewed {
            next_order_id: Some(next),
            ..
        },
        ComplaintEvent::OrderIssued {
            order_id, round: 2, ..
        },
    ] = events.as_slice()
    else {
        panic!("{events:?}");
    };
    assert_eq!(next, order_id);
    let next = f.order(*next);
    assert_eq!(
        (
            next.status,
            next.round,
            next.unit_id,
            next.reply_working_days
        ),
        (OrderStatus::Issued, 2, f.a, 5)
    );
    assert_eq!(next.opinion, "name the clerk");

    run(f.service.sign(&handler(f.a), next.id, None)).unwrap();
    reply(&f, next.id).unwrap();
    let accepted = run(f
        .service
        .review(&intake(), next.id, None, review(true, None, None)))
    .unwrap();
    assert_eq!(accepted.order.status, OrderStatus::Accepted);
    assert_eq!(f.service.orders.with(|s| s.orders.len()), 2);
}

#[test]
fn a_ruling_re_routes_to_another_unit_in_the_same_round_or_lets_the_order_stand() {
    let f = fixture();
    let id = f.signed().order.id;
    let ret = || {
        run(f
            .service
            .return_order(&head(f.a), id, None, "not ours".into(), "statute".into()))
    };
    ret().unwrap();
    let refuse = RulingCommand::Refuse {
        reason: "it is yours".into(),
    };
    let stands = run(f.service.rule_on_return(&intake(), id, None, refuse)).unwrap();
    assert_eq!(stands.order.status, OrderStatus::Signed, "signed before");
    ret().unwrap();
    let same = RulingCommand::Reroute {
        unit_id: f.a,
        opinion: None,
        reason: "x".into(),
    };
    let same = run(f.service.rule_on_return(&intake(), id, None, same));
    assert_eq!(invalid_field(same), "unit_id");
    let reroute = RulingCommand::Reroute {
        unit_id: f.b,
        opinion: None,
        reason: "the other bureau".into(),
    };
    let cancelled = run(f.service.rule_on_return(&intake(), id, None, reroute)).unwrap();
    assert_eq!(cancelled.order.status, OrderStatus::Cancelled);
    assert!(cancelled.limits.iter().all(|l| l.stopped_at.is_some()));
    let returned = cancelled.order.returned.clone().unwrap();
    let next = f.order(returned.rerouted_to.unwrap());
    assert_eq!(
        (next.round, next.unit_id, next.status),
        (1, f.b, OrderStatus::Issued)
    );
    assert_eq!(next.opinion, cancelled.order.opinion);
    let ruled_again = run(f.service.rule_on_return(
        &intake(),
        id,
        None,
        RulingCommand::Refuse { reason: "".into() },
    ));
    assert_eq!(wrong_state(ruled_again), OrderStatus::Cancelled);
}

#[test]
fn a_reminder_is_recorded_without_a_new_version() {
    let f = fixture();
    let id = f.issue().order.id;
    f.set_now(working_days(at(ISSUED), 1));
    let reminded = run(f.service.remind(&intake(), id, "sign for it")).unwrap();
    assert_eq!(reminded.order.version, 1);
    assert!(reminded.limits.iter().all(|l| l.reminded_at.is_some()));
    assert!(matches!(
        f.last_event(),
        ComplaintEvent::OrderReminded { overdue: true, .. }
    ));
    let signed = run(f.service.sign(&handler(f.a), id, Some(1))).unwrap();
    reply(&f, signed.order.id).unwrap();
    let nothing_owed = run(f.service.remind(&intake(), id, "again"));
    assert_eq!(wrong_state(nothing_owed), OrderStatus::Replied);
}
