//! The lifecycle actions on a complaint, one sub-resource each: `/screening`,
//! `/classification`.

use duban_domain::complaint::service::{ClassifyCommand, ScreenCommand};
use duban_domain::ids::ComplaintId;
use poem_openapi::param::{Header, Path};
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi};
use uuid::Uuid;

use super::auth::StaffAuth;
use super::complaints_api::{ComplaintOk, complaint_ok};
use super::idempotency_header::IdempotencyKey;
use super::problem::ApiError;
use super::strict_string::Text;
use super::versioning::if_match;
use super::wire_enums::{ComplaintType, ScreeningOutcome};
use super::{ApiTags, State};

/// The screening decision.
#[derive(Debug, Object)]
pub struct ScreeningRequest {
    pub outcome: ScreeningOutcome,
    /// What the complainant was told (for out_of_scope and withdrawn), or why it is accepted
    /// or invalid.
    #[oai(validator(min_length = 1, max_length = 2000, pattern = r"[^\s\u0085\ufeff]"))]
    pub explanation: Text,
    /// out_of_scope only: the competent body the complainant was referred to.
    #[oai(
        nullable,
        validator(min_length = 1, max_length = 500, pattern = r"[^\s\u0085\ufeff]")
    )]
    pub referral: Option<Text>,
}

/// The classification of an accepted complaint; a reason is required to change it later.
#[derive(Debug, Object)]
pub struct ClassificationRequest {
    #[oai(rename = "type")]
    pub complaint_type: ComplaintType,
    #[oai(
        nullable,
        validator(min_length = 1, max_length = 2000, pattern = r"[^\s\u0085\ufeff]")
    )]
    pub reason: Option<Text>,
}

pub struct ComplaintActionsApi;

#[OpenApi(prefix_path = "/api/v1/complaints", tag = "ApiTags::Complaints")]
impl ComplaintActionsApi {
    /// Screen a registration (intake)
    ///
    /// Only a complaint awaiting screening (409 otherwise). A referral belongs only to
    /// out_of_scope (422 otherwise).
    #[oai(
        path = "/:id/screening",
        method = "post",
        operation_id = "screenComplaint"
    )]
    async fn screen(
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
        body: Json<ScreeningRequest>,
    ) -> Result<ComplaintOk, ApiError> {
        let expected = if_match(if_match_header.0.as_deref());
        let body = body.0;
        let complaint = state
            .complaints
            .screen(
                &auth.0.actor,
                ComplaintId::from_uuid(id.0),
                expected,
                ScreenCommand {
                    outcome: body.outcome.into(),
                    explanation: body.explanation.into_inner(),
                    referral: body.referral.map(Text::into_inner),
                },
            )
            .await?;
        complaint_ok(&state, &auth.0, complaint).await
    }

    /// Classify or reclassify (intake)
    ///
    /// An accepted complaint gets its type; one in handling may be reclassified with a
    /// reason (422 without one, or when the type does not change).
    #[oai(
        path = "/:id/classification",
        method = "post",
        operation_id = "classifyComplaint"
    )]
    async fn classify(
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
        body: Json<ClassificationRequest>,
    ) -> Result<ComplaintOk, ApiError> {
        let expected = if_match(if_match_header.0.as_deref());
        let body = body.0;
        let complaint = state
            .complaints
            .classify(
                &auth.0.actor,
                ComplaintId::from_uuid(id.0),
                expected,
                ClassifyCommand {
                    complaint_type: body.complaint_type.into(),
                    reason: body.reason.map(Text::into_inner),
                },
            )
            .await?;
        complaint_ok(&state, &auth.0, complaint).await
    }
}
