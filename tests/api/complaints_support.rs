//! Shared steps of the complaint tests: a desk with a unit and an intake officer, request
//! bodies, and the register → screen → classify steps.

use chrono::{DateTime, Datelike, Utc};
use duban_tests::{Reply, TestApp};
use reqwest::Method;
use serde_json::{Value, json};

/// A running server with one agency, one of its sections, and a logged-in intake officer.
pub struct Desk {
    pub app: TestApp,
    /// The agency complained about.
    pub unit: String,
    /// A section below the agency.
    pub section: String,
    pub intake_id: String,
    pub intake: String,
}

impl Desk {
    pub async fn open() -> Self {
        let app = TestApp::spawn().await;
        let unit = app.create_unit("Tax Bureau", "agency", None).await;
        let section = app
            .create_unit("Licensing Section", "section", Some(&unit))
            .await;
        let (intake_id, intake) = app.staff("intake1", "intake", None).await;
        Self {
            app,
            unit,
            section,
            intake_id,
            intake,
        }
    }

    /// `POST /complaints` as `token`.
    pub async fn register_as(&self, token: &str, body: Value) -> Reply {
        self.app.post("/api/v1/complaints", token, body).await
    }

    /// `POST /complaints` as the intake officer.
    pub async fn register(&self, body: Value) -> Reply {
        self.register_as(&self.intake, body).await
    }

    /// Registers as the intake officer, expecting 201; returns the complaint.
    pub async fn registered(&self, body: Value) -> Value {
        let reply = self.register(body).await;
        assert_eq!(reply.status, 201, "{:#}", reply.body);
        reply.body
    }

    /// Registers a walk-in complaint with `account` and returns its id.
    pub async fn walk_in_id(&self, account: &str) -> String {
        id_of(&self.registered(walk_in(&self.unit, account)).await)
    }

    /// `POST /complaints/{id}/screening` with optional `If-Match`.
    pub async fn screen_with(&self, id: &str, body: Value, if_match: Option<&str>) -> Reply {
        let headers: Vec<(&str, &str)> =
            if_match.map(|tag| ("If-Match", tag)).into_iter().collect();
        self.app
            .call_with(
                Method::POST,
                &format!("/api/v1/complaints/{id}/screening"),
                Some(&self.intake),
                Some(body),
                &headers,
            )
            .await
    }

    /// Screens with `outcome` and a stock explanation.
    pub async fn screen(&self, id: &str, outcome: &str) -> Reply {
        self.screen_with(id, screening(outcome), None).await
    }

    /// `POST /complaints/{id}/classification`.
    pub async fn classify(&self, id: &str, complaint_type: &str, reason: Option<&str>) -> Reply {
        let mut body = json!({"type": complaint_type});
        if let Some(reason) = reason {
            body["reason"] = json!(reason);
        }
        self.app
            .post(
                &format!("/api/v1/complaints/{id}/classification"),
                &self.intake,
                body,
            )
            .await
    }

    /// Registers a walk-in complaint and screens it as accepted; returns its id.
    pub async fn accepted_id(&self, account: &str) -> String {
        let id = self.walk_in_id(account).await;
        let reply = self.screen(&id, "accepted").await;
        assert_eq!(reply.status, 200, "{:#}", reply.body);
        id
    }

    /// Registers, accepts and classifies a walk-in complaint; returns its id.
    pub async fn in_handling_id(&self, account: &str, complaint_type: &str) -> String {
        let id = self.accepted_id(account).await;
        let reply = self.classify(&id, complaint_type, None).await;
        assert_eq!(reply.status, 200, "{:#}", reply.body);
        id
    }

    /// `GET /complaints{query}` as `token`, expecting 200; returns the page.
    pub async fn page_as(&self, token: &str, query: &str) -> Value {
        let reply = self
            .app
            .get(&format!("/api/v1/complaints{query}"), token)
            .await;
        assert_eq!(reply.status, 200, "{query}: {:#}", reply.body);
        reply.body
    }

    /// The items of `GET /complaints{query}` as the intake officer.
    pub async fn list(&self, query: &str) -> Vec<Value> {
        items(&self.page_as(&self.intake, query).await)
    }

    /// The numbers listed for `query`, in list order.
    pub async fn numbers(&self, query: &str) -> Vec<String> {
        self.list(query).await.iter().map(number_of).collect()
    }

    /// Panics unless no complaint is stored.
    pub async fn assert_nothing_stored(&self, after: &str) {
        assert!(self.list("").await.is_empty(), "{after} stored a complaint");
    }

    /// `GET /complaints/{id}/events` as the intake officer.
    pub async fn events(&self, id: &str) -> Vec<Value> {
        let reply = self
            .app
            .get(&format!("/api/v1/complaints/{id}/events"), &self.intake)
            .await;
        assert_eq!(reply.status, 200, "{:#}", reply.body);
        items(&reply.body)
    }
}

/// The smallest valid walk-in registration.
pub fn walk_in(unit: &str, account: &str) -> Value {
    json!({
        "channel": "walk_in",
        "respondent_unit_id": unit,
        "matter": "attitude",
        "account": account,
        "complainant": {"name": "Li Hua"}
    })
}

/// A screening decision with an explanation.
pub fn screening(outcome: &str) -> Value {
    json!({"outcome": outcome, "explanation": format!("screened as {outcome}")})
}

pub fn id_of(complaint: &Value) -> String {
    complaint["id"].as_str().unwrap_or_default().to_owned()
}

pub fn number_of(complaint: &Value) -> String {
    complaint["number"].as_str().unwrap_or_default().to_owned()
}

pub fn items(page: &Value) -> Vec<Value> {
    page["items"].as_array().cloned().unwrap_or_default()
}

/// `value` with every `null` member of its objects removed: an absent field and a `null` one
/// say the same.
pub fn without_nulls(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), without_nulls(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

pub fn instant(value: &Value) -> DateTime<Utc> {
    value
        .as_str()
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| panic!("not an RFC 3339 instant: {value}"))
}

/// `TS-<year>-<sequence>` where the year is the agency's year at the registration.
pub fn expected_number(app: &TestApp, complaint: &Value, sequence: u32) -> String {
    let tz = app.settings.tz().unwrap_or_else(|e| panic!("{e}"));
    let year = instant(&complaint["registered_at"])
        .with_timezone(&tz)
        .year();
    format!("TS-{year}-{sequence:06}")
}
