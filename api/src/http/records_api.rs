//! The records (档案) of staff members and units.

use duban_domain::accountability::SubjectRef;
use duban_domain::ids::{UnitId, UserId};
use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use uuid::Uuid;

use super::auth::StaffAuth;
use super::problem::ApiError;
use super::record_dto::RecordView;
use super::{ApiTags, State};

#[derive(ApiResponse)]
pub enum RecordOk {
    #[oai(status = 200)]
    Ok(Json<RecordView>),
}

pub struct RecordsApi;

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTags::Accountability")]
impl RecordsApi {
    /// A staff member's record (leading group, admin; a unit head for their units' staff)
    ///
    /// Complaints naming them by finding, every sanction with its effective date and impact
    /// periods, what is active today and awards eligibility for the current year. 404 when
    /// not visible.
    #[oai(
        path = "/people/:user_id/record",
        method = "get",
        operation_id = "getPersonRecord"
    )]
    async fn person(
        &self,
        state: State<'_>,
        auth: StaffAuth,
        user_id: Path<Uuid>,
    ) -> Result<RecordOk, ApiError> {
        let id = UserId::from_uuid(user_id.0);
        let record = state
            .accountability
            .person_record(&auth.0.actor, id)
            .await?;
        Ok(RecordOk::Ok(Json(RecordView::new(
            SubjectRef::Person(id),
            record,
        ))))
    }

    /// A unit's record (leading group, admin; a unit head for their unit and those below)
    #[oai(
        path = "/units/:id/record",
        method = "get",
        operation_id = "getUnitRecord"
    )]
    async fn unit(
        &self,
        state: State<'_>,
        auth: StaffAuth,
        id: Path<Uuid>,
    ) -> Result<RecordOk, ApiError> {
        let id = UnitId::from_uuid(id.0);
        let record = state.accountability.unit_record(&auth.0.actor, id).await?;
        Ok(RecordOk::Ok(Json(RecordView::new(
            SubjectRef::Unit(id),
            record,
        ))))
    }
}
