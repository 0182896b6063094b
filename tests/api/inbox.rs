//! The inbox: every step of the supervision loop, intake's decisions and the sanction
//! procedure notify exactly the people who must act or know, and nobody else; the inbox
//! lists unread first, marks read, and counts.

use std::collections::BTreeMap;

use duban_tests::{Reply, TestApp};
use reqwest::Method;
use serde_json::{Value, json};

/// An agency with two sections: section A, whose clerk is complained about, and section B.
struct Office {
    app: TestApp,
    section_a: String,
    section_b: String,
    clerk_id: String,
    people: BTreeMap<&'static str, String>,
}

const PEOPLE: [&str; 9] = [
    "intake1",
    "intake2",
    "head_a",
    "handler_a",
    "clerk",
    "head_b",
    "handler_b",
    "lead1",
    "lead2",
];

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
        let mut people = BTreeMap::new();
        let mut clerk_id = String::new();
        for (name, role, unit) in [
            ("intake1", "intake", None),
            ("intake2", "intake", None),
            ("head_a", "unit_head", Some(&section_a)),
            ("handler_a", "unit_handler", Some(&section_a)),
            ("clerk", "unit_handler", Some(&section_a)),
            ("head_b", "unit_head", Some(&section_b)),
            ("handler_b", "unit_handler", Some(&section_b)),
            ("lead1", "leading_group", None),
            ("lead2", "leading_group", None),
        ] {
            let (id, token) = app.staff(name, role, unit.map(String::as_str)).await;
            if name == "clerk" {
                clerk_id = id;
            }
            people.insert(name, token);
        }
        Self {
            app,
            section_a,
            section_b,
            clerk_id,
            people,
        }
    }

    fn token(&self, who: &str) -> &str {
        self.people.get(who).map(String::as_str).unwrap_or_default()
    }

    async fn post(&self, who: &str, path: &str, body: Option<Value>) -> Reply {
        let reply = self
            .app
            .call(Method::POST, path, Some(self.token(who)), body)
            .await;
        assert!(reply.status.is_success(), "{path}: {:#}", reply.body);
        reply
    }

    /// A phone complaint against the clerk of section A, accepted by intake1 and filed.
    async fn case(&self) -> String {
        let reply = self
            .post(
                "intake1",
                "/api/v1/complaints",
                Some(
                    json!({"channel": "phone", "respondent_unit_id": self.section_a,
                    "respondent_staff_id": self.clerk_id, "matter": "efficiency",
                    "account": "the permit took four months",
                    "complainant": {"name": "Chen Jing", "phone": "13900001111"}}),
                ),
            )
            .await;
        let id = reply.body["id"].as_str().unwrap_or_default().to_owned();
        let path = format!("/api/v1/complaints/{id}");
        self.post(
            "intake1",
            &format!("{path}/screening"),
            Some(json!({"outcome": "accepted", "explanation": "in scope"})),
        )
        .await;
        self.post(
            "intake1",
            &format!("{path}/classification"),
            Some(json!({"type": "case_filed"})),
        )
        .await;
        id
    }

    async fn order(&self, complaint: &str, unit: &str) -> String {
        let reply = self
            .post(
                "intake1",
                &format!("/api/v1/complaints/{complaint}/supervision-orders"),
                Some(json!({"unit_id": unit, "opinion": "verify and answer"})),
            )
            .await;
        reply.body["id"].as_str().unwrap_or_default().to_owned()
    }

    /// Who has an unread notification of `topic` about `subject`, reading them.
    async fn told(&self, topic: &str, subject: &str) -> Vec<&'static str> {
        let mut told = Vec::new();
        for who in PEOPLE {
            let page = self
                .app
                .get("/api/v1/notifications?limit=200", self.token(who))
                .await;
            assert_eq!(page.status, 200, "{:#}", page.body);
            let mut found = false;
            for item in page.body["items"].as_array().into_iter().flatten() {
                assert!(
                    !item.to_string().contains("Chen Jing")
                        && !item.to_string().contains("13900001111"),
                    "a notification carries the complainant's details: {item:#}"
                );
                if item["topic"] == topic
                    && item["subject"]["id"] == subject
                    && item.get("read_at").is_none()
                {
                    found = true;
                    let id = item["id"].as_str().unwrap_or_default();
                    self.post(who, &format!("/api/v1/notifications/{id}/read"), None)
                        .await;
                }
            }
            if found {
                told.push(who);
            }
        }
        told
    }
}

