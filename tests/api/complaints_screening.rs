//! `/screening`, `/classification` and the history they leave in `/events`.

use futures::future::join_all;
use reqwest::Method;
use serde_json::{Value, json};

use crate::complaints_support::{Desk, instant, screening};

/// The complaint as stored now.
async fn read(desk: &Desk, id: &str) -> Value {
    let reply = desk
        .app
        .get(&format!("/api/v1/complaints/{id}"), &desk.intake)
        .await;
    assert_eq!(reply.status, 200, "{:#}", reply.body);
    reply.body
}

#[tokio::test]
async fn accepting_a_complaint_sends_it_to_classification() {
    let desk = Desk::open().await;
    let id = desk.walk_in_id("the clerk was rude").await;

    let reply = desk.screen(&id, "accepted").await;
    assert_eq!(reply.status, 200, "{:#}", reply.body);
    assert_eq!(reply.etag(), "\"2\"");
    let c = &reply.body;
    assert_eq!(c["status"], "awaiting_classification");
    assert_eq!(c["version"], 2);
    assert_eq!(c["screening"]["outcome"], "accepted");
    assert_eq!(c["screening"]["explanation"], "screened as accepted");
    assert_eq!(c["screening"]["referral"], Value::Null);
    assert_eq!(c["screening"]["screened_by"], desk.intake_id.as_str());
    assert!(instant(&c["screening"]["screened_at"]) >= instant(&c["registered_at"]));
    assert_eq!(c["first_handler_id"], desk.intake_id.as_str());
    assert_eq!(&read(&desk, &id).await, c);
}

#[tokio::test]
async fn an_out_of_scope_complaint_keeps_its_explanation_and_referral() {
    let desk = Desk::open().await;
    let id = desk.walk_in_id("my neighbour is noisy").await;
    let body = json!({
        "outcome": "out_of_scope",
        "explanation": "noise between neighbours is not a matter of this bureau",
        "referral": "the neighbourhood committee"
    });

    let reply = desk.screen_with(&id, body, None).await;
    assert_eq!(reply.status, 200, "{:#}", reply.body);
    let stored = read(&desk, &id).await;
    assert_eq!(stored["status"], "out_of_scope");
    assert_eq!(stored["screening"]["outcome"], "out_of_scope");
    assert_eq!(
        stored["screening"]["referral"],
        "the neighbourhood committee"
    );
    assert_eq!(
        stored["screening"]["explanation"],
        "noise between neighbours is not a matter of this bureau"
    );
}

#[tokio::test]
async fn invalid_and_withdrawn_complaints_are_kept_with_their_status() {
    let desk = Desk::open().await;
    for outcome in ["invalid", "withdrawn"] {
        let id = desk.walk_in_id("something").await;
        let reply = desk.screen(&id, outcome).await;
        assert_eq!(reply.status, 200, "{:#}", reply.body);
        let stored = read(&desk, &id).await;
        assert_eq!(stored["status"], outcome);
        assert_eq!(stored["screening"]["outcome"], outcome);
        assert_eq!(stored["type"], Value::Null);
    }
    assert_eq!(
        desk.list("").await.len(),
        2,
        "screened-out records are kept"
    );
}

#[tokio::test]
async fn a_referral_belongs_only_to_out_of_scope() {
    let desk = Desk::open().await;
    let id = desk.walk_in_id("the clerk was rude").await;
    for outcome in ["accepted", "invalid", "withdrawn"] {
        let mut body = screening(outcome);
        body["referral"] = json!("the city government");
        let reply = desk.screen_with(&id, body, None).await;
        assert_eq!(reply.problem(422), "rule_refused", "{outcome}");
    }
    let stored = read(&desk, &id).await;
    assert_eq!(stored["status"], "awaiting_screening");
    assert_eq!(stored["version"], 1);
}

