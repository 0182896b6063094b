//! The SMS sender: each message's payload `{"to": …, "text": …}` is one request to an HTTP(S)
//! gateway whose URL, method and body are templates (providers differ; no vendor SDK). The
//! text is cut to the gateway's length limit first. A 2xx answer is a delivery.

use std::path::PathBuf;
use std::time::Duration;

use reqwest::header::{CONTENT_TYPE, HeaderName, HeaderValue};
use serde::Deserialize;

use super::sender::{Notification, NotificationSender, SendError, SendFuture};
use super::sms_template::{Escaping, Values, cut, substitute, unknown_placeholder, uses};
use super::tls::{TlsSetupError, describe, http_client};
use crate::config::{Secret, SmsGatewayMethod};

/// The body sent when none is configured, by content type.
const DEFAULT_JSON_BODY: &str = r#"{"to":"{to}","text":"{text}","message_id":"{message_id}"}"#;
const DEFAULT_FORM_BODY: &str = "to={to}&text={text}&message_id={message_id}";
/// Kept of a refusing gateway's answer in the error.
const MAX_ANSWER_CHARS: usize = 200;

/// The gateway settings.
#[derive(Debug, Clone)]
pub struct SmsGateway {
    /// The URL template; its placeholders are percent-encoded.
    pub url: String,
    pub method: SmsGatewayMethod,
    /// The body template (POST only); `None` for the default of JSON and form bodies.
    pub body: Option<String>,
    pub content_type: String,
    /// One header sent with every request, `Name: value` (e.g. an API key).
    pub header: Option<Secret>,
    /// The longest text the gateway takes, in characters.
    pub max_chars: usize,
    /// Text a 2xx answer must contain to count as sent; `None`: every 2xx counts.
    pub success_text: Option<String>,
    pub timeout: Duration,
    /// A PEM file of certificates trusted besides the Mozilla roots.
    pub ca_file: Option<PathBuf>,
}

/// Why an SMS gateway sender could not be built.
#[derive(Debug, thiserror::Error)]
pub enum SmsSetupError {
    #[error(
        "sms_gateway_url must be an https:// or http:// URL once its placeholders are filled in"
    )]
    Url,
    #[error(
        "sms_gateway_url and sms_gateway_body may use only the placeholders {{to}}, {{text}} and {{message_id}}, not {{{0}}}"
    )]
    Placeholder(String),
    #[error("the SMS gateway request must carry {{{0}}} (in sms_gateway_url or sms_gateway_body)")]
    Missing(&'static str),
    #[error("sms_gateway_method = get sends no body: put the placeholders in sms_gateway_url")]
    BodyWithGet,
    #[error(
        "sms_gateway_content_type `{0}` is not one we can write values into (application/json, application/x-www-form-urlencoded, application/xml, text/xml, text/plain, …+json, …+xml)"
    )]
    ContentType(String),
    #[error("sms_gateway_content_type `{0}` has no default body: set sms_gateway_body")]
    NoDefaultBody(String),
    #[error("sms_gateway_header must read `Name: value` with a valid header name and value")]
    Header,
    #[error("sms_max_chars must be at least 1")]
    MaxChars,
    #[error("sms_gateway_ca_file {0}")]
    CaFile(String),
    #[error("cannot build the HTTP client: {0}")]
    Client(String),
}

/// The checked request templates.
#[derive(Debug, Clone)]
struct Request {
    url: String,
    /// The body template and its escaping (POST).
    body: Option<(String, Escaping)>,
    header: Option<(HeaderName, HeaderValue)>,
}

impl SmsGateway {
    /// The request templates, checked without sending anything.
    ///
    /// # Errors
    /// [`SmsSetupError`] naming the setting that is wrong.
    pub fn check(&self) -> Result<(), SmsSetupError> {
        self.request().map(|_| ())
    }

