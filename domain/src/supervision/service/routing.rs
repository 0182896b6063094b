//! The unit signs for an order or returns it as wrongly routed; intake rules on a return.

use super::issue::{Issuing, issued_id};
use super::{
    CASE_ROLES, OrderDetail, OrderError, OrderService, Record, RulingCommand, UNIT_HEAD,
    UNIT_STAFF, field, text,
};
use crate::access::Actor;
use crate::calendar::CalendarSource;
use crate::clock::Clock;
use crate::complaint::ports::{ComplaintRepository, UnitDirectory};
use crate::limits::LimitKind;
use crate::supervision::lifecycle::{OrderAction, OrderActionKind, decide, permitted};
use crate::supervision::ports::OrderRepository;

impl<O, C, D, K, Clk> OrderService<O, C, D, K, Clk>
where
    O: OrderRepository,
    C: ComplaintRepository,
    D: UnitDirectory,
    K: CalendarSource,
    Clk: Clock,
{
    /// The unit signs for the order (签收).
    ///
    /// # Errors
    /// See [`OrderError`].
    pub async fn sign(
        &self,
        actor: &Actor,
        id: uuid::Uuid,
        if_match: Option<i64>,
    ) -> Result<OrderDetail, OrderError> {
        actor.require(UNIT_STAFF, "sign for supervision orders")?;
        let order = self.visible(actor, id).await?;
        Self::check_version(&order, if_match)?;
        let now = self.now();
        let on_time = self
            .orders
            .limits(id)
            .await?
            .iter()
            .find(|l| l.kind == LimitKind::SignFor)
            .is_none_or(|l| now < l.due_at);
        let events = decide(
            Some(&order),
            &OrderAction::Sign { on_time },
            &Self::context(actor, now),
        )?;
        let (after, record) = Record::of(Some(&order), &events, now)?;
        self.save(Some(actor.user_id), after, record, now).await
    }

    /// A unit head returns the order as wrongly routed (退单), citing reason and basis.
    ///
    /// # Errors
    /// See [`OrderError`].
    pub async fn return_order(
        &self,
        actor: &Actor,
        id: uuid::Uuid,
        if_match: Option<i64>,
        reason: String,
        basis: String,
    ) -> Result<OrderDetail, OrderError> {
        actor.require(UNIT_HEAD, "return supervision orders")?;
        let reason = text("reason", &reason)?;
        let basis = text("basis", &basis)?;
        let order = self.visible(actor, id).await?;
        Self::check_version(&order, if_match)?;
        let now = self.now();
        let calendar = self.calendar.working_calendar().await?;
        let window = self.deadline(&calendar, order.issued_at, self.policy.return_window_days)?;
        let action = OrderAction::Return {
            reason,
            basis,
            within_return_window: now < window.due_at,
        };
        let events = decide(Some(&order), &action, &Self::context(actor, now))?;
        let (after, record) = Record::of(Some(&order), &events, now)?;
        self.save(Some(actor.user_id), after, record, now).await
    }

    /// Intake rules on a return: re-route to another unit (a new order with its own limits,
    /// same round) or refuse (the order stands).
    ///
    /// # Errors
    /// See [`OrderError`].
    pub async fn rule_on_return(
        &self,
        actor: &Actor,
        id: uuid::Uuid,
        if_match: Option<i64>,
        command: RulingCommand,
    ) -> Result<OrderDetail, OrderError> {
        actor.require(CASE_ROLES, "rule on returned orders")?;
        let order = self.visible(actor, id).await?;
        self.require_case_handler(actor, order.complaint_id, "rule on returned orders")
            .await?;
        Self::check_version(&order, if_match)?;
        // A ruling on an order that is not returned is refused before the ruling is read.
        permitted(Some(order.status), OrderActionKind::RuleOnReturn)?;
        let now = self.now();
        let (reason, issued) = match command {
            RulingCommand::Refuse { reason } => (text("reason", &reason)?, vec![]),
            RulingCommand::Reroute {
                unit_id,
                opinion,
                reason,
            } => {
                if unit_id == order.unit_id {
                    return Err(field("unit_id", crate::msg!("field_reroute_other_unit")));
                }
                let reason = text("reason", &reason)?;
                let opinion = match opinion {
                    Some(o) => text("opinion", &o)?,
                    None => order.opinion.clone(),
                };
                let issuing = Issuing {
                    complaint_id: order.complaint_id,
                    round: order.round,
                    unit_id,
                    opinion,
                    reply_working_days: Some(order.reply_working_days),
                    reply_due_at: None,
                };
                (reason, self.issued(actor, issuing, now).await?)
            }
        };
        let action = OrderAction::RuleOnReturn {
            reason,
            reroute_to: issued_id(&issued),
        };
        let events = decide(Some(&order), &action, &Self::context(actor, now))?;
        let (after, mut record) = Record::of(Some(&order), &events, now)?;
        if !issued.is_empty() {
            record.add(None, &issued, now)?;
        }
        self.save(Some(actor.user_id), after, record, now).await
    }
}
