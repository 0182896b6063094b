//! `POST /complaints`: the four channels, their rules, refused input, numbering and
//! `Idempotency-Key`.

use chrono::{Duration, Utc};
use duban_tests::Reply;
use futures::future::join_all;
use reqwest::Method;
use serde_json::{Value, json};

use crate::complaints_support::{
    Desk, expected_number, id_of, instant, number_of, walk_in, without_nulls,
};

const RECEIVED_AT: &str = "2025-03-10T02:00:00Z";

/// A registration from `channel` with every field that channel may carry.
fn full(desk: &Desk, channel: &str, staff: &str) -> Value {
    let mut body = json!({
        "channel": channel,
        "respondent_unit_id": desk.unit,
        "respondent_staff_id": staff,
        "matter": "fees",
        "account": format!("charged twice for one licence ({channel})"),
        "complainant": {
            "name": "Wang Fang",
            "phone": "+86138-0013-8000",
            "email": "wang.fang@example.cn",
            "postal_address": "12 Renmin Road, Room 3"
        },
        "receipt_number": "RC-2025-0042",
        "received_at": RECEIVED_AT
    });
    if channel == "letter" {
        body["letter_date"] = json!("2025-03-07");
    }
    body
}

/// A registration from `channel` whose complainant gives only a name and `contacts`.
fn with_contacts(desk: &Desk, channel: &str, contacts: Value) -> Value {
    let mut body = walk_in(&desk.unit, "the window closed early");
    body["channel"] = json!(channel);
    let complainant = body["complainant"]
        .as_object_mut()
        .unwrap_or_else(|| panic!("object"));
    for (key, value) in contacts.as_object().cloned().unwrap_or_default() {
        complainant.insert(key, value);
    }
    body
}

/// Panics unless `reply` is a 422 validation problem naming exactly `fields`.
fn assert_refused(reply: &Reply, fields: &[&str]) {
    assert_eq!(reply.problem(422), "validation_failed");
    let mut named = reply.error_fields();
    named.sort();
    let mut expected: Vec<String> = fields.iter().map(|f| (*f).to_owned()).collect();
    expected.sort();
    assert_eq!(named, expected, "{:#}", reply.body);
}