    fn request(&self) -> Result<Request, SmsSetupError> {
        if self.max_chars == 0 {
            return Err(SmsSetupError::MaxChars);
        }
        let body = match self.method {
            SmsGatewayMethod::Get if self.body.is_some() => return Err(SmsSetupError::BodyWithGet),
            SmsGatewayMethod::Get => None,
            SmsGatewayMethod::Post => {
                let escaping = Escaping::for_content_type(&self.content_type)
                    .ok_or_else(|| SmsSetupError::ContentType(self.content_type.clone()))?;
                let template = match (&self.body, escaping) {
                    (Some(body), _) => body.clone(),
                    (None, Escaping::Json) => DEFAULT_JSON_BODY.to_owned(),
                    (None, Escaping::Form) => DEFAULT_FORM_BODY.to_owned(),
                    (None, _) => {
                        return Err(SmsSetupError::NoDefaultBody(self.content_type.clone()));
                    }
                };
                Some((template, escaping))
            }
        };
        let templates = [
            Some(self.url.as_str()),
            body.as_ref().map(|(t, _)| t.as_str()),
        ];
        for template in templates.iter().flatten() {
            if let Some(name) = unknown_placeholder(template) {
                return Err(SmsSetupError::Placeholder(name.to_owned()));
            }
        }
        for needed in ["to", "text"] {
            if !templates.iter().flatten().any(|t| uses(t, needed)) {
                return Err(SmsSetupError::Missing(needed));
            }
        }
        let sample = Values {
            to: "+8613800138000",
            text: "测试 text",
            message_id: "00000000-0000-0000-0000-000000000000",
        };
        parse_url(&substitute(&self.url, &sample, Escaping::Url)).ok_or(SmsSetupError::Url)?;
        let header = self.header.as_ref().map(header_of).transpose()?;
        Ok(Request {
            url: self.url.clone(),
            body,
            header,
        })
    }
}

fn parse_url(url: &str) -> Option<reqwest::Url> {
    reqwest::Url::parse(url)
        .ok()
        .filter(|url| matches!(url.scheme(), "https" | "http") && url.host().is_some())
}

/// The header of `Name: value`; the value is kept out of debug output.
fn header_of(line: &Secret) -> Result<(HeaderName, HeaderValue), SmsSetupError> {
    let (name, value) = line.expose().split_once(':').ok_or(SmsSetupError::Header)?;
    let name = HeaderName::from_bytes(name.trim().as_bytes()).map_err(|_| SmsSetupError::Header)?;
    let mut value = HeaderValue::from_str(value.trim()).map_err(|_| SmsSetupError::Header)?;
    value.set_sensitive(true);
    Ok((name, value))
}

/// One text message, as the fan-out writes it into the outbox.
#[derive(Debug, Deserialize)]
struct SmsPayload {
    to: String,
    text: String,
}

/// Sends each message as one request to the gateway.
pub struct SmsGatewaySender {
    client: reqwest::Client,
    gateway: SmsGateway,
    request: Request,
}

impl std::fmt::Debug for SmsGatewaySender {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmsGatewaySender")
            .field("gateway", &self.gateway)
            .finish_non_exhaustive()
    }
}

impl SmsGatewaySender {
    /// A sender to `gateway`. HTTPS gateways are trusted by the Mozilla roots and by the PEM
    /// certificates of `gateway.ca_file`.
    ///
    /// # Errors
    /// [`SmsSetupError`] for templates that [`SmsGateway::check`] refuses, an unreadable
    /// certificate file, or a client that cannot be built.
    pub fn new(gateway: SmsGateway) -> Result<Self, SmsSetupError> {
        let request = gateway.request()?;
        let client =
            http_client(gateway.timeout, gateway.ca_file.as_deref()).map_err(|e| match e {
                TlsSetupError::CaFile { .. } => SmsSetupError::CaFile(e.to_string()),
                TlsSetupError::Client(reason) => SmsSetupError::Client(reason),
            })?;
        Ok(Self {
            client,
            gateway,
            request,
        })
    }

    fn http_request(&self, message: &Notification) -> Result<reqwest::RequestBuilder, SendError> {
        let payload: SmsPayload = serde_json::from_str(&message.payload)
            .map_err(|e| SendError(format!("the payload is not {{\"to\", \"text\"}}: {e}")))?;
        if payload.to.trim().is_empty() {
            return Err(SendError("the payload's `to` is empty".into()));
        }
        let message_id = message.id.to_string();
        let values = Values {
            to: payload.to.trim(),
            text: &cut(&payload.text, self.gateway.max_chars),
            message_id: &message_id,
        };
        let url = parse_url(&substitute(&self.request.url, &values, Escaping::Url))
            .ok_or_else(|| SendError("the gateway URL is not a URL once filled in".into()))?;
        let mut request = match &self.request.body {
            None => self.client.get(url),
            Some((template, escaping)) => self
                .client
                .post(url)
                .header(CONTENT_TYPE, self.gateway.content_type.as_str())
                .body(substitute(template, &values, *escaping)),
        };
        if let Some((name, value)) = &self.request.header {
            request = request.header(name.clone(), value.clone());
        }
        Ok(request)
    }
}

