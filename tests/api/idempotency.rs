//! `Idempotency-Key` on every creating `POST`: a retry gets the first answer as first sent,
//! without creating again; the same key with another body is refused; keys are per caller.

use duban_tests::Reply;
use reqwest::Method;
use serde_json::{Value, json};

use crate::complaints_support::{Desk, id_of, walk_in};
use crate::sanctions::{Office, against, m};

async fn keyed(desk: &Desk, token: &str, path: &str, key: &str, body: &Value) -> Reply {
    desk.app
        .call_with(
            Method::POST,
            path,
            Some(token),
            Some(body.clone()),
            &[("Idempotency-Key", key)],
        )
        .await
}

fn replayed(reply: &Reply) -> bool {
    reply
        .headers
        .get("idempotent-replayed")
        .is_some_and(|v| v == "true")
}

/// Sends `body` twice with one key: the retry is the first answer again, marked replayed.
async fn twice(desk: &Desk, token: &str, path: &str, body: Value) -> Value {
    let key = format!("key-{path}");
    let first = keyed(desk, token, path, &key, &body).await;
    assert!(first.status.is_success(), "{path}: {:#}", first.body);
    assert!(!replayed(&first), "{path}");
    let again = keyed(desk, token, path, &key, &body).await;
    assert_eq!(again.status, first.status, "{path}: {:#}", again.body);
    assert_eq!(again.body, first.body, "{path}");
    assert_eq!(again.etag(), first.etag(), "{path}");
    assert_eq!(again.content_type(), first.content_type(), "{path}");
    assert!(replayed(&again), "{path}");
    first.body
}

#[tokio::test]
async fn every_creating_post_answers_a_retry_with_the_first_answer_and_creates_once() {
    let o = Office::open().await;
    let desk = &o.desk;
    let admin = desk.app.admin.clone();

    let unit = twice(
        desk,
        &admin,
        "/api/v1/units",
        json!({"name": "Appeals Section", "kind": "section", "parent_id": desk.unit}),
    )
    .await;
    let units = desk.app.get("/api/v1/units", &admin).await;
    let named = units.body["items"]
        .as_array()
        .or(units.body.as_array())
        .map(|all| {
            all.iter()
                .filter(|u| u["name"] == "Appeals Section")
                .count()
        });
    assert_eq!(named, Some(1), "{:#}", units.body);
    assert!(unit["id"].is_string());

    twice(
        desk,
        &admin,
        "/api/v1/users",
        json!({"username": "zhou.min", "display_name": "Zhou Min", "role": "intake",
               "password": "a-long-enough-password"}),
    )
    .await;

    let case = desk.in_handling_id("slow service", "case_filed").await;
    let other = id_of(
        &desk
            .registered(walk_in(&desk.unit, "slow service again"))
            .await,
    );
    twice(
        desk,
        &desk.intake,
        &format!("/api/v1/complaints/{case}/links"),
        json!({"linked_complaint_id": other, "reason": "the same counter"}),
    )
    .await;
    twice(
        desk,
        &desk.intake,
        &format!("/api/v1/complaints/{case}/investigation-records"),
        json!({"kind": "interview_complainant", "people_involved": "Li Hua",
               "content": "what was said"}),
    )
    .await;
    let records = desk
        .app
        .get(
            &format!("/api/v1/complaints/{case}/investigation-records"),
            &desk.intake,
        )
        .await;
    assert_eq!(records.body["items"].as_array().map(Vec::len), Some(1));

    let order = twice(
        desk,
        &desk.intake,
        &format!("/api/v1/complaints/{case}/supervision-orders"),
        json!({"unit_id": desk.unit, "opinion": "Decide on the permit this week."}),
    )
    .await;
    let order = order["id"].as_str().unwrap_or_default().to_owned();
    twice(
        desk,
        &desk.intake,
        &format!("/api/v1/supervision-orders/{order}/reminders"),
        json!({"note": "please answer"}),
    )
    .await;
    let signed = desk
        .app
        .post(
            &format!("/api/v1/supervision-orders/{order}/sign"),
            &o.head,
            json!({}),
        )
        .await;
    assert_eq!(signed.status, 200, "{:#}", signed.body);
    twice(
        desk,
        &o.head,
        &format!("/api/v1/supervision-orders/{order}/extension-requests"),
        json!({"working_days": 3, "reason": "Waiting for the land registry"}),
    )
    .await;

    twice(
        desk,
        &desk.intake,
        "/api/v1/sanctions",
        against(
            &o.clerk_id,
            json!([m("soft", "criticism_education")]),
            json!({}),
            &[],
        ),
    )
    .await;
    let sanctions = desk.app.get("/api/v1/sanctions", &desk.intake).await;
    assert_eq!(sanctions.body["items"].as_array().map(Vec::len), Some(1));

    twice(
        desk,
        &o.lead1,
        &format!("/api/v1/complaints/{case}/takeover"),
        json!({"reason": "reported in the press"}),
    )
    .await;
}

