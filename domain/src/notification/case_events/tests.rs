use chrono::TimeZone;
use uuid::Uuid;

use super::*;
use crate::calendar::WarningLevel;
use crate::complaint::status::{FeedbackDisposition, ScreeningOutcome};

fn case(held: bool, handler: Option<UserId>) -> CaseFacts {
    CaseFacts {
        complaint_id: Uuid::from_u128(1),
        number: "TS-2026-000001".into(),
        first_handler: handler,
        held_by_leading_group: held,
        respondent_unit: UnitId::from_uuid(Uuid::from_u128(9)),
    }
}

fn due() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 4, 16, 0, 0)
        .single()
        .unwrap_or_default()
}

fn unit_heads_of(order: Uuid) -> Vec<Audience> {
    vec![Audience::OrderUnitHeads(order)]
}

fn topics_and_audiences(event: &ComplaintEvent, case: &CaseFacts) -> Vec<(Topic, Vec<Audience>)> {
    for_case_event(event, case)
        .into_iter()
        .map(|n| (n.topic, n.audience))
        .collect()
}

#[test]
fn each_step_of_the_loop_tells_the_side_that_acts_next() {
    let order = Uuid::from_u128(5);
    let next = Uuid::from_u128(6);
    let handler = UserId::from_uuid(Uuid::from_u128(2));
    let owned = case(false, Some(handler));
    let held = case(true, Some(handler));
    let unit_staff = vec![Audience::OrderUnitStaff(order)];
    let unit_heads = vec![Audience::OrderUnitHeads(order)];
    let rows: Vec<(ComplaintEvent, Topic, Vec<Audience>, Vec<Audience>)> = vec![
        (
            ComplaintEvent::OrderIssued {
                order_id: order,
                round: 2,
                unit_id: Uuid::from_u128(9),
                opinion: "verify".into(),
                sign_due_at: due(),
                reply_due_at: due(),
                provisional: false,
            },
            Topic::OrderIssued,
            unit_staff.clone(),
            unit_staff.clone(),
        ),
        (
            ComplaintEvent::OrderSigned {
                order_id: order,
                on_time: true,
            },
            Topic::OrderSigned,
            vec![Audience::Person(handler)],
            vec![Audience::LeadingGroup],
        ),
        (
            ComplaintEvent::OrderReturned {
                order_id: order,
                reason: "not ours".into(),
                basis: "rule 3".into(),
            },
            Topic::OrderReturned,
            vec![Audience::Person(handler)],
            vec![Audience::LeadingGroup],
        ),
        (
            ComplaintEvent::ReturnRuled {
                order_id: order,
                ruling: "rerouted".into(),
                reason: "theirs".into(),
                new_order_id: Some(next),
            },
            Topic::OrderReturnRuled,
            vec![
                Audience::OrderUnitStaff(order),
                Audience::OrderUnitStaff(next),
            ],
            vec![
                Audience::OrderUnitStaff(order),
                Audience::OrderUnitStaff(next),
            ],
        ),
        (
            ComplaintEvent::ExtensionRequested {
                order_id: order,
                request_id: next,
                working_days: 2,
                reason: "archive".into(),
            },
            Topic::OrderExtensionRequested,
            vec![Audience::Person(handler)],
            vec![Audience::LeadingGroup],
        ),
        (
            ComplaintEvent::ExtensionDecided {
                order_id: order,
                request_id: next,
                granted: false,
                reason: "not needed".into(),
                new_reply_due_at: None,
                complainant_to_be_told: false,
            },
            Topic::OrderExtensionDecided,
            unit_heads.clone(),
            unit_heads.clone(),
        ),
        (
            ComplaintEvent::ExtensionDecided {
                order_id: order,
                request_id: next,
                granted: false,
                reason: "no".into(),
                new_reply_due_at: None,
                complainant_to_be_told: false,
            },
            Topic::OrderExtensionDecided,
            unit_heads.clone(),
            unit_heads.clone(),
        ),
        (
            ComplaintEvent::OrderReplied {
                order_id: order,
                result: "done".into(),
                rectification: "posted".into(),
                answer_method: "phone".into(),
                answered_at: due(),
                on_time: true,
            },
            Topic::OrderReplied,
            vec![Audience::Person(handler)],
            vec![Audience::LeadingGroup],
        ),
        (
            ComplaintEvent::ReplyReviewed {
                order_id: order,
                accepted: false,
                reasons: Some("short".into()),
                next_order_id: Some(next),
            },
            Topic::OrderReplyReviewed,
            unit_heads.clone(),
            unit_heads,
        ),
        (
            ComplaintEvent::WarningLevelChanged {
                limit: "screening".into(),
                order_id: None,
                unit_id: None,
                from: WarningLevel::None,
                to: WarningLevel::Blue,
                due_at: due(),
            },
            Topic::WarningLevelChanged,
            vec![Audience::Person(handler)],
            vec![Audience::LeadingGroup],
        ),
    ];
    let granted = ComplaintEvent::ExtensionDecided {
        order_id: order,
        request_id: next,
        granted: true,
        reason: "fair".into(),
        new_reply_due_at: Some(due()),
        complainant_to_be_told: true,
    };
    assert_eq!(
        topics_and_audiences(&granted, &owned),
        vec![
            (Topic::OrderExtensionDecided, unit_heads_of(order)),
            (Topic::ComplainantNoticeDue, vec![Audience::Person(handler)]),
        ],
        "a grant also tells the case owner to tell the complainant"
    );
    for (event, topic, to_owner, to_holder) in rows {
        assert_eq!(
            topics_and_audiences(&event, &owned),
            vec![(topic, to_owner)],
            "{event:?}"
        );
        assert_eq!(
            topics_and_audiences(&event, &held),
            vec![(topic, to_holder)],
            "{event:?} on a case the leading group holds"
        );
    }
}

