//! The tamper-evident history of a complaint: `GET /complaints/{id}/events/verification`
//! recomputes the keyed hash chain as stored and checks the row against its events; an
//! insider editing the database directly is caught and the break named.

use chrono::{DateTime, Duration, Utc};
use duban_tests::{HMAC_KEY, Reply};
use serde_json::json;
use uuid::Uuid;

use crate::complaints_support::Desk;
use crate::tamper_support::{
    breaks, delete_event, differing_fields, edit_event, edit_row, hmac_with, plain_sha256,
    recompute_chain,
};

async fn verification(desk: &Desk, id: &str, token: &str) -> Reply {
    desk.app
        .get(
            &format!("/api/v1/complaints/{id}/events/verification"),
            token,
        )
        .await
}

async fn checked(desk: &Desk, id: &str) -> serde_json::Value {
    let reply = verification(desk, id, &desk.intake).await;
    assert_eq!(reply.status, 200, "{:#}", reply.body);
    reply.body
}

fn kinds(list: &[(String, Option<i64>)]) -> Vec<(&str, Option<i64>)> {
    list.iter().map(|(k, s)| (k.as_str(), *s)).collect()
}

#[tokio::test]
async fn an_untouched_history_is_intact_and_its_head_moves_with_each_event() {
    let desk = Desk::open().await;
    let id = desk.in_handling_id("charged twice", "case_filed").await;
    let body = checked(&desk, &id).await;
    assert_eq!(body["intact"], true, "{body:#}");
    assert_eq!(body["events"], 3);
    assert_eq!(body["breaks"], json!([]));
    let head = body["head_hash"].as_str().unwrap_or_default().to_owned();
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
    let body = checked(&desk, &id).await;
    assert_eq!(body["intact"], true, "{body:#}");
    assert_eq!(body["events"], 4);
    assert_ne!(body["head_hash"], head.as_str());
}

#[tokio::test]
async fn an_edited_event_is_named_and_verifies_again_once_restored() {
    let desk = Desk::open().await;
    let id = desk.in_handling_id("charged twice", "case_filed").await;
    let db = desk.app.database().await;

    // Backdating the screening by a minute.
    let events = desk.events(&id).await;
    let screened_at = DateTime::parse_from_rfc3339(events[1]["at"].as_str().unwrap_or_default())
        .unwrap_or_else(|e| panic!("{e}"))
        .with_timezone(&Utc);
    edit_event(&db, &id, 2, "at", screened_at - Duration::minutes(1)).await;
    let body = checked(&desk, &id).await;
    assert_eq!(body["intact"], false, "{body:#}");
    assert_eq!(body["first_broken_sequence"], 2);
    let found = breaks(&body);
    assert!(
        kinds(&found).contains(&("hash_mismatch", Some(2))),
        "{body:#}"
    );
    edit_event(&db, &id, 2, "at", screened_at).await;
    assert_eq!(
        checked(&desk, &id).await["intact"],
        true,
        "restored exactly"
    );

    // Rewording the classification's data.
    edit_event(
        &db,
        &id,
        3,
        "data",
        r#"{"kind":"classified","complaint_type":"feedback"}"#,
    )
    .await;
    let body = checked(&desk, &id).await;
    assert!(
        kinds(&breaks(&body)).contains(&("hash_mismatch", Some(3))),
        "{body:#}"
    );
}

#[tokio::test]
async fn a_deleted_middle_event_is_named() {
    let desk = Desk::open().await;
    let id = desk.in_handling_id("charged twice", "case_filed").await;
    let db = desk.app.database().await;
    delete_event(&db, &id, 2).await;
    let body = checked(&desk, &id).await;
    assert_eq!(body["intact"], false, "{body:#}");
    assert_eq!(body["events"], 2);
    assert_eq!(
        kinds(&breaks(&body))[0],
        ("sequence_gap", Some(3)),
        "{body:#}"
    );
    assert!(
        differing_fields(&body).contains(&"screening".to_owned()),
        "the row still holds the screening its events no longer do: {body:#}"
    );
}

#[tokio::test]
async fn a_chain_recomputed_without_the_key_is_caught_at_every_event() {
    let desk = Desk::open().await;
    for (account, rehash) in [
        ("plain sha-256", None),
        ("hmac with a wrong key", Some([0x11; 32])),
    ] {
        let id = desk.in_handling_id(account, "case_filed").await;
        let db = desk.app.database().await;
        edit_event(
            &db,
            &id,
            3,
            "data",
            r#"{"kind":"classified","complaint_type":"feedback"}"#,
        )
        .await;
        match rehash {
            None => recompute_chain(&db, &id, &plain_sha256).await,
            Some(key) => recompute_chain(&db, &id, &*hmac_with(key, &id)).await,
        }
        let body = checked(&desk, &id).await;
        assert_eq!(body["intact"], false, "{account}: {body:#}");
        let found = breaks(&body);
        for sequence in 1..=3 {
            assert!(
                kinds(&found).contains(&("hash_mismatch", Some(sequence))),
                "{account}: {body:#}"
            );
        }
        assert!(
            !found.iter().any(|(k, _)| k == "link_broken"),
            "the links are consistent; only the key is missing: {body:#}"
        );
    }

    // The same recomputation with the real key is what only a key holder can do.
    let id = desk.in_handling_id("with the key", "case_filed").await;
    let db = desk.app.database().await;
    recompute_chain(&db, &id, &*hmac_with(HMAC_KEY, &id)).await;
    assert_eq!(checked(&desk, &id).await["intact"], true);
}

#[tokio::test]
async fn an_edited_complaint_row_is_named_field_by_field() {
    let desk = Desk::open().await;
    let id = desk.in_handling_id("charged twice", "case_filed").await;
    let db = desk.app.database().await;
    edit_row(&db, "complaints", &id, "account", "nothing happened").await;
    let body = checked(&desk, &id).await;
    assert_eq!(body["intact"], false, "{body:#}");
    assert_eq!(differing_fields(&body), ["account"], "{body:#}");
    assert_eq!(
        kinds(&breaks(&body)),
        [("row_differs", None)],
        "the chain itself is intact"
    );

    edit_row(&db, "complaints", &id, "account", "charged twice").await;
    edit_row(&db, "complaints", &id, "status", "closed").await;
    edit_row(&db, "complaints", &id, "finding", "not_sustained").await;
    edit_row(&db, "complaints", &id, "closing_outcome", "no case").await;
    edit_row(&db, "complaints", &id, "closed_at", Utc::now()).await;
    let body = checked(&desk, &id).await;
    let fields = differing_fields(&body);
    for field in ["status", "closing_outcome", "finding", "closed_at"] {
        assert!(fields.contains(&field.to_owned()), "{field}: {body:#}");
    }

    let other = desk.in_handling_id("the phone", "case_filed").await;
    edit_row(&db, "complaints", &other, "phone", "13900000000").await;
    assert_eq!(
        differing_fields(&checked(&desk, &other).await),
        ["contact"],
        "contact details are sealed as a keyed digest"
    );
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
