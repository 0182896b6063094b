//! Supervision order wire types.

use chrono::{DateTime, Utc};
use duban_domain::calendar::WarningLevel as DomainLevel;
use duban_domain::limits::LimitKind;
use duban_domain::supervision::service::OrderDetail;
use poem_openapi::Object;
use uuid::Uuid;

crate::mirror_enum!(
    /// Where an order stands.
    OrderStatus => duban_domain::supervision::OrderStatus { Issued, Signed, Returned, Replied, Accepted, Rejected, Cancelled }
);
crate::mirror_enum!(
    /// A warning level: none, blue (one working day or less left), yellow (overdue), red.
    WarningLevel => duban_domain::calendar::WarningLevel { None, Blue, Yellow, Red }
);
crate::mirror_enum!(
    /// How the complainant was told: by phone, letter, e-mail, in person or SMS.
    AnswerMethod => duban_domain::supervision::model::AnswerMethod { Phone, Letter, Email, InPerson, Sms }
);

/// The obligation to tell the complainant the new date after a granted extension.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ComplainantNoticeView {
    /// Nobody has recorded telling the complainant yet.
    pub open: bool,
    /// One working day after the grant.
    pub due_at: DateTime<Utc>,
    /// Open and past `due_at` (at the time of this answer).
    pub overdue: bool,
    pub told_by_method: Option<AnswerMethod>,
    pub told_at: Option<DateTime<Utc>>,
    pub recorded_by: Option<Uuid>,
}

impl ComplainantNoticeView {
    fn new(n: &duban_domain::supervision::model::ComplainantNotice, now: DateTime<Utc>) -> Self {
        Self {
            open: n.is_open(),
            due_at: n.due_at,
            overdue: n.is_overdue(now),
            told_by_method: n.told.as_ref().map(|t| t.method.into()),
            told_at: n.told.as_ref().map(|t| t.at),
            recorded_by: n.told.as_ref().and_then(|t| t.by.map(|by| by.as_uuid())),
        }
    }
}

/// The return of an order and intake's ruling.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ReturnView {
    pub reason: String,
    pub basis: String,
    pub returned_at: DateTime<Utc>,
    pub returned_by: Uuid,
    /// `rerouted` or `refused`, once intake ruled.
    pub ruling: Option<String>,
    pub ruling_reason: Option<String>,
    pub rerouted_to_order_id: Option<Uuid>,
}

/// The unit's reply.
#[derive(Debug, Clone, Object)]
pub struct ReplyView {
    pub result: String,
    pub rectification: String,
    pub answer_method: AnswerMethod,
    pub answered_at: DateTime<Utc>,
    pub replied_at: DateTime<Utc>,
    pub replied_by: Uuid,
}

/// Intake's review of the reply.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ReviewView {
    pub accepted: bool,
    pub reasons: Option<String>,
    pub reviewed_at: DateTime<Utc>,
    pub reviewed_by: Uuid,
}

/// An extension request and its decision.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ExtensionView {
    pub id: Uuid,
    pub working_days: u32,
    pub reason: String,
    pub requested_at: DateTime<Utc>,
    pub requested_by: Uuid,
    /// `granted` or `refused`, once decided.
    pub decision: Option<String>,
    pub decision_reason: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub new_reply_due_at: Option<DateTime<Utc>>,
}

