//! The HTTP adapter: operations, wire types and the error boundary.

pub mod accountability_dto;
pub mod allow_header;
pub mod audit_api;
pub mod auth;
pub mod auth_api;
pub mod body_check;
pub mod body_walk;
pub mod boundary;
pub mod calendar_api;
pub mod complainant_notice_api;
pub mod complaint_actions_api;
pub mod complaint_closing_api;
pub mod complaint_csv;
pub mod complaint_dto;
pub mod complaint_views;
pub mod complaints_api;
pub mod compression;
pub mod contact_dto;
pub mod control_characters;
pub mod csv;
pub mod disclosure;
mod errors;
pub mod health_api;
pub mod idempotency;
pub mod idempotency_header;
pub mod if_match_check;
pub mod investigation_dto;
pub mod investigations_api;
pub mod links_api;
pub mod metrics;
pub mod notification_preferences_api;
pub mod notifications_api;
pub mod order_answers_api;
pub mod order_dto;
pub mod order_requests;
pub mod orders_api;
pub mod outbox_api;
pub mod pagination;
pub mod personal_data_api;
pub mod problem;
pub mod recommendation_dto;
pub mod record_dto;
pub mod records_api;
pub mod request_id;
pub mod request_limits;
pub mod sanction_requests;
pub mod sanctions_api;
pub mod security_events_api;
pub mod security_headers;
pub mod spec_shape;
pub mod stats_api;
mod stats_csv;
pub mod stats_dto;
pub mod strict_string;
pub mod time_limit_dto;
pub mod units_api;
pub mod users_api;
pub mod versioning;
pub mod wire_enums;
pub mod wire_time;

use poem_openapi::Tags;

/// Groups of operations in the OpenAPI document.
#[derive(Tags)]
pub enum ApiTags {
    /// Logging in and out.
    Auth,
    /// The unit tree.
    Units,
    /// Staff accounts.
    Users,
    /// Complaints: registration, screening, classification, history.
    Complaints,
    /// The working-day calendar that time limits are counted in.
    Calendar,
    /// Supervision orders: routing to units, sign-for, returns, extensions, replies, review.
    Orders,
    /// Statistics by period, channel, type, matter and unit.
    Stats,
    /// Liveness and readiness.
    Health,
    /// Accountability: investigation records, takeovers, sanctions and records.
    Accountability,
    /// Each person's inbox: what they must act on or know.
    Notifications,
}

/// Shared state as an extractor argument.
pub type State<'a> = poem::web::Data<&'a std::sync::Arc<crate::state::AppState>>;
