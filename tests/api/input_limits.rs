//! What a request may carry: no control characters in its strings (422 naming the field, on
//! both databases), a bounded body (413 before it is read, chunked or not).

use std::time::Duration;

use duban_tests::TestApp;
use reqwest::Method;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const LOGIN: &str = "/api/v1/auth/login";

/// Sends raw bytes on a fresh connection and returns the status and the response text.
/// The guard only stops a hung server from hanging the run.
async fn raw(app: &TestApp, request: &[u8]) -> (u16, String) {
    let address = app.base.trim_start_matches("http://").to_owned();
    let exchange = async {
        let mut stream = tokio::net::TcpStream::connect(address)
            .await
            .unwrap_or_else(|e| panic!("cannot connect: {e}"));
        // The server may refuse before the whole request is written.
        let _ = stream.write_all(request).await;
        let mut response = Vec::new();
        let _ = stream.read_to_end(&mut response).await;
        String::from_utf8_lossy(&response).into_owned()
    };
    let text = tokio::time::timeout(Duration::from_secs(60), exchange)
        .await
        .unwrap_or_else(|_| panic!("the server did not answer"));
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line: {text:?}"));
    (status, text)
}

fn assert_problem_text(text: &str, code: &str) {
    let lower = text.to_ascii_lowercase();
    assert!(
        lower.contains("content-type: application/problem+json"),
        "{text}"
    );
    assert!(text.contains(&format!("\"code\":\"{code}\"")), "{text}");
}

#[tokio::test]
async fn a_nul_in_the_login_username_is_a_422_naming_it() {
    let app = TestApp::spawn().await;
    let reply = app
        .call(
            Method::POST,
            LOGIN,
            None,
            Some(json!({"username": "admin\u{0}", "password": "whatever-it-is"})),
        )
        .await;
    assert_eq!(reply.problem(422), "validation_failed");
    assert_eq!(reply.error_fields(), ["username"]);
}

#[tokio::test]
async fn control_characters_are_refused_in_every_field_that_names_them() {
    let app = TestApp::spawn().await;
    let unit = app.create_unit("Tax Bureau", "agency", None).await;
    let (_, intake) = app.staff("intake1", "intake", None).await;
    let body = json!({
        "channel": "walk_in",
        "respondent_unit_id": unit,
        "matter": "attitude",
        "account": "the clerk\u{0} was rude",
        "complainant": {"name": "Li\tHua", "postal_address": "1 Road\u{1b}"}
    });
    let reply = app.post("/api/v1/complaints", &intake, body).await;
    assert_eq!(reply.problem(422), "validation_failed");
    let mut fields = reply.error_fields();
    fields.sort();
    assert_eq!(
        fields,
        ["account", "complainant.name", "complainant.postal_address"]
    );

    let listed = app.get("/api/v1/complaints?text=rude%00", &intake).await;
    assert_eq!(listed.problem(422), "validation_failed");
    assert_eq!(listed.error_fields(), ["text"]);

    // Nothing was stored.
    let all = app.get("/api/v1/complaints", &intake).await;
    assert_eq!(all.status, 200, "{:#}", all.body);
    assert_eq!(all.body["items"].as_array().map(Vec::len), Some(0));
}

#[tokio::test]
async fn free_text_keeps_its_tabs_and_line_breaks() {
    let app = TestApp::spawn().await;
    let unit = app.create_unit("Tax Bureau", "agency", None).await;
    let (_, intake) = app.staff("intake1", "intake", None).await;
    let account = "first line\r\nsecond line\n\tindented";
    let reply = app.register_walk_in(&intake, &unit, account).await;
    assert_eq!(reply.status, 201, "{:#}", reply.body);
    assert_eq!(reply.body["account"], account);
}

#[tokio::test]
async fn a_body_declared_over_the_limit_is_refused_before_it_is_sent() {
    let app = TestApp::spawn().await;
    // 100 MB announced, one byte sent: the answer cannot wait for the rest.
    let (status, text) = raw(
        &app,
        b"POST /api/v1/auth/login HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\
          Content-Type: application/json\r\nContent-Length: 104857600\r\n\r\n{",
    )
    .await;
    assert_eq!(status, 413, "{text}");
    assert_problem_text(&text, "payload_too_large");
}

#[tokio::test]
async fn a_chunked_body_is_read_only_up_to_the_limit() {
    let app = TestApp::spawn_with(|s| s.max_body_bytes = 1024).await;
    let body = json!({"username": "admin", "password": "p".repeat(2000)}).to_string();
    let mut request = b"POST /api/v1/auth/login HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\
        Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
        .to_vec();
    for chunk in body.as_bytes().chunks(500) {
        request.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        request.extend_from_slice(chunk);
        request.extend_from_slice(b"\r\n");
    }
    request.extend_from_slice(b"0\r\n\r\n");

    let (status, text) = raw(&app, &request).await;

    assert_eq!(status, 413, "{text}");
    assert_problem_text(&text, "payload_too_large");
}

#[tokio::test]
async fn bodies_within_the_limit_and_overlong_urls() {
    let app = TestApp::spawn_with(|s| s.max_body_bytes = 1024).await;
    // Within the limit, chunked or not, the login works.
    assert!(
        !app.login("admin", duban_tests::ADMIN_PASSWORD)
            .await
            .is_empty()
    );
    let long = app
        .get(
            &format!("/api/v1/complaints?text={}", "x".repeat(9000)),
            &app.admin,
        )
        .await;
    assert_eq!(long.problem(414), "uri_too_long");
}
