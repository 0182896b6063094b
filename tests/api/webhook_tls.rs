//! The webhook sender over HTTPS: a local receiver with a self-signed certificate, trusted
//! through `webhook_ca_file`, gets the signed message; an untrusted certificate is a failed
//! attempt, never a delivery in clear.

use std::sync::Arc;
use std::time::Duration;

use chrono::TimeDelta;
use duban_infra::config::{NotificationSender as SenderChoice, Secret, Settings};
use duban_infra::notifications::{OutboxStatus, deliver_once, enqueue, sender_from_settings};
use duban_tests::TestDatabase;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::mpsc;

use crate::notifications::{SECRET, T0, assert_signed_at, entry_of};
use crate::warnings::at;

/// One request as the HTTPS receiver read it: its headers (lowercase names) and body.
struct Received {
    headers: Vec<(String, String)>,
    body: String,
}

impl Received {
    fn header(&self, name: &str) -> String {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }
}

/// An HTTPS receiver on 127.0.0.1 answering 200 to every request; returns its URL, the PEM
/// of its self-signed certificate, and the requests as they arrive.
async fn https_receiver() -> (String, String, mpsc::UnboundedReceiver<Received>) {
    let certified = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned()])
        .unwrap_or_else(|e| panic!("{e}"));
    let pem = certified.cert.pem();
    let chain = vec![CertificateDer::from(certified.cert.der().to_vec())];
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(
        certified.signing_key.serialize_der(),
    ));
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .and_then(|b| b.with_no_client_auth().with_single_cert(chain, key))
    .unwrap_or_else(|e| panic!("{e}"));
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let port = listener
        .local_addr()
        .unwrap_or_else(|e| panic!("{e}"))
        .port();
    let (arrived, requests) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            let arrived = arrived.clone();
            tokio::spawn(async move {
                // A failed handshake (an untrusting client) just ends this connection.
                let Ok(mut tls) = acceptor.accept(stream).await else {
                    return;
                };
                if let Some(request) = read_request(&mut tls).await {
                    let _ = tls
                        .write_all(
                            b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
                        )
                        .await;
                    let _ = tls.shutdown().await;
                    let _ = arrived.send(request);
                }
            });
        }
    });
    (format!("https://127.0.0.1:{port}/hook"), pem, requests)
}

/// Reads one HTTP/1.1 request with a `content-length` body.
async fn read_request(stream: &mut (impl AsyncReadExt + Unpin)) -> Option<Received> {
    let mut data = Vec::new();
    let mut buffer = [0_u8; 4096];
    let head_end = loop {
        let n = stream.read(&mut buffer).await.ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&buffer[..n]);
        if let Some(at) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
    };
    let head = String::from_utf8_lossy(&data[..head_end]).into_owned();
    let headers: Vec<(String, String)> = head
        .lines()
        .skip(1)
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    while data.len() < head_end + length {
        let n = stream.read(&mut buffer).await.ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&buffer[..n]);
    }
    let body = String::from_utf8_lossy(&data[head_end..head_end + length]).into_owned();
    Some(Received { headers, body })
}

fn webhook_settings(url: &str, ca_file: Option<std::path::PathBuf>) -> Settings {
    Settings {
        notification_sender: SenderChoice::Webhook,
        webhook_url: Some(url.to_owned()),
        webhook_secret: Some(Secret::new(SECRET)),
        webhook_ca_file: ca_file,
        webhook_timeout_seconds: 5,
        ..Settings::default()
    }
}

#[tokio::test]
async fn an_https_receiver_trusted_through_the_ca_file_gets_the_signed_message() {
    let database = TestDatabase::fresh().await;
    let db = database.connect().await;
    let (url, pem, mut requests) = https_receiver().await;
    let ca_file = std::env::temp_dir().join(format!("duban-ca-{}.pem", uuid::Uuid::now_v7()));
    std::fs::write(&ca_file, pem).unwrap_or_else(|e| panic!("{e}"));
    let sender = sender_from_settings(&webhook_settings(&url, Some(ca_file.clone())))
        .unwrap_or_else(|e| panic!("{e}"));
    let _ = std::fs::remove_file(&ca_file);
    let t0 = at(T0);
    let id = enqueue(&db, "test.topic", &json!({"n": 1}), t0)
        .await
        .unwrap_or_else(|e| panic!("{e}"));

    let report = deliver_once(&db, sender.as_ref(), t0, 3, TimeDelta::seconds(5))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.delivered, 1, "{report:?}");
    let received = tokio::time::timeout(Duration::from_secs(30), requests.recv())
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("nothing arrived"));
    assert_signed_at(&received.header("x-duban-signature"), &received.body, t0);
    assert_eq!(received.header("x-duban-message-id"), id.to_string());
    assert_eq!(received.header("x-duban-topic"), "test.topic");
    assert_eq!(received.body, r#"{"n":1}"#);
    assert_eq!(entry_of(&db, id).await.status, OutboxStatus::Delivered);
}

#[tokio::test]
async fn an_https_receiver_whose_certificate_is_not_trusted_gets_nothing() {
    let database = TestDatabase::fresh().await;
    let db = database.connect().await;
    let (url, _pem, mut requests) = https_receiver().await;
    let sender =
        sender_from_settings(&webhook_settings(&url, None)).unwrap_or_else(|e| panic!("{e}"));
    let t0 = at(T0);
    let id = enqueue(&db, "test.topic", &json!({"n": 2}), t0)
        .await
        .unwrap_or_else(|e| panic!("{e}"));

    let report = deliver_once(&db, sender.as_ref(), t0, 3, TimeDelta::seconds(5))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((report.delivered, report.retried), (0, 1), "{report:?}");
    let message = entry_of(&db, id).await;
    assert_eq!(message.status, OutboxStatus::Pending);
    assert!(
        message
            .last_error
            .as_deref()
            .is_some_and(|e| e.to_lowercase().contains("certificate")),
        "{message:#?}"
    );
    assert!(requests.try_recv().is_err(), "no request got through");
}
