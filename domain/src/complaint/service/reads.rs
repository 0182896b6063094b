//! Reading complaints the caller may see: one, a page, the history, and whose details show.

use std::collections::HashMap;

use super::{ComplaintService, ReadError};
use crate::access::Actor;
use crate::calendar::CalendarSource;
use crate::clock::{Clock, to_storage_precision};
use crate::complaint::events::RecordedEvent;
use crate::complaint::model::Complaint;
use crate::complaint::ports::{
    ComplaintQuery, ComplaintRepository, DetailsRule, RepositoryError, UnitDirectory, Visibility,
};
use crate::ids::{ComplaintId, UnitId, UserId};
use crate::visibility::{self, CallerUnits, RespondentSide};

impl<R, D, C, K> ComplaintService<R, D, C, K>
where
    R: ComplaintRepository,
    D: UnitDirectory,
    C: Clock,
    K: CalendarSource,
{
    /// Reads one complaint the actor may see.
    ///
    /// # Errors
    /// [`ReadError::NotFound`] also when the complaint exists but is not visible.
    pub async fn get(&self, actor: &Actor, id: ComplaintId) -> Result<Complaint, ReadError> {
        self.visible(actor, id).await
    }

    pub(super) async fn visible(
        &self,
        actor: &Actor,
        id: ComplaintId,
    ) -> Result<Complaint, ReadError> {
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
    pub(super) async fn caller_units(&self, actor: &Actor) -> Result<CallerUnits, RepositoryError> {
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
