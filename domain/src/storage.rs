//! What every port's storage may fail with: one error for all of them, named after none.

/// Storage failed in a way the caller cannot fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RepositoryError {
    /// The record changed since it was read (optimistic concurrency).
    #[error("the complaint was changed by someone else; read it again")]
    Conflict,
    /// This year's number range is exhausted.
    #[error("no complaint numbers are left for {0}")]
    NumbersExhausted(i32),
    #[error("storage unavailable: {0}")]
    Unavailable(String),
}
