//! Staff accounts: thin storage plus the rules that keep roles and units consistent.

use chrono::{DateTime, Utc};
use duban_domain::ids::{UnitId, UserId};
use duban_domain::notification::ChannelChoice;
use duban_domain::role::Role;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::db::begin_write;
use crate::entities::{auth_token, unit, user};
use crate::notifications::upsert_choices;
use crate::password;
use crate::storage_error::is_unique_violation;
use crate::store_error::{StoreError, check_if_match};

mod records;
pub use records::{NewUser, StaffContact, UserPatch, UserRecord};

/// Reads and writes accounts.
#[derive(Clone)]
pub struct AccountStore {
    db: DatabaseConnection,
}

async fn check_role_unit(
    txn: &DatabaseTransaction,
    role: Role,
    unit_id: Option<UnitId>,
) -> Result<(), StoreError> {
    match (role.belongs_to_unit(), unit_id) {
        (true, None) => Err(StoreError::invalid(
            "unit_id",
            duban_domain::msg!("field_role_needs_unit", role = role.as_str()),
        )),
        (false, Some(_)) => Err(StoreError::invalid(
            "unit_id",
            duban_domain::msg!("field_role_has_no_unit", role = role.as_str()),
        )),
        (true, Some(unit)) => match unit::Entity::find_by_id(unit.as_uuid()).one(txn).await? {
            Some(u) if u.active => Ok(()),
            Some(_) => Err(StoreError::invalid(
                "unit_id",
                duban_domain::msg!("field_unit_deactivated"),
            )),
            None => Err(StoreError::invalid(
                "unit_id",
                duban_domain::msg!("field_no_unit_with_id"),
            )),
        },
        (false, None) => Ok(()),
    }
}

