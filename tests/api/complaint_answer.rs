//! A case closed before the complainant was told its result (`answer_later`) owes the answer
//! within a working day: it shows in intake's list until intake records the telling, is
//! overdue past its day, counts in statistics, and keeps the return visit waiting.

use chrono::{DateTime, TimeDelta, Utc};
use duban_domain::clock::Clock;
use duban_tests::{Reply, STAFF_PASSWORD};
use serde_json::{Value, json};

use crate::complaints_support::{Desk, id_of, walk_in};
use crate::tamper_support::{differing_fields, edit_row};

fn ok(reply: Reply) -> Value {
    assert!(reply.status.is_success(), "{:#}", reply.body);
    reply.body
}

fn closing_later() -> Value {
    json!({"outcome": "the fee was refunded and the clerk retrained",
           "finding": "sustained", "answer_later": true})
}

async fn act_as(desk: &Desk, token: &str, id: &str, action: &str, body: Value) -> Reply {
    desk.app
        .post(&format!("/api/v1/complaints/{id}/{action}"), token, body)
        .await
}

async fn act(desk: &Desk, id: &str, action: &str, body: Value) -> Reply {
    act_as(desk, &desk.intake, id, action, body).await
}

async fn read(desk: &Desk, id: &str) -> Value {
    ok(desk
        .app
        .get(&format!("/api/v1/complaints/{id}"), &desk.intake)
        .await)
}

/// The ids `GET /complaints?answer_to_follow={filter}` lists.
async fn owed(desk: &Desk, filter: &str) -> Vec<String> {
    desk.list(&format!("?answer_to_follow={filter}"))
        .await
        .iter()
        .map(id_of)
        .collect()
}

/// `answers_to_follow` and `answers_to_follow_overdue` over complaints received in the last
/// day.
async fn answer_figures(desk: &Desk) -> (Value, Value) {
    let format = |t: chrono::DateTime<Utc>| t.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let now = Utc::now();
    let summary = ok(desk
        .app
        .get(
            &format!(
                "/api/v1/stats/summary?from={}&to={}",
                format(now - TimeDelta::days(1)),
                format(now + TimeDelta::days(1))
            ),
            &desk.intake,
        )
        .await);
    (
        summary["total"]["answers_to_follow"].clone(),
        summary["total"]["answers_to_follow_overdue"].clone(),
    )
}

#[tokio::test]
async fn a_case_closed_with_the_answer_to_follow_owes_it_until_intake_records_it() {
    let desk = Desk::open().await;
    let id = desk
        .in_handling_id("fees charged twice", "case_filed")
        .await;
    let told_on_closing = desk
        .in_handling_id("rude at the counter", "case_filed")
        .await;
    ok(act(
        &desk,
        &told_on_closing,
        "close",
        json!({"outcome": "apologised", "finding": "sustained",
               "answer": {"method": "phone", "answered_at": Utc::now().to_rfc3339()}}),
    )
    .await);

    let closed = ok(act(&desk, &id, "close", closing_later()).await);
    assert_eq!(closed["status"], "closed");
    let closing = &closed["closing"];
    assert!(closing.get("answer").is_none(), "{closed:#}");
    let due = crate::complaints_support::instant(&closing["answer_due_at"]);
    let closed_at = crate::complaints_support::instant(&closing["closed_at"]);
    assert!(
        due > closed_at,
        "owed within the next working day: {closing:#}"
    );
    assert_eq!(owed(&desk, "open").await, std::slice::from_ref(&id));
    assert_eq!(owed(&desk, "overdue").await, Vec::<String>::new());
    assert_eq!(answer_figures(&desk).await, (json!(1), json!(0)));

    let visit = act(
        &desk,
        &id,
        "return-visit",
        json!({"satisfaction": "satisfied"}),
    )
    .await;
    assert_eq!(visit.problem(422), "rule_refused");
    assert!(
        visit.body["detail"]
            .as_str()
            .is_some_and(|d| d.contains("before the return visit")),
        "{:#}",
        visit.body
    );

    let (_, head) = desk.app.staff("head1", "unit_head", Some(&desk.unit)).await;
    let now = Utc::now();
    let told = json!({"method": "letter", "answered_at": now.to_rfc3339()});
    assert_eq!(
        act_as(&desk, &head, &id, "answer", told.clone())
            .await
            .problem(403),
        "forbidden"
    );
    let future =
        json!({"method": "letter", "answered_at": (now + TimeDelta::hours(2)).to_rfc3339()});
    assert_eq!(
        act(&desk, &id, "answer", future).await.error_fields(),
        ["answered_at"]
    );
    let early = json!({"method": "letter", "answered_at": (closed_at - TimeDelta::seconds(5)).to_rfc3339()});
    assert_eq!(
        act(&desk, &id, "answer", early).await.error_fields(),
        ["answered_at"],
        "not before the closing"
    );
    assert_eq!(
        read(&desk, &id).await["version"],
        closed["version"],
        "refusals change nothing"
    );

    let answered = ok(act(&desk, &id, "answer", told.clone()).await);
    assert_eq!(
        answered["closing"]["answer"]["method"], "letter",
        "{answered:#}"
    );
    assert!(answered["closing"]["answer"]["answered_at"].is_string());
    assert_eq!(owed(&desk, "open").await, Vec::<String>::new());
    assert_eq!(
        act(&desk, &id, "answer", told).await.problem(422),
        "rule_refused",
        "told once"
    );
    assert_eq!(
        act(
            &desk,
            &told_on_closing,
            "answer",
            json!({"method": "phone", "answered_at": now.to_rfc3339()})
        )
        .await
        .problem(422),
        "rule_refused",
        "nothing is owed on a case closed with its answer"
    );

    let kinds: Vec<Value> = desk
        .events(&id)
        .await
        .iter()
        .map(|e| e["kind"].clone())
        .collect();
    assert_eq!(
        kinds[kinds.len() - 2..],
        [json!("closed"), json!("complainant_told_result")]
    );
    let checked = ok(desk
        .app
        .get(
            &format!("/api/v1/complaints/{id}/events/verification"),
            &desk.intake,
        )
        .await);
    assert_eq!(
        checked["intact"], true,
        "the history folds to the stored answer: {checked:#}"
    );
    ok(act(
        &desk,
        &id,
        "return-visit",
        json!({"satisfaction": "satisfied"}),
    )
    .await);
    assert_eq!(answer_figures(&desk).await, (json!(1), json!(0)));
}