#[tokio::test]
async fn a_complaint_is_screened_once() {
    let desk = Desk::open().await;
    let id = desk.accepted_id("the clerk was rude").await;
    for outcome in ["accepted", "invalid"] {
        assert_eq!(desk.screen(&id, outcome).await.problem(409), "wrong_state");
    }
    assert_eq!(read(&desk, &id).await["status"], "awaiting_classification");
}

#[tokio::test]
async fn screening_honours_if_match() {
    let desk = Desk::open().await;
    let id = desk.walk_in_id("the clerk was rude").await;

    let stale = desk
        .screen_with(&id, screening("accepted"), Some("\"7\""))
        .await;
    assert_eq!(stale.problem(412), "stale_version");
    // An unquoted `7` is not an entity tag at all: 400 (see below).
    for foreign in ["W/\"1\"", "\"abc\""] {
        let reply = desk
            .screen_with(&id, screening("accepted"), Some(foreign))
            .await;
        assert_eq!(reply.problem(412), "stale_version", "If-Match: {foreign}");
    }
    assert_eq!(read(&desk, &id).await["version"], 1);

    let current = desk
        .screen_with(&id, screening("accepted"), Some("\"1\""))
        .await;
    assert_eq!(current.status, 200, "{:#}", current.body);
    assert_eq!(current.etag(), "\"2\"");
    assert_eq!(current.body["version"], 2);

    let classify = desk
        .app
        .call_with(
            Method::POST,
            &format!("/api/v1/complaints/{id}/classification"),
            Some(&desk.intake),
            Some(json!({"type": "case_filed"})),
            &[("If-Match", "\"1\"")],
        )
        .await;
    assert_eq!(classify.problem(412), "stale_version");
}

#[tokio::test]
async fn of_concurrent_screenings_one_wins_and_the_others_conflict() {
    let desk = Desk::open().await;
    let id = desk.walk_in_id("the clerk was rude").await;
    let replies = join_all(
        ["accepted", "invalid", "withdrawn", "accepted"].map(|outcome| desk.screen(&id, outcome)),
    )
    .await;

    let winners: Vec<&Value> = replies
        .iter()
        .filter(|r| r.status == 200)
        .map(|r| &r.body)
        .collect();
    assert_eq!(winners.len(), 1, "{replies:#?}");
    for loser in replies.iter().filter(|r| r.status != 200) {
        let code = loser.problem(loser.status.as_u16());
        assert!(
            (loser.status == 409 && ["wrong_state", "version_conflict"].contains(&code.as_str())),
            "{loser:#?}"
        );
    }
    let stored = read(&desk, &id).await;
    assert_eq!(stored["version"], 2);
    assert_eq!(&stored["status"], &winners[0]["status"]);
    assert_eq!(desk.events(&id).await.len(), 2);
}

#[tokio::test]
async fn only_intake_screens_and_unknown_complaints_are_404() {
    let desk = Desk::open().await;
    let id = desk.walk_in_id("the clerk was rude").await;
    let (_, leader) = desk.app.staff("leader", "leading_group", None).await;
    let path = format!("/api/v1/complaints/{id}/screening");

    for token in [&leader, &desk.app.admin] {
        assert_eq!(
            desk.app
                .post(&path, token, screening("accepted"))
                .await
                .problem(403),
            "forbidden"
        );
    }
    let classify = desk
        .app
        .post(
            &format!("/api/v1/complaints/{id}/classification"),
            &leader,
            json!({"type": "feedback"}),
        )
        .await;
    assert_eq!(classify.problem(403), "forbidden");
    assert_eq!(read(&desk, &id).await["version"], 1);

    let unknown = uuid::Uuid::now_v7();
    assert_eq!(
        desk.screen(&unknown.to_string(), "accepted")
            .await
            .problem(404),
        "not_found"
    );
    assert_eq!(
        desk.classify(&unknown.to_string(), "feedback", None)
            .await
            .problem(404),
        "not_found"
    );
    let bad_outcome = desk
        .screen_with(&id, json!({"outcome": "maybe", "explanation": "x"}), None)
        .await;
    assert_eq!(bad_outcome.problem(400), "invalid_request");
    let no_explanation = desk
        .screen_with(&id, json!({"outcome": "accepted"}), None)
        .await;
    assert_eq!(no_explanation.problem(400), "invalid_request");
}

