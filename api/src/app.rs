//! The composition root: opens the database, builds the use cases with their adapters,
//! mounts the API and serves it.

use std::sync::Arc;

use chrono::Duration;
use duban_domain::accountability::{AccountabilityPolicy, AccountabilityService};
use duban_domain::clock::Clock;
use duban_domain::complaint::policy::ComplaintPolicy;
use duban_domain::complaint::service::ComplaintService;
use duban_domain::personal_data::PersonalDataReads;
use duban_domain::supervision::service::{OrderPolicy, OrderService};
use duban_infra::accountability::SeaAccountabilityRepository;
use duban_infra::accounts::AccountStore;
use duban_infra::calendar::SeaCalendarStore;
use duban_infra::complaints::SeaComplaintRepository;
use duban_infra::config::{ConfigError, Settings};
use duban_infra::db::{self, DatabaseError};
use duban_infra::directory::SeaUnitDirectory;
use duban_infra::login_guard::{SecurityLog, ThrottlePolicy};
use duban_infra::orders::SeaOrderRepository;
use duban_infra::personal_data::SeaPersonalDataLog;
use duban_infra::store_error::StoreError;
use duban_infra::tokens::{SessionPolicy, SessionStore};
use duban_infra::units::UnitStore;
use poem::listener::{Acceptor, Listener, TcpAcceptor, TcpListener};
use poem::{Endpoint, EndpointExt, Route, Server};

use crate::api_document::{openapi, openapi_json};
use crate::background::{WorkerSettings, Workers};
use crate::http::allow_header::AllowTable;
use crate::http::body_check::{BodyCheck, BodyShapes};
use crate::http::boundary::Boundary;
use crate::http::compression::ResponseCompression;
use crate::http::control_characters::ControlCharacters;
use crate::http::disclosure::PersonalDataGate;
use crate::http::idempotency::Idempotency;
use crate::http::if_match_check::IfMatchCheck;
use crate::http::metrics::{Metrics, RequestMetrics, ScrapeToken, scrape};
use crate::http::request_limits::RequestLimits;
use crate::http::security_headers::SecurityHeaders;
use crate::startup::{bootstrap_admin, warn_if_next_calendar_missing};
use crate::state::{AppClock, AppState};

