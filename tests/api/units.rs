//! The unit tree: who may build and read it, its rules (parents, no cycles), versions and
//! ETags, pagination, and refusal of malformed requests.

use std::collections::HashSet;

use duban_tests::{Reply, TestApp};
use reqwest::Method;
use serde_json::{Value, json};

const UNITS: &str = "/api/v1/units";

fn unit_path(id: &str) -> String {
    format!("{UNITS}/{id}")
}

async fn create(app: &TestApp, token: &str, body: Value) -> Reply {
    app.post(UNITS, token, body).await
}

/// PATCHes a unit as admin, with `If-Match` when given.
async fn patch(app: &TestApp, id: &str, if_match: Option<&str>, body: Value) -> Reply {
    let headers: Vec<(&str, &str)> = if_match.map(|tag| ("if-match", tag)).into_iter().collect();
    app.call_with(
        Method::PATCH,
        &unit_path(id),
        Some(&app.admin),
        Some(body),
        &headers,
    )
    .await
}

/// Reads a unit as admin; panics unless it exists.
async fn read(app: &TestApp, id: &str) -> Reply {
    let reply = app.get(&unit_path(id), &app.admin).await;
    assert_eq!(reply.status, 200, "{:#}", reply.body);
    reply
}

/// POSTs `body` as it is (not necessarily JSON) to create a unit as admin.
async fn post_raw(app: &TestApp, body: &'static str) -> Reply {
    let response = app
        .client
        .post(format!("{}{UNITS}", app.base))
        .bearer_auth(&app.admin)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap_or_else(|e| panic!("request failed: {e}"));
    let status = response.status();
    let headers = response.headers().clone();
    let text = response.text().await.unwrap_or_default();
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    Reply {
        status,
        headers,
        body,
    }
}

/// Walks the unit list `limit` at a time; returns the ids in the order seen.
async fn walk(app: &TestApp, token: &str, limit: u32) -> Vec<String> {
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("{UNITS}?limit={limit}&cursor={c}"),
            None => format!("{UNITS}?limit={limit}"),
        };
        let reply = app.get(&path, token).await;
        assert_eq!(reply.status, 200, "{:#}", reply.body);
        let items = reply.body["items"].as_array().cloned().unwrap_or_default();
        assert!(
            items.len() <= limit as usize,
            "page larger than limit: {:#}",
            reply.body
        );
        seen.extend(
            items
                .iter()
                .filter_map(|u| u["id"].as_str().map(str::to_owned)),
        );
        match reply.body["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => return seen,
        }
        assert!(seen.len() < 1000, "pagination does not end");
    }
}

/// Creates an agency with a section and a window below it; returns their ids.
async fn tree(app: &TestApp) -> (String, String, String) {
    let agency = app
        .create_unit("Civil Air Defence Office", "agency", None)
        .await;
    let section = app
        .create_unit("General Affairs", "section", Some(&agency))
        .await;
    let window = app.create_unit("Window 3", "window", Some(&section)).await;
    (agency, section, window)
}

#[tokio::test]
async fn admin_builds_agency_section_and_window() {
    let app = TestApp::spawn().await;

    let agency = create(
        &app,
        &app.admin,
        json!({"name": "人防办", "kind": "agency"}),
    )
    .await;
    assert_eq!(agency.status, 201, "{:#}", agency.body);
    assert_eq!(agency.etag(), "\"1\"");
    let agency_id = agency.body["id"].as_str().unwrap_or_default().to_owned();
    assert_eq!(agency.body["kind"], "agency");
    assert!(agency.body["parent_id"].is_null());
    assert_eq!(agency.body["active"], true);
    assert_eq!(agency.body["version"], 1);

    let section = create(
        &app,
        &app.admin,
        json!({"name": "综合科", "kind": "section", "parent_id": agency_id}),
    )
    .await;
    assert_eq!(section.status, 201, "{:#}", section.body);
    let section_id = section.body["id"].as_str().unwrap_or_default().to_owned();
    assert_eq!(section.body["parent_id"], agency_id.as_str());

    let window = create(
        &app,
        &app.admin,
        json!({"name": "3号窗口", "kind": "window", "parent_id": section_id}),
    )
    .await;
    assert_eq!(window.status, 201, "{:#}", window.body);
    let window_id = window.body["id"].as_str().unwrap_or_default().to_owned();

    let read_back = read(&app, &window_id).await;
    assert_eq!(read_back.etag(), "\"1\"");
    assert_eq!(read_back.body["name"], "3号窗口");
    assert_eq!(read_back.body["kind"], "window");
    assert_eq!(read_back.body["parent_id"], section_id.as_str());
}

