//! Registering a complaint from any channel: the rules of its fields, its respondent, and the
//! screening limit it starts.

use chrono::{DateTime, Datelike, Utc};

use super::{ComplaintService, HANDLERS, RegisterError, Registered, field};
use crate::access::Actor;
use crate::calendar::{CalendarSource, DeadlineRule, WorkingCalendar};
use crate::clock::{Clock, to_storage_precision};
use crate::complaint::ports::{
    ComplaintRepository, IdempotencyClaim, RegisterOutcome, Registration, RepositoryError,
    UnitDirectory, unit_unusable,
};
use crate::complaint::registration::{ComplaintDraft, NewComplaint, check_plausible_dates};
use crate::ids::ComplaintId;
use crate::limits::{LimitKind, LimitStart};

impl<R, D, C, K> ComplaintService<R, D, C, K>
where
    R: ComplaintRepository,
    D: UnitDirectory,
    C: Clock,
    K: CalendarSource,
{
    /// Registers a complaint from any channel; the registering intake user becomes its first
    /// handler.
    ///
    /// # Errors
    /// See [`RegisterError`].
    pub async fn register(
        &self,
        actor: &Actor,
        draft: ComplaintDraft,
        idempotency: Option<IdempotencyClaim>,
    ) -> Result<Registered, RegisterError> {
        actor.require(HANDLERS, "register complaints")?;
        let now = to_storage_precision(self.clock.now());
        let mut details = draft.validate(now, self.tz)?;
        details.received_at = to_storage_precision(details.received_at);
        let calendar = self.calendar.working_calendar().await?;
        if let Some(first) = calendar.known_years().min() {
            check_plausible_dates(&details, first, self.tz)?;
        }
        self.check_respondent(&details).await?;
        let screening = self.screening_limit(&calendar, details.received_at)?;
        let registration = Registration {
            id: ComplaintId::generate(),
            year: now.with_timezone(&self.tz).year(),
            details,
            registered_at: now,
            first_handler_id: actor.user_id,
            idempotency,
            screening,
        };
        match self.repository.register(registration).await? {
            RegisterOutcome::Created(complaint) => Ok(Registered {
                complaint,
                replayed: false,
            }),
            RegisterOutcome::Replayed {
                complaint,
                same_request: true,
            } => Ok(Registered {
                complaint,
                replayed: true,
            }),
            RegisterOutcome::Replayed { .. } => Err(RegisterError::IdempotencyKeyReused),
        }
    }

    /// The screening limit of a complaint received at `received_at`: the configured working
    /// days counted from receipt (次日起算), the first handler answering for it.
    fn screening_limit(
        &self,
        calendar: &WorkingCalendar,
        received_at: DateTime<Utc>,
    ) -> Result<LimitStart, RepositoryError> {
        let working_days = self.policy.screening_working_days;
        let rule = DeadlineRule {
            started_at: received_at,
            working_days,
            extension_days: 0,
            explicit_due_at: None,
        };
        let deadline = rule.deadline(calendar, self.tz).map_err(|e| {
            RepositoryError::Unavailable(format!("no deadline can be computed: {e}"))
        })?;
        Ok(LimitStart {
            kind: LimitKind::Screening,
            started_at: received_at,
            working_days,
            due_at: deadline.due_at,
            provisional: deadline.provisional,
        })
    }

    async fn check_respondent(&self, details: &NewComplaint) -> Result<(), RegisterError> {
        if let Some(problem) = unit_unusable(&self.directory, details.respondent_unit_id).await? {
            return Err(field("respondent_unit_id", problem).into());
        }
        if let Some(staff) = details.respondent_staff_id {
            let units = self
                .directory
                .unit_and_descendants(details.respondent_unit_id)
                .await?;
            match self.directory.staff_unit(staff).await? {
                None => {
                    return Err(field(
                        "respondent_staff_id",
                        crate::msg!("field_no_staff_with_id"),
                    )
                    .into());
                }
                Some(Some(unit)) if units.contains(&unit) => {}
                Some(_) => {
                    return Err(field(
                        "respondent_staff_id",
                        crate::msg!("field_staff_not_in_unit"),
                    )
                    .into());
                }
            }
        }
        Ok(())
    }
}
