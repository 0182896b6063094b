//! `GET /stats/summary` and `GET /stats/units`: a small scripted set of cases built through the
//! API, and every figure worked out by hand.
//!
//! The period is March 2026 (Asia/Shanghai): `[2026-03-01T00:00+08:00, 2026-04-01T00:00+08:00)`.
//! Two sections, A and B; clerk A is a staff member of A.
//!
//! | case | channel | unit | matter     | staff   | what happens |
//! | ---- | ------- | ---- | ---------- | ------- | ------------ |
//! | C1   | phone   | A    | efficiency | clerk A | case; o1 → A returned, rerouted to B (o2); o2 signed, replied, accepted; closed sustained; visit satisfied |
//! | C2   | web     | A    | efficiency | clerk A | case; o3 → A signed, extension granted, reply rejected; o4 (round 2) → A signed, replied, accepted; closed sustained; visit dissatisfied |
//! | C3   | walk_in | B    | attitude   | —       | case; o5 → B signed, extension refused, replied (made late in the database), accepted; closed not sustained; visit unreachable |
//! | C4   | phone   | A    | fees       | clerk A | case; o6 → A issued; its reply limit is made red and past due in the database |
//! | C5   | web     | B    | attitude   | —       | screened out of scope (type unclassified) |
//! | C6   | phone   | A    | other      | —       | accepted, not classified yet |
//! | C7   | phone   | A    | efficiency | clerk A | received at 2026-04-01T00:00+08:00: outside the period |
//!
//! Every complaint has a screening limit counted from `received_at` (in March), so the six
//! screened ones were all screened late: six screening limits met late. Every order has a
//! sign-for and a reply limit. The sweeper does not run in tests; the database edits stand in
//! for what it and the wall clock would have done (levels, a late reply, backdated dates).

use chrono::{DateTime, Utc};
use duban_tests::{Reply, TestApp};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, DatabaseConnection};
use serde_json::{Value, json};
use uuid::Uuid;

const FROM: &str = "2026-03-01T00:00:00%2B08:00";
const TO: &str = "2026-04-01T00:00:00%2B08:00";

struct Office {
    app: TestApp,
    a: String,
    b: String,
    intake: String,
    head_a: String,
    handler_a: String,
    head_b: String,
    handler_b: String,
    clerk_a: String,
}

fn id(reply: &Reply) -> String {
    reply.body["id"].as_str().unwrap_or_default().to_owned()
}

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|e| panic!("{s}: {e}"))
}

fn uuid(s: &str) -> Uuid {
    Uuid::parse_str(s).unwrap_or_else(|e| panic!("{s}: {e}"))
}

impl Office {
    async fn open() -> Self {
        let app = TestApp::spawn().await;
        let agency = app.create_unit("Housing Bureau", "agency", None).await;
        let a = app
            .create_unit("Permits Section", "section", Some(&agency))
            .await;
        let b = app
            .create_unit("Records, Archives Section", "section", Some(&agency))
            .await;
        let (_, intake) = app.staff("intake.li", "intake", None).await;
        let (_, head_a) = app.staff("head.a", "unit_head", Some(&a)).await;
        let (_, handler_a) = app.staff("handler.a", "unit_handler", Some(&a)).await;
        let (_, head_b) = app.staff("head.b", "unit_head", Some(&b)).await;
        let (_, handler_b) = app.staff("handler.b", "unit_handler", Some(&b)).await;
        let clerk_a = app.create_user("clerk.a", "unit_handler", Some(&a)).await;
        Self {
            app,
            a,
            b,
            intake,
            head_a,
            handler_a,
            head_b,
            handler_b,
            clerk_a,
        }
    }

    async fn register(
        &self,
        channel: &str,
        unit: &str,
        matter: &str,
        staff: Option<&str>,
        received_at: &str,
    ) -> String {
        let reply = self
            .app
            .post(
                "/api/v1/complaints",
                &self.intake,
                json!({"channel": channel, "respondent_unit_id": unit, "respondent_staff_id": staff,
                       "matter": matter, "account": "The permit counter ignored my application",
                       "complainant": {"name": "Chen Jing", "phone": "13900001111"},
                       "received_at": received_at}),
            )
            .await;
        assert_eq!(reply.status, 201, "{:#}", reply.body);
        id(&reply)
    }

