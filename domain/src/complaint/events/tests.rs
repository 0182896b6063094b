//! The stored form of every event kind, pinned: history already stored must stay readable,
//! so renaming a variant or a field, or changing how a value is written, fails here first.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::ComplaintEvent;
use crate::calendar::WarningLevel;
use crate::complaint::model::ComplainantAnswer;
use crate::complaint::{
    AnswerMethod, Channel, ComplaintType, FeedbackDisposition, Finding, Satisfaction,
    ScreeningOutcome,
};
use crate::ids::UnitId;

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap_or_else(|e| panic!("bad instant {text}: {e}"))
        .with_timezone(&Utc)
}

fn id(n: u128) -> Uuid {
    Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0000 + n)
}

/// One example of each event kind, and both forms of `closed`, with their stored JSON.
fn examples() -> Vec<(ComplaintEvent, &'static str)> {
    vec![
        (
            ComplaintEvent::Registered {
                number: "TS-2026-000001".into(),
                channel: Channel::WalkIn,
            },
            r#"{"kind":"registered","number":"TS-2026-000001","channel":"walk_in"}"#,
        ),
        (
            ComplaintEvent::Screened {
                outcome: ScreeningOutcome::OutOfScope,
                explanation: "a court matter".into(),
                referral: Some("the district court".into()),
            },
            r#"{"kind":"screened","outcome":"out_of_scope","explanation":"a court matter","referral":"the district court"}"#,
        ),
        (
            ComplaintEvent::Classified {
                complaint_type: ComplaintType::CaseFiled,
            },
            r#"{"kind":"classified","complaint_type":"case_filed"}"#,
        ),
        (
            ComplaintEvent::Reclassified {
                from: ComplaintType::OnSite,
                to: ComplaintType::Feedback,
                reason: "not settled on site".into(),
            },
            r#"{"kind":"reclassified","from":"on_site","to":"feedback","reason":"not settled on site"}"#,
        ),
        (
            ComplaintEvent::ReconciledOnSite {
                note: "apologised".into(),
            },
            r#"{"kind":"reconciled_on_site","note":"apologised"}"#,
        ),
        (
            ComplaintEvent::FeedbackDisposed {
                disposition: FeedbackDisposition::ForwardToSection,
                note: "for the traffic section".into(),
                section_id: Some(UnitId::from_uuid(id(1))),
            },
            r#"{"kind":"feedback_disposed","disposition":"forward_to_section","note":"for the traffic section","section_id":"01900000-0000-7000-8000-000000000001"}"#,
        ),
        (
            ComplaintEvent::Closed {
                outcome: "the officer was warned".into(),
                finding: Finding::Sustained,
                answer: Some(ComplainantAnswer {
                    method: AnswerMethod::Phone,
                    answered_at: Some(at("2026-03-02T01:30:00Z")),
                }),
                answer_due_at: None,
            },
            r#"{"kind":"closed","outcome":"the officer was warned","finding":"sustained","answer":{"method":"phone","answered_at":"2026-03-02T01:30:00Z"}}"#,
        ),
        (
            ComplaintEvent::Closed {
                outcome: "no fault found".into(),
                finding: Finding::Unfounded,
                answer: None,
                answer_due_at: Some(at("2026-03-03T15:59:59Z")),
            },
            r#"{"kind":"closed","outcome":"no fault found","finding":"unfounded","answer_due_at":"2026-03-03T15:59:59Z"}"#,
        ),
        (
            ComplaintEvent::ComplainantToldResult {
                answer: ComplainantAnswer {
                    method: AnswerMethod::Sms,
                    answered_at: Some(at("2026-03-03T02:00:00Z")),
                },
            },
            r#"{"kind":"complainant_told_result","answer":{"method":"sms","answered_at":"2026-03-03T02:00:00Z"}}"#,
        ),
        (
            ComplaintEvent::ReturnVisitRecorded {
                satisfaction: Satisfaction::BasicallySatisfied,
                remarks: Some("slow but fair".into()),
                visited_at: at("2026-03-05T06:00:00Z"),
            },
            r#"{"kind":"return_visit_recorded","satisfaction":"basically_satisfied","remarks":"slow but fair","visited_at":"2026-03-05T06:00:00Z"}"#,
        ),
        (
            ComplaintEvent::Reopened {
                reason: "new evidence".into(),
            },
            r#"{"kind":"reopened","reason":"new evidence"}"#,
        ),
        (
            ComplaintEvent::Linked {
                linked_complaint_id: id(2),
                linked_number: "TS-2026-000002".into(),
                reason: "same incident".into(),
            },
            r#"{"kind":"linked","linked_complaint_id":"01900000-0000-7000-8000-000000000002","linked_number":"TS-2026-000002","reason":"same incident"}"#,
        ),
        (
            ComplaintEvent::OrderIssued {
                order_id: id(3),
                round: 1,
                unit_id: id(4),
                opinion: "look into it".into(),
                sign_due_at: at("2026-03-03T15:59:59Z"),
                reply_due_at: at("2026-03-17T15:59:59Z"),
                provisional: false,
            },
            r#"{"kind":"order_issued","order_id":"01900000-0000-7000-8000-000000000003","round":1,"unit_id":"01900000-0000-7000-8000-000000000004","opinion":"look into it","sign_due_at":"2026-03-03T15:59:59Z","reply_due_at":"2026-03-17T15:59:59Z","provisional":false}"#,
        ),
        (
            ComplaintEvent::OrderSigned {
                order_id: id(3),
                on_time: true,
            },
            r#"{"kind":"order_signed","order_id":"01900000-0000-7000-8000-000000000003","on_time":true}"#,
        ),
        (
            ComplaintEvent::OrderReturned {
                order_id: id(3),
                reason: "not ours".into(),
                basis: "the unit's remit".into(),
            },
            r#"{"kind":"order_returned","order_id":"01900000-0000-7000-8000-000000000003","reason":"not ours","basis":"the unit's remit"}"#,
        ),
        (
            ComplaintEvent::ReturnRuled {
                order_id: id(3),
                ruling: "reassigned".into(),
                reason: "the other unit's remit".into(),
                new_order_id: Some(id(5)),
            },
            r#"{"kind":"return_ruled","order_id":"01900000-0000-7000-8000-000000000003","ruling":"reassigned","reason":"the other unit's remit","new_order_id":"01900000-0000-7000-8000-000000000005"}"#,
        ),
        (
            ComplaintEvent::ExtensionRequested {
                order_id: id(5),
                request_id: id(6),
                working_days: 5,
                reason: "a witness is away".into(),
            },
            r#"{"kind":"extension_requested","order_id":"01900000-0000-7000-8000-000000000005","request_id":"01900000-0000-7000-8000-000000000006","working_days":5,"reason":"a witness is away"}"#,
        ),
        (
            ComplaintEvent::ExtensionDecided {
                order_id: id(5),
                request_id: id(6),
                granted: true,
                reason: "justified".into(),
                new_reply_due_at: Some(at("2026-03-24T15:59:59Z")),
                complainant_to_be_told: true,
            },
            r#"{"kind":"extension_decided","order_id":"01900000-0000-7000-8000-000000000005","request_id":"01900000-0000-7000-8000-000000000006","granted":true,"reason":"justified","new_reply_due_at":"2026-03-24T15:59:59Z","complainant_to_be_told":true}"#,
        ),
        (
            ComplaintEvent::ComplainantToldNewDate {
                order_id: id(5),
                method: "letter".into(),
                told_at: at("2026-03-18T03:00:00Z"),
            },
            r#"{"kind":"complainant_told_new_date","order_id":"01900000-0000-7000-8000-000000000005","method":"letter","told_at":"2026-03-18T03:00:00Z"}"#,
        ),
        (
            ComplaintEvent::OrderReplied {
                order_id: id(5),
                result: "the officer was retrained".into(),
                rectification: "a new rota".into(),
                answer_method: "phone".into(),
                answered_at: at("2026-03-20T07:00:00Z"),
                on_time: true,
            },
            r#"{"kind":"order_replied","order_id":"01900000-0000-7000-8000-000000000005","result":"the officer was retrained","rectification":"a new rota","answer_method":"phone","answered_at":"2026-03-20T07:00:00Z","on_time":true}"#,
        ),
        (
            ComplaintEvent::OrderReminded {
                order_id: id(5),
                note: "please reply".into(),
                overdue: false,
            },
            r#"{"kind":"order_reminded","order_id":"01900000-0000-7000-8000-000000000005","note":"please reply","overdue":false}"#,
        ),
        (
            ComplaintEvent::ReplyReviewed {
                order_id: id(5),
                accepted: false,
                reasons: Some("no evidence attached".into()),
                next_order_id: Some(id(7)),
            },
            r#"{"kind":"reply_reviewed","order_id":"01900000-0000-7000-8000-000000000005","accepted":false,"reasons":"no evidence attached","next_order_id":"01900000-0000-7000-8000-000000000007"}"#,
        ),
        (
            ComplaintEvent::WarningLevelChanged {
                limit: "reply".into(),
                order_id: Some(id(7)),
                unit_id: Some(id(4)),
                from: WarningLevel::Blue,
                to: WarningLevel::Yellow,
                due_at: at("2026-03-31T15:59:59Z"),
            },
            r#"{"kind":"warning_level_changed","limit":"reply","order_id":"01900000-0000-7000-8000-000000000007","unit_id":"01900000-0000-7000-8000-000000000004","from":"blue","to":"yellow","due_at":"2026-03-31T15:59:59Z"}"#,
        ),
        (
            ComplaintEvent::InvestigationRecorded {
                record_id: id(8),
                record_kind: "witness_statement".into(),
            },
            r#"{"kind":"investigation_recorded","record_id":"01900000-0000-7000-8000-000000000008","record_kind":"witness_statement"}"#,
        ),
        (
            ComplaintEvent::TakenOver {
                reason: "an important case".into(),
            },
            r#"{"kind":"taken_over","reason":"an important case"}"#,
        ),
        (
            ComplaintEvent::ContactDetailsErased {
                retention_days: 1095,
            },
            r#"{"kind":"contact_details_erased","retention_days":1095}"#,
        ),
    ]
}

