//! The middleware recording each request under its route template (`/api/v1/complaints/:id`,
//! never the raw path, so ids stay out of the labels).

use std::sync::Arc;
use std::time::Instant;

use poem::PathPattern;
use poem::http::Method;
use poem::{Endpoint, IntoResponse, Middleware, Request, Response, Result};

use super::Metrics;

/// See the module documentation. It sits inside the boundary, where errors are still errors
/// and carry the route they came from.
pub struct RequestMetrics {
    pub metrics: Arc<Metrics>,
}

impl<E: Endpoint> Middleware<E> for RequestMetrics {
    type Output = RequestMetricsEndpoint<E>;

    fn transform(&self, ep: E) -> Self::Output {
        RequestMetricsEndpoint {
            inner: ep,
            metrics: self.metrics.clone(),
        }
    }
}

pub struct RequestMetricsEndpoint<E> {
    inner: E,
    metrics: Arc<Metrics>,
}

/// Methods outside the standard set share one label value.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

impl<E: Endpoint> Endpoint for RequestMetricsEndpoint<E> {
    type Output = Response;

    async fn call(&self, req: Request) -> Result<Self::Output> {
        let method = method_label(req.method());
        let started = Instant::now();
        let result = self.inner.call(req).await.map(IntoResponse::into_response);
        let (status, pattern) = match &result {
            Ok(response) => (response.status(), response.data::<PathPattern>()),
            Err(err) => (err.status(), err.data::<PathPattern>()),
        };
        // Nothing matched: no pattern, or the empty one of the API's catch-all nest.
        let route = pattern
            .map(|p| &*p.0)
            .filter(|p| !p.is_empty())
            .unwrap_or("unmatched");
        self.metrics
            .observe_request(method, route, status.as_u16(), started.elapsed());
        result
    }
}
