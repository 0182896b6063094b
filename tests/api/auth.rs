//! Logging in and out: tokens, their expiry and revocation, the 401 challenge, throttling of
//! repeated failures, and sessions that end when an account changes.
use chrono::{DateTime, Utc};
use duban_tests::{ADMIN_PASSWORD, Reply, STAFF_PASSWORD, TestApp};
use reqwest::Method;
use serde_json::json;

const LOGIN: &str = "/api/v1/auth/login";
const ME: &str = "/api/v1/auth/me";
const LOGOUT: &str = "/api/v1/auth/logout";

/// Tries to log in and returns the reply, whatever it is.
async fn attempt(app: &TestApp, username: &str, password: &str) -> Reply {
    app.call(
        Method::POST,
        LOGIN,
        None,
        Some(json!({"username": username, "password": password})),
    )
    .await
}

async fn me(app: &TestApp, token: &str) -> Reply {
    app.get(ME, token).await
}

async fn logout(app: &TestApp, token: &str) -> Reply {
    app.call(Method::POST, LOGOUT, Some(token), None).await
}

fn header(reply: &Reply, name: &str) -> String {
    reply
        .headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// Asserts a 401 problem that challenges for a bearer token.
fn assert_unauthenticated(reply: &Reply) {
    assert_eq!(reply.problem(401), "unauthenticated");
    assert_eq!(
        header(reply, "www-authenticate"),
        "Bearer",
        "{:#}",
        reply.body
    );
}

/// The current ETag of an account, read as admin.
async fn user_etag(app: &TestApp, id: &str) -> String {
    let reply = app.get(&format!("/api/v1/users/{id}"), &app.admin).await;
    assert_eq!(reply.status, 200, "{:#}", reply.body);
    reply.etag()
}

#[tokio::test]
async fn login_returns_a_token_expiring_in_twelve_hours_and_the_user() {
    let app = TestApp::spawn().await;
    let before = Utc::now();

    let reply = attempt(&app, "admin", ADMIN_PASSWORD).await;

    assert_eq!(reply.status, 200, "{:#}", reply.body);
    let token = reply.body["token"].as_str().unwrap_or_default();
    assert!(
        token.len() >= 32,
        "token too short to be unguessable: {token}"
    );
    let expires_at: DateTime<Utc> = reply.body["expires_at"]
        .as_str()
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| panic!("expires_at is not RFC 3339: {:#}", reply.body));
    let ahead = expires_at - before;
    assert!(
        ahead > chrono::Duration::hours(12) - chrono::Duration::minutes(1)
            && ahead < chrono::Duration::hours(12) + chrono::Duration::minutes(1),
        "expires_at {expires_at} is not about 12 h after {before}"
    );
    assert_eq!(reply.body["user"]["username"], "admin");
    assert_eq!(reply.body["user"]["role"], "admin");
    assert!(reply.body["user"]["id"].is_string());

    assert_eq!(me(&app, token).await.status, 200);
}

#[tokio::test]
async fn wrong_password_is_refused_with_a_bearer_challenge() {
    let app = TestApp::spawn().await;

    let reply = attempt(&app, "admin", "not-the-admin-password").await;

    assert_unauthenticated(&reply);
    assert!(reply.body.get("token").is_none(), "{:#}", reply.body);
}

#[tokio::test]
async fn unknown_user_is_refused_like_a_wrong_password() {
    let app = TestApp::spawn().await;

    let unknown = attempt(&app, "nobody", ADMIN_PASSWORD).await;
    let wrong = attempt(&app, "admin", "not-the-admin-password").await;

    assert_unauthenticated(&unknown);
    // The answer must not tell which usernames exist.
    assert_eq!(unknown.body["detail"], wrong.body["detail"]);
}

#[tokio::test]
async fn malformed_logins_are_bad_requests() {
    let app = TestApp::spawn().await;

    for body in [
        json!({"username": "admin"}),
        json!({"password": ADMIN_PASSWORD}),
        json!({"username": "admin", "password": ""}),
        json!({"username": 7, "password": ADMIN_PASSWORD}),
        json!({"username": "a".repeat(65), "password": ADMIN_PASSWORD}),
    ] {
        let reply = app
            .call(Method::POST, LOGIN, None, Some(body.clone()))
            .await;
        assert_eq!(reply.problem(400), "invalid_request", "{body}");
    }
    let response = app
        .client
        .post(format!("{}{LOGIN}", app.base))
        .header("content-type", "application/json")
        .body("{\"username\": \"admin\", ")
        .send()
        .await
        .unwrap_or_else(|e| panic!("request failed: {e}"));
    assert_eq!(response.status(), 400);
}

