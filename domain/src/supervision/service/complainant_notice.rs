//! After a granted extension, intake tells the complainant the new date and records how and
//! when; until then the obligation stays open on the order, and overdue after a working day.

use chrono::{DateTime, Utc};

use super::{CASE_ROLES, OrderDetail, OrderError, OrderService, Record, field};
use crate::access::Actor;
use crate::calendar::CalendarSource;
use crate::clock::{Clock, stated_in_future, to_storage_precision};
use crate::complaint::ports::{ComplaintRepository, UnitDirectory};
use crate::supervision::lifecycle::tell_complainant;
use crate::supervision::model::{AnswerMethod, ComplainantTold};
use crate::supervision::ports::OrderRepository;

impl<O, C, D, K, Clk> OrderService<O, C, D, K, Clk>
where
    O: OrderRepository,
    C: ComplaintRepository,
    D: UnitDirectory,
    K: CalendarSource,
    Clk: Clock,
{
    /// Records that the complainant was told the new date, by `method` at `told_at`.
    ///
    /// # Errors
    /// See [`OrderError`]: 403 for roles other than intake and the leading group whatever the
    /// id, 404 for an order out of sight; 422 when no notice is open on the order, or for a
    /// time in the future or before the extension was granted.
    pub async fn record_complainant_notice(
        &self,
        actor: &Actor,
        id: uuid::Uuid,
        method: AnswerMethod,
        told_at: DateTime<Utc>,
    ) -> Result<OrderDetail, OrderError> {
        actor.require(CASE_ROLES, "record that the complainant was told")?;
        let order = self.visible(actor, id).await?;
        self.require_case_handler(
            actor,
            order.complaint_id,
            "record that the complainant was told",
        )
        .await?;
        let told_at = to_storage_precision(told_at);
        let told = ComplainantTold {
            method,
            at: told_at,
            by: Some(actor.user_id),
        };
        // Refused first when no notice is open, whatever the time stated.
        let events = tell_complainant(&order, told)?;
        let now = self.now();
        if stated_in_future(told_at, now) {
            return Err(field("told_at", crate::msg!("field_in_future")));
        }
        let granted_at = self
            .orders
            .extension_requests(id)
            .await?
            .iter()
            .filter_map(|r| r.decided_at)
            .max();
        if granted_at.is_some_and(|granted| told_at < granted) {
            return Err(field(
                "told_at",
                crate::msg!("field_before_extension_granted"),
            ));
        }
        let (after, record) = Record::of(Some(&order), &events, now)?;
        self.save(Some(actor.user_id), after, record, now).await
    }

    /// Records that the system itself told the complainant the new date, by the SMS or
    /// e-mail (`method`) it sent at `sent_at`, for the notice due at `notice_due_at`. `None`
    /// when that notice is no longer open (intake recorded it meanwhile, or a later grant
    /// opened a new one): nothing changes then.
    ///
    /// # Errors
    /// See [`OrderError`]: 404 for an unknown order; 422 for a method other than SMS or
    /// e-mail.
    pub async fn record_complainant_notice_sent(
        &self,
        id: uuid::Uuid,
        method: AnswerMethod,
        notice_due_at: DateTime<Utc>,
        sent_at: DateTime<Utc>,
    ) -> Result<Option<OrderDetail>, OrderError> {
        if !matches!(method, AnswerMethod::Sms | AnswerMethod::Email) {
            return Err(field("method", crate::msg!("field_not_a_system_channel")));
        }
        let order = self.orders.find(id).await?.ok_or(OrderError::NotFound)?;
        if !order
            .complainant_notice
            .as_ref()
            .is_some_and(|n| n.is_open() && n.due_at == notice_due_at)
        {
            return Ok(None);
        }
        let told = ComplainantTold {
            method,
            at: to_storage_precision(sent_at),
            by: None,
        };
        let now = self.now();
        let events = tell_complainant(&order, told)?;
        let (after, record) = Record::of(Some(&order), &events, now)?;
        self.save(None, after, record, now).await.map(Some)
    }
}