#[test]
fn intake_decisions_tell_the_unit_named_or_the_section_forwarded_to() {
    let section = UnitId::from_uuid(Uuid::from_u128(7));
    let handler = UserId::from_uuid(Uuid::from_u128(2));
    let c = case(false, Some(handler));
    let withdrawn = ComplaintEvent::Screened {
        outcome: ScreeningOutcome::Withdrawn,
        explanation: "withdrew".into(),
        referral: None,
    };
    assert_eq!(
        topics_and_audiences(&withdrawn, &c),
        vec![(
            Topic::ComplaintWithdrawn,
            vec![Audience::UnitStaff(c.respondent_unit)]
        )]
    );
    let accepted = ComplaintEvent::Screened {
        outcome: ScreeningOutcome::Accepted,
        explanation: "in scope".into(),
        referral: None,
    };
    assert_eq!(topics_and_audiences(&accepted, &c), vec![]);
    let forwarded = ComplaintEvent::FeedbackDisposed {
        disposition: FeedbackDisposition::ForwardToSection,
        note: "for the section".into(),
        section_id: Some(section),
    };
    assert_eq!(
        topics_and_audiences(&forwarded, &c),
        vec![(Topic::FeedbackForwarded, vec![Audience::UnitStaff(section)])]
    );
    let taken = ComplaintEvent::TakenOver {
        reason: "serious".into(),
    };
    assert_eq!(
        topics_and_audiences(&taken, &c),
        vec![(Topic::ComplaintTakenOver, vec![Audience::Person(handler)])]
    );
    let web = ComplaintEvent::Registered {
        number: c.number.clone(),
        channel: Channel::Web,
    };
    assert_eq!(
        topics_and_audiences(&web, &case(false, None)),
        vec![(Topic::ComplaintFiledOnWeb, vec![Audience::Intake])]
    );
    let phone = ComplaintEvent::Registered {
        number: c.number.clone(),
        channel: Channel::Phone,
    };
    assert_eq!(topics_and_audiences(&phone, &c), vec![]);
}

#[test]
fn notices_carry_the_number_and_deadlines_and_nothing_personal() {
    let order = Uuid::from_u128(5);
    let c = case(false, None);
    let issued = ComplaintEvent::OrderIssued {
        order_id: order,
        round: 1,
        unit_id: Uuid::from_u128(9),
        opinion: "the complainant Li Hua says".into(),
        sign_due_at: due(),
        reply_due_at: due(),
        provisional: false,
    };
    let notices = for_case_event(&issued, &c);
    assert_eq!(notices.len(), 1);
    assert_eq!(notices[0].subject, Subject::Order(order));
    assert_eq!(
        notices[0].facts,
        vec![
            ("number", "TS-2026-000001".to_owned()),
            ("round", "1".to_owned()),
            ("reply_due_at", "2026-03-04T16:00:00Z".to_owned()),
        ]
    );
}
