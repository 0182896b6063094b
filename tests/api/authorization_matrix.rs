//! The authorization matrix: every operation of the committed OpenAPI document, called by
//! every kind of caller on seeded resources, answers as `authorization_matrix.txt` says, and a
//! caller who may not read a resource named in the path or the body gets exactly the answer
//! of a random id there (a caller who may read it learns nothing from a 403).
//!
//! Each cell is the status, then `:` and the problem code for problem documents, or `+pd`
//! when the answer carries the complainant's name or phone. Each operation gets a fresh case and
//! a body it accepts in form, so that who calls decides the answer. Rewrite the table after
//! a deliberate change with `DUBAN_WRITE_AUTHZ_MATRIX=1 cargo test --workspace --test api
//! authorization_matrix` and review the diff.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use duban_tests::{Reply, STAFF_PASSWORD, TestApp};
use reqwest::Method;
use serde_json::{Value, json};

const TABLE: &str = "tests/api/authorization_matrix.txt";
const COMPLAINANT_NAME: &str = "Chen Jing";
const COMPLAINANT_PHONE: &str = "13900001111";

/// The kinds of caller, in the table's column order.
const CALLERS: [&str; 13] = [
    "anonymous",
    "bad_token",
    "revoked_token",
    "deactivated",
    "admin",
    "intake",
    "leading_group",
    "handler_routed",
    "head_routed",
    "head_above",
    "respondent",
    "handler_outside",
    "head_outside",
];

/// The people, seeded once: the callers' tokens and the units and accounts they belong to.
struct People {
    tokens: BTreeMap<&'static str, Option<String>>,
    intake: String,
    head_routed: String,
    handler_routed: String,
    section: String,
    respondent: String,
    spare: String,
}

/// One case, seeded afresh for each operation so that one operation's writes cannot change
/// another's answers: a filed complaint routed to the respondent's section, its signed order
/// with an extension request, an investigation record, a sanction proposed against the
/// respondent, and a second complaint to link to.
struct Case {
    complaint: String,
    other_complaint: String,
    record: String,
    order: String,
    extension_request: String,
    sanction: String,
}

async fn people(app: &TestApp) -> People {
    let agency = app.create_unit("Housing Bureau", "agency", None).await;
    let section = app
        .create_unit("Permits Section", "section", Some(&agency))
        .await;
    let outside = app.create_unit("Water Bureau", "agency", None).await;
    let (_, intake) = app.staff("intake1", "intake", None).await;
    let (_, lead) = app.staff("lead1", "leading_group", None).await;
    let (_, handler_routed) = app.staff("handler1", "unit_handler", Some(&section)).await;
    let (_, head_routed) = app.staff("head1", "unit_head", Some(&section)).await;
    let (_, head_above) = app.staff("head0", "unit_head", Some(&agency)).await;
    let (respondent_id, respondent) = app.staff("clerk1", "unit_handler", Some(&section)).await;
    let (_, handler_outside) = app.staff("handler9", "unit_handler", Some(&outside)).await;
    let (_, head_outside) = app.staff("head9", "unit_head", Some(&outside)).await;
    let spare = app.create_user("spare1", "intake", None).await;
    let (_, revoked) = app.staff("gone1", "intake", None).await;
    let logout = app
        .call(Method::POST, "/api/v1/auth/logout", Some(&revoked), None)
        .await;
    assert_eq!(logout.status, 204, "{:#}", logout.body);
    let (deactivated_id, deactivated) = app.staff("left1", "intake", None).await;
    let off = app
        .call(
            Method::PATCH,
            &format!("/api/v1/users/{deactivated_id}"),
            Some(&app.admin),
            Some(json!({"active": false})),
        )
        .await;
    assert_eq!(off.status, 200, "{:#}", off.body);
    let tokens = BTreeMap::from([
        ("anonymous", None),
        ("bad_token", Some("not-a-token".to_owned())),
        ("revoked_token", Some(revoked)),
        ("deactivated", Some(deactivated)),
        ("admin", Some(app.admin.clone())),
        ("intake", Some(intake.clone())),
        ("leading_group", Some(lead)),
        ("handler_routed", Some(handler_routed.clone())),
        ("head_routed", Some(head_routed.clone())),
        ("head_above", Some(head_above)),
        ("respondent", Some(respondent)),
        ("handler_outside", Some(handler_outside)),
        ("head_outside", Some(head_outside)),
    ]);
    People {
        tokens,
        intake,
        head_routed,
        handler_routed,
        section,
        respondent: respondent_id,
        spare,
    }
}