#[tokio::test]
async fn registers_from_every_channel_with_every_field() {
    let desk = Desk::open().await;
    let (staff_id, _) = desk
        .app
        .staff("clerk", "unit_handler", Some(&desk.section))
        .await;

    for (index, channel) in ["walk_in", "phone", "web", "letter"]
        .into_iter()
        .enumerate()
    {
        let body = full(&desk, channel, &staff_id);
        let reply = desk.register(body.clone()).await;
        assert_eq!(reply.status, 201, "{channel}: {:#}", reply.body);
        assert_eq!(reply.etag(), "\"1\"");
        let c = &reply.body;
        let sequence = u32::try_from(index + 1).unwrap_or_default();
        assert_eq!(number_of(c), expected_number(&desk.app, c, sequence));
        assert!(uuid::Uuid::parse_str(&id_of(c)).is_ok(), "{c:#}");
        assert_eq!(c["status"], "awaiting_screening");
        assert_eq!(c["first_handler_id"], desk.intake_id.as_str());
        assert_eq!(c["version"], 1);
        assert_eq!(c["type"], Value::Null);
        assert_eq!(c["screening"], Value::Null);
        assert_eq!(c["channel"], channel);
        assert_eq!(c["respondent_unit_id"], desk.unit.as_str());
        assert_eq!(c["respondent_staff_id"], staff_id.as_str());
        assert_eq!(c["matter"], "fees");
        assert_eq!(c["account"], body["account"]);
        assert_eq!(c["receipt_number"], "RC-2025-0042");
        assert_eq!(instant(&c["received_at"]), instant(&json!(RECEIVED_AT)));
        let letter_date = if channel == "letter" {
            json!("2025-03-07")
        } else {
            Value::Null
        };
        assert_eq!(c["letter_date"], letter_date);
        assert_eq!(
            without_nulls(&c["complainant"]),
            json!({
                "anonymous": false,
                "withheld": false,
                "erased": false,
                "name": "Wang Fang",
                "phone": "+86138-0013-8000",
                "email": "wang.fang@example.cn",
                "postal_address": "12 Renmin Road, Room 3"
            })
        );

        let read = desk
            .app
            .get(&format!("/api/v1/complaints/{}", id_of(c)), &desk.intake)
            .await;
        assert_eq!(read.status, 200);
        assert_eq!(read.etag(), "\"1\"");
        // Each earlier registration has the same contact and clerk: a possible repeat.
        let repeats: Vec<(Value, Value)> = c["possible_repeats"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .map(|r| (r["number"].clone(), r["reasons"].clone()))
            .collect();
        assert_eq!(repeats.len(), index, "{c:#}");
        for (_, reasons) in &repeats {
            assert_eq!(reasons, &json!(["same_contact", "same_staff"]));
        }
        let mut registered = c.clone();
        if let Some(fields) = registered.as_object_mut() {
            fields.remove("possible_repeats");
        }
        assert_eq!(
            read.body, registered,
            "the stored complaint differs from the registration reply"
        );
    }
}

#[tokio::test]
async fn received_at_defaults_to_now_and_anonymous_complaints_carry_no_details() {
    let desk = Desk::open().await;
    let before = Utc::now() - Duration::seconds(1);
    let c = desk
        .registered(json!({
            "channel": "phone",
            "respondent_unit_id": desk.unit,
            "matter": "attitude",
            "account": "rude on the phone",
            "complainant": {"anonymous": true}
        }))
        .await;
    let received = instant(&c["received_at"]);
    assert!(received >= before && received <= Utc::now(), "{c:#}");
    assert_eq!(c["respondent_staff_id"], Value::Null);
    assert_eq!(
        without_nulls(&c["complainant"]),
        json!({"anonymous": true, "withheld": false, "erased": false})
    );
}

#[tokio::test]
async fn each_channel_demands_its_contact() {
    let desk = Desk::open().await;

    let phone = desk
        .register(with_contacts(&desk, "phone", json!({})))
        .await;
    assert_refused(&phone, &["complainant.phone"]);
    let phone = desk
        .register(with_contacts(&desk, "phone", json!({"email": "a@b.cn"})))
        .await;
    assert_refused(&phone, &["complainant.phone"]);

    let letter = desk
        .register(with_contacts(&desk, "letter", json!({})))
        .await;
    assert_refused(&letter, &["complainant.postal_address", "letter_date"]);

    let web = desk
        .register(with_contacts(
            &desk,
            "web",
            json!({"postal_address": "1 Main St"}),
        ))
        .await;
    assert_refused(&web, &["complainant.email"]);
    desk.assert_nothing_stored("a refused registration").await;

    for (channel, contacts) in [
        ("walk_in", json!({})),
        ("phone", json!({"phone": "13800138000"})),
        ("web", json!({"email": "a@b.cn"})),
        ("web", json!({"phone": "13800138000"})),
    ] {
        let reply = desk
            .register(with_contacts(&desk, channel, contacts.clone()))
            .await;
        assert_eq!(reply.status, 201, "{channel} {contacts}: {:#}", reply.body);
    }
    let mut letter = with_contacts(&desk, "letter", json!({"postal_address": "1 Main St"}));
    letter["letter_date"] = json!("2025-01-02");
    assert_eq!(desk.register(letter).await.status, 201);
    assert_eq!(desk.list("").await.len(), 5);
}

#[tokio::test]
async fn refuses_an_anonymous_complaint_with_a_name() {
    let desk = Desk::open().await;
    let mut body = walk_in(&desk.unit, "x");
    body["complainant"] = json!({"anonymous": true, "name": "Li Hua"});
    assert_refused(&desk.register(body).await, &["complainant.anonymous"]);
    let mut body = walk_in(&desk.unit, "x");
    body["complainant"] = json!({"anonymous": false});
    assert_refused(&desk.register(body).await, &["complainant.name"]);
    desk.assert_nothing_stored("an anonymous complaint with a name")
        .await;
}

#[tokio::test]
async fn a_letter_is_dated_on_or_before_the_day_it_was_received_in_the_agencys_time_zone() {
    let desk = Desk::open().await;
    let letter = |letter_date: &str, received_at: &str| {
        let mut body = with_contacts(&desk, "letter", json!({"postal_address": "1 Main St"}));
        body["letter_date"] = json!(letter_date);
        body["received_at"] = json!(received_at);
        body
    };
    // 2025-03-10T02:00Z is 10:00 on 10 March in Asia/Shanghai.
    assert_refused(
        &desk.register(letter("2025-03-11", RECEIVED_AT)).await,
        &["letter_date"],
    );
    desk.assert_nothing_stored("a letter dated after receipt")
        .await;
    assert_eq!(
        desk.register(letter("2025-03-10", RECEIVED_AT))
            .await
            .status,
        201
    );
    // 20:00Z on 9 March is already 10 March in the agency's time zone.
    assert_eq!(
        desk.register(letter("2025-03-10", "2025-03-09T20:00:00Z"))
            .await
            .status,
        201
    );

    let mut not_a_letter = walk_in(&desk.unit, "x");
    not_a_letter["letter_date"] = json!("2025-03-01");
    assert_refused(&desk.register(not_a_letter).await, &["letter_date"]);
}

#[tokio::test]
async fn impossible_dates_are_422_naming_the_field() {
    let desk = Desk::open().await;
    let mut body = with_contacts(&desk, "letter", json!({"postal_address": "1 Main St"}));
    body["letter_date"] = json!("2025-02-30");
    body["received_at"] = json!("2025-02-31T10:00:00Z");
    assert_refused(&desk.register(body).await, &["letter_date", "received_at"]);
    desk.assert_nothing_stored("an impossible date").await;
}

#[tokio::test]
async fn refuses_a_receipt_in_the_future() {
    let desk = Desk::open().await;
    let mut body = walk_in(&desk.unit, "x");
    body["received_at"] = json!((Utc::now() + Duration::hours(1)).to_rfc3339());
    assert_refused(&desk.register(body).await, &["received_at"]);
    desk.assert_nothing_stored("a receipt in the future").await;
}

#[tokio::test]
async fn the_respondent_unit_must_exist_and_the_staff_member_belong_to_it_or_below() {
    let desk = Desk::open().await;
    let other = desk.app.create_unit("Water Office", "agency", None).await;
    let (outsider, _) = desk
        .app
        .staff("outsider", "unit_handler", Some(&other))
        .await;
    let (head, _) = desk.app.staff("head", "unit_head", Some(&desk.unit)).await;
    let (member, _) = desk
        .app
        .staff("member", "unit_handler", Some(&desk.section))
        .await;

    let unknown_unit = walk_in(&uuid::Uuid::now_v7().to_string(), "x");
    assert_refused(&desk.register(unknown_unit).await, &["respondent_unit_id"]);

    let against = |unit: &str, staff: &str| {
        let mut body = walk_in(unit, "x");
        body["respondent_staff_id"] = json!(staff);
        body
    };
    assert_refused(
        &desk.register(against(&desk.unit, &outsider)).await,
        &["respondent_staff_id"],
    );
    // The section does not contain the head of the unit above it.
    assert_refused(
        &desk.register(against(&desk.section, &head)).await,
        &["respondent_staff_id"],
    );
    assert_refused(
        &desk.register(against(&desk.unit, &desk.intake_id)).await,
        &["respondent_staff_id"],
    );
    let nobody = uuid::Uuid::now_v7().to_string();
    assert_refused(
        &desk.register(against(&desk.unit, &nobody)).await,
        &["respondent_staff_id"],
    );

    let closed = desk
        .app
        .create_unit("Closed Window", "window", Some(&desk.unit))
        .await;
    let deactivate = desk
        .app
        .call(
            Method::PATCH,
            &format!("/api/v1/units/{closed}"),
            Some(&desk.app.admin),
            Some(json!({"active": false})),
        )
        .await;
    assert_eq!(deactivate.status, 200, "{:#}", deactivate.body);
    assert_refused(
        &desk.register(walk_in(&closed, "x")).await,
        &["respondent_unit_id"],
    );
    desk.assert_nothing_stored("a wrong respondent").await;

    assert_eq!(desk.register(against(&desk.unit, &head)).await.status, 201);
    assert_eq!(
        desk.register(against(&desk.unit, &member)).await.status,
        201
    );
    assert_eq!(
        desk.register(against(&desk.section, &member)).await.status,
        201
    );
}

#[tokio::test]
async fn malformed_or_out_of_schema_bodies_are_400_and_store_nothing() {
    let desk = Desk::open().await;
    let with = |change: &dyn Fn(&mut Value)| {
        let mut body = walk_in(&desk.unit, "the clerk was rude");
        change(&mut body);
        body
    };
    let cases: Vec<(&str, Value)> = vec![
        ("unknown channel", with(&|b| b["channel"] = json!("fax"))),
        ("unknown matter", with(&|b| b["matter"] = json!("weather"))),
        (
            "a number for the account",
            with(&|b| b["account"] = json!(42)),
        ),
        (
            "a number for the name",
            with(&|b| b["complainant"]["name"] = json!(3493)),
        ),
        (
            "an account of 5001 characters",
            with(&|b| b["account"] = json!("x".repeat(5001))),
        ),
        ("a blank account", with(&|b| b["account"] = json!("   "))),
        (
            "a bad phone",
            with(&|b| b["complainant"]["phone"] = json!("call me")),
        ),
        (
            "a bad e-mail",
            with(&|b| b["complainant"]["email"] = json!("a b@c")),
        ),
        (
            "a bad receipt number",
            with(&|b| b["receipt_number"] = json!("-R1")),
        ),
        (
            "a unit id that is no uuid",
            with(&|b| b["respondent_unit_id"] = json!("unit-1")),
        ),
        ("no account", with(&|b| b["account"] = Value::Null)),
        ("no complainant", with(&|b| b["complainant"] = Value::Null)),
    ];
    for (what, body) in cases {
        let reply = desk.register(body).await;
        assert_eq!(reply.problem(400), "invalid_request", "{what}");
    }
    let ok = with(&|b| b["account"] = json!("x".repeat(5000)));
    assert_eq!(
        desk.register(ok).await.status,
        201,
        "5000 characters are allowed"
    );
    assert_eq!(desk.list("").await.len(), 1);
}

#[tokio::test]
async fn bad_json_and_missing_content_type_are_refused_and_store_nothing() {
    let desk = Desk::open().await;
    let url = format!("{}/api/v1/complaints", desk.app.base);
    let send = |body: String, content_type: Option<&'static str>| {
        let mut request = desk
            .app
            .client
            .post(&url)
            .bearer_auth(&desk.intake)
            .body(body);
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        async move {
            let response = request.send().await.unwrap_or_else(|e| panic!("{e}"));
            let status = response.status();
            let headers = response.headers().clone();
            let body = response.json().await.unwrap_or(Value::Null);
            Reply {
                status,
                headers,
                body,
            }
        }
    };
    let valid = walk_in(&desk.unit, "the clerk was rude").to_string();
    let json = Some("application/json");

    send(valid[..valid.len() - 1].to_owned(), json)
        .await
        .problem(400);
    send("not json at all".to_owned(), json).await.problem(400);
    send(String::new(), json).await.problem(400);
    let missing = send(valid.clone(), None).await;
    assert!(
        matches!(missing.status.as_u16(), 400 | 415),
        "{:?}",
        missing.status
    );
    missing.problem(missing.status.as_u16());
    send(valid.clone(), Some("text/plain")).await.problem(415);
    desk.assert_nothing_stored("a malformed body").await;
    assert_eq!(
        send(valid, json).await.status,
        201,
        "the same body with its content type is fine"
    );
}

