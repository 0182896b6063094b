//! `POST/GET /complaints` (the list as JSON or CSV), `GET /complaints/{id}`,
//! `GET /complaints/{id}/events` (and the check of its hash chain) and
//! `GET /complaints/{id}/possible-repeats`.

use chrono::{DateTime, Utc};
use duban_domain::complaint::ports::{AnswerFilter, ComplaintQuery, IdempotencyClaim};
use duban_domain::ids::{ComplaintId, UnitId, UserId};
use duban_infra::time_limits;
use poem_openapi::param::{Header, Path, Query};
use poem_openapi::payload::{Json, PlainText};
use poem_openapi::types::ToJSON;
use poem_openapi::{ApiResponse, Enum, Object, OpenApi, ResponseContent};
use uuid::Uuid;

use super::audit_api::{ChainCheckOk, chain_view, trusted_checkpoint};
use super::auth::StaffAuth;
use super::complaint_csv::complaints_csv;
use super::complaint_dto::{ComplaintView, PossibleRepeatView, RegisterComplaint};
use super::complaint_views::{full_view, log_repeats, views};
use super::idempotency_header::IdempotencyKey;
use super::order_dto::WarningLevel;
use super::pagination::{DEFAULT_LIMIT, decode_cursor, page};
use super::problem::ApiError;
use super::versioning::etag;
use super::wire_enums::{Channel, ComplaintStatus, ComplaintType, Matter};
use super::wire_time::{WireInstant, both};
use super::{ApiTags, State};

/// A page of complaints, newest registration first.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ComplaintPage {
    pub items: Vec<ComplaintView>,
    pub next_cursor: Option<String>,
}

/// One entry of a complaint's history.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct EventView {
    /// 1, 2, 3, … in the order things happened.
    pub sequence: i64,
    /// What happened: `registered`, `screened`, `classified`, `reclassified`, …,
    /// `contact_details_erased` (the complainant's name and contacts were erased after the
    /// retention period).
    pub kind: String,
    /// Who did it; absent for what the system recorded itself (deadline warnings, erasure
    /// after the retention period).
    pub actor_id: Option<Uuid>,
    /// The actor's display name, as the account reads now.
    pub actor_display_name: Option<String>,
    pub at: DateTime<Utc>,
    /// Why, where the action carries a reason or explanation.
    pub reason: Option<String>,
    /// The facts of the event.
    pub data: serde_json::Value,
}

#[derive(Debug, Object)]
pub struct EventList {
    pub items: Vec<EventView>,
}

/// Possible repeats, newest receipt first (at most 50).
#[derive(Debug, Object)]
pub struct PossibleRepeatList {
    pub items: Vec<PossibleRepeatView>,
}

#[derive(ApiResponse)]
pub enum ComplaintCreated {
    /// Registered (or, for a repeated `Idempotency-Key` with the same body, the first result).
    #[oai(status = 201)]
    Created(Json<ComplaintView>, #[oai(header = "ETag")] String),
}

#[derive(ApiResponse)]
pub enum ComplaintOk {
    #[oai(status = 200)]
    Ok(Json<ComplaintView>, #[oai(header = "ETag")] String),
}

/// The list's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum ListFormat {
    Json,
    /// `text/csv`: one row per complaint of the page.
    Csv,
}

#[derive(ResponseContent)]
pub enum ComplaintPageBody {
    Json(Json<ComplaintPage>),
    #[oai(content_type = "text/csv; charset=utf-8")]
    Csv(PlainText<String>),
}

#[derive(ApiResponse)]
pub enum ComplaintPageOk {
    /// The page (JSON, or CSV with `?format=csv`, whose next page's cursor is in
    /// `Next-Cursor`).
    #[oai(status = 200)]
    Ok(
        ComplaintPageBody,
        #[oai(header = "Next-Cursor")] Option<String>,
    ),
}

#[derive(ApiResponse)]
pub enum EventsOk {
    #[oai(status = 200)]
    Ok(Json<EventList>),
}

#[derive(ApiResponse)]
pub enum PossibleRepeatsOk {
    #[oai(status = 200)]
    Ok(Json<PossibleRepeatList>),
}

pub use super::complaint_views::complaint_ok;

/// Which complaints closed with the answer to follow to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum AnswerToFollow {
    /// The complainant is not told the result yet.
    Open,
    /// Not told yet, past the end of the working day after the closing.
    Overdue,
}

pub struct ComplaintsApi;

