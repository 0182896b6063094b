//! Reminders (催办): intake presses a unit that owes a signature or a reply.

use super::{CASE_ROLES, OrderDetail, OrderError, OrderService, Record, text};
use crate::access::Actor;
use crate::calendar::CalendarSource;
use crate::clock::Clock;
use crate::complaint::ports::{ComplaintRepository, UnitDirectory};
use crate::supervision::lifecycle::{OrderAction, decide};
use crate::supervision::ports::OrderRepository;

impl<O, C, D, K, Clk> OrderService<O, C, D, K, Clk>
where
    O: OrderRepository,
    C: ComplaintRepository,
    D: UnitDirectory,
    K: CalendarSource,
    Clk: Clock,
{
    /// Sends a reminder on an order that is issued or signed. The reminder is recorded on the
    /// order's running limits and in the history, and the unit is told. A limit reminded after
    /// its deadline goes red at the sweeper's next pass. The order's version does not change:
    /// a reminder never conflicts with the unit's own work on the order.
    ///
    /// # Errors
    /// See [`OrderError`]: 403 for roles other than intake and the leading group whatever the
    /// id, 404 for an order out of sight; 409 when the unit owes nothing (returned, replied,
    /// closed).
    pub async fn remind(
        &self,
        actor: &Actor,
        id: uuid::Uuid,
        note: &str,
    ) -> Result<OrderDetail, OrderError> {
        actor.require(CASE_ROLES, "send reminders")?;
        let note = text("note", note)?;
        let order = self.visible(actor, id).await?;
        self.require_case_handler(actor, order.complaint_id, "send reminders")
            .await?;
        let now = self.now();
        let overdue = self
            .orders
            .limits(id)
            .await?
            .iter()
            .any(|l| l.stopped_at.is_none() && l.due_at <= now);
        let action = OrderAction::Remind { note, overdue };
        let events = decide(Some(&order), &action, &Self::context(actor, now))?;
        let (after, record) = Record::of(Some(&order), &events, now)?;
        self.save(Some(actor.user_id), after, record, now).await
    }
}
