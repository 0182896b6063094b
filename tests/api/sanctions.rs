//! `/sanctions`: proposals with their recommendation, combination rules, justification, the
//! statement period, the four-eyes decision and supersession.

use chrono::Utc;
use duban_tests::{Reply, STAFF_PASSWORD};
use reqwest::Method;
use serde_json::{Value, json};

use crate::complaints_support::{Desk, id_of};

/// A desk with two leading-group members, a clerk of the section (party member) and the
/// agency's head.
pub struct Office {
    pub desk: Desk,
    pub lead1_id: String,
    pub lead1: String,
    pub lead2: String,
    pub clerk_id: String,
    pub clerk: String,
    pub head: String,
}

impl Office {
    pub async fn open() -> Self {
        let desk = Desk::open().await;
        let (lead1_id, lead1) = desk.app.staff("lead1", "leading_group", None).await;
        let (_, lead2) = desk.app.staff("lead2", "leading_group", None).await;
        let reply = desk
            .app
            .post(
                "/api/v1/users",
                &desk.app.admin,
                json!({"username": "clerk1", "display_name": "Clerk", "role": "unit_handler",
                       "unit_id": desk.section, "party_member": true,
                       "password": STAFF_PASSWORD}),
            )
            .await;
        assert_eq!(reply.status, 201, "{:#}", reply.body);
        let clerk_id = id_of(&reply.body);
        let clerk = desk.app.login("clerk1", STAFF_PASSWORD).await;
        let (_, head) = desk.app.staff("head1", "unit_head", Some(&desk.unit)).await;
        Self {
            desk,
            lead1_id,
            lead1,
            lead2,
            clerk_id,
            clerk,
            head,
        }
    }

    /// A case_filed complaint naming `staff` in the section, closed with `finding`.
    pub async fn closed_against(&self, staff: &str, finding: &str) -> String {
        let desk = &self.desk;
        let reply = desk
            .register(json!({
                "channel": "walk_in",
                "respondent_unit_id": desk.section,
                "respondent_staff_id": staff,
                "matter": "attitude",
                "account": "the clerk shouted at me",
                "complainant": {"name": "Li Hua"}
            }))
            .await;
        assert_eq!(reply.status, 201, "{:#}", reply.body);
        let id = id_of(&reply.body);
        assert_eq!(desk.screen(&id, "accepted").await.status, 200);
        assert_eq!(desk.classify(&id, "case_filed", None).await.status, 200);
        let answered = Utc::now().to_rfc3339();
        let reply = desk
            .app
            .post(
                &format!("/api/v1/complaints/{id}/close"),
                &desk.intake,
                json!({"outcome": "investigated", "finding": finding,
                       "answer": {"method": "phone", "answered_at": answered}}),
            )
            .await;
        assert_eq!(reply.status, 200, "{:#}", reply.body);
        id
    }

    pub async fn propose_as(&self, token: &str, body: Value) -> Reply {
        self.desk.app.post("/api/v1/sanctions", token, body).await
    }

    /// Proposes as intake, expecting 201.
    pub async fn proposed(&self, body: Value) -> Value {
        let reply = self.propose_as(&self.desk.intake, body).await;
        assert_eq!(reply.status, 201, "{:#}", reply.body);
        reply.body
    }

    pub async fn act(&self, token: &str, id: &str, action: &str, body: Value) -> Reply {
        self.desk
            .app
            .call(
                Method::POST,
                &format!("/api/v1/sanctions/{id}/{action}"),
                Some(token),
                Some(body),
            )
            .await
    }

    /// Proposes, files the statement and approves (by lead2), effective `effective`.
    pub async fn decided(&self, body: Value, effective: &str) -> Value {
        let s = self.proposed(body).await;
        let id = s["id"].as_str().unwrap_or_default().to_owned();
        let r = self
            .act(&self.clerk, &id, "statement", json!({"text": "I accept"}))
            .await;
        assert_eq!(r.status, 200, "{:#}", r.body);
        let r = self
            .act(
                &self.lead2,
                &id,
                "decision",
                json!({"outcome": "approve", "effective_date": effective}),
            )
            .await;
        assert_eq!(r.status, 200, "{:#}", r.body);
        r.body
    }
}

