//! Outbox delivery: the log and webhook senders, retries with doubling delays, dead messages,
//! two workers, and the background workers of `serve` delivering a sweeper's warnings to a
//! real local HTTP receiver.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use duban_api::App;
use duban_domain::limits::LimitKind;
use duban_infra::DatabaseConnection;
use duban_infra::config::{NotificationSender as SenderChoice, Secret};
use duban_infra::notifications::{
    DeliveryReport, LogSender, Notification, NotificationSender, OutboxEntry, OutboxStatus,
    SendError, SendFuture, WebhookSender, deliver_once, enqueue, outbox_entries,
    sender_from_settings,
};
use duban_tests::{TestApp, TestDatabase};
use hmac::{Hmac, Mac};
use poem::listener::{Listener, TcpListener};
use serde_json::json;
use sha2::Sha256;
use tokio::sync::{mpsc, oneshot};
use uuid::Uuid;

use crate::warnings::{Office, at};

pub const SECRET: &str = "webhook-secret-for-tests";
pub const T0: &str = "2026-03-02T10:00:00+08:00";

/// One request the receiver got.
#[derive(Debug, Clone)]
struct Hit {
    signature: String,
    message_id: String,
    topic: String,
    content_type: String,
    body: String,
}

/// A local HTTP receiver answering the scripted statuses in turn (the last one repeats).
struct Receiver {
    url: String,
    hits: Arc<Mutex<Vec<Hit>>>,
    arrived: mpsc::UnboundedReceiver<()>,
    _stop: oneshot::Sender<()>,
}

impl Receiver {
    async fn start(statuses: &[u16]) -> Self {
        let statuses: Arc<Vec<u16>> = Arc::new(statuses.to_vec());
        let hits: Arc<Mutex<Vec<Hit>>> = Arc::default();
        let (notify, arrived) = mpsc::unbounded_channel();
        let recorded = hits.clone();
        let endpoint = poem::endpoint::make(move |request: poem::Request| {
            let statuses = statuses.clone();
            let hits = recorded.clone();
            let notify = notify.clone();
            async move {
                let header = |name: &str| request.header(name).unwrap_or_default().to_owned();
                let mut hit = Hit {
                    signature: header("x-duban-signature"),
                    message_id: header("x-duban-message-id"),
                    topic: header("x-duban-topic"),
                    content_type: header("content-type"),
                    body: String::new(),
                };
                hit.body = request.into_body().into_string().await.unwrap_or_default();
                let count = {
                    let mut hits = hits.lock().unwrap_or_else(|e| panic!("{e}"));
                    hits.push(hit);
                    hits.len()
                };
                let _ = notify.send(());
                let status = statuses
                    .get(count - 1)
                    .or(statuses.last())
                    .copied()
                    .unwrap_or(200);
                poem::http::StatusCode::from_u16(status)
                    .unwrap_or(poem::http::StatusCode::INTERNAL_SERVER_ERROR)
            }
        });
        let acceptor = TcpListener::bind("127.0.0.1:0")
            .into_acceptor()
            .await
            .unwrap_or_else(|e| panic!("cannot bind: {e}"));
        let port = App::local_port(&acceptor).unwrap_or_else(|| panic!("no port"));
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(
            poem::Server::new_with_acceptor(acceptor).run_with_graceful_shutdown(
                endpoint,
                async move {
                    let _ = stopped.await;
                },
                None,
            ),
        );
        Self {
            url: format!("http://127.0.0.1:{port}/hook"),
            hits,
            arrived,
            _stop: stop,
        }
    }

    fn hits(&self) -> Vec<Hit> {
        self.hits.lock().unwrap_or_else(|e| panic!("{e}")).clone()
    }

    /// Waits (at most 30 s) until `count` requests have arrived in all.
    async fn until(&mut self, count: usize) -> Vec<Hit> {
        let waited = tokio::time::timeout(Duration::from_secs(30), async {
            while self.hits().len() < count {
                if self.arrived.recv().await.is_none() {
                    break;
                }
            }
        })
        .await;
        assert!(
            waited.is_ok(),
            "only {} requests arrived",
            self.hits().len()
        );
        self.hits()
    }

