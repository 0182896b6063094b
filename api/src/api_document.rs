//! The OpenAPI service: every operation group, and the document they generate.

use poem_openapi::OpenApiService;

use crate::http::audit_api::AuditApi;
use crate::http::auth_api::AuthApi;
use crate::http::calendar_api::CalendarApi;
use crate::http::complainant_notice_api::ComplainantNoticeApi;
use crate::http::complaint_actions_api::ComplaintActionsApi;
use crate::http::complaint_closing_api::ComplaintClosingApi;
use crate::http::complaints_api::ComplaintsApi;
use crate::http::health_api::HealthApi;
use crate::http::investigations_api::InvestigationsApi;
use crate::http::links_api::LinksApi;
use crate::http::notification_preferences_api::NotificationPreferencesApi;
use crate::http::notifications_api::NotificationsApi;
use crate::http::order_answers_api::OrderAnswersApi;
use crate::http::orders_api::OrdersApi;
use crate::http::outbox_api::OutboxApi;
use crate::http::personal_data_api::PersonalDataApi;
use crate::http::records_api::RecordsApi;
use crate::http::sanctions_api::SanctionsApi;
use crate::http::security_events_api::SecurityEventsApi;
use crate::http::stats_api::StatsApi;
use crate::http::units_api::UnitsApi;
use crate::http::users_api::UsersApi;

type Apis = (
    HealthApi,
    AuthApi,
    UnitsApi,
    UsersApi,
    ComplaintsApi,
    LinksApi,
    ComplaintActionsApi,
    ComplaintClosingApi,
    CalendarApi,
    OrdersApi,
    StatsApi,
    InvestigationsApi,
    SanctionsApi,
    RecordsApi,
    SecurityEventsApi,
    // poem-openapi implements `OpenApi` for tuples of up to 16: the rest nest.
    (
        OutboxApi,
        NotificationsApi,
        AuditApi,
        PersonalDataApi,
        ComplainantNoticeApi,
        NotificationPreferencesApi,
        OrderAnswersApi,
    ),
);

/// The OpenAPI service: the operations and the document they generate.
pub fn openapi() -> OpenApiService<Apis, ()> {
    OpenApiService::new(
        (
            HealthApi,
            AuthApi,
            UnitsApi,
            UsersApi,
            ComplaintsApi,
            LinksApi,
            ComplaintActionsApi,
            ComplaintClosingApi,
            CalendarApi,
            OrdersApi,
            StatsApi,
            InvestigationsApi,
            SanctionsApi,
            RecordsApi,
            SecurityEventsApi,
            (
                OutboxApi,
                NotificationsApi,
                AuditApi,
                PersonalDataApi,
                ComplainantNoticeApi,
                NotificationPreferencesApi,
                OrderAnswersApi,
            ),
        ),
        "duban",
        env!("CARGO_PKG_VERSION"),
    )
    .description(
        "Complaints and accountability case management: intake, screening, classification, \
         supervision of responsible units, warnings and sanctions. Errors are \
         application/problem+json (RFC 9457).",
    )
    .server("/")
}

/// The OpenAPI document as JSON, as committed in `openapi/openapi.json`.
/// poem-openapi's document reshaped for client generators ([`crate::http::spec_shape`]).
pub fn openapi_json() -> String {
    let generated = serde_json::from_str(&openapi().spec()).unwrap_or_default();
    let mut spec = serde_json::to_string_pretty(&crate::http::spec_shape::reshape(generated))
        .unwrap_or_default();
    spec.push('\n');
    spec
}
