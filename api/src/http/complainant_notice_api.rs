//! `POST /supervision-orders/{id}/complainant-notice`: intake records how and when the
//! complainant was told the new date a granted extension set.

use poem_openapi::param::{Header, Path};
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi};
use uuid::Uuid;

use super::auth::StaffAuth;
use super::idempotency_header::IdempotencyKey;
use super::order_dto::AnswerMethod;
use super::orders_api::{OrderOk, ok};
use super::problem::ApiError;
use super::wire_time::WireInstant;
use super::{ApiTags, State};

/// How and when the complainant was told the new date.
#[derive(Debug, Object)]
pub struct ComplainantNoticeBody {
    pub method: AnswerMethod,
    /// Not in the future, and not before the extension was granted.
    pub told_at: WireInstant,
}

pub struct ComplainantNoticeApi;

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTags::Orders")]
impl ComplainantNoticeApi {
    /// Record that the complainant was told the new date (intake)
    ///
    /// A granted extension leaves the order with an open `complainant_notice`, overdue one
    /// working day after the grant (it then shows in `GET /supervision-orders?complainant_notice=overdue`).
    /// This closes it. 422 `rule_refused` when no notice is open.
    #[oai(
        path = "/supervision-orders/:id/complainant-notice",
        method = "post",
        operation_id = "recordComplainantNotice"
    )]
    async fn record(
        &self,
        state: State<'_>,
        auth: StaffAuth,
        #[oai(name = "Idempotency-Key")] _idempotency_key: Header<Option<IdempotencyKey>>,
        id: Path<Uuid>,
        body: Json<ComplainantNoticeBody>,
    ) -> Result<OrderOk, ApiError> {
        let told_at = body
            .0
            .told_at
            .parse("told_at")
            .map_err(|e| ApiError::invalid_fields(vec![e]))?;
        let detail = state
            .orders
            .record_complainant_notice(&auth.0.actor, id.0, body.0.method.into(), told_at)
            .await?;
        Ok(ok(detail))
    }
}