    async fn complaint(&self, id: &str, action: &str, body: Value) {
        let reply = self
            .app
            .post(
                &format!("/api/v1/complaints/{id}/{action}"),
                &self.intake,
                body,
            )
            .await;
        assert_eq!(reply.status, 200, "{action}: {:#}", reply.body);
    }

    async fn screen(&self, id: &str, outcome: &str) {
        self.complaint(
            id,
            "screening",
            json!({"outcome": outcome, "explanation": "screened"}),
        )
        .await;
    }

    async fn case(&self, id: &str) {
        self.screen(id, "accepted").await;
        self.complaint(id, "classification", json!({"type": "case_filed"}))
            .await;
    }

    async fn issue(&self, complaint: &str, unit: &str) -> String {
        let reply = self
            .app
            .post(
                &format!("/api/v1/complaints/{complaint}/supervision-orders"),
                &self.intake,
                json!({"unit_id": unit, "opinion": "Handle it and report"}),
            )
            .await;
        assert_eq!(reply.status, 201, "{:#}", reply.body);
        id(&reply)
    }

    async fn act(&self, token: &str, order: &str, action: &str, body: Value) -> Value {
        let reply = self
            .app
            .post(
                &format!("/api/v1/supervision-orders/{order}/{action}"),
                token,
                body,
            )
            .await;
        assert!(reply.status.is_success(), "{action}: {:#}", reply.body);
        reply.body
    }

