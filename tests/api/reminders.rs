//! Reminders (催办) on supervision orders: recorded on the running limits and in the history,
//! told to the unit, red at once only when sent after the deadline, refused once the unit owes
//! nothing, and only intake (or the leading group on a case it holds) sends them.

use chrono::{Duration, Utc};
use duban_infra::DatabaseConnection;
use duban_infra::notifications::outbox_entries;
use duban_infra::orders::REMINDER_TOPIC;
use duban_infra::warnings::limit_warnings;
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::warnings::Office;

/// A case filed against the office's unit with round 1 issued to it; (complaint, order).
async fn issued(office: &Office) -> (Uuid, String) {
    let complaint = office.complaint("the permit took three months").await;
    for (action, body) in [
        (
            "screening",
            json!({"outcome": "accepted", "explanation": "in scope"}),
        ),
        ("classification", json!({"type": "case_filed"})),
    ] {
        let reply = office
            .app
            .post(
                &format!("/api/v1/complaints/{complaint}/{action}"),
                &office.intake,
                body,
            )
            .await;
        assert_eq!(reply.status, 200, "{action}: {:#}", reply.body);
    }
    let reply = office
        .app
        .post(
            &format!("/api/v1/complaints/{complaint}/supervision-orders"),
            &office.intake,
            json!({"unit_id": office.unit, "opinion": "Decide on the permit this week."}),
        )
        .await;
    assert_eq!(reply.status, 201, "{:#}", reply.body);
    let order = reply.body["id"].as_str().unwrap_or_default().to_owned();
    (complaint, order)
}

async fn remind(office: &Office, token: &str, order: &str, note: &str) -> duban_tests::Reply {
    office
        .app
        .post(
            &format!("/api/v1/supervision-orders/{order}/reminders"),
            token,
            json!({"note": note}),
        )
        .await
}

async fn set_reply_due(db: &DatabaseConnection, order: &str, due: chrono::DateTime<Utc>) {
    let order = Uuid::parse_str(order).unwrap_or_else(|e| panic!("{e}"));
    let stmt = Query::update()
        .table(Alias::new("time_limits"))
        .value(Alias::new("due_at"), due)
        .and_where(Expr::col(Alias::new("order_id")).eq(order))
        .and_where(Expr::col(Alias::new("kind")).eq("reply"))
        .to_owned();
    let done = db.execute(&stmt).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(done.rows_affected(), 1);
}

async fn reply_level(office: &Office, complaint: Uuid) -> String {
    limit_warnings(&office.db, complaint)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .find(|l| l.kind == "reply")
        .map(|l| l.level.as_str().to_owned())
        .unwrap_or_else(|| panic!("no reply limit"))
}

async fn reminder_events(office: &Office, complaint: Uuid) -> Vec<Value> {
    office.events_of_kind(complaint, "order_reminded").await
}

