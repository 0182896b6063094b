//! `GET /metrics` in the Prometheus text format: requests by route template and status with
//! latency histograms (recorded by [`RequestMetrics`]), the sweeper's passes (recorded by the
//! background worker) and, computed at scrape time, the connection pool, the outbox backlog,
//! open time limits by warning level and complaints by status.

mod endpoint;
mod registry;
mod requests;

pub use endpoint::{ScrapeToken, scrape};
pub use registry::Metrics;
pub use requests::RequestMetrics;