#[tokio::test]
async fn only_intake_registers() {
    let desk = Desk::open().await;
    let body = walk_in(&desk.unit, "the clerk was rude");

    let anonymous = desk
        .app
        .call(Method::POST, "/api/v1/complaints", None, Some(body.clone()))
        .await;
    assert_eq!(anonymous.problem(401), "unauthenticated");
    let forged = desk.register_as("not-a-token", body.clone()).await;
    assert_eq!(forged.problem(401), "unauthenticated");

    let (_, head) = desk.app.staff("head", "unit_head", Some(&desk.unit)).await;
    let (_, handler) = desk
        .app
        .staff("handler", "unit_handler", Some(&desk.unit))
        .await;
    let (_, leader) = desk.app.staff("leader", "leading_group", None).await;
    for token in [&desk.app.admin, &head, &handler, &leader] {
        assert_eq!(
            desk.register_as(token, body.clone()).await.problem(403),
            "forbidden"
        );
    }
    desk.assert_nothing_stored("a refused role").await;
}

#[tokio::test]
async fn concurrent_registrations_get_consecutive_numbers() {
    let desk = Desk::open().await;
    let replies =
        join_all((1..=30).map(|i| desk.register(walk_in(&desk.unit, &format!("complaint {i}")))))
            .await;

    let mut numbers = Vec::new();
    for reply in &replies {
        assert_eq!(reply.status, 201, "{:#}", reply.body);
        numbers.push(number_of(&reply.body));
    }
    numbers.sort();
    let expected: Vec<String> = (1..=30)
        .map(|n| expected_number(&desk.app, &replies[0].body, n))
        .collect();
    assert_eq!(numbers, expected);
    let mut listed = desk.numbers("?limit=200").await;
    listed.sort();
    assert_eq!(listed, expected);
}

