//! The e-mail sender against a real SMTP server (aiosmtpd): STARTTLS with a self-signed
//! certificate trusted through `smtp_ca_file`, `AUTH`, plain text and HTML, the notification
//! id as `Message-ID`; refusals, bad credentials and untrusted certificates are failed
//! attempts (retried, then dead) with the server's words recorded.

use chrono::TimeDelta;
use duban_infra::DatabaseConnection;
use duban_infra::config::{Secret, Settings, SmtpSecurity};
use duban_infra::notifications::{
    NotificationSender, OutboxEntry, OutboxStatus, deliver_once, email_sender_from_settings,
    enqueue,
};
use duban_tests::TestDatabase;
use duban_tests::smtp_receiver::{SMTP_PASSWORD, SMTP_USER, SmtpMode, SmtpReceiver};
use serde_json::{Value, json};
use std::sync::Arc;
use uuid::Uuid;

use crate::notifications::{T0, entry_of};
use crate::warnings::at;

const SUBJECT: &str = "督办单已签发：请于 3 月 5 日前答复";
const TEXT: &str = "您单位收到一件督办单（第 2 轮）。\n请登录系统查看。";
const HTML: &str = "<p>您单位收到一件<b>督办单</b>（第 2 轮）。</p>";

fn email_settings(receiver: &SmtpReceiver, security: SmtpSecurity, trusted: bool) -> Settings {
    Settings {
        smtp_host: Some("127.0.0.1".into()),
        smtp_port: Some(receiver.port),
        smtp_security: security,
        smtp_username: Some(SMTP_USER.into()),
        smtp_password: Some(Secret::new(SMTP_PASSWORD)),
        smtp_from: Some("督办系统 <duban@agency.example>".into()),
        smtp_ca_file: trusted.then(|| receiver.ca_file.clone()),
        smtp_timeout_seconds: 20,
        ..Settings::default()
    }
}

fn sender_of(settings: &Settings) -> Arc<dyn NotificationSender> {
    email_sender_from_settings(settings)
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("the e-mail channel is configured"))
}

fn mail_to(to: &str) -> Value {
    json!({"to": to, "subject": SUBJECT, "text": TEXT, "html": HTML})
}

/// Enqueues `payload` and runs one delivery pass at T0 allowing `max_attempts`; returns the
/// message afterwards.
async fn send_once(
    db: &DatabaseConnection,
    sender: &dyn NotificationSender,
    payload: &Value,
    max_attempts: u32,
) -> OutboxEntry {
    let id = enqueue(db, "order.issued", payload, at(T0))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    deliver_once(db, sender, at(T0), max_attempts, TimeDelta::seconds(5))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    entry_of(db, id).await
}

fn error_of(message: &OutboxEntry) -> String {
    message.last_error.clone().unwrap_or_default()
}

#[tokio::test]
async fn a_mail_goes_over_starttls_with_auth_as_plain_text_and_html() {
    let database = TestDatabase::fresh().await;
    let db = database.connect().await;
    let receiver = SmtpReceiver::start(SmtpMode::StartTls);
    let sender = sender_of(&email_settings(&receiver, SmtpSecurity::Starttls, true));

    let message = send_once(&db, sender.as_ref(), &mail_to("head@unit.example"), 3).await;
    assert_eq!(
        message.status,
        OutboxStatus::Delivered,
        "{message:#?}\n{}",
        receiver.log()
    );

    let mails = receiver.mails();
    assert_eq!(mails.len(), 1, "{mails:#?}");
    let mail = &mails[0];
    assert!(mail.starttls && mail.tls, "{mail:#?}");
    assert_eq!(mail.login.as_deref(), Some(SMTP_USER));
    assert_eq!(mail.mail_from, "duban@agency.example");
    assert_eq!(mail.rcpt_tos, ["head@unit.example"]);
    assert_eq!(
        mail.header("message-id"),
        [format!("<{}@duban>", message.id)]
    );
    assert_eq!(mail.header("subject"), [SUBJECT]);
    assert_eq!(mail.header("to"), ["head@unit.example"]);
    assert_eq!(mail.header("from"), ["督办系统 <duban@agency.example>"]);
    assert_eq!(mail.header("date"), ["Mon, 02 Mar 2026 02:00:00 +0000"]);
    assert_eq!(mail.content_type, "multipart/alternative");
    // Mail has CRLF line ends.
    let parts: Vec<(&str, String)> = mail
        .parts
        .iter()
        .map(|(kind, content)| (kind.as_str(), content.trim_end().replace("\r\n", "\n")))
        .collect();
    assert_eq!(
        parts,
        [
            ("text/plain", TEXT.to_owned()),
            ("text/html", HTML.to_owned())
        ],
        "{}",
        mail.raw
    );
}

#[tokio::test]
async fn tls_from_the_first_byte_and_a_relay_on_this_host_in_clear_work_too() {
    let database = TestDatabase::fresh().await;
    let db = database.connect().await;
    for (mode, security, tls) in [
        (SmtpMode::Tls, SmtpSecurity::Tls, true),
        (SmtpMode::Plain, SmtpSecurity::None, false),
    ] {
        let receiver = SmtpReceiver::start(mode);
        let sender = sender_of(&email_settings(&receiver, security, true));
        let message = send_once(&db, sender.as_ref(), &mail_to("head@unit.example"), 3).await;
        assert_eq!(
            message.status,
            OutboxStatus::Delivered,
            "{message:#?}\n{}",
            receiver.log()
        );
        let mails = receiver.mails();
        assert_eq!(mails.len(), 1, "{security:?}: {mails:#?}");
        assert_eq!(
            (mails[0].tls, mails[0].starttls),
            (tls, false),
            "{security:?}"
        );
        assert_eq!(mails[0].login.as_deref(), Some(SMTP_USER), "{security:?}");
        assert_eq!(mails[0].header("subject"), [SUBJECT], "{security:?}");
    }
}

