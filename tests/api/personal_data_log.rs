//! The personal-data access log: every answer that shows a complainant's details leaves a row
//! (reader, complaint, operation, client address) before it is sent, or is refused with 503;
//! the leading group reads the log per complaint and for a period, and those reads are logged.

use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::visibility::{Chain, NAME, PHONE};

/// The log of `complaint` as the leading group reads it (itself a logged read).
async fn log_of(c: &Chain, complaint: &str) -> Vec<Value> {
    let reply = c
        .app
        .get(
            &format!("/api/v1/complaints/{complaint}/personal-data-reads?limit=200"),
            &c.leader,
        )
        .await;
    assert_eq!(reply.status, 200, "{:#}", reply.body);
    reply.body["items"].as_array().cloned().unwrap_or_default()
}

fn operations(log: &[Value], reader: &str) -> Vec<String> {
    let mut ops: Vec<String> = log
        .iter()
        .filter(|r| r["reader_id"] == reader)
        .filter_map(|r| r["operation"].as_str().map(str::to_owned))
        .collect();
    ops.reverse();
    ops
}

async fn me(c: &Chain, token: &str) -> String {
    let reply = c.app.get("/api/v1/auth/me", token).await;
    reply.body["id"].as_str().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn every_kind_of_answer_that_shows_details_leaves_a_row_with_its_operation_and_address() {
    let c = Chain::open().await;
    let body = json!({"channel": "phone", "respondent_unit_id": c.team, "matter": "fees",
                      "account": "charged twice", "complainant": {"name": NAME, "phone": PHONE}});
    let first = c
        .app
        .call_with(
            reqwest::Method::POST,
            "/api/v1/complaints",
            Some(&c.intake),
            Some(body.clone()),
            &[("Idempotency-Key", "call-1")],
        )
        .await;
    assert_eq!(first.status, 201, "{:#}", first.body);
    let a = first.body["id"].as_str().unwrap_or_default().to_owned();
    let replayed = c
        .app
        .call_with(
            reqwest::Method::POST,
            "/api/v1/complaints",
            Some(&c.intake),
            Some(body.clone()),
            &[("Idempotency-Key", "call-1")],
        )
        .await;
    assert_eq!(replayed.headers["idempotent-replayed"], "true");
    // A second complaint from the same phone: its registration answer names `a` as a
    // possible repeat by contact.
    let second = c.app.post("/api/v1/complaints", &c.intake, body).await;
    assert_eq!(second.status, 201, "{:#}", second.body);
    let b = second.body["id"].as_str().unwrap_or_default().to_owned();
    for path in [
        format!("/api/v1/complaints/{a}"),
        "/api/v1/complaints".to_owned(),
        "/api/v1/complaints?q=charged".to_owned(),
        "/api/v1/complaints?format=csv".to_owned(),
        format!("/api/v1/complaints/{a}/possible-repeats"),
    ] {
        assert_eq!(c.app.get(&path, &c.intake).await.status, 200, "{path}");
    }
    let screened = c
        .app
        .post(
            &format!("/api/v1/complaints/{a}/screening"),
            &c.intake,
            json!({"outcome": "accepted", "explanation": "in scope"}),
        )
        .await;
    assert_eq!(screened.status, 200, "{:#}", screened.body);

    let intake_id = me(&c, &c.intake).await;
    let log = log_of(&c, &a).await;
    assert_eq!(
        operations(&log, &intake_id),
        [
            "registerComplaint",
            "registerComplaint",
            "registerComplaint",
            "getComplaint",
            "listComplaints",
            "listComplaints",
            "listComplaints",
            "listPossibleRepeats",
            "screenComplaint",
        ],
        "{log:#?}"
    );
    for row in log.iter().filter(|r| r["reader_id"] == intake_id.as_str()) {
        assert_eq!(row["complaint_id"], a.as_str());
        assert_eq!(row["client_address"], "127.0.0.1");
        assert_eq!(row["reader_display_name"], "intake.wu");
    }
    // The list pages showed `b` as well, one row per complaint shown.
    let log_b = log_of(&c, &b).await;
    let ops_b = operations(&log_b, &intake_id);
    assert_eq!(
        ops_b.iter().filter(|o| *o == "listComplaints").count(),
        3,
        "{ops_b:?}"
    );
}

#[tokio::test]
async fn a_withheld_answer_and_an_anonymous_complaint_leave_no_row() {
    let c = Chain::open().await;
    let routed = c
        .case_routed_to(&c.agency, "the clerk sat on my permit")
        .await;
    let head_id = me(&c, &c.agency_head).await;
    for path in [
        format!("/api/v1/complaints/{routed}"),
        "/api/v1/complaints".to_owned(),
    ] {
        assert_eq!(c.app.get(&path, &c.agency_head).await.status, 200);
    }
    assert!(operations(&log_of(&c, &routed).await, &head_id).is_empty());
    let anonymous = c
        .app
        .post(
            "/api/v1/complaints",
            &c.intake,
            json!({"channel": "walk_in", "respondent_unit_id": c.team, "matter": "fees",
                   "account": "no name given", "complainant": {"anonymous": true}}),
        )
        .await;
    let id = anonymous.body["id"].as_str().unwrap_or_default().to_owned();
    assert_eq!(
        c.app
            .get(&format!("/api/v1/complaints/{id}"), &c.intake)
            .await
            .status,
        200
    );
    let log = log_of(&c, &id).await;
    assert!(
        log.iter()
            .all(|r| r["operation"] == "listComplaintPersonalDataReads"),
        "{log:#?}"
    );
}

#[tokio::test]
async fn reads_of_the_log_are_logged_and_only_the_leading_group_reads_it() {
    let c = Chain::open().await;
    let id = c
        .case_routed_to(&c.unrelated, "the clerk sat on my permit")
        .await;
    let leader_id = me(&c, &c.leader).await;
    log_of(&c, &id).await;
    let log = log_of(&c, &id).await;
    assert_eq!(log[0]["operation"], "listComplaintPersonalDataReads");
    assert_eq!(log[0]["reader_id"], leader_id.as_str());

    let now = chrono::Utc::now();
    let period = format!(
        "from={}&to={}",
        (now - chrono::Duration::days(1)).format("%Y-%m-%dT%H:%M:%SZ"),
        (now + chrono::Duration::days(1)).format("%Y-%m-%dT%H:%M:%SZ"),
    );
    let export = c
        .app
        .get(
            &format!("/api/v1/personal-data-reads?{period}&limit=1000"),
            &c.leader,
        )
        .await;
    assert_eq!(export.status, 200, "{:#}", export.body);
    let items = export.body["items"].as_array().cloned().unwrap_or_default();
    assert!(
        items.iter().all(|r| r["complaint_id"] == id.as_str()),
        "{items:#?}"
    );
    let first_page = c
        .app
        .get(
            &format!("/api/v1/personal-data-reads?{period}&limit=1"),
            &c.leader,
        )
        .await;
    let cursor = first_page.body["next_cursor"].as_str().unwrap_or_default();
    assert!(cursor.starts_with("k1."), "{:#}", first_page.body);
    let csv = c
        .app
        .get(
            &format!("/api/v1/personal-data-reads?{period}&format=csv&bom=false&limit=1000"),
            &c.leader,
        )
        .await;
    assert_eq!(csv.status, 200);
    assert!(csv.content_type().starts_with("text/csv"));
    let text = csv.body.as_str().unwrap_or_default();
    assert!(
        text.starts_with(
            "id,read_at,reader_id,reader_display_name,complaint_id,operation,client_address\r\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("exportPersonalDataReads"),
        "the JSON export was logged: {text}"
    );
    let log = log_of(&c, &id).await;
    assert!(
        log.iter()
            .any(|r| r["operation"] == "exportPersonalDataReads"),
        "{log:#?}"
    );

    let random = uuid::Uuid::now_v7();
    assert_eq!(
        c.app
            .get(
                &format!("/api/v1/complaints/{random}/personal-data-reads"),
                &c.leader
            )
            .await
            .problem(404),
        "not_found"
    );
    for token in [
        &c.intake,
        &c.agency_head,
        &c.unrelated_handler,
        &c.app.admin,
    ] {
        for path in [
            format!("/api/v1/complaints/{id}/personal-data-reads"),
            format!("/api/v1/personal-data-reads?{period}"),
        ] {
            assert_eq!(
                c.app.get(&path, token).await.problem(403),
                "forbidden",
                "{path}"
            );
        }
    }
    let bad_period = c
        .app
        .get(
            "/api/v1/personal-data-reads?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z",
            &c.leader,
        )
        .await;
    assert_eq!(bad_period.problem(422), "validation_failed");
    assert_eq!(bad_period.error_fields(), ["to"]);
}

#[tokio::test]
async fn an_answer_with_details_is_refused_when_the_log_cannot_be_written() {
    let c = Chain::open().await;
    let id = c
        .case_routed_to(&c.unrelated, "the clerk sat on my permit")
        .await;
    let db = c.app.database().await;
    db.execute_unprepared("ALTER TABLE personal_data_reads RENAME TO personal_data_reads_away")
        .await
        .unwrap_or_else(|e| panic!("cannot move the log away: {e}"));
    for (token, path) in [
        (&c.intake, format!("/api/v1/complaints/{id}")),
        (&c.intake, "/api/v1/complaints".to_owned()),
        (&c.unrelated_handler, format!("/api/v1/complaints/{id}")),
    ] {
        let reply = c.app.get(&path, token).await;
        assert_eq!(
            reply.problem(503),
            "personal_data_log_unavailable",
            "{path}"
        );
        assert!(!reply.body.to_string().contains(PHONE));
    }
    // Answers without details are not held up.
    assert_eq!(
        c.app
            .get(&format!("/api/v1/complaints/{id}/events"), &c.intake)
            .await
            .status,
        200
    );
    assert_eq!(c.app.get("/api/v1/units", &c.intake).await.status, 200);
}