/// `POST /complaints` with an `Idempotency-Key`.
async fn register_keyed(desk: &Desk, key: &str, body: Value) -> Reply {
    desk.app
        .call_with(
            Method::POST,
            "/api/v1/complaints",
            Some(&desk.intake),
            Some(body),
            &[("Idempotency-Key", key)],
        )
        .await
}

#[tokio::test]
async fn a_retry_with_the_same_idempotency_key_returns_the_first_result() {
    let desk = Desk::open().await;
    let body = walk_in(&desk.unit, "the clerk was rude");

    let first = register_keyed(&desk, "retry-1", body.clone()).await;
    assert_eq!(first.status, 201, "{:#}", first.body);
    let again = register_keyed(&desk, "retry-1", body.clone()).await;
    assert_eq!(again.status, 201, "{:#}", again.body);
    assert_eq!(id_of(&again.body), id_of(&first.body));
    assert_eq!(number_of(&again.body), number_of(&first.body));
    assert_eq!(again.etag(), "\"1\"");

    let mut changed = body.clone();
    changed["account"] = json!("the clerk was very rude");
    let reused = register_keyed(&desk, "retry-1", changed).await;
    assert_eq!(reused.problem(422), "idempotency_key_reused");

    let other_key = register_keyed(&desk, "retry-2", body).await;
    assert_eq!(other_key.status, 201);
    assert_ne!(id_of(&other_key.body), id_of(&first.body));
    assert_eq!(desk.list("").await.len(), 2);
    assert_eq!(
        number_of(&other_key.body),
        expected_number(&desk.app, &other_key.body, 2),
        "a replay or a refused key must not use up a number"
    );
}

