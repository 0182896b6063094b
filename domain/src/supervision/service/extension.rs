//! Extensions (延期): a unit head asks once per round for more working days; intake grants
//! (the reply deadline moves and the complainant must be told) or refuses.

use chrono::Duration;

use super::{CASE_ROLES, OrderDetail, OrderError, OrderService, Record, UNIT_HEAD, text};
use crate::access::Actor;
use crate::calendar::CalendarSource;
use crate::clock::Clock;
use crate::complaint::ports::{ComplaintRepository, UnitDirectory};
use crate::supervision::lifecycle::{
    ExtensionAnswer, OrderAction, OrderActionKind, decide, permitted,
};
use crate::supervision::ports::OrderRepository;

impl<O, C, D, K, Clk> OrderService<O, C, D, K, Clk>
where
    O: OrderRepository,
    C: ComplaintRepository,
    D: UnitDirectory,
    K: CalendarSource,
    Clk: Clock,
{
    /// A unit head asks once per round, before the deadline, for more working days.
    ///
    /// # Errors
    /// See [`OrderError`].
    pub async fn request_extension(
        &self,
        actor: &Actor,
        id: uuid::Uuid,
        working_days: u32,
        reason: String,
    ) -> Result<OrderDetail, OrderError> {
        actor.require(UNIT_HEAD, "ask for extensions")?;
        let reason = text("reason", &reason)?;
        let order = self.visible(actor, id).await?;
        let now = self.now();
        let limits = self.orders.limits(id).await?;
        let deadline_passed = Self::reply_due(&limits).is_some_and(|l| now >= l.due_at);
        let mut already = false;
        for sibling in self.orders.for_complaint(order.complaint_id).await? {
            if sibling.round == order.round
                && !self.orders.extension_requests(sibling.id).await?.is_empty()
            {
                already = true;
            }
        }
        let action = OrderAction::RequestExtension {
            request_id: uuid::Uuid::now_v7(),
            working_days,
            reason,
            max_working_days: self.policy.extension_max_days,
            deadline_passed,
            already_requested_this_round: already,
        };
        let events = decide(Some(&order), &action, &Self::context(actor, now))?;
        let (after, record) = Record::of(Some(&order), &events, now)?;
        self.save(Some(actor.user_id), after, record, now).await
    }

    /// Intake grants (the deadline moves; the complainant must be told) or refuses.
    ///
    /// # Errors
    /// See [`OrderError`].
    pub async fn decide_extension(
        &self,
        actor: &Actor,
        id: uuid::Uuid,
        request_id: uuid::Uuid,
        granted: bool,
        reason: String,
    ) -> Result<OrderDetail, OrderError> {
        actor.require(CASE_ROLES, "decide extensions")?;
        let reason = text("reason", &reason)?;
        let order = self.visible(actor, id).await?;
        self.require_case_handler(actor, order.complaint_id, "decide extensions")
            .await?;
        let request = self
            .orders
            .extension_requests(id)
            .await?
            .into_iter()
            .find(|r| r.id == request_id)
            .ok_or(OrderError::NotFound)?;
        permitted(Some(order.status), OrderActionKind::DecideExtension)?;
        let now = self.now();
        // A grant moves the reply deadline and obliges intake to tell the complainant within
        // a working day.
        let answer = if granted && request.decision.is_none() {
            let current = self.orders.limits(id).await?;
            let reply = Self::reply_due(&current).ok_or(OrderError::NotFound)?;
            let calendar = self.calendar.working_calendar().await?;
            // Count on from the last day of the current deadline (24:00 of that day).
            let moved = self.deadline(
                &calendar,
                reply.due_at - Duration::seconds(1),
                request.working_days,
            )?;
            ExtensionAnswer::Grant {
                moved,
                notice_due_at: self.deadline(&calendar, now, 1)?.due_at,
            }
        } else {
            ExtensionAnswer::Refuse
        };
        let action = OrderAction::DecideExtension {
            request,
            reason,
            answer,
        };
        let events = decide(Some(&order), &action, &Self::context(actor, now))?;
        let (after, record) = Record::of(Some(&order), &events, now)?;
        self.save(Some(actor.user_id), after, record, now).await
    }
}
