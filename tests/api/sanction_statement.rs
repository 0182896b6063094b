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
