//! Accounts as the use cases read and write them: the record, a new account, a change.

use chrono::{DateTime, Utc};
use duban_domain::ids::{UnitId, UserId};
use duban_domain::role::Role;

use crate::config::Language;
use crate::entities::user;
use crate::store_error::StoreError;

/// An account as the API shows it (never the password hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRecord {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub unit_id: Option<UnitId>,
    pub party_member: bool,
    pub active: bool,
    pub contact: StaffContact,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Where a person is reached on the personal channels, and in which language.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StaffContact {
    pub email: Option<String>,
    pub phone: Option<String>,
    /// None: the service's default language.
    pub language: Option<Language>,
}

/// A new account.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub unit_id: Option<UnitId>,
    pub party_member: bool,
    pub password: String,
    pub contact: StaffContact,
}

/// A change to an account; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct UserPatch {
    pub display_name: Option<String>,
    pub role: Option<Role>,
    /// `Some(None)` takes the account out of its unit.
    pub unit_id: Option<Option<UnitId>>,
    pub party_member: Option<bool>,
    pub active: Option<bool>,
    /// `Some(None)` removes the address.
    pub email: Option<Option<String>>,
    pub phone: Option<Option<String>>,
    pub language: Option<Option<Language>>,
}

impl TryFrom<user::Model> for UserRecord {
    type Error = StoreError;

    fn try_from(m: user::Model) -> Result<Self, StoreError> {
        Ok(UserRecord {
            id: UserId::from_uuid(m.id),
            username: m.username,
            display_name: m.display_name,
            role: m
                .role
                .parse()
                .map_err(|e: duban_domain::role::UnknownRole| {
                    StoreError::Unavailable(e.to_string())
                })?,
            unit_id: m.unit_id.map(UnitId::from_uuid),
            party_member: m.party_member,
            active: m.active,
            contact: StaffContact {
                email: m.email,
                phone: m.phone,
                language: m.language.as_deref().and_then(|tag| tag.parse().ok()),
            },
            version: m.version,
            created_at: m.created_at,
            updated_at: m.updated_at,
        })
    }
}
