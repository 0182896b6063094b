//! Issuing an order: round n on a case-filed complaint, or the order a re-route or a rejected
//! reply issues.

use chrono::{DateTime, Utc};

use super::{OrderDetail, OrderError, OrderService, Record, field, text};
use crate::access::Actor;
use crate::calendar::{CalendarSource, Deadline};
use crate::clock::Clock;
use crate::complaint::ports::{ComplaintRepository, UnitDirectory, unit_unusable};
use crate::complaint::{ComplaintStatus, ComplaintType};
use crate::ids::{ComplaintId, UnitId};
use crate::supervision::lifecycle::{NewOrder, OrderAction, OrderEvent, OrderRefused, decide};
use crate::supervision::ports::OrderRepository;

/// The order to issue, as asked for.
pub(super) struct Issuing {
    pub complaint_id: ComplaintId,
    pub round: u32,
    pub unit_id: UnitId,
    pub opinion: String,
    pub reply_working_days: Option<u32>,
    pub reply_due_at: Option<DateTime<Utc>>,
}

impl<O, C, D, K, Clk> OrderService<O, C, D, K, Clk>
where
    O: OrderRepository,
    C: ComplaintRepository,
    D: UnitDirectory,
    K: CalendarSource,
    Clk: Clock,
{
    /// Issues an order (round n) on a case-filed complaint to one unit.
    ///
    /// # Errors
    /// See [`OrderError`].
    pub async fn issue(
        &self,
        actor: &Actor,
        complaint_id: ComplaintId,
        command: super::IssueCommand,
    ) -> Result<OrderDetail, OrderError> {
        self.require_case_handler(actor, complaint_id, "issue supervision orders")
            .await?;
        let opinion = text("opinion", &command.opinion)?;
        let complaint = self
            .complaints
            .find(complaint_id)
            .await?
            .ok_or(OrderError::NotFound)?;
        if complaint.state.status != ComplaintStatus::InHandling
            || complaint.state.complaint_type != Some(ComplaintType::CaseFiled)
        {
            return Err(OrderError::ComplaintState(complaint.state.status));
        }
        let existing = self.orders.for_complaint(complaint_id).await?;
        if existing.iter().any(|o| o.status.is_open()) {
            return Err(OrderError::Refused(OrderRefused::Rule(crate::msg!(
                "rule_open_order_exists"
            ))));
        }
        let now = self.now();
        let issuing = Issuing {
            complaint_id,
            round: existing.iter().map(|o| o.round).max().unwrap_or(0) + 1,
            unit_id: command.unit_id,
            opinion,
            reply_working_days: command.reply_working_days,
            reply_due_at: command.reply_due_at,
        };
        let events = self.issued(actor, issuing, now).await?;
        let (order, record) = Record::of(None, &events, now)?;
        self.save(Some(actor.user_id), order, record, now).await
    }

    /// The events of issuing: the unit must be usable, the deadlines count from `now` and an
    /// explicit reply deadline must be later than the default one.
    pub(super) async fn issued(
        &self,
        actor: &Actor,
        issuing: Issuing,
        now: DateTime<Utc>,
    ) -> Result<Vec<OrderEvent>, OrderError> {
        if let Some(problem) = unit_unusable(&self.directory, issuing.unit_id).await? {
            return Err(field("unit_id", problem));
        }
        let calendar = self.calendar.working_calendar().await?;
        let reply_days = issuing.reply_working_days.unwrap_or(self.policy.reply_days);
        if reply_days == 0 {
            return Err(field(
                "reply_working_days",
                crate::msg!("field_at_least_one_working_day"),
            ));
        }
        let sign = self.deadline(&calendar, now, self.policy.sign_for_days)?;
        let default_reply = self.deadline(&calendar, now, reply_days)?;
        let reply = match issuing.reply_due_at {
            Some(explicit) if explicit <= default_reply.due_at => {
                return Err(field(
                    "reply_due_at",
                    crate::msg!(
                        "field_deadline_after_default",
                        default = default_reply.due_at.to_rfc3339()
                    ),
                ));
            }
            Some(explicit) => Deadline {
                due_at: explicit,
                provisional: false,
            },
            None => default_reply,
        };
        let order = NewOrder {
            id: uuid::Uuid::now_v7(),
            complaint_id: issuing.complaint_id,
            round: issuing.round,
            unit_id: issuing.unit_id,
            opinion: issuing.opinion,
            sign_for_days: self.policy.sign_for_days,
            sign,
            reply_working_days: reply_days,
            explicit_reply_due_at: issuing.reply_due_at,
            reply,
        };
        Ok(decide(
            None,
            &OrderAction::Issue(order),
            &Self::context(actor, now),
        )?)
    }
}

/// The id of the order issued by `events`.
pub(super) fn issued_id(events: &[OrderEvent]) -> Option<uuid::Uuid> {
    events.iter().find_map(|e| match e {
        OrderEvent::Issued { order, .. } => Some(order.id),
        _ => None,
    })
}
