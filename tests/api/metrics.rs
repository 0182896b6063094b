//! `GET /metrics`: what a Prometheus scraper reads.

use duban_tests::TestApp;
use reqwest::Method;

async fn scrape(app: &TestApp, token: Option<&str>) -> (u16, String, String) {
    let mut request = app
        .client
        .request(Method::GET, format!("{}/metrics", app.base));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request
        .send()
        .await
        .unwrap_or_else(|e| panic!("scrape failed: {e}"));
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    (
        status,
        content_type,
        response.text().await.unwrap_or_default(),
    )
}

/// The value of the sample whose line starts with `series` (name and labels).
fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find_map(|line| line.strip_prefix(series)?.trim().parse().ok())
}

/// The sum of a family's samples.
fn family_sum(text: &str, name: &str) -> f64 {
    text.lines()
        .filter(|line| line.starts_with(&format!("{name}{{")))
        .filter_map(|line| line.rsplit(' ').next()?.parse::<f64>().ok())
        .sum()
}

#[tokio::test]
async fn a_scrape_shows_requests_by_route_template_and_the_state_of_the_service() {
    let app = TestApp::spawn().await;
    let unit = app.create_unit("Tax office", "agency", None).await;
    let (_, intake) = app.staff("metrics.intake", "intake", None).await;
    let reply = app
        .register_walk_in(&intake, &unit, "Rude at the window.")
        .await;
    assert_eq!(reply.status, 201, "{:#}", reply.body);
    let read = app.get(&format!("/api/v1/units/{unit}"), &app.admin).await;
    assert_eq!(read.status, 200, "{:#}", read.body);
    let missing = app.get("/no/such/path/here", &app.admin).await;
    assert_eq!(missing.status, 404);

    let (status, content_type, text) = scrape(&app, None).await;
    assert_eq!(status, 200, "{text}");
    assert!(content_type.starts_with("text/plain"), "{content_type}");
    // Requests: by route template, never by raw path.
    assert!(!text.contains(&unit), "a raw id in the labels:\n{text}");
    assert!(
        !text.contains("/no/such/path"),
        "a raw path in the labels:\n{text}"
    );
    let unit_reads: Vec<&str> = text
        .lines()
        .filter(|l| {
            l.starts_with("duban_http_requests_duration_seconds_count{")
                && l.contains("method=\"GET\"")
                && l.contains("route=\"/api/v1/units/")
                && l.contains("status=\"200\"")
        })
        .collect();
    assert_eq!(unit_reads.len(), 1, "{text}");
    assert!(unit_reads[0].ends_with(" 1"), "{}", unit_reads[0]);
    assert!(
        text.contains("route=\"unmatched\",status=\"404\""),
        "{text}"
    );
    assert!(
        text.contains("duban_http_requests_duration_seconds_bucket{"),
        "no latency histogram:\n{text}"
    );
    // State at scrape time.
    assert_eq!(family_sum(&text, "duban_complaints"), 1.0, "{text}");
    assert!(family_sum(&text, "duban_time_limits_open") >= 1.0, "{text}");
    assert_eq!(
        sample(&text, "duban_db_pool_connections{state=\"max\"}"),
        Some(f64::from(app.settings.database_max_connections)),
        "{text}"
    );
    assert!(sample(&text, "duban_outbox_pending").is_some(), "{text}");
    assert!(
        sample(&text, "duban_outbox_oldest_pending_age_seconds").is_some(),
        "{text}"
    );
    assert!(
        sample(&text, "duban_sweeper_lag_seconds").is_some(),
        "{text}"
    );
    assert!(
        sample(&text, "duban_sweeper_last_pass_duration_seconds").is_some(),
        "{text}"
    );
}

#[tokio::test]
async fn a_configured_token_is_required_to_scrape() {
    let app = TestApp::spawn_with(|s| {
        s.metrics_token = Some(duban_infra::config::Secret::new("scraper-token-1"));
    })
    .await;
    let (status, _, _) = scrape(&app, None).await;
    assert_eq!(status, 401);
    let (status, _, _) = scrape(&app, Some("wrong-token")).await;
    assert_eq!(status, 401);
    let (status, _, text) = scrape(&app, Some("scraper-token-1")).await;
    assert_eq!(status, 200, "{text}");
    assert!(text.contains("duban_complaints") || text.contains("duban_outbox_pending"));
}