#[tokio::test]
async fn protected_routes_need_a_valid_bearer_token() {
    let app = TestApp::spawn().await;

    let missing = app.call(Method::GET, ME, None, None).await;
    assert_unauthenticated(&missing);

    let garbage = app.get(ME, "garbage-token").await;
    assert_unauthenticated(&garbage);

    let lookalike = app.get(ME, &format!("dbn_{}", "0".repeat(64))).await;
    assert_unauthenticated(&lookalike);

    for authorization in ["Bearer", "Bearer ", "Token abc"] {
        let reply = app
            .call_with(
                Method::GET,
                ME,
                None,
                None,
                &[("authorization", authorization)],
            )
            .await;
        assert_unauthenticated(&reply);
    }

    let basic = app
        .call_with(
            Method::GET,
            "/api/v1/units",
            None,
            None,
            &[("authorization", "Basic YWRtaW46eA==")],
        )
        .await;
    assert_unauthenticated(&basic);

    let write = app
        .call(
            Method::POST,
            "/api/v1/units",
            Some("garbage-token"),
            Some(json!({"name": "X", "kind": "agency"})),
        )
        .await;
    assert_unauthenticated(&write);
}

#[tokio::test]
async fn logout_revokes_only_the_token_it_carries() {
    let app = TestApp::spawn().await;
    let (_, first) = app.staff("clerk", "intake", None).await;
    let second = app.login("clerk", STAFF_PASSWORD).await;

    let reply = logout(&app, &first).await;

    assert_eq!(reply.status, 204, "{:#}", reply.body);
    assert_unauthenticated(&me(&app, &first).await);
    assert_unauthenticated(&logout(&app, &first).await);
    assert_eq!(
        me(&app, &second).await.status,
        200,
        "another session of the user stays"
    );
}

#[tokio::test]
async fn me_shows_the_callers_role_and_unit() {
    let app = TestApp::spawn().await;
    let agency = app.create_unit("Agency", "agency", None).await;
    let section = app.create_unit("Licensing", "section", Some(&agency)).await;
    let (intake_id, intake) = app.staff("clerk", "intake", None).await;
    let (head_id, head) = app.staff("head", "unit_head", Some(&section)).await;

    let reply = me(&app, &intake).await;
    assert_eq!(reply.status, 200, "{:#}", reply.body);
    assert_eq!(reply.body["id"], intake_id.as_str());
    assert_eq!(reply.body["username"], "clerk");
    assert_eq!(reply.body["role"], "intake");
    assert!(reply.body["unit_id"].is_null());

    let reply = me(&app, &head).await;
    assert_eq!(reply.body["id"], head_id.as_str());
    assert_eq!(reply.body["role"], "unit_head");
    assert_eq!(reply.body["unit_id"], section.as_str());

    assert_eq!(me(&app, &app.admin).await.body["role"], "admin");
}

#[tokio::test]
async fn repeated_failures_throttle_the_username_from_that_address_only() {
    let app = TestApp::spawn().await;
    // However long the password hashing takes, the block is not running out meanwhile.
    app.clock.freeze();
    app.create_user("clerk", "intake", None).await;
    app.create_user("other", "intake", None).await;

    for _ in 0..5 {
        assert_unauthenticated(&attempt(&app, "clerk", "wrong-password-guess").await);
    }
    let throttled = attempt(&app, "clerk", STAFF_PASSWORD).await;

    assert_eq!(throttled.problem(429), "throttled");
    let retry_after: u64 = header(&throttled, "retry-after")
        .parse()
        .unwrap_or_else(|_| {
            panic!(
                "Retry-After is not a number of seconds: {:?}",
                throttled.headers
            )
        });
    // The block is 30 s from the fifth failure; at most that much is left, and the
    // remainder is rounded up, never down.
    assert!((1..=30).contains(&retry_after), "{retry_after}");
    assert!(throttled.body.get("token").is_none());

    // Someone else still logs in from the same address.
    assert_eq!(attempt(&app, "other", STAFF_PASSWORD).await.status, 200);

    // The owner logs in from another address while the flood's address is blocked.
    duban_tests::install_tls_provider();
    let elsewhere = reqwest::Client::builder()
        .local_address(std::net::IpAddr::from([127, 0, 0, 2]))
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let reply = elsewhere
        .post(format!("{}{LOGIN}", app.base))
        .json(&json!({"username": "clerk", "password": STAFF_PASSWORD}))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(reply.status(), 200);
    assert_eq!(attempt(&app, "clerk", STAFF_PASSWORD).await.status, 429);
}

