//! Retention: complainants' contact details are erased once a complaint ended longer ago than
//! the retention period, exactly once across instances, with an event in the hash chain and
//! the statistics unchanged; stored idempotent answers are purged after their replay window.
//! Time is pinned by passing `now` to the job, as the background worker passes the clock's.

use chrono::{DateTime, Duration, Utc};
use duban_domain::complaint::retention::{ErasureReport, RetentionPolicy};
use duban_infra::DatabaseConnection;
use duban_infra::complaints::erase_contact_details_once;
use duban_infra::idempotency::IdempotencyStore;
use reqwest::Method;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

use crate::complaints_support::{Desk, id_of};

const POLICY: RetentionPolicy = RetentionPolicy {
    contact_retention_days: 365,
};

fn uuid(id: &str) -> uuid::Uuid {
    uuid::Uuid::parse_str(id).unwrap_or_else(|e| panic!("{id}: {e}"))
}

async fn erase(db: &DatabaseConnection, now: DateTime<Utc>) -> ErasureReport {
    erase_contact_details_once(db, now, POLICY)
        .await
        .unwrap_or_else(|e| panic!("erasure pass: {e}"))
}

async fn registered(desk: &Desk, phone: &str) -> String {
    id_of(
        &desk
            .registered(json!({
                "channel": "phone",
                "respondent_unit_id": desk.unit,
                "matter": "attitude",
                "account": "rude at the window",
                "complainant": {"name": "Li Hua", "phone": phone, "email": "li.hua@example.cn",
                                "postal_address": "1 Hill Road"}
            }))
            .await,
    )
}

async fn read(desk: &Desk, id: &str) -> Value {
    let reply = desk
        .app
        .get(&format!("/api/v1/complaints/{id}"), &desk.intake)
        .await;
    assert_eq!(reply.status, 200, "{:#}", reply.body);
    reply.body
}

/// The summary and the per-unit figures of the current year, without the instant they were
/// made at.
async fn stats(desk: &Desk) -> Vec<Value> {
    let mut all = Vec::new();
    for path in ["summary", "units"] {
        let reply = desk
            .app
            .get(&format!("/api/v1/stats/{path}"), &desk.intake)
            .await;
        assert_eq!(reply.status, 200, "{path}: {:#}", reply.body);
        let mut body = reply.body;
        if let Some(report) = body.as_object_mut() {
            report.remove("generated_at");
        }
        all.push(body);
    }
    all
}

