//! After a granted extension the complainant must be told the new date: the order carries an
//! open notice, intake is told to tell, the notice shows in intake's queue (overdue after a
//! working day) until intake records how and when the complainant was told.

use chrono::{DateTime, TimeDelta, Utc};
use duban_domain::clock::Clock;
use duban_tests::{Reply, STAFF_PASSWORD, TestApp};
use reqwest::Method;
use serde_json::{Value, json};

struct Case {
    app: TestApp,
    intake: String,
    head: String,
    order: String,
}

fn ok(reply: Reply) -> Value {
    assert!(reply.status.is_success(), "{:#}", reply.body);
    reply.body
}

/// A case-filed complaint whose order to the section has a granted extension.
async fn granted() -> Case {
    let app = TestApp::spawn().await;
    let agency = app.create_unit("Housing Bureau", "agency", None).await;
    let section = app
        .create_unit("Permits Section", "section", Some(&agency))
        .await;
    let (_, intake) = app.staff("intake1", "intake", None).await;
    let (_, head) = app.staff("head1", "unit_head", Some(&section)).await;
    let complaint = ok(app
        .post(
            "/api/v1/complaints",
            &intake,
            json!({"channel": "phone", "respondent_unit_id": section, "matter": "efficiency",
                   "account": "the permit took four months",
                   "complainant": {"name": "Chen Jing", "phone": "13900001111"}}),
        )
        .await);
    let path = format!(
        "/api/v1/complaints/{}",
        complaint["id"].as_str().unwrap_or_default()
    );
    ok(app
        .post(
            &format!("{path}/screening"),
            &intake,
            json!({"outcome": "accepted", "explanation": "in scope"}),
        )
        .await);
    ok(app
        .post(
            &format!("{path}/classification"),
            &intake,
            json!({"type": "case_filed"}),
        )
        .await);
    let order = ok(app
        .post(
            &format!("{path}/supervision-orders"),
            &intake,
            json!({"unit_id": section, "opinion": "verify and answer"}),
        )
        .await)["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let order_path = format!("/api/v1/supervision-orders/{order}");
    ok(app
        .call(
            Method::POST,
            &format!("{order_path}/sign"),
            Some(&head),
            None,
        )
        .await);
    let asked = ok(app
        .post(
            &format!("{order_path}/extension-requests"),
            &head,
            json!({"working_days": 2, "reason": "the file is in the archive"}),
        )
        .await);
    let request = asked["extension_requests"][0]["id"]
        .as_str()
        .unwrap_or_default();
    let decided = ok(app
        .post(
            &format!("{order_path}/extension-requests/{request}/decision"),
            &intake,
            json!({"decision": "granted", "reason": "fair"}),
        )
        .await);
    assert_eq!(decided["complainant_notice"]["open"], true, "{decided:#}");
    assert_eq!(decided["complainant_notice"]["overdue"], false);
    Case {
        app,
        intake,
        head,
        order,
    }
}

impl Case {
    async fn queue(&self, filter: &str) -> Vec<String> {
        let page = ok(self
            .app
            .get(
                &format!("/api/v1/supervision-orders?complainant_notice={filter}"),
                &self.intake,
            )
            .await);
        page["items"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|o| o["id"].as_str().map(str::to_owned))
            .collect()
    }

    /// The statistics' complainant notices and overdue ones, over complaints received in the
    /// last day.
    async fn notice_figures(&self) -> (Value, Value) {
        let format = |t: chrono::DateTime<Utc>| t.format("%Y-%m-%dT%H:%M:%SZ").to_string();
        let now = Utc::now();
        let summary = ok(self
            .app
            .get(
                &format!(
                    "/api/v1/stats/summary?from={}&to={}",
                    format(now - TimeDelta::days(1)),
                    format(now + TimeDelta::days(1))
                ),
                &self.intake,
            )
            .await);
        (
            summary["total"]["complainant_notices"].clone(),
            summary["total"]["complainant_notices_overdue"].clone(),
        )
    }

    async fn record(&self, token: &str, body: Value) -> Reply {
        self.app
            .post(
                &format!(
                    "/api/v1/supervision-orders/{}/complainant-notice",
                    self.order
                ),
                token,
                body,
            )
            .await
    }
}

#[tokio::test]
async fn a_granted_extension_leaves_a_notice_that_intake_is_told_of_and_closes_by_recording_it() {
    let case = granted().await;
    let inbox = ok(case.app.get("/api/v1/notifications", &case.intake).await);
    assert!(
        inbox["items"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|n| n["topic"] == "complainant.notice_due"
                && n["subject"]["id"] == case.order.as_str()),
        "{inbox:#}"
    );
    assert_eq!(case.queue("open").await, std::slice::from_ref(&case.order));
    assert_eq!(case.queue("overdue").await, Vec::<String>::new());

    let now = Utc::now();
    case.record(
        &case.head,
        json!({"method": "phone", "told_at": now.to_rfc3339()}),
    )
    .await
    .problem(403);
    let future = (now + TimeDelta::hours(2)).to_rfc3339();
    let refused = case
        .record(&case.intake, json!({"method": "phone", "told_at": future}))
        .await;
    refused.problem(422);
    assert_eq!(refused.error_fields(), ["told_at"]);
    let early = (now - TimeDelta::days(2)).to_rfc3339();
    assert_eq!(
        case.record(&case.intake, json!({"method": "phone", "told_at": early}))
            .await
            .error_fields(),
        ["told_at"],
        "not before the extension was granted"
    );

    let told = ok(case
        .record(
            &case.intake,
            json!({"method": "sms", "told_at": now.to_rfc3339()}),
        )
        .await);
    let notice = &told["complainant_notice"];
    assert_eq!(notice["open"], false, "{told:#}");
    assert_eq!(notice["overdue"], false);
    assert_eq!(notice["told_by_method"], "sms");
    assert!(notice["told_at"].is_string() && notice["recorded_by"].is_string());
    assert_eq!(case.queue("open").await, Vec::<String>::new());
    assert_eq!(
        case.record(
            &case.intake,
            json!({"method": "sms", "told_at": now.to_rfc3339()})
        )
        .await
        .problem(422),
        "rule_refused",
        "nothing is left to record"
    );
    let complaint = told["complaint_id"].as_str().unwrap_or_default();
    let events = ok(case
        .app
        .get(
            &format!("/api/v1/complaints/{complaint}/events"),
            &case.intake,
        )
        .await);
    assert!(
        events["items"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|e| e["kind"] == "complainant_told_new_date"),
        "{events:#}"
    );
}

#[tokio::test]
async fn a_notice_untold_a_working_day_after_the_grant_is_overdue_in_intakes_queue() {
    let mut case = granted().await;
    assert_eq!(case.notice_figures().await, (json!(1), json!(0)));
    // A working day passes: the notice fell due an hour ago.
    let due = due_at(
        &ok(case
            .app
            .get(
                &format!("/api/v1/supervision-orders/{}", case.order),
                &case.intake,
            )
            .await)["complainant_notice"],
    );
    case.app.clock.run_from(due + TimeDelta::hours(1));
    // The session from the day of the grant has expired since.
    case.intake = case.app.login("intake1", STAFF_PASSWORD).await;
    assert_eq!(
        case.queue("overdue").await,
        std::slice::from_ref(&case.order)
    );
    let order = ok(case
        .app
        .get(
            &format!("/api/v1/supervision-orders/{}", case.order),
            &case.intake,
        )
        .await);
    assert_eq!(order["complainant_notice"]["overdue"], true, "{order:#}");
    assert_eq!(case.notice_figures().await, (json!(1), json!(1)));
    ok(case
        .record(
            &case.intake,
            json!({"method": "letter", "told_at": case.app.clock.now().to_rfc3339()}),
        )
        .await);
    assert_eq!(case.queue("overdue").await, Vec::<String>::new());
    // Told late stays late in the statistics.
    assert_eq!(case.notice_figures().await, (json!(1), json!(1)));
}

fn due_at(notice: &Value) -> DateTime<Utc> {
    notice["due_at"]
        .as_str()
        .and_then(|at| DateTime::parse_from_rfc3339(at).ok())
        .map(|at| at.with_timezone(&Utc))
        .unwrap_or_else(|| panic!("no due_at: {notice:#}"))
}
