//! Staff accounts: `GET/POST /users`, `GET/PATCH /users/{id}`, `POST /users/{id}/password`.

use chrono::{DateTime, Utc};
use duban_domain::clock::Clock;
use duban_domain::ids::{UnitId, UserId};
use duban_domain::role::Role as DomainRole;
use duban_infra::accounts::{NewUser, StaffContact, UserPatch, UserRecord};
use poem_openapi::param::{Header, Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::types::MaybeUndefined;
use poem_openapi::{ApiResponse, Object, OpenApi};
use uuid::Uuid;

use super::auth::StaffAuth;
use super::contact_dto::{Language, change, check_email};
use super::idempotency_header::IdempotencyKey;
use super::pagination::{DEFAULT_LIMIT, decode_cursor, page};
use super::problem::ApiError;
use super::strict_string::Text;
use super::versioning::{etag, if_match};
use super::wire_enums::Role;
use super::{ApiTags, State};

/// A staff account.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct UserView {
    pub id: Uuid,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// The unit of a unit_handler or unit_head.
    pub unit_id: Option<Uuid>,
    /// Party membership decides which sanction tracks apply.
    pub party_member: bool,
    pub active: bool,
    /// Where e-mail notifications go.
    pub email: Option<String>,
    /// Where SMS notifications go (digits, optionally after `+`).
    pub phone: Option<String>,
    /// The language of e-mail and SMS; absent: the service's default language.
    pub language: Option<Language>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<UserRecord> for UserView {
    fn from(u: UserRecord) -> Self {
        Self {
            id: u.id.as_uuid(),
            username: u.username,
            display_name: u.display_name,
            role: u.role.into(),
            unit_id: u.unit_id.map(|x| x.as_uuid()),
            party_member: u.party_member,
            active: u.active,
            email: u.contact.email,
            phone: u.contact.phone,
            language: u.contact.language.map(Into::into),
            version: u.version,
            created_at: u.created_at,
            updated_at: u.updated_at,
        }
    }
}

/// A new account. Unit roles need a unit; other roles have none.
#[derive(Debug, Object)]
pub struct CreateUser {
    /// Lower-case letters, digits, `.`, `_`, `-`; 2 to 64 characters.
    #[oai(validator(pattern = r"^[a-z0-9][a-z0-9._-]{1,63}$"))]
    pub username: Text,
    #[oai(validator(min_length = 1, max_length = 100, pattern = r"[^\s\u0085\ufeff]"))]
    pub display_name: Text,
    pub role: Role,
    #[oai(nullable)]
    pub unit_id: Option<Uuid>,
    #[oai(default)]
    pub party_member: bool,
    /// At least 12 characters.
    #[oai(validator(min_length = 12, max_length = 256))]
    pub password: Text,
    #[oai(validator(max_length = 254, pattern = r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$"))]
    pub email: Option<Text>,
    #[oai(validator(max_length = 32, pattern = r"^\+?[0-9]{5,20}$"))]
    pub phone: Option<Text>,
    pub language: Option<Language>,
}

/// Changes to an account; absent fields stay as they are, `unit_id: null` removes the unit.
#[derive(Debug, Object)]
pub struct UpdateUser {
    #[oai(
        nullable,
        validator(min_length = 1, max_length = 100, pattern = r"[^\s\u0085\ufeff]")
    )]
    pub display_name: Option<Text>,
    #[oai(nullable)]
    pub role: Option<Role>,
    #[oai(nullable)]
    pub unit_id: MaybeUndefined<Uuid>,
    #[oai(nullable)]
    pub party_member: Option<bool>,
    /// Deactivating an account ends its sessions.
    #[oai(nullable)]
    pub active: Option<bool>,
    /// `null` removes the address.
    #[oai(
        nullable,
        validator(max_length = 254, pattern = r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")
    )]
    pub email: MaybeUndefined<Text>,
    /// `null` removes the number.
    #[oai(nullable, validator(max_length = 32, pattern = r"^\+?[0-9]{5,20}$"))]
    pub phone: MaybeUndefined<Text>,
    /// `null`: the service's default language.
    #[oai(nullable)]
    pub language: MaybeUndefined<Language>,
}

/// A new password; every session of the account ends.
#[derive(Debug, Object)]
pub struct SetPassword {
    #[oai(validator(min_length = 12, max_length = 256))]
    pub password: Text,
}

/// A page of accounts.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct UserPage {
    pub items: Vec<UserView>,
    pub next_cursor: Option<String>,
}

