//! The `GET /metrics` handler. Open on the listen address unless `metrics_token` is set; then
//! the scraper sends it as `Authorization: Bearer <token>`.

use std::sync::Arc;

use duban_domain::clock::Clock;
use poem::http::{StatusCode, header};
use poem::web::Data;
use poem::{Request, Response, handler};
use sha2::{Digest, Sha256};

use super::Metrics;
use crate::state::AppState;

/// The token scrapers must present, when configured.
#[derive(Clone)]
pub struct ScrapeToken(pub Option<String>);

/// See the module documentation.
#[handler]
pub async fn scrape(
    req: &Request,
    state: Data<&Arc<AppState>>,
    metrics: Data<&Arc<Metrics>>,
    token: Data<&ScrapeToken>,
) -> poem::Result<Response> {
    if let Some(expected) = &token.0.0 {
        let given = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or_default();
        // Compare digests, so the comparison's time says nothing about the token.
        if Sha256::digest(given.as_bytes()) != Sha256::digest(expected.as_bytes()) {
            return Err(poem::Error::from_status(StatusCode::UNAUTHORIZED));
        }
    }
    let snapshot = duban_infra::operations::snapshot(&state.db)
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "metrics: cannot read the database");
            poem::Error::from_status(StatusCode::SERVICE_UNAVAILABLE)
        })?;
    let pool = duban_infra::operations::pool_use(&state.db);
    let body = metrics.render(&snapshot, pool, state.clock.now());
    Ok(Response::builder()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(body))
}
