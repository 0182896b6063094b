//! The order lifecycle as one transition function: [`decide`] turns an action into events or
//! a refusal without changing anything; [`apply`] folds an event into the order. The service
//! counts deadlines and checks the request, then writes what the events say.
//!
//! | status \ action | issue | sign | return | rule | ask ext. | decide ext. | reply | review | remind |
//! |-----------------|-------|------|--------|------|----------|-------------|-------|--------|--------|
//! | (no order yet)  | yes   | –    | –      | –    | –        | –           | –     | –      | –      |
//! | `issued`        | –     | yes  | yes    | –    | yes      | yes         | –     | –      | yes    |
//! | `signed`        | –     | –    | yes    | –    | yes      | yes         | yes   | –      | yes    |
//! | `returned`      | –     | –    | –      | yes  | –        | –           | –     | –      | –      |
//! | `replied`       | –     | –    | –      | –    | –        | –           | –     | yes    | –      |
//! | closed          | –     | –    | –      | –    | –        | –           | –     | –      | –      |
//!
//! Rules, checked after the status: a return only within the return window; an extension
//! once per round, before the deadline, of 1 to the maximum working days; an extension
//! request decided once. Telling the complainant a new date ([`tell_complainant`]) depends on
//! the open notice, not on the status.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::model::{
    AnswerMethod, ComplainantTold, ExtensionRequest, OrderReply, OrderReview, OrderStatus,
    ReturnRuling,
};
use crate::calendar::Deadline;
use crate::ids::{ComplaintId, UnitId, UserId};

mod transition;

pub use transition::{apply, decide, permitted, tell_complainant};

/// A new order, its deadlines counted by the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOrder {
    pub id: Uuid,
    pub complaint_id: ComplaintId,
    pub round: u32,
    pub unit_id: UnitId,
    pub opinion: String,
    pub sign_for_days: u32,
    pub sign: Deadline,
    pub reply_working_days: u32,
    pub explicit_reply_due_at: Option<DateTime<Utc>>,
    pub reply: Deadline,
}

/// Intake's answer to an extension request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExtensionAnswer {
    /// The reply deadline moves to `moved`; the complainant must be told by `notice_due_at`.
    Grant {
        moved: Deadline,
        notice_due_at: DateTime<Utc>,
    },
    Refuse,
}

/// An action on an order, with the facts its rules need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrderAction {
    Issue(NewOrder),
    Sign {
        /// Before the sign-for deadline.
        on_time: bool,
    },
    Return {
        reason: String,
        basis: String,
        within_return_window: bool,
    },
    RuleOnReturn {
        reason: String,
        /// The new order the case is re-routed to; `None` refuses the return.
        reroute_to: Option<Uuid>,
    },
    RequestExtension {
        request_id: Uuid,
        working_days: u32,
        reason: String,
        max_working_days: u32,
        deadline_passed: bool,
        already_requested_this_round: bool,
    },
    DecideExtension {
        request: ExtensionRequest,
        reason: String,
        answer: ExtensionAnswer,
    },
    Reply {
        result: String,
        rectification: String,
        answer_method: AnswerMethod,
        answered_at: DateTime<Utc>,
        /// Before the reply deadline.
        on_time: bool,
    },
    Review {
        accepted: bool,
        reasons: Option<String>,
        /// The next round's order a rejection issues.
        next_order_id: Option<Uuid>,
    },
    /// Intake presses the unit to act (催办) while the unit owes a signature or a reply.
    Remind {
        note: String,
        /// A running limit of the order has passed.
        overdue: bool,
    },
}

/// The kind of an [`OrderAction`], to check the status before the request is validated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderActionKind {
    Issue,
    Sign,
    Return,
    RuleOnReturn,
    RequestExtension,
    DecideExtension,
    Reply,
    Review,
    Remind,
}

/// Who acts, and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrderContext {
    pub actor: UserId,
    pub now: DateTime<Utc>,
}

