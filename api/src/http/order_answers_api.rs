//! The unit's answer to an order and intake's judgement of it: extension requests and their
//! decision, the reply, and its review.

use duban_domain::supervision::service::{ReplyCommand, ReviewCommand};
use poem_openapi::OpenApi;
use poem_openapi::param::{Header, Path};
use poem_openapi::payload::Json;
use uuid::Uuid;

use super::auth::StaffAuth;
use super::idempotency_header::IdempotencyKey;
use super::order_requests::{
    ExtensionDecisionBody, ExtensionDecisionValue, ExtensionRequestBody, ReplyBody, ReviewBody,
    ReviewDecision,
};
use super::orders_api::{OrderCreated, OrderOk, created, ok};
use super::problem::ApiError;
use super::strict_string::Text;
use super::versioning::if_match;
use super::{ApiTags, State};

pub struct OrderAnswersApi;

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTags::Orders")]
impl OrderAnswersApi {
    /// Ask for an extension (unit head)
    ///
    /// Once per round, before the reply deadline passes, at most the configured maximum.
    #[oai(
        path = "/supervision-orders/:id/extension-requests",
        method = "post",
        operation_id = "requestSupervisionOrderExtension"
    )]
    async fn request_extension(
        &self,
        state: State<'_>,
        auth: StaffAuth,
        #[oai(name = "Idempotency-Key")] _idempotency_key: Header<Option<IdempotencyKey>>,
        id: Path<Uuid>,
        body: Json<ExtensionRequestBody>,
    ) -> Result<OrderCreated, ApiError> {
        let body = body.0;
        let detail = state
            .orders
            .request_extension(
                &auth.0.actor,
                id.0,
                body.working_days,
                body.reason.into_inner(),
            )
            .await?;
        Ok(created(detail))
    }

    /// Decide an extension request (intake)
    ///
    /// A grant moves the reply deadline; the complainant must be told the new date.
    #[oai(
        path = "/supervision-orders/:id/extension-requests/:request_id/decision",
        method = "post",
        operation_id = "decideSupervisionOrderExtension"
    )]
    async fn decide_extension(
        &self,
        state: State<'_>,
        auth: StaffAuth,
        #[oai(name = "Idempotency-Key")] _idempotency_key: Header<Option<IdempotencyKey>>,
        id: Path<Uuid>,
        request_id: Path<Uuid>,
        body: Json<ExtensionDecisionBody>,
    ) -> Result<OrderOk, ApiError> {
        let body = body.0;
        let detail = state
            .orders
            .decide_extension(
                &auth.0.actor,
                id.0,
                request_id.0,
                body.decision == ExtensionDecisionValue::Granted,
                body.reason.into_inner(),
            )
            .await?;
        Ok(ok(detail))
    }

    /// Reply to an order (unit head)
    #[oai(
        path = "/supervision-orders/:id/reply",
        method = "post",
        operation_id = "replyToSupervisionOrder"
    )]
    async fn reply(
        &self,
        state: State<'_>,
        auth: StaffAuth,
        #[oai(name = "Idempotency-Key")] _idempotency_key: Header<Option<IdempotencyKey>>,
        id: Path<Uuid>,
        /// The ETag of the version this change is based on; 412 when it is no longer current.
        #[oai(
            name = "If-Match",
            validator(pattern = r#"^(\*|(W/)?"[!#-~]{0,18}")?$"#)
        )]
        if_match_header: Header<Option<String>>,
        body: Json<ReplyBody>,
    ) -> Result<OrderOk, ApiError> {
        let body = body.0;
        let answered_at = body
            .answered_at
            .parse("answered_at")
            .map_err(|e| ApiError::invalid_fields(vec![e]))?;
        let detail = state
            .orders
            .reply(
                &auth.0.actor,
                id.0,
                if_match(if_match_header.0.as_deref()),
                ReplyCommand {
                    result: body.result.into_inner(),
                    rectification: body.rectification.into_inner(),
                    answer_method: body.answer_method.into(),
                    answered_at,
                },
            )
            .await?;
        Ok(ok(detail))
    }

    /// Review a reply (intake)
    ///
    /// Accept (the order is done) or reject with reasons, which issues round n + 1.
    #[oai(
        path = "/supervision-orders/:id/review",
        method = "post",
        operation_id = "reviewSupervisionOrder"
    )]
    async fn review(
        &self,
        state: State<'_>,
        auth: StaffAuth,
        #[oai(name = "Idempotency-Key")] _idempotency_key: Header<Option<IdempotencyKey>>,
        id: Path<Uuid>,
        /// The ETag of the version this change is based on; 412 when it is no longer current.
        #[oai(
            name = "If-Match",
            validator(pattern = r#"^(\*|(W/)?"[!#-~]{0,18}")?$"#)
        )]
        if_match_header: Header<Option<String>>,
        body: Json<ReviewBody>,
    ) -> Result<OrderOk, ApiError> {
        let body = body.0;
        let detail = state
            .orders
            .review(
                &auth.0.actor,
                id.0,
                if_match(if_match_header.0.as_deref()),
                ReviewCommand {
                    accepted: body.decision == ReviewDecision::Accepted,
                    reasons: body.reasons.map(Text::into_inner),
                    next_opinion: body.next_opinion.map(Text::into_inner),
                    next_reply_working_days: body.next_reply_working_days,
                },
            )
            .await?;
        Ok(ok(detail))
    }
}
