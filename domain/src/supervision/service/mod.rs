//! The order use cases: issue, sign, return and rule, extend, reply, review, remind, read.
//! Each loads the order, checks who acts, asks the lifecycle ([`decide`]) for the events and
//! writes what they say (`write::Record`).
//!
//! [`decide`]: super::lifecycle::decide

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::lifecycle::{ApplyError, OrderContext, OrderRefused};
use super::model::{AnswerMethod, ExtensionRequest, SupervisionOrder};
use super::ports::OrderRepository;
use crate::access::{Actor, Forbidden};
use crate::calendar::{CalendarSource, Deadline, WorkingCalendar};
use crate::clock::{Clock, to_storage_precision};
use crate::complaint::ComplaintStatus;
use crate::complaint::ports::{ComplaintRepository, UnitDirectory};
use crate::complaint::registration::{FieldProblem, InvalidRegistration};
use crate::ids::UnitId;
use crate::limits::LimitView;
use crate::role::Role;
use crate::storage::RepositoryError;
use crate::text::bounded;

mod access;
mod complainant_notice;
mod extension;
mod issue;
mod read;
mod reminder;
mod reply;
mod routing;
mod write;

#[cfg(test)]
mod tests;

use write::Record;

pub const TEXT_MAX: usize = 4000;

/// The configured limits of the supervision loop, in working days.
#[derive(Debug, Clone, Copy)]
pub struct OrderPolicy {
    pub sign_for_days: u32,
    pub reply_days: u32,
    pub return_window_days: u32,
    pub extension_max_days: u32,
}

/// Why an order action was refused.
#[derive(Debug, thiserror::Error)]
pub enum OrderError {
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    #[error("no such order or complaint")]
    NotFound,
    #[error("the change was based on version {given}, the order is at version {current}")]
    PreconditionFailed { given: i64, current: i64 },
    #[error(transparent)]
    Refused(#[from] OrderRefused),
    /// The complaint is in the wrong state for this (HTTP 409).
    #[error("supervision orders are issued on case_filed complaints in handling; this one is {0}")]
    ComplaintState(ComplaintStatus),
    #[error(transparent)]
    Invalid(#[from] InvalidRegistration),
    #[error(transparent)]
    Storage(#[from] RepositoryError),
}

/// The lifecycle's events always follow from the order they were decided on; one that does
/// not means the stored order is corrupt, which the caller cannot fix.
impl From<ApplyError> for OrderError {
    fn from(e: ApplyError) -> Self {
        OrderError::Storage(RepositoryError::Unavailable(e.to_string()))
    }
}

fn field(field: &'static str, message: crate::message::Message) -> OrderError {
    OrderError::Invalid(InvalidRegistration(vec![FieldProblem { field, message }]))
}

fn text(name: &'static str, raw: &str) -> Result<String, OrderError> {
    bounded(raw, TEXT_MAX).map_err(|e| field(name, e.message()))
}

/// Issuing an order.
#[derive(Debug, Clone)]
pub struct IssueCommand {
    pub unit_id: UnitId,
    pub opinion: String,
    /// Working days to reply (default from the policy).
    pub reply_working_days: Option<u32>,
    /// An explicit reply deadline instead, later than the default one.
    pub reply_due_at: Option<DateTime<Utc>>,
}

/// The unit's reply.
#[derive(Debug, Clone)]
pub struct ReplyCommand {
    pub result: String,
    pub rectification: String,
    pub answer_method: AnswerMethod,
    pub answered_at: DateTime<Utc>,
}

/// Intake's ruling on a return.
#[derive(Debug, Clone)]
pub enum RulingCommand {
    Reroute {
        unit_id: UnitId,
        opinion: Option<String>,
        reason: String,
    },
    Refuse {
        reason: String,
    },
}

/// Intake's review of a reply; a rejection issues the next round with a stronger opinion.
#[derive(Debug, Clone)]
pub struct ReviewCommand {
    pub accepted: bool,
    pub reasons: Option<String>,
    pub next_opinion: Option<String>,
    pub next_reply_working_days: Option<u32>,
}

/// An order with its limits, as use cases answer it.
#[derive(Debug, Clone)]
pub struct OrderDetail {
    pub order: SupervisionOrder,
    pub limits: Vec<LimitView>,
    pub extension_requests: Vec<ExtensionRequest>,
    /// When this was read: whether the complainant notice is overdue is judged at it.
    pub as_of: DateTime<Utc>,
}

/// The order use cases over their ports.
pub struct OrderService<O, C, D, K, Clk> {
    orders: O,
    complaints: C,
    directory: D,
    calendar: K,
    clock: Clk,
    tz: Tz,
    policy: OrderPolicy,
}

const INTAKE: &[Role] = &[Role::Intake];
/// The roles that may act on a case at all (the leading group: on a case it holds). Checked
/// before the order is looked up, so other roles are refused the same for every id.
const CASE_ROLES: &[Role] = &[Role::Intake, Role::LeadingGroup];
const UNIT_STAFF: &[Role] = &[Role::UnitHandler, Role::UnitHead];
const UNIT_HEAD: &[Role] = &[Role::UnitHead];

impl<O, C, D, K, Clk> OrderService<O, C, D, K, Clk>
where
    O: OrderRepository,
    C: ComplaintRepository,
    D: UnitDirectory,
    K: CalendarSource,
    Clk: Clock,
{
    pub fn new(
        orders: O,
        complaints: C,
        directory: D,
        calendar: K,
        clock: Clk,
        tz: Tz,
        policy: OrderPolicy,
    ) -> Self {
        Self {
            orders,
            complaints,
            directory,
            calendar,
            clock,
            tz,
            policy,
        }
    }

    fn now(&self) -> DateTime<Utc> {
        to_storage_precision(self.clock.now())
    }

    fn context(actor: &Actor, now: DateTime<Utc>) -> OrderContext {
        OrderContext {
            actor: actor.user_id,
            now,
        }
    }

    fn deadline(
        &self,
        calendar: &WorkingCalendar,
        from: DateTime<Utc>,
        days: u32,
    ) -> Result<Deadline, OrderError> {
        calendar
            .add_working_days(from, days, self.tz)
            .map_err(|e| field("reply_working_days", e.message()))
    }

    /// Writes `record` as one transaction by `actor` (`None`: the system), and answers the
    /// order as it is after.
    async fn save(
        &self,
        actor: Option<crate::ids::UserId>,
        after: SupervisionOrder,
        record: Record,
        now: DateTime<Utc>,
    ) -> Result<OrderDetail, OrderError> {
        self.orders
            .write(record.into_write(after.complaint_id, actor, now))
            .await?;
        self.detail(after).await
    }
}