async fn register(app: &TestApp, people: &People, name: &str, phone: &str) -> String {
    created(
        app.post(
            "/api/v1/complaints",
            &people.intake,
            json!({"channel": "phone", "respondent_unit_id": people.section,
                   "respondent_staff_id": people.respondent, "matter": "efficiency",
                   "account": "the permit took four months",
                   "complainant": {"name": name, "phone": phone}}),
        )
        .await,
    )
}

async fn case(app: &TestApp, people: &People) -> Case {
    let intake = &people.intake;
    let complaint = register(app, people, COMPLAINANT_NAME, COMPLAINANT_PHONE).await;
    let other_complaint = register(app, people, "Zhao Lei", "13700002222").await;
    let path = format!("/api/v1/complaints/{complaint}");
    ok(app
        .post(
            &format!("{path}/screening"),
            intake,
            json!({"outcome": "accepted", "explanation": "in scope"}),
        )
        .await);
    ok(app
        .post(
            &format!("{path}/classification"),
            intake,
            json!({"type": "case_filed"}),
        )
        .await);
    let record = created(
        app.post(
            &format!("{path}/investigation-records"),
            intake,
            json!({"kind": "interview_complainant", "people_involved": "the applicant",
                   "content": "the applicant's account"}),
        )
        .await,
    );
    let order = created(
        app.post(
            &format!("{path}/supervision-orders"),
            intake,
            json!({"unit_id": people.section, "opinion": "verify and answer"}),
        )
        .await,
    );
    let order_path = format!("/api/v1/supervision-orders/{order}");
    ok(app
        .call(
            Method::POST,
            &format!("{order_path}/sign"),
            Some(&people.handler_routed),
            None,
        )
        .await);
    let asked = app
        .post(
            &format!("{order_path}/extension-requests"),
            &people.head_routed,
            json!({"working_days": 2, "reason": "the file is in the archive"}),
        )
        .await;
    assert!(asked.status.is_success(), "{:#}", asked.body);
    let extension_request = asked.body["extension_requests"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let sanction = created(
        app.post(
            "/api/v1/sanctions",
            intake,
            json!({"subject": {"kind": "person", "user_id": people.respondent},
                   "findings": "the clerk delayed the permit",
                   "rule_broken": "service commitment 2: time limits",
                   "severity": {}, "complaint_ids": [],
                   "measures": [{"track": "soft", "measure": "criticism_education"}]}),
        )
        .await,
    );
    Case {
        complaint,
        other_complaint,
        record,
        order,
        extension_request,
        sanction,
    }
}

/// A body each operation accepts in form, so that only who calls decides the answer.
fn body(op: &str, people: &People, case: &Case) -> Option<Value> {
    let answered = "2026-01-05T10:00:00+08:00";
    Some(match op {
        "login" => json!({"username": "spare1", "password": STAFF_PASSWORD}),
        "putCalendarYear" => json!({"days": []}),
        "registerComplaint" => json!({"channel": "walk_in", "respondent_unit_id": people.section,
            "matter": "attitude", "account": "rude at the window",
            "complainant": {"name": "Sun Mei"}}),
        "classifyComplaint" => json!({"type": "case_filed"}),
        "closeComplaint" => json!({"outcome": "investigated", "finding": "sustained",
            "answer": {"method": "phone", "answered_at": answered}}),
        "disposeFeedback" => json!({"disposition": "reference", "note": "noted"}),
        "addInvestigationRecord" => json!({"kind": "interview_respondent",
            "people_involved": "the clerk", "content": "the clerk's account"}),
        "linkComplaint" => json!({"linked_complaint_id": case.other_complaint,
            "reason": "the same permit"}),
        "resolveComplaintOnSite" => json!({"reconciled": true, "note": "settled"}),
        "reopenComplaint" => json!({"reason": "new facts"}),
        "recordReturnVisit" => json!({"satisfaction": "satisfied"}),
        "screenComplaint" => json!({"outcome": "accepted", "explanation": "in scope"}),
        "issueSupervisionOrder" => json!({"unit_id": people.section, "opinion": "verify"}),
        "takeOverComplaint" => json!({"reason": "serious"}),
        "proposeSanction" => json!({"subject": {"kind": "person", "user_id": people.respondent},
            "findings": "the clerk delayed the permit", "rule_broken": "commitment 2",
            "severity": {}, "complaint_ids": [case.complaint],
            "investigation_record_ids": [case.record],
            "measures": [{"track": "soft", "measure": "criticism_education"}]}),
        "decideSanction" => json!({"outcome": "approve"}),
        "submitSanctionStatement" => json!({"text": "I accept"}),
        "requestSupervisionOrderExtension" => json!({"working_days": 1, "reason": "more time"}),
        "decideSupervisionOrderExtension" => json!({"decision": "granted", "reason": "fair"}),
        "remindSupervisionOrder" => json!({"note": "the deadline is near"}),
        "recordComplainantNotice" => json!({"method": "phone", "told_at": answered}),
        "recordComplaintAnswer" => json!({"method": "phone", "answered_at": answered}),
        "replyToSupervisionOrder" => json!({"result": "Permit issued",
            "rectification": "Checklist posted", "answer_method": "phone",
            "answered_at": answered}),
        "returnSupervisionOrder" => json!({"reason": "not ours", "basis": "rule 3"}),
        "ruleOnSupervisionOrderReturn" => json!({"ruling": "refused", "reason": "it is yours"}),
        "reviewSupervisionOrder" => json!({"decision": "accepted"}),
        "createUnit" => json!({"name": "Matrix Bureau", "kind": "agency"}),
        "updateUnit" | "updateUser" => json!({}),
        "createUser" => json!({"username": "made1", "display_name": "Made", "role": "intake",
            "password": STAFF_PASSWORD}),
        "setUserPassword" => json!({"password": STAFF_PASSWORD}),
        "updateNotificationPreferences" => {
            json!({"topics": [{"topic": "order.signed", "sms": true}]})
        }
        _ => return None,
    })
}

fn created(reply: Reply) -> String {
    assert!(reply.status.is_success(), "{:#}", reply.body);
    reply.body["id"].as_str().unwrap_or_default().to_owned()
}

fn ok(reply: Reply) {
    assert!(reply.status.is_success(), "{:#}", reply.body);
}

/// One operation of the document.
struct Operation {
    id: String,
    method: Method,
    path: String,
    has_body: bool,
    /// The required query parameters, set to a value of their format.
    query: String,
}

fn operations() -> Vec<Operation> {
    let raw = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../openapi/openapi.json"
    ))
    .unwrap_or_else(|e| panic!("cannot read the OpenAPI document: {e}"));
    let document: Value = serde_json::from_str(&raw).unwrap_or_else(|e| panic!("{e}"));
    let mut found = Vec::new();
    for (path, item) in document["paths"].as_object().into_iter().flatten() {
        for (method, op) in item.as_object().into_iter().flatten() {
            let Ok(method) = method.to_uppercase().parse::<Method>() else {
                continue;
            };
            found.push(Operation {
                id: op["operationId"].as_str().unwrap_or_default().to_owned(),
                method,
                path: path.clone(),
                has_body: op.get("requestBody").is_some(),
                query: required_query(op),
            });
        }
    }
    // Logging out ends the caller's session, so it goes last.
    found.sort_by_key(|op| (op.id == "logout", op.id.clone()));
    found
}

