//! `/complaints/{id}/investigation-records` and `/complaints/{id}/takeover`.

use serde_json::json;

use crate::sanctions::Office;

fn entry(kind: &str) -> serde_json::Value {
    json!({"kind": kind, "people_involved": "Li Hua; clerk Wang",
           "content": format!("{kind}: what was said")})
}

#[tokio::test]
async fn intake_records_the_four_kinds_append_only_and_in_the_history() {
    let o = Office::open().await;
    let id = o.desk.in_handling_id("slow service", "case_filed").await;
    let path = format!("/api/v1/complaints/{id}/investigation-records");
    for kind in [
        "interview_complainant",
        "interview_respondent",
        "case_record_check",
        "witness_statement",
    ] {
        let reply = o.desk.app.post(&path, &o.desk.intake, entry(kind)).await;
        assert_eq!(reply.status, 201, "{:#}", reply.body);
        assert_eq!(reply.body["kind"], kind);
        assert_eq!(reply.body["author_id"], o.desk.intake_id.as_str());
    }
    let list = o.desk.app.get(&path, &o.desk.intake).await;
    assert_eq!(list.status, 200);
    assert_eq!(list.body["items"].as_array().map(Vec::len), Some(4));
    assert_eq!(list.body["items"][0]["kind"], "interview_complainant");
    // Unknown kind and blank content: refused.
    assert_eq!(
        o.desk
            .app
            .post(&path, &o.desk.intake, entry("rumour"))
            .await
            .status,
        400
    );
    // No way to change or delete.
    let first = list.body["items"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let put = o
        .desk
        .app
        .call(
            reqwest::Method::DELETE,
            &format!("{path}/{first}"),
            Some(&o.desk.intake),
            None,
        )
        .await;
    assert!(put.status == 404 || put.status == 405, "{}", put.status);
    // The history shows each entry.
    let kinds: Vec<String> = o
        .desk
        .events(&id)
        .await
        .iter()
        .map(|e| e["kind"].as_str().unwrap_or("").to_owned())
        .collect();
    assert_eq!(
        kinds
            .iter()
            .filter(|k| *k == "investigation_recorded")
            .count(),
        4
    );
    // A unit handler may not record.
    assert_eq!(
        o.desk
            .app
            .post(&path, &o.clerk, entry("witness_statement"))
            .await
            .status,
        403
    );
}

#[tokio::test]
async fn the_leading_group_acts_on_a_case_it_took_over() {
    let o = Office::open().await;
    let id = o.desk.in_handling_id("bribe asked", "case_filed").await;
    let path = format!("/api/v1/complaints/{id}/investigation-records");
    // Not before the takeover.
    assert_eq!(
        o.desk
            .app
            .post(&path, &o.lead1, entry("interview_respondent"))
            .await
            .status,
        403
    );
    // Only the leading group takes over.
    let takeover = format!("/api/v1/complaints/{id}/takeover");
    let reason = json!({"reason": "suspected bribery: an important case"});
    assert_eq!(
        o.desk
            .app
            .post(&takeover, &o.desk.intake, reason.clone())
            .await
            .status,
        403
    );
    let taken = o.desk.app.post(&takeover, &o.lead1, reason.clone()).await;
    assert_eq!(taken.status, 201, "{:#}", taken.body);
    assert_eq!(taken.body["holder"], "leading_group");
    assert_eq!(
        o.desk.app.post(&takeover, &o.lead2, reason).await.status,
        409
    );

    let complaint = o
        .desk
        .app
        .get(&format!("/api/v1/complaints/{id}"), &o.desk.intake)
        .await;
    assert_eq!(complaint.body["held_by"]["taken_by"], o.lead1_id.as_str());
    assert_eq!(
        complaint.body["held_by"]["reason"],
        "suspected bribery: an important case"
    );

    let reply = o
        .desk
        .app
        .post(&path, &o.lead2, entry("interview_respondent"))
        .await;
    assert_eq!(reply.status, 201, "{:#}", reply.body);
    let list = o.desk.app.get(&path, &o.lead1).await;
    assert_eq!(list.body["items"].as_array().map(Vec::len), Some(1));
    let kinds: Vec<String> = o
        .desk
        .events(&id)
        .await
        .iter()
        .map(|e| e["kind"].as_str().unwrap_or("").to_owned())
        .collect();
    assert!(kinds.contains(&"taken_over".to_owned()));

    // A complaint that was not taken over shows no holder.
    let other = o.desk.in_handling_id("rude", "case_filed").await;
    let c = o
        .desk
        .app
        .get(&format!("/api/v1/complaints/{other}"), &o.desk.intake)
        .await;
    assert!(c.body["held_by"].is_null());
}

#[tokio::test]
async fn a_sanction_links_the_investigation_records_behind_it() {
    let o = Office::open().await;
    let id = o.desk.in_handling_id("rude", "case_filed").await;
    let path = format!("/api/v1/complaints/{id}/investigation-records");
    let rec = o
        .desk
        .app
        .post(&path, &o.desk.intake, entry("witness_statement"))
        .await;
    let rec_id = rec.body["id"].as_str().unwrap_or_default().to_owned();
    let mut body = crate::sanctions::against(
        &o.clerk_id,
        json!([crate::sanctions::m("soft", "criticism_education")]),
        json!({}),
        &[&id],
    );
    body["investigation_record_ids"] = json!([rec_id]);
    let s = o.proposed(body.clone()).await;
    assert_eq!(s["investigation_record_ids"][0], rec_id.as_str());
    assert_eq!(s["complaint_ids"][0], id.as_str());
    body["investigation_record_ids"] = json!([uuid::Uuid::now_v7()]);
    assert_eq!(o.propose_as(&o.desk.intake, body).await.status, 422);
}
