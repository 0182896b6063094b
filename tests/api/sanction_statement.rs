//! The statement period of a sanction as the subject and the leading group read it: the
//! deadline in the agency's local time, and the status once the statement is filed.

use serde_json::{Value, json};

use crate::sanctions::{Office, against, m};

async fn proposed(o: &Office) -> (String, Value) {
    let s = o
        .proposed(against(
            &o.clerk_id,
            json!([m("soft", "criticism_education")]),
            json!({}),
            &[],
        ))
        .await;
    (s["id"].as_str().unwrap_or_default().to_owned(), s)
}

#[tokio::test]
async fn deadlines_in_messages_are_the_agencys_local_date_and_time() {
    let o = Office::open().await;
    let (id, s) = proposed(&o).await;
    // The deadline is 24:00 local time of a working day, i.e. 16:00 UTC the same day.
    let due = s["statement_deadline"].as_str().unwrap_or_default();
    let due = chrono::DateTime::parse_from_rfc3339(due)
        .unwrap_or_else(|e| panic!("{due}: {e}"))
        .with_timezone(&chrono::Utc);
    let day = due.date_naive().format("%Y-%m-%d").to_string();
    let local = format!("{day} 24:00 (Asia/Shanghai)");

    let opened = s["history"]
        .as_array()
        .and_then(|h| h.iter().find(|e| e["kind"] == "statement_period_opened"))
        .unwrap_or_else(|| panic!("{s:#}"));
    assert_eq!(
        opened["reason"],
        format!("statement due by {local}").as_str()
    );

    let early = o
        .act(&o.lead2, &id, "decision", json!({"outcome": "approve"}))
        .await;
    assert_eq!(early.problem(422), "statement_period_running");
    let detail = early.body["detail"].as_str().unwrap_or_default();
    assert!(detail.ends_with(&format!("until {local}")), "{detail}");
    assert!(!detail.contains("UTC"), "{detail}");
}

#[tokio::test]
async fn a_filed_statement_leaves_the_sanction_statement_filed_until_the_decision() {
    let o = Office::open().await;
    let (id, s) = proposed(&o).await;
    assert_eq!(s["status"], "awaiting_statement");
    let stated = o
        .act(&o.clerk, &id, "statement", json!({"text": "I accept"}))
        .await;
    assert_eq!(stated.status, 200, "{:#}", stated.body);
    assert_eq!(stated.body["status"], "statement_filed");
    // The deadline still shows when the statement was due.
    assert!(stated.body["statement_deadline"].is_string());

    let listed = |status: &'static str| {
        let app = &o.desk.app;
        let lead = o.lead1.clone();
        async move {
            let reply = app
                .get(&format!("/api/v1/sanctions?status={status}"), &lead)
                .await;
            assert_eq!(reply.status, 200, "{:#}", reply.body);
            reply.body["items"]
                .as_array()
                .map(|l| l.iter().map(|s| s["id"].clone()).collect::<Vec<_>>())
                .unwrap_or_default()
        }
    };
    assert_eq!(listed("statement_filed").await, [json!(id)]);
    assert!(listed("awaiting_statement").await.is_empty());
    let read = o
        .desk
        .app
        .get(&format!("/api/v1/sanctions/{id}"), &o.clerk)
        .await;
    assert_eq!(read.body["status"], "statement_filed", "{:#}", read.body);

    let decided = o
        .act(&o.lead2, &id, "decision", json!({"outcome": "approve"}))
        .await;
    assert_eq!(decided.status, 200, "{:#}", decided.body);
    assert_eq!(decided.body["status"], "decided");
}