#[tokio::test]
async fn a_retry_gets_the_complaint_as_first_registered_not_as_it_is_now() {
    let desk = Desk::open().await;
    let body = walk_in(&desk.unit, "the clerk was rude");
    let first = keyed(&desk, &desk.intake, "/api/v1/complaints", "k1", &body).await;
    assert_eq!(first.status, 201, "{:#}", first.body);
    let id = id_of(&first.body);
    let screened = desk.screen(&id, "accepted").await;
    assert_eq!(screened.status, 200, "{:#}", screened.body);

    let again = keyed(&desk, &desk.intake, "/api/v1/complaints", "k1", &body).await;
    assert_eq!(again.status, 201);
    assert_eq!(again.body, first.body);
    assert_eq!(again.body["version"], 1);
    assert_eq!(again.etag(), "\"1\"");
    assert!(replayed(&again));
}

#[tokio::test]
async fn keys_are_per_caller_and_bound_to_one_body_and_operation() {
    let o = Office::open().await;
    let desk = &o.desk;
    let unit = |name: &str| json!({"name": name, "kind": "section", "parent_id": desk.unit});
    let admin = desk.app.admin.clone();
    let first = keyed(desk, &admin, "/api/v1/units", "same", &unit("Appeals")).await;
    assert_eq!(first.status, 201, "{:#}", first.body);
    let other_body = keyed(desk, &admin, "/api/v1/units", "same", &unit("Archive")).await;
    assert_eq!(other_body.problem(422), "idempotency_key_reused");
    let other_operation = keyed(
        desk,
        &admin,
        "/api/v1/complaints",
        "same",
        &walk_in(&desk.unit, "x"),
    )
    .await;
    assert_eq!(other_operation.problem(422), "idempotency_key_reused");

    // Another caller's key of the same name is theirs: intake registers with it.
    let theirs = keyed(
        desk,
        &desk.intake,
        "/api/v1/complaints",
        "same",
        &walk_in(&desk.unit, "x"),
    )
    .await;
    assert_eq!(theirs.status, 201, "{:#}", theirs.body);
    assert!(!replayed(&theirs));

    // A refused first request keeps nothing: the retry, corrected, runs.
    let refused = keyed(
        desk,
        &admin,
        "/api/v1/units",
        "fix-me",
        &json!({"name": "No kind"}),
    )
    .await;
    assert_eq!(refused.status.as_u16() / 100, 4, "{:#}", refused.body);
    let fixed = keyed(desk, &admin, "/api/v1/units", "fix-me", &unit("Fixed")).await;
    assert_eq!(fixed.status, 201, "{:#}", fixed.body);
}

#[tokio::test]
async fn concurrent_requests_with_one_key_create_one_unit() {
    let desk = Desk::open().await;
    let body = json!({"name": "Appeals", "kind": "section", "parent_id": desk.unit});
    let replies = futures::future::join_all((0..4).map(|_| {
        keyed(
            &desk,
            &desk.app.admin,
            "/api/v1/units",
            "double-click",
            &body,
        )
    }))
    .await;
    for reply in &replies {
        assert_eq!(reply.status, 201, "{:#}", reply.body);
        assert_eq!(reply.body["id"], replies[0].body["id"]);
    }
    let listed = desk.app.get("/api/v1/units", &desk.app.admin).await;
    let count = listed.body["items"]
        .as_array()
        .or(listed.body.as_array())
        .map(|all| all.iter().filter(|u| u["name"] == "Appeals").count());
    assert_eq!(count, Some(1), "{:#}", listed.body);
}
