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
async fn records_are_visible_to_the_leading_group_and_the_own_unit_head_only() {
    let o = Office::open().await;
    let path = format!("/api/v1/people/{}/record", o.clerk_id);
    assert_eq!(o.desk.app.get(&path, &o.lead1).await.status, 200);
    // Admin reads no case content, for a real person as for an unknown one.
    assert_eq!(
        o.desk.app.get(&path, &o.desk.app.admin).await.problem(403),
        "forbidden"
    );
    let unknown = format!("/api/v1/people/{}/record", uuid::Uuid::now_v7());
    assert_eq!(
        o.desk
            .app
            .get(&unknown, &o.desk.app.admin)
            .await
            .problem(403),
        "forbidden"
    );
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

fn span_of<'a>(r: &'a serde_json::Value, measure: &str) -> &'a serde_json::Value {
    r["impact_periods"]
        .as_array()
        .and_then(|spans| spans.iter().find(|s| s["measure"]["measure"] == measure))
        .unwrap_or(&serde_json::Value::Null)
}

#[tokio::test]
async fn same_day_sanctions_cumulate_in_decision_order_and_decided_periods_stay() {
    let o = Office::open().await;
    for (measure, effective) in [
        ("grade_reduction", "2026-02-01"),
        ("dismissal_from_post", "2026-08-01"),
        ("major_demerit", "2026-08-01"),
    ] {
        o.decided(
            against(
                &o.clerk_id,
                json!([m("administrative", measure)]),
                json!({}),
                &[],
            ),
            effective,
        )
        .await;
    }
    let r = o
        .desk
        .app
        .get(&format!("/api/v1/people/{}/record", o.clerk_id), &o.lead1)
        .await
        .body;
    assert_eq!(
        span_of(&r, "grade_reduction")["until"],
        "2028-02-01",
        "{r:#}"
    );
    // 18 months remaining + 24.
    let dismissal = span_of(&r, "dismissal_from_post");
    assert_eq!(dismissal["until"], "2030-02-01", "{r:#}");
    assert_eq!(dismissal["cumulated"], true);
    assert_eq!(dismissal["capped"], false);
    // Decided later the same day: 42 months remaining + 18 = 60, capped at 48.
    let major = span_of(&r, "major_demerit");
    assert_eq!(major["until"], "2030-08-01", "{r:#}");
    assert_eq!(major["cumulated"], true);
    assert_eq!(major["capped"], true);
    let order: Vec<&str> = r["decided_measures"]
        .as_array()
        .map(|d| {
            d.iter()
                .filter_map(|x| x["measure"]["measure"].as_str())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        order,
        ["grade_reduction", "dismissal_from_post", "major_demerit"]
    );
}

#[tokio::test]
async fn every_decided_soft_measure_shows_what_it_affects_and_circulated_criticism_bars_awards() {
    let o = Office::open().await;
    let c = o.closed_against(&o.clerk_id, "sustained").await;
    o.decided(
        against(
            &o.clerk_id,
            json!([m("soft", "apology"), m("soft", "circulated_criticism")]),
            json!({}),
            &[&c],
        ),
        &today().to_string(),
    )
    .await;
    let r = o
        .desk
        .app
        .get(&format!("/api/v1/people/{}/record", o.clerk_id), &o.lead1)
        .await
        .body;
    let decided = r["decided_measures"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(decided.len(), 2, "{r:#}");
    let of = |name: &str| {
        decided
            .iter()
            .find(|d| d["measure"]["measure"] == name)
            .cloned()
            .unwrap_or_default()
    };
    let apology = of("apology");
    assert_eq!(apology["impacts"], json!([]));
    assert!(apology["note"].as_str().is_some_and(|n| !n.is_empty()));
    let criticism = of("circulated_criticism");
    let impact = &criticism["impacts"][0];
    assert_eq!(impact["kind"], "awards_disqualification", "{r:#}");
    let next_year = format!("{}-01-01", today().year() + 1);
    assert_eq!(impact["until"], next_year);
    assert_eq!(impact["bars_awards"], true);
    assert!(
        impact["affects"]
            .as_str()
            .is_some_and(|a| a.contains("awards"))
    );
    assert!(
        impact["rule_source"]
            .as_str()
            .is_some_and(|s| s.contains("seed 002"))
    );
    assert_eq!(r["active"]["spans"].as_array().map(Vec::len), Some(1));
    assert_eq!(r["active"]["awards_disqualified_year"], today().year());
    assert_eq!(r["awards_eligible"], false);
}

#[tokio::test]
async fn an_administrative_sanction_bars_awards_while_it_runs() {
    let o = Office::open().await;
    o.decided(
        against(
            &o.clerk_id,
            json!([m("administrative", "warning")]),
            json!({}),
            &[],
        ),
        &today().to_string(),
    )
    .await;
    let r = o
        .desk
        .app
        .get(&format!("/api/v1/people/{}/record", o.clerk_id), &o.lead1)
        .await
        .body;
    let warning = span_of(&r, "warning");
    assert!(
        warning["rule_source"]
            .as_str()
            .is_some_and(|s| s.contains("政务处分法"))
    );
    assert_eq!(r["awards_eligible"], false, "{r:#}");
}

#[tokio::test]
async fn a_party_expulsion_is_permanent_and_party_measures_carry_their_periods() {
    let o = Office::open().await;
    let start = today();
    o.decided(
        against(
            &o.clerk_id,
            json!([m("party", "serious_warning")]),
            json!({}),
            &[],
        ),
        &start.to_string(),
    )
    .await;
    let r = o
        .desk
        .app
        .get(&format!("/api/v1/people/{}/record", o.clerk_id), &o.lead1)
        .await
        .body;
    let months = |n: u32| {
        start
            .checked_add_months(Months::new(n))
            .unwrap_or(start)
            .to_string()
    };
    let warning = span_of(&r, "serious_warning");
    assert_eq!(warning["kind"], "party_promotion_bar", "{r:#}");
    assert_eq!(warning["until"], months(18));
    assert!(
        warning["rule_source"]
            .as_str()
            .is_some_and(|s| s.contains("纪律处分条例") && s.contains("第十条"))
    );
    assert_eq!(r["active"]["party_promotion_barred_until"], months(18));
    assert_eq!(r["awards_eligible"], false);

    o.decided(
        against(
            &o.clerk_id,
            json!([m("party", "expulsion")]),
            json!({}),
            &[],
        ),
        &start.to_string(),
    )
    .await;
    let r = o
        .desk
        .app
        .get(&format!("/api/v1/people/{}/record", o.clerk_id), &o.lead1)
        .await
        .body;
    let kinds: Vec<(&str, bool, &serde_json::Value)> = r["impact_periods"]
        .as_array()
        .map(|spans| {
            spans
                .iter()
                .filter(|s| s["measure"]["measure"] == "expulsion")
                .map(|s| {
                    (
                        s["kind"].as_str().unwrap_or(""),
                        s["permanent"] == true,
                        &s["until"],
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let readmission = json!(months(60));
    assert_eq!(
        kinds,
        [
            ("party_expulsion", true, &serde_json::Value::Null),
            ("party_readmission_bar", false, &readmission),
        ],
        "{r:#}"
    );
    assert_eq!(r["active"]["expelled"], true);
    assert_eq!(r["active"]["expelled_from_party"], true);
    assert_eq!(r["active"]["party_readmission_barred_until"], months(60));
    assert_eq!(r["awards_eligible"], false);
}
