//! Order, extension and limit rows to domain values and back.

use duban_domain::ids::{ComplaintId, UnitId, UserId};
use duban_domain::storage::RepositoryError;
use duban_domain::supervision::model::{
    ComplainantNotice, ComplainantTold, OrderReply, OrderReturn, OrderReview,
};
use duban_domain::supervision::{ExtensionRequest, SupervisionOrder};
use sea_orm::Set;

use crate::entities::{extension_request, supervision_order};

fn corrupt(e: impl std::fmt::Display) -> RepositoryError {
    RepositoryError::Unavailable(format!("stored order is unreadable: {e}"))
}

fn parse<T: std::str::FromStr>(raw: &str) -> Result<T, RepositoryError>
where
    T::Err: std::fmt::Display,
{
    raw.parse().map_err(corrupt)
}

fn count(raw: i32) -> Result<u32, RepositoryError> {
    u32::try_from(raw).map_err(corrupt)
}

pub(crate) fn order_to_domain(
    m: supervision_order::Model,
) -> Result<SupervisionOrder, RepositoryError> {
    let returned = match (
        m.return_reason,
        m.return_basis,
        m.returned_at,
        m.returned_by,
    ) {
        (Some(reason), Some(basis), Some(at), Some(by)) => Some(OrderReturn {
            reason,
            basis,
            at,
            by: UserId::from_uuid(by),
            ruling: m.return_ruling.as_deref().map(parse).transpose()?,
            ruling_reason: m.return_ruling_reason,
            rerouted_to: m.rerouted_to_order_id,
        }),
        _ => None,
    };
    let reply = match (
        m.reply_result,
        m.reply_rectification,
        m.reply_answer_method,
        m.reply_answered_at,
        m.replied_at,
        m.replied_by,
    ) {
        (
            Some(result),
            Some(rectification),
            Some(method),
            Some(answered_at),
            Some(at),
            Some(by),
        ) => Some(OrderReply {
            result,
            rectification,
            answer_method: parse(&method)?,
            answered_at,
            at,
            by: UserId::from_uuid(by),
        }),
        _ => None,
    };
    let review = match (m.review_outcome, m.reviewed_at, m.reviewed_by) {
        (Some(outcome), Some(at), Some(by)) => Some(OrderReview {
            accepted: outcome == "accepted",
            reasons: m.review_reasons,
            at,
            by: UserId::from_uuid(by),
        }),
        _ => None,
    };
    Ok(SupervisionOrder {
        id: m.id,
        complaint_id: ComplaintId::from_uuid(m.complaint_id),
        round: count(m.round)?,
        unit_id: UnitId::from_uuid(m.unit_id),
        opinion: m.opinion,
        status: parse(&m.status)?,
        issued_at: m.issued_at,
        issued_by: UserId::from_uuid(m.issued_by),
        reply_working_days: count(m.reply_working_days)?,
        explicit_reply_due_at: m.explicit_reply_due_at,
        signed: m.signed_at.zip(m.signed_by.map(UserId::from_uuid)),
        returned,
        reply,
        review,
        complainant_to_be_told_new_date: m.complainant_to_be_told_new_date,
        complainant_notice: match m.complainant_notice_due_at {
            Some(due_at) => Some(ComplainantNotice {
                due_at,
                told: match (
                    m.complainant_told_at,
                    m.complainant_told_method,
                    m.complainant_told_by,
                ) {
                    (Some(at), Some(method), by) => Some(ComplainantTold {
                        method: parse(&method)?,
                        at,
                        by: by.map(UserId::from_uuid),
                    }),
                    _ => None,
                },
            }),
            None => None,
        },
        version: m.version,
        updated_at: m.updated_at,
    })
}

fn int(value: u32) -> i32 {
    i32::try_from(value).unwrap_or(i32::MAX)
}

