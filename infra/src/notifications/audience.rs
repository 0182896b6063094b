//! Finding the people of an audience: active accounts only, each once.

use duban_domain::notification::Audience;
use duban_domain::role::Role;
use duban_domain::storage::RepositoryError;
use sea_orm::{
    ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use crate::entities::{supervision_order, user};
use crate::storage_error::unavailable;

/// The people `audience` names, in a stable order, without repeats.
///
/// # Errors
/// [`RepositoryError::Unavailable`].
pub(super) async fn people(
    txn: &DatabaseTransaction,
    audience: &[Audience],
) -> Result<Vec<Uuid>, RepositoryError> {
    let mut found: Vec<Uuid> = Vec::new();
    for part in audience {
        for person in members(txn, part).await? {
            if !found.contains(&person) {
                found.push(person);
            }
        }
    }
    Ok(found)
}

async fn members(
    txn: &DatabaseTransaction,
    audience: &Audience,
) -> Result<Vec<Uuid>, RepositoryError> {
    const STAFF: &[Role] = &[Role::UnitHead, Role::UnitHandler];
    const HEADS: &[Role] = &[Role::UnitHead];
    match audience {
        Audience::OrderUnitStaff(order) => match order_unit(txn, *order).await? {
            Some(unit) => with_role(txn, Some(unit), STAFF).await,
            None => Ok(Vec::new()),
        },
        Audience::OrderUnitHeads(order) => match order_unit(txn, *order).await? {
            Some(unit) => with_role(txn, Some(unit), HEADS).await,
            None => Ok(Vec::new()),
        },
        Audience::UnitStaff(unit) => with_role(txn, Some(unit.as_uuid()), STAFF).await,
        Audience::UnitHeads(unit) => with_role(txn, Some(unit.as_uuid()), HEADS).await,
        Audience::UnitHeadsOf(person) => {
            let unit: Option<Option<Uuid>> = user::Entity::find_by_id(person.as_uuid())
                .select_only()
                .column(user::Column::UnitId)
                .into_tuple()
                .one(txn)
                .await
                .map_err(unavailable)?;
            match unit.flatten() {
                Some(unit) => with_role(txn, Some(unit), HEADS).await,
                None => Ok(Vec::new()),
            }
        }
        Audience::Intake => with_role(txn, None, &[Role::Intake]).await,
        Audience::LeadingGroup => with_role(txn, None, &[Role::LeadingGroup]).await,
        Audience::Person(person) => Ok(vec![person.as_uuid()]),
    }
}

async fn order_unit(
    txn: &DatabaseTransaction,
    order: Uuid,
) -> Result<Option<Uuid>, RepositoryError> {
    supervision_order::Entity::find_by_id(order)
        .select_only()
        .column(supervision_order::Column::UnitId)
        .into_tuple()
        .one(txn)
        .await
        .map_err(unavailable)
}

/// Active accounts with one of `roles`, in `unit` when given.
async fn with_role(
    txn: &DatabaseTransaction,
    unit: Option<Uuid>,
    roles: &[Role],
) -> Result<Vec<Uuid>, RepositoryError> {
    let mut query = user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .filter(user::Column::Role.is_in(roles.iter().map(|r| r.as_str())))
        .filter(user::Column::Active.eq(true))
        .order_by_asc(user::Column::Id);
    if let Some(unit) = unit {
        query = query.filter(user::Column::UnitId.eq(unit));
    }
    query.into_tuple().all(txn).await.map_err(unavailable)
}