#[tokio::test]
async fn each_step_of_the_loop_tells_the_side_that_acts_next_and_nobody_else() {
    let o = Office::open().await;
    let complaint = o.case().await;
    let order = o.order(&complaint, &o.section_a).await;
    let unit_a = vec!["clerk", "handler_a", "head_a"];
    let mut sorted = o.told("order.issued", &order).await;
    sorted.sort_unstable();
    assert_eq!(sorted, unit_a);

    let path = format!("/api/v1/supervision-orders/{order}");
    o.post("handler_a", &format!("{path}/sign"), None).await;
    assert_eq!(o.told("order.signed", &order).await, ["intake1"]);

    let request = o
        .post(
            "head_a",
            &format!("{path}/extension-requests"),
            Some(json!({"working_days": 2, "reason": "the file is in the archive"})),
        )
        .await;
    assert_eq!(
        o.told("order.extension_requested", &order).await,
        ["intake1"]
    );
    let request = request.body["extension_requests"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    o.post(
        "intake1",
        &format!("{path}/extension-requests/{request}/decision"),
        Some(json!({"decision": "granted", "reason": "fair"})),
    )
    .await;
    assert_eq!(o.told("order.extension_decided", &order).await, ["head_a"]);

    o.post(
        "intake1",
        &format!("{path}/reminders"),
        Some(json!({"note": "the deadline is near"})),
    )
    .await;
    let mut reminded = o.told("order.reminded", &order).await;
    reminded.sort_unstable();
    assert_eq!(reminded, unit_a);

    o.post(
        "head_a",
        &format!("{path}/reply"),
        Some(
            json!({"result": "Permit issued", "rectification": "Checklist posted",
                    "answer_method": "phone", "answered_at": "2026-01-05T10:00:00+08:00"}),
        ),
    )
    .await;
    assert_eq!(o.told("order.replied", &order).await, ["intake1"]);

    o.post(
        "intake1",
        &format!("{path}/review"),
        Some(
            json!({"decision": "rejected", "reasons": "the rectification is not shown",
                    "next_opinion": "show the rectification"}),
        ),
    )
    .await;
    assert_eq!(o.told("order.reply_reviewed", &order).await, ["head_a"]);
    let orders = o
        .app
        .get(
            &format!("/api/v1/complaints/{complaint}/supervision-orders"),
            o.token("intake1"),
        )
        .await;
    let next = orders.body["items"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|x| x["round"] == 2)
        .and_then(|x| x["id"].as_str())
        .unwrap_or_default()
        .to_owned();
    assert!(!next.is_empty(), "{:#}", orders.body);
    let mut reissued = o.told("order.issued", &next).await;
    reissued.sort_unstable();
    assert_eq!(reissued, unit_a, "round 2 goes to the unit again");
}

#[tokio::test]
async fn a_return_ruled_by_rerouting_tells_both_units_and_a_held_case_tells_the_leading_group() {
    let o = Office::open().await;
    let complaint = o.case().await;
    let order = o.order(&complaint, &o.section_a).await;
    let path = format!("/api/v1/supervision-orders/{order}");
    o.post(
        "head_a",
        &format!("{path}/return"),
        Some(json!({"reason": "not ours", "basis": "the records section keeps permits"})),
    )
    .await;
    assert_eq!(o.told("order.returned", &order).await, ["intake1"]);
    o.post(
        "intake1",
        &format!("{path}/return-ruling"),
        Some(json!({"ruling": "rerouted", "reason": "theirs", "unit_id": o.section_b})),
    )
    .await;
    let mut ruled = o.told("order.return_ruled", &order).await;
    ruled.sort_unstable();
    assert_eq!(
        ruled,
        ["clerk", "handler_a", "handler_b", "head_a", "head_b"]
    );

    o.post(
        "lead1",
        &format!("/api/v1/complaints/{complaint}/takeover"),
        Some(json!({"reason": "a serious case"})),
    )
    .await;
    assert_eq!(
        o.told("complaint.taken_over", &complaint).await,
        ["intake1"]
    );
    let orders = o
        .app
        .get(
            &format!("/api/v1/complaints/{complaint}/supervision-orders"),
            o.token("lead1"),
        )
        .await;
    let rerouted = orders.body["items"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|x| x["unit_id"] == o.section_b.as_str())
        .and_then(|x| x["id"].as_str())
        .unwrap_or_default()
        .to_owned();
    o.post(
        "handler_b",
        &format!("/api/v1/supervision-orders/{rerouted}/sign"),
        None,
    )
    .await;
    assert_eq!(
        o.told("order.signed", &rerouted).await,
        ["lead1", "lead2"],
        "the leading group acts for intake on a case it holds"
    );
}

#[tokio::test]
async fn a_withdrawn_complaint_tells_the_unit_named_and_forwarded_feedback_the_section() {
    let o = Office::open().await;
    let reply = o
        .post(
            "intake1",
            "/api/v1/complaints",
            Some(
                json!({"channel": "walk_in", "respondent_unit_id": o.section_a,
                "matter": "attitude", "account": "rude at the window",
                "complainant": {"name": "Chen Jing"}}),
            ),
        )
        .await;
    let withdrawn = reply.body["id"].as_str().unwrap_or_default().to_owned();
    o.post(
        "intake1",
        &format!("/api/v1/complaints/{withdrawn}/screening"),
        Some(json!({"outcome": "withdrawn", "explanation": "settled at the window"})),
    )
    .await;
    let mut told = o.told("complaint.withdrawn", &withdrawn).await;
    told.sort_unstable();
    assert_eq!(told, ["clerk", "handler_a", "head_a"]);

    let reply = o
        .post(
            "intake1",
            "/api/v1/complaints",
            Some(
                json!({"channel": "walk_in", "respondent_unit_id": o.section_a,
                "matter": "other", "account": "open the window earlier",
                "complainant": {"name": "Chen Jing"}}),
            ),
        )
        .await;
    let feedback = reply.body["id"].as_str().unwrap_or_default().to_owned();
    let path = format!("/api/v1/complaints/{feedback}");
    o.post(
        "intake1",
        &format!("{path}/screening"),
        Some(json!({"outcome": "accepted", "explanation": "a suggestion"})),
    )
    .await;
    o.post(
        "intake1",
        &format!("{path}/classification"),
        Some(json!({"type": "feedback"})),
    )
    .await;
    o.post(
        "intake1",
        &format!("{path}/feedback-disposition"),
        Some(
            json!({"disposition": "forward_to_section", "note": "for the records section",
                    "section_id": o.section_b}),
        ),
    )
    .await;
    let mut told = o.told("feedback.forwarded", &feedback).await;
    told.sort_unstable();
    assert_eq!(told, ["handler_b", "head_b"]);
}

#[tokio::test]
async fn the_sanction_procedure_tells_the_subject_the_leading_group_the_proposer_and_the_head() {
    let o = Office::open().await;
    let proposed = o
        .post(
            "intake1",
            "/api/v1/sanctions",
            Some(json!({"subject": {"kind": "person", "user_id": o.clerk_id},
                "findings": "the clerk delayed the permit",
                "rule_broken": "service commitment 2: time limits", "severity": {},
                "measures": [{"track": "soft", "measure": "criticism_education"}]})),
        )
        .await;
    let sanction = proposed.body["id"].as_str().unwrap_or_default().to_owned();
    assert_eq!(
        o.told("sanction.proposed", &sanction).await,
        ["clerk", "lead1", "lead2"]
    );
    let path = format!("/api/v1/sanctions/{sanction}");
    o.post(
        "clerk",
        &format!("{path}/statement"),
        Some(json!({"text": "I accept"})),
    )
    .await;
    assert_eq!(
        o.told("sanction.statement_filed", &sanction).await,
        ["lead1", "lead2"]
    );
    o.post(
        "lead2",
        &format!("{path}/decision"),
        Some(json!({"outcome": "approve"})),
    )
    .await;
    assert_eq!(
        o.told("sanction.decided", &sanction).await,
        ["intake1", "head_a", "clerk"]
    );
}

#[tokio::test]
async fn the_inbox_lists_unread_first_marks_read_and_counts_by_topic() {
    let o = Office::open().await;
    let complaint = o.case().await;
    let first = o.order(&complaint, &o.section_a).await;
    let path = format!("/api/v1/supervision-orders/{first}");
    o.post("handler_a", &format!("{path}/sign"), None).await;
    o.post(
        "intake1",
        &format!("{path}/reminders"),
        Some(json!({"note": "soon"})),
    )
    .await;
    let head = o.token("head_a");
    let counts = o.app.get("/api/v1/notifications/unread-counts", head).await;
    assert_eq!(counts.status, 200, "{:#}", counts.body);
    assert_eq!(
        counts.body,
        json!({"total": 2, "by_topic": [{"topic": "order.issued", "count": 1},
                                         {"topic": "order.reminded", "count": 1}]})
    );
    let page = o.app.get("/api/v1/notifications?limit=1", head).await;
    let items = page.body["items"].as_array().cloned().unwrap_or_default();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["topic"], "order.reminded", "newest first");
    assert_eq!(
        items[0]["link"],
        format!("/api/v1/supervision-orders/{first}")
    );
    assert!(
        items[0]["words"]
            .as_str()
            .is_some_and(|w| w.contains("TS-")),
        "{:#}",
        items[0]
    );
    let issued_id = {
        let cursor = page.body["next_cursor"].as_str().unwrap_or_default();
        let next = o
            .app
            .get(
                &format!("/api/v1/notifications?limit=1&cursor={cursor}"),
                head,
            )
            .await;
        assert_eq!(
            next.body["items"][0]["topic"], "order.issued",
            "{:#}",
            next.body
        );
        next.body["items"][0]["id"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };
    // Another person's notification is not found, and stays unread.
    o.app
        .call(
            Method::POST,
            &format!("/api/v1/notifications/{issued_id}/read"),
            Some(o.token("head_b")),
            None,
        )
        .await
        .problem(404);
    let read = o
        .post(
            "head_a",
            &format!("/api/v1/notifications/{issued_id}/read"),
            None,
        )
        .await;
    assert!(read.body["read_at"].is_string(), "{:#}", read.body);
    let all = o.app.get("/api/v1/notifications", head).await;
    let topics: Vec<(&str, bool)> = all.body["items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|i| {
            (
                i["topic"].as_str().unwrap_or_default(),
                i.get("read_at").is_some(),
            )
        })
        .collect();
    assert_eq!(
        topics,
        [("order.reminded", false), ("order.issued", true)],
        "unread first"
    );
    let marked = o
        .post("head_a", "/api/v1/notifications/read-all", None)
        .await;
    assert_eq!(marked.body["marked"], 1);
    let counts = o.app.get("/api/v1/notifications/unread-counts", head).await;
    assert_eq!(counts.body, json!({"total": 0, "by_topic": []}));
    let zh = o
        .app
        .call_with(
            Method::GET,
            "/api/v1/notifications",
            Some(head),
            None,
            &[("accept-language", "zh-CN")],
        )
        .await;
    assert!(
        zh.body["items"][0]["words"]
            .as_str()
            .is_some_and(|w| w.contains("督办单")),
        "{:#}",
        zh.body
    );
}
