//! Possible repeats: another complaint from the same call-back number or e-mail address, or
//! about the same staff member, received within 30 days either side, is shown to intake at
//! registration and at `/complaints/{id}/possible-repeats`; nothing else is.

use chrono::{Duration, Utc};
use duban_migrations::{Migrator, MigratorTrait};
use duban_tests::{Reply, TestApp};
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use serde_json::{Value, json};

struct Desk {
    app: TestApp,
    unit: String,
    clerk: String,
    other_clerk: String,
    intake: String,
}

impl Desk {
    async fn open() -> Self {
        let app = TestApp::spawn().await;
        let unit = app.create_unit("Tax Bureau", "agency", None).await;
        let clerk = app
            .create_user("clerk.x", "unit_handler", Some(&unit))
            .await;
        let other_clerk = app
            .create_user("clerk.y", "unit_handler", Some(&unit))
            .await;
        let (_, intake) = app.staff("intake.li", "intake", None).await;
        Self {
            app,
            unit,
            clerk,
            other_clerk,
            intake,
        }
    }

    /// Registers a complaint against the unit, received `days_ago`.
    async fn register(
        &self,
        channel: &str,
        complainant: Value,
        staff: Option<&str>,
        days_ago: i64,
    ) -> Reply {
        let received = (Utc::now() - Duration::days(days_ago)).to_rfc3339();
        let reply = self
            .app
            .post(
                "/api/v1/complaints",
                &self.intake,
                json!({"channel": channel, "respondent_unit_id": self.unit, "respondent_staff_id": staff,
                       "matter": "attitude", "account": "rude at the window", "received_at": received,
                       "complainant": complainant}),
            )
            .await;
        assert_eq!(reply.status, 201, "{:#}", reply.body);
        reply
    }

    async fn repeats(&self, id: &str, token: &str) -> Reply {
        self.app
            .get(&format!("/api/v1/complaints/{id}/possible-repeats"), token)
            .await
    }
}

fn id(reply: &Reply) -> String {
    reply.body["id"].as_str().unwrap_or_default().to_owned()
}

/// `(number, reasons)` of each listed repeat, in the order listed.
fn listed(items: &Value) -> Vec<(String, Vec<String>)> {
    items
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|r| {
            let reasons = r["reasons"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .iter()
                .map(|x| x.as_str().unwrap_or_default().to_owned())
                .collect();
            (r["number"].as_str().unwrap_or_default().to_owned(), reasons)
        })
        .collect()
}

fn number(reply: &Reply) -> String {
    reply.body["number"].as_str().unwrap_or_default().to_owned()
}

fn named(phone: Option<&str>, email: Option<&str>) -> Value {
    json!({"name": "Li Hua", "phone": phone, "email": email})
}