#[tokio::test]
async fn an_accepted_complaint_takes_one_of_three_paths() {
    let desk = Desk::open().await;
    for complaint_type in ["case_filed", "on_site", "feedback"] {
        let id = desk.accepted_id("the clerk was rude").await;
        let reply = desk.classify(&id, complaint_type, None).await;
        assert_eq!(reply.status, 200, "{:#}", reply.body);
        assert_eq!(reply.etag(), "\"3\"");
        assert_eq!(reply.body["status"], "in_handling");
        assert_eq!(reply.body["type"], complaint_type);
        assert_eq!(read(&desk, &id).await["type"], complaint_type);
    }
}

#[tokio::test]
async fn only_an_accepted_complaint_is_classified() {
    let desk = Desk::open().await;
    let unscreened = desk.walk_in_id("the clerk was rude").await;
    assert_eq!(
        desk.classify(&unscreened, "case_filed", None)
            .await
            .problem(409),
        "wrong_state"
    );

    let out_of_scope = desk.walk_in_id("my neighbour is noisy").await;
    assert_eq!(desk.screen(&out_of_scope, "out_of_scope").await.status, 200);
    assert_eq!(
        desk.classify(&out_of_scope, "case_filed", None)
            .await
            .problem(409),
        "wrong_state"
    );
    assert_eq!(
        desk.classify(&out_of_scope, "case_filed", Some("really"))
            .await
            .problem(409),
        "wrong_state"
    );
    assert_eq!(read(&desk, &out_of_scope).await["status"], "out_of_scope");
}

#[tokio::test]
async fn reclassifying_needs_a_reason_and_a_new_type() {
    let desk = Desk::open().await;
    let id = desk.in_handling_id("the clerk was rude", "feedback").await;

    let no_reason = desk.classify(&id, "case_filed", None).await;
    assert_eq!(no_reason.problem(422), "validation_failed");
    assert_eq!(no_reason.error_fields(), vec!["reason"]);
    let same_type = desk.classify(&id, "feedback", Some("still feedback")).await;
    assert_eq!(same_type.problem(422), "rule_refused");
    assert_eq!(read(&desk, &id).await["version"], 3);

    let reply = desk
        .classify(&id, "case_filed", Some("a fee was charged without basis"))
        .await;
    assert_eq!(reply.status, 200, "{:#}", reply.body);
    assert_eq!(reply.etag(), "\"4\"");
    assert_eq!(reply.body["type"], "case_filed");
    assert_eq!(reply.body["status"], "in_handling");

    let events = desk.events(&id).await;
    let last = events.last().cloned().unwrap_or_default();
    assert_eq!(last["kind"], "reclassified");
    assert_eq!(last["reason"], "a fee was charged without basis");
    assert_eq!(last["data"]["from"], "feedback");
    assert_eq!(last["data"]["to"], "case_filed");
}

