//! The e-mail sender: each message's payload is one e-mail, sent over SMTP (STARTTLS or TLS
//! through rustls, or in clear to a relay on this host) with optional authentication.
//!
//! The payload is `{"to": …, "subject": …, "text": …, "html": …}`; the mail is
//! multipart/alternative (plain text, then HTML) with `Message-ID: <{notification id}@duban>`,
//! the same on every retry, so that receivers can drop duplicates.

use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, CertificateStore, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde::Deserialize;

use super::sender::{Notification, NotificationSender, SendError, SendFuture};
use super::tls::{TlsSetupError, describe_distinct as describe, extra_roots};
use crate::config::{Secret, SmtpSecurity};

/// Where and how mail is sent: the e-mail settings, checked.
#[derive(Debug, Clone)]
pub struct SmtpServer {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    /// User name and password for `AUTH`.
    pub credentials: Option<(String, Secret)>,
    /// The `From` of every mail and the envelope sender.
    pub from: Mailbox,
    /// The longest one mail may take, from connecting to the server's last answer.
    pub timeout: Duration,
    /// A PEM file of certificates trusted besides the Mozilla roots.
    pub ca_file: Option<PathBuf>,
}

/// Why an e-mail sender could not be built.
#[derive(Debug, thiserror::Error)]
pub enum EmailSetupError {
    #[error("smtp_ca_file {0}")]
    CaFile(String),
    #[error("cannot set up TLS for smtp_host `{host}`: {reason}")]
    Tls { host: String, reason: String },
}

/// One mail, as the fan-out writes it into the outbox.
#[derive(Debug, Deserialize)]
struct EmailPayload {
    to: String,
    subject: String,
    text: String,
    html: String,
}

/// Sends each message as one mail through one SMTP server. The server's acceptance of the
/// mail (`250` after `DATA`) within the timeout is a delivery; anything else is a failed
/// attempt.
pub struct EmailSender {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    server: SmtpServer,
}

impl std::fmt::Debug for EmailSender {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmailSender")
            .field("server", &self.server)
            .finish_non_exhaustive()
    }
}

impl EmailSender {
    /// A sender through `server`. Nothing is connected until the first send.
    ///
    /// # Errors
    /// [`EmailSetupError`] for an unreadable certificate file or TLS that cannot be set up.
    pub fn new(server: SmtpServer) -> Result<Self, EmailSetupError> {
        let tls_error = |e: lettre::transport::smtp::Error| EmailSetupError::Tls {
            host: server.host.clone(),
            reason: describe(&e),
        };
        let mut parameters = TlsParameters::builder(server.host.clone())
            .certificate_store(CertificateStore::WebpkiRoots);
        if let Some(path) = &server.ca_file {
            let certificates = extra_roots(path).map_err(|e| match e {
                TlsSetupError::CaFile { .. } => EmailSetupError::CaFile(e.to_string()),
                TlsSetupError::Client(reason) => EmailSetupError::Tls {
                    host: server.host.clone(),
                    reason,
                },
            })?;
            for certificate in certificates {
                let certificate = Certificate::from_der(certificate.to_vec()).map_err(tls_error)?;
                parameters = parameters.add_root_certificate(certificate);
            }
        }
        let parameters = parameters.build_rustls().map_err(tls_error)?;
        let tls = match server.security {
            SmtpSecurity::Starttls => Tls::Required(parameters),
            SmtpSecurity::Tls => Tls::Wrapper(parameters),
            SmtpSecurity::None => Tls::None,
        };
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&server.host)
            .port(server.port)
            .tls(tls)
            .timeout(Some(server.timeout));
        if let Some((username, password)) = &server.credentials {
            builder = builder.credentials(Credentials::new(
                username.clone(),
                password.expose().to_owned(),
            ));
        }
        Ok(Self {
            transport: builder.build(),
            server,
        })
    }

    /// The mail for `message`.
    fn mail(&self, message: &Notification) -> Result<Message, SendError> {
        let payload: EmailPayload = serde_json::from_str(&message.payload).map_err(|e| {
            SendError(format!(
                "the payload is not {{\"to\", \"subject\", \"text\", \"html\"}}: {e}"
            ))
        })?;
        let to: Mailbox = payload.to.parse().map_err(|e| {
            SendError(format!(
                "the payload's `to` is not an e-mail address: {}",
                describe(&e)
            ))
        })?;
        let subject = payload
            .subject
            .split(['\r', '\n'])
            .filter(|line| !line.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        Message::builder()
            .message_id(Some(mail_message_id(message)))
            .date(SystemTime::from(message.sent_at))
            .from(self.server.from.clone())
            .to(to)
            .subject(subject)
            .multipart(MultiPart::alternative_plain_html(
                payload.text,
                payload.html,
            ))
            .map_err(|e| SendError(format!("cannot build the mail: {}", describe(&e))))
    }
}

