//! The unit directory port over the units and users tables.

use duban_domain::complaint::ports::{RepositoryError, UnitDirectory};
use duban_domain::ids::{UnitId, UserId};
use sea_orm::{DatabaseConnection, EntityTrait, QuerySelect};

use crate::entities::{unit, user};
use crate::storage_error::unavailable;

/// Answers unit and staff questions from the database.
#[derive(Clone)]
pub struct SeaUnitDirectory {
    db: DatabaseConnection,
}

impl SeaUnitDirectory {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }
}

impl UnitDirectory for SeaUnitDirectory {
    async fn unit_active(&self, id: UnitId) -> Result<Option<bool>, RepositoryError> {
        let found = unit::Entity::find_by_id(id.as_uuid())
            .one(&self.db)
            .await
            .map_err(unavailable)?;
        Ok(found.map(|u| u.active))
    }

    async fn staff_unit(&self, id: UserId) -> Result<Option<Option<UnitId>>, RepositoryError> {
        let found = user::Entity::find_by_id(id.as_uuid())
            .one(&self.db)
            .await
            .map_err(unavailable)?;
        Ok(found.map(|u| u.unit_id.map(UnitId::from_uuid)))
    }

    async fn unit_and_descendants(&self, id: UnitId) -> Result<Vec<UnitId>, RepositoryError> {
        // The unit tree is small reference data (hundreds of rows): walk it in memory.
        let edges: Vec<(uuid::Uuid, Option<uuid::Uuid>)> = unit::Entity::find()
            .select_only()
            .column(unit::Column::Id)
            .column(unit::Column::ParentId)
            .into_tuple()
            .all(&self.db)
            .await
            .map_err(unavailable)?;
        let mut found = vec![id.as_uuid()];
        let mut next = 0;
        while next < found.len() {
            let parent = found[next];
            found.extend(
                edges
                    .iter()
                    .filter(|(_, p)| *p == Some(parent))
                    .map(|(child, _)| *child),
            );
            next += 1;
        }
        Ok(found.into_iter().map(UnitId::from_uuid).collect())
    }
}