#[derive(ApiResponse)]
pub enum UserOk {
    #[oai(status = 200)]
    Ok(Json<UserView>, #[oai(header = "ETag")] String),
}

#[derive(ApiResponse)]
pub enum UserCreated {
    #[oai(status = 201)]
    Created(Json<UserView>, #[oai(header = "ETag")] String),
}

#[derive(ApiResponse)]
pub enum UserPageOk {
    #[oai(status = 200)]
    Ok(Json<UserPage>),
}

fn admin(auth: &StaffAuth) -> Result<(), ApiError> {
    Ok(auth
        .0
        .actor
        .require(&[DomainRole::Admin], "manage accounts")?)
}

fn user_ok(user: UserRecord) -> UserOk {
    let tag = etag(user.version);
    UserOk::Ok(Json(user.into()), tag)
}

pub struct UsersApi;

#[OpenApi(prefix_path = "/api/v1/users", tag = "ApiTags::Users")]
impl UsersApi {
    /// List accounts (admin)
    #[oai(path = "/", method = "get", operation_id = "listUsers")]
    async fn list(
        &self,
        state: State<'_>,
        auth: StaffAuth,
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))] limit: Query<Option<u32>>,
        #[oai(validator(pattern = r"^k1\.[0-9a-f]{32}$"))] cursor: Query<Option<String>>,
    ) -> Result<UserPageOk, ApiError> {
        admin(&auth)?;
        let limit = limit.0.unwrap_or(DEFAULT_LIMIT);
        let after = decode_cursor(cursor.0.as_deref())?.map(UserId::from_uuid);
        let fetched = state.accounts.list(after, u64::from(limit) + 1).await?;
        let (items, next_cursor) = page(fetched, limit, |u| u.id.as_uuid());
        Ok(UserPageOk::Ok(Json(UserPage {
            items: items.into_iter().map(Into::into).collect(),
            next_cursor,
        })))
    }

    /// Create an account (admin)
    #[oai(path = "/", method = "post", operation_id = "createUser")]
    async fn create(
        &self,
        state: State<'_>,
        auth: StaffAuth,
        #[oai(name = "Idempotency-Key")] _idempotency_key: Header<Option<IdempotencyKey>>,
        body: Json<CreateUser>,
    ) -> Result<UserCreated, ApiError> {
        admin(&auth)?;
        let body = body.0;
        check_email("email", body.email.as_ref().map(AsRef::as_ref))?;
        let user = state
            .accounts
            .create(
                NewUser {
                    username: body.username.into_inner(),
                    display_name: body.display_name.into_inner(),
                    role: body.role.into(),
                    unit_id: body.unit_id.map(UnitId::from_uuid),
                    party_member: body.party_member,
                    password: body.password.into_inner(),
                    contact: StaffContact {
                        email: body.email.map(Text::into_inner),
                        phone: body.phone.map(Text::into_inner),
                        language: body.language.map(Into::into),
                    },
                },
                state.clock.now(),
            )
            .await?;
        let tag = etag(user.version);
        Ok(UserCreated::Created(Json(user.into()), tag))
    }

    /// Read an account (admin)
    #[oai(path = "/:id", method = "get", operation_id = "getUser")]
    async fn get(
        &self,
        state: State<'_>,
        auth: StaffAuth,
        id: Path<Uuid>,
    ) -> Result<UserOk, ApiError> {
        admin(&auth)?;
        Ok(user_ok(state.accounts.get(UserId::from_uuid(id.0)).await?))
    }

    /// Change an account (admin)
    #[oai(path = "/:id", method = "patch", operation_id = "updateUser")]
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
        body: Json<UpdateUser>,
    ) -> Result<UserOk, ApiError> {
        admin(&auth)?;
        let expected = if_match(if_match_header.0.as_deref());
        let body = body.0;
        check_email("email", body.email.value().map(AsRef::as_ref))?;
        let demotes_self = auth.0.user.id.as_uuid() == id.0
            && (body.active == Some(false) || body.role.is_some_and(|r| r != Role::Admin));
        if demotes_self {
            return Err(ApiError::unprocessable(
                "self_lockout",
                duban_domain::msg!("self_lockout"),
            ));
        }
        let patch = UserPatch {
            display_name: body.display_name.map(Text::into_inner),
            role: body.role.map(Into::into),
            unit_id: match body.unit_id {
                MaybeUndefined::Undefined => None,
                MaybeUndefined::Null => Some(None),
                MaybeUndefined::Value(u) => Some(Some(UnitId::from_uuid(u))),
            },
            party_member: body.party_member,
            active: body.active,
            email: change(body.email, Text::into_inner),
            phone: change(body.phone, Text::into_inner),
            language: change(body.language, Into::into),
        };
        let user = state
            .accounts
            .update(UserId::from_uuid(id.0), expected, patch, state.clock.now())
            .await?;
        Ok(user_ok(user))
    }

    /// Set an account's password (admin)
    #[oai(
        path = "/:id/password",
        method = "post",
        operation_id = "setUserPassword"
    )]
    async fn set_password(
        &self,
        state: State<'_>,
        auth: StaffAuth,
        #[oai(name = "Idempotency-Key")] _idempotency_key: Header<Option<IdempotencyKey>>,
        id: Path<Uuid>,
        /// The ETag of the version this change is based on; 412 when it is no longer current.
        #[oai(
            name = "If-Match",
            validator(pattern = r#"^(\*|(W/)?"[!#-~]{0,18}")?$"#)
        )]
        if_match_header: Header<Option<String>>,
        body: Json<SetPassword>,
    ) -> Result<UserOk, ApiError> {
        admin(&auth)?;
        let expected = if_match(if_match_header.0.as_deref());
        let user = state
            .accounts
            .set_password(
                UserId::from_uuid(id.0),
                expected,
                body.0.password.into_inner(),
                (auth.0.user.id.as_uuid() == id.0).then_some(auth.0.token.as_str()),
                state.clock.now(),
            )
            .await?;
        Ok(user_ok(user))
    }
}