/// The `Message-ID` of every attempt at `message`.
#[must_use]
pub fn mail_message_id(message: &Notification) -> String {
    format!("<{}@duban>", message.id)
}

impl NotificationSender for EmailSender {
    fn send<'a>(&'a self, message: &'a Notification) -> SendFuture<'a> {
        Box::pin(async move {
            let mail = self.mail(message)?;
            let sent = tokio::time::timeout(self.server.timeout, self.transport.send(mail)).await;
            match sent {
                Ok(Ok(_)) => Ok(()),
                Ok(Err(e)) => Err(SendError(format!(
                    "SMTP {}:{}: {}",
                    self.server.host,
                    self.server.port,
                    describe(&e)
                ))),
                Err(_) => Err(SendError(format!(
                    "SMTP {}:{}: no answer within {} s",
                    self.server.host,
                    self.server.port,
                    self.server.timeout.as_secs()
                ))),
            }
        })
    }

    fn max_send_time(&self) -> Duration {
        self.server.timeout
    }
}

/// Whether the mailer can send to `address` (RFC 5321 as `lettre` parses it).
#[must_use]
pub fn is_deliverable_address(address: &str) -> bool {
    address.parse::<lettre::Address>().is_ok()
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;

    fn sender() -> EmailSender {
        EmailSender::new(SmtpServer {
            host: "127.0.0.1".into(),
            port: 9,
            security: SmtpSecurity::Starttls,
            credentials: None,
            from: "Duban <duban@example.org>"
                .parse()
                .unwrap_or_else(|e| panic!("{e}")),
            timeout: Duration::from_secs(1),
            ca_file: None,
        })
        .unwrap_or_else(|e| panic!("{e}"))
    }

    fn notification(payload: &str) -> Notification {
        Notification {
            id: uuid::Uuid::nil(),
            topic: "test.topic".into(),
            payload: payload.into(),
            sent_at: Utc
                .with_ymd_and_hms(2026, 3, 2, 2, 0, 0)
                .single()
                .unwrap_or_else(|| panic!("a valid instant")),
        }
    }

    #[test]
    fn the_mail_is_plain_and_html_with_the_notification_id_as_message_id() {
        let mail = sender()
            .mail(&notification(
                r#"{"to": "a@example.org", "subject": "Order\r\nissued", "text": "plain words", "html": "<p>html words</p>"}"#,
            ))
            .unwrap_or_else(|e| panic!("{e}"));
        let text = String::from_utf8_lossy(&mail.formatted()).into_owned();
        assert!(
            text.contains("Message-ID: <00000000-0000-0000-0000-000000000000@duban>"),
            "{text}"
        );
        assert!(text.contains("Subject: Order issued\r\n"), "{text}");
        assert!(
            text.contains("Date: Mon, 02 Mar 2026 02:00:00 +0000"),
            "{text}"
        );
        assert!(text.contains("multipart/alternative"), "{text}");
        assert!(text.contains("plain words") && text.contains("<p>html words</p>"));
    }

    #[test]
    fn a_payload_of_another_shape_or_a_bad_address_is_a_failed_attempt() {
        for payload in [
            r#"{"to": "a@example.org", "subject": "s", "text": "t"}"#,
            r#"{"to": "not an address", "subject": "s", "text": "t", "html": "h"}"#,
            "[]",
        ] {
            assert!(sender().mail(&notification(payload)).is_err(), "{payload}");
        }
    }

    #[test]
    fn an_unreadable_ca_file_is_named() {
        let mut server = sender().server;
        server.ca_file = Some("/nonexistent/ca.pem".into());
        let error = EmailSender::new(server)
            .map(|_| ())
            .map_err(|e| e.to_string());
        assert!(
            error
                .as_ref()
                .is_err_and(|e| e.starts_with("smtp_ca_file `/nonexistent/ca.pem`")),
            "{error:?}"
        );
    }
}
