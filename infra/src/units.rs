//! The unit tree: thin storage with the few rules it has (parents exist, no cycles).

use chrono::{DateTime, Utc};
use duban_domain::ids::UnitId;
use duban_domain::unit::UnitKind;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use crate::db::begin_write;
use crate::entities::unit;
use crate::store_error::{StoreError, check_if_match};

/// A unit as the API shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitRecord {
    pub id: UnitId,
    pub name: String,
    pub kind: UnitKind,
    pub parent_id: Option<UnitId>,
    pub active: bool,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A change to a unit; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct UnitPatch {
    pub name: Option<String>,
    pub active: Option<bool>,
    /// `Some(None)` makes the unit a root.
    pub parent_id: Option<Option<UnitId>>,
}

/// Reads and writes units.
#[derive(Clone)]
pub struct UnitStore {
    db: DatabaseConnection,
}

impl TryFrom<unit::Model> for UnitRecord {
    type Error = StoreError;

    fn try_from(m: unit::Model) -> Result<Self, StoreError> {
        Ok(UnitRecord {
            id: UnitId::from_uuid(m.id),
            name: m.name,
            kind: m
                .kind
                .parse()
                .map_err(|e: duban_domain::wire_enum::UnknownValue| {
                    StoreError::Unavailable(e.to_string())
                })?,
            parent_id: m.parent_id.map(UnitId::from_uuid),
            active: m.active,
            version: m.version,
            created_at: m.created_at,
            updated_at: m.updated_at,
        })
    }
}

impl UnitStore {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }

    /// # Errors
    /// [`StoreError::Invalid`] when the parent is unknown or a section/window has none.
    pub async fn create(
        &self,
        name: String,
        kind: UnitKind,
        parent_id: Option<UnitId>,
        now: DateTime<Utc>,
    ) -> Result<UnitRecord, StoreError> {
        if kind.needs_parent() && parent_id.is_none() {
            return Err(StoreError::invalid(
                "parent_id",
                duban_domain::msg!("field_unit_needs_parent", kind = kind),
            ));
        }
        let txn = begin_write(&self.db).await?;
        if let Some(parent) = parent_id
            && unit::Entity::find_by_id(parent.as_uuid())
                .one(&txn)
                .await?
                .is_none()
        {
            return Err(StoreError::invalid(
                "parent_id",
                duban_domain::msg!("field_no_unit_with_id"),
            ));
        }
        let model = unit::ActiveModel {
            id: Set(UnitId::generate().as_uuid()),
            name: Set(name),
            kind: Set(kind.as_str().to_owned()),
            parent_id: Set(parent_id.map(|p| p.as_uuid())),
            active: Set(true),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(&txn)
        .await?;
        txn.commit().await?;
        model.try_into()
    }

    /// Units in id order, `limit` at most, after the cursor.
    ///
    /// # Errors
    /// [`StoreError::Unavailable`].
    pub async fn list(
        &self,
        after: Option<UnitId>,
        limit: u64,
    ) -> Result<Vec<UnitRecord>, StoreError> {
        let mut query = unit::Entity::find()
            .order_by_asc(unit::Column::Id)
            .limit(limit);
        if let Some(after) = after {
            query = query.filter(unit::Column::Id.gt(after.as_uuid()));
        }
        query
            .all(&self.db)
            .await?
            .into_iter()
            .map(TryInto::try_into)
            .collect()
    }

    /// # Errors
    /// [`StoreError::NotFound`].
    pub async fn get(&self, id: UnitId) -> Result<UnitRecord, StoreError> {
        unit::Entity::find_by_id(id.as_uuid())
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?
            .try_into()
    }

    /// Renames, (de)activates or moves a unit; refuses a move under itself or its descendants.
    ///
    /// # Errors
    /// [`StoreError`].
    pub async fn update(
        &self,
        id: UnitId,
        if_match: Option<i64>,
        patch: UnitPatch,
        now: DateTime<Utc>,
    ) -> Result<UnitRecord, StoreError> {
        let txn = begin_write(&self.db).await?;
        let current = unit::Entity::find_by_id(id.as_uuid())
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        check_if_match(if_match, current.version)?;
        let kind: UnitKind =
            current
                .kind
                .parse()
                .map_err(|e: duban_domain::wire_enum::UnknownValue| {
                    StoreError::Unavailable(e.to_string())
                })?;
        let mut model: unit::ActiveModel = current.clone().into();
        if let Some(name) = patch.name {
            model.name = Set(name);
        }
        if let Some(active) = patch.active {
            model.active = Set(active);
        }
        if let Some(parent) = patch.parent_id {
            match parent {
                None if kind.needs_parent() => {
                    return Err(StoreError::invalid(
                        "parent_id",
                        duban_domain::msg!("field_unit_needs_parent", kind = kind),
                    ));
                }
                None => {}
                Some(parent) => {
                    let mut cursor = Some(parent.as_uuid());
                    while let Some(step) = cursor {
                        if step == id.as_uuid() {
                            return Err(StoreError::invalid(
                                "parent_id",
                                duban_domain::msg!("field_unit_cycle"),
                            ));
                        }
                        let node = unit::Entity::find_by_id(step).one(&txn).await?;
                        let Some(node) = node else {
                            return Err(StoreError::invalid(
                                "parent_id",
                                duban_domain::msg!("field_no_unit_with_id"),
                            ));
                        };
                        cursor = node.parent_id;
                    }
                }
            }
            model.parent_id = Set(parent.map(|p| p.as_uuid()));
        }
        model.version = Set(current.version + 1);
        model.updated_at = Set(now);
        let result = unit::Entity::update_many()
            .set(model)
            .filter(unit::Column::Id.eq(id.as_uuid()))
            .filter(unit::Column::Version.eq(current.version))
            .exec(&txn)
            .await?;
        if result.rows_affected != 1 {
            return Err(StoreError::Conflict);
        }
        let updated = unit::Entity::find_by_id(id.as_uuid())
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        txn.commit().await?;
        updated.try_into()
    }
}
