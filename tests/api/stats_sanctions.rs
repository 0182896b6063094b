//! Sanctions in `GET /stats/units`: decided measures counted by track, in the total and for
//! the unit of the person (or the unit) sanctioned.

use chrono::Utc;
use serde_json::{Value, json};

use crate::sanctions::{Office, against, m};

fn today() -> String {
    (Utc::now() + chrono::Duration::hours(8))
        .date_naive()
        .to_string()
}

fn row<'a>(units: &'a Value, key: &str) -> &'a Value {
    units
        .as_array()
        .and_then(|l| l.iter().find(|g| g["key"] == key))
        .unwrap_or_else(|| panic!("no unit {key} in {units:#}"))
}

/// Two soft measures, approved as proposed (not amended).
async fn approved_two_soft(o: &Office) {
    let mut body = against(
        &o.clerk_id,
        json!([m("soft", "apology"), m("soft", "circulated_criticism")]),
        json!({}),
        &[],
    );
    body["justification"] = json!("unused");
    o.decided(body, &today()).await;
}

#[tokio::test]
async fn an_approved_sanction_counts_its_measures_in_the_total_and_the_unit() {
    let o = Office::open().await;
    approved_two_soft(&o).await;
    let reply = o.desk.app.get("/api/v1/stats/units", &o.lead1).await;
    assert_eq!(reply.status, 200, "{:#}", reply.body);
    let total = &reply.body["total"]["sanctions"];
    assert_eq!(total["soft"], 2, "{:#}", reply.body);
    assert_eq!(total["administrative"], 0);
    let section = row(&reply.body["units"], &o.desk.section);
    assert_eq!(section["sanctions"]["soft"], 2, "{section:#}");

    let csv = o
        .desk
        .app
        .get("/api/v1/stats/units?format=csv", &o.lead1)
        .await;
    let text = csv.body.as_str().unwrap_or_default().to_owned();
    let lines: Vec<&str> = text.lines().collect();
    let header: Vec<&str> = lines[0].split(',').collect();
    let at = header
        .iter()
        .position(|h| *h == "sanctions_soft")
        .unwrap_or_else(|| panic!("{text}"));
    assert_eq!(lines[1].split(',').nth(at), Some("2"), "{text}");
}
