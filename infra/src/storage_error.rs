//! Turns sea-orm errors into the domain's storage errors; no `DbErr` leaves this crate.

use duban_domain::complaint::ports::RepositoryError;
use sea_orm::{DbErr, SqlErr};

pub(crate) fn unavailable(err: DbErr) -> RepositoryError {
    tracing::error!(error = %err, "storage failure");
    RepositoryError::Unavailable(err.to_string())
}

pub(crate) fn is_unique_violation(err: &DbErr) -> bool {
    matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_)))
}