    async fn extension(&self, head: &str, order: &str, decision: &str) {
        let asked = self
            .act(
                head,
                order,
                "extension-requests",
                json!({"working_days": 2, "reason": "Waiting for the registry"}),
            )
            .await;
        let request = asked["extension_requests"][0]["id"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        self.act(
            &self.intake,
            order,
            &format!("extension-requests/{request}/decision"),
            json!({"decision": decision, "reason": "decided"}),
        )
        .await;
    }

    async fn reply(&self, head: &str, order: &str) {
        self.act(
            head,
            order,
            "reply",
            json!({"result": "Permit issued", "rectification": "Checklist posted",
                   "answer_method": "phone", "answered_at": Utc::now().to_rfc3339()}),
        )
        .await;
    }

    async fn close(&self, id: &str, finding: &str, satisfaction: &str) {
        self.complaint(
            id,
            "close",
            json!({"outcome": "handled", "finding": finding,
                   "answer": {"method": "phone", "answered_at": Utc::now().to_rfc3339()}}),
        )
        .await;
        self.complaint(id, "return-visit", json!({"satisfaction": satisfaction}))
            .await;
    }

    async fn stats(&self, path: &str, token: &str) -> Reply {
        self.app
            .get(&format!("/api/v1/stats/{path}?from={FROM}&to={TO}"), token)
            .await
    }
}

async fn set_dates(db: &DatabaseConnection, complaint: &str, registered: &str, closed: &str) {
    let stmt = Query::update()
        .table(Alias::new("complaints"))
        .value(Alias::new("registered_at"), at(registered))
        .value(Alias::new("closed_at"), at(closed))
        .and_where(Expr::col(Alias::new("id")).eq(uuid(complaint)))
        .to_owned();
    let done = db.execute(&stmt).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(done.rows_affected(), 1);
}

async fn set_reply_limit(
    db: &DatabaseConnection,
    order: &str,
    values: Vec<(&str, sea_orm::Value)>,
) {
    let mut stmt = Query::update();
    stmt.table(Alias::new("time_limits"))
        .and_where(Expr::col(Alias::new("order_id")).eq(uuid(order)))
        .and_where(Expr::col(Alias::new("kind")).eq("reply"));
    for (column, value) in values {
        stmt.value(Alias::new(column), value);
    }
    let done = db.execute(&stmt).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(done.rows_affected(), 1);
}

/// The scripted cases; returns the office once everything is in place.
async fn scripted() -> Office {
    let o = Office::open().await;
    let clerk = o.clerk_a.clone();

    // C1: returned by A, rerouted to B, closed sustained, satisfied.
    let c1 = o
        .register(
            "phone",
            &o.a,
            "efficiency",
            Some(&clerk),
            "2026-03-02T09:00:00+08:00",
        )
        .await;
    o.case(&c1).await;
    let o1 = o.issue(&c1, &o.a).await;
    o.act(
        &o.head_a,
        &o1,
        "return",
        json!({"reason": "Records keeps these files", "basis": "Division of duties, art. 4"}),
    )
    .await;
    let ruled = o
        .act(
            &o.intake,
            &o1,
            "return-ruling",
            json!({"ruling": "rerouted", "reason": "Agreed", "unit_id": o.b}),
        )
        .await;
    let o2 = ruled["return"]["rerouted_to_order_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    o.act(&o.handler_b, &o2, "sign", json!({})).await;
    o.reply(&o.head_b, &o2).await;
    o.act(&o.intake, &o2, "review", json!({"decision": "accepted"}))
        .await;
    o.close(&c1, "sustained", "satisfied").await;

    // C2: extension granted, reply rejected into round 2, closed sustained, dissatisfied.
    let c2 = o
        .register(
            "web",
            &o.a,
            "efficiency",
            Some(&clerk),
            "2026-03-30T09:00:00+08:00",
        )
        .await;
    o.case(&c2).await;
    let o3 = o.issue(&c2, &o.a).await;
    o.act(&o.handler_a, &o3, "sign", json!({})).await;
    o.extension(&o.head_a, &o3, "granted").await;
    o.reply(&o.head_a, &o3).await;
    o.act(
        &o.intake,
        &o3,
        "review",
        json!({"decision": "rejected", "reasons": "Not enough", "next_opinion": "Apologise in writing"}),
    )
    .await;
    let orders = o
        .app
        .get(
            &format!("/api/v1/complaints/{c2}/supervision-orders"),
            &o.intake,
        )
        .await;
    let o4 = orders.body["items"][1]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert_eq!(orders.body["items"][1]["round"], 2, "{:#}", orders.body);
    o.act(&o.handler_a, &o4, "sign", json!({})).await;
    o.reply(&o.head_a, &o4).await;
    o.act(&o.intake, &o4, "review", json!({"decision": "accepted"}))
        .await;
    o.close(&c2, "sustained", "dissatisfied").await;

    // C3: extension refused, replied (late, below), closed not sustained, unreachable.
    let c3 = o
        .register(
            "walk_in",
            &o.b,
            "attitude",
            None,
            "2026-03-05T20:00:00+08:00",
        )
        .await;
    o.case(&c3).await;
    let o5 = o.issue(&c3, &o.b).await;
    o.act(&o.handler_b, &o5, "sign", json!({})).await;
    o.extension(&o.head_b, &o5, "refused").await;
    o.reply(&o.head_b, &o5).await;
    o.act(&o.intake, &o5, "review", json!({"decision": "accepted"}))
        .await;
    o.close(&c3, "not_sustained", "unreachable").await;

    // C4: an open order whose reply limit is red and past due (below).
    let c4 = o
        .register(
            "phone",
            &o.a,
            "fees",
            Some(&clerk),
            "2026-03-10T09:00:00+08:00",
        )
        .await;
    o.case(&c4).await;
    let o6 = o.issue(&c4, &o.a).await;

    // C5: out of scope. C6: accepted, not classified. C7: just after the period.
    let c5 = o
        .register("web", &o.b, "attitude", None, "2026-03-11T09:00:00+08:00")
        .await;
    o.screen(&c5, "out_of_scope").await;
    let c6 = o
        .register("phone", &o.a, "other", None, "2026-03-12T09:00:00+08:00")
        .await;
    o.screen(&c6, "accepted").await;
    let c7 = o
        .register(
            "phone",
            &o.a,
            "efficiency",
            Some(&clerk),
            "2026-04-01T00:00:00+08:00",
        )
        .await;
    o.case(&c7).await;

    let db = o.app.database().await;
    // Registration to closing, in local dates (Asia/Shanghai):
    // C1 Mon 03-02 → Mon 03-09: 03-03, 04, 05, 06, 09 = 5 working days.
    set_dates(
        &db,
        &c1,
        "2026-03-02T10:00:00+08:00",
        "2026-03-09T10:00:00+08:00",
    )
    .await;
    // C2 Mon 03-30 → Wed 04-08: 03-31, 04-01, 02, 03, (Qingming 04-04..06 off), 07, 08 = 6.
    set_dates(
        &db,
        &c2,
        "2026-03-30T09:00:00+08:00",
        "2026-04-08T16:00:00+08:00",
    )
    .await;
    // C3 Thu 03-05 23:30 → Fri 03-06 00:30 local (both 03-05 in UTC) = 1.
    set_dates(
        &db,
        &c3,
        "2026-03-05T23:30:00+08:00",
        "2026-03-06T00:30:00+08:00",
    )
    .await;
    // The reply of o5 came late.
    set_reply_limit(&db, &o5, vec![("met_on_time", false.into())]).await;
    // o6's reply limit is past due and red (what the sweeper would have found).
    set_reply_limit(
        &db,
        &o6,
        vec![
            ("due_at", at("2026-03-18T00:00:00+08:00").into()),
            ("warning_level", "red".into()),
        ],
    )
    .await;
    o
}

fn rate(v: &Value, numerator: i64, denominator: i64) {
    assert_eq!(v["numerator"], numerator, "{v}");
    assert_eq!(v["denominator"], denominator, "{v}");
    if denominator == 0 {
        assert_eq!(v["value"], Value::Null, "{v}");
    } else {
        #[allow(clippy::cast_precision_loss)]
        let expected = numerator as f64 / denominator as f64;
        let got = v["value"].as_f64().unwrap_or(f64::NAN);
        assert!((got - expected).abs() < 1e-9, "{v}");
    }
}

fn group<'a>(list: &'a Value, key: &str) -> &'a Value {
    list.as_array()
        .and_then(|items| items.iter().find(|g| g["key"] == key))
        .unwrap_or_else(|| panic!("no group {key} in {list:#}"))
}

