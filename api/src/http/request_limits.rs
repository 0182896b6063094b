//! Bounds on what a request may make the service hold: the body (setting `max_body_bytes`),
//! the URL and the headers. A declared `Content-Length` over the limit is refused before a
//! byte of the body is read; a body without one (chunked) is read only up to the limit.
//! Refusals are problem details: 413, 414, 431.

use poem::http::StatusCode;
use poem::web::headers::{ContentLength, HeaderMapExt};
use poem::{Body, Endpoint, IntoResponse, Middleware, Request, Response, Result};
use poem_openapi::types::ToJSON;

use super::problem::problem;

/// The longest request target (path and query) accepted, in bytes.
pub const MAX_URL_BYTES: usize = 8 * 1024;
/// The most header bytes (names and values) accepted on one request.
pub const MAX_HEADER_BYTES: usize = 32 * 1024;

/// See the module documentation.
#[derive(Debug, Clone, Copy)]
pub struct RequestLimits {
    pub max_body_bytes: usize,
}

impl<E: Endpoint> Middleware<E> for RequestLimits {
    type Output = RequestLimitsEndpoint<E>;

    fn transform(&self, ep: E) -> Self::Output {
        RequestLimitsEndpoint {
            inner: ep,
            max_body_bytes: self.max_body_bytes,
        }
    }
}

pub struct RequestLimitsEndpoint<E> {
    inner: E,
    max_body_bytes: usize,
}

impl<E: Endpoint> Endpoint for RequestLimitsEndpoint<E> {
    type Output = Response;

    async fn call(&self, mut req: Request) -> Result<Self::Output> {
        let target = req.uri().path_and_query().map_or(0, |pq| pq.as_str().len());
        if target > MAX_URL_BYTES {
            return Ok(refusal(
                StatusCode::URI_TOO_LONG,
                "uri_too_long",
                &duban_domain::msg!("uri_too_long", max = MAX_URL_BYTES),
            ));
        }
        let header_bytes: usize = req
            .headers()
            .iter()
            .map(|(name, value)| name.as_str().len() + value.len())
            .sum();
        if header_bytes > MAX_HEADER_BYTES {
            return Ok(refusal(
                StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
                "headers_too_large",
                &duban_domain::msg!("headers_too_large", max = MAX_HEADER_BYTES),
            ));
        }
        match req.headers().typed_get::<ContentLength>() {
            Some(ContentLength(declared)) => {
                if usize::try_from(declared).map_or(true, |n| n > self.max_body_bytes) {
                    return Ok(self.too_large());
                }
            }
            None => {
                // No declared length: read at most the limit, then hand the bytes on.
                match req.take_body().into_bytes_limit(self.max_body_bytes).await {
                    Ok(bytes) => req.set_body(Body::from_bytes(bytes)),
                    Err(poem::error::ReadBodyError::PayloadTooLarge) => {
                        return Ok(self.too_large());
                    }
                    Err(e) => {
                        return Ok(refusal(
                            StatusCode::BAD_REQUEST,
                            "invalid_request",
                            &duban_domain::msg!("body_unreadable", reason = e),
                        ));
                    }
                }
            }
        }
        self.inner.call(req).await.map(IntoResponse::into_response)
    }
}

impl<E> RequestLimitsEndpoint<E> {
    fn too_large(&self) -> Response {
        refusal(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            &duban_domain::msg!("payload_too_large", max = self.max_body_bytes),
        )
    }
}

fn refusal(status: StatusCode, code: &str, detail: &duban_domain::message::Message) -> Response {
    let body = problem(status, code, detail).to_json().unwrap_or_default();
    let mut response = Response::builder()
        .status(status)
        .content_type("application/problem+json")
        .body(body.to_string());
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        // The unread body is not drained: the connection is closed instead.
        response.headers_mut().insert(
            poem::http::header::CONNECTION,
            poem::http::HeaderValue::from_static("close"),
        );
    }
    response
}
