//! `/on-site-resolution`, `/feedback-disposition`, `/close`, `/return-visit`, `/reopen`, and
//! the history they leave in `/events`.

use chrono::{Duration, Utc};
use duban_tests::Reply;
use reqwest::Method;
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::complaints_support::{Desk, id_of, instant, screening, walk_in};

/// `POST /complaints/{id}/{action}` as `token`, with an optional `If-Match`.
async fn act_as(
    desk: &Desk,
    token: &str,
    id: &str,
    action: &str,
    body: Value,
    if_match: Option<&str>,
) -> Reply {
    let headers: Vec<(&str, &str)> = if_match.map(|tag| ("If-Match", tag)).into_iter().collect();
    desk.app
        .call_with(
            Method::POST,
            &format!("/api/v1/complaints/{id}/{action}"),
            Some(token),
            Some(body),
            &headers,
        )
        .await
}

/// `POST /complaints/{id}/{action}` as the intake officer.
async fn act(desk: &Desk, id: &str, action: &str, body: Value) -> Reply {
    act_as(desk, &desk.intake, id, action, body, None).await
}

/// As [`act`], expecting 200; returns the complaint.
async fn done(desk: &Desk, id: &str, action: &str, body: Value) -> Value {
    let reply = act(desk, id, action, body).await;
    assert_eq!(reply.status, 200, "{action}: {:#}", reply.body);
    reply.body
}

async fn read(desk: &Desk, id: &str) -> Value {
    let reply = desk
        .app
        .get(&format!("/api/v1/complaints/{id}"), &desk.intake)
        .await;
    assert_eq!(reply.status, 200, "{:#}", reply.body);
    reply.body
}

/// Told by phone just now (after the complaint was received, not in the future).
fn answered() -> Value {
    json!({"method": "phone", "answered_at": Utc::now().to_rfc3339()})
}

fn close_body() -> Value {
    json!({
        "outcome": "the clerk was retrained and apologised in writing",
        "finding": "sustained",
        "answer": answered()
    })
}

fn visit(satisfaction: &str) -> Value {
    json!({"satisfaction": satisfaction, "remarks": format!("the complainant is {satisfaction}")})
}

fn reopen_body() -> Value {
    json!({"reason": "the complainant says the clerk is still rude"})
}

/// A case_filed complaint closed with [`close_body`]; returns its id.
async fn closed_case(desk: &Desk, account: &str) -> String {
    let id = desk.in_handling_id(account, "case_filed").await;
    done(desk, &id, "close", close_body()).await;
    id
}

