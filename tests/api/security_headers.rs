//! Security headers on every response: JSON answers, problem answers and the HTML docs.

use duban_tests::TestApp;
use reqwest::Method;
use reqwest::header::HeaderMap;

fn header<'a>(headers: &'a HeaderMap, name: &str) -> &'a str {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

fn assert_common(headers: &HeaderMap, what: &str) {
    assert_eq!(header(headers, "cache-control"), "no-store", "{what}");
    assert_eq!(
        header(headers, "x-content-type-options"),
        "nosniff",
        "{what}"
    );
    assert_eq!(header(headers, "referrer-policy"), "no-referrer", "{what}");
    assert_eq!(header(headers, "x-frame-options"), "DENY", "{what}");
    let csp = header(headers, "content-security-policy");
    assert!(csp.contains("frame-ancestors 'none'"), "{what}: {csp}");
}

#[tokio::test]
async fn json_problem_and_docs_responses_carry_the_security_headers() {
    let app = TestApp::spawn().await;

    let me = app.get("/api/v1/auth/me", &app.admin).await;
    assert_eq!(me.status, 200);
    assert_common(&me.headers, "an authenticated JSON answer");
    assert_eq!(
        header(&me.headers, "content-security-policy"),
        "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"
    );
    assert!(me.headers.get("strict-transport-security").is_none());

    let refused = app.call(Method::GET, "/api/v1/auth/me", None, None).await;
    assert_eq!(refused.problem(401), "unauthenticated");
    assert_common(&refused.headers, "a problem answer");
    let missing = app.get("/api/v1/no-such-thing", &app.admin).await;
    assert_eq!(missing.problem(404), "not_found");
    assert_common(&missing.headers, "a 404 answer");

    let docs = app
        .client
        .get(format!("{}/docs/", app.base))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(docs.status(), 200);
    let headers = docs.headers().clone();
    assert_common(&headers, "the docs page");
    let csp = header(&headers, "content-security-policy");
    assert!(
        csp.starts_with("default-src 'none'; script-src 'sha256-"),
        "{csp}"
    );
    assert!(!csp.contains("script-src 'unsafe-inline'"), "{csp}");
    let html = docs.text().await.unwrap_or_default();
    assert!(html.contains("SwaggerUIBundle"), "the page is whole");
}

#[tokio::test]
async fn hsts_is_sent_only_behind_tls() {
    let app = TestApp::spawn_with(|s| s.behind_tls = true).await;
    let reply = app.call(Method::GET, "/health/live", None, None).await;
    assert_eq!(reply.status, 200);
    assert!(
        header(&reply.headers, "strict-transport-security").starts_with("max-age="),
        "{:?}",
        reply.headers
    );
    assert_common(&reply.headers, "health behind TLS");
}
