//! Who sees what: the complainant's details withheld from the respondent's unit and every unit
//! above it (lists, search, single reads, CSV), shown to a routed unit unrelated to the
//! respondent, and no case content at all for admin.

use duban_tests::{Reply, TestApp};
use serde_json::{Value, json};

/// Agency A with section S and team T below it, where clerk C works; agency U beside A.
pub struct Chain {
    pub app: TestApp,
    pub agency: String,
    pub team: String,
    pub unrelated: String,
    pub intake: String,
    /// Head of agency A: two levels above the clerk's team.
    pub agency_head: String,
    /// A handler of agency U.
    pub unrelated_handler: String,
    pub leader: String,
    pub clerk_id: String,
}

pub const NAME: &str = "Wang Fang";
pub const PHONE: &str = "13711112222";

impl Chain {
    pub async fn open() -> Self {
        let app = TestApp::spawn().await;
        let agency = app.create_unit("Planning Bureau", "agency", None).await;
        let section = app
            .create_unit("Permits Section", "section", Some(&agency))
            .await;
        let team = app
            .create_unit("Permits Window", "window", Some(&section))
            .await;
        let unrelated = app.create_unit("Water Bureau", "agency", None).await;
        let (_, intake) = app.staff("intake.wu", "intake", None).await;
        let (_, agency_head) = app.staff("head.a", "unit_head", Some(&agency)).await;
        let (_, unrelated_handler) = app
            .staff("handler.u", "unit_handler", Some(&unrelated))
            .await;
        let (_, leader) = app.staff("leader.zhao", "leading_group", None).await;
        let clerk_id = app
            .create_user("clerk.c", "unit_handler", Some(&team))
            .await;
        Self {
            app,
            agency,
            team,
            unrelated,
            intake,
            agency_head,
            unrelated_handler,
            leader,
            clerk_id,
        }
    }