/// What happened to an order. Each carries its actor and time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrderEvent {
    Issued {
        by: UserId,
        at: DateTime<Utc>,
        order: NewOrder,
    },
    Signed {
        by: UserId,
        at: DateTime<Utc>,
        on_time: bool,
    },
    Returned {
        by: UserId,
        at: DateTime<Utc>,
        reason: String,
        basis: String,
    },
    ReturnRuled {
        by: UserId,
        at: DateTime<Utc>,
        ruling: ReturnRuling,
        reason: String,
        rerouted_to: Option<Uuid>,
    },
    ExtensionRequested(ExtensionRequest),
    /// `request` as decided.
    ExtensionDecided {
        request: ExtensionRequest,
        answer: ExtensionAnswer,
    },
    Replied {
        reply: OrderReply,
        on_time: bool,
    },
    Reviewed {
        review: OrderReview,
        next_order_id: Option<Uuid>,
    },
    Reminded {
        by: UserId,
        at: DateTime<Utc>,
        note: String,
        overdue: bool,
    },
    ComplainantTold(ComplainantTold),
}

/// Why an order action was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OrderRefused {
    /// HTTP 409.
    #[error("cannot {action} an order that is {status}")]
    WrongState {
        action: &'static str,
        status: OrderStatus,
    },
    /// HTTP 422, naming the rule.
    #[error("{0}")]
    Rule(crate::message::Message),
}

/// An event that does not follow from the order it is applied to (a corrupt history).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("event {event} cannot be applied to an order in state {status:?}")]
pub struct ApplyError {
    /// `None`: there was no order yet.
    pub status: Option<OrderStatus>,
    pub event: &'static str,
}

impl OrderAction {
    #[must_use]
    pub const fn kind(&self) -> OrderActionKind {
        match self {
            OrderAction::Issue(_) => OrderActionKind::Issue,
            OrderAction::Sign { .. } => OrderActionKind::Sign,
            OrderAction::Return { .. } => OrderActionKind::Return,
            OrderAction::RuleOnReturn { .. } => OrderActionKind::RuleOnReturn,
            OrderAction::RequestExtension { .. } => OrderActionKind::RequestExtension,
            OrderAction::DecideExtension { .. } => OrderActionKind::DecideExtension,
            OrderAction::Reply { .. } => OrderActionKind::Reply,
            OrderAction::Review { .. } => OrderActionKind::Review,
            OrderAction::Remind { .. } => OrderActionKind::Remind,
        }
    }

    #[must_use]
    pub const fn name(&self) -> &'static str {
        self.kind().name()
    }
}

impl OrderActionKind {
    /// The action as refusals name it.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            OrderActionKind::Issue => "issue",
            OrderActionKind::Sign => "sign for",
            OrderActionKind::Return => "return",
            OrderActionKind::RuleOnReturn => "rule on the return of",
            OrderActionKind::RequestExtension => "ask for an extension of",
            OrderActionKind::DecideExtension => "decide an extension of",
            OrderActionKind::Reply => "reply to",
            OrderActionKind::Review => "review the reply to",
            OrderActionKind::Remind => "send a reminder on",
        }
    }
}

impl OrderEvent {
    /// The event's name, for [`ApplyError`].
    #[must_use]
    pub const fn name(&self) -> &'static str {
        match self {
            OrderEvent::Issued { .. } => "order_issued",
            OrderEvent::Signed { .. } => "order_signed",
            OrderEvent::Returned { .. } => "order_returned",
            OrderEvent::ReturnRuled { .. } => "return_ruled",
            OrderEvent::ExtensionRequested(_) => "extension_requested",
            OrderEvent::ExtensionDecided { .. } => "extension_decided",
            OrderEvent::Replied { .. } => "order_replied",
            OrderEvent::Reviewed { .. } => "reply_reviewed",
            OrderEvent::Reminded { .. } => "order_reminded",
            OrderEvent::ComplainantTold(_) => "complainant_told_new_date",
        }
    }
}

#[cfg(test)]
mod tests;
