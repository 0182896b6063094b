//! Errors of the thin stores for units and accounts.

use sea_orm::DbErr;

/// Why a unit or account operation was refused.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    #[error("{field} is already taken")]
    Duplicate { field: &'static str },
    #[error("{field}: {message}")]
    Invalid {
        field: &'static str,
        message: String,
    },
    #[error("If-Match names version {given}, the resource is at version {current}")]
    PreconditionFailed { given: i64, current: i64 },
    #[error("the resource was changed by someone else; read it again")]
    Conflict,
    #[error("storage unavailable: {0}")]
    Unavailable(String),
}

impl StoreError {
    pub(crate) fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        StoreError::Invalid {
            field,
            message: message.into(),
        }
    }
}

impl From<DbErr> for StoreError {
    fn from(err: DbErr) -> Self {
        tracing::error!(error = %err, "storage failure");
        StoreError::Unavailable(err.to_string())
    }
}

/// Refuses a stale `If-Match`.
///
/// # Errors
/// [`StoreError::PreconditionFailed`].
pub fn check_if_match(if_match: Option<i64>, current: i64) -> Result<(), StoreError> {
    match if_match {
        Some(given) if given != current => Err(StoreError::PreconditionFailed { given, current }),
        _ => Ok(()),
    }
}
