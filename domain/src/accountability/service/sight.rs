//! What an actor may see of cases, subjects and sanctions: a case out of sight and an
//! unknown one are answered alike.

use uuid::Uuid;

use super::{
    AccountabilityError, AccountabilityService, ProposeCommand, RECORD_READERS, Result, invalid,
};
use crate::access::Actor;
use crate::accountability::model::{
    CaseFacts, PersonFacts, SanctionQuery, SanctionRecord, SubjectRef,
};
use crate::accountability::ports::AccountabilityRepository;
use crate::calendar::CalendarSource;
use crate::clock::Clock;
use crate::complaint::visibility::ComplaintVisibility;
use crate::ids::{ComplaintId, UnitId};
use crate::role::Role;
use crate::sanction::Subject;
use crate::visibility;

impl<R, C, K, V> AccountabilityService<R, C, K, V>
where
    R: AccountabilityRepository,
    C: CalendarSource,
    K: Clock,
    V: ComplaintVisibility,
{
    /// The case of a complaint the actor may see; not found otherwise, as for an unknown id.
    pub(super) async fn visible_case(&self, actor: &Actor, id: ComplaintId) -> Result<CaseFacts> {
        if !self.complaints.may_see(actor, id).await? {
            return Err(AccountabilityError::NotFound("complaint"));
        }
        self.repository
            .case_facts(id)
            .await?
            .ok_or(AccountabilityError::NotFound("complaint"))
    }

    /// The units an actor answers for: their own and every unit below (unit heads only).
    pub(super) async fn units_of_head(&self, actor: &Actor) -> Result<Vec<UnitId>> {
        match (actor.role, actor.unit_id) {
            (Role::UnitHead, Some(unit)) => Ok(self.repository.unit_and_descendants(unit).await?),
            _ => Ok(Vec::new()),
        }
    }

    /// The unit a subject belongs to (a person's unit, or the unit itself).
    pub(super) async fn subject_unit(&self, subject: SubjectRef) -> Result<Option<UnitId>> {
        match subject {
            SubjectRef::Person(id) => Ok(self.repository.person(id).await?.and_then(|p| p.unit_id)),
            SubjectRef::Unit(id) => Ok(Some(id)),
        }
    }

    /// Leading group and intake see every sanction; a unit head those of their units' staff
    /// and units; a person their own; admin none ([`visibility::require_case_content`]).
    pub(super) async fn sees(&self, actor: &Actor, record: &SanctionRecord) -> Result<bool> {
        if matches!(actor.role, Role::LeadingGroup | Role::Intake) {
            return Ok(true);
        }
        if record.subject == SubjectRef::Person(actor.user_id) {
            return Ok(true);
        }
        let units = self.units_of_head(actor).await?;
        Ok(match self.subject_unit(record.subject).await? {
            Some(unit) => units.contains(&unit),
            None => false,
        })
    }

    pub(super) async fn load_visible(&self, actor: &Actor, id: Uuid) -> Result<SanctionRecord> {
        visibility::require_case_content(actor, "read sanctions")?;
        let record = self
            .repository
            .find_sanction(id)
            .await?
            .ok_or(AccountabilityError::NotFound("sanction"))?;
        if !self.sees(actor, &record).await? {
            return Err(AccountabilityError::NotFound("sanction"));
        }
        Ok(record)
    }

    pub(super) async fn subject_sanctions(
        &self,
        subject: SubjectRef,
    ) -> Result<Vec<SanctionRecord>> {
        let query = SanctionQuery {
            subject_user_id: match subject {
                SubjectRef::Person(id) => Some(id),
                SubjectRef::Unit(_) => None,
            },
            subject_unit_id: match subject {
                SubjectRef::Unit(id) => Some(id),
                SubjectRef::Person(_) => None,
            },
            limit: u32::MAX,
            ..SanctionQuery::default()
        };
        Ok(self.repository.list_sanctions(&query).await?)
    }

    /// The subject of a proposal as its proposer may see it: a unit head sees the staff of
    /// their own unit and the units below; anyone else is answered as an unknown person.
    pub(super) async fn visible_subject(
        &self,
        actor: &Actor,
        subject: SubjectRef,
    ) -> Result<(Subject, Option<PersonFacts>)> {
        match subject {
            SubjectRef::Person(id) => {
                let unknown = || invalid("subject.user_id", crate::msg!("field_no_such_staff"));
                let person = self.repository.person(id).await?.ok_or_else(unknown)?;
                if actor.role == Role::UnitHead {
                    let units = self.units_of_head(actor).await?;
                    if !person.unit_id.is_some_and(|u| units.contains(&u)) {
                        return Err(unknown());
                    }
                }
                Ok((
                    Subject::Person {
                        is_party_member: person.party_member,
                    },
                    Some(person),
                ))
            }
            SubjectRef::Unit(id) => {
                if self.repository.unit_and_descendants(id).await?.is_empty() {
                    return Err(invalid(
                        "subject.unit_id",
                        crate::msg!("field_no_such_unit"),
                    ));
                }
                Ok((Subject::Unit, None))
            }
        }
    }

    /// Whether a cited complaint, or the complaint of a cited investigation record, is held by
    /// the leading group. A proposal cites only what its proposer may see: a complaint or a
    /// record out of their sight is answered as an unknown one.
    pub(super) async fn cited_cases_held(
        &self,
        actor: &Actor,
        cmd: &ProposeCommand,
    ) -> Result<bool> {
        let mut held = false;
        for id in &cmd.complaint_ids {
            let case = self.visible_case(actor, *id).await.map_err(|e| match e {
                AccountabilityError::NotFound(_) => {
                    invalid("complaint_ids", crate::msg!("field_no_complaint", id = id))
                }
                other => other,
            })?;
            held |= case.held_by.is_some();
        }
        if cmd.investigation_record_ids.is_empty() {
            return Ok(held);
        }
        let records = if RECORD_READERS.contains(&actor.role) {
            self.repository
                .records_by_id(&cmd.investigation_record_ids)
                .await?
        } else {
            Vec::new()
        };
        for id in &cmd.investigation_record_ids {
            let unknown = || {
                invalid(
                    "investigation_record_ids",
                    crate::msg!("field_no_investigation_record", id = id),
                )
            };
            let record = records.iter().find(|r| r.id == *id).ok_or_else(unknown)?;
            match self.visible_case(actor, record.complaint_id).await {
                Ok(case) => held |= case.held_by.is_some(),
                Err(AccountabilityError::NotFound(_)) => return Err(unknown()),
                Err(e) => return Err(e),
            }
        }
        Ok(held)
    }
}