impl AccountStore {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }

    /// Creates an account; the password is hashed with argon2id.
    ///
    /// # Errors
    /// [`StoreError::Duplicate`] for a taken username, [`StoreError::Invalid`] when role and
    /// unit do not fit.
    pub async fn create(&self, new: NewUser, now: DateTime<Utc>) -> Result<UserRecord, StoreError> {
        let hash = password::hash(new.password)
            .await
            .map_err(|e| StoreError::Unavailable(e.to_string()))?;
        let txn = begin_write(&self.db).await?;
        check_role_unit(&txn, new.role, new.unit_id).await?;
        let inserted = user::ActiveModel {
            id: Set(UserId::generate().as_uuid()),
            username: Set(new.username),
            display_name: Set(new.display_name),
            role: Set(new.role.as_str().to_owned()),
            unit_id: Set(new.unit_id.map(|u| u.as_uuid())),
            party_member: Set(new.party_member),
            active: Set(true),
            password_hash: Set(hash),
            email: Set(new.contact.email),
            phone: Set(new.contact.phone),
            language: Set(new.contact.language.map(|l| l.tag().to_owned())),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(&txn)
        .await;
        let model = match inserted {
            Err(e) if is_unique_violation(&e) => {
                return Err(StoreError::Duplicate { field: "username" });
            }
            other => other?,
        };
        txn.commit().await?;
        model.try_into()
    }

    /// True when no account exists yet (first start).
    ///
    /// # Errors
    /// [`StoreError::Unavailable`].
    pub async fn is_empty(&self) -> Result<bool, StoreError> {
        Ok(user::Entity::find().one(&self.db).await?.is_none())
    }

    /// # Errors
    /// [`StoreError::Unavailable`].
    pub async fn list(
        &self,
        after: Option<UserId>,
        limit: u64,
    ) -> Result<Vec<UserRecord>, StoreError> {
        let mut query = user::Entity::find()
            .order_by_asc(user::Column::Id)
            .limit(limit);
        if let Some(after) = after {
            query = query.filter(user::Column::Id.gt(after.as_uuid()));
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
    pub async fn get(&self, id: UserId) -> Result<UserRecord, StoreError> {
        user::Entity::find_by_id(id.as_uuid())
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?
            .try_into()
    }

    /// The display names of `ids`, read in one query; an id without an account is left out.
    ///
    /// # Errors
    /// [`StoreError::Unavailable`].
    pub async fn display_names(
        &self,
        ids: &[UserId],
    ) -> Result<std::collections::HashMap<UserId, String>, StoreError> {
        if ids.is_empty() {
            return Ok(std::collections::HashMap::new());
        }
        let rows: Vec<(uuid::Uuid, String)> = user::Entity::find()
            .select_only()
            .column(user::Column::Id)
            .column(user::Column::DisplayName)
            .filter(user::Column::Id.is_in(ids.iter().map(|id| id.as_uuid())))
            .into_tuple()
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .map(|(id, name)| (UserId::from_uuid(id), name))
            .collect())
    }

    /// The stored hash of an active account, for logging in.
    ///
    /// # Errors
    /// [`StoreError::Unavailable`].
    pub(crate) async fn credentials(
        &self,
        username: &str,
    ) -> Result<Option<(UserId, String)>, StoreError> {
        let found = user::Entity::find()
            .filter(user::Column::Username.eq(username))
            .filter(user::Column::Active.eq(true))
            .one(&self.db)
            .await?;
        Ok(found.map(|u| (UserId::from_uuid(u.id), u.password_hash)))
    }

    /// Changes an account. Deactivating it, or changing its role or unit, ends its sessions.
    ///
    /// # Errors
    /// [`StoreError`].
    pub async fn update(
        &self,
        id: UserId,
        if_match: Option<i64>,
        patch: UserPatch,
        now: DateTime<Utc>,
    ) -> Result<UserRecord, StoreError> {
        let txn = begin_write(&self.db).await?;
        let current = user::Entity::find_by_id(id.as_uuid())
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        check_if_match(if_match, current.version)?;
        let before: UserRecord = current.clone().try_into()?;
        let role = patch.role.unwrap_or(before.role);
        let unit_id = patch.unit_id.unwrap_or(before.unit_id);
        check_role_unit(&txn, role, unit_id).await?;
        let ends_sessions =
            role != before.role || unit_id != before.unit_id || patch.active == Some(false);
        let mut model: user::ActiveModel = current.clone().into();
        if let Some(name) = &patch.display_name {
            model.display_name = Set(name.clone());
        }
        model.role = Set(role.as_str().to_owned());
        model.unit_id = Set(unit_id.map(|u| u.as_uuid()));
        if let Some(p) = patch.party_member {
            model.party_member = Set(p);
        }
        if let Some(a) = patch.active {
            model.active = Set(a);
        }
        set_contact(&mut model, &patch);
        let updated = self
            .save_versioned(&txn, model, current.version, now)
            .await?;
        if ends_sessions {
            revoke_sessions(&txn, id, None, now).await?;
        }
        txn.commit().await?;
        updated.try_into()
    }

    /// Changes how a person is reached (their e-mail, phone, language; `None` fields stay)
    /// and their channel choices, in one transaction, as one new version of the account
    /// (checked against `if_match`). Their sessions stay.
    ///
    /// # Errors
    /// [`StoreError`].
    pub async fn update_reach(
        &self,
        id: UserId,
        if_match: Option<i64>,
        patch: UserPatch,
        choices: &[ChannelChoice],
        now: DateTime<Utc>,
    ) -> Result<UserRecord, StoreError> {
        let txn = begin_write(&self.db).await?;
        let current = user::Entity::find_by_id(id.as_uuid())
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        check_if_match(if_match, current.version)?;
        let changes = patch.email.is_some()
            || patch.phone.is_some()
            || patch.language.is_some()
            || !choices.is_empty();
        let mut model: user::ActiveModel = current.clone().into();
        set_contact(&mut model, &patch);
        let updated = if changes {
            self.save_versioned(&txn, model, current.version, now)
                .await?
        } else {
            current
        };
        upsert_choices(&txn, id, choices).await?;
        txn.commit().await?;
        updated.try_into()
    }

    /// Sets a new password and ends every session of the account except `keep_token` (the
    /// caller's own session, when people change their own password).
    ///
    /// # Errors
    /// [`StoreError`].
    pub async fn set_password(
        &self,
        id: UserId,
        if_match: Option<i64>,
        new_password: String,
        keep_token: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<UserRecord, StoreError> {
        let hash = password::hash(new_password)
            .await
            .map_err(|e| StoreError::Unavailable(e.to_string()))?;
        let txn = begin_write(&self.db).await?;
        let current = user::Entity::find_by_id(id.as_uuid())
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        check_if_match(if_match, current.version)?;
        let mut model: user::ActiveModel = current.clone().into();
        model.password_hash = Set(hash);
        let updated = self
            .save_versioned(&txn, model, current.version, now)
            .await?;
        revoke_sessions(&txn, id, keep_token, now).await?;
        txn.commit().await?;
        updated.try_into()
    }

    async fn save_versioned(
        &self,
        txn: &DatabaseTransaction,
        mut model: user::ActiveModel,
        version: i64,
        now: DateTime<Utc>,
    ) -> Result<user::Model, StoreError> {
        let id = current_id(&model);
        model.version = Set(version + 1);
        model.updated_at = Set(now);
        let result = user::Entity::update_many()
            .set(model)
            .filter(user::Column::Id.eq(id))
            .filter(user::Column::Version.eq(version))
            .exec(txn)
            .await?;
        if result.rows_affected != 1 {
            return Err(StoreError::Conflict);
        }
        user::Entity::find_by_id(id)
            .one(txn)
            .await?
            .ok_or(StoreError::NotFound)
    }
}

/// Sets the contact fields `patch` changes.
fn set_contact(model: &mut user::ActiveModel, patch: &UserPatch) {
    if let Some(email) = &patch.email {
        model.email = Set(email.clone());
    }
    if let Some(phone) = &patch.phone {
        model.phone = Set(phone.clone());
    }
    if let Some(language) = patch.language {
        model.language = Set(language.map(|l| l.tag().to_owned()));
    }
}

async fn revoke_sessions(
    txn: &DatabaseTransaction,
    id: UserId,
    keep_token: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut revoke = auth_token::Entity::update_many();
    if let Some(keep) = keep_token {
        revoke = revoke.filter(auth_token::Column::TokenHash.ne(crate::tokens::token_hash(keep)));
    }
    revoke
        .col_expr(
            auth_token::Column::RevokedAt,
            sea_orm::sea_query::Expr::value(Some(now)),
        )
        .filter(auth_token::Column::UserId.eq(id.as_uuid()))
        .filter(auth_token::Column::RevokedAt.is_null())
        .exec(txn)
        .await?;
    Ok(())
}

fn current_id(model: &user::ActiveModel) -> uuid::Uuid {
    match &model.id {
        sea_orm::ActiveValue::Set(id) | sea_orm::ActiveValue::Unchanged(id) => *id,
        sea_orm::ActiveValue::NotSet => uuid::Uuid::nil(),
    }
}
