//! Complaints as a caller may see them: the visibility policy decides whose complainant
//! details are shown, and every complaint shown with them is named for the access log.

use duban_domain::complaint::Complaint;
use duban_domain::complaint::repeats::{PossibleRepeat, RepeatReason};
use duban_domain::complaint::service::ReadError;
use duban_domain::ids::ComplaintId;
use duban_infra::time_limits;
use poem_openapi::payload::Json;

use super::auth::Staff;
use super::complaint_dto::ComplaintView;
use super::complaints_api::ComplaintOk;
use super::problem::ApiError;
use super::time_limit_dto::screening_due_at;
use super::versioning::etag;
use crate::state::AppState;

/// `complaints` as `staff` may see them: the complainant's details only where the visibility
/// policy shows them, each complaint shown with details named for the access log.
pub async fn views(
    state: &AppState,
    staff: &Staff,
    complaints: Vec<Complaint>,
) -> Result<Vec<ComplaintView>, ApiError> {
    let shown = state
        .complaints
        .details_shown(&staff.actor, &complaints)
        .await?;
    Ok(complaints
        .into_iter()
        .zip(shown)
        .map(|(complaint, show)| {
            if show && !complaint.details.complainant.is_anonymous() {
                staff.disclosures.shows(complaint.id);
            }
            ComplaintView::new(complaint, show)
        })
        .collect())
}

/// Possible repeats found by a shared contact read complainants' contacts: those complaints
/// are named for the access log with the one they repeat.
pub fn log_repeats(staff: &Staff, of: ComplaintId, repeats: &[PossibleRepeat]) {
    let by_contact: Vec<ComplaintId> = repeats
        .iter()
        .filter(|r| r.reasons.contains(&RepeatReason::SameContact))
        .map(|r| r.complaint.id)
        .collect();
    if !by_contact.is_empty() {
        staff.disclosures.shows(of);
    }
    for id in by_contact {
        staff.disclosures.shows(id);
    }
}

/// One complaint as `staff` may see it, with its time limits.
pub async fn full_view(
    state: &AppState,
    staff: &Staff,
    complaint: Complaint,
) -> Result<ComplaintView, ApiError> {
    let limits = time_limits::for_complaint(&state.db, complaint.id).await?;
    let links = match state.complaints.links_of(&staff.actor, &complaint).await {
        Ok(links) => Some(links),
        Err(ReadError::Forbidden(_)) => None,
        Err(e) => return Err(e.into()),
    };
    let mut view = views(state, staff, vec![complaint])
        .await?
        .pop()
        .ok_or_else(|| ApiError::internal("a complaint without its view"))?;
    view.screening_due_at = screening_due_at(&limits);
    view.time_limits = Some(limits.into_iter().map(Into::into).collect());
    view.held_by = state
        .accountability
        .held_by(duban_domain::ids::ComplaintId::from_uuid(view.id))
        .await?
        .map(Into::into);
    view.links = links.map(|l| l.into_iter().map(Into::into).collect());
    Ok(view)
}

/// The complaint as `staff` may see it, with its ETag.
pub async fn complaint_ok(
    state: &AppState,
    staff: &Staff,
    complaint: Complaint,
) -> Result<ComplaintOk, ApiError> {
    let tag = etag(complaint.version);
    Ok(ComplaintOk::Ok(
        Json(full_view(state, staff, complaint).await?),
        tag,
    ))
}
