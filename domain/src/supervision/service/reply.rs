//! The unit head's reply, and intake's review of it (a rejection issues the next round).

use super::issue::{Issuing, issued_id};
use super::{
    CASE_ROLES, OrderDetail, OrderError, OrderService, Record, ReplyCommand, ReviewCommand,
    UNIT_HEAD, field, text,
};
use crate::access::Actor;
use crate::calendar::CalendarSource;
use crate::clock::{Clock, stated_in_future};
use crate::complaint::ports::{ComplaintRepository, UnitDirectory};
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
    /// The unit head replies: handling result, rectification, how and when the complainant
    /// was answered.
    ///
    /// # Errors
    /// See [`OrderError`].
    pub async fn reply(
        &self,
        actor: &Actor,
        id: uuid::Uuid,
        if_match: Option<i64>,
        command: ReplyCommand,
    ) -> Result<OrderDetail, OrderError> {
        actor.require(UNIT_HEAD, "reply to supervision orders")?;
        let result = text("result", &command.result)?;
        let rectification = text("rectification", &command.rectification)?;
        let order = self.visible(actor, id).await?;
        Self::check_version(&order, if_match)?;
        let now = self.now();
        if stated_in_future(command.answered_at, now) {
            return Err(field(
                "answered_at",
                crate::msg!("field_answered_in_future"),
            ));
        }
        let limits = self.orders.limits(id).await?;
        let action = OrderAction::Reply {
            result,
            rectification,
            answer_method: command.answer_method,
            answered_at: command.answered_at,
            on_time: Self::reply_due(&limits).is_none_or(|l| now < l.due_at),
        };
        let events = decide(Some(&order), &action, &Self::context(actor, now))?;
        let (after, record) = Record::of(Some(&order), &events, now)?;
        self.save(Some(actor.user_id), after, record, now).await
    }

    /// Intake accepts the reply (the order is done) or rejects it with reasons, which issues
    /// round n + 1 to the same unit with the stronger opinion.
    ///
    /// # Errors
    /// See [`OrderError`].
    pub async fn review(
        &self,
        actor: &Actor,
        id: uuid::Uuid,
        if_match: Option<i64>,
        command: ReviewCommand,
    ) -> Result<OrderDetail, OrderError> {
        actor.require(CASE_ROLES, "review replies")?;
        let order = self.visible(actor, id).await?;
        self.require_case_handler(actor, order.complaint_id, "review replies")
            .await?;
        Self::check_version(&order, if_match)?;
        // A review of an order not replied to is refused before the review is read.
        permitted(Some(order.status), OrderActionKind::Review)?;
        let now = self.now();
        let reasons = command.reasons.map(|r| text("reasons", &r)).transpose()?;
        let issued = if command.accepted {
            vec![]
        } else {
            if reasons.is_none() {
                return Err(field(
                    "reasons",
                    crate::msg!("field_rejection_needs_reasons"),
                ));
            }
            let opinion = command.next_opinion.ok_or_else(|| {
                field("next_opinion", crate::msg!("field_rejection_needs_opinion"))
            })?;
            let issuing = Issuing {
                complaint_id: order.complaint_id,
                round: order.round + 1,
                unit_id: order.unit_id,
                opinion: text("next_opinion", &opinion)?,
                reply_working_days: command.next_reply_working_days,
                reply_due_at: None,
            };
            self.issued(actor, issuing, now).await?
        };
        let action = OrderAction::Review {
            accepted: command.accepted,
            reasons,
            next_order_id: issued_id(&issued),
        };
        let events = decide(Some(&order), &action, &Self::context(actor, now))?;
        let (after, mut record) = Record::of(Some(&order), &events, now)?;
        if !issued.is_empty() {
            record.add(None, &issued, now)?;
        }
        self.save(Some(actor.user_id), after, record, now).await
    }
}