/// A supervision order (督办单).
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct OrderView {
    pub id: Uuid,
    pub complaint_id: Uuid,
    /// 1, 2, … per complaint; a re-routed order keeps its round.
    pub round: u32,
    pub unit_id: Uuid,
    /// The supervision opinion (督办意见).
    pub opinion: String,
    pub status: OrderStatus,
    pub issued_at: DateTime<Utc>,
    pub issued_by: Uuid,
    pub reply_working_days: u32,
    /// When the unit must sign for it (while unsigned).
    pub sign_due_at: Option<DateTime<Utc>>,
    /// When the reply is due, extensions included.
    pub reply_due_at: Option<DateTime<Utc>>,
    /// A deadline reaches a year without calendar data: counted Monday–Friday for now.
    pub provisional: bool,
    /// The highest level among the running limits.
    pub warning_level: WarningLevel,
    /// The last reminder (催办) sent on the order; absent when none was.
    pub last_reminded_at: Option<DateTime<Utc>>,
    pub signed_at: Option<DateTime<Utc>>,
    pub signed_by: Option<Uuid>,
    #[oai(rename = "return")]
    pub returned: Option<ReturnView>,
    pub reply: Option<ReplyView>,
    pub review: Option<ReviewView>,
    pub extension_requests: Vec<ExtensionView>,
    /// A granted extension moved the deadline: the complainant must be told the new date.
    pub complainant_to_be_told_new_date: bool,
    /// Telling the complainant the date the last granted extension set; absent before any.
    pub complainant_notice: Option<ComplainantNoticeView>,
    pub version: i64,
    pub updated_at: DateTime<Utc>,
}

impl From<OrderDetail> for OrderView {
    fn from(d: OrderDetail) -> Self {
        let o = d.order;
        let latest = |kind: LimitKind| {
            d.limits
                .iter()
                .filter(|l| l.kind == kind)
                .max_by_key(|l| l.started_at)
        };
        let running_level = d
            .limits
            .iter()
            .filter(|l| l.stopped_at.is_none())
            .map(|l| l.warning_level)
            .max()
            .unwrap_or(DomainLevel::None);
        Self {
            id: o.id,
            complaint_id: o.complaint_id.as_uuid(),
            round: o.round,
            unit_id: o.unit_id.as_uuid(),
            opinion: o.opinion,
            status: o.status.into(),
            issued_at: o.issued_at,
            issued_by: o.issued_by.as_uuid(),
            reply_working_days: o.reply_working_days,
            sign_due_at: latest(LimitKind::SignFor).map(|l| l.due_at),
            reply_due_at: latest(LimitKind::Reply).map(|l| l.due_at),
            provisional: d
                .limits
                .iter()
                .any(|l| l.provisional && l.stopped_at.is_none()),
            warning_level: running_level.into(),
            last_reminded_at: d.limits.iter().filter_map(|l| l.reminded_at).max(),
            signed_at: o.signed.map(|(at, _)| at),
            signed_by: o.signed.map(|(_, by)| by.as_uuid()),
            returned: o.returned.map(|r| ReturnView {
                reason: r.reason,
                basis: r.basis,
                returned_at: r.at,
                returned_by: r.by.as_uuid(),
                ruling: r.ruling.map(|x| x.as_str().to_owned()),
                ruling_reason: r.ruling_reason,
                rerouted_to_order_id: r.rerouted_to,
            }),
            reply: o.reply.map(|r| ReplyView {
                result: r.result,
                rectification: r.rectification,
                answer_method: r.answer_method.into(),
                answered_at: r.answered_at,
                replied_at: r.at,
                replied_by: r.by.as_uuid(),
            }),
            review: o.review.map(|r| ReviewView {
                accepted: r.accepted,
                reasons: r.reasons,
                reviewed_at: r.at,
                reviewed_by: r.by.as_uuid(),
            }),
            extension_requests: d
                .extension_requests
                .into_iter()
                .map(|e| ExtensionView {
                    id: e.id,
                    working_days: e.working_days,
                    reason: e.reason,
                    requested_at: e.requested_at,
                    requested_by: e.requested_by.as_uuid(),
                    decision: e.decision.map(|x| x.as_str().to_owned()),
                    decision_reason: e.decision_reason,
                    decided_at: e.decided_at,
                    new_reply_due_at: e.new_due_at,
                })
                .collect(),
            complainant_to_be_told_new_date: o.complainant_to_be_told_new_date,
            complainant_notice: o
                .complainant_notice
                .as_ref()
                .map(|n| ComplainantNoticeView::new(n, d.as_of)),
            version: o.version,
            updated_at: o.updated_at,
        }
    }
}
