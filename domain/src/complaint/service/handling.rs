//! Screening, classifying, and the ends of on-site and feedback complaints.

use super::{
    ActionError, ClassifyCommand, ComplaintService, EXPLANATION_MAX, FeedbackCommand, NOTE_MAX,
    OnSiteResolutionCommand, REASON_MAX, REFERRAL_MAX, ScreenCommand, field, optional_text, text,
};
use crate::access::Actor;
use crate::calendar::CalendarSource;
use crate::clock::Clock;
use crate::complaint::lifecycle::{ComplaintAction, TransitionRefused};
use crate::complaint::model::Complaint;
use crate::complaint::ports::{ComplaintRepository, UnitDirectory, unit_unusable};
use crate::complaint::status::{ComplaintStatus, ComplaintType};
use crate::ids::ComplaintId;

impl<R, D, C, K> ComplaintService<R, D, C, K>
where
    R: ComplaintRepository,
    D: UnitDirectory,
    C: Clock,
    K: CalendarSource,
{
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
}