impl NotificationSender for SmsGatewaySender {
    fn send<'a>(&'a self, message: &'a Notification) -> SendFuture<'a> {
        Box::pin(async move {
            // The URL may carry the provider's key: errors do not repeat it.
            let response = self
                .http_request(message)?
                .send()
                .await
                .map_err(|e| SendError(describe(&e.without_url())))?;
            let status = response.status();
            if status.is_success() && self.gateway.success_text.is_none() {
                return Ok(());
            }
            let answer = response.text().await.unwrap_or_default();
            if let Some(expected) = self.gateway.success_text.as_deref()
                && status.is_success()
            {
                if answer.contains(expected) {
                    return Ok(());
                }
                let answer: String = answer.chars().take(MAX_ANSWER_CHARS).collect();
                return Err(SendError(format!(
                    "the gateway answered {status} without `{expected}`: {answer}"
                )));
            }
            let answer: String = answer.chars().take(MAX_ANSWER_CHARS).collect();
            Err(SendError(format!(
                "the gateway answered {status}: {answer}"
            )))
        })
    }

    fn max_send_time(&self) -> Duration {
        self.gateway.timeout
    }

    fn max_text_chars(&self) -> Option<usize> {
        Some(self.gateway.max_chars)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gateway() -> SmsGateway {
        SmsGateway {
            url: "https://sms.example.cn/send".into(),
            method: SmsGatewayMethod::Post,
            body: None,
            content_type: "application/json".into(),
            header: Some(Secret::new("Authorization: Bearer k-123")),
            max_chars: 70,
            success_text: None,
            timeout: Duration::from_secs(1),
            ca_file: None,
        }
    }

    #[test]
    fn the_default_settings_make_a_json_post() {
        assert!(gateway().check().is_ok());
        let form = SmsGateway {
            content_type: "application/x-www-form-urlencoded".into(),
            ..gateway()
        };
        assert!(form.check().is_ok());
        let get = SmsGateway {
            url: "http://127.0.0.1:9/send?m={to}&c={text}".into(),
            method: SmsGatewayMethod::Get,
            ..gateway()
        };
        assert!(get.check().is_ok());
    }

    #[test]
    fn templates_that_cannot_work_are_refused() {
        let refused = |gateway: SmsGateway| gateway.check().map_err(|e| e.to_string()).err();
        let cases = [
            SmsGateway {
                url: "ftp://sms.example.cn/{to}".into(),
                ..gateway()
            },
            SmsGateway {
                url: "not a url".into(),
                ..gateway()
            },
            SmsGateway {
                body: Some(r#"{"m": "{phone}", "c": "{text}"}"#.into()),
                ..gateway()
            },
            SmsGateway {
                body: Some(r#"{"c": "{text}"}"#.into()),
                ..gateway()
            },
            SmsGateway {
                method: SmsGatewayMethod::Get,
                ..gateway()
            },
            SmsGateway {
                method: SmsGatewayMethod::Get,
                body: Some("{to}{text}".into()),
                ..gateway()
            },
            SmsGateway {
                content_type: "multipart/form-data".into(),
                ..gateway()
            },
            SmsGateway {
                content_type: "text/plain".into(),
                ..gateway()
            },
            SmsGateway {
                header: Some(Secret::new("no colon")),
                ..gateway()
            },
            SmsGateway {
                header: Some(Secret::new("bad name: v")),
                ..gateway()
            },
            SmsGateway {
                max_chars: 0,
                ..gateway()
            },
        ];
        for case in cases {
            let shown = format!("{case:?}");
            assert!(refused(case).is_some(), "{shown}");
        }
        assert!(
            refused(SmsGateway {
                body: Some(r#"{"c": "{text}"}"#.into()),
                ..gateway()
            })
            .is_some_and(|e| e.contains("{to}")),
        );
    }

    #[test]
    fn the_api_key_header_stays_out_of_debug_output() {
        let sender = SmsGatewaySender::new(gateway()).unwrap_or_else(|e| panic!("{e}"));
        assert!(!format!("{sender:?}").contains("k-123"));
    }

    #[test]
    fn an_unreadable_ca_file_is_named() {
        let gateway = SmsGateway {
            ca_file: Some("/nonexistent/ca.pem".into()),
            ..gateway()
        };
        let error = SmsGatewaySender::new(gateway)
            .map(|_| ())
            .map_err(|e| e.to_string());
        assert!(
            error
                .as_ref()
                .is_err_and(|e| e.starts_with("sms_gateway_ca_file `/nonexistent/ca.pem`")),
            "{error:?}"
        );
    }
}
