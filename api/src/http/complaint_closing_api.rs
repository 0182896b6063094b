//! The end of a complaint's path, one sub-resource each: `/on-site-resolution`,
//! `/feedback-disposition`, `/close`, `/answer`, `/return-visit`, `/reopen`.

use chrono::{DateTime, Utc};
use duban_domain::complaint::service::{
    AnswerCommand, CloseCommand, FeedbackCommand, OnSiteResolutionCommand, ReturnVisitCommand,
};
use duban_domain::ids::{ComplaintId, UnitId};
use poem_openapi::param::{Header, Path};
use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi};
use uuid::Uuid;

use super::auth::StaffAuth;
use super::complaints_api::{ComplaintOk, complaint_ok};
use super::idempotency_header::IdempotencyKey;
use super::order_dto::AnswerMethod;
use super::problem::ApiError;
use super::strict_string::Text;
use super::versioning::if_match;
use super::wire_enums::{ClosingAnswerMethod, FeedbackDisposition, Finding, Satisfaction};
use super::wire_time::WireInstant;
use super::{ApiTags, State};

/// The result of on-site coordination (现场协调).
#[derive(Debug, Object)]
pub struct OnSiteResolutionRequest {
    /// `true`: the complainant is reconciled (达成谅解) and the case is closed with `note` as
    /// its outcome. `false`: coordination failed and the complaint is reclassified to
    /// case_filed with `note` as the reason.
    pub reconciled: bool,
    /// What was agreed, or why coordination failed.
    #[oai(validator(min_length = 1, max_length = 2000, pattern = r"[^\s\u0085\ufeff]"))]
    pub note: Text,
}

/// The disposition of a feedback complaint (意见反映类); it closes the complaint.
#[derive(Debug, Object)]
pub struct FeedbackDispositionRequest {
    pub disposition: FeedbackDisposition,
    /// What is to be done with the opinion, or why it is kept for reference.
    #[oai(validator(min_length = 1, max_length = 2000, pattern = r"[^\s\u0085\ufeff]"))]
    pub note: Text,
    /// `forward_to_section` only, and then required: the section the feedback goes to.
    #[oai(nullable)]
    pub section_id: Option<Uuid>,
}

/// How and when the complainant was told the result.
#[derive(Debug, Object)]
pub struct AnswerInput {
    pub method: ClosingAnswerMethod,
    /// When they were told; required unless `method` is `none_anonymous`; not in the future.
    #[oai(nullable)]
    pub answered_at: Option<WireInstant>,
}

/// Closing a case-filed complaint (办结).
#[derive(Debug, Object)]
pub struct CloseRequest {
    /// The handling result.
    #[oai(validator(min_length = 1, max_length = 2000, pattern = r"[^\s\u0085\ufeff]"))]
    pub outcome: Text,
    pub finding: Finding,
    /// How the complainant was told the result; required unless the complaint is anonymous
    /// or `answer_later` is true.
    #[oai(nullable)]
    pub answer: Option<AnswerInput>,
    /// `true`: the complainant has not been told yet (not with `answer`; refused for an
    /// anonymous complaint). The closing then owes them the result within one working day
    /// (`closing.answer_due_at`): the system sends it by SMS or e-mail where it can, or
    /// intake records it with `POST /complaints/{id}/answer`; until then the complaint is
    /// listed by `GET /complaints?answer_to_follow=open` (`overdue` past its due time).
    #[oai(nullable)]
    pub answer_later: Option<bool>,
}

/// How and when the complainant of a case closed with `answer_later` was told the result.
#[derive(Debug, Object)]
pub struct AnswerRequest {
    pub method: AnswerMethod,
    /// Not in the future, nor before the closing.
    pub answered_at: WireInstant,
}

/// The return visit (回访) after a closing.
#[derive(Debug, Object)]
pub struct ReturnVisitRequest {
    pub satisfaction: Satisfaction,
    #[oai(
        nullable,
        validator(min_length = 1, max_length = 2000, pattern = r"[^\s\u0085\ufeff]")
    )]
    pub remarks: Option<Text>,
    /// When the visit took place; now when absent; not in the future nor before the closing.
    #[oai(nullable)]
    pub visited_at: Option<WireInstant>,
}

/// Reopening a case after a dissatisfied return visit (重办).
#[derive(Debug, Object)]
pub struct ReopenRequest {
    #[oai(validator(min_length = 1, max_length = 2000, pattern = r"[^\s\u0085\ufeff]"))]
    pub reason: Text,
}

fn instant(value: Option<WireInstant>, field: &str) -> Result<Option<DateTime<Utc>>, ApiError> {
    value
        .map(|v| v.parse(field))
        .transpose()
        .map_err(|e| ApiError::invalid_fields(vec![e]))
}

pub struct ComplaintClosingApi;

