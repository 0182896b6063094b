//! Turns sea-orm errors into the domain's storage errors; no `DbErr` leaves this crate.

use duban_domain::storage::RepositoryError;
use sea_orm::{DbErr, SqlErr};

pub(crate) fn unavailable(err: DbErr) -> RepositoryError {
    let cause = crate::store_error::cause_chain(&err);
    tracing::error!(error = %cause, "storage failure");
    RepositoryError::Unavailable(cause)
}

pub(crate) fn is_unique_violation(err: &DbErr) -> bool {
    matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_)))
}

/// [`RepositoryError::Conflict`] for a unique-constraint violation (someone stored the same
/// key first), otherwise [`unavailable`].
pub(crate) fn conflict_or_unavailable(err: DbErr) -> RepositoryError {
    if is_unique_violation(&err) {
        RepositoryError::Conflict
    } else {
        unavailable(err)
    }
}
