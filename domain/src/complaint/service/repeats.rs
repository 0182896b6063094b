//! The possible repeats of a complaint, for intake and the leading group.

use super::{ComplaintService, ReadError};
use crate::access::Actor;
use crate::calendar::CalendarSource;
use crate::clock::Clock;
use crate::complaint::model::Complaint;
use crate::complaint::ports::{ComplaintRepository, UnitDirectory};
use crate::complaint::repeats::{PossibleRepeat, RepeatKeys, RepeatQuery};
use crate::ids::ComplaintId;
use crate::role::Role;

/// Matching on contacts reads complainants' personal data: only those who may see it.
const REPEAT_READERS: &[Role] = &[Role::Intake, Role::LeadingGroup];

impl<R, D, C, K> ComplaintService<R, D, C, K>
where
    R: ComplaintRepository,
    D: UnitDirectory,
    C: Clock,
    K: CalendarSource,
{
    /// Other complaints from the same contact or about the same staff member received within
    /// the repeat window either side of this one, newest first, each with its reasons.
    ///
    /// # Errors
    /// [`ReadError::Forbidden`] for roles other than intake and the leading group (whatever
    /// the id), then [`ReadError::NotFound`] also when the complaint is not visible.
    pub async fn possible_repeats(
        &self,
        actor: &Actor,
        id: ComplaintId,
    ) -> Result<Vec<PossibleRepeat>, ReadError> {
        actor.require(REPEAT_READERS, "read possible repeats")?;
        let complaint = self.visible(actor, id).await?;
        self.repeats_of(actor, &complaint).await
    }

    /// As [`Self::possible_repeats`], for a complaint the caller holds already (the one just
    /// registered).
    ///
    /// # Errors
    /// [`ReadError::Forbidden`] for roles other than intake and the leading group.
    pub async fn repeats_of(
        &self,
        actor: &Actor,
        complaint: &Complaint,
    ) -> Result<Vec<PossibleRepeat>, ReadError> {
        actor.require(REPEAT_READERS, "read possible repeats")?;
        let query = RepeatQuery::around(complaint, self.policy.repeat_window_days);
        if query.keys.is_empty() {
            return Ok(vec![]);
        }
        let candidates = self.repository.repeat_candidates(&query).await?;
        Ok(candidates
            .into_iter()
            .filter_map(|other| {
                let reasons = query.keys.reasons(&RepeatKeys::of(&other.details));
                (!reasons.is_empty()).then_some(PossibleRepeat {
                    complaint: other,
                    reasons,
                })
            })
            .collect())
    }
}
