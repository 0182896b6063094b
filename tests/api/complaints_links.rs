//! Links between complaints about the same matter: made by intake, recorded in both
//! histories, read from either end, made once per pair.

use duban_tests::Reply;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::complaints_support::{Desk, id_of, walk_in};

async fn link(desk: &Desk, token: &str, id: &str, other: &str, reason: &str) -> Reply {
    desk.app
        .post(
            &format!("/api/v1/complaints/{id}/links"),
            token,
            json!({"linked_complaint_id": other, "reason": reason}),
        )
        .await
}

async fn links(desk: &Desk, token: &str, id: &str) -> Reply {
    desk.app
        .get(&format!("/api/v1/complaints/{id}/links"), token)
        .await
}

fn only_item(reply: &Reply) -> Value {
    let items = reply.body["items"].as_array().cloned().unwrap_or_default();
    assert_eq!(items.len(), 1, "{:#}", reply.body);
    items[0].clone()
}

#[tokio::test]
async fn a_link_is_recorded_in_both_histories_and_read_from_either_end() {
    let desk = Desk::open().await;
    let first = desk.registered(walk_in(&desk.unit, "rude clerk")).await;
    let second = desk
        .registered(walk_in(&desk.unit, "rude clerk, again"))
        .await;
    let (a, b) = (id_of(&first), id_of(&second));

    let made = link(
        &desk,
        &desk.intake,
        &b,
        &a,
        "The same visit, reported twice.",
    )
    .await;
    assert_eq!(made.status, 201, "{:#}", made.body);
    let from_b = only_item(&made);
    assert_eq!(from_b["linked_complaint_id"], a.as_str());
    assert_eq!(from_b["linked_number"], first["number"]);
    assert_eq!(from_b["reason"], "The same visit, reported twice.");
    assert_eq!(from_b["linked_by"], desk.intake_id.as_str());

    let read = links(&desk, &desk.intake, &a).await;
    assert_eq!(read.status, 200, "{:#}", read.body);
    let from_a = only_item(&read);
    assert_eq!(from_a["linked_complaint_id"], b.as_str());
    assert_eq!(from_a["linked_number"], second["number"]);
    assert_eq!(from_a["linked_at"], from_b["linked_at"]);

    let read_a = desk
        .app
        .get(&format!("/api/v1/complaints/{a}"), &desk.intake)
        .await;
    assert_eq!(read_a.body["links"], json!([from_a]), "{:#}", read_a.body);

    for (id, other) in [(&a, &second), (&b, &first)] {
        let events = desk.events(id).await;
        let last = &events[events.len() - 1];
        assert_eq!(last["kind"], "linked");
        assert_eq!(last["reason"], "The same visit, reported twice.");
        assert_eq!(last["data"]["linked_number"], other["number"]);
        assert_eq!(last["actor_id"], desk.intake_id.as_str());
        let check = desk
            .app
            .get(
                &format!("/api/v1/complaints/{id}/events/verification"),
                &desk.intake,
            )
            .await;
        assert_eq!(check.body["intact"], true, "{:#}", check.body);
    }
}

#[tokio::test]
async fn a_pair_is_linked_once_and_bad_links_change_nothing() {
    let desk = Desk::open().await;
    let a = desk.walk_in_id("rude clerk").await;
    let b = desk.walk_in_id("rude clerk, again").await;
    assert_eq!(
        link(&desk, &desk.intake, &a, &b, "same matter")
            .await
            .status,
        201
    );

    let again = link(&desk, &desk.intake, &b, &a, "same matter").await;
    assert_eq!(again.problem(422), "rule_refused");
    let itself = link(&desk, &desk.intake, &a, &a, "same matter").await;
    itself.problem(422);
    assert_eq!(itself.error_fields(), vec!["linked_complaint_id"]);
    let unknown_other = link(&desk, &desk.intake, &a, &Uuid::now_v7().to_string(), "x").await;
    unknown_other.problem(422);
    assert_eq!(unknown_other.error_fields(), vec!["linked_complaint_id"]);
    let unknown = link(&desk, &desk.intake, &Uuid::now_v7().to_string(), &a, "x").await;
    assert_eq!(unknown.problem(404), "not_found");
    let blank = link(&desk, &desk.intake, &a, &b, " ").await;
    assert_eq!(blank.problem(400), "invalid_request");

    assert_eq!(
        links(&desk, &desk.intake, &a).await.body["items"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    let linked_events = desk
        .events(&a)
        .await
        .into_iter()
        .filter(|e| e["kind"] == "linked")
        .count();
    assert_eq!(linked_events, 1);
}

#[tokio::test]
async fn intake_links_and_neither_unit_staff_nor_admin_link_or_read_links() {
    let desk = Desk::open().await;
    let a = desk.walk_in_id("rude clerk").await;
    let b = desk.walk_in_id("rude clerk, again").await;
    let (_, head) = desk.app.staff("head1", "unit_head", Some(&desk.unit)).await;
    let (_, leader) = desk.app.staff("leader1", "leading_group", None).await;
    for token in [&head, &leader, &desk.app.admin] {
        assert_eq!(
            link(&desk, token, &a, &b, "same").await.problem(403),
            "forbidden"
        );
    }
    for token in [&head, &desk.app.admin] {
        assert_eq!(links(&desk, token, &a).await.problem(403), "forbidden");
    }
    assert_eq!(links(&desk, &leader, &a).await.status, 200);
}
