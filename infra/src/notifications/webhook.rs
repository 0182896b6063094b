//! The webhook sender: POSTs the JSON body, signed with HMAC-SHA256.

use std::time::Duration;

use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::sender::{Notification, NotificationSender, SendError, SendFuture};
use crate::config::Secret;

/// The header carrying `sha256=<lowercase hex of HMAC-SHA256(secret, body)>`.
pub const SIGNATURE_HEADER: &str = "X-Duban-Signature";
/// The header carrying the message id (stable across retries).
pub const MESSAGE_ID_HEADER: &str = "X-Duban-Message-Id";
/// The header carrying the message topic.
pub const TOPIC_HEADER: &str = "X-Duban-Topic";

/// The value of [`SIGNATURE_HEADER`] for `body` signed with `secret`.
#[must_use]
pub fn signature(secret: &[u8], body: &[u8]) -> String {
    // HMAC takes keys of any length; `new_from_slice` cannot fail for it.
    let mac = <Hmac<Sha256> as Mac>::new_from_slice(secret)
        .map(|mac| mac.chain_update(body).finalize().into_bytes());
    match mac {
        Ok(bytes) => format!("sha256={}", hex::encode(bytes)),
        Err(_) => String::new(),
    }
}

/// Why a webhook sender could not be built.
#[derive(Debug, thiserror::Error)]
pub enum WebhookSetupError {
    #[error("webhook_url `{0}` is not a URL")]
    Url(String),
    #[error("webhook_url must use http:// (this build has no TLS client)")]
    Scheme,
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
    ///
    /// # Errors
    /// [`WebhookSetupError`] for a URL that is not `http://…`, or a client that cannot be built.
    pub fn new(url: &str, secret: Secret, timeout: Duration) -> Result<Self, WebhookSetupError> {
        let url = reqwest::Url::parse(url).map_err(|_| WebhookSetupError::Url(url.to_owned()))?;
        if url.scheme() != "http" {
            return Err(WebhookSetupError::Scheme);
        }
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .build()
            .map_err(|e| WebhookSetupError::Client(e.to_string()))?;
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
            let signed = signature(self.secret.expose().as_bytes(), body.as_bytes());
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

/// The error with its causes, e.g. "error sending request: connection refused".
fn describe(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_like_rfc_4231_test_case_2() {
        // RFC 4231, test case 2: key "Jefe", data "what do ya want for nothing?".
        assert_eq!(
            signature(b"Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn only_plain_http_urls_are_accepted() {
        let secret = || Secret::new("s");
        let timeout = Duration::from_secs(1);
        assert!(WebhookSender::new("http://127.0.0.1:9/hook", secret(), timeout).is_ok());
        assert!(matches!(
            WebhookSender::new("https://example.org/hook", secret(), timeout),
            Err(WebhookSetupError::Scheme)
        ));
        assert!(matches!(
            WebhookSender::new("not a url", secret(), timeout),
            Err(WebhookSetupError::Url(_))
        ));
    }
}