#[tokio::test]
async fn the_same_contact_or_staff_member_within_thirty_days_is_a_possible_repeat() {
    let desk = Desk::open().await;
    let first = desk
        .register(
            "phone",
            named(Some("139-0000-1111"), Some("li.hua@example.cn")),
            Some(&desk.clerk),
            0,
        )
        .await;
    assert_eq!(first.body["possible_repeats"], json!([]));

    // The same mobile number written another way, about another clerk.
    let same_phone = desk
        .register(
            "phone",
            named(Some("+86-13900001111"), None),
            Some(&desk.other_clerk),
            0,
        )
        .await;
    assert_eq!(
        listed(&same_phone.body["possible_repeats"]),
        vec![(number(&first), vec!["same_contact".to_owned()])]
    );
    // The same e-mail address in other capitals, and the same clerk.
    let same_email_and_clerk = desk
        .register(
            "web",
            named(None, Some("Li.Hua@Example.CN")),
            Some(&desk.clerk),
            2,
        )
        .await;
    // An anonymous walk-in about the same clerk.
    let same_clerk = desk
        .register("walk_in", json!({"anonymous": true}), Some(&desk.clerk), 3)
        .await;
    // The same number 29 days before: still within the window; 31 days before: not.
    let within = desk
        .register("phone", named(Some("13900001111"), None), None, 29)
        .await;
    let outside = desk
        .register("phone", named(Some("13900001111"), None), None, 31)
        .await;
    // Someone else about another clerk.
    let unrelated = desk
        .register(
            "phone",
            named(Some("13800002222"), None),
            Some(&desk.other_clerk),
            0,
        )
        .await;

    let reply = desk.repeats(&id(&first), &desk.intake).await;
    assert_eq!(reply.status, 200, "{:#}", reply.body);
    let contact = || vec!["same_contact".to_owned()];
    assert_eq!(
        listed(&reply.body["items"]),
        vec![
            (number(&same_phone), contact()),
            (
                number(&same_email_and_clerk),
                vec!["same_contact".to_owned(), "same_staff".to_owned()]
            ),
            (number(&same_clerk), vec!["same_staff".to_owned()]),
            (number(&within), contact()),
        ],
        "newest receipt first; {} (31 days) and {} (unrelated) are not repeats",
        number(&outside),
        number(&unrelated)
    );
    let item = &reply.body["items"][0];
    assert_eq!(item["id"], id(&same_phone));
    assert_eq!(item["status"], "awaiting_screening");
    assert_eq!(item["respondent_staff_id"], desk.other_clerk.as_str());

    // The window reaches forward too: the complaint 31 days back sees the one 29 days back.
    let from_outside = desk.repeats(&id(&outside), &desk.intake).await;
    assert_eq!(
        listed(&from_outside.body["items"]),
        vec![(number(&within), contact())]
    );
    // An anonymous complaint about nobody in particular has nothing to match.
    let nobody = desk
        .register("walk_in", json!({"anonymous": true}), None, 0)
        .await;
    assert_eq!(nobody.body["possible_repeats"], json!([]));
}

#[tokio::test]
async fn only_intake_and_the_leading_group_read_possible_repeats() {
    let desk = Desk::open().await;
    let first = desk
        .register("phone", named(Some("13900001111"), None), None, 0)
        .await;
    desk.register("phone", named(Some("13900001111"), None), None, 0)
        .await;
    let (_, leader) = desk.app.staff("leader.sun", "leading_group", None).await;
    let by_leader = desk.repeats(&id(&first), &leader).await;
    assert_eq!(by_leader.status, 200, "{:#}", by_leader.body);
    assert_eq!(by_leader.body["items"].as_array().map(Vec::len), Some(1));

    let (_, head) = desk
        .app
        .staff("head.wu", "unit_head", Some(&desk.unit))
        .await;
    for token in [&head, &desk.app.admin] {
        assert_eq!(
            desk.repeats(&id(&first), token).await.problem(403),
            "forbidden"
        );
    }
    let unknown = desk
        .repeats(&uuid::Uuid::now_v7().to_string(), &desk.intake)
        .await;
    assert_eq!(unknown.problem(404), "not_found");
}

/// The migration that adds the matching keys fills them in for complaints already stored.
#[tokio::test]
async fn complaints_stored_before_the_keys_existed_are_matched_after_the_migration() {
    let desk = Desk::open().await;
    let first = desk
        .register(
            "phone",
            named(Some("139-0000-1111"), Some("Li@Example.cn")),
            None,
            0,
        )
        .await;
    let second = desk
        .register("web", named(None, Some("li@example.CN")), None, 0)
        .await;
    let db = desk.app.database().await;
    Migrator::down(&db, Some(1))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    Migrator::up(&db, None)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let reply = desk.repeats(&id(&first), &desk.intake).await;
    assert_eq!(
        listed(&reply.body["items"]),
        vec![(number(&second), vec!["same_contact".to_owned()])]
    );
    // The keys came from the stored contacts, not from a leftover of the first run.
    let keys = db
        .query_one(
            &Query::select()
                .column(Alias::new("phone_key"))
                .from(Alias::new("complaints"))
                .and_where(Expr::col(Alias::new("number")).eq(number(&first)))
                .to_owned(),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("no row"));
    let phone_key: Option<String> = keys
        .try_get("", "phone_key")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(phone_key.as_deref(), Some("13900001111"));
}
