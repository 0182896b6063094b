//! Staff accounts: roles and their units, validation, admin-only management, password
//! changes, and responses that never reveal a password or its hash.

use duban_tests::{Reply, STAFF_PASSWORD, TestApp};
use reqwest::Method;
use serde_json::{Value, json};

const USERS: &str = "/api/v1/users";

fn user_path(id: &str) -> String {
    format!("{USERS}/{id}")
}

/// A complete, valid new account.
fn new_user(username: &str, role: &str, unit: Option<&str>) -> Value {
    json!({"username": username, "display_name": format!("{username} 同志"), "role": role,
           "unit_id": unit, "password": STAFF_PASSWORD})
}

async fn create(app: &TestApp, token: &str, body: Value) -> Reply {
    app.post(USERS, token, body).await
}

/// PATCHes an account as admin with its current ETag.
async fn patch(app: &TestApp, id: &str, body: Value) -> Reply {
    let etag = read(app, id).await.etag();
    app.call_with(
        Method::PATCH,
        &user_path(id),
        Some(&app.admin),
        Some(body),
        &[("if-match", &etag)],
    )
    .await
}

/// Sets an account's password as admin with its current ETag.
async fn set_password(app: &TestApp, id: &str, password: &str) -> Reply {
    let etag = read(app, id).await.etag();
    app.call_with(
        Method::POST,
        &format!("{}/password", user_path(id)),
        Some(&app.admin),
        Some(json!({"password": password})),
        &[("if-match", &etag)],
    )
    .await
}

/// Reads an account as admin; panics unless it exists.
async fn read(app: &TestApp, id: &str) -> Reply {
    let reply = app.get(&user_path(id), &app.admin).await;
    assert_eq!(reply.status, 200, "{:#}", reply.body);
    reply
}

async fn attempt_login(app: &TestApp, username: &str, password: &str) -> Reply {
    app.call(
        Method::POST,
        "/api/v1/auth/login",
        None,
        Some(json!({"username": username, "password": password})),
    )
    .await
}

/// Every account in the list, walking all pages as admin.
async fn list_all(app: &TestApp) -> Vec<Value> {
    let mut all = Vec::new();
    let mut path = format!("{USERS}?limit=2");
    loop {
        let reply = app.get(&path, &app.admin).await;
        assert_eq!(reply.status, 200, "{:#}", reply.body);
        assert_no_secrets(&reply.body);
        all.extend(reply.body["items"].as_array().cloned().unwrap_or_default());
        match reply.body["next_cursor"].as_str() {
            Some(cursor) => path = format!("{USERS}?limit=2&cursor={cursor}"),
            None => return all,
        }
        assert!(all.len() < 1000, "pagination does not end");
    }
}

/// Passwords these tests send; no response may contain them.
const SENT_PASSWORDS: [&str; 3] = [STAFF_PASSWORD, "a-brand-new-password", "s3cr3t-hunt"];

/// Panics if any key names a password or hash, or any value holds a password these tests sent
/// or an argon2 hash.
fn assert_no_secrets(value: &Value) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                let key = key.to_lowercase();
                assert!(
                    !key.contains("password") && !key.contains("hash"),
                    "secret field `{key}` in {value:#}"
                );
                assert_no_secrets(inner);
            }
        }
        Value::Array(items) => items.iter().for_each(assert_no_secrets),
        Value::String(s) => assert!(
            !s.contains("$argon2") && SENT_PASSWORDS.iter().all(|p| !s.contains(p)),
            "secret value in response: {s}"
        ),
        _ => {}
    }
}

/// An agency with one section; returns the section's id.
async fn section(app: &TestApp) -> String {
    let agency = app.create_unit("Agency", "agency", None).await;
    app.create_unit("Licensing", "section", Some(&agency)).await
}

#[tokio::test]
async fn every_role_can_be_created() {
    let app = TestApp::spawn().await;
    let section = section(&app).await;

    for (role, unit) in [
        ("intake", None),
        ("unit_handler", Some(section.as_str())),
        ("unit_head", Some(section.as_str())),
        ("leading_group", None),
        ("admin", None),
    ] {
        let username = format!("user.{role}");
        let reply = create(&app, &app.admin, new_user(&username, role, unit)).await;

        assert_eq!(reply.status, 201, "{role}: {:#}", reply.body);
        assert_no_secrets(&reply.body);
        assert_eq!(reply.etag(), "\"1\"");
        assert_eq!(reply.body["username"], username.as_str());
        assert_eq!(reply.body["role"], role);
        assert_eq!(reply.body["unit_id"], json!(unit));
        assert_eq!(reply.body["active"], true);
        assert_eq!(reply.body["party_member"], false);
        assert_eq!(reply.body["version"], 1);

        let token = app.login(&username, STAFF_PASSWORD).await;
        assert_eq!(app.get("/api/v1/auth/me", &token).await.body["role"], role);
    }
}