    /// A phone complaint about clerk C, accepted, filed as a case and routed to `unit`.
    pub async fn case_routed_to(&self, unit: &str, account: &str) -> String {
        let registered = self
            .app
            .post(
                "/api/v1/complaints",
                &self.intake,
                json!({"channel": "phone", "respondent_unit_id": self.team,
                       "respondent_staff_id": self.clerk_id, "matter": "efficiency",
                       "account": account,
                       "complainant": {"name": NAME, "phone": PHONE}}),
            )
            .await;
        assert_eq!(registered.status, 201, "{:#}", registered.body);
        let id = registered.body["id"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        for (step, body) in [
            (
                "screening",
                json!({"outcome": "accepted", "explanation": "in scope"}),
            ),
            ("classification", json!({"type": "case_filed"})),
            (
                "supervision-orders",
                json!({"unit_id": unit, "opinion": "look into it"}),
            ),
        ] {
            let reply = self
                .app
                .post(
                    &format!("/api/v1/complaints/{id}/{step}"),
                    &self.intake,
                    body,
                )
                .await;
            assert!(reply.status.is_success(), "{step}: {:#}", reply.body);
        }
        id
    }

    /// `GET /complaints{query}` as `token`: the ids listed.
    pub async fn listed(&self, token: &str, query: &str) -> Vec<Value> {
        let reply = self
            .app
            .get(&format!("/api/v1/complaints{query}"), token)
            .await;
        assert_eq!(reply.status, 200, "{query}: {:#}", reply.body);
        reply.body["items"].as_array().cloned().unwrap_or_default()
    }

    pub async fn csv(&self, token: &str) -> String {
        let reply = self
            .app
            .get("/api/v1/complaints?format=csv&bom=false", token)
            .await;
        assert_eq!(reply.status, 200, "{:#}", reply.body);
        assert!(reply.content_type().starts_with("text/csv"), "{reply:?}");
        reply.body.as_str().unwrap_or_default().to_owned()
    }
}

fn shown(complainant: &Value) -> bool {
    complainant["withheld"] == false && complainant["name"] == NAME && complainant["phone"] == PHONE
}

fn withheld(complainant: &Value) -> bool {
    complainant["withheld"] == true
        && ["name", "phone", "email", "postal_address"]
            .iter()
            .all(|k| complainant.get(k).is_none_or(Value::is_null))
}

#[tokio::test]
async fn a_head_two_levels_above_the_respondent_sees_the_routed_case_but_never_the_complainant() {
    let c = Chain::open().await;
    let id = c
        .case_routed_to(&c.agency, "the clerk sat on my permit")
        .await;
    let listed = c.listed(&c.agency_head, "").await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["id"], id.as_str());
    assert!(withheld(&listed[0]["complainant"]), "{:#}", listed[0]);
    let found = c.listed(&c.agency_head, "?q=sat%20on").await;
    assert_eq!(found.len(), 1, "the account is searchable");
    assert!(withheld(&found[0]["complainant"]), "{:#}", found[0]);
    for withheld_field in ["Wang", PHONE, "1371111"] {
        assert!(
            c.listed(&c.agency_head, &format!("?q={withheld_field}"))
                .await
                .is_empty(),
            "searching by {withheld_field} finds nothing"
        );
    }
    let read = c
        .app
        .get(&format!("/api/v1/complaints/{id}"), &c.agency_head)
        .await;
    assert_eq!(read.status, 200, "{:#}", read.body);
    assert!(withheld(&read.body["complainant"]), "{:#}", read.body);
    let csv = c.csv(&c.agency_head).await;
    assert_eq!(csv.lines().count(), 2, "{csv}");
    assert!(!csv.contains(NAME) && !csv.contains(PHONE), "{csv}");
    assert!(csv.contains(&id), "{csv}");
    let header: Vec<&str> = csv.lines().next().unwrap_or_default().split(',').collect();
    let row: Vec<&str> = csv.lines().nth(1).unwrap_or_default().split(',').collect();
    let column = |name: &str| header.iter().position(|h| *h == name).map(|i| row[i]);
    assert_eq!(column("complainant_withheld"), Some("true"), "{csv}");
    assert_eq!(column("complainant_name"), Some(""), "{csv}");
}

#[tokio::test]
async fn a_routed_unit_unrelated_to_the_respondent_sees_the_complainant() {
    let c = Chain::open().await;
    let id = c
        .case_routed_to(&c.unrelated, "the clerk sat on my permit")
        .await;
    let listed = c.listed(&c.unrelated_handler, "").await;
    assert_eq!(listed.len(), 1);
    assert!(shown(&listed[0]["complainant"]), "{:#}", listed[0]);
    for query in ["?q=wang%20fang", &format!("?q={PHONE}")] {
        let found = c.listed(&c.unrelated_handler, query).await;
        assert_eq!(found.len(), 1, "{query}");
        assert!(shown(&found[0]["complainant"]), "{:#}", found[0]);
    }
    let read = c
        .app
        .get(&format!("/api/v1/complaints/{id}"), &c.unrelated_handler)
        .await;
    assert!(shown(&read.body["complainant"]), "{:#}", read.body);
    let csv = c.csv(&c.unrelated_handler).await;
    assert!(csv.contains(NAME) && csv.contains(PHONE), "{csv}");
    // The agency above the clerk is not routed this case at all.
    assert!(c.listed(&c.agency_head, "").await.is_empty());
}

#[tokio::test]
async fn intake_and_the_leading_group_find_complaints_by_the_complainants_name_and_phone() {
    let c = Chain::open().await;
    let id = c
        .case_routed_to(&c.agency, "the clerk sat on my permit")
        .await;
    for token in [&c.intake, &c.leader] {
        for query in ["?q=WANG", &format!("?q={PHONE}")] {
            let found = c.listed(token, query).await;
            assert_eq!(found.len(), 1, "{query}");
            assert_eq!(found[0]["id"], id.as_str());
            assert!(shown(&found[0]["complainant"]), "{:#}", found[0]);
        }
    }
}