#[tokio::test]
async fn concurrent_requests_with_one_idempotency_key_create_one_complaint() {
    let desk = Desk::open().await;
    let body = walk_in(&desk.unit, "the clerk was rude");
    let replies =
        join_all((0..5).map(|_| register_keyed(&desk, "double-click", body.clone()))).await;

    for reply in &replies {
        assert_eq!(reply.status, 201, "{:#}", reply.body);
        assert_eq!(id_of(&reply.body), id_of(&replies[0].body));
    }
    let listed = desk.list("").await;
    assert_eq!(listed.len(), 1);
    assert_eq!(
        number_of(&listed[0]),
        expected_number(&desk.app, &listed[0], 1)
    );
}

#[tokio::test]
async fn an_invalid_idempotency_key_is_400() {
    let desk = Desk::open().await;
    let reply = register_keyed(&desk, "has space", walk_in(&desk.unit, "x")).await;
    assert_eq!(reply.problem(400), "invalid_request");
    desk.assert_nothing_stored("a bad Idempotency-Key").await;
}

#[tokio::test]
async fn dates_before_the_first_calendar_year_are_422_naming_the_field() {
    let desk = Desk::open().await;
    // The bundled working-day calendar starts in 2024.
    let mut walk_in_1900 = walk_in(&desk.unit, "x");
    walk_in_1900["received_at"] = json!("1900-03-10T02:00:00Z");
    let reply = desk.register(walk_in_1900).await;
    assert_refused(&reply, &["received_at"]);
    assert!(
        reply.body["detail"]
            .as_str()
            .is_some_and(|d| d.contains("2024")),
        "{:#}",
        reply.body
    );
    let mut letter = with_contacts(&desk, "letter", json!({"postal_address": "1 Main St"}));
    letter["letter_date"] = json!("1900-01-02");
    assert_refused(&desk.register(letter.clone()).await, &["letter_date"]);
    letter["letter_date"] = json!("2023-12-31");
    assert_refused(&desk.register(letter.clone()).await, &["letter_date"]);
    desk.assert_nothing_stored("a date before the calendar")
        .await;

    letter["letter_date"] = json!("2024-01-01");
    assert_eq!(desk.register(letter).await.status, 201);
}