#[tokio::test]
async fn unit_roles_need_a_unit_and_other_roles_have_none() {
    let app = TestApp::spawn().await;
    let section = section(&app).await;

    let refused = [
        new_user("handler", "unit_handler", None),
        new_user("head", "unit_head", None),
        new_user("clerk", "intake", Some(&section)),
        new_user("leader", "leading_group", Some(&section)),
        new_user("boss", "admin", Some(&section)),
        new_user(
            "stray",
            "unit_handler",
            Some(&uuid::Uuid::now_v7().to_string()),
        ),
    ];
    for body in refused {
        let reply = create(&app, &app.admin, body.clone()).await;
        assert_eq!(reply.problem(422), "validation_failed", "{body}");
        assert_eq!(reply.error_fields(), ["unit_id"], "{body}");
    }
    assert_eq!(list_all(&app).await.len(), 1, "only the first admin exists");
}

#[tokio::test]
async fn a_username_is_taken_once() {
    let app = TestApp::spawn().await;
    app.create_user("clerk", "intake", None).await;

    let reply = create(&app, &app.admin, new_user("clerk", "leading_group", None)).await;

    assert_eq!(reply.problem(409), "duplicate");
    let admin_again = create(&app, &app.admin, new_user("admin", "admin", None)).await;
    assert_eq!(admin_again.problem(409), "duplicate");
    assert_eq!(list_all(&app).await.len(), 2);
}

#[tokio::test]
async fn passwords_have_at_least_twelve_characters() {
    let app = TestApp::spawn().await;
    let mut body = new_user("clerk", "intake", None);
    body["password"] = json!("elevenchars");

    let reply = create(&app, &app.admin, body.clone()).await;
    assert_eq!(reply.problem(400), "invalid_request");

    body["password"] = json!("twelve-chars");
    let reply = create(&app, &app.admin, body).await;
    assert_eq!(reply.status, 201, "{:#}", reply.body);
    app.login("clerk", "twelve-chars").await;

    let id = reply.body["id"].as_str().unwrap_or_default().to_owned();
    assert_eq!(
        set_password(&app, &id, "short-pass").await.problem(400),
        "invalid_request"
    );
    app.login("clerk", "twelve-chars").await;
}

#[tokio::test]
async fn malformed_accounts_are_bad_requests() {
    let app = TestApp::spawn().await;

    let mut bad = Vec::new();
    for username in [
        "Clerk",
        "li hua",
        "x",
        "-clerk",
        "clerk@example",
        "李华",
        &"a".repeat(65),
    ] {
        bad.push(new_user(username, "intake", None));
    }
    let mut unknown_role = new_user("clerk", "intake", None);
    unknown_role["role"] = json!("superuser");
    bad.push(unknown_role);
    let mut numeric_name = new_user("clerk", "intake", None);
    numeric_name["display_name"] = json!(42);
    bad.push(numeric_name);
    let mut no_password = new_user("clerk", "intake", None);
    if let Some(fields) = no_password.as_object_mut() {
        fields.remove("password");
    }
    bad.push(no_password);

    for body in bad {
        let reply = create(&app, &app.admin, body.clone()).await;
        assert_eq!(reply.problem(400), "invalid_request", "{body}");
    }
    assert_eq!(list_all(&app).await.len(), 1, "nothing was created");
}

#[tokio::test]
async fn only_admin_manages_accounts() {
    let app = TestApp::spawn().await;
    let section = section(&app).await;
    let (clerk_id, intake) = app.staff("clerk", "intake", None).await;
    let (_, head) = app.staff("head", "unit_head", Some(&section)).await;
    let (_, leader) = app.staff("leader", "leading_group", None).await;

    for token in [&intake, &head, &leader] {
        assert_eq!(app.get(USERS, token).await.problem(403), "forbidden");
        assert_eq!(
            app.get(&user_path(&clerk_id), token).await.problem(403),
            "forbidden"
        );
        let reply = create(&app, token, new_user("sneaky", "admin", None)).await;
        assert_eq!(reply.problem(403), "forbidden");
        let reply = app
            .call(
                Method::PATCH,
                &user_path(&clerk_id),
                Some(token),
                Some(json!({"role": "admin"})),
            )
            .await;
        assert_eq!(reply.problem(403), "forbidden");
        let reply = app
            .post(
                &format!("{}/password", user_path(&clerk_id)),
                token,
                json!({"password": "taken-over-password"}),
            )
            .await;
        assert_eq!(reply.problem(403), "forbidden");
    }
    assert_eq!(read(&app, &clerk_id).await.body["role"], "intake");
    assert_eq!(read(&app, &clerk_id).await.body["version"], 1);
    app.login("clerk", STAFF_PASSWORD).await;
}

