//! The middleware around every route: assigns the request id, turns any error into problem
//! details, and writes one log line per request.

use std::sync::Arc;
use std::time::Instant;

use poem::http::{HeaderValue, StatusCode, header};
use poem::{Endpoint, IntoResponse, Middleware, Request, Response, Result};
use tracing::Instrument;

use super::allow_header::AllowTable;
use super::problem::render_poem_error;
use super::request_id;

/// See the module documentation.
pub struct Boundary {
    pub allow: Arc<AllowTable>,
}

impl<E: Endpoint> Middleware<E> for Boundary {
    type Output = BoundaryEndpoint<E>;

    fn transform(&self, ep: E) -> Self::Output {
        BoundaryEndpoint {
            inner: ep,
            allow: self.allow.clone(),
        }
    }
}

pub struct BoundaryEndpoint<E> {
    inner: E,
    allow: Arc<AllowTable>,
}

impl<E: Endpoint> Endpoint for BoundaryEndpoint<E> {
    type Output = Response;

    async fn call(&self, req: Request) -> Result<Self::Output> {
        let id = uuid::Uuid::now_v7().to_string();
        let method = req.method().clone();
        let path = req.uri().path().to_owned();
        let started = Instant::now();
        // Every line logged while serving the request carries its id.
        let span = tracing::info_span!("request", request_id = %id);
        let mut response = request_id::scope(
            id.clone(),
            async {
                match self.inner.call(req).await {
                    Ok(output) => output.into_response(),
                    Err(err) if err.is_from_response() => err.into_response(),
                    Err(err) => render_poem_error(&err),
                }
            }
            .instrument(span.clone()),
        )
        .await;
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
