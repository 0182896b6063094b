//! The bodies and choices of the supervision-order operations, as integrators send them.

use poem_openapi::{Enum, Object};
use uuid::Uuid;

use super::order_dto::AnswerMethod;
use super::strict_string::Text;
use super::wire_time::WireInstant;

/// A new supervision order.
#[derive(Debug, Object)]
pub struct IssueOrder {
    /// The responsible unit.
    pub unit_id: Uuid,
    /// The supervision opinion (督办意见).
    #[oai(validator(min_length = 1, max_length = 4000, pattern = r"[^\s\u0085\ufeff]"))]
    pub opinion: Text,
    /// Working days to reply (default 5).
    #[oai(nullable, validator(minimum(value = "1"), maximum(value = "60")))]
    pub reply_working_days: Option<u32>,
    /// Or an explicit reply deadline, later than the default one.
    #[oai(nullable)]
    pub reply_due_at: Option<WireInstant>,
}

/// A return as wrongly routed (退单).
#[derive(Debug, Object)]
pub struct ReturnOrder {
    #[oai(validator(min_length = 1, max_length = 4000, pattern = r"[^\s\u0085\ufeff]"))]
    pub reason: Text,
    /// The rule or division of duties the return relies on.
    #[oai(validator(min_length = 1, max_length = 4000, pattern = r"[^\s\u0085\ufeff]"))]
    pub basis: Text,
}

/// Which complainant notices to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum ComplainantNoticeFilter {
    Open,
    Overdue,
}

/// Intake's ruling on a return.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum Ruling {
    /// Re-route to `unit_id`: a new order with its own limits, same round.
    Rerouted,
    /// Refuse: the order stands.
    Refused,
}

/// The ruling on a returned order.
#[derive(Debug, Object)]
pub struct ReturnRulingRequest {
    pub ruling: Ruling,
    #[oai(validator(min_length = 1, max_length = 4000, pattern = r"[^\s\u0085\ufeff]"))]
    pub reason: Text,
    /// For `rerouted`: the unit that is responsible.
    #[oai(nullable)]
    pub unit_id: Option<Uuid>,
    /// For `rerouted`: the opinion for the new unit (default: the same opinion).
    #[oai(
        nullable,
        validator(min_length = 1, max_length = 4000, pattern = r"[^\s\u0085\ufeff]")
    )]
    pub opinion: Option<Text>,
}

/// An extension request.
#[derive(Debug, Object)]
pub struct ExtensionRequestBody {
    /// At most the configured maximum (default 5).
    #[oai(validator(minimum(value = "1"), maximum(value = "60")))]
    pub working_days: u32,
    #[oai(validator(min_length = 1, max_length = 4000, pattern = r"[^\s\u0085\ufeff]"))]
    pub reason: Text,
}

/// Intake's decision on an extension request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum ExtensionDecisionValue {
    Granted,
    Refused,
}

/// The decision.
#[derive(Debug, Object)]
pub struct ExtensionDecisionBody {
    pub decision: ExtensionDecisionValue,
    #[oai(validator(min_length = 1, max_length = 4000, pattern = r"[^\s\u0085\ufeff]"))]
    pub reason: Text,
}

/// The unit's reply: handling result, rectification, and how and when the complainant was
/// answered.
#[derive(Debug, Object)]
pub struct ReplyBody {
    #[oai(validator(min_length = 1, max_length = 4000, pattern = r"[^\s\u0085\ufeff]"))]
    pub result: Text,
    #[oai(validator(min_length = 1, max_length = 4000, pattern = r"[^\s\u0085\ufeff]"))]
    pub rectification: Text,
    pub answer_method: AnswerMethod,
    pub answered_at: WireInstant,
}

/// Intake's review of a reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum ReviewDecision {
    Accepted,
    /// Issues round n + 1 to the same unit with `next_opinion`.
    Rejected,
}

/// The review.
#[derive(Debug, Object)]
pub struct ReviewBody {
    pub decision: ReviewDecision,
    /// Required for a rejection.
    #[oai(
        nullable,
        validator(min_length = 1, max_length = 4000, pattern = r"[^\s\u0085\ufeff]")
    )]
    pub reasons: Option<Text>,
    /// Required for a rejection: the stronger opinion of the next round.
    #[oai(
        nullable,
        validator(min_length = 1, max_length = 4000, pattern = r"[^\s\u0085\ufeff]")
    )]
    pub next_opinion: Option<Text>,
    #[oai(nullable, validator(minimum(value = "1"), maximum(value = "60")))]
    pub next_reply_working_days: Option<u32>,
}

/// A reminder (催办) to the unit.
#[derive(Debug, Object)]
pub struct ReminderBody {
    /// What the unit is pressed to do.
    #[oai(validator(min_length = 1, max_length = 4000, pattern = r"[^\s\u0085\ufeff]"))]
    pub note: Text,
}
