//! Tamper evidence beyond one complaint's chain: checkpoints (deleted newest events, forged
//! checkpoints, two sealers at once), sanctions, `duban audit verify`, key rotation and the
//! adoption of chains hashed before keys.

use chrono::{TimeDelta, Utc};
use duban_api::audit_cli::{self, Outcome};
use duban_api::cli::AuditCommand;
use duban_infra::audit::{self, AuditKeys};
use duban_tests::{HMAC_KEY, SIGNING_SEED};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::complaints_support::Desk;
use crate::sanctions::{Office, against, m};
use crate::tamper_support::{breaks, delete_event, differing_fields, edit_event, edit_row};

async fn cli(desk: &Desk, command: AuditCommand) -> Outcome {
    audit_cli::run(&desk.app.settings, &command)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

/// `duban audit verify --json`: whether it would exit 0, and its report.
async fn verify(desk: &Desk) -> (bool, Value) {
    let outcome = cli(
        desk,
        AuditCommand::Verify {
            checkpoint: None,
            json: true,
        },
    )
    .await;
    let report = serde_json::from_str(&outcome.output).unwrap_or_else(|e| panic!("{e}"));
    (outcome.ok, report)
}

/// The report's breaks of one subject, as (kind, sequence).
fn breaks_of(report: &Value, id: &str) -> Vec<(String, Option<i64>)> {
    let only: Vec<Value> = report["breaks"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|b| b["id"] == id)
        .collect();
    breaks(&json!({ "breaks": only }))
}

async fn note(desk: &Desk, id: &str) {
    let reply = desk
        .app
        .post(
            &format!("/api/v1/complaints/{id}/investigation-records"),
            &desk.intake,
            json!({"kind": "case_record_check", "people_involved": "none", "content": "Checked the ledger."}),
        )
        .await;
    assert_eq!(reply.status, 201, "{:#}", reply.body);
}

#[tokio::test]
async fn deleted_newest_events_are_caught_against_the_checkpoint() {
    let desk = Desk::open().await;
    let id = desk.in_handling_id("charged twice", "case_filed").await;
    note(&desk, &id).await;
    let (ok, report) = verify(&desk).await;
    assert!(ok, "{report:#}");
    assert_eq!(report["checkpoint"], Value::Null);

    let sealed = cli(&desk, AuditCommand::Checkpoint).await;
    let sealed: Value = serde_json::from_str(&sealed.output).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(sealed["format"], "duban-checkpoint-v1");
    assert_eq!(sealed["leaf_count"], 1);
    assert_eq!(sealed["heads"][0]["id"], id.as_str());
    assert_eq!(sealed["heads"][0]["sequence"], 4);

    // Without the checkpoint the shortened chain would look whole.
    let db = desk.app.database().await;
    delete_event(&db, &id, 4).await;
    let reply = desk
        .app
        .get(
            &format!("/api/v1/complaints/{id}/events/verification"),
            &desk.intake,
        )
        .await;
    assert_eq!(reply.status, 200, "{:#}", reply.body);
    assert_eq!(
        breaks(&reply.body),
        [("newest_events_deleted".to_owned(), Some(4))],
        "{:#}",
        reply.body
    );
    assert_eq!(reply.body["checkpoint_id"], sealed["id"]);

    let (ok, report) = verify(&desk).await;
    assert!(!ok, "exit status 1 on any break");
    assert_eq!(
        breaks_of(&report, &id),
        [("newest_events_deleted".to_owned(), Some(4))],
        "{report:#}"
    );

    // The leading group exports it to keep elsewhere.
    let (_, lead) = desk.app.staff("lead1", "leading_group", None).await;
    let list = desk.app.get("/api/v1/audit/checkpoints", &lead).await;
    assert_eq!(list.status, 200, "{:#}", list.body);
    assert_eq!(list.body["items"][0]["root"], sealed["root"]);
    assert_eq!(list.body["public_keys"][0]["key_id"], "test-s1");
    assert_eq!(
        desk.app
            .get("/api/v1/audit/checkpoints", &desk.intake)
            .await
            .problem(403),
        "forbidden"
    );
}

#[tokio::test]
async fn a_forged_checkpoint_is_named_and_an_exported_one_still_counts() {
    let desk = Desk::open().await;
    let id = desk.in_handling_id("charged twice", "case_filed").await;
    note(&desk, &id).await;
    let exported = cli(&desk, AuditCommand::Checkpoint).await.output;
    let file = std::env::temp_dir().join(format!("duban-checkpoint-{}.json", Uuid::now_v7()));
    std::fs::write(&file, &exported).unwrap_or_else(|e| panic!("{e}"));
    let sealed: Value = serde_json::from_str(&exported).unwrap_or_else(|e| panic!("{e}"));
    let checkpoint_id = sealed["id"].as_str().unwrap_or_default().to_owned();

    // The insider deletes the newest event and rewrites the stored checkpoint to match.
    let db = desk.app.database().await;
    delete_event(&db, &id, 4).await;
    let cut = json!([{"chain": "complaint", "id": id, "sequence": 3,
                      "hash": sealed["heads"][0]["hash"]}]);
    edit_row(
        &db,
        "audit_checkpoints",
        &checkpoint_id,
        "heads",
        cut.to_string(),
    )
    .await;
    let (ok, report) = verify(&desk).await;
    assert!(!ok);
    assert!(
        report["checkpoint_problem"]
            .as_str()
            .is_some_and(|p| p.contains("root")),
        "{report:#}"
    );

    // Against the copy kept outside the database, the deletion shows.
    let outcome = cli(
        &desk,
        AuditCommand::Verify {
            checkpoint: Some(file.clone()),
            json: true,
        },
    )
    .await;
    let _ = std::fs::remove_file(&file);
    let report: Value = serde_json::from_str(&outcome.output).unwrap_or_else(|e| panic!("{e}"));
    assert!(!outcome.ok);
    assert_eq!(report["checkpoint_problem"], Value::Null, "{report:#}");
    assert_eq!(
        breaks_of(&report, &id),
        [("newest_events_deleted".to_owned(), Some(4))]
    );
}

#[tokio::test]
async fn two_sealers_at_once_seal_one_checkpoint() {
    let desk = Desk::open().await;
    desk.in_handling_id("charged twice", "case_filed").await;
    let keys = AuditKeys::from_parts(&[("test-h1", HMAC_KEY)], &[("test-s1", SIGNING_SEED)])
        .unwrap_or_else(|e| panic!("{e}"));
    let (a, b) = (desk.app.database().await, desk.app.database().await);
    let now = Utc::now();
    let gap = TimeDelta::minutes(30);
    let (first, second) = tokio::join!(
        audit::checkpoint::seal_once(&a, &keys, now, gap),
        audit::checkpoint::seal_once(&b, &keys, now, gap),
    );
    let sealed: Vec<_> = [first, second]
        .into_iter()
        .filter_map(|r| r.unwrap_or_else(|e| panic!("{e}")))
        .collect();
    assert_eq!(sealed.len(), 1, "exactly one of them seals");
    assert_eq!(sealed[0].heads.len(), 1);
    assert_eq!(sealed[0].problem(&keys), None);
    let later = audit::checkpoint::seal_once(&a, &keys, now + gap, gap).await;
    assert!(
        matches!(later, Ok(Some(_))),
        "after the gap the next one seals"
    );
}

#[tokio::test]
async fn an_edited_sanction_row_or_event_is_named() {
    let o = Office::open().await;
    let s = o
        .proposed(against(
            &o.clerk_id,
            json!([m("soft", "criticism_education")]),
            json!({}),
            &[],
        ))
        .await;
    let id = s["id"].as_str().unwrap_or_default().to_owned();
    let path = format!("/api/v1/sanctions/{id}/events/verification");
    let reply = o.desk.app.get(&path, &o.lead1).await;
    assert_eq!(reply.status, 200, "{:#}", reply.body);
    assert_eq!(reply.body["intact"], true, "{:#}", reply.body);
    assert_eq!(reply.body["events"], 2);

    // The findings rewritten behind the leading group's back.
    let db = o.desk.app.database().await;
    edit_row(&db, "sanctions", &id, "findings", "nothing of note").await;
    edit_row(&db, "sanctions", &id, "sustained_in_window", 0_i32).await;
    edit_row(&db, "sanctions", &id, "bad_consequences", true).await;
    let reply = o.desk.app.get(&path, &o.lead1).await;
    assert_eq!(reply.body["intact"], false, "{:#}", reply.body);
    assert_eq!(
        differing_fields(&reply.body),
        ["bad_consequences", "findings"],
        "sustained_in_window was 0 already: {:#}",
        reply.body
    );

    // A decision filed behind their back: the row no longer reads as a sanction at all (the
    // HTTP read refuses it as corrupt), and `duban audit verify` names it.
    edit_row(&db, "sanctions", &id, "status", "decided").await;
    let (ok, report) = verify(&o.desk).await;
    assert!(!ok);
    assert_eq!(breaks_of(&report, &id), [("row_differs".to_owned(), None)]);
    let fields = &report["breaks"][0]["fields"];
    assert_eq!(
        fields,
        &json!(["bad_consequences", "findings", "status"]),
        "{report:#}"
    );
    edit_row(&db, "sanctions", &id, "status", "awaiting_statement").await;

    // Rewording the reason of an event.
    let stmt = sea_orm::sea_query::Query::update()
        .table(sea_orm::sea_query::Alias::new("sanction_events"))
        .value(
            sea_orm::sea_query::Alias::new("reason"),
            "statement due whenever",
        )
        .and_where(sea_orm::sea_query::ExprTrait::eq(
            sea_orm::sea_query::Expr::col(sea_orm::sea_query::Alias::new("sequence")),
            2,
        ))
        .to_owned();
    sea_orm::ConnectionTrait::execute(&db, &stmt)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let reply = o.desk.app.get(&path, &o.lead1).await;
    assert!(
        breaks(&reply.body).contains(&("hash_mismatch".to_owned(), Some(2))),
        "{:#}",
        reply.body
    );
}

#[tokio::test]
async fn rotated_keys_verify_old_events_with_the_retired_key() {
    let desk = Desk::open().await;
    let id = desk.in_handling_id("charged twice", "case_filed").await;
    let db = desk.app.database().await;
    let subject = Uuid::parse_str(&id).unwrap_or_else(|e| panic!("{e}"));
    let rotated = AuditKeys::from_parts(
        &[("h2", [0x77; 32]), ("test-h1", HMAC_KEY)],
        &[("s2", [0x78; 32]), ("test-s1", SIGNING_SEED)],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let report = audit::verify_complaint(&db, &rotated, subject, None)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(report.intact(), "{report:?}");
    let forgotten = AuditKeys::from_parts(&[("h2", [0x77; 32])], &[("s2", [0x78; 32])])
        .unwrap_or_else(|e| panic!("{e}"));
    let report = audit::verify_complaint(&db, &forgotten, subject, None)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.breaks.len(), 3, "{report:?}");
    assert!(report.breaks.iter().all(|b| b.kind.code() == "unknown_key"));
}

#[tokio::test]
async fn chains_from_before_keys_are_named_until_adopted() {
    let desk = Desk::open().await;
    let kept = desk.in_handling_id("charged twice", "case_filed").await;
    let tampered = desk.in_handling_id("the queue", "case_filed").await;
    let db = desk.app.database().await;
    for id in [&kept, &tampered] {
        crate::tamper_support::to_legacy(&db, id).await;
    }
    // Edited after the upgrade's snapshot was taken, before adoption: the old chain breaks.
    edit_event(
        &db,
        &tampered,
        2,
        "data",
        r#"{"kind":"screened","outcome":"accepted","explanation":"x","referral":null}"#,
    )
    .await;
    let (ok, report) = verify(&desk).await;
    assert!(!ok);
    assert_eq!(
        breaks_of(&report, &kept),
        [
            ("unkeyed".to_owned(), Some(1)),
            ("unkeyed".to_owned(), Some(2)),
            ("unkeyed".to_owned(), Some(3)),
        ],
        "{report:#}"
    );

    let adopted = cli(&desk, AuditCommand::AdoptLegacy).await;
    assert!(!adopted.ok, "one chain was refused: {}", adopted.output);
    let adopted: Value = serde_json::from_str(&adopted.output).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(adopted["complaint_chains_adopted"], 1);
    assert_eq!(adopted["refused"][0]["id"], tampered.as_str());
    let (_, report) = verify(&desk).await;
    assert_eq!(breaks_of(&report, &kept), [], "{report:#}");
    assert!(!breaks_of(&report, &tampered).is_empty());
}

#[tokio::test]
async fn an_untouched_database_verifies_with_exit_status_zero() {
    let o = Office::open().await;
    o.desk.in_handling_id("charged twice", "case_filed").await;
    o.proposed(against(
        &o.clerk_id,
        json!([m("soft", "criticism_education")]),
        json!({}),
        &[],
    ))
    .await;
    cli(&o.desk, AuditCommand::Checkpoint).await;
    let outcome = cli(
        &o.desk,
        AuditCommand::Verify {
            checkpoint: None,
            json: false,
        },
    )
    .await;
    assert!(outcome.ok, "{}", outcome.output);
    assert!(
        outcome.output.starts_with("intact: 2 chains"),
        "{}",
        outcome.output
    );
}