/// Why the service could not start.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Database(#[from] DatabaseError),
    #[error("creating the first admin account: {0}")]
    Bootstrap(#[from] StoreError),
    #[error("loading the working-day calendar: {0}")]
    Calendar(duban_domain::storage::RepositoryError),
    #[error("cannot listen on {address}: {source}")]
    Listen {
        address: String,
        source: std::io::Error,
    },
    #[error("setting up metrics: {0}")]
    Metrics(#[from] prometheus::Error),
    #[error("server stopped: {0}")]
    Serve(std::io::Error),
    #[error(transparent)]
    AuditKeys(#[from] duban_infra::audit::KeyError),
    #[error("audit: {0}")]
    Audit(String),
}

/// A ready-to-serve application: database open and migrated, first admin present.
pub struct App {
    state: Arc<AppState>,
    workers: WorkerSettings,
    limits: RequestLimits,
    headers: SecurityHeaders,
    default_language: duban_infra::config::Language,
    metrics: Arc<Metrics>,
    scrape_token: ScrapeToken,
}

impl App {
    /// Opens the database and applies migrations; creates no account (`duban migrate`).
    ///
    /// # Errors
    /// [`AppError::Database`].
    pub async fn migrate(settings: &Settings) -> Result<duban_infra::DatabaseConnection, AppError> {
        let conn = db::connect_with(
            &settings.database_url,
            settings.database_max_connections,
            settings.database_schema.as_deref(),
            settings.sqlite_synchronous,
        )
        .await?;
        db::migrate(&conn).await?;
        Ok(conn)
    }

    /// Loads the audit keys (generating the key file on first start) and makes them the ones
    /// this process hashes events with.
    ///
    /// # Errors
    /// [`AppError::AuditKeys`].
    pub fn audit_keys(settings: &Settings) -> Result<Arc<duban_infra::audit::AuditKeys>, AppError> {
        let keys = Arc::new(duban_infra::audit::AuditKeys::load(settings)?);
        duban_infra::audit::keys::install(keys.clone());
        Ok(keys)
    }

    /// Opens the database, applies migrations and creates the first admin if none exists.
    /// Every use case, request and background worker tells the time by `clock`
    /// (`duban serve` passes the system clock; tests pass one they can set).
    ///
    /// # Errors
    /// [`AppError`].
    pub async fn open(settings: &Settings, clock: AppClock) -> Result<Self, AppError> {
        let tz = settings.tz()?;
        let audit_keys = Self::audit_keys(settings)?;
        let conn = Self::migrate(settings).await?;
        let policy = SessionPolicy {
            token_ttl: Duration::hours(i64::from(settings.token_ttl_hours)),
            throttle: ThrottlePolicy {
                max_failures: settings.login_max_failures,
                max_failures_per_address: settings.login_max_failures_per_address,
                block: Duration::seconds(i64::from(settings.login_block_seconds)),
            },
        };
        let complaints = || {
            ComplaintService::new(
                SeaComplaintRepository::new(conn.clone()),
                SeaUnitDirectory::new(conn.clone()),
                clock.clone(),
                SeaCalendarStore::new(conn.clone()),
                tz,
                ComplaintPolicy {
                    reopen_window_working_days: settings.reopen_window_working_days,
                    repeat_window_days: settings.repeat_window_days,
                    screening_working_days: settings.screening_limit_working_days,
                },
            )
        };
        let workers = WorkerSettings::from_settings(settings, audit_keys.clone())?;
        let state = AppState {
            personal_channels: workers.channels.configured_personal(),
            complaints: complaints(),
            orders: OrderService::new(
                SeaOrderRepository::new(conn.clone()),
                SeaComplaintRepository::new(conn.clone()),
                SeaUnitDirectory::new(conn.clone()),
                SeaCalendarStore::new(conn.clone()),
                clock.clone(),
                tz,
                OrderPolicy {
                    sign_for_days: settings.sign_for_limit_working_days,
                    reply_days: settings.reply_limit_working_days,
                    return_window_days: settings.return_window_working_days,
                    extension_max_days: settings.extension_max_working_days,
                },
            ),
            accountability: AccountabilityService::new(
                SeaAccountabilityRepository::new(conn.clone()),
                SeaCalendarStore::new(conn.clone()),
                clock.clone(),
                complaints(),
                tz,
                AccountabilityPolicy {
                    settings: duban_domain::sanction::PolicySettings::new(
                        settings.sanction_repeat_threshold,
                        settings.sanction_repeat_window_months,
                    )
                    .map_err(|_| {
                        ConfigError::Invalid(
                            "sanction_repeat_threshold must be at least 2 and sanction_repeat_window_months 1 to 120",
                        )
                    })?,
                    statement_period_working_days: settings.statement_period_working_days,
                },
            ),
            personal_data: PersonalDataReads::new(
                SeaPersonalDataLog::new(conn.clone()),
                SeaComplaintRepository::new(conn.clone()),
                clock.clone(),
            ),
            units: UnitStore::new(conn.clone()),
            calendar: SeaCalendarStore::new(conn.clone()),
            accounts: AccountStore::new(conn.clone()),
            sessions: SessionStore::new(conn.clone(), policy),
            security_log: SecurityLog::new(conn.clone()),
            trusted_proxies: settings.trusted_proxies.clone(),
            audit_keys: audit_keys.clone(),
            db: conn,
            clock,
            tz,
        };
        let clock = state.clock.clone();
        bootstrap_admin(&state.accounts, settings, clock.now()).await?;
        let seeded = state
            .calendar
            .seed_bundled(clock.now())
            .await
            .map_err(AppError::Calendar)?;
        if !seeded.is_empty() {
            tracing::info!(?seeded, "loaded the bundled working-day calendar");
        }
        warn_if_next_calendar_missing(&state.calendar, clock.now(), tz)
            .await
            .map_err(AppError::Calendar)?;
        Ok(Self {
            state: Arc::new(state),
            workers,
            limits: RequestLimits {
                max_body_bytes: usize::try_from(settings.max_body_bytes).unwrap_or(usize::MAX),
            },
            headers: SecurityHeaders {
                behind_tls: settings.behind_tls,
            },
            default_language: settings.default_language,
            metrics: Arc::new(Metrics::new(clock.now())?),
            scrape_token: ScrapeToken(
                settings
                    .metrics_token
                    .as_ref()
                    .map(|t| t.expose().to_owned()),
            ),
        })
    }

    /// The whole HTTP application: API, spec, docs, boundary.
    pub fn endpoint(&self) -> impl Endpoint + 'static {
        let service = openapi();
        let document = openapi_json();
        let parsed = serde_json::from_str(&document).unwrap_or_default();
        let allow = AllowTable::from_spec(&parsed);
        let shapes = BodyShapes::from_spec(&parsed);
        let spec = poem::endpoint::make_sync(move |_| {
            poem::Response::builder()
                .content_type("application/json; charset=utf-8")
                .body(document.clone())
        });
        let docs = service.swagger_ui();
        Route::new()
            .nest("/", service)
            .at("/openapi.json", spec)
            .nest("/docs", docs)
            .at("/metrics", poem::get(scrape))
            .with(IfMatchCheck)
            .with(BodyCheck {
                shapes: Arc::new(shapes),
            })
            .with(Idempotency)
            .with(PersonalDataGate)
            .with(ControlCharacters)
            .with(self.limits)
            .with(RequestMetrics {
                metrics: self.metrics.clone(),
            })
            .with(Boundary {
                allow: Arc::new(allow),
                default_language: self.default_language,
            })
            .with(self.headers)
            .with(ResponseCompression)
            .data(self.state.clone())
            .data(self.metrics.clone())
            .data(self.scrape_token.clone())
    }

    /// Binds the listen address. `duban serve` does this before anything else, so that a
    /// taken or mistyped address fails before the database or the first admin is created.
    ///
    /// # Errors
    /// [`AppError::Listen`].
    pub async fn bind(address: &str) -> Result<TcpAcceptor, AppError> {
        TcpListener::bind(address.to_owned())
            .into_acceptor()
            .await
            .map_err(|source| AppError::Listen {
                address: address.to_owned(),
                source,
            })
    }

    /// Serves on the bound `acceptor` until Ctrl-C or SIGTERM.
    ///
    /// # Errors
    /// [`AppError::Serve`].
    pub async fn serve(self, acceptor: TcpAcceptor) -> Result<(), AppError> {
        let address = acceptor
            .local_addr()
            .into_iter()
            .find_map(|a| a.as_socket_addr().map(ToString::to_string))
            .unwrap_or_default();
        tracing::info!(
            address = %address,
            version = env!("CARGO_PKG_VERSION"),
            "duban is serving on http://{address}"
        );
        self.serve_on(acceptor, shutdown_signal()).await
    }

    /// Serves on an already bound acceptor until `shutdown` completes (tests bind port 0),
    /// with the background workers (sweeper, outbox delivery) running alongside.
    ///
    /// # Errors
    /// [`AppError::Serve`].
    pub async fn serve_on(
        self,
        acceptor: TcpAcceptor,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> Result<(), AppError> {
        let endpoint = self.endpoint();
        let workers = Workers::spawn(
            self.state.clone(),
            self.workers.clone(),
            self.metrics.clone(),
        );
        let served = Server::new_with_acceptor(acceptor)
            // HTTP/1 heads are bounded by hyper (about 400 KiB, 100 headers); HTTP/2 here.
            .http2_max_header_list_size(64 * 1024)
            .run_with_graceful_shutdown(
                endpoint,
                shutdown,
                Some(std::time::Duration::from_secs(10)),
            )
            .await
            .map_err(AppError::Serve);
        workers.stop().await;
        served
    }

    /// The use cases and stores the handlers share (tests drive background passes on them).
    pub fn state(&self) -> Arc<AppState> {
        self.state.clone()
    }

    /// Local address helper for tests.
    pub fn local_port(acceptor: &TcpAcceptor) -> Option<u16> {
        acceptor
            .local_addr()
            .into_iter()
            .find_map(|a| a.as_socket_addr().map(|s| s.port()))
    }
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(term) => term,
                Err(_) => {
                    let _ = ctrl_c.await;
                    return;
                }
            };
        tokio::select! {
            _ = ctrl_c => {},
            _ = term.recv() => {},
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
}
