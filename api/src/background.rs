//! The background workers of `duban serve`: the deadline sweeper, outbox delivery, the
//! audit sealer and the retention job. Each runs every configured interval (the first run one
//! interval after start) and stops with the server. Several processes may run them against
//! one database: the sweeper and delivery coordinate through row locks (see
//! `duban_infra::warnings`, `duban_infra::notifications`), sealers through one lock and the
//! previous checkpoint's time (`duban_infra::audit::checkpoint::seal_once`), the retention
//! job through conditional updates.

pub mod complainant_notices;
mod notice_words;
mod retention;

use std::sync::Arc;
use std::time::Duration;

use chrono::TimeDelta;
use chrono_tz::Tz;
use duban_domain::calendar::{CalendarSource, WarningThresholds};
use duban_domain::clock::Clock;
use duban_domain::complaint::retention::RetentionPolicy;
use duban_infra::DatabaseConnection;
use duban_infra::audit::AuditKeys;
use duban_infra::audit::checkpoint::seal_once;
use duban_infra::calendar::SeaCalendarStore;
use duban_infra::config::{ConfigError, Language, Settings};
use duban_infra::notifications::{
    DeliveryChannels, deliver_pass, email_sender_from_settings, sender_from_settings,
    sms_sender_from_settings,
};
use duban_infra::warnings::sweep_once;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::http::metrics::Metrics;
use crate::state::{AppClock, AppState};

/// Longer intervals are treated as this (the workers then practically never run; tests use it).
const LONGEST_INTERVAL: Duration = Duration::from_secs(365 * 24 * 3600);

/// What the workers need from the settings, read once at start.
#[derive(Clone)]
pub struct WorkerSettings {
    pub tz: Tz,
    pub thresholds: WarningThresholds,
    pub sweep_every: Duration,
    pub deliver_every: Duration,
    pub channels: DeliveryChannels,
    /// The language of notices to complainants.
    pub default_language: Language,
    pub max_attempts: u32,
    pub backoff: TimeDelta,
    pub seal_every: Duration,
    pub audit_keys: Arc<AuditKeys>,
    pub retention_every: Duration,
    pub retention: RetentionPolicy,
    /// How long stored idempotent answers are kept.
    pub idempotency_replay: TimeDelta,
}

impl WorkerSettings {
    /// # Errors
    /// [`ConfigError`] for a bad time zone or an incomplete webhook configuration.
    pub fn from_settings(
        settings: &Settings,
        audit_keys: Arc<AuditKeys>,
    ) -> Result<Self, ConfigError> {
        Ok(Self {
            tz: settings.tz()?,
            thresholds: WarningThresholds {
                blue_when_working_days_left: settings.warning_blue_working_days_left,
                red_after_overdue_working_days: settings.warning_red_after_overdue_working_days,
            },
            sweep_every: interval(settings.sweeper_interval_seconds),
            deliver_every: interval(settings.outbox_interval_seconds),
            channels: delivery_channels(settings)?,
            default_language: settings.default_language,
            max_attempts: settings.webhook_max_attempts,
            backoff: TimeDelta::seconds(i64::from(settings.webhook_backoff_seconds)),
            seal_every: interval(settings.audit_checkpoint_interval_seconds),
            audit_keys,
            retention_every: interval(settings.retention_interval_seconds),
            retention: RetentionPolicy {
                contact_retention_days: settings.contact_retention_days,
            },
            idempotency_replay: TimeDelta::hours(i64::from(settings.idempotency_replay_hours)),
        })
    }
}

/// The primary sender and the personal channels the settings configure.
///
/// # Errors
/// [`ConfigError`] for a half-configured channel.
pub fn delivery_channels(settings: &Settings) -> Result<DeliveryChannels, ConfigError> {
    Ok(DeliveryChannels {
        primary: sender_from_settings(settings)?,
        email: email_sender_from_settings(settings)?,
        sms: sms_sender_from_settings(settings)?,
        renderer: Some(Arc::new(notice_words::CatalogueWords {
            default_language: settings.default_language,
        })),
    })
}

fn interval(seconds: u32) -> Duration {
    Duration::from_secs(u64::from(seconds.max(1))).min(LONGEST_INTERVAL)
}

/// The running workers.
pub struct Workers {
    stop: watch::Sender<bool>,
    handles: Vec<JoinHandle<()>>,
}

