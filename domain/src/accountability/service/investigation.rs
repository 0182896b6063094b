//! Investigation records (调查记录) and the leading group's takeover of a case.

use uuid::Uuid;

use super::{AccountabilityError, AccountabilityService, NewRecord, RECORD_READERS, Result};
use crate::access::{Actor, Forbidden};
use crate::accountability::model::{InvestigationRecord, Takeover};
use crate::accountability::ports::AccountabilityRepository;
use crate::calendar::CalendarSource;
use crate::clock::Clock;
use crate::complaint::visibility::ComplaintVisibility;
use crate::ids::ComplaintId;
use crate::role::Role;
use crate::storage::RepositoryError;

impl<R, C, K, V> AccountabilityService<R, C, K, V>
where
    R: AccountabilityRepository,
    C: CalendarSource,
    K: Clock,
    V: ComplaintVisibility,
{
    /// Who holds the case, for showing on the complaint.
    ///
    /// # Errors
    /// Storage failures.
    pub async fn held_by(&self, id: ComplaintId) -> Result<Option<Takeover>> {
        Ok(self
            .repository
            .case_facts(id)
            .await?
            .and_then(|c| c.held_by))
    }

    /// Intake, or the leading group on a case it took over: other roles are refused whatever
    /// the id, then an invisible complaint is not found.
    pub(super) async fn may_investigate(&self, actor: &Actor, id: ComplaintId) -> Result<()> {
        actor.require(
            RECORD_READERS,
            "record investigations (intake, or the leading group on a case it took over)",
        )?;
        let case = self.visible_case(actor, id).await?;
        match actor.role {
            Role::Intake => Ok(()),
            Role::LeadingGroup if case.held_by.is_some() => Ok(()),
            role => Err(Forbidden {
                role,
                action: "record investigations on this case (intake, or the leading group on a case it took over)",
            }
            .into()),
        }
    }

    /// Records an investigation entry (append-only).
    ///
    /// # Errors
    /// [`AccountabilityError`].
    pub async fn add_record(
        &self,
        actor: &Actor,
        complaint_id: ComplaintId,
        new: NewRecord,
    ) -> Result<InvestigationRecord> {
        self.may_investigate(actor, complaint_id).await?;
        let record = InvestigationRecord {
            id: Uuid::now_v7(),
            complaint_id,
            kind: new.kind,
            author_id: actor.user_id,
            recorded_at: self.clock.now(),
            people_involved: new.people_involved,
            content: new.content,
        };
        self.repository.add_record(&record).await?;
        Ok(record)
    }

    /// The entries of a case (intake and the leading group).
    ///
    /// # Errors
    /// [`AccountabilityError`].
    pub async fn records(
        &self,
        actor: &Actor,
        complaint_id: ComplaintId,
    ) -> Result<Vec<InvestigationRecord>> {
        actor.require(RECORD_READERS, "read investigation records")?;
        self.visible_case(actor, complaint_id).await?;
        Ok(self.repository.records(complaint_id).await?)
    }

    /// The leading group takes the case over.
    ///
    /// # Errors
    /// [`AccountabilityError::AlreadyHeld`] and others.
    pub async fn take_over(
        &self,
        actor: &Actor,
        complaint_id: ComplaintId,
        reason: String,
    ) -> Result<Takeover> {
        actor.require(&[Role::LeadingGroup], "take over cases")?;
        let case = self.visible_case(actor, complaint_id).await?;
        if case.held_by.is_some() {
            return Err(AccountabilityError::AlreadyHeld);
        }
        let takeover = Takeover {
            complaint_id,
            taken_by: actor.user_id,
            taken_at: self.clock.now(),
            reason,
        };
        match self.repository.take_over(&takeover).await {
            Err(RepositoryError::Conflict) => Err(AccountabilityError::AlreadyHeld),
            other => other.map(|()| takeover).map_err(Into::into),
        }
    }
}