pub(crate) fn order_to_row(o: &SupervisionOrder) -> supervision_order::ActiveModel {
    let ret = o.returned.as_ref();
    let reply = o.reply.as_ref();
    let review = o.review.as_ref();
    let notice = o.complainant_notice.as_ref();
    let told = notice.and_then(|n| n.told.as_ref());
    supervision_order::ActiveModel {
        id: Set(o.id),
        complaint_id: Set(o.complaint_id.as_uuid()),
        round: Set(int(o.round)),
        unit_id: Set(o.unit_id.as_uuid()),
        opinion: Set(o.opinion.clone()),
        status: Set(o.status.as_str().to_owned()),
        issued_at: Set(o.issued_at),
        issued_by: Set(o.issued_by.as_uuid()),
        reply_working_days: Set(int(o.reply_working_days)),
        explicit_reply_due_at: Set(o.explicit_reply_due_at),
        signed_at: Set(o.signed.map(|(at, _)| at)),
        signed_by: Set(o.signed.map(|(_, by)| by.as_uuid())),
        return_reason: Set(ret.map(|r| r.reason.clone())),
        return_basis: Set(ret.map(|r| r.basis.clone())),
        returned_at: Set(ret.map(|r| r.at)),
        returned_by: Set(ret.map(|r| r.by.as_uuid())),
        return_ruling: Set(ret.and_then(|r| r.ruling).map(|x| x.as_str().to_owned())),
        return_ruling_reason: Set(ret.and_then(|r| r.ruling_reason.clone())),
        rerouted_to_order_id: Set(ret.and_then(|r| r.rerouted_to)),
        reply_result: Set(reply.map(|r| r.result.clone())),
        reply_rectification: Set(reply.map(|r| r.rectification.clone())),
        reply_answer_method: Set(reply.map(|r| r.answer_method.as_str().to_owned())),
        reply_answered_at: Set(reply.map(|r| r.answered_at)),
        replied_at: Set(reply.map(|r| r.at)),
        replied_by: Set(reply.map(|r| r.by.as_uuid())),
        review_outcome: Set(
            review.map(|r| if r.accepted { "accepted" } else { "rejected" }.to_owned())
        ),
        review_reasons: Set(review.and_then(|r| r.reasons.clone())),
        reviewed_at: Set(review.map(|r| r.at)),
        reviewed_by: Set(review.map(|r| r.by.as_uuid())),
        complainant_to_be_told_new_date: Set(o.complainant_to_be_told_new_date),
        complainant_notice_due_at: Set(notice.map(|n| n.due_at)),
        complainant_told_at: Set(told.map(|t| t.at)),
        complainant_told_method: Set(told.map(|t| t.method.as_str().to_owned())),
        complainant_told_by: Set(told.and_then(|t| t.by.map(|by| by.as_uuid()))),
        complainant_notice_claimed_until: sea_orm::ActiveValue::NotSet,
        version: Set(o.version),
        updated_at: Set(o.updated_at),
    }
}

pub(crate) fn extension_to_domain(
    m: extension_request::Model,
) -> Result<ExtensionRequest, RepositoryError> {
    Ok(ExtensionRequest {
        id: m.id,
        order_id: m.order_id,
        working_days: count(m.working_days)?,
        reason: m.reason,
        requested_at: m.requested_at,
        requested_by: UserId::from_uuid(m.requested_by),
        decision: m.decision.as_deref().map(parse).transpose()?,
        decision_reason: m.decision_reason,
        decided_at: m.decided_at,
        decided_by: m.decided_by.map(UserId::from_uuid),
        new_due_at: m.new_due_at,
    })
}

pub(crate) fn extension_to_row(e: &ExtensionRequest) -> extension_request::ActiveModel {
    extension_request::ActiveModel {
        id: Set(e.id),
        order_id: Set(e.order_id),
        working_days: Set(int(e.working_days)),
        reason: Set(e.reason.clone()),
        requested_at: Set(e.requested_at),
        requested_by: Set(e.requested_by.as_uuid()),
        decision: Set(e.decision.map(|d| d.as_str().to_owned())),
        decision_reason: Set(e.decision_reason.clone()),
        decided_at: Set(e.decided_at),
        decided_by: Set(e.decided_by.map(|d| d.as_uuid())),
        new_due_at: Set(e.new_due_at),
    }
}