#[tokio::test]
async fn a_refused_recipient_is_retried_then_dead_with_the_servers_words() {
    let database = TestDatabase::fresh().await;
    let db = database.connect().await;
    let receiver = SmtpReceiver::start(SmtpMode::StartTls);
    let sender = sender_of(&email_settings(&receiver, SmtpSecurity::Starttls, true));
    let id = enqueue(
        &db,
        "order.issued",
        &mail_to("reject-me@unit.example"),
        at(T0),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));

    let first = deliver_once(&db, sender.as_ref(), at(T0), 2, TimeDelta::seconds(5))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((first.delivered, first.retried), (0, 1), "{first:?}");
    let message = entry_of(&db, id).await;
    assert_eq!(message.status, OutboxStatus::Pending);
    let error = error_of(&message);
    assert!(
        error.contains("550") && error.contains("no such mailbox here"),
        "{error}"
    );

    let second = deliver_once(
        &db,
        sender.as_ref(),
        at(T0) + TimeDelta::seconds(5),
        2,
        TimeDelta::seconds(5),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(second.dead, 1, "{second:?}");
    assert_eq!(entry_of(&db, id).await.status, OutboxStatus::Dead);
    assert!(receiver.mails().is_empty());
}

#[tokio::test]
async fn a_wrong_password_is_a_failed_attempt_and_nothing_is_sent() {
    let database = TestDatabase::fresh().await;
    let db = database.connect().await;
    let receiver = SmtpReceiver::start(SmtpMode::StartTls);
    let settings = Settings {
        smtp_password: Some(Secret::new("not-the-password")),
        ..email_settings(&receiver, SmtpSecurity::Starttls, true)
    };
    let message = send_once(
        &db,
        sender_of(&settings).as_ref(),
        &mail_to("head@unit.example"),
        3,
    )
    .await;
    assert_eq!(
        (message.status, message.attempts),
        (OutboxStatus::Pending, 1)
    );
    assert!(error_of(&message).contains("535"), "{message:#?}");
    assert!(receiver.mails().is_empty());
}

#[tokio::test]
async fn an_untrusted_certificate_is_a_failed_attempt_and_nothing_is_sent() {
    let database = TestDatabase::fresh().await;
    let db = database.connect().await;
    for (mode, security) in [
        (SmtpMode::StartTls, SmtpSecurity::Starttls),
        (SmtpMode::Tls, SmtpSecurity::Tls),
    ] {
        let receiver = SmtpReceiver::start(mode);
        let sender = sender_of(&email_settings(&receiver, security, false));
        let message = send_once(&db, sender.as_ref(), &mail_to("head@unit.example"), 3).await;
        assert_eq!(message.status, OutboxStatus::Pending, "{security:?}");
        assert!(
            error_of(&message).to_lowercase().contains("certificate"),
            "{security:?}: {message:#?}"
        );
        assert!(receiver.mails().is_empty(), "{security:?}");
    }
}

#[tokio::test]
async fn a_payload_of_another_shape_or_an_absent_server_is_a_failed_attempt() {
    let database = TestDatabase::fresh().await;
    let db = database.connect().await;
    let receiver = SmtpReceiver::start(SmtpMode::StartTls);
    let sender = sender_of(&email_settings(&receiver, SmtpSecurity::Starttls, true));
    let message = send_once(
        &db,
        sender.as_ref(),
        &json!({"to": "head@unit.example", "text": "t"}),
        3,
    )
    .await;
    assert_eq!(message.status, OutboxStatus::Pending);
    assert!(error_of(&message).contains("payload"), "{message:#?}");
    assert!(receiver.mails().is_empty());

    let port = receiver.port;
    drop(receiver);
    let message = send_once(&db, sender.as_ref(), &mail_to("head@unit.example"), 3).await;
    assert_eq!(message.status, OutboxStatus::Pending);
    assert!(
        error_of(&message).contains(&format!("127.0.0.1:{port}")),
        "{message:#?}"
    );
}

#[tokio::test]
async fn each_message_is_its_own_mail_and_keeps_its_id() {
    let database = TestDatabase::fresh().await;
    let db = database.connect().await;
    let receiver = SmtpReceiver::start(SmtpMode::StartTls);
    let sender = sender_of(&email_settings(&receiver, SmtpSecurity::Starttls, true));
    let mut ids: Vec<Uuid> = Vec::new();
    for to in ["a@unit.example", "b@unit.example"] {
        ids.push(
            enqueue(&db, "order.issued", &mail_to(to), at(T0))
                .await
                .unwrap_or_else(|e| panic!("{e}")),
        );
    }
    let report = deliver_once(&db, sender.as_ref(), at(T0), 3, TimeDelta::seconds(5))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.delivered, 2, "{report:?}\n{}", receiver.log());
    let mut got: Vec<(Vec<String>, Vec<String>)> = receiver
        .mails()
        .iter()
        .map(|m| {
            (
                m.rcpt_tos.clone(),
                m.header("message-id")
                    .iter()
                    .map(|s| (*s).to_owned())
                    .collect(),
            )
        })
        .collect();
    got.sort();
    let mut expected: Vec<(Vec<String>, Vec<String>)> = ["a@unit.example", "b@unit.example"]
        .iter()
        .zip(&ids)
        .map(|(to, id)| (vec![(*to).to_owned()], vec![format!("<{id}@duban>")]))
        .collect();
    expected.sort();
    assert_eq!(got, expected);
}