impl Workers {
    /// Starts the sweeper and the delivery worker on `db`.
    pub fn spawn(state: Arc<AppState>, settings: WorkerSettings, metrics: Arc<Metrics>) -> Self {
        let db = state.db.clone();
        let clock = state.clock.clone();
        let (stop, stopped) = watch::channel(false);
        let sweeper = tokio::spawn(sweeper(
            db.clone(),
            clock.clone(),
            settings.clone(),
            metrics,
            stopped.clone(),
        ));
        let delivery = tokio::spawn(delivery(state, settings.clone(), stopped.clone()));
        let sealer = tokio::spawn(sealer(
            db.clone(),
            clock.clone(),
            settings.clone(),
            stopped.clone(),
        ));
        let retention = tokio::spawn(retention::retention(db, clock, settings, stopped));
        Self {
            stop,
            handles: vec![sweeper, delivery, sealer, retention],
        }
    }

    /// Asks the workers to stop and waits until they have (a pass under way finishes first).
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        for handle in self.handles {
            if let Err(e) = handle.await {
                tracing::error!(error = %e, "a background worker failed");
            }
        }
    }
}

/// Waits `every`; false when asked to stop first.
async fn wait(every: Duration, stopped: &mut watch::Receiver<bool>) -> bool {
    tokio::select! {
        _ = stopped.changed() => false,
        () = tokio::time::sleep(every) => !*stopped.borrow(),
    }
}

async fn sweeper(
    db: DatabaseConnection,
    clock: AppClock,
    settings: WorkerSettings,
    metrics: Arc<Metrics>,
    mut stopped: watch::Receiver<bool>,
) {
    let calendars = SeaCalendarStore::new(db.clone());
    while wait(settings.sweep_every, &mut stopped).await {
        let calendar = match calendars.working_calendar().await {
            Ok(calendar) => calendar,
            Err(e) => {
                tracing::error!(error = %e, "sweeper: cannot read the calendar");
                continue;
            }
        };
        let now = clock.now();
        let started = std::time::Instant::now();
        let swept = sweep_once(&db, now, settings.tz, settings.thresholds, &calendar).await;
        if swept.is_ok() {
            metrics.observe_sweep(started.elapsed(), clock.now());
        }
        match swept {
            Ok(report) if report.changed > 0 || report.failed > 0 => {
                tracing::info!(
                    examined = report.examined,
                    changed = report.changed,
                    failed = report.failed,
                    "swept time limits"
                );
            }
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "sweeper: pass failed"),
        }
    }
}

async fn delivery(
    state: Arc<AppState>,
    settings: WorkerSettings,
    mut stopped: watch::Receiver<bool>,
) {
    while wait(settings.deliver_every, &mut stopped).await {
        let now = state.clock.now();
        let sent = deliver_pass(
            &state.db,
            &settings.channels,
            now,
            settings.max_attempts,
            settings.backoff,
        )
        .await;
        match sent {
            Ok(report) if report.attempted > 0 => tracing::info!(
                delivered = report.delivered,
                retried = report.retried,
                dead = report.dead,
                "delivered notifications"
            ),
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "outbox delivery: pass failed"),
        }
        let told = complainant_notices::tell_complainants_once(
            &state,
            &settings.channels,
            settings.default_language,
            &*state.clock,
        )
        .await;
        match told {
            Ok(report) if report.told > 0 || report.failed > 0 => tracing::info!(
                told = report.told,
                failed = report.failed,
                "told complainants new dates and results"
            ),
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "complainant notices: pass failed"),
        }
    }
}

/// Seals a checkpoint every interval; an instance that finds one sealed within the last half
/// interval (by another instance) leaves it at that.
async fn sealer(
    db: DatabaseConnection,
    clock: AppClock,
    settings: WorkerSettings,
    mut stopped: watch::Receiver<bool>,
) {
    let min_gap = TimeDelta::from_std(settings.seal_every / 2).unwrap_or(TimeDelta::MAX);
    while wait(settings.seal_every, &mut stopped).await {
        match seal_once(&db, &settings.audit_keys, clock.now(), min_gap).await {
            Ok(Some(checkpoint)) => tracing::info!(
                checkpoint = %checkpoint.id,
                chains = checkpoint.heads.len(),
                root = %checkpoint.root,
                "sealed an audit checkpoint"
            ),
            Ok(None) => {}
            Err(e) => tracing::error!(error = %e, "audit sealer: pass failed"),
        }
    }
}
