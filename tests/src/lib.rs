//! Black-box test harness: each test starts the real server on a free port against a fresh
//! database and speaks HTTP to it.
//!
//! The database is a copy of a migrated SQLite file by default. With
//! `DUBAN_TEST_DATABASE_URL` set to a `postgres://` URL, each test gets a database of its own
//! on that server instead, copied from a migrated template (see [`template_db`]); the run
//! fails (it never skips) when that server cannot be reached.

pub mod sms_stub;
pub mod smtp_receiver;
pub mod template_db;
pub mod test_clock;

use duban_api::{App, Settings};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tokio::sync::oneshot;

use crate::template_db::Scratch;
pub use test_clock::TestClock;

pub const ADMIN_PASSWORD: &str = "admin-password-for-tests";
pub const STAFF_PASSWORD: &str = "staff-password-for-tests";
/// The HMAC key every test server hashes events with (id `test-h1`). One per process: the
/// event log's keys are process-wide.
pub const HMAC_KEY: [u8; 32] = [0x5a; 32];
/// The Ed25519 seed every test server signs checkpoints with (id `test-s1`).
pub const SIGNING_SEED: [u8; 32] = [0xa5; 32];

/// A running server with its own database.
pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub admin: String,
    pub settings: Settings,
    /// The server's use cases, for tests that run a background pass themselves.
    pub state: std::sync::Arc<duban_api::state::AppState>,
    /// The clock the server tells the time by: the wall clock until the test sets it.
    pub clock: TestClock,
    _scratch: Scratch,
    stop: Option<oneshot::Sender<()>>,
}

