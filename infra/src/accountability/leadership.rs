//! The chain of units from one unit up to the root, with each unit's active heads.

use duban_domain::accountability::leaders::{NamedPerson, UnitLeadership};
use duban_domain::ids::UnitId;
use duban_domain::role::Role;
use duban_domain::storage::RepositoryError;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use super::mapping::corrupt;
use crate::entities::{unit, user};
use crate::storage_error::unavailable;

/// See [`duban_domain::accountability::AccountabilityRepository::unit_chain`].
pub(super) async fn unit_chain(
    db: &DatabaseConnection,
    id: UnitId,
) -> Result<Vec<UnitLeadership>, RepositoryError> {
    // The unit tree is small reference data: walk it in memory.
    let units = unit::Entity::find().all(db).await.map_err(unavailable)?;
    let mut chain: Vec<&unit::Model> = Vec::new();
    let mut next = Some(id.as_uuid());
    while let Some(current) = next {
        if chain.iter().any(|u| u.id == current) {
            break;
        }
        let Some(found) = units.iter().find(|u| u.id == current) else {
            break;
        };
        chain.push(found);
        next = found.parent_id;
    }
    let ids: Vec<uuid::Uuid> = chain.iter().map(|u| u.id).collect();
    let heads = user::Entity::find()
        .filter(user::Column::UnitId.is_in(ids))
        .filter(user::Column::Role.eq(Role::UnitHead.as_str()))
        .filter(user::Column::Active.eq(true))
        .order_by_asc(user::Column::DisplayName)
        .order_by_asc(user::Column::Id)
        .all(db)
        .await
        .map_err(unavailable)?;
    chain
        .into_iter()
        .map(|u| {
            Ok(UnitLeadership {
                unit_id: UnitId::from_uuid(u.id),
                name: u.name.clone(),
                kind: u.kind.parse().map_err(corrupt)?,
                heads: heads
                    .iter()
                    .filter(|h| h.unit_id == Some(u.id))
                    .map(|h| NamedPerson {
                        user_id: h.id,
                        display_name: h.display_name.clone(),
                    })
                    .collect(),
            })
        })
        .collect()
}
