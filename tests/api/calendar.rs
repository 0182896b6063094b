//! `GET /calendar`, `GET/PUT /calendar/{year}`: the working-day calendar admin keeps.

use duban_tests::TestApp;
use reqwest::Method;
use serde_json::{Value, json};

fn new_year_2027() -> Value {
    json!({"days": [{"date": "2027-01-01", "is_off_day": true, "name": "元旦"}]})
}

async fn put(app: &TestApp, year: &str, token: &str, body: Value) -> duban_tests::Reply {
    app.call(
        Method::PUT,
        &format!("/api/v1/calendar/{year}"),
        Some(token),
        Some(body),
    )
    .await
}

#[tokio::test]
async fn the_bundled_2026_calendar_is_loaded() {
    let app = TestApp::spawn().await;
    let reply = app.get("/api/v1/calendar/2026", &app.admin).await;
    assert_eq!(reply.status, 200, "{:#}", reply.body);
    let year = &reply.body;
    assert_eq!(year["year"], 2026);
    assert_eq!(year["loaded"], true);
    // The data README: 248 working days in 2026.
    assert_eq!(year["working_days"], 248);
    assert_eq!(year["provisional_limits"], 0);
    assert!(year["rule"].as_str().is_some_and(|r| r.contains("Monday")));
    let days = year["days"].as_array().cloned().unwrap_or_default();
    assert!(
        days.contains(&json!({"date": "2026-02-17", "is_off_day": true, "name": "春节"})),
        "{days:#?}"
    );
    // The make-up Saturday before the Spring Festival.
    assert!(
        days.contains(&json!({"date": "2026-02-14", "is_off_day": false, "name": "春节"})),
        "{days:#?}"
    );

    let overview = app.get("/api/v1/calendar", &app.admin).await;
    assert_eq!(overview.status, 200, "{:#}", overview.body);
    assert_eq!(overview.body["loaded_years"], json!([2024, 2025, 2026]));
    assert_eq!(overview.body["missing_years"], json!([]));
}

#[tokio::test]
async fn a_year_without_data_follows_monday_to_friday() {
    let app = TestApp::spawn().await;
    let reply = app.get("/api/v1/calendar/2027", &app.admin).await;
    assert_eq!(reply.status, 200, "{:#}", reply.body);
    assert_eq!(reply.body["loaded"], false);
    assert_eq!(reply.body["days"], json!([]));
    // 2027 starts on a Friday and has 365 days: 52 weeks (260) plus Friday 12-31.
    assert_eq!(reply.body["working_days"], 261);
}

