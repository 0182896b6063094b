//! Who may see and act on an order: the caller's units, the case handler, the version.

use super::{INTAKE, OrderError, OrderService};
use crate::access::Actor;
use crate::calendar::CalendarSource;
use crate::clock::Clock;
use crate::complaint::ports::{ComplaintRepository, UnitDirectory};
use crate::ids::{ComplaintId, UnitId};
use crate::limits::{LimitKind, LimitView};
use crate::role::Role;
use crate::supervision::model::SupervisionOrder;
use crate::supervision::ports::OrderRepository;
use crate::visibility::{self, CallerUnits, Visibility};

impl<O, C, D, K, Clk> OrderService<O, C, D, K, Clk>
where
    O: OrderRepository,
    C: ComplaintRepository,
    D: UnitDirectory,
    K: CalendarSource,
    Clk: Clock,
{
    /// The units whose orders the actor may see ([`visibility::cases`]); `None` for
    /// everything.
    ///
    /// # Errors
    /// [`OrderError::Forbidden`] for admin, who reads no case content.
    pub(super) async fn scope(&self, actor: &Actor) -> Result<Option<Vec<UnitId>>, OrderError> {
        let units = match visibility::needs_units(actor) {
            Some(unit) => CallerUnits {
                unit_and_below: self.directory.unit_and_descendants(unit).await?,
            },
            None => CallerUnits::default(),
        };
        Ok(match visibility::cases(actor, &units)? {
            Visibility::All => None,
            Visibility::RoutedTo(units) => Some(units),
        })
    }

    pub(super) async fn visible(
        &self,
        actor: &Actor,
        id: uuid::Uuid,
    ) -> Result<SupervisionOrder, OrderError> {
        let scope = self.scope(actor).await?;
        let order = self.orders.find(id).await?.ok_or(OrderError::NotFound)?;
        match scope {
            Some(units) if !units.contains(&order.unit_id) => Err(OrderError::NotFound),
            _ => Ok(order),
        }
    }

    pub(super) fn check_version(
        order: &SupervisionOrder,
        if_match: Option<i64>,
    ) -> Result<(), OrderError> {
        match if_match {
            Some(given) if given != order.version => Err(OrderError::PreconditionFailed {
                given,
                current: order.version,
            }),
            _ => Ok(()),
        }
    }

    pub(super) fn reply_due(limits: &[LimitView]) -> Option<&LimitView> {
        limits
            .iter()
            .filter(|l| l.kind == LimitKind::Reply)
            .max_by_key(|l| l.started_at)
    }

    /// Intake acts on every case; the leading group on the cases it took over.
    pub(super) async fn require_case_handler(
        &self,
        actor: &Actor,
        complaint_id: ComplaintId,
        action: &'static str,
    ) -> Result<(), OrderError> {
        if actor.role == Role::LeadingGroup
            && self.complaints.held_by_leading_group(complaint_id).await?
        {
            return Ok(());
        }
        Ok(actor.require(INTAKE, action)?)
    }
}