    fn sender(&self) -> WebhookSender {
        WebhookSender::new(&self.url, Secret::new(SECRET), Duration::from_secs(5), None)
            .unwrap_or_else(|e| panic!("{e}"))
    }
}

/// Checks a signature header (`t=<unix seconds>,v1=<hex>`) independently of the code under
/// test; returns its timestamp.
pub fn signed_at(header: &str, body: &str) -> i64 {
    let (t, v1) = header
        .strip_prefix("t=")
        .and_then(|rest| rest.split_once(",v1="))
        .unwrap_or_else(|| panic!("not a signature header: {header}"));
    let mut mac =
        <Hmac<Sha256> as Mac>::new_from_slice(SECRET.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    mac.update(format!("{t}.{body}").as_bytes());
    let expected: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(v1, expected, "{header}");
    t.parse().unwrap_or_else(|e| panic!("{header}: {e}"))
}

/// Checks the signature and that it was made at `sent_at`.
pub fn assert_signed_at(header: &str, body: &str, sent_at: DateTime<Utc>) {
    assert_eq!(signed_at(header, body), sent_at.timestamp(), "{header}");
}

fn assert_signed(hit: &Hit) {
    signed_at(&hit.signature, &hit.body);
}

fn seconds(n: i64) -> TimeDelta {
    TimeDelta::seconds(n)
}

async fn put(db: &DatabaseConnection, topic: &str, n: u32, now: DateTime<Utc>) -> Uuid {
    enqueue(db, topic, &json!({"n": n, "text": "预警"}), now)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

pub async fn entry_of(db: &DatabaseConnection, id: Uuid) -> OutboxEntry {
    entry(db, id).await
}

async fn entry(db: &DatabaseConnection, id: Uuid) -> OutboxEntry {
    outbox_entries(db, None)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .find(|m| m.id == id)
        .unwrap_or_else(|| panic!("no message {id}"))
}

async fn deliver(
    db: &DatabaseConnection,
    sender: &dyn NotificationSender,
    now: DateTime<Utc>,
    max_attempts: u32,
    backoff: TimeDelta,
) -> DeliveryReport {
    deliver_once(db, sender, now, max_attempts, backoff)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

fn report(attempted: usize, delivered: usize, retried: usize, dead: usize) -> DeliveryReport {
    DeliveryReport {
        attempted,
        delivered,
        retried,
        dead,
    }
}

#[tokio::test]
async fn a_receiver_that_fails_twice_gets_the_message_on_the_third_attempt() {
    let database = TestDatabase::fresh().await;
    let db = database.connect().await;
    let mut receiver = Receiver::start(&[500, 500, 200]).await;
    let sender = receiver.sender();
    let t0 = at(T0);
    let id = put(&db, "test.topic", 1, t0).await;
    let backoff = seconds(10);

    assert_eq!(
        deliver(&db, &sender, t0, 5, backoff).await,
        report(1, 0, 1, 0)
    );
    let first = entry(&db, id).await;
    assert_eq!(first.status, OutboxStatus::Pending);
    assert_eq!(first.attempts, 1);
    assert_eq!(first.available_at, t0 + seconds(10));
    assert!(
        first
            .last_error
            .as_deref()
            .is_some_and(|e| e.contains("500")),
        "{first:#?}"
    );
    // Not before the backoff has passed.
    assert_eq!(
        deliver(&db, &sender, t0 + seconds(9), 5, backoff).await,
        report(0, 0, 0, 0)
    );
    assert_eq!(
        deliver(&db, &sender, t0 + seconds(10), 5, backoff).await,
        report(1, 0, 1, 0)
    );
    let second = entry(&db, id).await;
    assert_eq!(second.attempts, 2);
    assert_eq!(
        second.available_at,
        t0 + seconds(10 + 20),
        "the delay doubled"
    );
    assert_eq!(
        deliver(&db, &sender, t0 + seconds(29), 5, backoff).await,
        report(0, 0, 0, 0)
    );
    assert_eq!(
        deliver(&db, &sender, t0 + seconds(30), 5, backoff).await,
        report(1, 1, 0, 0)
    );
    let delivered = entry(&db, id).await;
    assert_eq!(delivered.status, OutboxStatus::Delivered);
    assert_eq!(delivered.attempts, 3);
    assert_eq!(delivered.delivered_at, Some(t0 + seconds(30)));
    assert_eq!(delivered.last_error, None);
    // Delivered messages are never sent again.
    assert_eq!(
        deliver(&db, &sender, t0 + seconds(3600), 5, backoff).await,
        report(0, 0, 0, 0)
    );

    let hits = receiver.until(3).await;
    assert_eq!(hits.len(), 3);
    for (hit, sent_at) in hits.iter().zip([t0, t0 + seconds(10), t0 + seconds(30)]) {
        assert_signed_at(&hit.signature, &hit.body, sent_at);
        assert_eq!(
            hit.body, delivered.payload,
            "the stored JSON is sent as it is"
        );
        assert_eq!(hit.message_id, id.to_string(), "one id across retries");
        assert_eq!(hit.topic, "test.topic");
        assert_eq!(hit.content_type, "application/json");
    }
}

#[tokio::test]
async fn a_receiver_that_always_fails_makes_the_message_dead_after_the_last_attempt() {
    let database = TestDatabase::fresh().await;
    let db = database.connect().await;
    let mut receiver = Receiver::start(&[503]).await;
    let sender = receiver.sender();
    let t0 = at(T0);
    let id = put(&db, "test.topic", 1, t0).await;
    let backoff = seconds(5);
    let mut now = t0;
    let mut delays = Vec::new();
    for attempt in 1..=3 {
        let expected = if attempt < 3 {
            report(1, 0, 1, 0)
        } else {
            report(1, 0, 0, 1)
        };
        assert_eq!(deliver(&db, &sender, now, 3, backoff).await, expected);
        let message = entry(&db, id).await;
        assert_eq!(message.attempts, attempt);
        if attempt < 3 {
            assert_eq!(message.status, OutboxStatus::Pending);
            delays.push((message.available_at - now).num_seconds());
            now = message.available_at;
        } else {
            assert_eq!(message.status, OutboxStatus::Dead);
            assert!(message.last_error.is_some_and(|e| e.contains("503")));
            assert_eq!(message.delivered_at, None);
        }
    }
    assert_eq!(delays, [5, 10]);
    // Dead messages are never sent again.
    assert_eq!(
        deliver(&db, &sender, now + seconds(86_400), 3, backoff).await,
        report(0, 0, 0, 0)
    );
    assert_eq!(receiver.until(3).await.len(), 3);
}

#[tokio::test]
async fn a_receiver_that_does_not_listen_is_a_failed_attempt() {
    let database = TestDatabase::fresh().await;
    let db = database.connect().await;
    // Bind a port, then free it: nobody listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .unwrap_or_else(|e| panic!("{e}"))
        .port();
    let url = format!("http://127.0.0.1:{port}/hook");
    let sender = WebhookSender::new(&url, Secret::new(SECRET), Duration::from_secs(2), None)
        .unwrap_or_else(|e| panic!("{e}"));
    let id = put(&db, "test.topic", 1, at(T0)).await;
    let sent = deliver(&db, &sender, at(T0), 3, seconds(5)).await;
    assert_eq!(sent.attempted, 1);
    assert_eq!(sent.delivered, 0, "{sent:?}");
    let message = entry(&db, id).await;
    assert_eq!(message.attempts, 1);
    assert!(message.last_error.is_some(), "{message:#?}");
}

/// Counts sends per message; yields mid-send so that two workers interleave.
#[derive(Default)]
struct CountingSender {
    sends: Mutex<Vec<Uuid>>,
}

impl NotificationSender for CountingSender {
    fn send<'a>(&'a self, message: &'a Notification) -> SendFuture<'a> {
        Box::pin(async move {
            // Give the other worker its turn mid-send, without depending on the clock.
            tokio::task::yield_now().await;
            self.sends
                .lock()
                .map_err(|e| SendError(e.to_string()))?
                .push(message.id);
            Ok(())
        })
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_workers_send_each_due_message_once() {
    let database = TestDatabase::fresh().await;
    let (first, second) = (database.connect().await, database.connect().await);
    let t0 = at(T0);
    let mut due = Vec::new();
    for n in 0..20 {
        due.push(put(&first, "test.topic", n, t0).await);
    }
    let later = put(&first, "test.topic", 99, t0 + seconds(60)).await;
    let sender = CountingSender::default();
    let (a, b) = tokio::join!(
        deliver(&first, &sender, t0, 3, seconds(5)),
        deliver(&second, &sender, t0, 3, seconds(5)),
    );
    assert_eq!(a.delivered + b.delivered, 20, "{a:?} {b:?}");
    let mut sent = sender
        .sends
        .lock()
        .unwrap_or_else(|e| panic!("{e}"))
        .clone();
    sent.sort();
    due.sort();
    assert_eq!(
        sent, due,
        "each due message exactly once, the later one not yet"
    );
    let pending = entry(&first, later).await;
    assert_eq!(pending.status, OutboxStatus::Pending);
    assert_eq!(pending.attempts, 0);
    // The log sender delivers it once it is due.
    assert_eq!(
        deliver(&first, &LogSender, t0 + seconds(60), 3, seconds(5)).await,
        report(1, 1, 0, 0)
    );
    assert_eq!(entry(&first, later).await.status, OutboxStatus::Delivered);
}

#[test]
fn the_webhook_sender_needs_its_url_and_secret() {
    let mut settings = duban_api::Settings {
        notification_sender: SenderChoice::Webhook,
        ..duban_api::Settings::default()
    };
    assert!(
        sender_from_settings(&settings).is_err(),
        "no URL, no secret"
    );
    settings.webhook_url = Some("http://127.0.0.1:9/hook".into());
    assert!(sender_from_settings(&settings).is_err(), "no secret");
    settings.webhook_secret = Some(Secret::new(SECRET));
    assert!(sender_from_settings(&settings).is_ok());
    settings.webhook_url = Some("ftp://127.0.0.1/hook".into());
    assert!(sender_from_settings(&settings).is_err(), "not http");
    assert!(
        sender_from_settings(&duban_api::Settings::default()).is_ok(),
        "log"
    );
}

#[tokio::test]
async fn the_server_sweeps_and_delivers_warnings_to_the_webhook_in_the_background() {
    let mut receiver = Receiver::start(&[200]).await;
    let url = receiver.url.clone();
    let app = TestApp::spawn_with(|settings| {
        settings.sweeper_interval_seconds = 1;
        settings.outbox_interval_seconds = 1;
        settings.notification_sender = SenderChoice::Webhook;
        settings.webhook_url = Some(url);
        settings.webhook_secret = Some(Secret::new(SECRET));
    })
    .await;
    let office = Office::open_with(app).await;
    let complaint = office.complaint("background").await;
    // Due 24:00 on 2026-03-04, red since 2026-03-12: the wall clock is later than that.
    office
        .start_limit(complaint, LimitKind::Reply, "2026-03-02T10:00:00+08:00", 2)
        .await;

    let hits = receiver.until(3).await;
    let mut told = Vec::new();
    for hit in &hits {
        assert_signed(hit);
        assert_eq!(hit.topic, "warning.level_changed");
        let payload: serde_json::Value =
            serde_json::from_str(&hit.body).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(payload["complaint_id"], complaint.to_string());
        assert_eq!(payload["from"], "none");
        assert_eq!(payload["level"], "red");
        told.push(
            payload["recipient_id"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
        );
    }
    told.sort();
    let mut expected: Vec<String> = [office.head, office.handlers[0], office.handlers[1]]
        .iter()
        .map(Uuid::to_string)
        .collect();
    expected.sort();
    assert_eq!(told, expected);
    let events = office.warning_events(complaint).await;
    assert_eq!(events.len(), 1, "{events:#?}");
    assert_eq!(events[0]["data"]["to"], "red");
    assert_eq!(events[0]["actor_id"], serde_json::Value::Null);
}
