//! Whether an actor may see a complaint, as the complaint use cases decide it. Other use cases
//! (investigations, sanctions) ask this port before they act on or cite a complaint, so that
//! one policy answers everywhere.

use std::future::Future;

use super::ports::{ComplaintRepository, RepositoryError, UnitDirectory};
use super::service::{ComplaintService, ReadError};
use crate::access::Actor;
use crate::calendar::CalendarSource;
use crate::clock::Clock;
use crate::ids::ComplaintId;

/// Answers whether `actor` may see complaint `id`; an unknown complaint is not seen.
pub trait ComplaintVisibility: Send + Sync {
    /// # Errors
    /// [`RepositoryError::Unavailable`].
    fn may_see(
        &self,
        actor: &Actor,
        id: ComplaintId,
    ) -> impl Future<Output = Result<bool, RepositoryError>> + Send;
}

impl<R, D, C, K> ComplaintVisibility for ComplaintService<R, D, C, K>
where
    R: ComplaintRepository,
    D: UnitDirectory,
    C: Clock,
    K: CalendarSource,
{
    async fn may_see(&self, actor: &Actor, id: ComplaintId) -> Result<bool, RepositoryError> {
        match self.get(actor, id).await {
            Ok(_) => Ok(true),
            Err(ReadError::NotFound | ReadError::Forbidden(_)) => Ok(false),
            Err(ReadError::Storage(e)) => Err(e),
        }
    }
}