#[OpenApi(prefix_path = "/api/v1/complaints", tag = "ApiTags::Complaints")]
impl ComplaintsApi {
    /// Register a complaint (intake)
    ///
    /// Any channel; the registering user becomes the first handler. The answer lists the
    /// possible repeats (`possible_repeats`). With an `Idempotency-Key`, a retry with the same
    /// body returns the first answer as first sent, and the same key with a different body is
    /// refused with 422.
    #[oai(path = "/", method = "post", operation_id = "registerComplaint")]
    async fn register(
        &self,
        state: State<'_>,
        auth: StaffAuth,
        #[oai(name = "Idempotency-Key")] idempotency_key: Header<Option<IdempotencyKey>>,
        body: Json<RegisterComplaint>,
    ) -> Result<ComplaintCreated, ApiError> {
        let fingerprint = duban_infra::fingerprint::body_fingerprint(
            &body.0.to_json().unwrap_or_default().to_string(),
        );
        let claim = idempotency_key.0.map(|key| IdempotencyClaim {
            key: key.0,
            fingerprint,
        });
        let registered = state
            .complaints
            .register(&auth.0.actor, body.0.into_draft()?, claim)
            .await?;
        let complaint = registered.complaint;
        let tag = etag(complaint.version);
        let repeats = state
            .complaints
            .repeats_of(&auth.0.actor, &complaint)
            .await?;
        log_repeats(&auth.0, complaint.id, &repeats);
        let mut view = full_view(&state, &auth.0, complaint).await?;
        view.possible_repeats = Some(repeats.into_iter().map(Into::into).collect());
        Ok(ComplaintCreated::Created(Json(view), tag))
    }

