//! The complaint use cases: register, screen, classify, resolve, close, visit, reopen, read,
//! list, history.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Tz;

use super::closing::within_reopen_window;
use super::events::RecordedEvent;
use super::lifecycle::{ComplaintAction, TransitionRefused, apply, decide, limits_stopped_by};
use super::model::Complaint;
use super::policy::ComplaintPolicy;
use super::ports::{
    ComplaintQuery, ComplaintRepository, DetailsRule, IdempotencyClaim, RegisterOutcome,
    Registration, RepositoryError, UnitDirectory, Visibility, unit_unusable,
};
use super::registration::{
    ComplaintDraft, FieldProblem, InvalidRegistration, check_plausible_dates,
};
use super::status::{
    AnswerMethod, ComplaintStatus, ComplaintType, FeedbackDisposition, Finding, Satisfaction,
    ScreeningOutcome,
};
use crate::access::{Actor, Forbidden};
use crate::calendar::{CalendarSource, DeadlineRule, WorkingCalendar};
use crate::clock::{Clock, stated_in_future, to_storage_precision};
use crate::ids::{ComplaintId, UnitId, UserId};
use crate::limits::{LimitKind, LimitStart};
use crate::role::Role;
use crate::text::bounded;
use crate::visibility::{self, CallerUnits, RespondentSide};

pub const EXPLANATION_MAX: usize = 2000;
pub const REFERRAL_MAX: usize = 500;
pub const REASON_MAX: usize = 2000;
/// Longest note of an on-site resolution or a feedback disposition.
pub const NOTE_MAX: usize = 2000;
/// Longest closing outcome.
pub const OUTCOME_MAX: usize = 2000;
/// Longest return-visit remarks.
pub const REMARKS_MAX: usize = 2000;