#[tokio::test]
async fn the_summary_counts_the_scripted_cases() {
    let o = scripted().await;
    let reply = o.stats("summary", &o.intake).await;
    assert_eq!(reply.status, 200, "{:#}", reply.body);
    let body = &reply.body;
    assert_eq!(body["from"], "2026-02-28T16:00:00+00:00");
    let t = &body["total"];
    // C1..C6 (C7 is at `to`, excluded); accepted all but C5; closed C1, C2, C3.
    assert_eq!(t["received"], 6, "{t:#}");
    assert_eq!(t["accepted"], 5);
    assert_eq!(t["closed"], 3);
    rate(&t["closing_rate"], 3, 5);
    // C3's reply was late: C1 and C2 on time.
    assert_eq!(t["closed_on_time"], 2);
    rate(&t["on_time_rate"], 2, 3);
    // 6 screening limits + 6 orders × (sign-for, reply).
    assert_eq!(t["time_limits"], 18);
    // 6 screenings met late + o5's reply met late + o6's reply running past due.
    assert_eq!(t["overdue"], 8);
    // The same 8: met late, or red now.
    assert_eq!(t["yellow_cards"], 8);
    assert_eq!(t["red_cards"], 1);
    // o1..o6; o1 returned.
    assert_eq!(t["orders_issued"], 6);
    assert_eq!(t["orders_returned"], 1);
    rate(&t["return_rate"], 1, 6);
    // o4 is round 2; C1..C4 have orders; C2 went to a second round.
    assert_eq!(t["resupervision_orders"], 1);
    assert_eq!(t["complaints_with_orders"], 4);
    assert_eq!(t["complaints_resupervised"], 1);
    rate(&t["resupervision_rate"], 1, 4);
    // o3 granted, o5 refused.
    assert_eq!(t["extensions_requested"], 2);
    assert_eq!(t["extensions_granted"], 1);
    // o3's grant opened a notice, due a working day after the grant (not yet).
    assert_eq!(t["complainant_notices"], 1);
    assert_eq!(t["complainant_notices_overdue"], 0);
    // Every closing told the complainant: no answer was left to follow.
    assert_eq!(t["answers_to_follow"], 0);
    assert_eq!(t["answers_to_follow_overdue"], 0);
    rate(&t["extension_grant_rate"], 1, 2);
    // Visits: satisfied, dissatisfied, unreachable.
    assert_eq!(t["return_visits"], 3);
    assert_eq!(t["return_visits_reached"], 2);
    assert_eq!(t["satisfied"], 1);
    rate(&t["return_visit_rate"], 3, 3);
    rate(&t["satisfaction_rate"], 1, 2);
    // 5 + 6 + 1 working days over 3 closed complaints.
    rate(&t["average_working_days_to_close"], 12, 3);
    // Clerk A: C1 and C2 sustained (C4 is open, C7 outside the period).
    assert_eq!(t["staff_with_repeated_sustained_complaints"], 1);
    assert_eq!(
        t["sanctions"],
        json!({"soft": 0, "organisational": 0, "administrative": 0, "party": 0})
    );

    // By channel: phone C1, C4, C6; web C2, C5; walk_in C3; no letters.
    let channels = &body["by_channel"];
    assert_eq!(channels.as_array().map(Vec::len), Some(3), "{channels:#}");
    let phone = group(channels, "phone");
    assert_eq!(phone["received"], 3);
    assert_eq!(phone["accepted"], 3);
    assert_eq!(phone["closed"], 1);
    rate(&phone["closing_rate"], 1, 3);
    // C1: screening, o1 ×2, o2 ×2 (5); C4: screening, o6 ×2 (3); C6: screening (1).
    assert_eq!(phone["time_limits"], 9);
    // The three screenings met late and o6's reply past due.
    assert_eq!(phone["overdue"], 4);
    assert_eq!(phone["orders_returned"], 1);
    rate(&phone["average_working_days_to_close"], 5, 1);
    // Clerk A has one sustained complaint by phone and one by web: no one repeats in either.
    assert_eq!(phone["staff_with_repeated_sustained_complaints"], 0);
    assert!(phone.get("sanctions").is_none());
    let web = group(channels, "web");
    assert_eq!(web["received"], 2);
    assert_eq!(web["accepted"], 1);
    rate(&web["resupervision_rate"], 1, 1);
    rate(&web["satisfaction_rate"], 0, 1);
    rate(&web["average_working_days_to_close"], 6, 1);
    assert_eq!(web["staff_with_repeated_sustained_complaints"], 0);
    let walk_in = group(channels, "walk_in");
    assert_eq!(walk_in["received"], 1);
    rate(&walk_in["on_time_rate"], 0, 1);
    rate(&walk_in["satisfaction_rate"], 0, 0);
    rate(&walk_in["extension_grant_rate"], 0, 1);
    rate(&walk_in["average_working_days_to_close"], 1, 1);

    // By type: C1..C4 case_filed; C5 and C6 never classified.
    let types = &body["by_type"];
    assert_eq!(group(types, "case_filed")["received"], 4);
    let unclassified = group(types, "unclassified");
    assert_eq!(unclassified["received"], 2);
    assert_eq!(unclassified["accepted"], 1);
    assert_eq!(unclassified["time_limits"], 2);

    // By matter: efficiency C1, C2 — clerk A's two sustained complaints are both here.
    let matters = &body["by_matter"];
    let efficiency = group(matters, "efficiency");
    assert_eq!(efficiency["received"], 2);
    assert_eq!(efficiency["closed"], 2);
    rate(&efficiency["average_working_days_to_close"], 11, 2);
    assert_eq!(efficiency["staff_with_repeated_sustained_complaints"], 1);
    assert_eq!(group(matters, "attitude")["received"], 2);
    assert_eq!(group(matters, "fees")["red_cards"], 1);
    assert_eq!(group(matters, "other")["closed"], 0);
    rate(&group(matters, "other")["closing_rate"], 0, 1);
}

