//! `POST/GET /complaints/{id}/links`: complaints about the same matter, linked so that the
//! matter is handled once.

use chrono::{DateTime, Utc};
use duban_domain::complaint::links::LinkedComplaint;
use duban_domain::ids::ComplaintId;
use poem_openapi::param::{Header, Path};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object, OpenApi};
use uuid::Uuid;

use super::auth::StaffAuth;
use super::idempotency_header::IdempotencyKey;
use super::problem::ApiError;
use super::strict_string::Text;
use super::{ApiTags, State};

/// A link to make.
#[derive(Debug, Object)]
pub struct NewLink {
    /// The other complaint about the same matter (e.g. a possible repeat).
    pub linked_complaint_id: Uuid,
    /// Why the two belong together.
    #[oai(validator(min_length = 1, max_length = 2000, pattern = r"[^\s\u0085\ufeff]"))]
    pub reason: Text,
}

/// A link of the complaint, seen from its side.
#[derive(Debug, Clone, Object)]
pub struct LinkView {
    pub linked_complaint_id: Uuid,
    /// `TS-YYYY-NNNNNN` of the other complaint.
    pub linked_number: String,
    pub reason: String,
    pub linked_by: Uuid,
    pub linked_at: DateTime<Utc>,
}

impl From<LinkedComplaint> for LinkView {
    fn from(l: LinkedComplaint) -> Self {
        Self {
            linked_complaint_id: l.link.linked_complaint_id.as_uuid(),
            linked_number: l.linked_number,
            reason: l.link.reason,
            linked_by: l.link.linked_by.as_uuid(),
            linked_at: l.link.linked_at,
        }
    }
}

/// The links of a complaint, oldest first.
#[derive(Debug, Object)]
pub struct LinkList {
    pub items: Vec<LinkView>,
}

#[derive(ApiResponse)]
pub enum LinkCreated {
    /// Linked; the complaint's links.
    #[oai(status = 201)]
    Created(Json<LinkList>),
}

#[derive(ApiResponse)]
pub enum LinkListOk {
    #[oai(status = 200)]
    Ok(Json<LinkList>),
}

fn list(links: Vec<LinkedComplaint>) -> LinkList {
    LinkList {
        items: links.into_iter().map(Into::into).collect(),
    }
}

pub struct LinksApi;

#[OpenApi(prefix_path = "/api/v1/complaints", tag = "ApiTags::Complaints")]
impl LinksApi {
    /// Link a complaint to another about the same matter (intake)
    ///
    /// Both histories record the link (`linked`). The leading group may link a case it holds.
    /// A pair is linked once; a complaint is not linked to itself.
    #[oai(path = "/:id/links", method = "post", operation_id = "linkComplaint")]
    async fn link(
        &self,
        state: State<'_>,
        auth: StaffAuth,
        #[oai(name = "Idempotency-Key")] _idempotency_key: Header<Option<IdempotencyKey>>,
        id: Path<Uuid>,
        body: Json<NewLink>,
    ) -> Result<LinkCreated, ApiError> {
        let links = state
            .complaints
            .link(
                &auth.0.actor,
                ComplaintId::from_uuid(id.0),
                ComplaintId::from_uuid(body.0.linked_complaint_id),
                body.0.reason.as_ref(),
            )
            .await?;
        Ok(LinkCreated::Created(Json(list(links))))
    }

    /// The links of a complaint (intake, leading group, admin)
    #[oai(
        path = "/:id/links",
        method = "get",
        operation_id = "listComplaintLinks"
    )]
    async fn links(
        &self,
        state: State<'_>,
        auth: StaffAuth,
        id: Path<Uuid>,
    ) -> Result<LinkListOk, ApiError> {
        let links = state
            .complaints
            .links(&auth.0.actor, ComplaintId::from_uuid(id.0))
            .await?;
        Ok(LinkListOk::Ok(Json(list(links))))
    }
}