/// Why a registration was refused.
#[derive(Debug, thiserror::Error)]
pub enum RegisterError {
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    #[error(transparent)]
    Invalid(#[from] InvalidRegistration),
    #[error("the same Idempotency-Key was used with a different request body")]
    IdempotencyKeyReused,
    #[error(transparent)]
    Storage(#[from] RepositoryError),
}

/// Why an action on a complaint was refused.
#[derive(Debug, thiserror::Error)]
pub enum ActionError {
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    #[error("no such complaint")]
    NotFound,
    #[error("If-Match names version {given}, the complaint is at version {current}")]
    PreconditionFailed { given: i64, current: i64 },
    #[error(transparent)]
    Refused(#[from] TransitionRefused),
    #[error(transparent)]
    Invalid(#[from] InvalidRegistration),
    #[error(transparent)]
    Storage(#[from] RepositoryError),
}

/// Why a read was refused.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("no such complaint")]
    NotFound,
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    #[error(transparent)]
    Storage(#[from] RepositoryError),
}

impl From<ReadError> for ActionError {
    fn from(e: ReadError) -> Self {
        match e {
            ReadError::NotFound => ActionError::NotFound,
            ReadError::Forbidden(f) => ActionError::Forbidden(f),
            ReadError::Storage(s) => ActionError::Storage(s),
        }
    }
}

/// A registration's result, and whether it replays an earlier request.
#[derive(Debug, Clone)]
pub struct Registered {
    pub complaint: Complaint,
    pub replayed: bool,
}

/// The screening decision intake sends.
#[derive(Debug, Clone)]
pub struct ScreenCommand {
    pub outcome: ScreeningOutcome,
    pub explanation: String,
    pub referral: Option<String>,
}

/// The classification intake sends; a reason is required when it changes an earlier type.
#[derive(Debug, Clone)]
pub struct ClassifyCommand {
    pub complaint_type: ComplaintType,
    pub reason: Option<String>,
}

/// The result of on-site coordination (现场协调): reconciled, or not (the case is filed).
#[derive(Debug, Clone)]
pub struct OnSiteResolutionCommand {
    pub reconciled: bool,
    /// What was agreed, or why coordination failed (the reason of the reclassification).
    pub note: String,
}

/// The disposition of a feedback complaint (意见反映类).
#[derive(Debug, Clone)]
pub struct FeedbackCommand {
    pub disposition: FeedbackDisposition,
    pub note: String,
    /// `forward_to_section` only: the section it goes to.
    pub section_id: Option<UnitId>,
}

/// How the complainant was told the result.
#[derive(Debug, Clone, Copy)]
pub struct AnswerCommand {
    pub method: AnswerMethod,
    pub answered_at: Option<DateTime<Utc>>,
}

/// Closing a case-filed complaint (办结).
#[derive(Debug, Clone)]
pub struct CloseCommand {
    pub outcome: String,
    pub finding: Finding,
    /// Required unless the complaint is anonymous or the answer is to follow.
    pub answer: Option<AnswerCommand>,
    /// The complainant has not been told yet: the result is owed within a working day, told
    /// by intake or sent by the system.
    pub answer_later: bool,
}

/// The return visit (回访) after a closing.
#[derive(Debug, Clone)]
pub struct ReturnVisitCommand {
    pub satisfaction: Satisfaction,
    pub remarks: Option<String>,
    /// When the visit took place; now when absent.
    pub visited_at: Option<DateTime<Utc>>,
}

/// The complaint use cases over their ports.
pub struct ComplaintService<R, D, C, K> {
    repository: R,
    directory: D,
    clock: C,
    calendar: K,
    tz: Tz,
    policy: ComplaintPolicy,
}

const HANDLERS: &[Role] = &[Role::Intake];

fn field(field: &'static str, message: crate::message::Message) -> InvalidRegistration {
    InvalidRegistration(vec![FieldProblem { field, message }])
}

fn text(name: &'static str, value: &str, max: usize) -> Result<String, InvalidRegistration> {
    bounded(value, max).map_err(|e| field(name, e.message()))
}

fn optional_text(
    name: &'static str,
    value: Option<String>,
    max: usize,
) -> Result<Option<String>, InvalidRegistration> {
    value.map(|v| text(name, &v, max)).transpose()
}

impl<R: ComplaintRepository, D: UnitDirectory, C: Clock, K: CalendarSource>
    ComplaintService<R, D, C, K>
{
    pub fn new(
        repository: R,
        directory: D,
        clock: C,
        calendar: K,
        tz: Tz,
        policy: ComplaintPolicy,
    ) -> Self {
        Self {
            repository,
            directory,
            clock,
            calendar,
            tz,
            policy,
        }
    }

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

    async fn check_respondent(
        &self,
        details: &super::registration::NewComplaint,
    ) -> Result<(), RegisterError> {
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

    /// Intake acts on every case; the leading group on the cases it took over.
    async fn require_case_handler(
        &self,
        actor: &Actor,
        id: ComplaintId,
        action: &'static str,
    ) -> Result<(), ActionError> {
        if actor.role == Role::LeadingGroup && self.repository.held_by_leading_group(id).await? {
            return Ok(());
        }
        Ok(actor.require(HANDLERS, action)?)
    }

    /// Records the screening decision.
    ///
    /// # Errors
    /// See [`ActionError`].
    pub async fn screen(
        &self,
        actor: &Actor,
        id: ComplaintId,
        if_match: Option<i64>,
        command: ScreenCommand,
    ) -> Result<Complaint, ActionError> {
        self.require_case_handler(actor, id, "screen complaints")
            .await?;
        let explanation = text("explanation", &command.explanation, EXPLANATION_MAX)?;
        let referral = optional_text("referral", command.referral, REFERRAL_MAX)?;
        let action = ComplaintAction::Screen {
            outcome: command.outcome,
            explanation,
            referral,
        };
        self.transition(actor, id, if_match, |_, _| Ok(action))
            .await
    }

    /// Classifies an accepted complaint, or reclassifies one in handling (a reason required).
    ///
    /// # Errors
    /// See [`ActionError`].
    pub async fn classify(
        &self,
        actor: &Actor,
        id: ComplaintId,
        if_match: Option<i64>,
        command: ClassifyCommand,
    ) -> Result<Complaint, ActionError> {
        self.require_case_handler(actor, id, "classify complaints")
            .await?;
        let reason = optional_text("reason", command.reason, REASON_MAX)?;
        let open_orders = self.repository.open_orders(id).await?;
        self.transition(actor, id, if_match, |complaint, _| {
            if complaint.state.complaint_type.is_none() {
                return Ok(ComplaintAction::Classify {
                    complaint_type: command.complaint_type,
                });
            }
            let reason = reason
                .ok_or_else(|| field("reason", crate::msg!("field_reclassify_needs_reason")))?;
            Ok(ComplaintAction::Reclassify {
                to: command.complaint_type,
                reason,
                open_orders,
            })
        })
        .await
    }

    /// Records the result of on-site coordination: reconciled closes the case with that
    /// outcome; not reconciled reclassifies it to case_filed with the note as the reason.
    ///
    /// # Errors
    /// See [`ActionError`]; 409 unless the complaint is an on_site one in handling.
    pub async fn resolve_on_site(
        &self,
        actor: &Actor,
        id: ComplaintId,
        if_match: Option<i64>,
        command: OnSiteResolutionCommand,
    ) -> Result<Complaint, ActionError> {
        self.require_case_handler(actor, id, "record on-site resolutions")
            .await?;
        let note = text("note", &command.note, NOTE_MAX)?;
        let open_orders = if command.reconciled {
            0
        } else {
            self.repository.open_orders(id).await?
        };
        self.transition(actor, id, if_match, |complaint, _| {
            let state = &complaint.state;
            if state.status != ComplaintStatus::InHandling
                || state.complaint_type != Some(ComplaintType::OnSite)
            {
                return Err(TransitionRefused::WrongState {
                    action: "record an on-site resolution of",
                    status: state.status,
                }
                .into());
            }
            Ok(if command.reconciled {
                ComplaintAction::ReconcileOnSite { note }
            } else {
                ComplaintAction::Reclassify {
                    to: ComplaintType::CaseFiled,
                    reason: note,
                    open_orders,
                }
            })
        })
        .await
    }

    /// Disposes of a feedback complaint and closes it.
    ///
    /// # Errors
    /// See [`ActionError`]; 422 naming `section_id` when it is not an active unit.
    pub async fn dispose_feedback(
        &self,
        actor: &Actor,
        id: ComplaintId,
        if_match: Option<i64>,
        command: FeedbackCommand,
    ) -> Result<Complaint, ActionError> {
        self.require_case_handler(actor, id, "dispose of feedback")
            .await?;
        let note = text("note", &command.note, NOTE_MAX)?;
        if let Some(section) = command.section_id
            && let Some(problem) = unit_unusable(&self.directory, section).await?
        {
            return Err(field("section_id", problem).into());
        }
        let action = ComplaintAction::DisposeFeedback {
            disposition: command.disposition,
            note,
            section_id: command.section_id,
        };
        self.transition(actor, id, if_match, |_, _| Ok(action))
            .await
    }

    /// Records the return visit after a closing.
    ///
    /// # Errors
    /// See [`ActionError`]; 422 naming `visited_at` when it is in the future.
    pub async fn record_return_visit(
        &self,
        actor: &Actor,
        id: ComplaintId,
        if_match: Option<i64>,
        command: ReturnVisitCommand,
    ) -> Result<Complaint, ActionError> {
        self.require_case_handler(actor, id, "record return visits")
            .await?;
        let remarks = optional_text("remarks", command.remarks, REMARKS_MAX)?;
        self.transition(actor, id, if_match, |_, now| {
            let visited_at = command.visited_at.map_or(now, to_storage_precision);
            if stated_in_future(visited_at, now) {
                return Err(field("visited_at", crate::msg!("field_in_future")).into());
            }
            Ok(ComplaintAction::RecordReturnVisit {
                satisfaction: command.satisfaction,
                remarks,
                visited_at,
            })
        })
        .await
    }

    /// Reopens a closed case after a dissatisfied return visit, within the reopen window
    /// (working days after the visit); it continues as a case_filed complaint in handling.
    ///
    /// # Errors
    /// See [`ActionError`].
    pub async fn reopen(
        &self,
        actor: &Actor,
        id: ComplaintId,
        if_match: Option<i64>,
        reason: String,
    ) -> Result<Complaint, ActionError> {
        self.require_case_handler(actor, id, "reopen complaints")
            .await?;
        let reason = text("reason", &reason, REASON_MAX)?;
        let calendar = self.calendar.working_calendar().await?;
        let window = self.policy.reopen_window_working_days;
        self.transition(actor, id, if_match, |complaint, now| {
            let within_reopen_window = complaint.state.return_visit.as_ref().is_none_or(|v| {
                within_reopen_window(&calendar, v.visited_at, now, window, self.tz)
            });
            Ok(ComplaintAction::Reopen {
                reason,
                within_reopen_window,
            })
        })
        .await
    }

    async fn transition(
        &self,
        actor: &Actor,
        id: ComplaintId,
        if_match: Option<i64>,
        action: impl FnOnce(&Complaint, DateTime<Utc>) -> Result<ComplaintAction, ActionError>,
    ) -> Result<Complaint, ActionError> {
        let complaint = self.visible(actor, id).await?;
        if let Some(given) = if_match
            && given != complaint.version
        {
            return Err(ActionError::PreconditionFailed {
                given,
                current: complaint.version,
            });
        }
        self.commit(complaint, Some(actor.user_id), action).await
    }

    /// Decides `action` on `complaint` and stores the event, as made by `by` (`None`: the
    /// system), unless the complaint changed meanwhile.
    async fn commit(
        &self,
        complaint: Complaint,
        by: Option<UserId>,
        action: impl FnOnce(&Complaint, DateTime<Utc>) -> Result<ComplaintAction, ActionError>,
    ) -> Result<Complaint, ActionError> {
        let now = to_storage_precision(self.clock.now());
        let event = decide(&complaint.state, action(&complaint, now)?)?;
        let recorded = RecordedEvent {
            sequence: 0,
            actor_id: by,
            at: now,
            event,
        };
        let expected_version = complaint.version;
        let next = Complaint {
            state: apply(&complaint.state, &recorded.event, by, now),
            version: expected_version + 1,
            updated_at: now,
            ..complaint
        };
        self.repository
            .record_transition(
                &next,
                expected_version,
                &recorded,
                limits_stopped_by(&recorded.event),
            )
            .await?;
        Ok(next)
    }

    /// Reads one complaint the actor may see.
    ///
    /// # Errors
    /// [`ReadError::NotFound`] also when the complaint exists but is not visible.
    pub async fn get(&self, actor: &Actor, id: ComplaintId) -> Result<Complaint, ReadError> {
        self.visible(actor, id).await
    }

    async fn visible(&self, actor: &Actor, id: ComplaintId) -> Result<Complaint, ReadError> {
        let visibility = self.visibility(actor).await?;
        let complaint = self.repository.find(id).await?.ok_or(ReadError::NotFound)?;
        if visibility == Visibility::All {
            return Ok(complaint);
        }
        let query = ComplaintQuery {
            visibility,
            only: Some(id),
            ..ComplaintQuery::everything()
        };
        if self.repository.list(&query).await?.is_empty() {
            Err(ReadError::NotFound)
        } else {
            Ok(complaint)
        }
    }

    /// The caller's place in the unit tree, as the visibility policy needs it.
    async fn caller_units(&self, actor: &Actor) -> Result<CallerUnits, RepositoryError> {
        Ok(match visibility::needs_units(actor) {
            Some(unit) => CallerUnits {
                unit_and_below: self.directory.unit_and_descendants(unit).await?,
            },
            None => CallerUnits::default(),
        })
    }

    /// The complaints the actor may see ([`visibility::cases`]).
    ///
    /// # Errors
    /// [`ReadError::Forbidden`] for admin, who reads no case content; storage failures.
    pub async fn visibility(&self, actor: &Actor) -> Result<Visibility, ReadError> {
        let units = self.caller_units(actor).await?;
        Ok(visibility::cases(actor, &units)?)
    }

    /// Lists complaints within the actor's visibility; the text search looks into the
    /// complainant's name and contacts only where the actor sees them.
    ///
    /// # Errors
    /// [`ReadError::Forbidden`] for admin, [`ReadError::Storage`].
    pub async fn list(
        &self,
        actor: &Actor,
        mut query: ComplaintQuery,
    ) -> Result<Vec<Complaint>, ReadError> {
        let units = self.caller_units(actor).await?;
        query.visibility = visibility::cases(actor, &units)?;
        query.details = visibility::details(actor, &units);
        query.as_of = Some(to_storage_precision(self.clock.now()));
        Ok(self.repository.list(&query).await?)
    }

    /// For each of `complaints` (which the actor may see), in order, whether the actor sees
    /// its complainant's name and contacts ([`visibility::details`]).
    ///
    /// # Errors
    /// [`RepositoryError`] from the directory.
    pub async fn details_shown(
        &self,
        actor: &Actor,
        complaints: &[Complaint],
    ) -> Result<Vec<bool>, RepositoryError> {
        let units = self.caller_units(actor).await?;
        let rule = visibility::details(actor, &units);
        let mut staff_units: HashMap<UserId, Option<UnitId>> = HashMap::new();
        let mut shown = Vec::with_capacity(complaints.len());
        for complaint in complaints {
            let staff = complaint.details.respondent_staff_id;
            let staff_unit = match (&rule, staff) {
                (DetailsRule::UnlessRespondentWithin(_), Some(staff)) => {
                    if let Some(unit) = staff_units.get(&staff) {
                        *unit
                    } else {
                        let unit = self.directory.staff_unit(staff).await?.flatten();
                        staff_units.insert(staff, unit);
                        unit
                    }
                }
                _ => None,
            };
            shown.push(rule.shows(&RespondentSide {
                unit: complaint.details.respondent_unit_id,
                staff_named: staff.is_some(),
                staff_unit,
            }));
        }
        Ok(shown)
    }

    /// The full history of a complaint the actor may see.
    ///
    /// # Errors
    /// [`ReadError::NotFound`] also when not visible.
    pub async fn events(
        &self,
        actor: &Actor,
        id: ComplaintId,
    ) -> Result<Vec<RecordedEvent>, ReadError> {
        self.visible(actor, id).await?;
        Ok(self.repository.events(id).await?)
    }
}

/// An answer as given: its time not in the future and not before the complaint was received.
impl ComplaintQuery {
    /// No filter, first page of the largest size.
    pub fn everything() -> Self {
        Self {
            visibility: Visibility::All,
            details: DetailsRule::Always,
            status: None,
            complaint_type: None,
            channel: None,
            matter: None,
            respondent_unit_id: None,
            first_handler_id: None,
            received_from: None,
            received_to: None,
            text: None,
            warning_level: None,
            answer_to_follow: None,
            as_of: None,
            only: None,
            after: None,
            limit: 200,
        }
    }
}

mod answer;
mod links;
mod repeats;

#[cfg(test)]
mod tests;