fn kinds(events: &[Value]) -> Vec<String> {
    events
        .iter()
        .map(|e| e["kind"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test]
async fn contact_details_of_ended_complaints_are_erased_once_after_the_retention_period() {
    let desk = Desk::open().await;
    // Closed (feedback kept for reference), screened out as invalid, still open, anonymous.
    let closed = registered(&desk, "13900001111").await;
    assert_eq!(desk.screen(&closed, "accepted").await.status, 200);
    assert_eq!(desk.classify(&closed, "feedback", None).await.status, 200);
    let reply = desk
        .app
        .post(
            &format!("/api/v1/complaints/{closed}/feedback-disposition"),
            &desk.intake,
            json!({"disposition": "reference", "note": "kept for the window staff"}),
        )
        .await;
    assert_eq!(reply.status, 200, "{:#}", reply.body);
    let invalid = registered(&desk, "13900002222").await;
    assert_eq!(desk.screen(&invalid, "invalid").await.status, 200);
    let open = registered(&desk, "13900001111").await;
    let anonymous = id_of(
        &desk
            .registered(json!({
                "channel": "walk_in", "respondent_unit_id": desk.unit, "matter": "attitude",
                "account": "rude", "complainant": {"anonymous": true}
            }))
            .await,
    );
    assert_eq!(desk.screen(&anonymous, "invalid").await.status, 200);
    let before = stats(&desk).await;
    let now = Utc::now();

    // Within the retention period nothing is erased.
    let db = desk.app.database().await;
    assert_eq!(erase(&db, now + Duration::days(364)).await.erased, 0);
    assert_eq!(read(&desk, &closed).await["complainant"]["name"], "Li Hua");

    // After it, two instances at once erase the two ended named complaints, once each.
    let later = now + Duration::days(366);
    let other = desk.app.database().await;
    let (a, b) = tokio::join!(erase(&db, later), erase(&other, later));
    assert_eq!(a.erased + b.erased, 2, "{a:?} {b:?}");
    assert_eq!(erase(&db, later).await, ErasureReport::default());

    for id in [&closed, &invalid] {
        let complaint = read(&desk, id).await;
        assert_eq!(
            complaint["complainant"],
            json!({"anonymous": false, "withheld": false, "erased": true}),
            "{complaint:#}"
        );
        let events = desk.events(id).await;
        let erased: Vec<&Value> = events
            .iter()
            .filter(|e| e["kind"] == "contact_details_erased")
            .collect();
        assert_eq!(erased.len(), 1, "{:?}", kinds(&events));
        assert_eq!(erased[0]["data"]["retention_days"], 365);
        assert_eq!(erased[0]["actor_id"], Value::Null);
        assert_eq!(
            DateTime::parse_from_rfc3339(erased[0]["at"].as_str().unwrap_or_default())
                .map(|at| at.with_timezone(&Utc)),
            Ok(duban_domain::clock::to_storage_precision(later))
        );
        let check = desk
            .app
            .get(
                &format!("/api/v1/complaints/{id}/events/verification"),
                &desk.intake,
            )
            .await;
        assert_eq!(check.body["intact"], true, "{:#}", check.body);
    }
    // Nothing personal is left in the row, the repeat keys included.
    let mut personal = Query::select();
    personal
        .expr_as(Expr::col(Alias::new("id")).count(), Alias::new("n"))
        .from(Alias::new("complaints"))
        .and_where(Expr::col(Alias::new("id")).is_in([uuid(&closed), uuid(&invalid)]));
    for column in [
        "complainant_name",
        "phone",
        "email",
        "postal_address",
        "phone_key",
        "email_key",
    ] {
        personal.and_where(Expr::col(Alias::new(column)).is_null());
    }
    let row = db
        .query_one(&personal)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("no row"));
    assert_eq!(row.try_get::<i64>("", "n").unwrap_or_default(), 2);
    // The open complaint keeps its details; the anonymous one had none and records nothing.
    assert_eq!(
        read(&desk, &open).await["complainant"]["phone"],
        "13900001111"
    );
    assert!(!kinds(&desk.events(&anonymous).await).contains(&"contact_details_erased".into()));
    // An erased complaint is no longer a possible repeat by contact; the open one still is.
    let repeats = desk
        .app
        .get(
            &format!("/api/v1/complaints/{open}/possible-repeats"),
            &desk.intake,
        )
        .await;
    let listed: Vec<&str> = repeats.body["items"]
        .as_array()
        .map(|items| items.iter().filter_map(|r| r["id"].as_str()).collect())
        .unwrap_or_default();
    assert!(!listed.contains(&closed.as_str()), "{:#}", repeats.body);
    // The statistics are the same.
    assert_eq!(stats(&desk).await, before);
}

#[tokio::test]
async fn the_erasure_is_a_change_of_the_complaint_and_moves_its_version_on() {
    let desk = Desk::open().await;
    let id = registered(&desk, "13900003333").await;
    assert_eq!(desk.screen(&id, "invalid").await.status, 200);
    let version = read(&desk, &id).await["version"]
        .as_i64()
        .unwrap_or_default();
    let db = desk.app.database().await;
    assert_eq!(erase(&db, Utc::now() + Duration::days(366)).await.erased, 1);
    // The erasure is a change of the complaint: its version moved on.
    assert_eq!(read(&desk, &id).await["version"], version + 1);
}

#[tokio::test]
async fn stored_idempotent_answers_are_purged_after_their_replay_window() {
    let desk = Desk::open().await;
    let body = json!({
        "channel": "phone", "respondent_unit_id": desk.unit, "matter": "attitude",
        "account": "rude", "complainant": {"name": "Li Hua", "phone": "13900004444"}
    });
    let send = || {
        desk.app.call_with(
            Method::POST,
            "/api/v1/complaints",
            Some(&desk.intake),
            Some(body.clone()),
            &[("Idempotency-Key", "call-0001")],
        )
    };
    let first = send().await;
    assert_eq!(first.status, 201, "{:#}", first.body);
    let db = desk.app.database().await;
    let stored = || async {
        db.query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM idempotent_responses".to_owned(),
        ))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .and_then(|row| row.try_get::<i64>("", "n").ok())
        .unwrap_or_default()
    };
    assert_eq!(stored().await, 1);
    let store = IdempotencyStore::new(db.clone());
    let purge = |hours_later: i64| {
        let store = store.clone();
        async move {
            let now = Utc::now() + Duration::hours(hours_later);
            store
                .purge_before(now - Duration::hours(24))
                .await
                .unwrap_or_else(|e| panic!("purge: {e}"))
        }
    };
    assert_eq!(purge(23).await, 0);
    assert_eq!(
        send()
            .await
            .headers
            .get("idempotent-replayed")
            .map(|v| v.as_bytes().to_vec()),
        Some(b"true".to_vec())
    );
    assert_eq!(purge(25).await, 1);
    assert_eq!(stored().await, 0);
    // A retry afterwards runs again; the registration's own key still finds the complaint.
    let retry = send().await;
    assert!(retry.status.is_success(), "{:#}", retry.body);
    assert_eq!(retry.body["id"], first.body["id"]);
    assert_eq!(desk.list("").await.len(), 1);
}