/// The position of the event's kind in the enum. The match is exhaustive, so a new kind does
/// not compile here until it is given a place (and an example above).
const fn position(event: &ComplaintEvent) -> usize {
    match event {
        ComplaintEvent::Registered { .. } => 0,
        ComplaintEvent::Screened { .. } => 1,
        ComplaintEvent::Classified { .. } => 2,
        ComplaintEvent::Reclassified { .. } => 3,
        ComplaintEvent::ReconciledOnSite { .. } => 4,
        ComplaintEvent::FeedbackDisposed { .. } => 5,
        ComplaintEvent::Closed { .. } => 6,
        ComplaintEvent::ComplainantToldResult { .. } => 7,
        ComplaintEvent::ReturnVisitRecorded { .. } => 8,
        ComplaintEvent::Reopened { .. } => 9,
        ComplaintEvent::Linked { .. } => 10,
        ComplaintEvent::OrderIssued { .. } => 11,
        ComplaintEvent::OrderSigned { .. } => 12,
        ComplaintEvent::OrderReturned { .. } => 13,
        ComplaintEvent::ReturnRuled { .. } => 14,
        ComplaintEvent::ExtensionRequested { .. } => 15,
        ComplaintEvent::ExtensionDecided { .. } => 16,
        ComplaintEvent::ComplainantToldNewDate { .. } => 17,
        ComplaintEvent::OrderReplied { .. } => 18,
        ComplaintEvent::OrderReminded { .. } => 19,
        ComplaintEvent::ReplyReviewed { .. } => 20,
        ComplaintEvent::WarningLevelChanged { .. } => 21,
        ComplaintEvent::InvestigationRecorded { .. } => 22,
        ComplaintEvent::TakenOver { .. } => 23,
        ComplaintEvent::ContactDetailsErased { .. } => 24,
    }
}

