//! The records (档案) of a staff member and of a unit.

use super::{AccountabilityError, AccountabilityService, Result, invalid};
use crate::access::Actor;
use crate::accountability::model::SubjectRef;
use crate::accountability::ports::AccountabilityRepository;
use crate::accountability::records::{SubjectRecord, build_record};
use crate::calendar::CalendarSource;
use crate::clock::Clock;
use crate::complaint::visibility::ComplaintVisibility;
use crate::ids::{UnitId, UserId};
use crate::role::Role;
use crate::visibility;

impl<R, C, K, V> AccountabilityService<R, C, K, V>
where
    R: AccountabilityRepository,
    C: CalendarSource,
    K: Clock,
    V: ComplaintVisibility,
{
    pub(super) async fn may_read_record_of(
        &self,
        actor: &Actor,
        unit: Option<UnitId>,
    ) -> Result<bool> {
        if actor.role == Role::LeadingGroup {
            return Ok(true);
        }
        let units = self.units_of_head(actor).await?;
        Ok(unit.is_some_and(|u| units.contains(&u)))
    }

    /// The record of a staff member (404 when not visible).
    ///
    /// # Errors
    /// [`AccountabilityError`].
    pub async fn person_record(&self, actor: &Actor, id: UserId) -> Result<SubjectRecord> {
        visibility::require_case_content(actor, "read records of complaints and sanctions")?;
        let person = self
            .repository
            .person(id)
            .await?
            .ok_or(AccountabilityError::NotFound("person"))?;
        if !self.may_read_record_of(actor, person.unit_id).await? {
            return Err(AccountabilityError::NotFound("person"));
        }
        let complaints = self.repository.complaints_against_person(id).await?;
        let sanctions = self.subject_sanctions(SubjectRef::Person(id)).await?;
        build_record(complaints, sanctions, self.today(self.clock.now()))
            .map_err(|e| invalid("effective_date", e.message()))
    }

    /// The record of a unit (404 when not visible).
    ///
    /// # Errors
    /// [`AccountabilityError`].
    pub async fn unit_record(&self, actor: &Actor, id: UnitId) -> Result<SubjectRecord> {
        visibility::require_case_content(actor, "read records of complaints and sanctions")?;
        if self.repository.unit_and_descendants(id).await?.is_empty()
            || !self.may_read_record_of(actor, Some(id)).await?
        {
            return Err(AccountabilityError::NotFound("unit"));
        }
        let complaints = self.repository.complaints_against_unit(id).await?;
        let sanctions = self.subject_sanctions(SubjectRef::Unit(id)).await?;
        build_record(complaints, sanctions, self.today(self.clock.now()))
            .map_err(|e| invalid("effective_date", e.message()))
    }
}