#[tokio::test]
async fn admin_loads_a_year_and_reads_it_back() {
    let app = TestApp::spawn().await;
    let reply = put(&app, "2027", &app.admin, new_year_2027()).await;
    assert_eq!(reply.status, 200, "{:#}", reply.body);
    assert_eq!(reply.body["loaded"], true);
    assert_eq!(reply.body["working_days"], 260);
    assert_eq!(reply.body["recomputed_limits"], 0);
    assert_eq!(reply.body["days"], new_year_2027()["days"]);

    let read = app.get("/api/v1/calendar/2027", &app.admin).await;
    assert_eq!(read.status, 200);
    assert_eq!(read.body["days"], new_year_2027()["days"]);
    assert_eq!(read.body["working_days"], 260);
    assert_eq!(read.body.get("recomputed_limits"), None);

    // A second PUT replaces the year as a whole.
    let replaced = put(
        &app,
        "2027",
        &app.admin,
        json!({"days": [
            {"date": "2027-01-01", "is_off_day": true, "name": "元旦"},
            {"date": "2027-02-06", "is_off_day": false, "name": "春节"},
            {"date": "2026-12-31", "is_off_day": true, "name": "元旦"}
        ]}),
    )
    .await;
    assert_eq!(replaced.status, 200, "{:#}", replaced.body);
    let dates: Vec<&str> = replaced.body["days"]
        .as_array()
        .map(|days| days.iter().filter_map(|d| d["date"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(dates, ["2026-12-31", "2027-01-01", "2027-02-06"]);
    // Sat 02-06 is worked: 260 + 1.
    assert_eq!(replaced.body["working_days"], 261);
    // The 2027 notice moved 2026-12-31: 2026 now has one working day less.
    let year_2026 = app.get("/api/v1/calendar/2026", &app.admin).await;
    assert_eq!(year_2026.body["working_days"], 247);

    let overview = app.get("/api/v1/calendar", &app.admin).await;
    assert_eq!(
        overview.body["loaded_years"],
        json!([2024, 2025, 2026, 2027])
    );
}

#[tokio::test]
async fn refused_calendars_name_the_rule_and_change_nothing() {
    let app = TestApp::spawn().await;
    let day = |date: &str, name: &str| json!({"date": date, "is_off_day": true, "name": name});
    for (body, field, words) in [
        (
            json!({"days": [day("2027-02-30", "x")]}),
            "days[0].date",
            "real calendar date",
        ),
        (
            json!({"days": [day("2027-01-01", "元旦"), day("2028-01-01", "元旦")]}),
            "days[1].date",
            "cannot be listed",
        ),
        (
            json!({"days": [day("2026-11-30", "元旦")]}),
            "days[0].date",
            "December before",
        ),
        (
            json!({"days": [day("2027-01-01", "元旦"), day("2027-01-02", "元旦"), day("2027-01-01", "元旦")]}),
            "days[2].date",
            "more than once",
        ),
        (
            json!({"days": [day("2027-01-01", "   ")]}),
            "days[0].name",
            "name",
        ),
        (
            json!({"days": [day("2027-01-01", &"长".repeat(51))]}),
            "days[0].name",
            "name",
        ),
        (json!({"days": []}), "days", "lists no days"),
    ] {
        let reply = put(&app, "2027", &app.admin, body.clone()).await;
        assert_eq!(reply.problem(422), "validation_failed", "{body}");
        assert_eq!(reply.error_fields(), [field], "{:#}", reply.body);
        let detail = reply.body["detail"].as_str().unwrap_or_default();
        assert!(detail.contains(words), "{detail}");
    }
    let read = app.get("/api/v1/calendar/2027", &app.admin).await;
    assert_eq!(read.body["loaded"], false, "nothing was stored");
}

#[tokio::test]
async fn malformed_calendars_and_years_are_bad_requests() {
    let app = TestApp::spawn().await;
    let too_many: Vec<Value> = (0..367)
        .map(|i| json!({"date": "2027-01-01", "is_off_day": true, "name": format!("d{i}")}))
        .collect();
    for body in [
        json!({}),
        json!({"days": "2027-01-01"}),
        json!({"days": [{"date": "2027-01-01", "is_off_day": true}]}),
        json!({"days": [{"date": "2027-01-01", "is_off_day": "yes", "name": "元旦"}]}),
        json!({"days": [{"date": "2027-01-01", "is_off_day": true, "name": 1}]}),
        json!({"days": [{"date": "1/1/2027", "is_off_day": true, "name": "元旦"}]}),
        json!({"days": too_many}),
    ] {
        let reply = put(&app, "2027", &app.admin, body.clone()).await;
        assert_eq!(reply.problem(400), "invalid_request", "{body}");
    }
    for year in ["1999", "2200", "twenty", "2027.5"] {
        let reply = app
            .get(&format!("/api/v1/calendar/{year}"), &app.admin)
            .await;
        assert_eq!(reply.problem(400), "invalid_request", "{year}");
        let reply = put(&app, year, &app.admin, new_year_2027()).await;
        assert_eq!(reply.problem(400), "invalid_request", "{year}");
    }
    let not_json = app
        .client
        .put(format!("{}/api/v1/calendar/2027", app.base))
        .bearer_auth(&app.admin)
        .header("content-type", "application/json")
        .body("{days")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(not_json.status(), 400);
}

#[tokio::test]
async fn only_admin_reads_and_changes_the_calendar() {
    let app = TestApp::spawn().await;
    let (_, intake) = app.staff("intake1", "intake", None).await;
    let (_, leader) = app.staff("leader1", "leading_group", None).await;
    for token in [&intake, &leader] {
        for path in ["/api/v1/calendar", "/api/v1/calendar/2026"] {
            assert_eq!(app.get(path, token).await.problem(403), "forbidden");
        }
        let reply = put(&app, "2027", token, new_year_2027()).await;
        assert_eq!(reply.problem(403), "forbidden");
    }
    let anonymous = app
        .call(
            Method::PUT,
            "/api/v1/calendar/2027",
            None,
            Some(new_year_2027()),
        )
        .await;
    assert_eq!(anonymous.problem(401), "unauthenticated");
    let read = app.get("/api/v1/calendar/2027", &app.admin).await;
    assert_eq!(read.body["loaded"], false);
}