#[tokio::test]
async fn the_unit_statistics_count_orders_against_the_unit_addressed() {
    let o = scripted().await;
    let reply = o.stats("units", &o.head_a).await;
    assert_eq!(reply.problem(403), "forbidden");
    let reply = o.stats("units", &o.intake).await;
    assert_eq!(reply.status, 200, "{:#}", reply.body);
    let units = &reply.body["units"];
    assert_eq!(reply.body["total"]["received"], 6);

    // A: respondent of C1, C2, C4, C6; addressed o1 (returned), o3, o4, o6.
    let a = group(units, &o.a);
    assert_eq!(a["label"], "Permits Section");
    assert_eq!(a["received"], 4);
    assert_eq!(a["accepted"], 4);
    assert_eq!(a["closed"], 2);
    rate(&a["on_time_rate"], 2, 2);
    assert_eq!(a["orders_issued"], 4);
    rate(&a["return_rate"], 1, 4);
    assert_eq!(a["resupervision_orders"], 1);
    rate(&a["resupervision_rate"], 1, 3);
    rate(&a["extension_grant_rate"], 1, 1);
    // Sign-for and reply limits of o1, o3, o4, o6; o6's reply is overdue and red.
    assert_eq!(a["time_limits"], 8);
    assert_eq!(a["overdue"], 1);
    assert_eq!(a["yellow_cards"], 1);
    assert_eq!(a["red_cards"], 1);
    rate(&a["return_visit_rate"], 2, 2);
    rate(&a["satisfaction_rate"], 1, 2);
    rate(&a["average_working_days_to_close"], 11, 2);
    assert_eq!(a["staff_with_repeated_sustained_complaints"], 1);
    assert_eq!(a["sanctions"]["soft"], 0);

    // B: respondent of C3, C5; addressed o2 (the reroute) and o5 (late reply).
    let b = group(units, &o.b);
    assert_eq!(b["received"], 2);
    assert_eq!(b["accepted"], 1);
    rate(&b["closing_rate"], 1, 1);
    rate(&b["on_time_rate"], 0, 1);
    assert_eq!(b["orders_issued"], 2);
    rate(&b["return_rate"], 0, 2);
    rate(&b["extension_grant_rate"], 0, 1);
    assert_eq!(b["time_limits"], 4);
    assert_eq!(b["overdue"], 1);
    assert_eq!(b["yellow_cards"], 1);
    assert_eq!(b["red_cards"], 0);
    rate(&b["satisfaction_rate"], 0, 0);
    rate(&b["average_working_days_to_close"], 1, 1);

    // The six screening limits belong to intake, not to a unit: they are in the total only.
    // (Changed by issue 13.3: they were a pseudo-unit row `intake`.)
    assert!(
        units
            .as_array()
            .is_some_and(|l| l.iter().all(|g| g["key"] != "intake")),
        "{units:#}"
    );
    assert_eq!(reply.body["total"]["time_limits"], 6 + 8 + 4);
    // A, B and the agency above them, which received nothing itself...
    assert_eq!(units.as_array().map(Vec::len), Some(3), "{units:#}");
    let agency = a["parent_id"].as_str().unwrap_or_default();
    assert_eq!(b["parent_id"], agency);
    let own = group(units, agency);
    assert_eq!(own["label"], "Housing Bureau");
    assert!(own.get("parent_id").is_none());
    assert_eq!(own["received"], 0);
    rate(&own["closing_rate"], 0, 0);
    // ...and whose roll-up is A and B together, rates from the summed counts.
    let rollups = &reply.body["rollups"];
    assert_eq!(rollups.as_array().map(Vec::len), Some(3), "{rollups:#}");
    let all = group(rollups, agency);
    assert_eq!(all["received"], 6);
    rate(&all["closing_rate"], 3, 5);
    rate(&all["on_time_rate"], 2, 3);
    rate(&all["return_rate"], 1, 6);
    rate(&all["average_working_days_to_close"], 12, 3);
    assert_eq!(all["time_limits"], 12);
    assert_eq!(all["overdue"], 2);
    assert_eq!(all["staff_with_repeated_sustained_complaints"], 1);
    // A section without units below rolls up to its own figures.
    assert_eq!(group(rollups, &o.a)["received"], 4);
    rate(&group(rollups, &o.b)["closing_rate"], 1, 1);
}