pub fn m(track: &str, measure: &str) -> Value {
    json!({"track": track, "measure": measure})
}

/// A proposal against `person` with `measures`, `severity` and linked complaints.
pub fn against(person: &str, measures: Value, severity: Value, complaints: &[&str]) -> Value {
    json!({
        "subject": {"kind": "person", "user_id": person},
        "findings": "the clerk was rude to a member of the public",
        "rule_broken": "service commitment 3: civil manners",
        "severity": severity,
        "complaint_ids": complaints,
        "measures": measures,
    })
}

fn recommended(s: &Value) -> Vec<String> {
    s["recommendation"]["measures"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|x| {
            format!(
                "{}/{}",
                x["track"].as_str().unwrap_or(""),
                x["measure"].as_str().unwrap_or("")
            )
        })
        .collect()
}

fn rules(s: &Value) -> Vec<String> {
    s["recommendation"]["reasons"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|x| x["rule"].as_str().unwrap_or("").to_owned())
        .collect()
}

#[tokio::test]
async fn no_consequences_recommends_criticism_and_education() {
    let o = Office::open().await;
    let s = o
        .proposed(against(
            &o.clerk_id,
            json!([m("soft", "criticism_education")]),
            json!({}),
            &[],
        ))
        .await;
    assert_eq!(recommended(&s), ["soft/criticism_education"]);
    assert_eq!(rules(&s), ["minor_breach"]);
    assert_eq!(s["facts"]["sustained_complaints_in_window"], 0);
    assert_eq!(s["facts"]["aggravating"], false);
    assert_eq!(s["status"], "awaiting_statement");
    assert!(s["statement_deadline"].is_string());
    let kinds: Vec<&str> = s["history"]
        .as_array()
        .map(|h| h.iter().filter_map(|e| e["kind"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(kinds, ["proposed", "statement_period_opened"]);
}

#[tokio::test]
async fn one_sustained_complaint_recommends_apology_and_circulated_criticism() {
    let o = Office::open().await;
    let c = o.closed_against(&o.clerk_id, "sustained").await;
    // A complaint not sustained does not count.
    o.closed_against(&o.clerk_id, "not_sustained").await;
    let s = o
        .proposed(against(
            &o.clerk_id,
            json!([m("soft", "apology"), m("soft", "circulated_criticism")]),
            json!({}),
            &[&c],
        ))
        .await;
    assert_eq!(s["facts"]["sustained_complaints_in_window"], 1);
    assert_eq!(
        recommended(&s),
        ["soft/apology", "soft/circulated_criticism"]
    );
    assert_eq!(rules(&s), ["sustained_complaint"]);
}

#[tokio::test]
async fn two_sustained_complaints_recommend_circulated_criticism_and_a_reminder_talk() {
    let o = Office::open().await;
    let a = o.closed_against(&o.clerk_id, "sustained").await;
    let b = o.closed_against(&o.clerk_id, "sustained").await;
    let s = o
        .proposed(against(
            &o.clerk_id,
            json!([
                m("soft", "reminder_talk"),
                m("soft", "circulated_criticism")
            ]),
            json!({}),
            &[&a, &b],
        ))
        .await;
    assert_eq!(s["facts"]["sustained_complaints_in_window"], 2);
    assert_eq!(
        recommended(&s),
        ["soft/reminder_talk", "soft/circulated_criticism"]
    );
    assert!(rules(&s).contains(&"repeated_complaints".to_owned()));
    assert_eq!(
        s["recommendation"]["severity_rank"],
        "repeated_or_criticised"
    );
}

#[tokio::test]
async fn media_exposure_flags_the_section_heads_awards() {
    let o = Office::open().await;
    let s = o
        .proposed(against(
            &o.clerk_id,
            json!([
                m("soft", "reminder_talk"),
                m("soft", "circulated_criticism")
            ]),
            json!({"media_exposure": true}),
            &[],
        ))
        .await;
    assert_eq!(s["recommendation"]["severity_rank"], "media_exposure");
    assert_eq!(
        s["recommendation"]["section_head_awards_disqualification"],
        true
    );
    assert!(rules(&s).contains(&"media_exposure".to_owned()));
}

#[tokio::test]
async fn serious_or_uncorrected_recommends_organisational_or_disciplinary_handling() {
    let o = Office::open().await;
    for factor in [
        "serious_wide_social_impact",
        "uncorrected_after_earlier_criticism",
    ] {
        let mut severity = json!({});
        severity[factor] = json!(true);
        // A soft proposal is milder: refused without justification.
        let soft = o
            .propose_as(
                &o.desk.intake,
                against(
                    &o.clerk_id,
                    json!([m("soft", "admonishment")]),
                    severity.clone(),
                    &[],
                ),
            )
            .await;
        assert_eq!(soft.problem(422), "justification_required", "{factor}");
        let s = o
            .proposed(against(
                &o.clerk_id,
                json!([m("administrative", "demerit")]),
                severity,
                &[],
            ))
            .await;
        assert_eq!(s["recommendation"]["severity_rank"], "serious", "{factor}");
        assert_eq!(
            recommended(&s),
            ["organisational/suspension_for_inspection"],
            "{factor}"
        );
        assert_eq!(s["recommendation"]["main_responsible_leader"], true);
    }
}

#[tokio::test]
async fn a_suspected_crime_recommends_judicial_referral() {
    let o = Office::open().await;
    let severity = json!({"suspected_crime": true});
    let without = o
        .propose_as(
            &o.desk.intake,
            against(
                &o.clerk_id,
                json!([m("soft", "criticism_education")]),
                severity.clone(),
                &[],
            ),
        )
        .await;
    assert_eq!(without.problem(422), "justification_required");
    let mut body = against(&o.clerk_id, json!([]), severity, &[]);
    body["judicial_referral"] = json!(true);
    body["measures"] = json!([m("soft", "criticism_education")]);
    let s = o.proposed(body).await;
    assert_eq!(s["recommendation"]["judicial_referral"], true);
    assert!(rules(&s).contains(&"suspected_crime".to_owned()));
    assert_eq!(s["judicial_referral"], true);
}

#[tokio::test]
async fn an_active_earlier_sanction_is_aggravating() {
    let o = Office::open().await;
    let today = Utc::now().date_naive().to_string();
    o.decided(
        against(
            &o.clerk_id,
            json!([m("soft", "admonishment")]),
            json!({}),
            &[],
        ),
        &today,
    )
    .await;
    let s = o
        .proposed(against(
            &o.clerk_id,
            json!([m("soft", "criticism_education")]),
            json!({}),
            &[],
        ))
        .await;
    assert_eq!(s["facts"]["aggravating"], true);
    assert_eq!(s["recommendation"]["aggravating"], true);
    assert!(rules(&s).contains(&"earlier_sanction_active".to_owned()));
}

#[tokio::test]
async fn combination_rules_are_refused_naming_the_rule() {
    let o = Office::open().await;
    let two_admin = o
        .propose_as(
            &o.desk.intake,
            against(
                &o.clerk_id,
                json!([
                    m("administrative", "warning"),
                    m("administrative", "demerit")
                ]),
                json!({}),
                &[],
            ),
        )
        .await;
    assert_eq!(two_admin.problem(422), "combination_rule");
    assert!(
        two_admin.body["detail"]
            .as_str()
            .unwrap_or("")
            .contains("administrative")
    );
    // Party measures only for party members: intake is not one.
    let party = o
        .propose_as(
            &o.desk.intake,
            against(
                &o.desk.intake_id,
                json!([m("party", "warning")]),
                json!({}),
                &[],
            ),
        )
        .await;
    assert_eq!(party.problem(422), "combination_rule");
    // A unit only gets the unit measures.
    let unit = o
        .propose_as(
            &o.desk.intake,
            json!({"subject": {"kind": "unit", "unit_id": o.desk.section},
                   "findings": "x", "rule_broken": "y",
                   "measures": [m("soft", "apology")]}),
        )
        .await;
    assert_eq!(unit.problem(422), "combination_rule");
    // The clerk is a party member: one administrative and one party measure together pass.
    let ok = o
        .propose_as(
            &o.desk.intake,
            against(
                &o.clerk_id,
                json!([m("administrative", "warning"), m("party", "warning")]),
                json!({}),
                &[],
            ),
        )
        .await;
    assert_eq!(ok.status, 201, "{:#}", ok.body);
}

#[tokio::test]
async fn a_milder_proposal_needs_a_justification() {
    let o = Office::open().await;
    let c = o.closed_against(&o.clerk_id, "sustained").await;
    let body = against(
        &o.clerk_id,
        json!([m("soft", "criticism_education")]),
        json!({}),
        &[&c],
    );
    let refused = o.propose_as(&o.desk.intake, body.clone()).await;
    assert_eq!(refused.problem(422), "justification_required");
    let mut justified = body;
    justified["justification"] = json!("first offence in ten years; apologised on the spot");
    let s = o.proposed(justified).await;
    assert_eq!(
        s["justification"],
        "first offence in ten years; apologised on the spot"
    );
}

#[tokio::test]
async fn the_decision_waits_for_the_statement_and_needs_another_leading_group_member() {
    let o = Office::open().await;
    // The leading group proposes on a case it took over.
    let c = o.closed_against(&o.clerk_id, "sustained").await;
    let taken = o
        .desk
        .app
        .post(
            &format!("/api/v1/complaints/{c}/takeover"),
            &o.lead1,
            json!({"reason": "reported in the press"}),
        )
        .await;
    assert_eq!(taken.status, 201, "{:#}", taken.body);
    let body = against(
        &o.clerk_id,
        json!([m("soft", "apology"), m("soft", "circulated_criticism")]),
        json!({}),
        &[&c],
    );
    let reply = o.propose_as(&o.lead1, body).await;
    assert_eq!(reply.status, 201, "{:#}", reply.body);
    assert_eq!(reply.body["proposer_id"], o.lead1_id.as_str());
    let id = reply.body["id"].as_str().unwrap_or_default().to_owned();
    let approve = json!({"outcome": "approve"});

    // Before the statement period ends and without a statement: refused.
    let early = o.act(&o.lead2, &id, "decision", approve.clone()).await;
    assert_eq!(early.problem(422), "statement_period_running");
    // Intake may not decide at all.
    assert_eq!(
        o.act(&o.desk.intake, &id, "decision", approve.clone())
            .await
            .status,
        403
    );
    // Someone else than the subject, intake or the leading group may not file a statement.
    assert_eq!(
        o.act(
            &o.head,
            &id,
            "statement",
            json!({"text": "on their behalf"})
        )
        .await
        .status,
        403
    );
    let stated = o
        .act(
            &o.clerk,
            &id,
            "statement",
            json!({"text": "the complainant provoked me"}),
        )
        .await;
    assert_eq!(stated.status, 200, "{:#}", stated.body);
    assert_eq!(
        stated.body["statement"]["text"],
        "the complainant provoked me"
    );
    assert_eq!(stated.body["statement"]["late"], false);
    // Once only.
    assert_eq!(
        o.act(&o.clerk, &id, "statement", json!({"text": "again"}))
            .await
            .status,
        409
    );

    // Four eyes: the proposer may not decide, another member may.
    let own = o.act(&o.lead1, &id, "decision", approve.clone()).await;
    assert_eq!(own.problem(403), "four_eyes");
    let decided = o.act(&o.lead2, &id, "decision", approve.clone()).await;
    assert_eq!(decided.status, 200, "{:#}", decided.body);
    assert_eq!(decided.body["status"], "decided");
    assert_eq!(decided.body["decision"]["outcome"], "approve");
    assert_eq!(
        decided.body["effective_date"],
        (Utc::now() + chrono::Duration::hours(8))
            .date_naive()
            .to_string()
    );
    // Decided is decided.
    assert_eq!(o.act(&o.lead2, &id, "decision", approve).await.status, 409);
    let kinds: Vec<String> = decided.body["history"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|e| e["kind"].as_str().unwrap_or("").to_owned())
        .collect();
    assert_eq!(
        kinds,
        [
            "proposed",
            "statement_period_opened",
            "statement_filed",
            "decided"
        ]
    );
}

#[tokio::test]
async fn an_amendment_and_a_rejection_need_reasons() {
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
    o.act(&o.clerk, &id, "statement", json!({"text": "sorry"}))
        .await;
    let no_reason = o
        .act(
            &o.lead2,
            &id,
            "decision",
            json!({"outcome": "amend", "measures": [m("soft", "reminder_talk")]}),
        )
        .await;
    assert_eq!(no_reason.status, 422);
    let amended = o
        .act(
            &o.lead2,
            &id,
            "decision",
            json!({"outcome": "amend", "measures": [m("soft", "reminder_talk")],
                   "reasons": "a talk suits a first breach better"}),
        )
        .await;
    assert_eq!(amended.status, 200, "{:#}", amended.body);
    assert_eq!(amended.body["decision"]["outcome"], "amend");
    assert_eq!(
        amended.body["measures_in_force"][0]["measure"],
        "reminder_talk"
    );
    // Read back from storage.
    let read = o
        .desk
        .app
        .get(&format!("/api/v1/sanctions/{id}"), &o.lead1)
        .await;
    assert_eq!(read.status, 200);
    assert_eq!(
        read.body["measures_in_force"][0]["measure"],
        "reminder_talk"
    );
}

#[tokio::test]
async fn a_later_decision_supersedes_an_earlier_one_by_reference() {
    let o = Office::open().await;
    let today = Utc::now().date_naive().to_string();
    let first = o
        .decided(
            against(
                &o.clerk_id,
                json!([m("administrative", "demerit")]),
                json!({}),
                &[],
            ),
            &today,
        )
        .await;
    let first_id = first["id"].as_str().unwrap_or_default().to_owned();
    let mut review = against(
        &o.clerk_id,
        json!([m("administrative", "warning")]),
        json!({}),
        &[],
    );
    review["supersedes"] = json!(first_id);
    let second = o.decided(review, &today).await;
    let second_id = second["id"].as_str().unwrap_or_default().to_owned();
    assert_eq!(second["supersedes"], first_id.as_str());

    let old = o
        .desk
        .app
        .get(&format!("/api/v1/sanctions/{first_id}"), &o.lead1)
        .await;
    assert_eq!(old.status, 200);
    assert_eq!(old.body["status"], "superseded");
    assert_eq!(old.body["superseded_by"], second_id.as_str());
    // The decision itself is kept as it was.
    assert_eq!(old.body["decision"]["outcome"], "approve");
    assert_eq!(old.body["measures_in_force"], Value::Null);
    let last = old.body["history"]
        .as_array()
        .and_then(|h| h.last())
        .cloned()
        .unwrap_or_default();
    assert_eq!(last["kind"], "superseded");

    // Only decided sanctions can be superseded.
    let mut bad = against(
        &o.clerk_id,
        json!([m("administrative", "warning")]),
        json!({}),
        &[],
    );
    bad["supersedes"] = json!(first_id);
    assert_eq!(o.propose_as(&o.desk.intake, bad).await.status, 422);

    // The record counts only the decision in force.
    let record = o
        .desk
        .app
        .get(&format!("/api/v1/people/{}/record", o.clerk_id), &o.lead1)
        .await;
    assert_eq!(record.status, 200, "{:#}", record.body);
    let periods = record.body["impact_periods"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(periods.len(), 1, "{:#}", record.body);
    assert_eq!(periods[0]["measure"]["measure"], "warning");
}

#[tokio::test]
async fn who_may_propose_and_see_sanctions() {
    let o = Office::open().await;
    let other = o.desk.app.create_unit("Land Bureau", "agency", None).await;
    let (other_staff, _) = o
        .desk
        .app
        .staff("surveyor", "unit_handler", Some(&other))
        .await;
    let (_, handler) = o
        .desk
        .app
        .staff("handler1", "unit_handler", Some(&o.desk.section))
        .await;
    let body = against(
        &o.clerk_id,
        json!([m("soft", "criticism_education")]),
        json!({}),
        &[],
    );
    // A unit head for staff of the units below: yes.
    let by_head = o.propose_as(&o.head, body.clone()).await;
    assert_eq!(by_head.status, 201, "{:#}", by_head.body);
    let id = by_head.body["id"].as_str().unwrap_or_default().to_owned();
    // For staff of another unit, out of the head's sight: no, as for an unknown person.
    let outside = o
        .propose_as(
            &o.head,
            against(
                &other_staff,
                json!([m("soft", "criticism_education")]),
                json!({}),
                &[],
            ),
        )
        .await;
    assert_eq!(outside.problem(422), "validation_failed");
    assert_eq!(outside.error_fields(), ["subject.user_id"]);
    // The leading group outside a taken-over case: no. A handler: no.
    assert_eq!(o.propose_as(&o.lead1, body.clone()).await.status, 403);
    assert_eq!(o.propose_as(&handler, body).await.status, 403);

    // The unit head lists it; another unit's staff cannot read it.
    let list = o.desk.app.get("/api/v1/sanctions", &o.head).await;
    assert_eq!(list.status, 200);
    assert_eq!(list.body["items"].as_array().map(Vec::len), Some(1));
    let (_, other_head) = o.desk.app.staff("head2", "unit_head", Some(&other)).await;
    let list = o.desk.app.get("/api/v1/sanctions", &other_head).await;
    assert_eq!(list.body["items"].as_array().map(Vec::len), Some(0));
    assert_eq!(
        o.desk
            .app
            .get(&format!("/api/v1/sanctions/{id}"), &other_head)
            .await
            .status,
        404
    );
    // The subject reads their own.
    assert_eq!(
        o.desk
            .app
            .get(&format!("/api/v1/sanctions/{id}"), &o.clerk)
            .await
            .status,
        200
    );
    let filtered = o
        .desk
        .app
        .get("/api/v1/sanctions?status=decided", &o.lead1)
        .await;
    assert_eq!(filtered.body["items"].as_array().map(Vec::len), Some(0));
}

#[tokio::test]
async fn sustained_complaints_of_other_people_do_not_count() {
    let o = Office::open().await;
    let (colleague, _) = o
        .desk
        .app
        .staff("colleague", "unit_handler", Some(&o.desk.section))
        .await;
    o.closed_against(&colleague, "sustained").await;
    let s = o
        .proposed(against(
            &o.clerk_id,
            json!([m("soft", "criticism_education")]),
            json!({}),
            &[],
        ))
        .await;
    assert_eq!(s["facts"]["sustained_complaints_in_window"], 0);
}

#[tokio::test]
async fn of_concurrent_decisions_one_wins_and_the_losers_speak_of_the_sanction() {
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
    let r = o
        .act(&o.clerk, &id, "statement", json!({"text": "I accept"}))
        .await;
    assert_eq!(r.status, 200, "{:#}", r.body);

    let approve = json!({"outcome": "approve"});
    let reject = json!({"outcome": "reject", "reasons": "not proven"});
    let replies = futures::future::join_all(
        [&approve, &reject, &approve, &reject]
            .map(|body| o.act(&o.lead2, &id, "decision", body.clone())),
    )
    .await;
    assert_eq!(
        replies.iter().filter(|r| r.status == 200).count(),
        1,
        "{replies:#?}"
    );
    for loser in replies.iter().filter(|r| r.status != 200) {
        let code = loser.problem(409);
        assert!(
            ["wrong_state", "version_conflict"].contains(&code.as_str()),
            "{loser:#?}"
        );
        let detail = loser.body["detail"].as_str().unwrap_or_default();
        assert!(!detail.contains("complaint"), "{detail}");
        if code == "version_conflict" {
            assert!(detail.contains("sanction"), "{detail}");
        }
    }
}

#[tokio::test]
async fn recommendations_name_the_section_head_and_the_leader_with_main_responsibility() {
    let o = Office::open().await;
    let named = |s: &Value, field: &str| -> Vec<String> {
        s["recommendation"][field]["people"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .filter_map(|p| p["display_name"].as_str().map(str::to_owned))
            .collect()
    };
    // No head of the clerk's section is on record yet: the recommendation says so.
    let s = o
        .proposed(against(
            &o.clerk_id,
            json!([
                m("soft", "reminder_talk"),
                m("soft", "circulated_criticism")
            ]),
            json!({"media_exposure": true}),
            &[],
        ))
        .await;
    let section = &s["recommendation"]["section_head_named"];
    assert_eq!(section["unit_id"], o.desk.section.as_str(), "{s:#}");
    assert_eq!(section["people"], json!([]));
    assert!(
        section["note"]
            .as_str()
            .is_some_and(|n| n.starts_with("none on record")),
        "{section:#}"
    );
    assert!(s["recommendation"]["main_responsible_leader_named"].is_null());

    let (head_id, _) = o
        .desk
        .app
        .staff("section.head", "unit_head", Some(&o.desk.section))
        .await;
    let s = o
        .proposed(against(
            &o.clerk_id,
            json!([m("administrative", "demerit")]),
            json!({"media_exposure": true, "serious_wide_social_impact": true}),
            &[],
        ))
        .await;
    assert_eq!(named(&s, "section_head_named"), ["section.head"], "{s:#}");
    assert_eq!(
        s["recommendation"]["section_head_named"]["people"][0]["user_id"],
        head_id.as_str()
    );
    let leader = &s["recommendation"]["main_responsible_leader_named"];
    assert_eq!(leader["unit_id"], o.desk.unit.as_str(), "{s:#}");
    assert_eq!(named(&s, "main_responsible_leader_named"), ["head1"]);
    assert!(leader["note"].as_str().is_some_and(|n| n.contains("head1")));
    // The names are filed with the proposal.
    let id = s["id"].as_str().unwrap_or_default();
    let read = o
        .desk
        .app
        .get(&format!("/api/v1/sanctions/{id}"), &o.lead1)
        .await;
    assert_eq!(
        read.body["recommendation"]["main_responsible_leader_named"]["people"],
        leader["people"]
    );

    // Without those facts nobody is named.
    let plain = o
        .proposed(against(
            &o.clerk_id,
            json!([m("soft", "criticism_education")]),
            json!({}),
            &[],
        ))
        .await;
    assert!(plain["recommendation"]["section_head_named"].is_null());
    assert!(plain["recommendation"]["main_responsible_leader_named"].is_null());
}

#[tokio::test]
async fn history_entries_name_who_acted_by_display_name() {
    let o = Office::open().await;
    let proposed = o
        .proposed(against(
            &o.clerk_id,
            json!([m("soft", "criticism_education")]),
            json!({}),
            &[],
        ))
        .await;
    let id = proposed["id"].as_str().unwrap_or_default();
    let read = o
        .desk
        .app
        .get(&format!("/api/v1/sanctions/{id}"), &o.desk.intake)
        .await;
    assert_eq!(read.status, 200, "{:#}", read.body);
    for sanction in [&proposed, &read.body] {
        let actors: Vec<(Value, Value)> = sanction["history"]
            .as_array()
            .map(|h| {
                h.iter()
                    .map(|e| (e["actor_id"].clone(), e["actor_display_name"].clone()))
                    .collect()
            })
            .unwrap_or_default();
        let intake = (json!(o.desk.intake_id), json!("intake1"));
        assert_eq!(actors, [intake.clone(), intake], "{sanction:#}");
    }
}