const KINDS: usize = 25;

#[test]
fn every_event_kind_has_an_example() {
    let mut covered = [false; KINDS];
    for (event, _) in examples() {
        covered[position(&event)] = true;
    }
    let missing: Vec<usize> = (0..KINDS).filter(|&i| !covered[i]).collect();
    assert!(missing.is_empty(), "kinds without an example: {missing:?}");
}

#[test]
fn every_event_kind_is_written_in_its_pinned_form() {
    for (event, stored) in examples() {
        let written = serde_json::to_string(&event)
            .unwrap_or_else(|e| panic!("{} does not serialise: {e}", event.kind()));
        assert_eq!(written, stored, "{} is written differently", event.kind());
    }
}

#[test]
fn every_pinned_form_reads_back_as_its_event() {
    for (event, stored) in examples() {
        let read: ComplaintEvent = serde_json::from_str(stored)
            .unwrap_or_else(|e| panic!("stored {} no longer reads: {e}", event.kind()));
        assert_eq!(read, event);
    }
}

#[test]
fn the_stored_kind_is_the_events_name() {
    for (event, stored) in examples() {
        let value: serde_json::Value = serde_json::from_str(stored)
            .unwrap_or_else(|e| panic!("stored {} is not JSON: {e}", event.kind()));
        assert_eq!(value["kind"], event.kind());
    }
}