#[tokio::test]
async fn csv_has_one_row_per_group_with_the_same_numbers() {
    let o = scripted().await;
    let reply = o
        .app
        .get(
            &format!("/api/v1/stats/summary?from={FROM}&to={TO}&format=csv"),
            &o.intake,
        )
        .await;
    assert_eq!(reply.status, 200);
    assert!(
        reply.content_type().starts_with("text/csv"),
        "{}",
        reply.content_type()
    );
    let text = reply.body.as_str().unwrap_or_default().to_owned();
    // The UTF-8 byte-order mark Excel needs comes first (see below).
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text).to_owned();
    let lines: Vec<&str> = text.lines().collect();
    let header: Vec<&str> = lines[0].split(',').collect();
    assert_eq!(header.len(), 39);
    assert_eq!(&header[..4], &["dimension", "key", "label", "received"]);
    // Header, the total, 3 channels, 2 types, 4 matters.
    assert_eq!(lines.len(), 1 + 1 + 3 + 2 + 4, "{text}");
    let cell = |row: &str, column: &str| -> String {
        let at = header
            .iter()
            .position(|h| *h == column)
            .unwrap_or_else(|| panic!("no column {column}"));
        row.split(',').nth(at).unwrap_or_default().to_owned()
    };
    let total = lines[1];
    assert_eq!(cell(total, "dimension"), "all");
    assert_eq!(cell(total, "received"), "6");
    assert_eq!(cell(total, "closing_rate"), "0.6");
    assert_eq!(cell(total, "return_rate"), format!("{}", 1.0 / 6.0));
    assert_eq!(cell(total, "working_days_to_close_total"), "12");
    assert_eq!(cell(total, "average_working_days_to_close"), "4");
    assert_eq!(cell(total, "staff_with_repeated_sustained_complaints"), "1");
    assert_eq!(cell(total, "sanctions_party"), "0");
    assert_eq!(cell(total, "complainant_notices"), "1");
    assert_eq!(cell(total, "complainant_notices_overdue"), "0");
    assert_eq!(cell(total, "answers_to_follow"), "0");
    let walk_in = lines
        .iter()
        .find(|l| l.starts_with("channel,walk_in,"))
        .unwrap_or_else(|| panic!("{text}"));
    assert_eq!(cell(walk_in, "satisfaction_rate"), "");
    assert_eq!(cell(walk_in, "sanctions_soft"), "");

    let units = o
        .app
        .get(
            &format!("/api/v1/stats/units?from={FROM}&to={TO}&format=csv"),
            &o.intake,
        )
        .await;
    let text = units.body.as_str().unwrap_or_default().to_owned();
    // Header, total, the agency, A, B, and their three roll-ups; B's name has a comma and is
    // quoted. (Changed by issue 13.3: there was a pseudo-unit row `intake` and no roll-ups.)
    assert_eq!(text.lines().count(), 1 + 1 + 3 + 3, "{text}");
    assert_eq!(
        text.lines()
            .filter(|l| l.starts_with("unit_rollup,"))
            .count(),
        3,
        "{text}"
    );
    assert!(
        text.contains(&format!("unit,{},\"Records, Archives Section\",2,", o.b)),
        "{text}"
    );
}

