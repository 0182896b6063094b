//! Linking a complaint to another about the same matter, and reading its links.

use super::{ActionError, ComplaintService, ReadError, field, text};
use crate::access::{Actor, Forbidden};
use crate::calendar::CalendarSource;
use crate::clock::{Clock, to_storage_precision};
use crate::complaint::events::ComplaintEvent;
use crate::complaint::lifecycle::TransitionRefused;
use crate::complaint::links::{ComplaintLink, LINK_REASON_MAX, LinkedComplaint};
use crate::complaint::model::Complaint;
use crate::complaint::ports::{ComplaintRepository, RepositoryError, UnitDirectory};
use crate::ids::ComplaintId;
use crate::role::Role;

impl<R, D, C, K> ComplaintService<R, D, C, K>
where
    R: ComplaintRepository,
    D: UnitDirectory,
    C: Clock,
    K: CalendarSource,
{
    /// Links the complaint to `other` (intake; the leading group on a case it holds), with
    /// the reason; both histories record the link. Returns the complaint's links.
    ///
    /// # Errors
    /// See [`ActionError`]; 422 naming `linked_complaint_id` for the complaint itself or an
    /// unknown complaint or one the actor may not see, and the rule when the two are linked
    /// already.
    pub async fn link(
        &self,
        actor: &Actor,
        id: ComplaintId,
        other: ComplaintId,
        reason: &str,
    ) -> Result<Vec<LinkedComplaint>, ActionError> {
        self.require_case_handler(actor, id, "link complaints")
            .await?;
        let reason = text("reason", reason, LINK_REASON_MAX)?;
        let complaint = self.visible(actor, id).await.map_err(ActionError::from)?;
        if other == id {
            return Err(field("linked_complaint_id", crate::msg!("field_link_to_itself")).into());
        }
        let linked = match self.visible(actor, other).await {
            Ok(linked) => linked,
            Err(ReadError::Storage(e)) => return Err(e.into()),
            Err(_) => {
                return Err(field(
                    "linked_complaint_id",
                    crate::msg!("field_no_complaint_with_id"),
                )
                .into());
            }
        };
        let link = ComplaintLink {
            complaint_id: id,
            linked_complaint_id: other,
            reason: reason.clone(),
            linked_by: actor.user_id,
            linked_at: to_storage_precision(self.clock.now()),
        };
        let events = [
            (
                id,
                ComplaintEvent::Linked {
                    linked_complaint_id: other.as_uuid(),
                    linked_number: linked.number.to_string(),
                    reason: reason.clone(),
                },
            ),
            (
                other,
                ComplaintEvent::Linked {
                    linked_complaint_id: id.as_uuid(),
                    linked_number: complaint.number.to_string(),
                    reason,
                },
            ),
        ];
        match self.repository.link(&link, &events).await {
            Err(RepositoryError::Conflict) => {
                return Err(TransitionRefused::Rule(crate::msg!("rule_already_linked")).into());
            }
            stored => stored?,
        }
        Ok(self.repository.links(id).await?)
    }

    /// The links of a complaint (intake, the leading group).
    ///
    /// # Errors
    /// [`ReadError::Forbidden`] for unit staff and admin, [`ReadError::NotFound`].
    pub async fn links(
        &self,
        actor: &Actor,
        id: ComplaintId,
    ) -> Result<Vec<LinkedComplaint>, ReadError> {
        Self::require_link_reader(actor)?;
        self.visible(actor, id).await?;
        Ok(self.repository.links(id).await?)
    }

    /// As [`Self::links`], for a complaint the caller has read already.
    ///
    /// # Errors
    /// [`ReadError::Forbidden`] for unit staff.
    pub async fn links_of(
        &self,
        actor: &Actor,
        complaint: &Complaint,
    ) -> Result<Vec<LinkedComplaint>, ReadError> {
        Self::require_link_reader(actor)?;
        Ok(self.repository.links(complaint.id).await?)
    }

    /// Links tie cases together by their matter: intake and the leading group read them.
    fn require_link_reader(actor: &Actor) -> Result<(), Forbidden> {
        crate::visibility::require_case_content(actor, "read the links between complaints")?;
        actor.require(
            &[Role::Intake, Role::LeadingGroup],
            "read the links between complaints",
        )
    }
}
