//! No existence oracles: a caller of another unit gets, for a real resource it may not see,
//! exactly the answer (status and problem body, ids apart) it gets for a random id, on every
//! operation with an id in the path or in the body.

use duban_tests::Reply;
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::complaints_support::id_of;
use crate::sanctions::{Office, against, m};

/// The seeded resources of the office, all out of sight of another unit's staff.
struct Seeded {
    complaint: String,
    order: String,
    request: String,
    record: String,
    sanction: String,
    person: String,
    unit: String,
}

async fn ok(reply: Reply, status: u16, what: &str) -> Value {
    assert_eq!(reply.status.as_u16(), status, "{what}: {:#}", reply.body);
    reply.body
}

/// A case filed against the office's clerk: round 1 issued to the section, signed, an
/// extension asked for, an investigation record, and a sanction proposal citing them.
async fn seed(o: &Office) -> Seeded {
    let app = &o.desk.app;
    let complaint = id_of(
        &ok(
            o.desk
                .register(json!({
                    "channel": "walk_in",
                    "respondent_unit_id": o.desk.section,
                    "respondent_staff_id": o.clerk_id,
                    "matter": "attitude",
                    "account": "the clerk shouted at me",
                    "complainant": {"name": "Li Hua", "phone": "13800138000"}
                }))
                .await,
            201,
            "register",
        )
        .await,
    );
    ok(o.desk.screen(&complaint, "accepted").await, 200, "screen").await;
    ok(
        o.desk.classify(&complaint, "case_filed", None).await,
        200,
        "classify",
    )
    .await;
    let order = id_of(
        &ok(
            app.post(
                &format!("/api/v1/complaints/{complaint}/supervision-orders"),
                &o.desk.intake,
                json!({"unit_id": o.desk.section, "opinion": "Apologise and report."}),
            )
            .await,
            201,
            "issue",
        )
        .await,
    );
    ok(
        app.post(
            &format!("/api/v1/supervision-orders/{order}/sign"),
            &o.clerk,
            json!({}),
        )
        .await,
        200,
        "sign",
    )
    .await;
    let detail = ok(
        app.post(
            &format!("/api/v1/supervision-orders/{order}/extension-requests"),
            &o.head,
            json!({"working_days": 2, "reason": "the clerk is on leave"}),
        )
        .await,
        201,
        "extension",
    )
    .await;
    let request = detail["extension_requests"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(!request.is_empty(), "{detail:#}");
    let record = id_of(
        &ok(
            app.post(
                &format!("/api/v1/complaints/{complaint}/investigation-records"),
                &o.desk.intake,
                json!({"kind": "interview_complainant", "people_involved": "Li Hua",
                       "content": "confirms the account"}),
            )
            .await,
            201,
            "record",
        )
        .await,
    );
    let mut proposal = against(
        &o.clerk_id,
        json!([m("soft", "criticism_education")]),
        json!({}),
        &[&complaint],
    );
    proposal["investigation_record_ids"] = json!([record]);
    let sanction = id_of(&o.proposed(proposal).await);
    Seeded {
        complaint,
        order,
        request,
        record,
        sanction,
        person: o.clerk_id.clone(),
        unit: o.desk.section.clone(),
    }
}

/// Every operation with an id in its path, with a body that is otherwise valid.
fn path_operations() -> Vec<(Method, &'static str, Option<Value>)> {
    let post = |path, body| (Method::POST, path, Some(body));
    let get = |path| (Method::GET, path, None);
    vec![
        get("/api/v1/complaints/{c}"),
        get("/api/v1/complaints/{c}/events"),
        get("/api/v1/complaints/{c}/events/verification"),
        get("/api/v1/complaints/{c}/investigation-records"),
        get("/api/v1/complaints/{c}/links"),
        get("/api/v1/complaints/{c}/possible-repeats"),
        get("/api/v1/complaints/{c}/supervision-orders"),
        post(
            "/api/v1/complaints/{c}/classification",
            json!({"type": "feedback", "reason": "it is an opinion"}),
        ),
        post(
            "/api/v1/complaints/{c}/close",
            json!({"outcome": "settled", "finding": "sustained"}),
        ),
        post(
            "/api/v1/complaints/{c}/feedback-disposition",
            json!({"disposition": "reference", "note": "kept"}),
        ),
        post(
            "/api/v1/complaints/{c}/investigation-records",
            json!({"kind": "witness_statement", "people_involved": "a witness",
                   "content": "saw it"}),
        ),
        post(
            "/api/v1/complaints/{c}/links",
            json!({"linked_complaint_id": Uuid::now_v7(), "reason": "same matter"}),
        ),
        post(
            "/api/v1/complaints/{c}/on-site-resolution",
            json!({"reconciled": true, "note": "apologised"}),
        ),
        post(
            "/api/v1/complaints/{c}/reopen",
            json!({"reason": "unhappy"}),
        ),
        post(
            "/api/v1/complaints/{c}/return-visit",
            json!({"satisfaction": "satisfied"}),
        ),
        post(
            "/api/v1/complaints/{c}/screening",
            json!({"outcome": "accepted", "explanation": "in scope"}),
        ),
        post(
            "/api/v1/complaints/{c}/supervision-orders",
            json!({"unit_id": "{u}", "opinion": "act"}),
        ),
        post(
            "/api/v1/complaints/{c}/takeover",
            json!({"reason": "important"}),
        ),
        get("/api/v1/supervision-orders/{o}"),
        post(
            "/api/v1/supervision-orders/{o}/extension-requests",
            json!({"working_days": 1, "reason": "more time"}),
        ),
        post(
            "/api/v1/supervision-orders/{o}/extension-requests/{r}/decision",
            json!({"decision": "granted", "reason": "fine"}),
        ),
        post(
            "/api/v1/supervision-orders/{o}/reminders",
            json!({"note": "hurry"}),
        ),
        post(
            "/api/v1/supervision-orders/{o}/reply",
            json!({"result": "done", "rectification": "trained", "answer_method": "phone",
                   "answered_at": "2026-01-05T10:00:00+08:00"}),
        ),
        post(
            "/api/v1/supervision-orders/{o}/return",
            json!({"reason": "not ours", "basis": "the unit charter"}),
        ),
        post(
            "/api/v1/supervision-orders/{o}/return-ruling",
            json!({"ruling": "refused", "reason": "it is yours"}),
        ),
        post(
            "/api/v1/supervision-orders/{o}/review",
            json!({"decision": "accepted"}),
        ),
        post("/api/v1/supervision-orders/{o}/sign", json!({})),
        get("/api/v1/sanctions/{s}"),
        post(
            "/api/v1/sanctions/{s}/decision",
            json!({"outcome": "approve"}),
        ),
        post(
            "/api/v1/sanctions/{s}/statement",
            json!({"text": "I object"}),
        ),
        get("/api/v1/people/{p}/record"),
        get("/api/v1/units/{u}/record"),
        get("/api/v1/users/{p}"),
        (
            Method::PATCH,
            "/api/v1/users/{p}",
            Some(json!({"display_name": "X"})),
        ),
        post(
            "/api/v1/users/{p}/password",
            json!({"password": "a-new-password-1"}),
        ),
        (
            Method::PATCH,
            "/api/v1/units/{u}",
            Some(json!({"name": "X"})),
        ),
    ]
}

/// `template` with each placeholder replaced by the seeded id or, with `random`, a fresh one.
fn fill(template: &str, seeded: &Seeded, random: bool) -> String {
    let mut out = template.to_owned();
    for (key, real) in [
        ("{c}", &seeded.complaint),
        ("{o}", &seeded.order),
        ("{r}", &seeded.request),
        ("{s}", &seeded.sanction),
        ("{p}", &seeded.person),
        ("{u}", &seeded.unit),
    ] {
        let id = if random {
            Uuid::now_v7().to_string()
        } else {
            real.clone()
        };
        out = out.replace(key, &id);
    }
    out
}

/// The answer with request-specific parts (request id, every UUID) masked.
fn comparable(reply: &Reply) -> (u16, String) {
    let mut body = reply.body.clone();
    if let Some(map) = body.as_object_mut() {
        map.remove("request_id");
        map.remove("instance");
    }
    let text = body.to_string();
    let masked = text
        .split('"')
        .map(|part| {
            let mut s = part.to_owned();
            for word in part.split(|c: char| !(c.is_ascii_hexdigit() || c == '-')) {
                if Uuid::parse_str(word).is_ok() && word.len() == 36 {
                    s = s.replace(word, "<id>");
                }
            }
            s
        })
        .collect::<Vec<_>>()
        .join("\"");
    (reply.status.as_u16(), masked)
}

async fn call(o: &Office, token: &str, method: Method, path: &str, body: Option<Value>) -> Reply {
    o.desk.app.call(method, path, Some(token), body).await
}

#[tokio::test]
async fn another_units_staff_get_for_every_real_id_the_answer_of_a_random_one() {
    let o = Office::open().await;
    let seeded = seed(&o).await;
    let other = o.desk.app.create_unit("Land Bureau", "agency", None).await;
    let (_, head) = o.desk.app.staff("head2", "unit_head", Some(&other)).await;
    let (_, handler) = o
        .desk
        .app
        .staff("handler2", "unit_handler", Some(&other))
        .await;
    let mut differences = Vec::new();
    for (who, token) in [("unit_head", &head), ("unit_handler", &handler)] {
        for (method, template, body) in path_operations() {
            let body_text = body.as_ref().map(Value::to_string);
            let with = |random| {
                body_text
                    .as_ref()
                    .and_then(|b| serde_json::from_str(&fill(b, &seeded, random)).ok())
            };
            let real = call(
                &o,
                token,
                method.clone(),
                &fill(template, &seeded, false),
                with(false),
            )
            .await;
            let random = call(
                &o,
                token,
                method.clone(),
                &fill(template, &seeded, true),
                with(true),
            )
            .await;
            assert!(
                real.status.as_u16() >= 400,
                "{who} {method} {template}: {:#}",
                real.body
            );
            if comparable(&real) != comparable(&random) {
                differences.push(format!(
                    "{who} {method} {template}: real {:?} / random {:?}",
                    comparable(&real),
                    comparable(&random)
                ));
            }
        }
    }
    assert!(differences.is_empty(), "{}", differences.join("\n"));
}

#[tokio::test]
async fn a_proposal_cites_only_what_its_proposer_may_see() {
    let o = Office::open().await;
    let seeded = seed(&o).await;
    let other = o.desk.app.create_unit("Land Bureau", "agency", None).await;
    let (_, head) = o.desk.app.staff("head2", "unit_head", Some(&other)).await;
    let (own_staff, handler) = o
        .desk
        .app
        .staff("handler2", "unit_handler", Some(&other))
        .await;
    let base = against(
        &own_staff,
        json!([m("soft", "criticism_education")]),
        json!({}),
        &[],
    );
    let cited = |field: &str, value: Value| {
        let mut body = base.clone();
        body[field] = value;
        body
    };
    let cases = [
        (
            "subject",
            json!({"kind": "person", "user_id": seeded.person}),
            json!({"kind": "person", "user_id": Uuid::now_v7()}),
        ),
        (
            "complaint_ids",
            json!([seeded.complaint]),
            json!([Uuid::now_v7()]),
        ),
        (
            "investigation_record_ids",
            json!([seeded.record]),
            json!([Uuid::now_v7()]),
        ),
        ("supersedes", json!(seeded.sanction), json!(Uuid::now_v7())),
    ];
    for (who, token) in [("unit_head", &head), ("unit_handler", &handler)] {
        for (field, real, random) in &cases {
            let real = o.propose_as(token, cited(field, real.clone())).await;
            let random = o.propose_as(token, cited(field, random.clone())).await;
            assert!(
                real.status.as_u16() >= 400,
                "{who} {field}: {:#}",
                real.body
            );
            assert_eq!(comparable(&real), comparable(&random), "{who} {field}");
        }
    }
    // The unit head's own proposal without those citations stands: the refusals above are
    // about the cited ids only.
    assert_eq!(o.propose_as(&head, base).await.status, 201);
    // Nothing was proposed with another unit's complaint, record or sanction.
    let list = o.desk.app.get("/api/v1/sanctions", &o.desk.intake).await;
    assert_eq!(list.body["items"].as_array().map(Vec::len), Some(2));
}