#[tokio::test]
async fn sections_and_windows_need_a_parent() {
    let app = TestApp::spawn().await;

    for kind in ["section", "window"] {
        let reply = create(&app, &app.admin, json!({"name": "Orphan", "kind": kind})).await;
        assert_eq!(reply.problem(422), "validation_failed");
        assert_eq!(reply.error_fields(), ["parent_id"], "{kind}");

        let reply = create(
            &app,
            &app.admin,
            json!({"name": "Orphan", "kind": kind, "parent_id": null}),
        )
        .await;
        assert_eq!(
            reply.error_fields(),
            ["parent_id"],
            "{kind} with explicit null"
        );
    }
    assert_eq!(
        walk(&app, &app.admin, 50).await.len(),
        0,
        "nothing was created"
    );
}

#[tokio::test]
async fn an_unknown_parent_is_refused() {
    let app = TestApp::spawn().await;

    let reply = create(
        &app,
        &app.admin,
        json!({"name": "Lost", "kind": "section", "parent_id": uuid::Uuid::now_v7()}),
    )
    .await;

    assert_eq!(reply.problem(422), "validation_failed");
    assert_eq!(reply.error_fields(), ["parent_id"]);
    assert_eq!(
        walk(&app, &app.admin, 50).await.len(),
        0,
        "nothing was created"
    );
}

#[tokio::test]
async fn only_admin_changes_units() {
    let app = TestApp::spawn().await;
    let (agency, section, _) = tree(&app).await;
    let (_, intake) = app.staff("clerk", "intake", None).await;
    let (_, head) = app.staff("head", "unit_head", Some(&section)).await;
    let (_, leader) = app.staff("leader", "leading_group", None).await;

    for token in [&intake, &head, &leader] {
        let reply = create(
            &app,
            token,
            json!({"name": "Rogue", "kind": "section", "parent_id": agency}),
        )
        .await;
        assert_eq!(reply.problem(403), "forbidden");

        let reply = app
            .call(
                Method::PATCH,
                &unit_path(&agency),
                Some(token),
                Some(json!({"name": "Renamed"})),
            )
            .await;
        assert_eq!(reply.problem(403), "forbidden");
    }
    assert_eq!(read(&app, &agency).await.body["version"], 1, "unchanged");
    assert_eq!(
        walk(&app, &app.admin, 50).await.len(),
        3,
        "nothing was created"
    );
}

#[tokio::test]
async fn staff_read_units() {
    let app = TestApp::spawn().await;
    let (agency, section, window) = tree(&app).await;
    let (_, intake) = app.staff("clerk", "intake", None).await;
    let (_, handler) = app.staff("handler", "unit_handler", Some(&window)).await;

    for token in [&intake, &handler] {
        let reply = app.get(&unit_path(&section), token).await;
        assert_eq!(reply.status, 200, "{:#}", reply.body);
        assert_eq!(reply.body["parent_id"], agency.as_str());
        assert_eq!(reply.etag(), "\"1\"");

        let all: HashSet<String> = walk(&app, token, 50).await.into_iter().collect();
        assert_eq!(
            all,
            HashSet::from([agency.clone(), section.clone(), window.clone()])
        );
    }

    let anonymous = app.call(Method::GET, UNITS, None, None).await;
    assert_eq!(anonymous.problem(401), "unauthenticated");
}

#[tokio::test]
async fn the_list_pages_through_every_unit_exactly_once() {
    let app = TestApp::spawn().await;
    let agency = app.create_unit("Agency", "agency", None).await;
    let mut created = vec![agency.clone()];
    for n in 0..6 {
        created.push(
            app.create_unit(&format!("Section {n}"), "section", Some(&agency))
                .await,
        );
    }

    let seen = walk(&app, &app.admin, 2).await;

    assert_eq!(seen.len(), created.len(), "{seen:?}");
    let unique: HashSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "a unit appeared twice: {seen:?}");
    assert_eq!(unique, created.iter().collect::<HashSet<_>>());

    let exact = app.get(&format!("{UNITS}?limit=7"), &app.admin).await;
    assert!(
        exact.body["next_cursor"].is_null(),
        "no further page: {:#}",
        exact.body
    );
}