/// The kinds of case resource, and the seeded id of each in `case`.
fn resources(case: &Case) -> [(&'static str, &String); 6] {
    [
        ("complaint", &case.complaint),
        ("other_complaint", &case.other_complaint),
        ("record", &case.record),
        ("order", &case.order),
        ("extension_request", &case.extension_request),
        ("sanction", &case.sanction),
    ]
}

/// The case resources the operation names, in its path or its body: (kind, id).
fn named(path: &str, body: Option<&Value>, case: &Case) -> Vec<(&'static str, String)> {
    let text = format!("{path} {}", body.map(Value::to_string).unwrap_or_default());
    resources(case)
        .into_iter()
        .filter(|(_, id)| text.contains(id.as_str()))
        .map(|(kind, id)| (kind, id.clone()))
        .collect()
}

/// `?name=value&…` for the operation's required query parameters (empty when none).
fn required_query(op: &Value) -> String {
    let pairs: Vec<String> = op["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| p["in"] == "query" && p["required"] == true)
        .map(|p| {
            let value = match p["schema"]["format"].as_str() {
                Some("date-time") => "2026-01-01T00:00:00Z",
                Some("date") => "2026-01-01",
                _ => "1",
            };
            let name = p["name"].as_str().unwrap_or_default();
            let value = if name == "to" {
                value.replace("2026", "2031")
            } else {
                value.to_owned()
            };
            format!("{name}={value}")
        })
        .collect();
    if pairs.is_empty() {
        String::new()
    } else {
        format!("?{}", pairs.join("&"))
    }
}

/// The path with its parameters set to the seeded resources.
fn concrete_path(op: &Operation, people: &People, case: &Case) -> String {
    let resource = if op.path.starts_with("/api/v1/complaints/") {
        &case.complaint
    } else if op.path.starts_with("/api/v1/supervision-orders/") {
        &case.order
    } else if op.path.starts_with("/api/v1/sanctions/") {
        &case.sanction
    } else if op.path.starts_with("/api/v1/units/") {
        &people.section
    } else if op.path.starts_with("/api/v1/users/") {
        &people.spare
    } else {
        &people.respondent
    };
    let path = op
        .path
        .replace("{id}", resource)
        .replace("{user_id}", resource)
        .replace("{request_id}", &case.extension_request)
        .replace("{year}", "2030");
    format!("{path}{}", op.query)
}

/// `text` with every id of `ids` replaced by a random one.
fn randomised(text: &str, ids: &[(&str, String)]) -> String {
    ids.iter().fold(text.to_owned(), |t, (_, id)| {
        t.replace(id.as_str(), &uuid::Uuid::now_v7().to_string())
    })
}

/// The cell for a reply: status, problem code, and whether personal data shows.
fn cell(reply: &Reply) -> String {
    let mut cell = reply.status.as_u16().to_string();
    if let Some(code) = reply.body["code"]
        .as_str()
        .filter(|_| !reply.status.is_success())
    {
        let _ = write!(cell, ":{code}");
    }
    let text = reply.body.to_string();
    if text.contains(COMPLAINANT_NAME) || text.contains(COMPLAINANT_PHONE) {
        cell.push_str("+pd");
    }
    cell
}

fn render(rows: &BTreeMap<String, Vec<String>>) -> String {
    let mut widths: Vec<usize> = CALLERS.iter().map(|c| c.len()).collect();
    let mut first = "operation".len();
    for (op, cells) in rows {
        first = first.max(op.len());
        for (w, c) in widths.iter_mut().zip(cells) {
            *w = (*w).max(c.len());
        }
    }
    let mut out = String::from(
        "# Who may call what: one row per OpenAPI operation, one column per kind of caller.\n\
         # Written by tests/api/authorization_matrix.rs (see there); status[:problem code][+pd].\n",
    );
    let line = |out: &mut String, name: &str, cells: &[&str]| {
        let _ = write!(out, "{name:first$}");
        for (c, w) in cells.iter().zip(&widths) {
            let _ = write!(out, "  {c:w$}");
        }
        out.truncate(out.trim_end().len());
        out.push('\n');
    };
    line(&mut out, "operation", &CALLERS);
    for (op, cells) in rows {
        let cells: Vec<&str> = cells.iter().map(String::as_str).collect();
        line(&mut out, op, &cells);
    }
    out
}

fn parse(table: &str) -> BTreeMap<String, Vec<String>> {
    table
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .skip(1)
        .filter_map(|l| {
            let mut words = l.split_whitespace().map(str::to_owned);
            let op = words.next()?;
            Some((op, words.collect()))
        })
        .collect()
}

/// Which kinds of the case's resources each caller may read.
async fn readable(
    app: &TestApp,
    people: &People,
    case: &Case,
) -> BTreeMap<&'static str, Vec<&'static str>> {
    let mut readable = BTreeMap::new();
    for caller in CALLERS {
        let token = people.tokens[caller].as_deref();
        let mut kinds = Vec::new();
        for (kind, path, id) in [
            ("complaint", "complaints", &case.complaint),
            ("other_complaint", "complaints", &case.other_complaint),
            ("order", "supervision-orders", &case.order),
            ("sanction", "sanctions", &case.sanction),
        ] {
            let reply = app
                .call(Method::GET, &format!("/api/v1/{path}/{id}"), token, None)
                .await;
            if reply.status == 200 {
                kinds.push(kind);
                // A record is read with its complaint, an extension request with its order.
                match kind {
                    "complaint" => kinds.push("record"),
                    "order" => kinds.push("extension_request"),
                    _ => {}
                }
            }
        }
        readable.insert(caller, kinds);
    }
    readable
}

#[tokio::test]
async fn every_operation_answers_every_caller_as_the_table_says() {
    let app = TestApp::spawn().await;
    let people = people(&app).await;
    let mut actual = BTreeMap::new();
    let mut oracles = Vec::new();
    let mut readable_by = None;
    for op in operations() {
        let case = case(&app, &people).await;
        if readable_by.is_none() {
            readable_by = Some(readable(&app, &people, &case).await);
        }
        let readable_by = readable_by.clone().unwrap_or_default();
        if op.has_body && body(&op.id, &people, &case).is_none() {
            panic!("{}: the matrix has no sample body for it", op.id);
        }
        let body = body(&op.id, &people, &case).filter(|_| op.has_body);
        let path = concrete_path(&op, &people, &case);
        let names = named(&path, body.as_ref(), &case);
        let mut cells = Vec::new();
        for caller in CALLERS {
            let token = people.tokens[caller].as_deref();
            let reply = app
                .call(op.method.clone(), &path, token, body.clone())
                .await;
            let seen = cell(&reply);
            // What a caller may not read, it must not learn exists: it gets a random id's answer.
            let hidden = names
                .iter()
                .any(|(kind, _)| readable_by.get(caller).is_some_and(|r| !r.contains(kind)));
            if hidden {
                let random_body = body
                    .as_ref()
                    .map(|b| randomised(&b.to_string(), &names))
                    .and_then(|b| serde_json::from_str(&b).ok());
                let random = app
                    .call(
                        op.method.clone(),
                        &randomised(&path, &names),
                        token,
                        random_body,
                    )
                    .await;
                let unseen = cell(&random);
                if unseen != seen {
                    oracles.push(format!(
                        "{} as {caller}: {seen} for a real id, {unseen} for a random one",
                        op.id
                    ));
                }
            }
            cells.push(seen);
        }
        actual.insert(op.id, cells);
    }
    let path = format!("{}/../{TABLE}", env!("CARGO_MANIFEST_DIR"));
    if std::env::var_os("DUBAN_WRITE_AUTHZ_MATRIX").is_some() {
        std::fs::write(&path, render(&actual)).unwrap_or_else(|e| panic!("{path}: {e}"));
    }
    let expected = parse(&std::fs::read_to_string(&path).unwrap_or_default());
    let mut differences = Vec::new();
    for (op, cells) in &actual {
        match expected.get(op) {
            None => differences.push(format!("{op}: no row in {TABLE}")),
            Some(want) => {
                for ((caller, got), want) in CALLERS.iter().zip(cells).zip(want) {
                    if got != want {
                        differences.push(format!("{op} as {caller}: {got}, the table says {want}"));
                    }
                }
                if want.len() != CALLERS.len() {
                    differences.push(format!("{op}: the row has {} cells", want.len()));
                }
            }
        }
    }
    for op in expected.keys().filter(|op| !actual.contains_key(*op)) {
        differences.push(format!("{op}: in {TABLE} but not in the OpenAPI document"));
    }
    assert!(
        oracles.is_empty(),
        "existence oracles:\n{}",
        oracles.join("\n")
    );
    assert!(
        differences.is_empty(),
        "{} of {} cells differ:\n{}",
        differences.len(),
        actual.len() * CALLERS.len(),
        differences.join("\n")
    );
}
