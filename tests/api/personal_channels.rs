//! Notices by e-mail and SMS, end to end on a running server: staff give their address,
//! number and language, choose topics; the delivery worker sends each notice to a real SMTP
//! server (aiosmtpd, STARTTLS and AUTH) and an SMS gateway stub, in the recipient's
//! language, to exactly the people the inbox names; and a granted extension, or the result
//! of a case closed with the answer to follow, is told to the complainant by SMS and
//! recorded as told by the system.

use std::sync::Arc;

use duban_api::background::complainant_notices::tell_complainants_once;
use duban_api::background::delivery_channels;
use duban_infra::config::Language;

use duban_infra::config::{Secret, SmtpSecurity};
use duban_infra::notifications::{
    DeliveryChannels, Notification, NotificationSender, OutboxChannel, OutboxStatus, SendError,
    SendFuture, deliver_pass, outbox_entries,
};
use duban_tests::sms_stub::{SmsRequest, SmsStub};
use duban_tests::smtp_receiver::{ReceivedMail, SMTP_PASSWORD, SMTP_USER, SmtpMode, SmtpReceiver};
use duban_tests::{Reply, STAFF_PASSWORD, TestApp};
use reqwest::Method;
use serde_json::{Value, json};

const COMPLAINANT_PHONE: &str = "13900001111";
const HEAD_PHONE: &str = "+8613800138000";
fn ok(reply: Reply) -> Value {
    assert!(reply.status.is_success(), "{:#}", reply.body);
    reply.body
}

struct Channels {
    app: TestApp,
    smtp: SmtpReceiver,
    sms: SmsStub,
    intake: String,
    head: String,
    handler: String,
    section: String,
}

impl Channels {
    async fn start() -> Self {
        let smtp = SmtpReceiver::start(SmtpMode::StartTls);
        let sms = SmsStub::http().await;
        let (port, ca_file, gateway) = (
            smtp.port,
            smtp.ca_file.clone(),
            format!("{}/send", sms.base),
        );
        // The workers do not run (the test settings' intervals): each test runs its passes.
        let app = TestApp::spawn_with(move |s| {
            s.smtp_host = Some("127.0.0.1".into());
            s.smtp_port = Some(port);
            s.smtp_security = SmtpSecurity::Starttls;
            s.smtp_username = Some(SMTP_USER.into());
            s.smtp_password = Some(Secret::new(SMTP_PASSWORD));
            s.smtp_from = Some("duban <duban@agency.example>".into());
            s.smtp_ca_file = Some(ca_file);
            s.sms_gateway_url = Some(gateway);
        })
        .await;
        let agency = app.create_unit("Housing Bureau", "agency", None).await;
        let section = app
            .create_unit("Permits Section", "section", Some(&agency))
            .await;
        let (_, intake) = app.staff("intake1", "intake", None).await;
        ok(app
            .post(
                "/api/v1/users",
                &app.admin,
                json!({"username": "head1", "display_name": "Head", "role": "unit_head",
                       "unit_id": section, "password": STAFF_PASSWORD,
                       "email": "head1@agency.example", "phone": HEAD_PHONE,
                       "language": "en"}),
            )
            .await);
        let head = app.login("head1", STAFF_PASSWORD).await;
        let (_, handler) = app.staff("handler1", "unit_handler", Some(&section)).await;
        Self {
            app,
            smtp,
            sms,
            intake,
            head,
            handler,
            section,
        }
    }