async fn refused_alike(app: &TestApp, token: &str, real: &str, random: &str) {
    let (real, random): (Reply, Reply) = (app.get(real, token).await, app.get(random, token).await);
    assert_eq!(real.problem(403), "forbidden", "{:#}", real.body);
    assert_eq!(random.problem(403), "forbidden", "{:#}", random.body);
    assert_eq!(real.body["detail"], random.body["detail"]);
}

#[tokio::test]
async fn admin_reads_no_case_content_and_real_and_random_ids_answer_alike() {
    let c = Chain::open().await;
    let id = c
        .case_routed_to(&c.agency, "the clerk sat on my permit")
        .await;
    let orders = c
        .app
        .get(
            &format!("/api/v1/complaints/{id}/supervision-orders"),
            &c.intake,
        )
        .await;
    let order = orders.body["items"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(!order.is_empty(), "{:#}", orders.body);
    let random = uuid::Uuid::now_v7().to_string();
    let admin = &c.app.admin;
    for sub in [
        "",
        "/events",
        "/events/verification",
        "/links",
        "/supervision-orders",
        "/investigation-records",
        "/personal-data-reads",
    ] {
        refused_alike(
            &c.app,
            admin,
            &format!("/api/v1/complaints/{id}{sub}"),
            &format!("/api/v1/complaints/{random}{sub}"),
        )
        .await;
    }
    refused_alike(
        &c.app,
        admin,
        &format!("/api/v1/supervision-orders/{order}"),
        &format!("/api/v1/supervision-orders/{random}"),
    )
    .await;
    refused_alike(
        &c.app,
        admin,
        &format!("/api/v1/people/{}/record", c.clerk_id),
        &format!("/api/v1/people/{random}/record"),
    )
    .await;
    refused_alike(
        &c.app,
        admin,
        &format!("/api/v1/units/{}/record", c.team),
        &format!("/api/v1/units/{random}/record"),
    )
    .await;
    assert_eq!(
        c.app
            .get(&format!("/api/v1/sanctions/{random}"), admin)
            .await
            .problem(403),
        "forbidden"
    );
    for list in [
        "/api/v1/complaints",
        "/api/v1/complaints?format=csv",
        "/api/v1/supervision-orders",
        "/api/v1/sanctions",
        "/api/v1/stats/summary",
        "/api/v1/stats/units",
        "/api/v1/personal-data-reads?from=2026-01-01T00:00:00Z&to=2027-01-01T00:00:00Z",
    ] {
        assert_eq!(
            c.app.get(list, admin).await.problem(403),
            "forbidden",
            "{list}"
        );
    }
    // What admin does manage stays open.
    for managed in ["/api/v1/units", "/api/v1/users", "/api/v1/calendar"] {
        assert_eq!(c.app.get(managed, admin).await.status, 200, "{managed}");
    }
}

#[tokio::test]
async fn notifications_carry_no_complainant_details() {
    let c = Chain::open().await;
    let id = c
        .case_routed_to(&c.agency, "the clerk sat on my permit")
        .await;
    let orders = c
        .app
        .get(
            &format!("/api/v1/complaints/{id}/supervision-orders"),
            &c.intake,
        )
        .await;
    let order = orders.body["items"][0]["id"].as_str().unwrap_or_default();
    let reminded = c
        .app
        .post(
            &format!("/api/v1/supervision-orders/{order}/reminders"),
            &c.intake,
            json!({"note": "please sign for it"}),
        )
        .await;
    assert!(reminded.status.is_success(), "{:#}", reminded.body);
    let outbox = duban_infra::notifications::outbox_entries(&c.app.database().await, None)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!outbox.is_empty());
    for message in outbox {
        assert!(
            !message.payload.contains(NAME) && !message.payload.contains(PHONE),
            "{}",
            message.payload
        );
    }
}