#[tokio::test]
async fn bad_list_parameters_are_refused() {
    let app = TestApp::spawn().await;

    for query in [
        "limit=0",
        "limit=201",
        "limit=two",
        "cursor=abc",
        "cursor=k1.zz",
    ] {
        let reply = app.get(&format!("{UNITS}?{query}"), &app.admin).await;
        assert_eq!(reply.problem(400), "invalid_request", "{query}");
    }
    assert_eq!(
        app.get(&format!("{UNITS}?limit=200"), &app.admin)
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn patch_needs_the_current_version() {
    let app = TestApp::spawn().await;
    let (agency, _, _) = tree(&app).await;
    let first = read(&app, &agency).await.etag();

    let renamed = patch(&app, &agency, Some(&first), json!({"name": "Renamed"})).await;
    assert_eq!(renamed.status, 200, "{:#}", renamed.body);
    assert_eq!(renamed.body["version"], 2);
    assert_eq!(renamed.body["name"], "Renamed");
    assert_eq!(renamed.etag(), "\"2\"");

    let stale = patch(&app, &agency, Some(&first), json!({"name": "Lost update"})).await;
    assert_eq!(stale.problem(412), "stale_version");

    let current = read(&app, &agency).await;
    assert_eq!(current.body["name"], "Renamed");
    assert_eq!(current.etag(), "\"2\"");

    let deactivated = patch(
        &app,
        &agency,
        Some(&current.etag()),
        json!({"active": false}),
    )
    .await;
    assert_eq!(deactivated.status, 200, "{:#}", deactivated.body);
    assert_eq!(deactivated.body["version"], 3);
    assert_eq!(deactivated.body["active"], false);
    assert_eq!(deactivated.body["name"], "Renamed", "absent fields stay");

    // A weak ETag is not one this service issued: it never matches. An unquoted `3` is not
    // an ETag at all: 400.
    let weak = patch(&app, &agency, Some("W/\"3\""), json!({"name": "Not ours"})).await;
    assert_eq!(weak.problem(412), "stale_version");
    let unquoted = patch(&app, &agency, Some("3"), json!({"name": "Not ours"})).await;
    assert_eq!(unquoted.problem(400), "invalid_request");
    // An empty If-Match names no version: 412, not 400.
    let empty = patch(&app, &agency, Some(""), json!({"name": "Not ours"})).await;
    assert_eq!(empty.problem(412), "stale_version");
    // Without a token the answer is 401, whatever the header says.
    let anonymous = app
        .call_with(
            Method::PATCH,
            &unit_path(&agency),
            None,
            Some(json!({"name": "Not ours"})),
            &[("If-Match", "3")],
        )
        .await;
    assert_eq!(anonymous.problem(401), "unauthenticated");
    assert_eq!(read(&app, &agency).await.body["version"], 3, "unchanged");
}

#[tokio::test]
async fn a_unit_cannot_move_under_itself_or_its_descendants() {
    let app = TestApp::spawn().await;
    let (agency, section, window) = tree(&app).await;

    for (unit, new_parent) in [
        (&agency, &window),
        (&agency, &section),
        (&section, &window),
        (&agency, &agency),
    ] {
        let reply = patch(&app, unit, None, json!({"parent_id": new_parent})).await;
        assert_eq!(reply.problem(422), "validation_failed");
        assert_eq!(reply.error_fields(), ["parent_id"]);
    }
    assert!(
        read(&app, &agency).await.body["parent_id"].is_null(),
        "the tree is unchanged"
    );

    let orphan = patch(&app, &section, None, json!({"parent_id": null})).await;
    assert_eq!(orphan.problem(422), "validation_failed");

    let unknown = patch(
        &app,
        &section,
        None,
        json!({"parent_id": uuid::Uuid::now_v7()}),
    )
    .await;
    assert_eq!(unknown.error_fields(), ["parent_id"]);

    let other = app.create_unit("Other agency", "agency", None).await;
    let moved = patch(&app, &section, None, json!({"parent_id": other})).await;
    assert_eq!(moved.status, 200, "a legal move: {:#}", moved.body);
    assert_eq!(moved.body["parent_id"], other.as_str());
}

#[tokio::test]
async fn an_unknown_unit_is_not_found() {
    let app = TestApp::spawn().await;
    let nobody = uuid::Uuid::now_v7().to_string();

    assert_eq!(
        app.get(&unit_path(&nobody), &app.admin).await.problem(404),
        "not_found"
    );
    let reply = patch(&app, &nobody, None, json!({"name": "Ghost"})).await;
    assert_eq!(reply.problem(404), "not_found");
    assert_eq!(
        app.get(&unit_path("not-a-uuid"), &app.admin)
            .await
            .problem(400),
        "invalid_request"
    );
}

#[tokio::test]
async fn malformed_unit_requests_are_bad_requests() {
    let app = TestApp::spawn().await;
    let long_name = "x".repeat(201);

    let bodies = [
        json!({"name": "Agency", "kind": "ministry"}),
        json!({"name": 3, "kind": "agency"}),
        json!({"name": long_name, "kind": "agency"}),
        json!({"name": "", "kind": "agency"}),
        json!({"name": "   ", "kind": "agency"}),
        json!({"kind": "agency"}),
        json!({"name": "Agency"}),
        json!({"name": "Agency", "kind": "agency", "parent_id": "not-a-uuid"}),
        json!(["Agency", "agency"]),
    ];
    for body in bodies {
        let reply = create(&app, &app.admin, body.clone()).await;
        assert_eq!(reply.problem(400), "invalid_request", "{body}");
    }
    for raw in ["{\"name\": \"Agency\", \"kind\": ", "not json at all", ""] {
        let reply = post_raw(&app, raw).await;
        assert_eq!(reply.problem(400), "invalid_request", "{raw:?}");
    }
    assert_eq!(
        walk(&app, &app.admin, 50).await.len(),
        0,
        "nothing was created"
    );

    // The limit counts characters, not bytes: 200 Chinese characters fit.
    let reply = create(
        &app,
        &app.admin,
        json!({"name": "科".repeat(200), "kind": "agency"}),
    )
    .await;
    assert_eq!(reply.status, 201, "{:#}", reply.body);
}
