//! The webhook sender: POSTs the JSON body over HTTPS (or HTTP to a local receiver), signed
//! with HMAC-SHA256 over the send time and the body so that receivers can refuse replays.

use std::path::Path;
use std::time::Duration;

use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::sender::{Notification, NotificationSender, SendError, SendFuture};
use super::tls::{TlsSetupError, describe, http_client};
use crate::config::Secret;

/// The header carrying `t=<unix seconds>,v1=<lowercase hex of HMAC-SHA256(secret, "<t>." ‖ body)>`.
pub const SIGNATURE_HEADER: &str = "X-Duban-Signature";
/// The header carrying the message id (stable across retries).
pub const MESSAGE_ID_HEADER: &str = "X-Duban-Message-Id";
/// The header carrying the message topic.
pub const TOPIC_HEADER: &str = "X-Duban-Topic";

/// The value of [`SIGNATURE_HEADER`] for `body` sent at `timestamp` (Unix seconds), signed
/// with `secret`.
#[must_use]
pub fn signature(secret: &[u8], timestamp: i64, body: &[u8]) -> String {
    // HMAC takes keys of any length; `new_from_slice` cannot fail for it.
    let mac = <Hmac<Sha256> as Mac>::new_from_slice(secret).map(|mac| {
        mac.chain_update(format!("{timestamp}.").as_bytes())
            .chain_update(body)
            .finalize()
            .into_bytes()
    });
    match mac {
        Ok(bytes) => format!("t={timestamp},v1={}", hex::encode(bytes)),
        Err(_) => String::new(),
    }
}

/// Why a webhook sender could not be built.
#[derive(Debug, thiserror::Error)]
pub enum WebhookSetupError {
    #[error("webhook_url `{0}` is not a URL")]
    Url(String),
    #[error("webhook_url must use https:// or http://")]
    Scheme,
    #[error("webhook_ca_file `{path}`: {reason}")]
    CaFile { path: String, reason: String },
    #[error("cannot build the HTTP client: {0}")]
    Client(String),
}

/// POSTs each message's JSON to one URL. A 2xx answer within the timeout is a delivery;
/// anything else is a failed attempt.
pub struct WebhookSender {
    client: reqwest::Client,
    url: reqwest::Url,
    secret: Secret,
    timeout: Duration,
}

impl std::fmt::Debug for WebhookSender {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookSender")
            .field("url", &self.url.as_str())
            .field("secret", &self.secret)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl WebhookSender {
    /// A sender to `url`, signing with `secret`, giving up on a request after `timeout`.
    /// HTTPS receivers are trusted by the Mozilla root certificates, and also by the PEM
    /// certificates in `extra_roots` (a private CA, or a receiver's self-signed certificate).
    ///
    /// # Errors
    /// [`WebhookSetupError`] for a URL that is not `https://…` or `http://…`, an unreadable
    /// certificate file, or a client that cannot be built.
    pub fn new(
        url: &str,
        secret: Secret,
        timeout: Duration,
        extra_roots: Option<&Path>,
    ) -> Result<Self, WebhookSetupError> {
        let url = reqwest::Url::parse(url).map_err(|_| WebhookSetupError::Url(url.to_owned()))?;
        if !matches!(url.scheme(), "https" | "http") {
            return Err(WebhookSetupError::Scheme);
        }
        let client = http_client(timeout, extra_roots).map_err(|e| match e {
            TlsSetupError::CaFile { path, reason } => WebhookSetupError::CaFile { path, reason },
            TlsSetupError::Client(reason) => WebhookSetupError::Client(reason),
        })?;
        Ok(Self {
            client,
            url,
            secret,
            timeout,
        })
    }
}

impl NotificationSender for WebhookSender {
    fn send<'a>(&'a self, message: &'a Notification) -> SendFuture<'a> {
        Box::pin(async move {
            let body = message.payload.clone();
            let signed = signature(
                self.secret.expose().as_bytes(),
                message.sent_at.timestamp(),
                body.as_bytes(),
            );
            let response = self
                .client
                .post(self.url.clone())
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .header(SIGNATURE_HEADER, signed)
                .header(MESSAGE_ID_HEADER, message.id.to_string())
                .header(TOPIC_HEADER, message.topic.as_str())
                .body(body)
                .send()
                .await
                .map_err(|e| SendError(describe(&e)))?;
            let status = response.status();
            if status.is_success() {
                Ok(())
            } else {
                Err(SendError(format!("the receiver answered {status}")))
            }
        })
    }

    fn max_send_time(&self) -> Duration {
        self.timeout
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_the_timestamp_and_the_body() {
        let signed = signature(b"Jefe", 1_700_000_000, b"{}");
        let mac = <Hmac<Sha256> as Mac>::new_from_slice(b"Jefe")
            .map(|m| m.chain_update(b"1700000000.{}").finalize().into_bytes())
            .map(hex::encode)
            .unwrap_or_default();
        assert_eq!(signed, format!("t=1700000000,v1={mac}"));
        assert_ne!(signed, signature(b"Jefe", 1_700_000_001, b"{}"));
        assert_ne!(signed, signature(b"Jefe", 1_700_000_000, b"{ }"));
    }

    #[test]
    fn https_and_http_urls_are_accepted_and_nothing_else() {
        let secret = || Secret::new("s");
        let timeout = Duration::from_secs(1);
        for url in ["http://127.0.0.1:9/hook", "https://example.org/hook"] {
            assert!(
                WebhookSender::new(url, secret(), timeout, None).is_ok(),
                "{url}"
            );
        }
        assert!(matches!(
            WebhookSender::new("ftp://example.org/hook", secret(), timeout, None),
            Err(WebhookSetupError::Scheme)
        ));
        assert!(matches!(
            WebhookSender::new("not a url", secret(), timeout, None),
            Err(WebhookSetupError::Url(_))
        ));
        assert!(matches!(
            WebhookSender::new(
                "https://example.org/hook",
                secret(),
                timeout,
                Some(Path::new("/nonexistent/ca.pem"))
            ),
            Err(WebhookSetupError::CaFile { .. })
        ));
    }
}
