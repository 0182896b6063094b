//! `/people/{id}/record` and `/units/{id}/record`: complaints by finding, sanctions with
//! impact periods, what is active today, awards eligibility, and who may see them.

use chrono::{Datelike, Months, NaiveDate, Utc};
use serde_json::json;

use crate::sanctions::{Office, against, m};

fn today() -> NaiveDate {
    (Utc::now() + chrono::Duration::hours(8)).date_naive()
}

#[tokio::test]
async fn an_admonishment_bars_promotion_for_six_months_from_its_effective_date() {
    let o = Office::open().await;
    let sustained = o.closed_against(&o.clerk_id, "sustained").await;
    o.closed_against(&o.clerk_id, "unfounded").await;
    let effective = today() - chrono::Duration::days(10);
    let mut body = against(
        &o.clerk_id,
        json!([m("soft", "admonishment"), m("soft", "apology")]),
        json!({}),
        &[&sustained],
    );
    body["justification"] = json!("unused");
    o.decided(body, &effective.to_string()).await;

    let reply = o
        .desk
        .app
        .get(&format!("/api/v1/people/{}/record", o.clerk_id), &o.lead1)
        .await;
    assert_eq!(reply.status, 200, "{:#}", reply.body);
    let r = &reply.body;
    assert_eq!(r["complaints_by_finding"]["sustained"], 1);
    assert_eq!(r["complaints_by_finding"]["unfounded"], 1);
    assert_eq!(r["complaints"].as_array().map(Vec::len), Some(2));
    assert!(
        r["complaints"][0]["number"]
            .as_str()
            .unwrap_or("")
            .starts_with("TS-")
    );
    assert_eq!(r["sanctions"].as_array().map(Vec::len), Some(1));
    assert_eq!(r["sanctions"][0]["effective_date"], effective.to_string());
    let until = effective
        .checked_add_months(Months::new(6))
        .unwrap_or(effective);
    assert_eq!(r["active"]["promotion_barred_until"], until.to_string());
    assert_eq!(
        r["active"]["administrative_sanction_until"],
        serde_json::Value::Null
    );
    assert_eq!(r["active"]["expelled"], false);
    assert_eq!(r["impact_periods"][0]["kind"], "promotion_bar");
    assert_eq!(r["impact_periods"][0]["until"], until.to_string());
    assert_eq!(r["awards_eligible"], true);
}

#[tokio::test]
async fn administrative_sanctions_cumulate_and_expired_ones_are_not_active() {
    let o = Office::open().await;
    // A warning that lapsed long ago, a demerit running, and a warning during it.
    let old = today() - chrono::Duration::days(400);
    o.decided(
        against(
            &o.clerk_id,
            json!([m("administrative", "warning")]),
            json!({}),
            &[],
        ),
        &old.to_string(),
    )
    .await;
    let demerit = today() - chrono::Duration::days(30);
    o.decided(
        against(
            &o.clerk_id,
            json!([m("administrative", "demerit")]),
            json!({}),
            &[],
        ),
        &demerit.to_string(),
    )
    .await;
    let warning = today();
    o.decided(
        against(
            &o.clerk_id,
            json!([m("administrative", "warning")]),
            json!({}),
            &[],
        ),
        &warning.to_string(),
    )
    .await;
    let r = o
        .desk
        .app
        .get(&format!("/api/v1/people/{}/record", o.clerk_id), &o.lead1)
        .await
        .body;
    let demerit_until = demerit
        .checked_add_months(Months::new(12))
        .unwrap_or(demerit);
    let cumulated = demerit_until
        .checked_add_months(Months::new(6))
        .unwrap_or(demerit_until);
    assert_eq!(
        r["active"]["administrative_sanction_until"],
        cumulated.to_string(),
        "{r:#}"
    );
    assert_eq!(r["active"]["spans"].as_array().map(Vec::len), Some(2));
    assert_eq!(r["impact_periods"].as_array().map(Vec::len), Some(3));
    let last = &r["impact_periods"][2];
    assert_eq!(last["cumulated"], true);
}

#[tokio::test]
async fn a_unit_record_shows_awards_disqualification_for_the_year() {
    let o = Office::open().await;
    let c = o.closed_against(&o.clerk_id, "sustained").await;
    let body = json!({
        "subject": {"kind": "unit", "unit_id": o.desk.section},
        "findings": "the section ignored three written complaints",
        "rule_broken": "first-handler rule",
        "complaint_ids": [c],
        "measures": [m("soft", "circulated_criticism"), m("soft", "awards_disqualification")],
    });
    let s = o.proposed(body).await;
    let id = s["id"].as_str().unwrap_or_default().to_owned();
    // A unit subject: intake records the statement for it.
    let r = o
        .act(
            &o.desk.intake,
            &id,
            "statement",
            json!({"text": "the section head explains"}),
        )
        .await;
    assert_eq!(r.status, 200, "{:#}", r.body);
    let r = o
        .act(&o.lead2, &id, "decision", json!({"outcome": "approve"}))
        .await;
    assert_eq!(r.status, 200, "{:#}", r.body);

    let reply = o
        .desk
        .app
        .get(&format!("/api/v1/units/{}/record", o.desk.section), &o.head)
        .await;
    assert_eq!(reply.status, 200, "{:#}", reply.body);
    let r = &reply.body;
    assert_eq!(r["complaints_by_finding"]["sustained"], 1);
    assert_eq!(r["active"]["awards_disqualified_year"], today().year());
    assert_eq!(r["awards_eligible"], false);
}

#[tokio::test]
async fn records_are_visible_to_the_leading_group_admin_and_the_own_unit_head_only() {
    let o = Office::open().await;
    let path = format!("/api/v1/people/{}/record", o.clerk_id);
    assert_eq!(o.desk.app.get(&path, &o.lead1).await.status, 200);
    assert_eq!(o.desk.app.get(&path, &o.desk.app.admin).await.status, 200);
    // The agency head sees staff of the section below.
    assert_eq!(o.desk.app.get(&path, &o.head).await.status, 200);
    // Another unit's head, intake and the clerk's colleagues: 404.
    let other = o.desk.app.create_unit("Land Bureau", "agency", None).await;
    let (_, other_head) = o.desk.app.staff("head2", "unit_head", Some(&other)).await;
    assert_eq!(o.desk.app.get(&path, &other_head).await.status, 404);
    assert_eq!(o.desk.app.get(&path, &o.desk.intake).await.status, 404);
    assert_eq!(o.desk.app.get(&path, &o.clerk).await.status, 404);
    let unit_path = format!("/api/v1/units/{}/record", o.desk.section);
    assert_eq!(o.desk.app.get(&unit_path, &o.head).await.status, 200);
    assert_eq!(o.desk.app.get(&unit_path, &other_head).await.status, 404);
    assert_eq!(
        o.desk
            .app
            .get(&format!("/api/v1/units/{other}/record"), &o.lead1)
            .await
            .status,
        200
    );
    assert_eq!(
        o.desk
            .app
            .get(
                &format!("/api/v1/people/{}/record", uuid::Uuid::now_v7()),
                &o.lead1
            )
            .await
            .status,
        404
    );
}
