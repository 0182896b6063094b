//! Investigation records on a complaint (append-only) and the leading group's takeover.

use duban_domain::accountability::service::NewRecord;
use duban_domain::ids::ComplaintId;
use poem_openapi::param::{Header, Path};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use uuid::Uuid;

use super::auth::StaffAuth;
use super::idempotency_header::IdempotencyKey;
use super::investigation_dto::{
    HeldByView, InvestigationRecordList, InvestigationRecordView, NewInvestigationRecord,
    TakeoverBody,
};
use super::problem::ApiError;
use super::{ApiTags, State};

#[derive(ApiResponse)]
pub enum RecordCreated {
    #[oai(status = 201)]
    Created(Json<InvestigationRecordView>),
}

#[derive(ApiResponse)]
pub enum RecordListOk {
    #[oai(status = 200)]
    Ok(Json<InvestigationRecordList>),
}

#[derive(ApiResponse)]
pub enum TakenOver {
    #[oai(status = 201)]
    Created(Json<HeldByView>),
}

pub struct InvestigationsApi;

#[OpenApi(prefix_path = "/api/v1/complaints", tag = "ApiTags::Accountability")]
impl InvestigationsApi {
    /// Record an investigation entry (intake; the leading group on a case it took over)
    ///
    /// One of the four kinds, with the people involved and the content. Entries are
    /// append-only: there is no way to change or delete one. Also appended to the complaint's
    /// history as `investigation_recorded`.
    #[oai(
        path = "/:id/investigation-records",
        method = "post",
        operation_id = "addInvestigationRecord"
    )]
    async fn add(
        &self,
        state: State<'_>,
        auth: StaffAuth,
        #[oai(name = "Idempotency-Key")] _idempotency_key: Header<Option<IdempotencyKey>>,
        id: Path<Uuid>,
        body: Json<NewInvestigationRecord>,
    ) -> Result<RecordCreated, ApiError> {
        let body = body.0;
        let record = state
            .accountability
            .add_record(
                &auth.0.actor,
                ComplaintId::from_uuid(id.0),
                NewRecord {
                    kind: body.kind.into(),
                    people_involved: body.people_involved.into_inner(),
                    content: body.content.into_inner(),
                },
            )
            .await?;
        Ok(RecordCreated::Created(Json(record.into())))
    }

    /// The investigation entries of a case (intake, leading group), oldest first
    #[oai(
        path = "/:id/investigation-records",
        method = "get",
        operation_id = "listInvestigationRecords"
    )]
    async fn list(
        &self,
        state: State<'_>,
        auth: StaffAuth,
        id: Path<Uuid>,
    ) -> Result<RecordListOk, ApiError> {
        let records = state
            .accountability
            .records(&auth.0.actor, ComplaintId::from_uuid(id.0))
            .await?;
        Ok(RecordListOk::Ok(Json(InvestigationRecordList {
            items: records.into_iter().map(Into::into).collect(),
        })))
    }

    /// Take a case over as an important case (leading group)
    ///
    /// From then on leading-group members may record investigations and propose sanctions
    /// on it, and the complaint shows `held_by`. 409 when already held.
    #[oai(
        path = "/:id/takeover",
        method = "post",
        operation_id = "takeOverComplaint"
    )]
    async fn take_over(
        &self,
        state: State<'_>,
        auth: StaffAuth,
        #[oai(name = "Idempotency-Key")] _idempotency_key: Header<Option<IdempotencyKey>>,
        id: Path<Uuid>,
        body: Json<TakeoverBody>,
    ) -> Result<TakenOver, ApiError> {
        let takeover = state
            .accountability
            .take_over(
                &auth.0.actor,
                ComplaintId::from_uuid(id.0),
                body.0.reason.into_inner(),
            )
            .await?;
        Ok(TakenOver::Created(Json(takeover.into())))
    }
}