#[tokio::test]
async fn a_reminder_is_recorded_on_the_limits_and_in_the_history_and_told_to_the_unit() {
    let office = Office::open().await;
    let (complaint, order) = issued(&office).await;

    let reply = remind(&office, &office.intake, &order, "Please sign for it today.").await;
    assert_eq!(reply.status, 200, "{:#}", reply.body);
    assert_eq!(
        reply.etag(),
        "\"1\"",
        "a reminder leaves the order's version"
    );
    let reminded_at = reply.body["last_reminded_at"].clone();
    assert!(reminded_at.is_string(), "{:#}", reply.body);
    let case = office
        .app
        .get(&format!("/api/v1/complaints/{complaint}"), &office.intake)
        .await;
    let limits: Vec<Value> = case.body["time_limits"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|l| l["order_id"] == order.as_str())
        .collect();
    assert_eq!(limits.len(), 2, "{:#}", case.body);
    for limit in &limits {
        assert_eq!(limit["reminded_at"], reminded_at, "{limit:#}");
    }

    let events = reminder_events(&office, complaint).await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["reason"], "Please sign for it today.");
    assert_eq!(events[0]["data"]["overdue"], false);
    assert_eq!(events[0]["data"]["order_id"], order.as_str());

    // Before anyone signed: the active head and both handlers; not the deactivated head.
    let told: Vec<Value> = outbox_entries(&office.db, Some(REMINDER_TOPIC))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .iter()
        .map(|m| serde_json::from_str(&m.payload).unwrap_or_else(|e| panic!("{e}")))
        .collect();
    let mut recipients: Vec<(String, String)> = told
        .iter()
        .map(|m| {
            (
                m["recipient_id"].as_str().unwrap_or_default().to_owned(),
                m["recipient_role"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    recipients.sort();
    let mut expected = vec![
        (office.head.to_string(), "unit_head".to_owned()),
        (office.handlers[0].to_string(), "handler".to_owned()),
        (office.handlers[1].to_string(), "handler".to_owned()),
    ];
    expected.sort();
    assert_eq!(recipients, expected);
    for m in &told {
        assert_eq!(m["order_id"], order.as_str());
        assert_eq!(m["note"], "Please sign for it today.");
        assert_eq!(m["limit"], "sign_for");
    }
}

#[tokio::test]
async fn only_a_reminder_after_the_deadline_turns_an_overdue_limit_red() {
    let office = Office::open().await;
    let (complaint, order) = issued(&office).await;

    // Reminded before the deadline; the deadline then passes by two hours: yellow, not red.
    let early = remind(&office, &office.intake, &order, "Reply in time, please.").await;
    assert_eq!(early.status, 200, "{:#}", early.body);
    let deadline = Utc::now() + Duration::minutes(1);
    set_reply_due(&office.db, &order, deadline).await;
    let two_hours_late = (deadline + Duration::hours(2)).to_rfc3339();
    office.sweep(&two_hours_late).await;
    assert_eq!(reply_level(&office, complaint).await, "yellow");

    // Reminded once the deadline has passed: red at the sweeper's next pass, although five
    // working days have not gone by.
    set_reply_due(&office.db, &order, Utc::now() - Duration::hours(1)).await;
    let late = remind(&office, &office.intake, &order, "Overdue: reply today.").await;
    assert_eq!(late.status, 200, "{:#}", late.body);
    office
        .sweep(&(Utc::now() + Duration::seconds(1)).to_rfc3339())
        .await;
    assert_eq!(reply_level(&office, complaint).await, "red");

    let events = reminder_events(&office, complaint).await;
    let overdue: Vec<&Value> = events.iter().map(|e| &e["data"]["overdue"]).collect();
    assert_eq!(overdue, vec![&json!(false), &json!(true)]);
}

#[tokio::test]
async fn reminders_go_only_to_orders_the_unit_still_owes_and_only_from_intake() {
    let office = Office::open().await;
    let (complaint, order) = issued(&office).await;
    let head = office.app.login("head1", duban_tests::STAFF_PASSWORD).await;

    // Unit staff do not remind themselves; the leading group only on a case it holds.
    let by_head = remind(&office, &head, &order, "self-reminder").await;
    assert_eq!(by_head.problem(403), "forbidden");
    let (_, leader) = office.app.staff("leader1", "leading_group", None).await;
    let by_leader = remind(&office, &leader, &order, "from the leading group").await;
    assert_eq!(by_leader.problem(403), "forbidden");
    let took = office
        .app
        .post(
            &format!("/api/v1/complaints/{complaint}/takeover"),
            &leader,
            json!({"reason": "media attention"}),
        )
        .await;
    assert_eq!(took.status, 201, "{:#}", took.body);
    let held = remind(&office, &leader, &order, "from the leading group").await;
    assert_eq!(held.status, 200, "{:#}", held.body);

    // A blank note, an unknown order: refused, nothing recorded.
    let blank = remind(&office, &office.intake, &order, "   ").await;
    assert_eq!(blank.problem(400), "invalid_request");
    let unknown = remind(&office, &office.intake, &Uuid::now_v7().to_string(), "x").await;
    assert_eq!(unknown.problem(404), "not_found");

    // Signed: still owed (the reply). Replied: nothing owed any more.
    let signed = office
        .app
        .post(
            &format!("/api/v1/supervision-orders/{order}/sign"),
            &head,
            json!({}),
        )
        .await;
    assert_eq!(signed.status, 200, "{:#}", signed.body);
    let on_signed = remind(&office, &office.intake, &order, "The reply is due.").await;
    assert_eq!(on_signed.status, 200, "{:#}", on_signed.body);
    let replied = office
        .app
        .post(
            &format!("/api/v1/supervision-orders/{order}/reply"),
            &head,
            json!({"result": "Permit issued", "rectification": "Queue rules posted",
                   "answer_method": "phone", "answered_at": Utc::now().to_rfc3339()}),
        )
        .await;
    assert_eq!(replied.status, 200, "{:#}", replied.body);
    let too_late = remind(&office, &office.intake, &order, "again").await;
    assert_eq!(too_late.problem(409), "wrong_state");

    assert_eq!(reminder_events(&office, complaint).await.len(), 2);
}