/// A response, read in full.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Reply {
    /// The `ETag` header.
    pub fn etag(&self) -> String {
        self.headers
            .get("etag")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    }

    pub fn content_type(&self) -> String {
        self.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    }

    /// Panics unless the reply is a problem document with `status`; returns its `code`.
    pub fn problem(&self, status: u16) -> String {
        assert_eq!(self.status.as_u16(), status, "{:#}", self.body);
        assert_eq!(
            self.content_type(),
            "application/problem+json",
            "{:#}",
            self.body
        );
        assert_eq!(self.body["status"], status, "{:#}", self.body);
        for key in ["type", "title", "detail", "code"] {
            assert!(
                self.body[key].is_string(),
                "problem without {key}: {:#}",
                self.body
            );
        }
        self.body["code"].as_str().unwrap_or_default().to_owned()
    }

    /// The fields named in a validation problem.
    pub fn error_fields(&self) -> Vec<String> {
        self.body["errors"]
            .as_array()
            .map(|errors| {
                errors
                    .iter()
                    .filter_map(|e| e["field"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// Makes `ring` the process's TLS provider: the webhook sender's rustls is built without a
/// default one, and reqwest's plain-HTTP clients here ask for it all the same.
pub fn install_tls_provider() {
    // Already installed (by an earlier call) is fine.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// A client asking for English messages unless a request names another language.
fn english_client() -> reqwest::Client {
    install_tls_provider();
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        reqwest::header::ACCEPT_LANGUAGE,
        reqwest::header::HeaderValue::from_static("en"),
    );
    reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .unwrap_or_else(|e| panic!("cannot build the HTTP client: {e}"))
}

fn hex_of(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn server_settings() -> Settings {
    Settings {
        admin_password: Some(duban_infra::config::Secret::new(ADMIN_PASSWORD)),
        log_level: std::env::var("DUBAN_TEST_LOG").unwrap_or_else(|_| "error".into()),
        // The background workers would sweep and deliver at the wall clock; tests that need
        // them call `sweep_once` / `deliver_once` / `erase_contact_details_once` at pinned
        // instants, or shorten these.
        sweeper_interval_seconds: u32::MAX,
        outbox_interval_seconds: u32::MAX,
        audit_checkpoint_interval_seconds: u32::MAX,
        audit_hmac_keys: Some(duban_infra::config::Secret::new(format!(
            "test-h1={}",
            hex_of(&HMAC_KEY)
        ))),
        audit_signing_keys: Some(duban_infra::config::Secret::new(format!(
            "test-s1={}",
            hex_of(&SIGNING_SEED)
        ))),
        retention_interval_seconds: u32::MAX,
        ..Settings::default()
    }
}

/// Settings on an empty database: a new schema in `DUBAN_TEST_DATABASE_URL` when that is a
/// PostgreSQL URL, else a new SQLite file.
fn empty_database_settings() -> (Settings, Scratch) {
    let mut settings = server_settings();
    match std::env::var("DUBAN_TEST_DATABASE_URL") {
        Ok(url) if url.starts_with("postgres") => {
            settings.database_url = url;
            settings.database_schema = Some(format!("t_{}", uuid::Uuid::now_v7().simple()));
            settings.database_max_connections = 5;
            (settings, Scratch::nothing())
        }
        _ => {
            let file = std::env::temp_dir()
                .join(format!("duban-test-{}.db", uuid::Uuid::now_v7().simple()));
            settings.database_url = format!("sqlite://{}?mode=rwc", file.display());
            (settings, Scratch::sqlite_file(file))
        }
    }
}

impl TestApp {
    /// Starts a server on a fresh database, logged in as the first admin.
    pub async fn spawn() -> Self {
        Self::spawn_with(|_| {}).await
    }

    /// As [`TestApp::spawn`], with settings changed first.
    pub async fn spawn_with(change: impl FnOnce(&mut Settings)) -> Self {
        let mut settings = server_settings();
        let scratch = template_db::migrated_copy(&mut settings).await;
        change(&mut settings);
        duban_api::telemetry::init(&settings);
        let clock = TestClock::default();
        let app = App::open(&settings, clock.shared())
            .await
            .unwrap_or_else(|e| panic!("cannot start: {e}"));
        let acceptor = poem::listener::Listener::into_acceptor(poem::listener::TcpListener::bind(
            "127.0.0.1:0",
        ))
        .await
        .unwrap_or_else(|e| panic!("cannot bind: {e}"));
        let port = App::local_port(&acceptor).unwrap_or_else(|| panic!("no port"));
        let (stop, stopped) = oneshot::channel::<()>();
        let state = app.state();
        tokio::spawn(app.serve_on(acceptor, async move {
            let _ = stopped.await;
        }));
        let mut test = Self {
            base: format!("http://127.0.0.1:{port}"),
            client: english_client(),
            admin: String::new(),
            settings,
            state,
            clock,
            _scratch: scratch,
            stop: Some(stop),
        };
        test.admin = test.login("admin", ADMIN_PASSWORD).await;
        test
    }

    /// A connection of its own to this server's database, for tests that call the storage
    /// layer directly (e.g. time limits at pinned dates, which HTTP cannot set).
    pub async fn database(&self) -> duban_infra::DatabaseConnection {
        duban_infra::db::connect(
            &self.settings.database_url,
            2,
            self.settings.database_schema.as_deref(),
        )
        .await
        .unwrap_or_else(|e| panic!("cannot open the test database: {e}"))
    }

    /// Sends a request; `token` adds the bearer header, `body` a JSON body.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Reply {
        self.call_with(method, path, token, body, &[]).await
    }

    /// As [`TestApp::call`] with extra headers.
    pub async fn call_with(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> Reply {
        self.send(&self.client, method, path, token, body, headers)
            .await
    }

    /// As [`TestApp::call`], sending `Accept-Language: language` or, for `None`, none at all
    /// (the other calls ask for English, in which the tests' expected texts are written).
    pub async fn call_in(
        &self,
        language: Option<&str>,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Reply {
        let headers: Vec<(&str, &str)> = language
            .map(|l| ("accept-language", l))
            .into_iter()
            .collect();
        install_tls_provider();
        self.send(&reqwest::Client::new(), method, path, token, body, &headers)
            .await
    }

    async fn send(
        &self,
        client: &reqwest::Client,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> Reply {
        let mut request = client.request(method, format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request
            .send()
            .await
            .unwrap_or_else(|e| panic!("request failed: {e}"));
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap_or_default();
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Reply {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, path: &str, token: &str) -> Reply {
        self.call(Method::GET, path, Some(token), None).await
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> Reply {
        self.call(Method::POST, path, Some(token), Some(body)).await
    }

    /// Logs in and returns the token; panics on failure.
    pub async fn login(&self, username: &str, password: &str) -> String {
        let reply = self
            .call(
                Method::POST,
                "/api/v1/auth/login",
                None,
                Some(json!({"username": username, "password": password})),
            )
            .await;
        assert_eq!(
            reply.status,
            StatusCode::OK,
            "login {username}: {:#}",
            reply.body
        );
        reply.body["token"].as_str().unwrap_or_default().to_owned()
    }

    /// Creates a unit as admin and returns its id.
    pub async fn create_unit(&self, name: &str, kind: &str, parent: Option<&str>) -> String {
        let reply = self
            .post(
                "/api/v1/units",
                &self.admin,
                json!({"name": name, "kind": kind, "parent_id": parent}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{:#}", reply.body);
        reply.body["id"].as_str().unwrap_or_default().to_owned()
    }

    /// Creates an account as admin and returns its id.
    pub async fn create_user(&self, username: &str, role: &str, unit: Option<&str>) -> String {
        let reply = self
            .post(
                "/api/v1/users",
                &self.admin,
                json!({"username": username, "display_name": username, "role": role,
                       "unit_id": unit, "password": STAFF_PASSWORD}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{:#}", reply.body);
        reply.body["id"].as_str().unwrap_or_default().to_owned()
    }

    /// Creates an account and logs it in; returns (id, token).
    pub async fn staff(&self, username: &str, role: &str, unit: Option<&str>) -> (String, String) {
        let id = self.create_user(username, role, unit).await;
        (id, self.login(username, STAFF_PASSWORD).await)
    }

    /// Registers a walk-in complaint against `unit` as `token`; returns the reply.
    pub async fn register_walk_in(&self, token: &str, unit: &str, account: &str) -> Reply {
        self.post(
            "/api/v1/complaints",
            token,
            json!({
                "channel": "walk_in",
                "respondent_unit_id": unit,
                "matter": "attitude",
                "account": account,
                "complainant": {"name": "Li Hua"}
            }),
        )
        .await
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// A fresh, migrated database without a server, for tests of the storage layer: a copy of
/// the migrated template (see [`template_db`]), removed on drop.
pub struct TestDatabase {
    pub url: String,
    pub schema: Option<String>,
    _scratch: Scratch,
}

impl TestDatabase {
    /// A copy of the migrated template.
    pub async fn fresh() -> Self {
        let mut settings = server_settings();
        let scratch = template_db::migrated_copy(&mut settings).await;
        Self {
            url: settings.database_url,
            schema: settings.database_schema,
            _scratch: scratch,
        }
    }

    /// As [`TestDatabase::fresh`] but not migrated: a new schema in `DUBAN_TEST_DATABASE_URL`
    /// on PostgreSQL, else a new SQLite file.
    pub fn empty() -> Self {
        let (settings, scratch) = empty_database_settings();
        Self {
            url: settings.database_url,
            schema: settings.database_schema,
            _scratch: scratch,
        }
    }

    /// A new connection pool to the database (call twice for two "processes").
    pub async fn connect(&self) -> duban_infra::DatabaseConnection {
        duban_infra::db::connect(&self.url, 5, self.schema.as_deref())
            .await
            .unwrap_or_else(|e| panic!("cannot open the test database: {e}"))
    }
}