    /// List complaints
    ///
    /// Newest registration first; intake and the leading group see all, unit staff only
    /// complaints routed to their unit (a head: also to the units below); admin none (403).
    /// The complainant's name and contacts are withheld (`withheld: true`) from the
    /// respondent staff member's unit and every unit above it. `q` searches the account, and
    /// the complainant's name, phone and e-mail address only where the caller sees them.
    /// Every complaint shown with its complainant's details is recorded in the personal-data
    /// access log. With `format=csv`: `text/csv`, the page's complaints one per row (columns
    /// as the JSON fields, `complainant_*` from `complainant`).
    #[allow(clippy::too_many_arguments)]
    #[oai(path = "/", method = "get", operation_id = "listComplaints")]
    async fn list(
        &self,
        state: State<'_>,
        auth: StaffAuth,
        status: Query<Option<ComplaintStatus>>,
        #[oai(name = "type")] complaint_type: Query<Option<ComplaintType>>,
        /// Only complaints with a running time limit at this warning level.
        warning_level: Query<Option<WarningLevel>>,
        /// `open`: closed complaints whose complainant is still owed the result (closed with
        /// `answer_later`); `overdue`: those still untold a working day after the closing.
        answer_to_follow: Query<Option<AnswerToFollow>>,
        channel: Query<Option<Channel>>,
        matter: Query<Option<Matter>>,
        respondent_unit_id: Query<Option<Uuid>>,
        first_handler_id: Query<Option<Uuid>>,
        /// Received at or after this instant.
        received_from: Query<Option<WireInstant>>,
        /// Received before this instant.
        received_to: Query<Option<WireInstant>>,
        /// Case-insensitive text in the account, or in the complainant's name, phone or
        /// e-mail address where the caller sees them.
        #[oai(name = "q", validator(min_length = 1, max_length = 200))]
        text: Query<Option<String>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))] limit: Query<Option<u32>>,
        #[oai(validator(pattern = r"^k1\.[0-9a-f]{32}$"))] cursor: Query<Option<String>>,
        /// `json` (default) or `csv`.
        format: Query<Option<ListFormat>>,
        /// With `format=csv`: start with a UTF-8 byte-order mark (default `true`).
        bom: Query<Option<bool>>,
    ) -> Result<ComplaintPageOk, ApiError> {
        let limit = limit.0.unwrap_or(DEFAULT_LIMIT);
        let received_from = received_from
            .0
            .map(|t| t.parse("received_from"))
            .transpose();
        let received_to = received_to.0.map(|t| t.parse("received_to")).transpose();
        let (received_from, received_to) = both(received_from, received_to)?;
        let query = ComplaintQuery {
            status: status.0.map(Into::into),
            complaint_type: complaint_type.0.map(Into::into),
            warning_level: warning_level.0.map(Into::into),
            answer_to_follow: answer_to_follow.0.map(|f| match f {
                AnswerToFollow::Open => AnswerFilter::Owed,
                AnswerToFollow::Overdue => AnswerFilter::Overdue,
            }),
            channel: channel.0.map(Into::into),
            matter: matter.0.map(Into::into),
            respondent_unit_id: respondent_unit_id.0.map(UnitId::from_uuid),
            first_handler_id: first_handler_id.0.map(UserId::from_uuid),
            received_from,
            received_to,
            text: text.0,
            after: decode_cursor(cursor.0.as_deref())?.map(ComplaintId::from_uuid),
            limit: limit + 1,
            ..ComplaintQuery::everything()
        };
        let fetched = state.complaints.list(&auth.0.actor, query).await?;
        let (complaints, next_cursor) = page(fetched, limit, |c| c.id.as_uuid());
        let ids: Vec<ComplaintId> = complaints.iter().map(|c| c.id).collect();
        let screening_due = time_limits::screening_due_at(&state.db, &ids).await?;
        let mut items = views(&state, &auth.0, complaints).await?;
        for view in &mut items {
            view.screening_due_at = screening_due.get(&ComplaintId::from_uuid(view.id)).copied();
        }
        Ok(match format.0 {
            Some(ListFormat::Csv) => ComplaintPageOk::Ok(
                ComplaintPageBody::Csv(PlainText(complaints_csv(&items, bom.0.unwrap_or(true)))),
                next_cursor,
            ),
            _ => ComplaintPageOk::Ok(
                ComplaintPageBody::Json(Json(ComplaintPage { items, next_cursor })),
                None,
            ),
        })
    }

    /// Read a complaint
    #[oai(path = "/:id", method = "get", operation_id = "getComplaint")]
    async fn get(
        &self,
        state: State<'_>,
        auth: StaffAuth,
        id: Path<Uuid>,
    ) -> Result<ComplaintOk, ApiError> {
        let complaint = state
            .complaints
            .get(&auth.0.actor, ComplaintId::from_uuid(id.0))
            .await?;
        complaint_ok(&state, &auth.0, complaint).await
    }

    /// Check a complaint's history for tampering
    ///
    /// Recomputes the keyed hash chain of the history as stored now, checks the complaint
    /// as stored against the state its events determine, and its newest event against the
    /// latest checkpoint; names every break. Anyone who may read the history may check it.
    #[oai(
        path = "/:id/events/verification",
        method = "get",
        operation_id = "verifyComplaintEvents"
    )]
    async fn verify_events(
        &self,
        state: State<'_>,
        auth: StaffAuth,
        id: Path<Uuid>,
    ) -> Result<ChainCheckOk, ApiError> {
        let complaint = state
            .complaints
            .get(&auth.0.actor, ComplaintId::from_uuid(id.0))
            .await?;
        let checkpoint = trusted_checkpoint(&state).await?;
        let report = duban_infra::audit::verify_complaint(
            &state.db,
            &state.audit_keys,
            complaint.id.as_uuid(),
            checkpoint.as_ref(),
        )
        .await
        .map_err(ApiError::unavailable)?;
        Ok(ChainCheckOk::Ok(Json(chain_view(
            &report,
            checkpoint.as_ref(),
        ))))
    }

    /// Possible repeats of a complaint (intake, leading group)
    ///
    /// Other complaints from the same call-back number or e-mail address, or about the same
    /// staff member, received within the repeat window (default 30 days) either side of this
    /// one; newest first, each with its reasons.
    #[oai(
        path = "/:id/possible-repeats",
        method = "get",
        operation_id = "listPossibleRepeats"
    )]
    async fn possible_repeats(
        &self,
        state: State<'_>,
        auth: StaffAuth,
        id: Path<Uuid>,
    ) -> Result<PossibleRepeatsOk, ApiError> {
        let id = ComplaintId::from_uuid(id.0);
        let repeats = state.complaints.possible_repeats(&auth.0.actor, id).await?;
        log_repeats(&auth.0, id, &repeats);
        Ok(PossibleRepeatsOk::Ok(Json(PossibleRepeatList {
            items: repeats.into_iter().map(Into::into).collect(),
        })))
    }

    /// A complaint's full history
    ///
    /// Every change with who made it, when, what and why, oldest first.
    #[oai(
        path = "/:id/events",
        method = "get",
        operation_id = "listComplaintEvents"
    )]
    async fn events(
        &self,
        state: State<'_>,
        auth: StaffAuth,
        id: Path<Uuid>,
    ) -> Result<EventsOk, ApiError> {
        let events = state
            .complaints
            .events(&auth.0.actor, ComplaintId::from_uuid(id.0))
            .await?;
        let mut actors: Vec<_> = events.iter().filter_map(|e| e.actor_id).collect();
        actors.sort_unstable();
        actors.dedup();
        let names = state.accounts.display_names(&actors).await?;
        let items = events
            .into_iter()
            .map(|e| {
                let mut data = serde_json::to_value(&e.event).unwrap_or_default();
                if let Some(map) = data.as_object_mut() {
                    map.remove("kind");
                }
                EventView {
                    sequence: e.sequence,
                    kind: e.event.kind().to_owned(),
                    actor_id: e.actor_id.map(|a| a.as_uuid()),
                    actor_display_name: e.actor_id.and_then(|a| names.get(&a).cloned()),
                    at: e.at,
                    reason: e.event.reason().map(str::to_owned),
                    data,
                }
            })
            .collect();
        Ok(EventsOk::Ok(Json(EventList { items })))
    }
}
