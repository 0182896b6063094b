//! The supervision loop end to end: orders to units, sign-for, extensions refused and granted,
//! replies rejected into a second round and accepted, returns ruled both ways, and the
//! isolation of one unit's cases from another's.

use duban_tests::{Reply, TestApp};
use serde_json::{Value, json};

/// An agency with two sections, their heads and a handler, and an intake officer.
struct Office {
    app: TestApp,
    section_a: String,
    section_b: String,
    intake: String,
    head_a: String,
    handler_a: String,
    head_b: String,
    clerk_a_id: String,
}

impl Office {
    async fn open() -> Self {
        let app = TestApp::spawn().await;
        let agency = app.create_unit("Housing Bureau", "agency", None).await;
        let section_a = app
            .create_unit("Permits Section", "section", Some(&agency))
            .await;
        let section_b = app
            .create_unit("Records Section", "section", Some(&agency))
            .await;
        let (_, intake) = app.staff("intake.li", "intake", None).await;
        let (_, head_a) = app.staff("head.a", "unit_head", Some(&section_a)).await;
        let (_, handler_a) = app
            .staff("handler.a", "unit_handler", Some(&section_a))
            .await;
        let (_, head_b) = app.staff("head.b", "unit_head", Some(&section_b)).await;
        let clerk_a_id = app
            .create_user("clerk.a", "unit_handler", Some(&section_a))
            .await;
        Self {
            app,
            section_a,
            section_b,
            intake,
            head_a,
            handler_a,
            head_b,
            clerk_a_id,
        }
    }

    /// A phone complaint against section A, accepted and filed as a case; returns its id.
    async fn case(&self, account: &str, staff: Option<&str>) -> String {
        let reply = self
            .app
            .post(
                "/api/v1/complaints",
                &self.intake,
                json!({"channel": "phone", "respondent_unit_id": self.section_a, "respondent_staff_id": staff,
                       "matter": "efficiency", "account": account,
                       "complainant": {"name": "Chen Jing", "phone": "13900001111"}}),
            )
            .await;
        assert_eq!(reply.status, 201, "{:#}", reply.body);
        let id = reply.body["id"].as_str().unwrap_or_default().to_owned();
        let screened = self
            .app
            .post(
                &format!("/api/v1/complaints/{id}/screening"),
                &self.intake,
                json!({"outcome": "accepted", "explanation": "in scope"}),
            )
            .await;
        assert_eq!(screened.status, 200, "{:#}", screened.body);
        let filed = self
            .app
            .post(
                &format!("/api/v1/complaints/{id}/classification"),
                &self.intake,
                json!({"type": "case_filed"}),
            )
            .await;
        assert_eq!(filed.status, 200, "{:#}", filed.body);
        id
    }

    async fn issue(&self, complaint: &str, unit: &str, opinion: &str) -> Reply {
        self.app
            .post(
                &format!("/api/v1/complaints/{complaint}/supervision-orders"),
                &self.intake,
                json!({"unit_id": unit, "opinion": opinion}),
            )
            .await
    }

    async fn act(&self, token: &str, order: &str, action: &str, body: Value) -> Reply {
        self.app
            .post(
                &format!("/api/v1/supervision-orders/{order}/{action}"),
                token,
                body,
            )
            .await
    }

