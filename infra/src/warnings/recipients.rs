//! Who is told about a limit (a warning level change, a reminder): the handler and the unit
//! head.

use duban_domain::role::Role;
use duban_domain::storage::RepositoryError;
use sea_orm::{
    ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use crate::entities::{supervision_order, time_limit, user};
use crate::storage_error::unavailable;

/// Why a person is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RecipientRole {
    /// The person handling the limit: the first handler (screening), the staff member who
    /// signed for the order, or else the unit's handlers.
    Handler,
    /// A head of the unit answerable for the limit.
    UnitHead,
}

impl RecipientRole {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            RecipientRole::Handler => "handler",
            RecipientRole::UnitHead => "unit_head",
        }
    }
}

/// The people to notify about `limit`, each once (a head who also signed is told as head).
///
/// - a limit without unit (screening): its handler, else the complaint's first handler;
/// - a unit's limit (sign-for, reply): every active head of the unit; the limit's handler if
///   set; the staff member who signed for the order, or, before anyone signed, every active
///   handler of the unit.
///
/// # Errors
/// [`RepositoryError::Unavailable`].
pub(crate) async fn recipients(
    txn: &DatabaseTransaction,
    limit: &time_limit::Model,
    first_handler_id: Uuid,
) -> Result<Vec<(Uuid, RecipientRole)>, RepositoryError> {
    let mut found: Vec<(Uuid, RecipientRole)> = Vec::new();
    let mut add = |id: Uuid, role: RecipientRole| {
        if !found.iter().any(|(known, _)| *known == id) {
            found.push((id, role));
        }
    };
    let Some(unit_id) = limit.unit_id else {
        add(
            limit.handler_id.unwrap_or(first_handler_id),
            RecipientRole::Handler,
        );
        return Ok(found);
    };
    for head in unit_members(txn, unit_id, Role::UnitHead).await? {
        add(head, RecipientRole::UnitHead);
    }
    if let Some(handler) = limit.handler_id {
        add(handler, RecipientRole::Handler);
    }
    let signer = match limit.order_id {
        Some(order_id) => supervision_order::Entity::find_by_id(order_id)
            .select_only()
            .column(supervision_order::Column::SignedBy)
            .into_tuple::<Option<Uuid>>()
            .one(txn)
            .await
            .map_err(unavailable)?
            .flatten(),
        None => None,
    };
    match signer {
        Some(signer) => add(signer, RecipientRole::Handler),
        None if limit.handler_id.is_none() => {
            for handler in unit_members(txn, unit_id, Role::UnitHandler).await? {
                add(handler, RecipientRole::Handler);
            }
        }
        None => {}
    }
    Ok(found)
}

async fn unit_members(
    txn: &DatabaseTransaction,
    unit_id: Uuid,
    role: Role,
) -> Result<Vec<Uuid>, RepositoryError> {
    user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .filter(user::Column::UnitId.eq(unit_id))
        .filter(user::Column::Role.eq(role.as_str()))
        .filter(user::Column::Active.eq(true))
        .order_by_asc(user::Column::Id)
        .into_tuple::<Uuid>()
        .all(txn)
        .await
        .map_err(unavailable)
}