/// The kinds of the complaint's events, oldest first.
async fn kinds(desk: &Desk, id: &str) -> Vec<String> {
    desk.events(id)
        .await
        .iter()
        .map(|e| e["kind"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test]
async fn a_reconciled_on_site_complaint_is_closed_with_that_outcome() {
    let desk = Desk::open().await;
    let id = desk.in_handling_id("the clerk shouted", "on_site").await;

    let reply = act(
        &desk,
        &id,
        "on-site-resolution",
        json!({"reconciled": true, "note": "the clerk apologised; the complainant accepted"}),
    )
    .await;
    assert_eq!(reply.status, 200, "{:#}", reply.body);
    assert_eq!(reply.etag(), "\"4\"");
    let c = &reply.body;
    assert_eq!(c["status"], "closed");
    assert_eq!(c["type"], "on_site");
    assert_eq!(
        c["closing"]["outcome"],
        "the clerk apologised; the complainant accepted"
    );
    assert_eq!(c["closing"]["finding"], Value::Null);
    assert!(instant(&c["closing"]["closed_at"]) >= instant(&c["registered_at"]));
    assert_eq!(c["reopen_count"], 0);
    assert_eq!(&read(&desk, &id).await, c);
    let events = desk.events(&id).await;
    let last = &events[events.len() - 1];
    assert_eq!(last["kind"], "reconciled_on_site");
    assert_eq!(
        last["reason"],
        "the clerk apologised; the complainant accepted"
    );
}

#[tokio::test]
async fn an_on_site_complaint_not_reconciled_is_filed_as_a_case() {
    let desk = Desk::open().await;
    let id = desk.in_handling_id("the clerk shouted", "on_site").await;

    let c = done(
        &desk,
        &id,
        "on-site-resolution",
        json!({"reconciled": false, "note": "the complainant refused the apology"}),
    )
    .await;
    assert_eq!(c["status"], "in_handling");
    assert_eq!(c["type"], "case_filed");
    assert_eq!(c["closing"], Value::Null);
    let events = desk.events(&id).await;
    let last = &events[events.len() - 1];
    assert_eq!(last["kind"], "reclassified");
    assert_eq!(last["reason"], "the complainant refused the apology");
    assert_eq!(last["data"]["from"], "on_site");
    assert_eq!(last["data"]["to"], "case_filed");

    // Now case_filed: the on-site path is over.
    let again = act(
        &desk,
        &id,
        "on-site-resolution",
        json!({"reconciled": true, "note": "reconciled after all"}),
    )
    .await;
    assert_eq!(again.problem(409), "wrong_state");
    // And it closes as a case.
    let closed = done(&desk, &id, "close", close_body()).await;
    assert_eq!(closed["status"], "closed");
    assert_eq!(closed["closing"]["finding"], "sustained");
}

#[tokio::test]
async fn each_feedback_disposition_closes_the_complaint() {
    let desk = Desk::open().await;
    for (disposition, section) in [
        ("reference", None),
        ("forward_to_section", Some(desk.section.clone())),
        ("forward_to_government", None),
    ] {
        let id = desk
            .in_handling_id("longer opening hours, please", "feedback")
            .await;
        let c = done(
            &desk,
            &id,
            "feedback-disposition",
            json!({"disposition": disposition, "note": format!("sent on: {disposition}"),
                   "section_id": section}),
        )
        .await;
        assert_eq!(c["status"], "closed", "{disposition}");
        assert_eq!(c["closing"]["feedback_disposition"], disposition);
        assert_eq!(c["closing"]["outcome"], format!("sent on: {disposition}"));
        assert_eq!(
            c["closing"]["feedback_section_id"],
            section.map_or(Value::Null, Value::String)
        );
        let events = desk.events(&id).await;
        let last = &events[events.len() - 1];
        assert_eq!(last["kind"], "feedback_disposed");
        assert_eq!(last["data"]["disposition"], disposition);
        assert_eq!(last["reason"], format!("sent on: {disposition}"));
    }
}

#[tokio::test]
async fn a_section_is_named_exactly_when_feedback_is_forwarded_to_one() {
    let desk = Desk::open().await;
    let id = desk
        .in_handling_id("longer opening hours, please", "feedback")
        .await;
    let body = |disposition: &str, section: Option<&str>| json!({"disposition": disposition, "note": "n", "section_id": section});
    let missing = act(
        &desk,
        &id,
        "feedback-disposition",
        body("forward_to_section", None),
    )
    .await;
    assert_eq!(missing.problem(422), "rule_refused");
    let extra = act(
        &desk,
        &id,
        "feedback-disposition",
        body("reference", Some(&desk.section)),
    )
    .await;
    assert_eq!(extra.problem(422), "rule_refused");
    let unknown = act(
        &desk,
        &id,
        "feedback-disposition",
        body("forward_to_section", Some(&Uuid::now_v7().to_string())),
    )
    .await;
    unknown.problem(422);
    assert_eq!(unknown.error_fields(), vec!["section_id"]);
    let c = read(&desk, &id).await;
    assert_eq!(c["status"], "in_handling");
    assert_eq!(c["version"], 3);
    // Feedback is not closed as a case, nor resolved on site.
    assert_eq!(
        act(&desk, &id, "close", close_body()).await.problem(409),
        "wrong_state"
    );
}

#[tokio::test]
async fn a_case_is_closed_with_its_finding_and_the_answer_given() {
    let desk = Desk::open().await;
    let id = desk
        .in_handling_id("fees charged twice", "case_filed")
        .await;
    let told_at = "2026-01-05T10:30:00+08:00";
    for finding in ["sustained", "not_sustained", "exonerated", "unfounded"] {
        let id = desk
            .in_handling_id("fees charged twice", "case_filed")
            .await;
        let c = done(
            &desk,
            &id,
            "close",
            json!({"outcome": "refunded", "finding": finding,
                   "answer": {"method": "letter", "answered_at": Utc::now().to_rfc3339()}}),
        )
        .await;
        assert_eq!(c["closing"]["finding"], finding);
    }

    // An answer before the complaint was received, or in the future, is refused.
    for when in [
        told_at.to_owned(),
        (Utc::now() + Duration::hours(1)).to_rfc3339(),
    ] {
        let reply = act(
            &desk,
            &id,
            "close",
            json!({"outcome": "refunded", "finding": "sustained",
                   "answer": {"method": "phone", "answered_at": when}}),
        )
        .await;
        reply.problem(422);
        assert_eq!(reply.error_fields(), vec!["answer.answered_at"], "{when}");
    }

    let reply = act(&desk, &id, "close", close_body()).await;
    assert_eq!(reply.status, 200, "{:#}", reply.body);
    assert_eq!(reply.etag(), "\"4\"");
    let c = &reply.body;
    assert_eq!(c["status"], "closed");
    assert_eq!(c["type"], "case_filed");
    assert_eq!(
        c["closing"]["outcome"],
        "the clerk was retrained and apologised in writing"
    );
    assert_eq!(c["closing"]["finding"], "sustained");
    assert_eq!(c["closing"]["answer"]["method"], "phone");
    assert!(instant(&c["closing"]["answer"]["answered_at"]) <= instant(&c["closing"]["closed_at"]));
    assert_eq!(c["return_visit"], Value::Null);
    assert_eq!(&read(&desk, &id).await, c);
    let events = desk.events(&id).await;
    let last = &events[events.len() - 1];
    assert_eq!(last["kind"], "closed");
    assert_eq!(last["data"]["finding"], "sustained");
    assert_eq!(last["data"]["answer"]["method"], "phone");

    // Closed is closed.
    assert_eq!(
        act(&desk, &id, "close", close_body()).await.problem(409),
        "wrong_state"
    );
}

/// Clients state times to the whole second (`date -u +%Y-%m-%dT%H:%M:%SZ`); a case closed in
/// the second it was received in must not be refused as answered before its receipt.
#[tokio::test]
async fn an_answer_and_a_visit_stated_to_the_second_are_accepted_within_that_second() {
    let desk = Desk::open().await;
    let id = desk
        .in_handling_id("fees charged twice", "case_filed")
        .await;
    let received = instant(&read(&desk, &id).await["received_at"]);
    let same_second = received.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let closed = done(
        &desk,
        &id,
        "close",
        json!({"outcome": "refunded", "finding": "sustained",
               "answer": {"method": "phone", "answered_at": same_second}}),
    )
    .await;
    let closed_second = instant(&closed["closing"]["closed_at"])
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    let visited = done(
        &desk,
        &id,
        "return-visit",
        json!({"satisfaction": "satisfied", "visited_at": closed_second}),
    )
    .await;
    assert_eq!(visited["return_visit"]["satisfaction"], "satisfied");
}

#[tokio::test]
async fn a_named_complainant_must_be_told_the_result_before_closing() {
    let desk = Desk::open().await;
    let id = desk
        .in_handling_id("fees charged twice", "case_filed")
        .await;
    for answer in [Value::Null, json!({"method": "none_anonymous"})] {
        let reply = act(
            &desk,
            &id,
            "close",
            json!({"outcome": "refunded", "finding": "sustained", "answer": answer}),
        )
        .await;
        assert_eq!(reply.problem(422), "rule_refused", "{answer}");
        assert!(
            reply.body["detail"]
                .as_str()
                .is_some_and(|d| d.contains("must be told the result")),
            "{:#}",
            reply.body
        );
    }
    let undated = act(
        &desk,
        &id,
        "close",
        json!({"outcome": "refunded", "finding": "sustained", "answer": {"method": "sms"}}),
    )
    .await;
    undated.problem(422);
    assert_eq!(undated.error_fields(), vec!["answer.answered_at"]);
    let c = read(&desk, &id).await;
    assert_eq!(c["status"], "in_handling");
    assert_eq!(c["version"], 3);
}

#[tokio::test]
async fn an_anonymous_complaint_closes_without_an_answer() {
    let desk = Desk::open().await;
    let mut body = walk_in(&desk.unit, "someone took a bribe");
    body["complainant"] = json!({"anonymous": true});
    let id = id_of(&desk.registered(body).await);
    assert_eq!(desk.screen(&id, "accepted").await.status, 200);
    assert_eq!(desk.classify(&id, "case_filed", None).await.status, 200);

    let c = done(
        &desk,
        &id,
        "close",
        json!({"outcome": "not proved", "finding": "not_sustained"}),
    )
    .await;
    assert_eq!(c["status"], "closed");
    assert_eq!(c["closing"]["answer"]["method"], "none_anonymous");
    assert_eq!(c["closing"]["answer"]["answered_at"], Value::Null);
}

#[tokio::test]
async fn return_visits_record_satisfaction_once_per_closing() {
    let desk = Desk::open().await;
    for satisfaction in [
        "satisfied",
        "basically_satisfied",
        "dissatisfied",
        "unreachable",
    ] {
        let id = closed_case(&desk, "fees charged twice").await;
        let reply = act(&desk, &id, "return-visit", visit(satisfaction)).await;
        assert_eq!(reply.status, 200, "{:#}", reply.body);
        assert_eq!(reply.etag(), "\"5\"");
        let c = &reply.body;
        assert_eq!(c["status"], "closed");
        assert_eq!(c["return_visit"]["satisfaction"], satisfaction);
        assert_eq!(
            c["return_visit"]["remarks"],
            format!("the complainant is {satisfaction}")
        );
        assert!(instant(&c["return_visit"]["visited_at"]) >= instant(&c["closing"]["closed_at"]));
        let again = act(&desk, &id, "return-visit", visit("satisfied")).await;
        assert_eq!(again.problem(422), "rule_refused");
        let events = desk.events(&id).await;
        let last = &events[events.len() - 1];
        assert_eq!(last["kind"], "return_visit_recorded");
        assert_eq!(last["data"]["satisfaction"], satisfaction);
    }
}

#[tokio::test]
async fn a_return_visit_has_a_time_after_the_closing_and_not_in_the_future() {
    let desk = Desk::open().await;
    let id = closed_case(&desk, "fees charged twice").await;
    let future = (Utc::now() + Duration::hours(2)).to_rfc3339();
    let reply = act(
        &desk,
        &id,
        "return-visit",
        json!({"satisfaction": "satisfied", "visited_at": future}),
    )
    .await;
    reply.problem(422);
    assert_eq!(reply.error_fields(), vec!["visited_at"]);
    let before = act(
        &desk,
        &id,
        "return-visit",
        json!({"satisfaction": "satisfied", "visited_at": "2026-01-01T00:00:00Z"}),
    )
    .await;
    assert_eq!(before.problem(422), "rule_refused");
}

#[tokio::test]
async fn a_return_visit_needs_a_closed_case() {
    let desk = Desk::open().await;
    let id = desk
        .in_handling_id("fees charged twice", "case_filed")
        .await;
    let reply = act(&desk, &id, "return-visit", visit("satisfied")).await;
    assert_eq!(reply.problem(409), "wrong_state");
    let fresh = desk.walk_in_id("fees charged twice").await;
    let reply = act(&desk, &fresh, "return-visit", visit("satisfied")).await;
    assert_eq!(reply.problem(409), "wrong_state");
}

#[tokio::test]
async fn a_dissatisfied_visit_reopens_the_case_with_the_same_first_handler() {
    let desk = Desk::open().await;
    let (intake2_id, intake2) = desk.app.staff("intake2", "intake", None).await;
    let id = desk.in_handling_id("the clerk shouted", "on_site").await;
    // A second intake officer carries the case on: the first handler stays intake1.
    let filed = act_as(
        &desk,
        &intake2,
        &id,
        "on-site-resolution",
        json!({"reconciled": false, "note": "no reconciliation"}),
        None,
    )
    .await;
    assert_eq!(filed.status, 200, "{:#}", filed.body);
    assert_eq!(filed.body["first_handler_id"], desk.intake_id.as_str());
    done(&desk, &id, "close", close_body()).await;
    done(&desk, &id, "return-visit", visit("dissatisfied")).await;

    let reply = act_as(&desk, &intake2, &id, "reopen", reopen_body(), Some("\"6\"")).await;
    assert_eq!(reply.status, 200, "{:#}", reply.body);
    assert_eq!(reply.etag(), "\"7\"");
    let c = &reply.body;
    assert_eq!(c["status"], "in_handling");
    assert_eq!(c["type"], "case_filed");
    assert_eq!(c["reopen_count"], 1);
    assert_eq!(c["closing"], Value::Null);
    assert_eq!(c["return_visit"], Value::Null);
    assert_eq!(c["first_handler_id"], desk.intake_id.as_str());

    // Reopened once: a second reopen finds it in handling.
    let twice = act(&desk, &id, "reopen", reopen_body()).await;
    assert_eq!(twice.problem(409), "wrong_state");

    // The list still files it under the first handler, not under the one who reopened it.
    let mine = desk
        .list(&format!("?first_handler_id={}", desk.intake_id))
        .await;
    assert!(mine.iter().any(|c| c["id"] == id.as_str()));
    let theirs = desk.list(&format!("?first_handler_id={intake2_id}")).await;
    assert!(theirs.iter().all(|c| c["id"] != id.as_str()));

    // The new round ends as the first did: close, visit, and a second reopen is possible.
    done(&desk, &id, "close", close_body()).await;
    done(&desk, &id, "return-visit", visit("dissatisfied")).await;
    let again = done(&desk, &id, "reopen", reopen_body()).await;
    assert_eq!(again["reopen_count"], 2);
    assert_eq!(again["first_handler_id"], desk.intake_id.as_str());
}

#[tokio::test]
async fn only_a_dissatisfied_visit_reopens() {
    let desk = Desk::open().await;
    let id = closed_case(&desk, "fees charged twice").await;
    // No visit yet.
    assert_eq!(
        act(&desk, &id, "reopen", reopen_body()).await.problem(422),
        "rule_refused"
    );
    done(&desk, &id, "return-visit", visit("satisfied")).await;
    let reply = act(&desk, &id, "reopen", reopen_body()).await;
    assert_eq!(reply.problem(422), "rule_refused");
    assert!(
        reply.body["detail"]
            .as_str()
            .is_some_and(|d| d.contains("dissatisfied")),
        "{:#}",
        reply.body
    );
    let c = read(&desk, &id).await;
    assert_eq!(c["status"], "closed");
    assert_eq!(c["reopen_count"], 0);
    // A case in handling is not reopened.
    let open = desk
        .in_handling_id("fees charged twice", "case_filed")
        .await;
    assert_eq!(
        act(&desk, &open, "reopen", reopen_body())
            .await
            .problem(409),
        "wrong_state"
    );
}

/// Each action with a body that would be valid.
fn every_action(desk: &Desk) -> Vec<(&'static str, Value)> {
    vec![
        (
            "on-site-resolution",
            json!({"reconciled": true, "note": "ok"}),
        ),
        (
            "feedback-disposition",
            json!({"disposition": "forward_to_section", "note": "n", "section_id": desk.section}),
        ),
        ("close", close_body()),
        ("answer", answered()),
        ("return-visit", visit("satisfied")),
        ("reopen", reopen_body()),
    ]
}

#[tokio::test]
async fn only_intake_resolves_closes_visits_and_reopens() {
    let desk = Desk::open().await;
    let id = desk
        .in_handling_id("fees charged twice", "case_filed")
        .await;
    let (_, head) = desk.app.staff("head1", "unit_head", Some(&desk.unit)).await;
    let (_, handler) = desk
        .app
        .staff("handler1", "unit_handler", Some(&desk.unit))
        .await;
    let (_, leader) = desk.app.staff("leader1", "leading_group", None).await;
    for token in [&head, &handler, &leader, &desk.app.admin] {
        for (action, body) in every_action(&desk) {
            let reply = act_as(&desk, token, &id, action, body, None).await;
            assert_eq!(reply.problem(403), "forbidden", "{action}");
        }
    }
    let c = read(&desk, &id).await;
    assert_eq!(c["version"], 3);
    assert_eq!(c["status"], "in_handling");
}

#[tokio::test]
async fn every_action_honours_if_match_and_answers_404_for_unknown_complaints() {
    let desk = Desk::open().await;
    let id = desk
        .in_handling_id("fees charged twice", "case_filed")
        .await;
    for (action, body) in every_action(&desk) {
        let stale = act_as(
            &desk,
            &desk.intake,
            &id,
            action,
            body.clone(),
            Some("\"2\""),
        )
        .await;
        assert_eq!(stale.problem(412), "stale_version", "{action}");
        let unknown = act(&desk, &Uuid::now_v7().to_string(), action, body).await;
        assert_eq!(unknown.problem(404), "not_found", "{action}");
    }
    let current = act_as(
        &desk,
        &desk.intake,
        &id,
        "close",
        close_body(),
        Some("\"3\""),
    )
    .await;
    assert_eq!(current.status, 200, "{:#}", current.body);
}

#[tokio::test]
async fn the_history_lists_every_step_with_its_reason() {
    let desk = Desk::open().await;
    let id = desk.walk_in_id("the clerk shouted").await;
    assert_eq!(
        desk.screen_with(&id, screening("accepted"), None)
            .await
            .status,
        200
    );
    assert_eq!(desk.classify(&id, "on_site", None).await.status, 200);
    done(
        &desk,
        &id,
        "on-site-resolution",
        json!({"reconciled": false, "note": "the complainant refused the apology"}),
    )
    .await;
    done(&desk, &id, "close", close_body()).await;
    done(&desk, &id, "return-visit", visit("dissatisfied")).await;
    done(&desk, &id, "reopen", reopen_body()).await;

    assert_eq!(
        kinds(&desk, &id).await,
        [
            "registered",
            "screened",
            "classified",
            "reclassified",
            "closed",
            "return_visit_recorded",
            "reopened"
        ]
    );
    let events = desk.events(&id).await;
    let reasons: Vec<&Value> = events.iter().map(|e| &e["reason"]).collect();
    assert_eq!(reasons[1], "screened as accepted");
    assert_eq!(reasons[3], "the complainant refused the apology");
    assert_eq!(reasons[5], "the complainant is dissatisfied");
    assert_eq!(reasons[6], "the complainant says the clerk is still rude");
    for (n, e) in events.iter().enumerate() {
        assert_eq!(e["sequence"], n + 1);
        assert_eq!(e["actor_id"], desk.intake_id.as_str());
    }
    assert_eq!(events[4]["data"]["answer"]["method"], "phone");
    assert!(events[5]["data"]["visited_at"].is_string());
}

/// Stores a supervision order of `status` for the complaint directly: the order endpoints are
/// not part of this test's subject.
async fn store_order(desk: &Desk, complaint: &str, status: &str) -> Uuid {
    let db = desk.app.database().await;
    let id = Uuid::now_v7();
    let now = Utc::now();
    let complaint = Uuid::parse_str(complaint).unwrap_or_else(|e| panic!("{e}"));
    let unit = Uuid::parse_str(&desk.unit).unwrap_or_else(|e| panic!("{e}"));
    let insert = Query::insert()
        .into_table(Alias::new("supervision_orders"))
        .columns(
            [
                "id",
                "complaint_id",
                "round",
                "unit_id",
                "opinion",
                "status",
                "issued_at",
                "issued_by",
                "reply_working_days",
                "complainant_to_be_told_new_date",
                "version",
                "updated_at",
            ]
            .map(Alias::new),
        )
        .values([
            id.into(),
            complaint.into(),
            1_i32.into(),
            unit.into(),
            "please look into it".into(),
            status.into(),
            now.into(),
            Uuid::parse_str(&desk.intake_id)
                .unwrap_or_else(|e| panic!("{e}"))
                .into(),
            5_i32.into(),
            false.into(),
            1_i64.into(),
            now.into(),
        ])
        .unwrap_or_else(|e| panic!("{e}"))
        .to_owned();
    db.execute(&insert).await.unwrap_or_else(|e| panic!("{e}"));
    id
}

async fn set_order_status(desk: &Desk, order: Uuid, status: &str) {
    let db = desk.app.database().await;
    let update = Query::update()
        .table(Alias::new("supervision_orders"))
        .value(Alias::new("status"), status)
        .and_where(Expr::col(Alias::new("id")).eq(order))
        .to_owned();
    db.execute(&update).await.unwrap_or_else(|e| panic!("{e}"));
}

#[tokio::test]
async fn an_open_supervision_order_blocks_closing_and_reclassifying() {
    let desk = Desk::open().await;
    let id = desk
        .in_handling_id("fees charged twice", "case_filed")
        .await;
    let order = store_order(&desk, &id, "issued").await;
    for status in ["issued", "signed", "returned", "replied"] {
        set_order_status(&desk, order, status).await;
        let reply = act(&desk, &id, "close", close_body()).await;
        assert_eq!(reply.problem(422), "rule_refused", "{status}");
        assert!(
            reply.body["detail"]
                .as_str()
                .is_some_and(|d| d.contains("supervision order")),
            "{:#}",
            reply.body
        );
        let reclassify = desk
            .classify(&id, "feedback", Some("an opinion after all"))
            .await;
        assert_eq!(reclassify.problem(422), "rule_refused", "{status}");
    }
    // Done or cancelled orders no longer hold the case open.
    for status in ["accepted", "rejected", "cancelled"] {
        set_order_status(&desk, order, status).await;
        let other = store_order(&desk, &id, status).await;
        assert_ne!(other, order);
    }
    let c = done(&desk, &id, "close", close_body()).await;
    assert_eq!(c["status"], "closed");
}