    /// One delivery pass and one pass telling complainants, as the worker runs them, with
    /// the server's own channels; the receivers record each message before they answer.
    async fn pass(&self) {
        let channels = delivery_channels(&self.app.settings).unwrap_or_else(|e| panic!("{e}"));
        let db = self.app.database().await;
        let now = chrono::Utc::now() + chrono::TimeDelta::seconds(1);
        deliver_pass(&db, &channels, now, 3, chrono::TimeDelta::seconds(5))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        tell_complainants_once(
            &self.app.state,
            &channels,
            Language::ZhCn,
            &*self.app.state.clock,
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    }

    fn mails_to(&self, address: &str) -> Vec<ReceivedMail> {
        self.smtp
            .mails()
            .into_iter()
            .filter(|m| m.rcpt_tos.iter().any(|to| to == address))
            .collect()
    }

    fn texts_to(&self, phone: &str) -> Vec<Value> {
        self.sms
            .requests()
            .iter()
            .map(|r: &SmsRequest| serde_json::from_str(&r.body).unwrap_or_default())
            .filter(|body: &Value| body["to"] == phone)
            .collect()
    }

    /// A case-filed complaint from a complainant with a phone, with an order to the section.
    async fn order(&self) -> (String, String) {
        let (number, path) = self.case().await;
        let order = ok(self
            .app
            .post(
                &format!("{path}/supervision-orders"),
                &self.intake,
                json!({"unit_id": self.section, "opinion": "verify and answer"}),
            )
            .await)["id"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        (number, order)
    }

    /// A case-filed complaint in handling from a complainant with a phone: its number and
    /// path.
    async fn case(&self) -> (String, String) {
        let complaint = ok(self
            .app
            .post(
                "/api/v1/complaints",
                &self.intake,
                json!({"channel": "phone", "respondent_unit_id": self.section,
                       "matter": "efficiency", "account": "the permit took four months",
                       "complainant": {"name": "Chen Jing", "phone": COMPLAINANT_PHONE}}),
            )
            .await);
        let number = complaint["number"].as_str().unwrap_or_default().to_owned();
        let path = format!(
            "/api/v1/complaints/{}",
            complaint["id"].as_str().unwrap_or_default()
        );
        ok(self
            .app
            .post(
                &format!("{path}/screening"),
                &self.intake,
                json!({"outcome": "accepted", "explanation": "in scope"}),
            )
            .await);
        ok(self
            .app
            .post(
                &format!("{path}/classification"),
                &self.intake,
                json!({"type": "case_filed"}),
            )
            .await);
        (number, path)
    }
}

#[tokio::test]
async fn preferences_default_then_change_and_bad_input_changes_nothing() {
    let c = Channels::start().await;
    let mine = ok(c.app.get("/api/v1/notification-preferences", &c.head).await);
    assert_eq!(mine["email"], "head1@agency.example");
    assert_eq!(mine["phone"], HEAD_PHONE);
    assert_eq!(mine["language"], "en");
    assert_eq!(mine["configured"], json!({"email": true, "sms": true}));
    let topic = |prefs: &Value, name: &str| {
        prefs["topics"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|t| t["topic"] == name)
            .cloned()
            .unwrap_or_default()
    };
    assert_eq!(
        topic(&mine, "order.issued"),
        json!({"topic": "order.issued", "email": true, "sms": true})
    );
    assert_eq!(
        topic(&mine, "order.signed"),
        json!({"topic": "order.signed", "email": true, "sms": false})
    );

    let before = c
        .app
        .get("/api/v1/notification-preferences", &c.handler)
        .await;
    let tag = before.etag();
    assert!(!tag.is_empty(), "the preferences carry an ETag");
    let change = json!({"email": "handler1@agency.example",
                        "topics": [{"topic": "order.issued", "email": false}]});
    let changed = c
        .app
        .call_with(
            Method::PATCH,
            "/api/v1/notification-preferences",
            Some(&c.handler),
            Some(change.clone()),
            &[("If-Match", tag.as_str())],
        )
        .await;
    assert_ne!(changed.etag(), tag, "a change moves the ETag");
    let changed = ok(changed);
    // Based on the version before that change: stale.
    let stale = c
        .app
        .call_with(
            Method::PATCH,
            "/api/v1/notification-preferences",
            Some(&c.handler),
            Some(json!({"topics": [{"topic": "order.issued", "email": true}]})),
            &[("If-Match", tag.as_str())],
        )
        .await;
    assert_eq!(stale.status, 412, "{:#}", stale.body);
    assert_eq!(changed["email"], "handler1@agency.example");
    assert_eq!(
        topic(&changed, "order.issued"),
        json!({"topic": "order.issued", "email": false, "sms": true})
    );

    for bad in [
        json!({"email": "not an address", "topics": [{"topic": "order.signed", "sms": true}]}),
        json!({"phone": "call me", "topics": []}),
        json!({"email": "a,b@agency.example"}),
        json!({"topics": [{"topic": "order.signed", "sms": true}, {"topic": "no.such", "sms": true}]}),
        json!({"language": "fr"}),
    ] {
        let refused = c
            .app
            .call(
                Method::PATCH,
                "/api/v1/notification-preferences",
                Some(&c.handler),
                Some(bad.clone()),
            )
            .await;
        assert!(
            refused.status == 400 || refused.status == 422,
            "{bad}: {:#}",
            refused.body
        );
        assert!(
            refused
                .content_type()
                .starts_with("application/problem+json")
        );
    }
    let after = ok(c
        .app
        .get("/api/v1/notification-preferences", &c.handler)
        .await);
    assert_eq!(after, changed, "a refused change changed nothing");
}

#[tokio::test]
async fn an_issued_order_reaches_the_heads_mail_and_phone_in_their_language_and_nobody_else() {
    let c = Channels::start().await;
    // The handler gives an address but wants no e-mail of new orders.
    ok(c.app
        .call(
            Method::PATCH,
            "/api/v1/notification-preferences",
            Some(&c.handler),
            Some(json!({"email": "handler1@agency.example",
                        "topics": [{"topic": "order.issued", "email": false}]})),
        )
        .await);
    let (number, _order) = c.order().await;
    c.pass().await;

    let mails = c.mails_to("head1@agency.example");
    assert_eq!(mails.len(), 1, "{mails:#?}");
    let mail = &mails[0];
    assert!(mail.starttls, "sent after STARTTLS");
    assert_eq!(mail.login.as_deref(), Some(SMTP_USER));
    let subject = mail.header("subject").join("");
    assert!(subject.contains(&number), "{subject}");
    assert!(
        subject.starts_with("Supervision order"),
        "English: {subject}"
    );
    assert_eq!(mail.content_type, "multipart/alternative");
    assert!(
        mail.parts
            .iter()
            .any(|(kind, body)| kind == "text/html" && body.contains(&number))
    );

    let texts = c.texts_to(HEAD_PHONE);
    assert_eq!(texts.len(), 1, "{texts:#?}");
    let text = &texts[0];
    assert!(
        text["text"].as_str().unwrap_or_default().contains(&number),
        "{text}"
    );

    // Every message delivered in the pass, and the fan-out is the head's e-mail and SMS only
    // (the handler opted out of this topic by e-mail and has no phone).
    let db = c.app.database().await;
    let entries = outbox_entries(&db, Some("order.issued"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        entries.iter().all(|e| e.status == OutboxStatus::Delivered),
        "{entries:#?}"
    );
    let personal: Vec<_> = entries
        .iter()
        .filter(|e| e.channel != OutboxChannel::Primary)
        .collect();
    assert_eq!(personal.len(), 2, "one e-mail and one SMS: {personal:#?}");
    assert!(c.mails_to("handler1@agency.example").is_empty());
    for message in c.smtp.mails() {
        assert!(!message.raw.contains(COMPLAINANT_PHONE));
        assert!(!message.raw.contains("Chen Jing"));
    }
}

#[tokio::test]
async fn a_granted_extension_is_told_to_the_complainant_by_sms_and_recorded() {
    let c = Channels::start().await;
    let (number, order) = c.order().await;
    let order_path = format!("/api/v1/supervision-orders/{order}");
    ok(c.app
        .call(
            Method::POST,
            &format!("{order_path}/sign"),
            Some(&c.head),
            None,
        )
        .await);
    let asked = ok(c
        .app
        .post(
            &format!("{order_path}/extension-requests"),
            &c.head,
            json!({"working_days": 2, "reason": "the file is in the archive"}),
        )
        .await);
    let request = asked["extension_requests"][0]["id"]
        .as_str()
        .unwrap_or_default();
    let decided = ok(c
        .app
        .post(
            &format!("{order_path}/extension-requests/{request}/decision"),
            &c.intake,
            json!({"decision": "granted", "reason": "fair"}),
        )
        .await);
    assert_eq!(decided["complainant_notice"]["open"], true);

    c.pass().await;
    let texts = c.texts_to(COMPLAINANT_PHONE);
    assert_eq!(texts.len(), 1, "{texts:#?}");
    let words = texts[0]["text"].as_str().unwrap_or_default();
    assert!(words.contains(&number), "{words}");
    // The service's default language (zh-CN) and the new last day, as a date.
    assert!(words.contains("新的答复期限"), "{words}");

    let detail = ok(c.app.get(&order_path, &c.intake).await);
    assert_eq!(detail["complainant_notice"]["open"], false, "{detail:#}");
    assert_eq!(detail["complainant_notice"]["told_by_method"], "sms");
    assert!(detail["complainant_notice"].get("recorded_by").is_none());
    let queue = ok(c
        .app
        .get(
            "/api/v1/supervision-orders?complainant_notice=open",
            &c.intake,
        )
        .await);
    assert_eq!(queue["items"], json!([]), "no longer in intake's queue");
    c.pass().await;
    assert_eq!(
        c.texts_to(COMPLAINANT_PHONE).len(),
        1,
        "told once, not on every pass"
    );
}

#[tokio::test]
async fn a_case_closed_with_the_answer_to_follow_is_told_by_sms_and_recorded() {
    let c = Channels::start().await;
    let (number, path) = c.case().await;
    ok(c.app
        .post(
            &format!("{path}/close"),
            &c.intake,
            json!({"outcome": "退还多收的费用", "finding": "sustained", "answer_later": true}),
        )
        .await);

    c.pass().await;
    let texts = c.texts_to(COMPLAINANT_PHONE);
    assert_eq!(texts.len(), 1, "{texts:#?}");
    let words = texts[0]["text"].as_str().unwrap_or_default();
    assert!(words.contains(&number), "{words}");
    assert!(
        words.contains("已办结") && words.contains("退还多收的费用"),
        "{words}"
    );

    let closed = ok(c.app.get(&path, &c.intake).await);
    assert_eq!(closed["closing"]["answer"]["method"], "sms", "{closed:#}");
    let events = ok(c.app.get(&format!("{path}/events"), &c.intake).await);
    let told = events["items"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|e| e["kind"] == "complainant_told_result")
        .cloned()
        .unwrap_or_else(|| panic!("no complainant_told_result: {events:#}"));
    assert!(
        told["actor_id"].is_null(),
        "recorded by the system: {told:#}"
    );
    let owed = ok(c
        .app
        .get("/api/v1/complaints?answer_to_follow=open", &c.intake)
        .await);
    assert_eq!(owed["items"], json!([]), "no longer in intake's list");
    c.pass().await;
    assert_eq!(c.texts_to(COMPLAINANT_PHONE).len(), 1, "told once");
}

#[tokio::test]
async fn a_result_longer_than_one_sms_is_not_cut_short_but_left_to_intake() {
    let c = Channels::start().await;
    let (_, path) = c.case().await;
    let outcome = "退还多收的费用，并对窗口工作人员进行批评教育和业务培训。".repeat(4);
    ok(c.app
        .post(
            &format!("{path}/close"),
            &c.intake,
            json!({"outcome": outcome, "finding": "sustained", "answer_later": true}),
        )
        .await);
    c.pass().await;
    assert_eq!(c.texts_to(COMPLAINANT_PHONE), Vec::<Value>::new());
    let owed = ok(c
        .app
        .get("/api/v1/complaints?answer_to_follow=open", &c.intake)
        .await);
    assert_eq!(owed["items"].as_array().map(Vec::len), Some(1), "{owed:#}");
}

/// Counts sends per message id; yields mid-send so two workers interleave; fails every send
/// when `refuse` is set.
#[derive(Default)]
struct Counting {
    sends: std::sync::Mutex<Vec<String>>,
    refuse: bool,
}

impl NotificationSender for Counting {
    fn send<'a>(&'a self, message: &'a Notification) -> SendFuture<'a> {
        Box::pin(async move {
            tokio::task::yield_now().await;
            if self.refuse {
                return Err(SendError("the gateway is down".into()));
            }
            self.sends
                .lock()
                .map_err(|e| SendError(e.to_string()))?
                .push(message.payload.clone());
            Ok(())
        })
    }
}

impl Counting {
    fn count(&self) -> usize {
        self.sends.lock().map(|s| s.len()).unwrap_or_default()
    }
}

/// A server whose worker never runs, with one head reachable by e-mail and phone, and `n`
/// primary `order.issued` messages to them in the outbox.
async fn queued(n: usize) -> (TestApp, duban_infra::DatabaseConnection) {
    let app = TestApp::spawn().await;
    let agency = app.create_unit("Housing Bureau", "agency", None).await;
    let head = ok(app
        .post(
            "/api/v1/users",
            &app.admin,
            json!({"username": "head1", "display_name": "Head", "role": "unit_head",
                   "unit_id": agency, "password": STAFF_PASSWORD,
                   "email": "head1@agency.example", "phone": HEAD_PHONE}),
        )
        .await)["id"]
        .clone();
    let db = app.database().await;
    for round in 0..n {
        let payload = json!({"topic": "order.issued", "recipient_id": head,
                             "facts": {"number": format!("TS-{round}"), "round": "1"}});
        duban_infra::notifications::enqueue(&db, "order.issued", &payload, chrono::Utc::now())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    }
    (app, db)
}

/// A server whose worker never runs, with `n` cases closed with the answer to follow, each
/// from a complainant with a mobile.
async fn owing(n: usize) -> TestApp {
    let app = TestApp::spawn().await;
    let unit = app.create_unit("Housing Bureau", "agency", None).await;
    let (_, intake) = app.staff("intake1", "intake", None).await;
    for i in 0..n {
        let complaint = ok(app
            .post(
                "/api/v1/complaints",
                &intake,
                json!({"channel": "phone", "respondent_unit_id": unit, "matter": "efficiency",
                       "account": format!("permit {i} took four months"),
                       "complainant": {"name": "Chen Jing", "phone": format!("1390000{i:04}")}}),
            )
            .await);
        let path = format!(
            "/api/v1/complaints/{}",
            complaint["id"].as_str().unwrap_or_default()
        );
        for (action, body) in [
            (
                "screening",
                json!({"outcome": "accepted", "explanation": "in scope"}),
            ),
            ("classification", json!({"type": "case_filed"})),
            (
                "close",
                json!({"outcome": "refunded", "finding": "sustained", "answer_later": true}),
            ),
        ] {
            ok(app.post(&format!("{path}/{action}"), &intake, body).await);
        }
    }
    app
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_workers_tell_each_owed_result_once() {
    let app = owing(5).await;
    let (email, sms) = (Arc::new(Counting::default()), Arc::new(Counting::default()));
    let channels = channels(&email, &sms);
    let (a, b) = tokio::join!(
        tell_complainants_once(&app.state, &channels, Language::ZhCn, &*app.state.clock),
        tell_complainants_once(&app.state, &channels, Language::ZhCn, &*app.state.clock),
    );
    let (a, b) = (
        a.unwrap_or_else(|e| panic!("{e}")),
        b.unwrap_or_else(|e| panic!("{e}")),
    );
    assert_eq!(a.told + b.told, 5, "{a:?} {b:?}");
    assert_eq!(sms.count(), 5, "one text per complainant");
    assert_eq!(email.count(), 0);
}

fn channels(email: &Arc<Counting>, sms: &Arc<Counting>) -> DeliveryChannels {
    let mut channels =
        delivery_channels(&duban_api::Settings::default()).unwrap_or_else(|e| panic!("{e}"));
    channels.email = Some(email.clone());
    channels.sms = Some(sms.clone());
    channels
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_workers_fan_out_and_send_each_personal_message_once() {
    let (app, first) = queued(10).await;
    let second = app.database().await;
    let (email, sms) = (Arc::new(Counting::default()), Arc::new(Counting::default()));
    let channels = channels(&email, &sms);
    let now = chrono::Utc::now() + chrono::TimeDelta::seconds(1);
    let backoff = chrono::TimeDelta::seconds(5);
    let (a, b) = tokio::join!(
        deliver_pass(&first, &channels, now, 3, backoff),
        deliver_pass(&second, &channels, now, 3, backoff),
    );
    let (a, b) = (
        a.unwrap_or_else(|e| panic!("{e}")),
        b.unwrap_or_else(|e| panic!("{e}")),
    );
    // 10 primary messages, each fanned out once to an e-mail and an SMS.
    assert_eq!(a.delivered + b.delivered, 30, "{a:?} {b:?}");
    assert_eq!(email.count(), 10);
    assert_eq!(sms.count(), 10);
    let entries = outbox_entries(&first, Some("order.issued"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(entries.len(), 30);
    assert!(entries.iter().all(|e| e.status == OutboxStatus::Delivered));
}

#[tokio::test]
async fn a_failing_channel_is_retried_on_its_own() {
    let (_app, db) = queued(1).await;
    let email = Arc::new(Counting::default());
    let sms = Arc::new(Counting {
        refuse: true,
        ..Counting::default()
    });
    let channels = channels(&email, &sms);
    let now = chrono::Utc::now() + chrono::TimeDelta::seconds(1);
    let pass = deliver_pass(&db, &channels, now, 3, chrono::TimeDelta::seconds(5))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((pass.delivered, pass.retried), (2, 1), "{pass:?}");
    let entries = outbox_entries(&db, Some("order.issued"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let of = |channel: OutboxChannel| {
        entries
            .iter()
            .find(|e| e.channel == channel)
            .cloned()
            .unwrap_or_else(|| panic!("no {channel:?} message: {entries:#?}"))
    };
    assert_eq!(of(OutboxChannel::Primary).status, OutboxStatus::Delivered);
    assert_eq!(of(OutboxChannel::Email).status, OutboxStatus::Delivered);
    let text = of(OutboxChannel::Sms);
    assert_eq!(text.status, OutboxStatus::Pending);
    assert_eq!(text.attempts, 1);
    assert_eq!(text.last_error.as_deref(), Some("the gateway is down"));
    assert_eq!(text.parent_id, Some(of(OutboxChannel::Primary).id));
    // The e-mail went out in the head's language (none: the default, zh-CN).
    let sent = email.sends.lock().map(|s| s.clone()).unwrap_or_default();
    let mail: Value = serde_json::from_str(&sent[0]).unwrap_or_default();
    assert_eq!(mail["to"], "head1@agency.example");
    assert!(
        mail["subject"]
            .as_str()
            .unwrap_or_default()
            .contains("TS-0"),
        "{mail}"
    );
    assert!(mail["html"].as_str().unwrap_or_default().contains("<p>"));
}
