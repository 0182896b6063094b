//! The complaint use cases: register, screen, classify, read, list, history.

use chrono::Datelike;
use chrono_tz::Tz;

use super::events::{ComplaintEvent, RecordedEvent};
use super::lifecycle::{ComplaintAction, TransitionRefused, apply, decide};
use super::model::{Complaint, ComplaintState};
use super::ports::{
    ComplaintQuery, ComplaintRepository, IdempotencyClaim, RegisterOutcome, Registration,
    RepositoryError, UnitDirectory, Visibility,
};
use super::registration::{ComplaintDraft, FieldProblem, InvalidRegistration};
use super::status::{ComplaintType, ScreeningOutcome};
use crate::access::{Actor, Forbidden};
use crate::clock::{Clock, to_storage_precision};
use crate::ids::ComplaintId;
use crate::role::Role;
use crate::text::bounded;

pub const EXPLANATION_MAX: usize = 2000;
pub const REFERRAL_MAX: usize = 500;
pub const REASON_MAX: usize = 2000;

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
    Storage(#[from] RepositoryError),
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

/// The complaint use cases over their ports.
pub struct ComplaintService<R, D, C> {
    repository: R,
    directory: D,
    clock: C,
    tz: Tz,
}

const HANDLERS: &[Role] = &[Role::Intake];

fn field(field: &'static str, message: impl Into<String>) -> InvalidRegistration {
    InvalidRegistration(vec![FieldProblem {
        field,
        message: message.into(),
    }])
}

impl<R: ComplaintRepository, D: UnitDirectory, C: Clock> ComplaintService<R, D, C> {
    pub fn new(repository: R, directory: D, clock: C, tz: Tz) -> Self {
        Self {
            repository,
            directory,
            clock,
            tz,
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
        self.check_respondent(&details).await?;
        let id = ComplaintId::generate();
        let registration = Registration {
            id,
            year: now.with_timezone(&self.tz).year(),
            details,
            registered_at: now,
            first_handler_id: actor.user_id,
            idempotency,
        };
        let event = RecordedEvent {
            sequence: 1,
            actor_id: Some(actor.user_id),
            at: now,
            event: ComplaintEvent::Registered {
                number: String::new(),
                channel: registration.details.channel,
            },
        };
        match self.repository.register(registration, event).await? {
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

    async fn check_respondent(
        &self,
        details: &super::registration::NewComplaint,
    ) -> Result<(), RegisterError> {
        match self
            .directory
            .unit_active(details.respondent_unit_id)
            .await?
        {
            Some(true) => {}
            Some(false) => {
                return Err(
                    field("respondent_unit_id", "the respondent unit is deactivated").into(),
                );
            }
            None => return Err(field("respondent_unit_id", "no unit has this id").into()),
        }
        if let Some(staff) = details.respondent_staff_id {
            let units = self
                .directory
                .unit_and_descendants(details.respondent_unit_id)
                .await?;
            match self.directory.staff_unit(staff).await? {
                None => {
                    return Err(field("respondent_staff_id", "no staff member has this id").into());
                }
                Some(Some(unit)) if units.contains(&unit) => {}
                Some(_) => {
                    return Err(field(
                        "respondent_staff_id",
                        "the staff member does not belong to the respondent unit",
                    )
                    .into());
                }
            }
        }
        Ok(())
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
        actor.require(HANDLERS, "screen complaints")?;
        let explanation = bounded(&command.explanation, EXPLANATION_MAX)
            .map_err(|e| field("explanation", e.to_string()))?;
        let referral = command
            .referral
            .map(|r| bounded(&r, REFERRAL_MAX).map_err(|e| field("referral", e.to_string())))
            .transpose()?;
        let action = ComplaintAction::Screen {
            outcome: command.outcome,
            explanation,
            referral,
        };
        self.transition(actor, id, if_match, |_| Ok(action)).await
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
        actor.require(HANDLERS, "classify complaints")?;
        let reason = command
            .reason
            .map(|r| bounded(&r, REASON_MAX).map_err(|e| field("reason", e.to_string())))
            .transpose()?;
        self.transition(actor, id, if_match, |state| {
            if state.complaint_type.is_none() {
                return Ok(ComplaintAction::Classify {
                    complaint_type: command.complaint_type,
                });
            }
            let reason = reason.ok_or_else(|| field("reason", "reclassifying needs a reason"))?;
            Ok(ComplaintAction::Reclassify {
                to: command.complaint_type,
                reason,
                open_orders: 0,
            })
        })
        .await
    }

    async fn transition(
        &self,
        actor: &Actor,
        id: ComplaintId,
        if_match: Option<i64>,
        action: impl FnOnce(&ComplaintState) -> Result<ComplaintAction, ActionError>,
    ) -> Result<Complaint, ActionError> {
        let complaint = self.visible(actor, id).await.map_err(|e| match e {
            ReadError::NotFound => ActionError::NotFound,
            ReadError::Storage(s) => ActionError::Storage(s),
        })?;
        if let Some(given) = if_match
            && given != complaint.version
        {
            return Err(ActionError::PreconditionFailed {
                given,
                current: complaint.version,
            });
        }
        let event = decide(&complaint.state, action(&complaint.state)?)?;
        let now = to_storage_precision(self.clock.now());
        let recorded = RecordedEvent {
            sequence: 0,
            actor_id: Some(actor.user_id),
            at: now,
            event,
        };
        let expected_version = complaint.version;
        let next = Complaint {
            state: apply(&complaint.state, &recorded.event, actor.user_id, now),
            version: expected_version + 1,
            updated_at: now,
            ..complaint
        };
        self.repository
            .record_transition(&next, expected_version, &recorded)
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
        let complaint = self.repository.find(id).await?.ok_or(ReadError::NotFound)?;
        let visibility = self.visibility(actor).await?;
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

    /// What the actor may see: everything for intake, the leading group and admin; for unit
    /// staff the complaints routed to their unit (a head: and the units below).
    ///
    /// # Errors
    /// [`RepositoryError`] from the directory.
    pub async fn visibility(&self, actor: &Actor) -> Result<Visibility, RepositoryError> {
        if actor.sees_all_complaints() {
            return Ok(Visibility::All);
        }
        let Some(unit) = actor.unit_id else {
            return Ok(Visibility::RoutedTo(vec![]));
        };
        if actor.role == Role::UnitHead {
            Ok(Visibility::RoutedTo(
                self.directory.unit_and_descendants(unit).await?,
            ))
        } else {
            Ok(Visibility::RoutedTo(vec![unit]))
        }
    }

    /// Lists complaints within the actor's visibility.
    ///
    /// # Errors
    /// [`ReadError::Storage`].
    pub async fn list(
        &self,
        actor: &Actor,
        mut query: ComplaintQuery,
    ) -> Result<Vec<Complaint>, ReadError> {
        query.visibility = self.visibility(actor).await?;
        Ok(self.repository.list(&query).await?)
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

impl ComplaintQuery {
    /// No filter, first page of the largest size.
    pub fn everything() -> Self {
        Self {
            visibility: Visibility::All,
            status: None,
            complaint_type: None,
            channel: None,
            matter: None,
            respondent_unit_id: None,
            first_handler_id: None,
            received_from: None,
            received_to: None,
            text: None,
            only: None,
            after: None,
            limit: 200,
        }
    }
}
