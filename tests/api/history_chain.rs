//! The tamper-evident history: `GET /complaints/{id}/events/verification` recomputes the hash
//! chain as stored, and finds an edited or removed event.

use chrono::{DateTime, Duration, Utc};
use duban_tests::Reply;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, DatabaseConnection};
use serde_json::json;
use uuid::Uuid;

use crate::complaints_support::Desk;

async fn verification(desk: &Desk, id: &str, token: &str) -> Reply {
    desk.app
        .get(
            &format!("/api/v1/complaints/{id}/events/verification"),
            token,
        )
        .await
}

async fn intact(desk: &Desk, id: &str) -> (bool, u64, String) {
    let reply = verification(desk, id, &desk.intake).await;
    assert_eq!(reply.status, 200, "{:#}", reply.body);
    (
        reply.body["intact"].as_bool().unwrap_or_default(),
        reply.body["events"].as_u64().unwrap_or_default(),
        reply.body["head_hash"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
    )
}

fn event_row(complaint: &str, sequence: i64) -> sea_orm::sea_query::SimpleExpr {
    let complaint = Uuid::parse_str(complaint).unwrap_or_else(|e| panic!("{e}"));
    Expr::col(Alias::new("complaint_id"))
        .eq(complaint)
        .and(Expr::col(Alias::new("sequence")).eq(sequence))
}

async fn shift_time(db: &DatabaseConnection, complaint: &str, sequence: i64, to: DateTime<Utc>) {
    let stmt = Query::update()
        .table(Alias::new("complaint_events"))
        .value(Alias::new("at"), to)
        .and_where(event_row(complaint, sequence))
        .to_owned();
    let done = db.execute(&stmt).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(done.rows_affected(), 1);
}

#[tokio::test]
async fn an_untouched_history_is_intact_and_its_head_moves_with_each_event() {
    let desk = Desk::open().await;
    let id = desk.in_handling_id("charged twice", "case_filed").await;
    let (ok, events, head) = intact(&desk, &id).await;
    assert!(ok);
    assert_eq!(events, 3);
    assert_eq!(head.len(), 64);
    assert!(head.chars().all(|c| c.is_ascii_hexdigit()), "{head}");

    let note = desk
        .app
        .post(
            &format!("/api/v1/complaints/{id}/investigation-records"),
            &desk.intake,
            json!({"kind": "interview_complainant", "people_involved": "Li Hua", "content": "Confirmed the double charge."}),
        )
        .await;
    assert_eq!(note.status, 201, "{:#}", note.body);
    let (ok, events, later_head) = intact(&desk, &id).await;
    assert!(ok);
    assert_eq!(events, 4);
    assert_ne!(later_head, head);
}

#[tokio::test]
async fn an_edited_or_removed_event_breaks_the_chain_where_it_happened() {
    let desk = Desk::open().await;
    let id = desk.in_handling_id("charged twice", "case_filed").await;
    let db = desk.app.database().await;

    // Backdating the screening by a minute.
    let events = desk.events(&id).await;
    let screened_at = DateTime::parse_from_rfc3339(events[1]["at"].as_str().unwrap_or_default())
        .unwrap_or_else(|e| panic!("{e}"))
        .with_timezone(&Utc);
    shift_time(&db, &id, 2, screened_at - Duration::minutes(1)).await;
    let reply = verification(&desk, &id, &desk.intake).await;
    assert_eq!(reply.body["intact"], false, "{:#}", reply.body);
    assert_eq!(reply.body["first_broken_sequence"], 2);
    shift_time(&db, &id, 2, screened_at).await;
    assert!(
        intact(&desk, &id).await.0,
        "restored exactly, it verifies again"
    );

    // Removing the screening: the classification no longer follows its predecessor.
    let stmt = Query::delete()
        .from_table(Alias::new("complaint_events"))
        .and_where(event_row(&id, 2))
        .to_owned();
    db.execute(&stmt).await.unwrap_or_else(|e| panic!("{e}"));
    let reply = verification(&desk, &id, &desk.intake).await;
    assert_eq!(reply.body["intact"], false, "{:#}", reply.body);
    assert_eq!(reply.body["events"], 2);
    assert_eq!(reply.body["first_broken_sequence"], 2);
}

#[tokio::test]
async fn only_those_who_may_read_the_history_may_check_it() {
    let desk = Desk::open().await;
    let id = desk.in_handling_id("charged twice", "case_filed").await;
    let (_, handler) = desk
        .app
        .staff("handler1", "unit_handler", Some(&desk.unit))
        .await;
    assert_eq!(
        verification(&desk, &id, &handler).await.problem(404),
        "not_found",
        "not routed to the unit yet"
    );
    let unknown = verification(&desk, &Uuid::now_v7().to_string(), &desk.intake).await;
    assert_eq!(unknown.problem(404), "not_found");
}