#[tokio::test]
async fn admins_read_failed_and_throttled_logins_as_security_events() {
    let app = TestApp::spawn().await;
    let (_, clerk) = app.staff("clerk", "intake", None).await;
    for _ in 0..5 {
        assert_unauthenticated(&attempt(&app, "clerk", "wrong-password-guess").await);
    }
    assert_eq!(attempt(&app, "clerk", STAFF_PASSWORD).await.status, 429);
    assert_unauthenticated(&attempt(&app, "nobody", "wrong-password-guess").await);

    let first = app.get("/api/v1/security-events?limit=2", &app.admin).await;
    assert_eq!(first.status, 200, "{:#}", first.body);
    let items = first.body["items"].as_array().cloned().unwrap_or_default();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["kind"], "login_failed");
    assert_eq!(items[0]["username"], "nobody");
    assert_eq!(items[1]["kind"], "login_throttled");
    assert_eq!(items[1]["username"], "clerk");
    assert_eq!(items[1]["client_address"], "127.0.0.1");
    let cursor = first.body["next_cursor"].as_str().unwrap_or_default();
    let rest = app
        .get(
            &format!("/api/v1/security-events?cursor={cursor}"),
            &app.admin,
        )
        .await;
    // The last page has no `next_cursor` at all (the schema says a string when present).
    assert!(rest.body.get("next_cursor").is_none(), "{:#}", rest.body);
    let rest = rest.body["items"].as_array().cloned().unwrap_or_default();
    assert_eq!(rest.len(), 5);
    assert!(rest.iter().all(|e| e["kind"] == "login_failed"));

    // X-Forwarded-For from a peer that is not a trusted proxy changes nothing.
    let forged = app
        .call_with(
            Method::POST,
            LOGIN,
            None,
            Some(json!({"username": "clerk", "password": "wrong-password-guess"})),
            &[("x-forwarded-for", "203.0.113.5")],
        )
        .await;
    assert_eq!(forged.problem(429), "throttled");
    let newest = app.get("/api/v1/security-events?limit=1", &app.admin).await;
    assert_eq!(newest.body["items"][0]["client_address"], "127.0.0.1");

    let refused = app.get("/api/v1/security-events", &clerk).await;
    assert_eq!(refused.problem(403), "forbidden");
}

#[tokio::test]
async fn concurrent_failures_all_count_towards_the_throttle() {
    let app = TestApp::spawn().await;
    app.create_user("clerk", "intake", None).await;

    let guesses = (0..8).map(|_| attempt(&app, "clerk", "wrong-password-guess"));
    let replies = futures::future::join_all(guesses).await;

    for reply in &replies {
        let status = reply.status.as_u16();
        assert!(
            status == 401 || status == 429,
            "a failed login is 401 or 429: {reply:#?}"
        );
        reply.problem(status);
    }
    let reply = attempt(&app, "clerk", STAFF_PASSWORD).await;
    assert_eq!(
        reply.problem(429),
        "throttled",
        "eight failures were not all counted"
    );
}

#[tokio::test]
async fn deactivating_an_account_ends_its_sessions() {
    let app = TestApp::spawn().await;
    let (id, token) = app.staff("clerk", "intake", None).await;
    assert_eq!(me(&app, &token).await.status, 200);

    let etag = user_etag(&app, &id).await;
    let reply = app
        .call_with(
            Method::PATCH,
            &format!("/api/v1/users/{id}"),
            Some(&app.admin),
            Some(json!({"active": false})),
            &[("if-match", &etag)],
        )
        .await;
    assert_eq!(reply.status, 200, "{:#}", reply.body);
    assert_eq!(reply.body["active"], false);

    assert_unauthenticated(&me(&app, &token).await);
    assert_unauthenticated(&attempt(&app, "clerk", STAFF_PASSWORD).await);

    // Reactivated, the account logs in again; the old session stays ended.
    let reply = app
        .call_with(
            Method::PATCH,
            &format!("/api/v1/users/{id}"),
            Some(&app.admin),
            Some(json!({"active": true})),
            &[("if-match", &user_etag(&app, &id).await)],
        )
        .await;
    assert_eq!(reply.status, 200, "{:#}", reply.body);
    let fresh = app.login("clerk", STAFF_PASSWORD).await;
    assert_eq!(me(&app, &fresh).await.status, 200);
    assert_unauthenticated(&me(&app, &token).await);
}

#[tokio::test]
async fn changing_the_password_ends_the_sessions() {
    let app = TestApp::spawn().await;
    let (id, token) = app.staff("clerk", "intake", None).await;

    let etag = user_etag(&app, &id).await;
    let reply = app
        .call_with(
            Method::POST,
            &format!("/api/v1/users/{id}/password"),
            Some(&app.admin),
            Some(json!({"password": "a-brand-new-password"})),
            &[("if-match", &etag)],
        )
        .await;
    assert_eq!(reply.status, 200, "{:#}", reply.body);

    assert_unauthenticated(&me(&app, &token).await);
    let fresh = app.login("clerk", "a-brand-new-password").await;
    assert_eq!(me(&app, &fresh).await.status, 200);
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_forwarded_client_is_throttled_alone() {
    let app = TestApp::spawn_with(|s| {
        s.trusted_proxies = vec![std::net::IpAddr::from([127, 0, 0, 1])];
    })
    .await;
    app.create_user("clerk", "intake", None).await;
    let from = |client: &'static str, password: &'static str| {
        let app = &app;
        async move {
            app.call_with(
                Method::POST,
                LOGIN,
                None,
                Some(json!({"username": "clerk", "password": password})),
                &[("x-forwarded-for", client)],
            )
            .await
        }
    };
    for _ in 0..5 {
        assert_unauthenticated(&from("203.0.113.5", "wrong-password-guess").await);
    }
    assert_eq!(
        from("203.0.113.5", STAFF_PASSWORD).await.problem(429),
        "throttled"
    );
    // Another client behind the same proxy is not held up.
    assert_eq!(from("198.51.100.7", STAFF_PASSWORD).await.status, 200);

    let events = app.get("/api/v1/security-events?limit=1", &app.admin).await;
    assert_eq!(events.body["items"][0]["client_address"], "203.0.113.5");
}