#[tokio::test]
async fn an_answer_untold_a_working_day_after_the_closing_is_overdue() {
    let mut desk = Desk::open().await;
    let id = desk
        .in_handling_id("fees charged twice", "case_filed")
        .await;
    let closed = ok(act(&desk, &id, "close", closing_later()).await);
    // The working day passes: the answer fell due an hour ago.
    let due = closed["closing"]["answer_due_at"]
        .as_str()
        .and_then(|at| DateTime::parse_from_rfc3339(at).ok())
        .map(|at| at.with_timezone(&Utc))
        .unwrap_or_else(|| panic!("no answer_due_at: {closed:#}"));
    desk.app.clock.run_from(due + TimeDelta::hours(1));
    // The session from the day of the closing has expired since.
    desk.intake = desk.app.login("intake1", STAFF_PASSWORD).await;
    assert_eq!(owed(&desk, "overdue").await, std::slice::from_ref(&id));
    assert_eq!(owed(&desk, "open").await, std::slice::from_ref(&id));
    assert_eq!(answer_figures(&desk).await, (json!(1), json!(1)));

    ok(act(
        &desk,
        &id,
        "answer",
        json!({"method": "in_person", "answered_at": desk.app.clock.now().to_rfc3339()}),
    )
    .await);
    assert_eq!(owed(&desk, "overdue").await, Vec::<String>::new());
    assert_eq!(
        answer_figures(&desk).await,
        (json!(1), json!(1)),
        "told late still counts as overdue"
    );
}

#[tokio::test]
async fn an_owed_answer_removed_from_the_row_breaks_the_verified_history() {
    let desk = Desk::open().await;
    let id = desk
        .in_handling_id("fees charged twice", "case_filed")
        .await;
    ok(act(&desk, &id, "close", closing_later()).await);
    let db = desk.app.database().await;
    edit_row(
        &db,
        "complaints",
        &id,
        "answer_due_at",
        None::<chrono::DateTime<Utc>>,
    )
    .await;
    assert_eq!(
        owed(&desk, "open").await,
        Vec::<String>::new(),
        "hidden from the list"
    );
    let checked = ok(desk
        .app
        .get(
            &format!("/api/v1/complaints/{id}/events/verification"),
            &desk.intake,
        )
        .await);
    assert_eq!(checked["intact"], false, "{checked:#}");
    assert_eq!(differing_fields(&checked), ["answer_due_at"], "{checked:#}");
}

#[tokio::test]
async fn bad_closings_with_the_answer_to_follow_change_nothing() {
    let desk = Desk::open().await;
    let id = desk
        .in_handling_id("fees charged twice", "case_filed")
        .await;
    let mut both = closing_later();
    both["answer"] = json!({"method": "phone", "answered_at": Utc::now().to_rfc3339()});
    let refused = act(&desk, &id, "close", both).await;
    refused.problem(422);
    assert_eq!(refused.error_fields(), ["answer"]);

    let mut body = walk_in(&desk.unit, "someone took a bribe");
    body["complainant"] = json!({"anonymous": true});
    let anonymous = id_of(&desk.registered(body).await);
    assert_eq!(desk.screen(&anonymous, "accepted").await.status, 200);
    assert_eq!(
        desk.classify(&anonymous, "case_filed", None).await.status,
        200
    );
    let refused = act(&desk, &anonymous, "close", closing_later()).await;
    assert_eq!(refused.problem(422), "rule_refused");

    for id in [&id, &anonymous] {
        let c = read(&desk, id).await;
        assert_eq!(c["status"], "in_handling");
        assert_eq!(c["version"], 3);
    }
    assert_eq!(owed(&desk, "open").await, Vec::<String>::new());
    let bad_filter = desk
        .app
        .get("/api/v1/complaints?answer_to_follow=soon", &desk.intake)
        .await;
    bad_filter.problem(400);
}
