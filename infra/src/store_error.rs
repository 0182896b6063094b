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
        message: duban_domain::message::Message,
    },
    #[error("If-Match names version {given}, the resource is at version {current}")]
    PreconditionFailed { given: i64, current: i64 },
    #[error("the resource was changed by someone else; read it again")]
    Conflict,
    #[error("storage unavailable: {0}")]
    Unavailable(String),
}

impl StoreError {
    pub(crate) fn invalid(field: &'static str, message: duban_domain::message::Message) -> Self {
        StoreError::Invalid { field, message }
    }
}

impl From<DbErr> for StoreError {
    fn from(err: DbErr) -> Self {
        tracing::error!(error = %err, "storage failure");
        StoreError::Unavailable(cause_chain(&err))
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

impl StoreError {
    /// The message a person reads, as a catalogue key with arguments.
    pub fn message(&self) -> duban_domain::message::Message {
        use duban_domain::msg;
        match self {
            StoreError::NotFound => msg!("not_found"),
            StoreError::Duplicate { field } => msg!("duplicate", field = field),
            StoreError::Invalid { message, .. } => message.clone(),
            StoreError::PreconditionFailed { given, current } => {
                msg!("stale_version", given = given, current = current)
            }
            StoreError::Conflict => msg!("version_conflict_resource"),
            StoreError::Unavailable(_) => msg!("unavailable"),
        }
    }
}

/// An error and its causes on one line, each cause once (a message that already quotes its
/// source does not repeat it): what a fault's log line shows.
pub fn cause_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut line = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !line.contains(&text) {
            line.push_str(": ");
            line.push_str(&text);
        }
        source = cause.source();
    }
    line
}
