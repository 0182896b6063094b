//! Storage of investigation records, takeovers and sanctions.

pub(crate) mod entities;
mod leadership;
mod mapping;
mod reads;
mod repository;
mod sanction_writes;

pub use repository::SeaAccountabilityRepository;

/// Whether the leading group holds the complaint.
///
/// # Errors
/// [`RepositoryError::Unavailable`](duban_domain::storage::RepositoryError).
pub(crate) async fn is_taken_over(
    db: &sea_orm::DatabaseConnection,
    id: duban_domain::ids::ComplaintId,
) -> Result<bool, duban_domain::storage::RepositoryError> {
    use sea_orm::EntityTrait;
    entities::complaint_takeover::Entity::find_by_id(id.as_uuid())
        .one(db)
        .await
        .map(|held| held.is_some())
        .map_err(crate::storage_error::unavailable)
}
