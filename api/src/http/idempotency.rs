//! `Idempotency-Key` on every `POST` but logging in and out: the first answer to a key is
//! stored for the caller and given again, as first sent, to every retry with the same key and
//! body (`Idempotent-Replayed: true`); the same key with another body or on another operation
//! is refused with 422. The key is claimed before the operation runs, so of two concurrent
//! requests with one key only one runs; the other waits for its answer. An answer that is not
//! a success is not kept: the claim is released and a retry runs again.

use std::sync::Arc;
use std::time::{Duration, Instant};

use duban_domain::clock::Clock;
use duban_infra::idempotency::{Claim, IdempotencyStore, StoredAnswer};
use poem::http::{HeaderMap, HeaderValue, Method, StatusCode, header};

use poem::{Endpoint, IntoResponse, Middleware, Request, Response, Result};
use uuid::Uuid;

use super::disclosure::Disclosures;
use super::problem::{ApiError, render_poem_error};
use crate::state::AppState;

pub const HEADER: &str = "idempotency-key";
/// Sent with a replayed answer.
pub const REPLAYED: &str = "idempotent-replayed";
/// How long a retry waits for a concurrent first request to answer.
const WAIT_FOR_FIRST: Duration = Duration::from_secs(30);
const POLL: Duration = Duration::from_millis(50);

/// The key, or why it is refused: 1 to 255 visible ASCII characters.
fn parse_key(raw: &HeaderValue) -> Result<String, duban_domain::message::Message> {
    let bytes = raw.as_bytes();
    if bytes.is_empty() || bytes.len() > 255 || !bytes.iter().all(|b| (0x21..=0x7e).contains(b)) {
        return Err(duban_domain::msg!("idempotency_key_malformed"));
    }
    Ok(String::from_utf8_lossy(bytes).into_owned())
}

/// The operation and its body: a JSON body by its value, so that spacing does not count.
fn fingerprint(method: &Method, path_and_query: &str, body: &[u8]) -> String {
    duban_infra::fingerprint::request_fingerprint(method.as_str(), path_and_query, body)
}

/// The authenticated caller, if any (without one the operation answers 401 itself).
pub(super) async fn caller(state: &AppState, req: &Request) -> Option<Uuid> {
    let token = req
        .headers()
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")?;
    let user = state
        .sessions
        .authenticate(token.trim(), state.clock.now())
        .await
        .ok()??;
    Some(user.id.as_uuid())
}

