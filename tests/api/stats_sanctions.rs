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

#[tokio::test]
async fn a_person_without_a_unit_counts_in_the_total_only_and_units_roll_up() {
    let o = Office::open().await;
    approved_two_soft(&o).await;
    // A person without a unit, sanctioned with one soft measure.
    let loner = o.desk.app.create_user("intake.two", "intake", None).await;
    let s = o
        .proposed(against(
            &loner,
            json!([m("soft", "criticism_education")]),
            json!({}),
            &[],
        ))
        .await;
    let id = s["id"].as_str().unwrap_or_default().to_owned();
    let stated = o
        .act(&o.desk.intake, &id, "statement", json!({"text": "noted"}))
        .await;
    assert_eq!(stated.status, 200, "{:#}", stated.body);
    let decided = o
        .act(&o.lead2, &id, "decision", json!({"outcome": "approve"}))
        .await;
    assert_eq!(decided.status, 200, "{:#}", decided.body);

    let reply = o.desk.app.get("/api/v1/stats/units", &o.lead1).await;
    assert_eq!(reply.status, 200, "{:#}", reply.body);
    assert_eq!(reply.body["total"]["sanctions"]["soft"], 3);
    let units = &reply.body["units"];
    // The section and the agency above it; no `none` row.
    assert_eq!(units.as_array().map(Vec::len), Some(2), "{units:#}");
    assert_eq!(row(units, &o.desk.section)["sanctions"]["soft"], 2);
    assert_eq!(row(units, &o.desk.unit)["sanctions"]["soft"], 0);
    // The agency's roll-up has its section's sanctions.
    let rollups = &reply.body["rollups"];
    assert_eq!(row(rollups, &o.desk.unit)["sanctions"]["soft"], 2);
}