    async fn kinds(&self, complaint: &str) -> Vec<String> {
        let events = self
            .app
            .get(
                &format!("/api/v1/complaints/{complaint}/events"),
                &self.intake,
            )
            .await;
        events.body["items"]
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .filter_map(|e| e["kind"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }
}

fn id(reply: &Reply) -> String {
    reply.body["id"].as_str().unwrap_or_default().to_owned()
}

fn reply_body() -> Value {
    json!({"result": "Permit issued; clerk retrained", "rectification": "Checklist posted at the window",
           "answer_method": "phone", "answered_at": "2026-01-05T10:00:00+08:00"})
}

#[tokio::test]
async fn a_complete_two_round_case_with_a_refused_and_a_granted_extension() {
    let o = Office::open().await;
    let complaint = o
        .case("Permit application ignored for three weeks", None)
        .await;

    let round1 = o
        .issue(
            &complaint,
            &o.section_a,
            "Process the permit and explain the delay",
        )
        .await;
    assert_eq!(round1.status, 201, "{:#}", round1.body);
    assert_eq!(round1.body["round"], 1);
    assert_eq!(round1.body["status"], "issued");
    assert!(round1.body["sign_due_at"].is_string() && round1.body["reply_due_at"].is_string());
    let order1 = id(&round1);
    assert_eq!(
        o.issue(&complaint, &o.section_a, "again")
            .await
            .problem(422),
        "rule_refused"
    );

    let inbox = o.app.get("/api/v1/supervision-orders", &o.handler_a).await;
    assert_eq!(
        inbox.body["items"].as_array().map(Vec::len),
        Some(1),
        "{:#}",
        inbox.body
    );
    assert_eq!(
        o.act(&o.head_a, &order1, "reply", reply_body())
            .await
            .problem(409),
        "wrong_state"
    );
    let signed = o.act(&o.handler_a, &order1, "sign", json!({})).await;
    assert_eq!(signed.body["status"], "signed", "{:#}", signed.body);
    assert!(signed.body["signed_at"].is_string());

    let asked = o
        .act(
            &o.head_a,
            &order1,
            "extension-requests",
            json!({"working_days": 3, "reason": "Waiting for the land registry"}),
        )
        .await;
    assert_eq!(asked.status, 201, "{:#}", asked.body);
    let request = asked.body["extension_requests"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let again = o
        .act(
            &o.head_a,
            &order1,
            "extension-requests",
            json!({"working_days": 1, "reason": "again"}),
        )
        .await;
    assert_eq!(again.problem(422), "rule_refused");
    assert_eq!(
        o.act(
            &o.handler_a,
            &order1,
            "extension-requests",
            json!({"working_days": 1, "reason": "x"})
        )
        .await
        .problem(403),
        "forbidden"
    );
    let refused = o
        .act(
            &o.intake,
            &order1,
            &format!("extension-requests/{request}/decision"),
            json!({"decision": "refused", "reason": "Not needed"}),
        )
        .await;
    assert_eq!(refused.status, 200, "{:#}", refused.body);
    assert_eq!(refused.body["reply_due_at"], round1.body["reply_due_at"]);
    assert_eq!(refused.body["complainant_to_be_told_new_date"], false);

    let replied = o.act(&o.head_a, &order1, "reply", reply_body()).await;
    assert_eq!(replied.body["status"], "replied", "{:#}", replied.body);
    let rejected = o
        .act(
            &o.intake,
            &order1,
            "review",
            json!({"decision": "rejected", "reasons": "The complainant still objects",
              "next_opinion": "Issue the permit within three days and apologise in writing"}),
        )
        .await;
    assert_eq!(rejected.body["status"], "rejected", "{:#}", rejected.body);

    let orders = o
        .app
        .get(
            &format!("/api/v1/complaints/{complaint}/supervision-orders"),
            &o.intake,
        )
        .await;
    let items = orders.body["items"].as_array().cloned().unwrap_or_default();
    assert_eq!(items.len(), 2, "{:#}", orders.body);
    let round2 = &items[1];
    assert_eq!(round2["round"], 2);
    assert_eq!(round2["status"], "issued");
    assert_eq!(round2["unit_id"], o.section_a.as_str());
    let order2 = round2["id"].as_str().unwrap_or_default().to_owned();

    o.act(&o.handler_a, &order2, "sign", json!({})).await;
    let asked = o
        .act(
            &o.head_a,
            &order2,
            "extension-requests",
            json!({"working_days": 2, "reason": "Registry closed for audit"}),
        )
        .await;
    let request = asked.body["extension_requests"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let granted = o
        .act(
            &o.intake,
            &order2,
            &format!("extension-requests/{request}/decision"),
            json!({"decision": "granted", "reason": "Justified"}),
        )
        .await;
    assert_eq!(granted.status, 200, "{:#}", granted.body);
    assert_eq!(granted.body["complainant_to_be_told_new_date"], true);
    assert_ne!(granted.body["reply_due_at"], round2["reply_due_at"]);
    assert_eq!(granted.body["extension_requests"][0]["decision"], "granted");
    assert_eq!(
        granted.body["extension_requests"][0]["new_reply_due_at"],
        granted.body["reply_due_at"]
    );

    o.act(&o.head_a, &order2, "reply", reply_body()).await;
    let accepted = o
        .act(
            &o.intake,
            &order2,
            "review",
            json!({"decision": "accepted"}),
        )
        .await;
    assert_eq!(accepted.body["status"], "accepted", "{:#}", accepted.body);

    let kinds = o.kinds(&complaint).await;
    for kind in [
        "order_issued",
        "order_signed",
        "extension_requested",
        "extension_decided",
        "order_replied",
        "reply_reviewed",
    ] {
        assert!(
            kinds.iter().any(|k| k == kind),
            "{kind} missing from {kinds:?}"
        );
    }
    assert_eq!(kinds.iter().filter(|k| *k == "order_issued").count(), 2);
}

#[tokio::test]
async fn a_return_is_ruled_both_ways() {
    let o = Office::open().await;
    let complaint = o.case("Records were lost", None).await;
    let order = id(&o.issue(&complaint, &o.section_a, "Find the records").await);

    let no_basis = o
        .act(&o.head_a, &order, "return", json!({"reason": "Not ours"}))
        .await;
    assert_eq!(no_basis.status, 400, "{:#}", no_basis.body);
    assert_eq!(
        o.act(
            &o.handler_a,
            &order,
            "return",
            json!({"reason": "r", "basis": "b"})
        )
        .await
        .problem(403),
        "forbidden"
    );
    let returned = o
        .act(&o.head_a, &order, "return", json!({"reason": "Records are kept by the Records Section", "basis": "Division of duties, art. 4"}))
        .await;
    assert_eq!(returned.body["status"], "returned", "{:#}", returned.body);

    let rerouted = o
        .act(
            &o.intake,
            &order,
            "return-ruling",
            json!({"ruling": "rerouted", "reason": "Agreed", "unit_id": o.section_b}),
        )
        .await;
    assert_eq!(rerouted.body["status"], "cancelled", "{:#}", rerouted.body);
    let new_order = rerouted.body["return"]["rerouted_to_order_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let moved = o
        .app
        .get(
            &format!("/api/v1/supervision-orders/{new_order}"),
            &o.head_b,
        )
        .await;
    assert_eq!(moved.status, 200, "{:#}", moved.body);
    assert_eq!(moved.body["round"], 1);
    assert_eq!(moved.body["status"], "issued");
    assert!(moved.body["reply_due_at"].is_string());
    assert_eq!(
        o.app
            .get(
                &format!("/api/v1/supervision-orders/{new_order}"),
                &o.head_a
            )
            .await
            .problem(404),
        "not_found"
    );

    let returned_again = o
        .act(
            &o.head_b,
            &new_order,
            "return",
            json!({"reason": "Not ours either", "basis": "none"}),
        )
        .await;
    assert_eq!(
        returned_again.body["status"], "returned",
        "{:#}",
        returned_again.body
    );
    let refused = o
        .act(
            &o.intake,
            &new_order,
            "return-ruling",
            json!({"ruling": "refused", "reason": "Records Section keeps these files"}),
        )
        .await;
    assert_eq!(refused.body["status"], "issued", "{:#}", refused.body);
    assert_eq!(refused.body["return"]["ruling"], "refused");
    assert!(
        o.kinds(&complaint)
            .await
            .iter()
            .filter(|k| *k == "return_ruled")
            .count()
            == 2
    );
}

#[tokio::test]
async fn units_see_only_what_is_routed_to_them() {
    let o = Office::open().await;
    let routed = o.case("Routed to A", None).await;
    let other = o.case("Not routed", None).await;
    let order = id(&o.issue(&routed, &o.section_a, "Handle it").await);

    let list = o.app.get("/api/v1/complaints", &o.handler_a).await;
    let ids: Vec<&str> = list.body["items"]
        .as_array()
        .map(|i| i.iter().filter_map(|c| c["id"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(ids, vec![routed.as_str()]);
    assert_eq!(
        o.app
            .get(&format!("/api/v1/complaints/{other}"), &o.handler_a)
            .await
            .problem(404),
        "not_found"
    );
    assert_eq!(
        o.app
            .get(&format!("/api/v1/complaints/{routed}"), &o.head_b)
            .await
            .problem(404),
        "not_found"
    );
    assert_eq!(
        o.app
            .get(&format!("/api/v1/supervision-orders/{order}"), &o.head_b)
            .await
            .problem(404),
        "not_found"
    );
    let b_inbox = o.app.get("/api/v1/supervision-orders", &o.head_b).await;
    assert_eq!(b_inbox.body["items"].as_array().map(Vec::len), Some(0));
    assert_eq!(
        o.act(&o.head_b, &order, "sign", json!({}))
            .await
            .problem(404),
        "not_found"
    );
    let seen = o
        .app
        .get(&format!("/api/v1/complaints/{routed}"), &o.handler_a)
        .await;
    assert_eq!(
        seen.body["complainant"]["name"], "Chen Jing",
        "{:#}",
        seen.body
    );
}

#[tokio::test]
async fn complainant_details_are_hidden_from_the_unit_of_the_staff_member_complained_about() {
    let o = Office::open().await;
    let complaint = o.case("Clerk A was rude", Some(&o.clerk_a_id)).await;
    o.issue(&complaint, &o.section_a, "Look into clerk A's conduct")
        .await;
    let seen = o
        .app
        .get(&format!("/api/v1/complaints/{complaint}"), &o.head_a)
        .await;
    assert_eq!(seen.status, 200, "{:#}", seen.body);
    assert_eq!(seen.body["complainant"]["withheld"], true);
    assert!(
        seen.body["complainant"]
            .get("phone")
            .is_none_or(Value::is_null),
        "{:#}",
        seen.body
    );
    let intake_view = o
        .app
        .get(&format!("/api/v1/complaints/{complaint}"), &o.intake)
        .await;
    assert_eq!(intake_view.body["complainant"]["phone"], "13900001111");
}

#[tokio::test]
async fn orders_go_only_to_case_filed_complaints_and_the_first_handler_stays() {
    let o = Office::open().await;
    let registered = o
        .app
        .post(
            "/api/v1/complaints",
            &o.intake,
            json!({"channel": "walk_in", "respondent_unit_id": o.section_a, "matter": "attitude",
                   "account": "Shouted at", "complainant": {"name": "Wu Min"}}),
        )
        .await;
    let complaint = id(&registered);
    assert_eq!(
        o.issue(&complaint, &o.section_a, "x").await.problem(409),
        "wrong_state"
    );
    let filed = o.case("Filed case", None).await;
    let first_handler = o
        .app
        .get(&format!("/api/v1/complaints/{filed}"), &o.intake)
        .await
        .body["first_handler_id"]
        .clone();
    let order = id(&o.issue(&filed, &o.section_a, "Handle").await);
    o.act(&o.handler_a, &order, "sign", json!({})).await;
    let after = o
        .app
        .get(&format!("/api/v1/complaints/{filed}"), &o.intake)
        .await;
    assert_eq!(after.body["first_handler_id"], first_handler);
    let by_handler = o
        .app
        .get(
            &format!(
                "/api/v1/complaints?first_handler_id={}",
                first_handler.as_str().unwrap_or_default()
            ),
            &o.intake,
        )
        .await;
    assert_eq!(by_handler.body["items"].as_array().map(Vec::len), Some(2));
    assert_eq!(
        o.app
            .post(
                &format!("/api/v1/complaints/{filed}/supervision-orders"),
                &o.head_a,
                json!({"unit_id": o.section_a, "opinion": "x"})
            )
            .await
            .problem(403),
        "forbidden"
    );
}

#[tokio::test]
async fn the_leading_group_acts_where_intake_acts_on_a_case_it_took_over() {
    let o = Office::open().await;
    let (_, leader) = o.app.staff("leader.wu", "leading_group", None).await;
    let register = |account: &'static str| {
        o.app.post(
            "/api/v1/complaints",
            &o.intake,
            json!({"channel": "walk_in", "respondent_unit_id": o.section_a, "matter": "outcome",
                   "account": account, "complainant": {"name": "Gao Yan"}}),
        )
    };
    let held = id(&register("Important: permits sold for bribes").await);
    let other = id(&register("Ordinary delay").await);
    let screening = json!({"outcome": "accepted", "explanation": "in scope"});

    let before = o
        .app
        .post(
            &format!("/api/v1/complaints/{held}/screening"),
            &leader,
            screening.clone(),
        )
        .await;
    assert_eq!(before.problem(403), "forbidden");
    let taken = o
        .app
        .post(
            &format!("/api/v1/complaints/{held}/takeover"),
            &leader,
            json!({"reason": "Suspected corruption"}),
        )
        .await;
    assert!(taken.status.is_success(), "{:#}", taken.body);

    let screened = o
        .app
        .post(
            &format!("/api/v1/complaints/{held}/screening"),
            &leader,
            screening.clone(),
        )
        .await;
    assert_eq!(screened.status, 200, "{:#}", screened.body);
    let filed = o
        .app
        .post(
            &format!("/api/v1/complaints/{held}/classification"),
            &leader,
            json!({"type": "case_filed"}),
        )
        .await;
    assert_eq!(filed.status, 200, "{:#}", filed.body);
    let order = o
        .app
        .post(
            &format!("/api/v1/complaints/{held}/supervision-orders"),
            &leader,
            json!({"unit_id": o.section_a, "opinion": "Report to the leading group within five working days"}),
        )
        .await;
    assert_eq!(order.status, 201, "{:#}", order.body);

    let elsewhere = o
        .app
        .post(
            &format!("/api/v1/complaints/{other}/screening"),
            &leader,
            screening,
        )
        .await;
    assert_eq!(elsewhere.problem(403), "forbidden");
}