fn header_text(headers: &HeaderMap, name: header::HeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

fn replay(answer: StoredAnswer) -> Response {
    let mut response = Response::builder()
        .status(StatusCode::from_u16(answer.status).unwrap_or(StatusCode::OK))
        .header(REPLAYED, "true");
    for (name, value) in [
        (header::CONTENT_TYPE, answer.content_type),
        (header::ETAG, answer.etag),
        (header::LOCATION, answer.location),
    ] {
        if let Some(value) = value.and_then(|v| HeaderValue::from_str(&v).ok()) {
            response = response.header(name, value);
        }
    }
    response.body(answer.body)
}

fn reused() -> Response {
    ApiError::unprocessable(
        "idempotency_key_reused",
        duban_domain::msg!("idempotency_key_reused"),
    )
    .into_response()
}

/// See the module documentation.
pub struct Idempotency;

impl<E: Endpoint> Middleware<E> for Idempotency {
    type Output = IdempotencyEndpoint<E>;

    fn transform(&self, ep: E) -> Self::Output {
        IdempotencyEndpoint { inner: ep }
    }
}

pub struct IdempotencyEndpoint<E> {
    inner: E,
}

impl<E: Endpoint> IdempotencyEndpoint<E> {
    async fn respond(&self, req: Request) -> Response {
        match self.inner.call(req).await {
            Ok(output) => output.into_response(),
            Err(err) if err.is_from_response() => err.into_response(),
            Err(err) => render_poem_error(&err),
        }
    }

    /// Runs the request that holds the claim and keeps its answer, or releases the claim.
    async fn run_first(
        &self,
        req: Request,
        store: &IdempotencyStore,
        user: Uuid,
        key: &str,
    ) -> Response {
        let disclosures = Disclosures::of(&req);
        let mut response = self.respond(req).await;
        if response.status().is_success() {
            let body = response.take_body().into_bytes().await.unwrap_or_default();
            let answer = StoredAnswer {
                status: response.status().as_u16(),
                content_type: header_text(response.headers(), header::CONTENT_TYPE),
                etag: header_text(response.headers(), header::ETAG),
                location: header_text(response.headers(), header::LOCATION),
                body: String::from_utf8_lossy(&body).into_owned(),
                disclosure: disclosures
                    .and_then(|d| d.to_stored(response.data::<poem_openapi::OperationId>())),
            };
            if let Err(e) = store.complete(user, key, answer).await {
                tracing::error!(error = %e, "the answer to an Idempotency-Key was not stored");
            }
            response.set_body(body);
        } else if let Err(e) = store.release(user, key).await {
            tracing::error!(error = %e, "an Idempotency-Key claim was not released");
        }
        response
    }
}

impl<E: Endpoint> Endpoint for IdempotencyEndpoint<E> {
    type Output = Response;

    async fn call(&self, mut req: Request) -> Result<Self::Output> {
        let keyed = req.method() == Method::POST && !req.uri().path().starts_with("/api/v1/auth/");
        let raw = req.headers().get(HEADER).cloned();
        let (true, Some(raw)) = (keyed, raw) else {
            return Ok(self.respond(req).await);
        };
        let key = match parse_key(&raw) {
            Ok(key) => key,
            Err(detail) => return Ok(ApiError::bad_request(detail).into_response()),
        };
        let Some(state) = req.data::<Arc<AppState>>().cloned() else {
            return Ok(self.respond(req).await);
        };
        let Some(user) = caller(&state, &req).await else {
            return Ok(self.respond(req).await);
        };
        let body = match req.take_body().into_bytes().await {
            Ok(body) => body,
            Err(e) => {
                return Ok(ApiError::bad_request(duban_domain::msg!(
                    "body_unreadable",
                    reason = e
                ))
                .into_response());
            }
        };
        let target = req
            .uri()
            .path_and_query()
            .map_or_else(|| req.uri().path().to_owned(), |p| p.as_str().to_owned());
        let fingerprint = fingerprint(req.method(), &target, &body);
        req.set_body(body);
        let store = IdempotencyStore::new(state.db.clone());
        let started = Instant::now();
        loop {
            let claim = store
                .claim(user, &key, &fingerprint, state.clock.now())
                .await;
            match claim {
                Err(e) => return Ok(ApiError::from(e).into_response()),
                Ok(Claim::Taken) => return Ok(self.run_first(req, &store, user, &key).await),
                Ok(Claim::Answered {
                    same_request: true,
                    answer,
                }) => {
                    if let Some(disclosures) = Disclosures::of(&req) {
                        disclosures.replayed(user, answer.disclosure.as_deref());
                    }
                    return Ok(replay(answer));
                }
                Ok(
                    Claim::Answered { .. }
                    | Claim::Running {
                        same_request: false,
                    },
                ) => {
                    return Ok(reused());
                }
                Ok(Claim::Running { same_request: true }) if started.elapsed() < WAIT_FOR_FIRST => {
                    tokio::time::sleep(POLL).await;
                }
                Ok(Claim::Running { .. }) => {
                    return Ok(ApiError::conflict(
                        "idempotency_key_in_progress",
                        duban_domain::msg!("idempotency_key_in_progress"),
                    )
                    .into_response());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_visible_ascii_and_fingerprints_ignore_spacing() {
        assert!(parse_key(&HeaderValue::from_static("call-2026-0001")).is_ok());
        for bad in ["", "has space"] {
            assert!(parse_key(&HeaderValue::from_static(bad)).is_err(), "{bad}");
        }
        let long = "k".repeat(256);
        assert!(
            parse_key(&HeaderValue::from_str(&long).unwrap_or(HeaderValue::from_static("")))
                .is_err()
        );
        let a = fingerprint(&Method::POST, "/x", br#"{"a": 1}"#);
        assert_eq!(a, fingerprint(&Method::POST, "/x", br#"{"a":1}"#));
        assert_ne!(a, fingerprint(&Method::POST, "/y", br#"{"a":1}"#));
        assert_ne!(a, fingerprint(&Method::POST, "/x", br#"{"a":2}"#));
    }
}