#[tokio::test]
async fn admin_lists_reads_and_changes_accounts() {
    let app = TestApp::spawn().await;
    let section = section(&app).await;
    let clerk = app.create_user("clerk", "intake", None).await;
    let leader = app.create_user("leader", "leading_group", None).await;
    let handler = app
        .create_user("handler", "unit_handler", Some(&section))
        .await;

    let listed: Vec<String> = list_all(&app)
        .await
        .iter()
        .filter_map(|u| u["username"].as_str().map(str::to_owned))
        .collect();
    let mut sorted = listed.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        ["admin", "clerk", "handler", "leader"],
        "each once: {listed:?}"
    );

    let reply = read(&app, &leader).await;
    assert_no_secrets(&reply.body);
    assert_eq!(reply.body["username"], "leader");
    assert_eq!(reply.body["role"], "leading_group");
    assert_eq!(reply.etag(), "\"1\"");

    // The clerk becomes head of the section.
    let reply = patch(
        &app,
        &clerk,
        json!({"role": "unit_head", "unit_id": section, "display_name": "王科长"}),
    )
    .await;
    assert_eq!(reply.status, 200, "{:#}", reply.body);
    assert_no_secrets(&reply.body);
    assert_eq!(reply.body["role"], "unit_head");
    assert_eq!(reply.body["unit_id"], section.as_str());
    assert_eq!(reply.body["display_name"], "王科长");
    assert_eq!(reply.body["version"], 2);
    assert_eq!(reply.etag(), "\"2\"");
    let token = app.login("clerk", STAFF_PASSWORD).await;
    assert_eq!(
        app.get("/api/v1/auth/me", &token).await.body["role"],
        "unit_head"
    );

    // A unit role cannot lose its unit, and an office role cannot gain one.
    let reply = patch(&app, &handler, json!({"unit_id": null})).await;
    assert_eq!(reply.error_fields(), ["unit_id"]);
    let reply = patch(&app, &handler, json!({"role": "intake"})).await;
    assert_eq!(reply.problem(422), "validation_failed");
    assert_eq!(reply.error_fields(), ["unit_id"]);
    let reply = patch(&app, &handler, json!({"role": "intake", "unit_id": null})).await;
    assert_eq!(reply.status, 200, "{:#}", reply.body);
    assert!(reply.body["unit_id"].is_null());

    let stale = app
        .call_with(
            Method::PATCH,
            &user_path(&leader),
            Some(&app.admin),
            Some(json!({"party_member": true})),
            &[("if-match", "\"7\"")],
        )
        .await;
    assert_eq!(stale.problem(412), "stale_version");
    let reply = patch(&app, &leader, json!({"party_member": true})).await;
    assert_eq!(reply.body["party_member"], true);
    assert_eq!(reply.body["role"], "leading_group", "absent fields stay");

    let nobody = uuid::Uuid::now_v7().to_string();
    assert_eq!(
        app.get(&user_path(&nobody), &app.admin).await.problem(404),
        "not_found"
    );
}

#[tokio::test]
async fn a_role_change_ends_the_old_sessions() {
    let app = TestApp::spawn().await;
    let (clerk, token) = app.staff("clerk", "intake", None).await;

    let reply = patch(&app, &clerk, json!({"role": "leading_group"})).await;
    assert_eq!(reply.status, 200, "{:#}", reply.body);

    assert_eq!(
        app.get("/api/v1/auth/me", &token).await.problem(401),
        "unauthenticated"
    );
}

#[tokio::test]
async fn admin_sets_a_password_and_only_the_new_one_works() {
    let app = TestApp::spawn().await;
    let clerk = app.create_user("clerk", "intake", None).await;

    let reply = set_password(&app, &clerk, "a-brand-new-password").await;

    assert_eq!(reply.status, 200, "{:#}", reply.body);
    assert_no_secrets(&reply.body);
    assert_eq!(reply.body["version"], 2);
    assert_eq!(reply.etag(), "\"2\"");
    let login = attempt_login(&app, "clerk", "a-brand-new-password").await;
    assert_eq!(login.status, 200, "{:#}", login.body);
    assert_no_secrets(&login.body);
    assert_eq!(
        attempt_login(&app, "clerk", STAFF_PASSWORD)
            .await
            .problem(401),
        "unauthenticated"
    );

    let stale = app
        .call_with(
            Method::POST,
            &format!("{}/password", user_path(&clerk)),
            Some(&app.admin),
            Some(json!({"password": "yet-another-password"})),
            &[("if-match", "\"1\"")],
        )
        .await;
    assert_eq!(stale.problem(412), "stale_version");
}

#[tokio::test]
async fn no_response_reveals_a_password_or_its_hash() {
    let app = TestApp::spawn().await;
    let section = section(&app).await;
    let (id, token) = app.staff("handler", "unit_handler", Some(&section)).await;

    assert_no_secrets(&app.get("/api/v1/auth/me", &token).await.body);
    assert_no_secrets(&attempt_login(&app, "handler", STAFF_PASSWORD).await.body);
    assert_no_secrets(&read(&app, &id).await.body);
    assert_no_secrets(
        &patch(&app, &id, json!({"display_name": "Handler"}))
            .await
            .body,
    );
    assert_no_secrets(&set_password(&app, &id, "a-brand-new-password").await.body);
    list_all(&app).await;

    // Refusals do not echo the password either.
    let mut short = new_user("other", "intake", None);
    short["password"] = json!("s3cr3t-hunt");
    assert_no_secrets(&create(&app, &app.admin, short).await.body);
    assert_no_secrets(&attempt_login(&app, "handler", STAFF_PASSWORD).await.body);
}