#[tokio::test]
async fn only_the_leading_group_and_intake_read_statistics() {
    let o = Office::open().await;
    let (_, leader) = o.app.staff("leader.wu", "leading_group", None).await;
    for token in [&o.intake, &leader] {
        for path in ["summary", "units"] {
            let reply = o.app.get(&format!("/api/v1/stats/{path}"), token).await;
            assert_eq!(reply.status, 200, "{path}: {:#}", reply.body);
        }
    }
    // An empty period: every rate has no value.
    let empty = o.stats("summary", &leader).await;
    assert_eq!(empty.body["total"]["received"], 0);
    rate(&empty.body["total"]["closing_rate"], 0, 0);
    assert_eq!(empty.body["by_channel"], json!([]));
    for token in [&o.head_a, &o.handler_a, &o.app.admin] {
        for path in ["summary", "units"] {
            let reply = o.app.get(&format!("/api/v1/stats/{path}"), token).await;
            assert_eq!(reply.problem(403), "forbidden", "{path}");
        }
    }
    let anonymous = o
        .app
        .call(reqwest::Method::GET, "/api/v1/stats/summary", None, None)
        .await;
    assert_eq!(anonymous.status, 401);
    let backwards = o
        .app
        .get(
            &format!("/api/v1/stats/summary?from={TO}&to={FROM}"),
            &o.intake,
        )
        .await;
    assert_eq!(backwards.status, 422, "{:#}", backwards.body);
    assert_eq!(backwards.error_fields(), vec!["to".to_owned()]);
}

/// The raw bytes of a statistics answer.
async fn raw(o: &Office, query: &str) -> Vec<u8> {
    let response = o
        .app
        .client
        .get(format!("{}/api/v1/stats/units{query}", o.app.base))
        .bearer_auth(&o.intake)
        .send()
        .await
        .unwrap_or_else(|e| panic!("request failed: {e}"));
    assert_eq!(response.status(), 200);
    response
        .bytes()
        .await
        .unwrap_or_else(|e| panic!("body: {e}"))
        .to_vec()
}

#[tokio::test]
async fn csv_starts_with_a_byte_order_mark_unless_switched_off() {
    let o = Office::open().await;
    let bom = [0xEF, 0xBB, 0xBF];
    let with = raw(&o, "?format=csv").await;
    assert!(
        with.starts_with(&bom),
        "{:?}",
        String::from_utf8_lossy(&with)
    );
    assert!(with[3..].starts_with(b"dimension,key,label,"));
    let without = raw(&o, "?format=csv&bom=false").await;
    assert!(without.starts_with(b"dimension,key,label,"));
    assert_eq!(&with[3..], &without[..]);
    let json = raw(&o, "").await;
    assert!(json.starts_with(b"{"));
}
