//! The SMS gateway sender against an HTTP(S) stub: the URL, method and body templates filled
//! in with values escaped for where they land (JSON, form, query), the API key header, the
//! text cut to the gateway's limit in characters; refusals and untrusted certificates are
//! failed attempts (retried, then dead) with the gateway's answer recorded.

use std::sync::Arc;

use chrono::TimeDelta;
use duban_infra::DatabaseConnection;
use duban_infra::config::{Secret, Settings, SmsGatewayMethod};
use duban_infra::notifications::{
    NotificationSender, OutboxEntry, OutboxStatus, deliver_once, enqueue, sms_sender_from_settings,
};
use duban_tests::TestDatabase;
use duban_tests::sms_stub::{SmsRequest, SmsStub};
use serde_json::{Value, json};

use crate::notifications::{T0, entry_of};
use crate::warnings::at;

const PHONE: &str = "+86 138-0013-8000";
/// Quotes, an ampersand, a line break and Chinese: every escaping has work to do.
const TEXT: &str = "督办单\"第2轮\"已签发 & 请于3月5日前答复\n详见系统";

fn sms_settings(stub: &SmsStub) -> Settings {
    Settings {
        sms_gateway_url: Some(format!("{}/v1/sms", stub.base)),
        sms_gateway_body: Some(
            r#"{"mobile": "{to}", "content": "{text}", "outId": "{message_id}", "sign": "督办"}"#
                .into(),
        ),
        sms_gateway_header: Some(Secret::new("Authorization: Bearer sms-key-123")),
        sms_gateway_timeout_seconds: 5,
        ..Settings::default()
    }
}

fn sender_of(settings: &Settings) -> Arc<dyn NotificationSender> {
    sms_sender_from_settings(settings)
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("the SMS channel is configured"))
}

