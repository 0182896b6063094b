//! `GET /complaints`: filters, keyset pagination, and who sees what.

use serde_json::{Value, json};

use crate::complaints_support::{Desk, id_of, items, number_of, walk_in, without_nulls};

/// A walk-in registration with the given fields changed.
fn complaint(desk: &Desk, account: &str, changes: Value) -> Value {
    let mut body = walk_in(&desk.unit, account);
    for (key, value) in changes.as_object().cloned().unwrap_or_default() {
        body[key] = value;
    }
    body
}

/// The accounts listed for `query`, in list order.
async fn accounts(desk: &Desk, query: &str) -> Vec<String> {
    desk.list(query)
        .await
        .iter()
        .map(|c| c["account"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test]
async fn filters_by_every_field() {
    let desk = Desk::open().await;
    let water = desk.app.create_unit("Water Office", "agency", None).await;
    let (second_id, second) = desk.app.staff("intake2", "intake", None).await;

    let january = desk
        .registered(complaint(
            &desk,
            "january walk-in",
            json!({"received_at": "2025-01-10T08:00:00Z"}),
        ))
        .await;
    let february = desk
        .registered(complaint(
            &desk,
            "february phone",
            json!({"channel": "phone", "matter": "fees", "complainant": {"name": "Zhao", "phone": "13800138000"},
                   "received_at": "2025-02-10T08:00:00Z"}),
        ))
        .await;
    let march = desk
        .register_as(
            &second,
            complaint(
                &desk,
                "march web",
                json!({"channel": "web", "matter": "efficiency", "respondent_unit_id": water,
                       "complainant": {"name": "Sun", "email": "sun@example.cn"},
                       "received_at": "2025-03-10T08:00:00Z"}),
            ),
        )
        .await;
    assert_eq!(march.status, 201, "{:#}", march.body);
    assert_eq!(desk.screen(&id_of(&january), "accepted").await.status, 200);
    assert_eq!(
        desk.classify(&id_of(&january), "feedback", None)
            .await
            .status,
        200
    );
    assert_eq!(desk.screen(&id_of(&february), "invalid").await.status, 200);

    let cases = [
        ("", vec!["march web", "february phone", "january walk-in"]),
        ("?status=in_handling", vec!["january walk-in"]),
        ("?status=invalid", vec!["february phone"]),
        ("?status=awaiting_screening", vec!["march web"]),
        ("?status=closed", vec![]),
        ("?type=feedback", vec!["january walk-in"]),
        ("?type=case_filed", vec![]),
        ("?channel=phone", vec!["february phone"]),
        ("?channel=letter", vec![]),
        ("?matter=efficiency", vec!["march web"]),
        ("?matter=attitude", vec!["january walk-in"]),
        (&format!("?respondent_unit_id={water}"), vec!["march web"]),
        (
            &format!("?respondent_unit_id={}", desk.unit),
            vec!["february phone", "january walk-in"],
        ),
        (&format!("?first_handler_id={second_id}"), vec!["march web"]),
        (
            &format!("?first_handler_id={}", desk.intake_id),
            vec!["february phone", "january walk-in"],
        ),
        (
            "?received_from=2025-02-10T08:00:00Z",
            vec!["march web", "february phone"],
        ),
        ("?received_to=2025-02-10T08:00:00Z", vec!["january walk-in"]),
        (
            "?received_from=2025-02-01T00:00:00Z&received_to=2025-03-01T00:00:00Z",
            vec!["february phone"],
        ),
        (
            "?received_from=2025-02-10T16:00:00%2B08:00",
            vec!["march web", "february phone"],
        ),
        (
            "?channel=walk_in&status=in_handling&matter=attitude",
            vec!["january walk-in"],
        ),
        ("?channel=walk_in&status=invalid", vec![]),
    ];
    for (query, expected) in cases {
        assert_eq!(accounts(&desk, query).await, expected, "{query}");
    }

    // Instants compare as instants, also below the second and across offsets.
    desk.registered(complaint(
        &desk,
        "april",
        json!({"received_at": "2025-04-01T00:00:00.25Z"}),
    ))
    .await;
    for (query, expected) in [
        ("?received_from=2025-04-01T00:00:00Z", vec!["april"]),
        ("?received_from=2025-04-01T00:00:00.25Z", vec!["april"]),
        ("?received_from=2025-04-01T08:00:00.250001%2B08:00", vec![]),
        (
            "?received_from=2025-03-31T00:00:00Z&received_to=2025-04-01T00:00:00.25Z",
            vec![],
        ),
        (
            "?received_from=2025-03-31T00:00:00Z&received_to=2025-04-01T00:00:00.3Z",
            vec!["april"],
        ),
    ] {
        assert_eq!(accounts(&desk, query).await, expected, "{query}");
    }

    for query in [
        "?status=lost",
        "?type=x",
        "?channel=fax",
        "?matter=x",
        "?respondent_unit_id=1",
    ] {
        let reply = desk
            .app
            .get(&format!("/api/v1/complaints{query}"), &desk.intake)
            .await;
        assert_eq!(reply.problem(400), "invalid_request", "{query}");
    }
    let impossible = desk
        .app
        .get(
            "/api/v1/complaints?received_from=2025-02-30T00:00:00Z",
            &desk.intake,
        )
        .await;
    assert_eq!(impossible.problem(422), "validation_failed");
    assert_eq!(impossible.error_fields(), vec!["received_from"]);
}

#[tokio::test]
async fn text_search_is_case_insensitive_and_takes_wildcards_literally() {
    let desk = Desk::open().await;
    for account in [
        "The clerk shouted at me",
        "fees rose 100% overnight",
        "fees rose 1000 overnight",
        "form_a was missing",
        "formXa was missing",
        "nothing to see",
    ] {
        desk.walk_in_id(account).await;
    }
    let cases = [
        ("SHOUTED", vec!["The clerk shouted at me"]),
        ("the CLERK", vec!["The clerk shouted at me"]),
        ("100%25", vec!["fees rose 100% overnight"]),
        ("%25", vec!["fees rose 100% overnight"]),
        ("form_a", vec!["form_a was missing"]),
        ("_", vec!["form_a was missing"]),
        (
            "overnight",
            vec!["fees rose 1000 overnight", "fees rose 100% overnight"],
        ),
        ("absent", vec![]),
    ];
    for (q, expected) in cases {
        assert_eq!(accounts(&desk, &format!("?q={q}")).await, expected, "q={q}");
    }
    let empty = desk.app.get("/api/v1/complaints?q=", &desk.intake).await;
    assert_eq!(empty.problem(400), "invalid_request");
}

#[tokio::test]
async fn keyset_pages_walk_every_complaint_once_newest_first() {
    let desk = Desk::open().await;
    for i in 1..=5 {
        desk.walk_in_id(&format!("complaint {i}")).await;
    }
    let newest_first: Vec<String> = desk.numbers("").await;
    assert_eq!(newest_first.len(), 5);
    let mut ascending = newest_first.clone();
    ascending.sort();
    ascending.reverse();
    assert_eq!(newest_first, ascending, "newest registration first");

    let mut walked = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let query = match &cursor {
            None => "?limit=2".to_owned(),
            Some(cursor) => format!("?limit=2&cursor={cursor}"),
        };
        let page = desk.page_as(&desk.intake, &query).await;
        let found = items(&page);
        assert!(found.len() <= 2);
        walked.extend(found.iter().map(number_of));
        pages += 1;
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
        assert!(pages < 10, "pagination does not end");
    }
    assert_eq!(pages, 3);
    assert_eq!(walked, newest_first);

    let exact = desk.page_as(&desk.intake, "?limit=5").await;
    assert_eq!(items(&exact).len(), 5);
    assert_eq!(
        exact["next_cursor"],
        Value::Null,
        "no cursor when nothing follows"
    );
}

#[tokio::test]
async fn bad_page_parameters_are_400() {
    let desk = Desk::open().await;
    desk.walk_in_id("the clerk was rude").await;
    for query in [
        "?cursor=abc",
        "?cursor=k1.zzzz",
        "?cursor=k2.0190a1b2c3d47e8f9a0b1c2d3e4f5a6b",
        "?limit=0",
        "?limit=201",
        "?limit=-1",
        "?limit=ten",
    ] {
        let reply = desk
            .app
            .get(&format!("/api/v1/complaints{query}"), &desk.intake)
            .await;
        assert_eq!(reply.problem(400), "invalid_request", "{query}");
    }
    assert_eq!(desk.list("?limit=200").await.len(), 1);
    assert_eq!(desk.list("?limit=1").await.len(), 1);
}

#[tokio::test]
async fn unit_staff_see_no_complaint_before_routing() {
    let desk = Desk::open().await;
    let id = desk.walk_in_id("the clerk was rude").await;
    let (_, handler) = desk
        .app
        .staff("handler", "unit_handler", Some(&desk.unit))
        .await;
    let (_, head) = desk.app.staff("head", "unit_head", Some(&desk.unit)).await;

    for token in [&handler, &head] {
        let page = desk.page_as(token, "").await;
        assert!(items(&page).is_empty(), "{page:#}");
        assert_eq!(page["next_cursor"], Value::Null);
        let read = desk
            .app
            .get(&format!("/api/v1/complaints/{id}"), token)
            .await;
        assert_eq!(
            read.problem(404),
            "not_found",
            "never 403: that would reveal the case"
        );
        let events = desk
            .app
            .get(&format!("/api/v1/complaints/{id}/events"), token)
            .await;
        assert_eq!(events.problem(404), "not_found");
    }
    let unknown = uuid::Uuid::now_v7();
    let read = desk
        .app
        .get(&format!("/api/v1/complaints/{unknown}"), &handler)
        .await;
    assert_eq!(read.problem(404), "not_found");
}

#[tokio::test]
async fn intake_and_the_leading_group_see_the_complainants_details() {
    let desk = Desk::open().await;
    let body = complaint(
        &desk,
        "the clerk was rude",
        json!({"channel": "phone", "complainant": {"name": "Li Hua", "phone": "13800138000"}}),
    );
    let id = id_of(&desk.registered(body).await);
    let shown = json!({"anonymous": false, "withheld": false, "erased": false, "name": "Li Hua", "phone": "13800138000"});
    assert_eq!(without_nulls(&desk.list("").await[0]["complainant"]), shown);
    let (_, leader) = desk.app.staff("leader", "leading_group", None).await;
    let read = desk
        .app
        .get(&format!("/api/v1/complaints/{id}"), &leader)
        .await;
    assert_eq!(without_nulls(&read.body["complainant"]), shown);
    // Admin reads no case content: see visibility.rs.
    desk.app
        .get(&format!("/api/v1/complaints/{id}"), &desk.app.admin)
        .await
        .problem(403);
}

#[tokio::test]
async fn reading_needs_a_token() {
    let desk = Desk::open().await;
    let id = desk.walk_in_id("the clerk was rude").await;
    for path in [
        "/api/v1/complaints".to_owned(),
        format!("/api/v1/complaints/{id}"),
    ] {
        let reply = desk.app.call(reqwest::Method::GET, &path, None, None).await;
        assert_eq!(reply.problem(401), "unauthenticated", "{path}");
    }
    let bad_id = desk
        .app
        .get("/api/v1/complaints/not-a-uuid", &desk.intake)
        .await;
    bad_id.problem(400);
}