#[OpenApi(prefix_path = "/api/v1/complaints", tag = "ApiTags::Complaints")]
impl ComplaintClosingApi {
    /// Record an on-site resolution (intake)
    ///
    /// Only an on_site complaint in handling (409 otherwise). Reconciled: closed with the
    /// note as outcome. Not reconciled: reclassified to case_filed with the note as reason
    /// (the history shows a `reclassified` event).
    #[oai(
        path = "/:id/on-site-resolution",
        method = "post",
        operation_id = "resolveComplaintOnSite"
    )]
    async fn on_site_resolution(
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
        body: Json<OnSiteResolutionRequest>,
    ) -> Result<ComplaintOk, ApiError> {
        let expected = if_match(if_match_header.0.as_deref());
        let body = body.0;
        let complaint = state
            .complaints
            .resolve_on_site(
                &auth.0.actor,
                ComplaintId::from_uuid(id.0),
                expected,
                OnSiteResolutionCommand {
                    reconciled: body.reconciled,
                    note: body.note.into_inner(),
                },
            )
            .await?;
        complaint_ok(&state, &auth.0, complaint).await
    }

    /// Dispose of a feedback complaint (intake)
    ///
    /// Only a feedback complaint in handling (409 otherwise); it is closed. A section is named
    /// exactly when the disposition is forward_to_section (422 otherwise, or when it is not an
    /// active unit).
    #[oai(
        path = "/:id/feedback-disposition",
        method = "post",
        operation_id = "disposeFeedback"
    )]
    async fn feedback_disposition(
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
        body: Json<FeedbackDispositionRequest>,
    ) -> Result<ComplaintOk, ApiError> {
        let expected = if_match(if_match_header.0.as_deref());
        let body = body.0;
        let complaint = state
            .complaints
            .dispose_feedback(
                &auth.0.actor,
                ComplaintId::from_uuid(id.0),
                expected,
                FeedbackCommand {
                    disposition: body.disposition.into(),
                    note: body.note.into_inner(),
                    section_id: body.section_id.map(UnitId::from_uuid),
                },
            )
            .await?;
        complaint_ok(&state, &auth.0, complaint).await
    }

    /// Close a case-filed complaint (intake)
    ///
    /// Only a case_filed complaint in handling (409 otherwise). Refused with 422 while a
    /// supervision order is still open, or when a named complainant was not told the result
    /// (an anonymous complaint needs no answer).
    #[oai(path = "/:id/close", method = "post", operation_id = "closeComplaint")]
    async fn close(
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
        body: Json<CloseRequest>,
    ) -> Result<ComplaintOk, ApiError> {
        let expected = if_match(if_match_header.0.as_deref());
        let body = body.0;
        let answer = match body.answer {
            Some(a) => Some(AnswerCommand {
                method: a.method.into(),
                answered_at: instant(a.answered_at, "answer.answered_at")?,
            }),
            None => None,
        };
        let complaint = state
            .complaints
            .close(
                &auth.0.actor,
                ComplaintId::from_uuid(id.0),
                expected,
                CloseCommand {
                    outcome: body.outcome.into_inner(),
                    finding: body.finding.into(),
                    answer,
                    answer_later: body.answer_later.unwrap_or(false),
                },
            )
            .await?;
        complaint_ok(&state, &auth.0, complaint).await
    }

    /// Record that the complainant was told the result (intake)
    ///
    /// For a case closed with `answer_later`: records how and when the complainant was
    /// told, and the history gains `complainant_told_result`. Only a closed complaint (409
    /// otherwise); 422 `rule_refused` when no answer is owed (told already, by intake or by
    /// the system's SMS or e-mail, or closed with its answer).
    #[oai(
        path = "/:id/answer",
        method = "post",
        operation_id = "recordComplaintAnswer"
    )]
    async fn answer(
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
        body: Json<AnswerRequest>,
    ) -> Result<ComplaintOk, ApiError> {
        let expected = if_match(if_match_header.0.as_deref());
        let body = body.0;
        let answered_at = instant(Some(body.answered_at), "answered_at")?;
        let method = duban_domain::supervision::model::AnswerMethod::from(body.method);
        let complaint = state
            .complaints
            .record_answer(
                &auth.0.actor,
                ComplaintId::from_uuid(id.0),
                expected,
                AnswerCommand {
                    method: method.into(),
                    answered_at,
                },
            )
            .await?;
        complaint_ok(&state, &auth.0, complaint).await
    }

    /// Record the return visit (intake)
    ///
    /// Only a closed complaint (409 otherwise), once per closing (422 the second time), and
    /// not while the complainant is still owed the result (422).
    #[oai(
        path = "/:id/return-visit",
        method = "post",
        operation_id = "recordReturnVisit"
    )]
    async fn return_visit(
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
        body: Json<ReturnVisitRequest>,
    ) -> Result<ComplaintOk, ApiError> {
        let expected = if_match(if_match_header.0.as_deref());
        let body = body.0;
        let visited_at = instant(body.visited_at, "visited_at")?;
        let complaint = state
            .complaints
            .record_return_visit(
                &auth.0.actor,
                ComplaintId::from_uuid(id.0),
                expected,
                ReturnVisitCommand {
                    satisfaction: body.satisfaction.into(),
                    remarks: body.remarks.map(Text::into_inner),
                    visited_at,
                },
            )
            .await?;
        complaint_ok(&state, &auth.0, complaint).await
    }

    /// Reopen after a dissatisfied return visit (intake)
    ///
    /// Only a closed complaint (409 otherwise) whose return visit found the complainant
    /// dissatisfied, within the reopen window (working days after the visit; 422 otherwise).
    /// It continues in handling as a case_filed complaint with the same first handler.
    #[oai(
        path = "/:id/reopen",
        method = "post",
        operation_id = "reopenComplaint"
    )]
    async fn reopen(
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
        body: Json<ReopenRequest>,
    ) -> Result<ComplaintOk, ApiError> {
        let expected = if_match(if_match_header.0.as_deref());
        let complaint = state
            .complaints
            .reopen(
                &auth.0.actor,
                ComplaintId::from_uuid(id.0),
                expected,
                body.0.reason.into_inner(),
            )
            .await?;
        complaint_ok(&state, &auth.0, complaint).await
    }
}