/// Enqueues `payload`, runs one delivery pass at T0 allowing `max_attempts`, and returns the
/// message afterwards.
async fn send_once(
    db: &DatabaseConnection,
    settings: &Settings,
    payload: &Value,
    max_attempts: u32,
) -> OutboxEntry {
    let id = enqueue(db, "order.issued", payload, at(T0))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    deliver_once(
        db,
        sender_of(settings).as_ref(),
        at(T0),
        max_attempts,
        TimeDelta::seconds(5),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    entry_of(db, id).await
}

fn only(stub: &SmsStub) -> SmsRequest {
    let requests = stub.requests();
    assert_eq!(requests.len(), 1, "{requests:#?}");
    requests[0].clone()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[tokio::test]
async fn a_json_post_carries_the_escaped_values_and_the_key_header() {
    let database = TestDatabase::fresh().await;
    let db = database.connect().await;
    let stub = SmsStub::http().await;
    let message = send_once(
        &db,
        &sms_settings(&stub),
        &json!({"to": PHONE, "text": TEXT}),
        3,
    )
    .await;
    assert_eq!(message.status, OutboxStatus::Delivered, "{message:#?}");

    let request = only(&stub);
    assert_eq!(
        (request.method.as_str(), request.path.as_str()),
        ("POST", "/v1/sms")
    );
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(request.header("authorization"), Some("Bearer sms-key-123"));
    let body: Value =
        serde_json::from_str(&request.body).unwrap_or_else(|e| panic!("{e}: {}", request.body));
    assert_eq!(
        body,
        json!({"mobile": PHONE, "content": TEXT, "outId": message.id.to_string(), "sign": "督办"})
    );
}

#[tokio::test]
async fn a_form_post_is_form_urlencoded() {
    let database = TestDatabase::fresh().await;
    let db = database.connect().await;
    let stub = SmsStub::http().await;
    let settings = Settings {
        sms_gateway_content_type: "application/x-www-form-urlencoded; charset=utf-8".into(),
        sms_gateway_body: Some("mobile={to}&msg={text}&id={message_id}".into()),
        ..sms_settings(&stub)
    };
    let message = send_once(&db, &settings, &json!({"to": PHONE, "text": TEXT}), 3).await;
    assert_eq!(message.status, OutboxStatus::Delivered, "{message:#?}");

    let request = only(&stub);
    assert_eq!(request.method, "POST");
    assert_eq!(
        request.header("content-type"),
        Some("application/x-www-form-urlencoded; charset=utf-8")
    );
    let id = message.id.to_string();
    assert_eq!(
        request.form(),
        pairs(&[("mobile", PHONE), ("msg", TEXT), ("id", &id)])
    );
    assert!(
        !request.body.contains(' ') && !request.body.contains('督'),
        "{}",
        request.body
    );
}

#[tokio::test]
async fn a_get_carries_the_values_in_the_query_and_no_body() {
    let database = TestDatabase::fresh().await;
    let db = database.connect().await;
    let stub = SmsStub::http().await;
    let settings = Settings {
        sms_gateway_url: Some(format!(
            "{}/send?apikey=k-1&mobile={{to}}&content={{text}}&id={{message_id}}",
            stub.base
        )),
        sms_gateway_method: SmsGatewayMethod::Get,
        sms_gateway_body: None,
        sms_gateway_header: None,
        ..sms_settings(&stub)
    };
    let message = send_once(&db, &settings, &json!({"to": PHONE, "text": TEXT}), 3).await;
    assert_eq!(message.status, OutboxStatus::Delivered, "{message:#?}");

    let request = only(&stub);
    assert_eq!(
        (request.method.as_str(), request.path.as_str()),
        ("GET", "/send")
    );
    let id = message.id.to_string();
    assert_eq!(
        request.query_pairs(),
        pairs(&[
            ("apikey", "k-1"),
            ("mobile", PHONE),
            ("content", TEXT),
            ("id", &id)
        ])
    );
    assert_eq!(request.body, "");
    assert_eq!(request.header("authorization"), None);
}

#[tokio::test]
async fn a_long_text_is_cut_to_the_limit_in_characters() {
    let database = TestDatabase::fresh().await;
    let db = database.connect().await;
    let stub = SmsStub::http().await;
    let settings = Settings {
        sms_max_chars: 12,
        ..sms_settings(&stub)
    };
    let long = "您单位有一件新的督办单，请在一个工作日内签收，逾期将亮黄牌。";
    let message = send_once(&db, &settings, &json!({"to": PHONE, "text": long}), 3).await;
    assert_eq!(message.status, OutboxStatus::Delivered, "{message:#?}");
    let body: Value = serde_json::from_str(&only(&stub).body).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(body["content"], "您单位有一件新的督办单…");
    assert_eq!(
        body["content"].as_str().map(|c| c.chars().count()),
        Some(12)
    );

    let short = "请签收督办单。";
    let message = send_once(&db, &settings, &json!({"to": PHONE, "text": short}), 3).await;
    assert_eq!(message.status, OutboxStatus::Delivered, "{message:#?}");
    let requests = stub.requests();
    let body: Value = serde_json::from_str(&requests[1].body).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(body["content"], short);
}

#[tokio::test]
async fn a_refusing_gateway_is_retried_then_dead_with_its_answer_recorded() {
    let database = TestDatabase::fresh().await;
    let db = database.connect().await;
    let stub = SmsStub::http().await;
    stub.answer_with(500);
    let sender = sender_of(&sms_settings(&stub));
    let id = enqueue(
        &db,
        "order.issued",
        &json!({"to": PHONE, "text": TEXT}),
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
    let error = message.last_error.clone().unwrap_or_default();
    assert!(
        error.contains("500") && error.contains("stub refuses"),
        "{error}"
    );

    let later = at(T0) + TimeDelta::seconds(5);
    let second = deliver_once(&db, sender.as_ref(), later, 2, TimeDelta::seconds(5))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(second.dead, 1, "{second:?}");
    assert_eq!(entry_of(&db, id).await.status, OutboxStatus::Dead);
    assert_eq!(stub.requests().len(), 2, "each attempt reached the gateway");
}

#[tokio::test]
async fn a_200_without_the_success_text_is_a_failed_attempt() {
    let database = TestDatabase::fresh().await;
    let db = database.connect().await;
    let stub = SmsStub::http().await;
    let settings = Settings {
        sms_success_text: Some(r#""Code":"OK""#.into()),
        ..sms_settings(&stub)
    };
    let payload = json!({"to": PHONE, "text": TEXT});
    stub.accept_with_body(r#"{"Code":"isv.BUSINESS_LIMIT_CONTROL","Message":"too many"}"#);
    let refused = send_once(&db, &settings, &payload, 3).await;
    assert_eq!(refused.status, OutboxStatus::Pending, "{refused:?}");
    let error = refused.last_error.clone().unwrap_or_default();
    assert!(error.contains("BUSINESS_LIMIT_CONTROL"), "{error}");

    stub.accept_with_body(r#"{"Code":"OK","BizId":"9001"}"#);
    let sent = send_once(&db, &settings, &payload, 3).await;
    assert_eq!(sent.status, OutboxStatus::Delivered, "{sent:?}");
    assert_eq!(stub.requests().len(), 2);
}

#[tokio::test]
async fn a_payload_without_a_number_is_a_failed_attempt_that_sends_nothing() {
    let database = TestDatabase::fresh().await;
    let db = database.connect().await;
    let stub = SmsStub::http().await;
    for payload in [json!({"text": TEXT}), json!({"to": " ", "text": TEXT})] {
        let message = send_once(&db, &sms_settings(&stub), &payload, 3).await;
        assert_eq!(message.status, OutboxStatus::Pending, "{payload}");
        assert!(
            message.last_error.is_some_and(|e| e.contains("payload")),
            "{payload}"
        );
    }
    assert!(stub.requests().is_empty());
}

#[tokio::test]
async fn an_https_gateway_is_reached_when_trusted_and_never_when_not() {
    let database = TestDatabase::fresh().await;
    let db = database.connect().await;
    let stub = SmsStub::https().await;
    let untrusted = send_once(
        &db,
        &sms_settings(&stub),
        &json!({"to": PHONE, "text": TEXT}),
        3,
    )
    .await;
    assert_eq!(untrusted.status, OutboxStatus::Pending);
    assert!(
        untrusted
            .last_error
            .as_deref()
            .is_some_and(|e| e.to_lowercase().contains("certificate")),
        "{untrusted:#?}"
    );
    assert!(stub.requests().is_empty(), "no request got through");

    let ca_file = std::env::temp_dir().join(format!("duban-sms-ca-{}.pem", uuid::Uuid::now_v7()));
    std::fs::write(&ca_file, stub.certificate_pem.clone().unwrap_or_default())
        .unwrap_or_else(|e| panic!("{e}"));
    let settings = Settings {
        sms_gateway_ca_file: Some(ca_file.clone()),
        ..sms_settings(&stub)
    };
    let sender = sender_of(&settings);
    let _ = std::fs::remove_file(&ca_file);
    let report = deliver_once(
        &db,
        sender.as_ref(),
        at(T0) + TimeDelta::seconds(5),
        3,
        TimeDelta::seconds(5),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.delivered, 1, "{report:?}");
    assert_eq!(
        entry_of(&db, untrusted.id).await.status,
        OutboxStatus::Delivered
    );
    let body: Value = serde_json::from_str(&only(&stub).body).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(body["content"], TEXT);
}
