//! The service's metric families, one registry per running application.

use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, Utc};
use duban_infra::operations::{OperationsSnapshot, PoolUse};
use prometheus::{
    Encoder, Gauge, HistogramOpts, HistogramVec, IntGauge, IntGaugeVec, Opts, Registry, TextEncoder,
};

/// See the module documentation.
pub struct Metrics {
    registry: Registry,
    requests: HistogramVec,
    sweep_duration: Gauge,
    sweep_lag: Gauge,
    last_sweep: Mutex<Option<DateTime<Utc>>>,
    started: DateTime<Utc>,
    pool: IntGaugeVec,
    outbox_pending: IntGauge,
    outbox_oldest_age: Gauge,
    open_limits: IntGaugeVec,
    complaints: IntGaugeVec,
}

impl Metrics {
    /// # Errors
    /// A metric definition the registry refuses (a programming error).
    pub fn new(started: DateTime<Utc>) -> Result<Self, prometheus::Error> {
        let registry = Registry::new();
        let requests = HistogramVec::new(
            HistogramOpts::new(
                "duban_http_requests_duration_seconds",
                "HTTP requests by method, route template and status, with their latency",
            )
            .buckets(vec![
                0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
            ]),
            &["method", "route", "status"],
        )?;
        let sweep_duration = Gauge::new(
            "duban_sweeper_last_pass_duration_seconds",
            "How long the deadline sweeper's last pass took",
        )?;
        let sweep_lag = Gauge::new(
            "duban_sweeper_lag_seconds",
            "Seconds since the sweeper's last completed pass (since start before the first)",
        )?;
        let pool = IntGaugeVec::new(
            Opts::new(
                "duban_db_pool_connections",
                "Database pool connections: open, idle and the configured maximum",
            ),
            &["state"],
        )?;
        let outbox_pending = IntGauge::new(
            "duban_outbox_pending",
            "Notifications waiting in the outbox for delivery",
        )?;
        let outbox_oldest_age = Gauge::new(
            "duban_outbox_oldest_pending_age_seconds",
            "Age of the oldest notification waiting in the outbox (0 when none)",
        )?;
        let open_limits = IntGaugeVec::new(
            Opts::new(
                "duban_time_limits_open",
                "Running time limits by warning level",
            ),
            &["level"],
        )?;
        let complaints = IntGaugeVec::new(
            Opts::new("duban_complaints", "Complaints by status"),
            &["status"],
        )?;
        registry.register(Box::new(requests.clone()))?;
        registry.register(Box::new(sweep_duration.clone()))?;
        registry.register(Box::new(sweep_lag.clone()))?;
        registry.register(Box::new(pool.clone()))?;
        registry.register(Box::new(outbox_pending.clone()))?;
        registry.register(Box::new(outbox_oldest_age.clone()))?;
        registry.register(Box::new(open_limits.clone()))?;
        registry.register(Box::new(complaints.clone()))?;
        Ok(Self {
            registry,
            requests,
            sweep_duration,
            sweep_lag,
            last_sweep: Mutex::new(None),
            started,
            pool,
            outbox_pending,
            outbox_oldest_age,
            open_limits,
            complaints,
        })
    }

    /// Records one served request.
    pub fn observe_request(&self, method: &str, route: &str, status: u16, latency: Duration) {
        self.requests
            .with_label_values(&[method, route, &status.to_string()])
            .observe(latency.as_secs_f64());
    }

    /// Records a completed sweeper pass.
    pub fn observe_sweep(&self, took: Duration, finished: DateTime<Utc>) {
        self.sweep_duration.set(took.as_secs_f64());
        if let Ok(mut last) = self.last_sweep.lock() {
            *last = Some(finished);
        }
    }

    /// The text exposition, with the scrape-time gauges set from `snapshot` and `pool`.
    pub fn render(
        &self,
        snapshot: &OperationsSnapshot,
        pool: PoolUse,
        now: DateTime<Utc>,
    ) -> String {
        let seconds_since =
            |then: DateTime<Utc>| (now - then).num_milliseconds().max(0) as f64 / 1000.0;
        let last = self.last_sweep.lock().ok().and_then(|last| *last);
        self.sweep_lag
            .set(seconds_since(last.unwrap_or(self.started)));
        self.pool
            .with_label_values(&["open"])
            .set(i64::from(pool.size));
        self.pool
            .with_label_values(&["idle"])
            .set(i64::from(pool.idle));
        self.pool
            .with_label_values(&["max"])
            .set(i64::from(pool.max));
        self.outbox_pending.set(snapshot.outbox_pending);
        self.outbox_oldest_age
            .set(snapshot.outbox_oldest_pending.map_or(0.0, seconds_since));
        self.open_limits.reset();
        for (level, count) in &snapshot.open_limits_by_level {
            self.open_limits
                .with_label_values(&[level.as_str()])
                .set(*count);
        }
        self.complaints.reset();
        for (status, count) in &snapshot.complaints_by_status {
            self.complaints
                .with_label_values(&[status.as_str()])
                .set(*count);
        }
        let mut text = Vec::new();
        // Encoding into memory fails only on invalid families, which `new` rules out.
        let _ = TextEncoder::new().encode(&self.registry.gather(), &mut text);
        String::from_utf8_lossy(&text).into_owned()
    }
}
