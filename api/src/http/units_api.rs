//! The unit tree: `GET/POST /units`, `GET/PATCH /units/{id}`.

use chrono::{DateTime, Utc};
use duban_domain::clock::Clock;
use duban_domain::ids::UnitId;
use duban_domain::role::Role;
use duban_infra::units::{UnitPatch, UnitRecord};
use poem_openapi::param::{Header, Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::types::MaybeUndefined;
use poem_openapi::{ApiResponse, Object, OpenApi};
use uuid::Uuid;

use super::auth::StaffAuth;
use super::idempotency_header::IdempotencyKey;
use super::pagination::{DEFAULT_LIMIT, decode_cursor, page};
use super::problem::ApiError;
use super::strict_string::Text;
use super::versioning::{etag, if_match};
use super::wire_enums::UnitKind;
use super::{ApiTags, State};

/// A responsible unit.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct UnitView {
    pub id: Uuid,
    pub name: String,
    pub kind: UnitKind,
    pub parent_id: Option<Uuid>,
    pub active: bool,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<UnitRecord> for UnitView {
    fn from(u: UnitRecord) -> Self {
        Self {
            id: u.id.as_uuid(),
            name: u.name,
            kind: u.kind.into(),
            parent_id: u.parent_id.map(|p| p.as_uuid()),
            active: u.active,
            version: u.version,
            created_at: u.created_at,
            updated_at: u.updated_at,
        }
    }
}

/// A new unit. Sections and windows need a parent.
#[derive(Debug, Object)]
pub struct CreateUnit {
    #[oai(validator(min_length = 1, max_length = 200, pattern = r"[^\s\u0085\ufeff]"))]
    pub name: Text,
    pub kind: UnitKind,
    #[oai(nullable)]
    pub parent_id: Option<Uuid>,
}

/// Changes to a unit; absent fields stay as they are.
#[derive(Debug, Object)]
pub struct UpdateUnit {
    #[oai(
        nullable,
        validator(min_length = 1, max_length = 200, pattern = r"[^\s\u0085\ufeff]")
    )]
    pub name: Option<Text>,
    #[oai(nullable)]
    pub active: Option<bool>,
    /// `null` makes an agency a root unit.
    #[oai(nullable)]
    pub parent_id: MaybeUndefined<Uuid>,
}

/// A page of units.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct UnitPage {
    pub items: Vec<UnitView>,
    pub next_cursor: Option<String>,
}

#[derive(ApiResponse)]
pub enum UnitOk {
    #[oai(status = 200)]
    Ok(Json<UnitView>, #[oai(header = "ETag")] String),
}

#[derive(ApiResponse)]
pub enum UnitCreated {
    #[oai(status = 201)]
    Created(Json<UnitView>, #[oai(header = "ETag")] String),
}

#[derive(ApiResponse)]
pub enum UnitPageOk {
    #[oai(status = 200)]
    Ok(Json<UnitPage>),
}

fn unit_ok(unit: UnitRecord) -> UnitOk {
    let tag = etag(unit.version);
    UnitOk::Ok(Json(unit.into()), tag)
}

pub struct UnitsApi;

#[OpenApi(prefix_path = "/api/v1/units", tag = "ApiTags::Units")]
impl UnitsApi {
    /// List units
    #[oai(path = "/", method = "get", operation_id = "listUnits")]
    async fn list(
        &self,
        state: State<'_>,
        _auth: StaffAuth,
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))] limit: Query<Option<u32>>,
        #[oai(validator(pattern = r"^k1\.[0-9a-f]{32}$"))] cursor: Query<Option<String>>,
    ) -> Result<UnitPageOk, ApiError> {
        let limit = limit.0.unwrap_or(DEFAULT_LIMIT);
        let after = decode_cursor(cursor.0.as_deref())?.map(UnitId::from_uuid);
        let fetched = state.units.list(after, u64::from(limit) + 1).await?;
        let (items, next_cursor) = page(fetched, limit, |u| u.id.as_uuid());
        Ok(UnitPageOk::Ok(Json(UnitPage {
            items: items.into_iter().map(Into::into).collect(),
            next_cursor,
        })))
    }

    /// Create a unit (admin)
    #[oai(path = "/", method = "post", operation_id = "createUnit")]
    async fn create(
        &self,
        state: State<'_>,
        auth: StaffAuth,
        #[oai(name = "Idempotency-Key")] _idempotency_key: Header<Option<IdempotencyKey>>,
        body: Json<CreateUnit>,
    ) -> Result<UnitCreated, ApiError> {
        auth.0.actor.require(&[Role::Admin], "manage units")?;
        let body = body.0;
        let unit = state
            .units
            .create(
                body.name.into_inner(),
                body.kind.into(),
                body.parent_id.map(UnitId::from_uuid),
                state.clock.now(),
            )
            .await?;
        let tag = etag(unit.version);
        Ok(UnitCreated::Created(Json(unit.into()), tag))
    }

    /// Read a unit
    #[oai(path = "/:id", method = "get", operation_id = "getUnit")]
    async fn get(
        &self,
        state: State<'_>,
        _auth: StaffAuth,
        id: Path<Uuid>,
    ) -> Result<UnitOk, ApiError> {
        Ok(unit_ok(state.units.get(UnitId::from_uuid(id.0)).await?))
    }

    /// Change a unit (admin)
    #[oai(path = "/:id", method = "patch", operation_id = "updateUnit")]
    async fn update(
        &self,
        state: State<'_>,
        auth: StaffAuth,
        id: Path<Uuid>,
        /// The ETag of the version this change is based on; 412 when it is no longer current.
        #[oai(
            name = "If-Match",
            validator(pattern = r#"^(\*|(W/)?"[!#-~]{0,18}")?$"#)
        )]
        if_match_header: Header<Option<String>>,
        body: Json<UpdateUnit>,
    ) -> Result<UnitOk, ApiError> {
        auth.0.actor.require(&[Role::Admin], "manage units")?;
        let expected = if_match(if_match_header.0.as_deref());
        let body = body.0;
        let patch = UnitPatch {
            name: body.name.map(Text::into_inner),
            active: body.active,
            parent_id: match body.parent_id {
                MaybeUndefined::Undefined => None,
                MaybeUndefined::Null => Some(None),
                MaybeUndefined::Value(p) => Some(Some(UnitId::from_uuid(p))),
            },
        };
        let unit = state
            .units
            .update(UnitId::from_uuid(id.0), expected, patch, state.clock.now())
            .await?;
        Ok(unit_ok(unit))
    }
}
