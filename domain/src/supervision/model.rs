//! The supervision order as the core sees it.

use chrono::{DateTime, Utc};

use crate::ids::{ComplaintId, UnitId, UserId};
use crate::wire_enum;

wire_enum! {
    /// Where an order stands.
    OrderStatus {
        Issued => "issued",
        Signed => "signed",
        Returned => "returned",
        Replied => "replied",
        Accepted => "accepted",
        Rejected => "rejected",
        Cancelled => "cancelled",
    }
}

wire_enum! {
    /// Intake's ruling on a returned order.
    ReturnRuling {
        Rerouted => "rerouted",
        Refused => "refused",
    }
}

wire_enum! {
    /// Intake's decision on an extension request.
    ExtensionDecision {
        Granted => "granted",
        Refused => "refused",
    }
}

wire_enum! {
    /// How the complainant was told: by phone, letter, e-mail, in person or SMS.
    AnswerMethod {
        Phone => "phone",
        Letter => "letter",
        Email => "email",
        InPerson => "in_person",
        Sms => "sms",
    }
}

impl From<AnswerMethod> for crate::complaint::AnswerMethod {
    fn from(method: AnswerMethod) -> Self {
        match method {
            AnswerMethod::Phone => Self::Phone,
            AnswerMethod::Letter => Self::Letter,
            AnswerMethod::Email => Self::Email,
            AnswerMethod::InPerson => Self::InPerson,
            AnswerMethod::Sms => Self::Sms,
        }
    }
}

impl OrderStatus {
    /// The unit still owes something on this order.
    pub const fn is_open(self) -> bool {
        matches!(
            self,
            OrderStatus::Issued
                | OrderStatus::Signed
                | OrderStatus::Returned
                | OrderStatus::Replied
        )
    }
}

/// A return (退单) and intake's ruling on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderReturn {
    pub reason: String,
    pub basis: String,
    pub at: DateTime<Utc>,
    pub by: UserId,
    pub ruling: Option<ReturnRuling>,
    pub ruling_reason: Option<String>,
    pub rerouted_to: Option<uuid::Uuid>,
}

/// The unit's written reply (处理结果和整改情况).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderReply {
    pub result: String,
    pub rectification: String,
    pub answer_method: AnswerMethod,
    pub answered_at: DateTime<Utc>,
    pub at: DateTime<Utc>,
    pub by: UserId,
}

/// Intake's review of the reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderReview {
    pub accepted: bool,
    pub reasons: Option<String>,
    pub at: DateTime<Utc>,
    pub by: UserId,
}

/// A supervision order (督办单) to one unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupervisionOrder {
    pub id: uuid::Uuid,
    pub complaint_id: ComplaintId,
    /// 1 for the first order of a complaint; a rejected reply leads to round n + 1. A
    /// re-routed order keeps its round.
    pub round: u32,
    pub unit_id: UnitId,
    /// The supervision opinion (督办意见).
    pub opinion: String,
    pub status: OrderStatus,
    pub issued_at: DateTime<Utc>,
    pub issued_by: UserId,
    pub reply_working_days: u32,
    pub explicit_reply_due_at: Option<DateTime<Utc>>,
    pub signed: Option<(DateTime<Utc>, UserId)>,
    pub returned: Option<OrderReturn>,
    pub reply: Option<OrderReply>,
    pub review: Option<OrderReview>,
    /// A granted extension moved the deadline: the complainant must be told the new date.
    pub complainant_to_be_told_new_date: bool,
    /// The obligation to tell the complainant the date the last granted extension set.
    pub complainant_notice: Option<ComplainantNotice>,
    pub version: i64,
    pub updated_at: DateTime<Utc>,
}

/// Telling the complainant the new date after an extension (告知投诉人新的办理期限).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComplainantNotice {
    /// One working day after the grant: still untold then, the obligation is overdue.
    pub due_at: DateTime<Utc>,
    pub told: Option<ComplainantTold>,
}

impl ComplainantNotice {
    /// Nobody has recorded telling the complainant yet.
    #[must_use]
    pub const fn is_open(&self) -> bool {
        self.told.is_none()
    }

    /// Still open at `now`, past its due time.
    #[must_use]
    pub fn is_overdue(&self, now: DateTime<Utc>) -> bool {
        self.is_open() && now > self.due_at
    }
}

/// How and when the complainant was told, and who recorded it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComplainantTold {
    pub method: AnswerMethod,
    pub at: DateTime<Utc>,
    /// None: the system sent the notice itself (SMS or e-mail).
    pub by: Option<UserId>,
}

/// A request to extend the reply deadline (延期), and intake's decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtensionRequest {
    pub id: uuid::Uuid,
    pub order_id: uuid::Uuid,
    pub working_days: u32,
    pub reason: String,
    pub requested_at: DateTime<Utc>,
    pub requested_by: UserId,
    pub decision: Option<ExtensionDecision>,
    pub decision_reason: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decided_by: Option<UserId>,
    pub new_due_at: Option<DateTime<Utc>>,
}
