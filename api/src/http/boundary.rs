//! The middleware around every route: assigns the request id, chooses the language of
//! messages from `Accept-Language`, turns any error into problem details, and writes one log
//! line per request.

use std::sync::Arc;
use std::time::Instant;

use poem::http::{HeaderValue, StatusCode, header};
use poem::{Endpoint, IntoResponse, Middleware, Request, Response, Result};
use tracing::Instrument;

use super::allow_header::AllowTable;
use super::problem::render_poem_error;
use super::request_id;
use crate::i18n::{self, Language};

/// See the module documentation.
pub struct Boundary {
    pub allow: Arc<AllowTable>,
    /// The language when `Accept-Language` names none we have.
    pub default_language: Language,
}

impl<E: Endpoint> Middleware<E> for Boundary {
    type Output = BoundaryEndpoint<E>;

    fn transform(&self, ep: E) -> Self::Output {
        BoundaryEndpoint {
            inner: ep,
            allow: self.allow.clone(),
            default_language: self.default_language,
        }
    }
}

pub struct BoundaryEndpoint<E> {
    inner: E,
    allow: Arc<AllowTable>,
    default_language: Language,
}

impl<E: Endpoint> Endpoint for BoundaryEndpoint<E> {
    type Output = Response;

    async fn call(&self, req: Request) -> Result<Self::Output> {
        let id = uuid::Uuid::now_v7().to_string();
        let method = req.method().clone();
        let path = req.uri().path().to_owned();
        let started = Instant::now();
        let language = i18n::negotiate(
            req.headers()
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok()),
            self.default_language,
        );
        // Every line logged while serving the request carries its id. At ERROR, so that the
        // span exists whatever level the log is filtered at: an info span would be disabled
        // under `log_level = "error"` and the fault lines would lose the id.
        let span = tracing::error_span!("request", request_id = %id);
        let served = request_id::scope(
            id.clone(),
            async {
                match self.inner.call(req).await {
                    Ok(output) => output.into_response(),
                    Err(err) if err.is_from_response() => err.into_response(),
                    Err(err) => render_poem_error(&err),
                }
            }
            .instrument(span.clone()),
        );
        let mut response = i18n::scope(language, served).await;
        if is_problem(&response) {
            let headers = response.headers_mut();
            headers.insert(
                header::CONTENT_LANGUAGE,
                HeaderValue::from_static(language.tag()),
            );
            headers.append(header::VARY, HeaderValue::from_static("accept-language"));
        }
        if let Ok(value) = HeaderValue::from_str(&id) {
            response.headers_mut().insert("x-request-id", value);
        }
        if response.status() == StatusCode::METHOD_NOT_ALLOWED
            && let Some(allow) = self
                .allow
                .allow_for(&path)
                .and_then(|a| HeaderValue::from_str(a).ok())
        {
            response.headers_mut().insert(header::ALLOW, allow);
        }
        let _entered = span.enter();
        let status = response.status().as_u16();
        let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
        // Health probes come every few seconds; they would drown the log at INFO.
        if path.starts_with("/health/") {
            tracing::debug!(method = %method, path = %path, status, latency_ms, "request");
        } else {
            tracing::info!(method = %method, path = %path, status, latency_ms, "request");
        }
        Ok(response)
    }
}

/// Problem details are the responses written in the negotiated language.
fn is_problem(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/problem+json"))
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::sync::{Arc, Mutex};

    use poem::{EndpointExt, IntoResponse};

    use super::*;
    use crate::http::problem::ApiError;

    /// Log output captured in memory.
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl Write for Captured {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            if let Ok(mut buffer) = self.0.lock() {
                buffer.extend_from_slice(bytes);
            }
            Ok(bytes.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl Captured {
        fn text(&self) -> String {
            self.0
                .lock()
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default()
        }
    }

    #[tokio::test]
    async fn the_fault_line_carries_the_request_id_the_client_is_told() {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new("error"))
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .json()
            .flatten_event(true)
            .finish();
        let _guard = tracing::subscriber::set_default(subscriber);
        let endpoint = poem::endpoint::make(|_| async {
            ApiError::internal("the disk is on fire").into_response()
        })
        .with(Boundary {
            allow: Arc::new(AllowTable::default()),
            default_language: Language::default(),
        });

        let response = endpoint
            .call(Request::builder().uri_str("/anything").finish())
            .await
            .unwrap_or_else(|e| panic!("{e}"));

        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let id = response
            .headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        assert!(!id.is_empty());
        let log = captured.text();
        let fault = log
            .lines()
            .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
            .find(|line| line["message"] == "internal fault")
            .unwrap_or_else(|| panic!("no fault line in {log}"));
        assert_eq!(fault["error"], "the disk is on fire", "{fault}");
        assert_eq!(fault["span"]["request_id"], id.as_str(), "{fault}");
    }
}
