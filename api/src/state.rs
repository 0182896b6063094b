//! What every request handler can reach: the use cases and stores, built once.

use std::sync::Arc;

use chrono_tz::Tz;
use duban_domain::accountability::AccountabilityService;
use duban_domain::clock::Clock;
use duban_domain::complaint::service::ComplaintService;
use duban_domain::personal_data::PersonalDataReads;
use duban_domain::supervision::service::OrderService;
use duban_infra::DatabaseConnection;
use duban_infra::accountability::SeaAccountabilityRepository;
use duban_infra::accounts::AccountStore;
use duban_infra::calendar::SeaCalendarStore;
use duban_infra::complaints::SeaComplaintRepository;
use duban_infra::directory::SeaUnitDirectory;
use duban_infra::login_guard::SecurityLog;
use duban_infra::orders::SeaOrderRepository;
use duban_infra::personal_data::SeaPersonalDataLog;
use duban_infra::tokens::SessionStore;
use duban_infra::units::UnitStore;

/// The clock the caller of the composition root chose (the system clock in production):
/// every use case, request path and background worker reads "now" from it.
pub type AppClock = Arc<dyn Clock>;

/// The complaint use cases with their concrete adapters, named once.
pub type Complaints =
    ComplaintService<SeaComplaintRepository, SeaUnitDirectory, AppClock, SeaCalendarStore>;

/// The supervision-order use cases with their concrete adapters.
pub type Orders = OrderService<
    SeaOrderRepository,
    SeaComplaintRepository,
    SeaUnitDirectory,
    SeaCalendarStore,
    AppClock,
>;

/// The accountability use cases with their adapters.
/// It asks its own instance of the complaint use cases which complaints a caller may see.
pub type Accountability =
    AccountabilityService<SeaAccountabilityRepository, SeaCalendarStore, AppClock, Complaints>;

/// The personal-data access log with its adapters.
pub type PersonalData = PersonalDataReads<SeaPersonalDataLog, SeaComplaintRepository, AppClock>;

/// Shared, immutable application state.
pub struct AppState {
    pub db: DatabaseConnection,
    pub complaints: Complaints,
    pub orders: Orders,
    pub accountability: Accountability,
    pub personal_data: PersonalData,
    pub units: UnitStore,
    pub calendar: SeaCalendarStore,
    pub accounts: AccountStore,
    pub sessions: SessionStore,
    pub security_log: SecurityLog,
    /// Setting `trusted_proxies`.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// The keys the history is verified with.
    pub audit_keys: std::sync::Arc<duban_infra::audit::AuditKeys>,
    pub clock: AppClock,
    pub tz: Tz,
    /// The personal channels this instance delivers by (settings).
    pub personal_channels: Vec<duban_domain::notification::PersonalChannel>,
}