#[tokio::test]
async fn the_history_lists_every_step_in_order() {
    let desk = Desk::open().await;
    let (clerk_id, clerk) = desk.app.staff("intake2", "intake", None).await;
    let id = desk.walk_in_id("the clerk was rude").await;
    assert_eq!(desk.screen(&id, "accepted").await.status, 200);
    let classified = desk
        .app
        .post(
            &format!("/api/v1/complaints/{id}/classification"),
            &clerk,
            json!({"type": "on_site"}),
        )
        .await;
    assert_eq!(classified.status, 200, "{:#}", classified.body);
    assert_eq!(
        desk.classify(&id, "case_filed", Some("needs a formal file"))
            .await
            .status,
        200
    );

    let events = desk.events(&id).await;
    let summary: Vec<(i64, String, String, Value)> = events
        .iter()
        .map(|e| {
            (
                e["sequence"].as_i64().unwrap_or_default(),
                e["kind"].as_str().unwrap_or_default().to_owned(),
                e["actor_id"].as_str().unwrap_or_default().to_owned(),
                e["reason"].clone(),
            )
        })
        .collect();
    let intake = desk.intake_id.clone();
    assert_eq!(
        summary,
        vec![
            (1, "registered".to_owned(), intake.clone(), Value::Null),
            (
                2,
                "screened".to_owned(),
                intake.clone(),
                json!("screened as accepted")
            ),
            (3, "classified".to_owned(), clerk_id, Value::Null),
            (
                4,
                "reclassified".to_owned(),
                intake,
                json!("needs a formal file")
            ),
        ]
    );
    let stored = read(&desk, &id).await;
    assert_eq!(events[0]["data"]["number"], stored["number"]);
    assert_eq!(events[0]["data"]["channel"], "walk_in");
    assert_eq!(events[1]["data"]["outcome"], "accepted");
    assert_eq!(events[2]["data"]["complaint_type"], "on_site");
    let times: Vec<_> = events.iter().map(|e| instant(&e["at"])).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");
    assert_eq!(times[0], instant(&stored["registered_at"]));
    assert_eq!(times[3], instant(&stored["updated_at"]));
    assert_eq!(
        stored["first_handler_id"],
        desk.intake_id.as_str(),
        "the first handler does not change"
    );

    let unknown = uuid::Uuid::now_v7();
    let reply = desk
        .app
        .get(
            &format!("/api/v1/complaints/{unknown}/events"),
            &desk.intake,
        )
        .await;
    assert_eq!(reply.problem(404), "not_found");
}

#[tokio::test]
async fn a_malformed_or_oversized_if_match_is_a_400_problem_naming_the_header() {
    let desk = Desk::open().await;
    let id = desk.walk_in_id("the clerk was rude").await;

    for tag in ["1", "\"1", "\"99999999999999999999\"", "\"1\", \"2\""] {
        let reply = desk
            .screen_with(&id, screening("accepted"), Some(tag))
            .await;
        assert_eq!(reply.problem(400), "invalid_request", "{tag}");
        assert!(
            reply.body["detail"]
                .as_str()
                .is_some_and(|d| d.contains("If-Match")),
            "{tag}: {:#}",
            reply.body
        );
    }
    assert_eq!(read(&desk, &id).await["version"], 1);
    let weak = desk
        .screen_with(&id, screening("accepted"), Some("W/\"1\""))
        .await;
    assert_eq!(weak.problem(412), "stale_version");
    let current = desk
        .screen_with(&id, screening("accepted"), Some("\"1\""))
        .await;
    assert_eq!(current.status, 200, "{:#}", current.body);
}

#[tokio::test]
async fn history_entries_name_who_acted_by_display_name() {
    let desk = Desk::open().await;
    let (clerk_id, clerk) = desk.app.staff("intake2", "intake", None).await;
    let id = desk.walk_in_id("the clerk was rude").await;
    let screened = desk
        .app
        .post(
            &format!("/api/v1/complaints/{id}/screening"),
            &clerk,
            crate::complaints_support::screening("accepted"),
        )
        .await;
    assert_eq!(screened.status, 200, "{:#}", screened.body);

    let actors: Vec<(Value, Value)> = desk
        .events(&id)
        .await
        .iter()
        .map(|e| (e["actor_id"].clone(), e["actor_display_name"].clone()))
        .collect();
    assert_eq!(
        actors,
        vec![
            (json!(desk.intake_id), json!("intake1")),
            (json!(clerk_id), json!("intake2")),
        ]
    );
}
