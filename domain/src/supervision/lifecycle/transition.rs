//! [`decide`] and [`apply`] of the order lifecycle (the table is in the module docs).

use super::{
    ApplyError, ExtensionAnswer, OrderAction as A, OrderActionKind as K, OrderContext,
    OrderEvent as Ev, OrderRefused,
};
use crate::supervision::model::{
    ComplainantNotice, ComplainantTold, ExtensionDecision, ExtensionRequest, OrderReply,
    OrderReturn, OrderReview, OrderStatus as S, ReturnRuling, SupervisionOrder,
};

/// Whether an action of `kind` applies to an order in `status` (`None`: no order yet). The
/// service asks this first where the request is validated before [`decide`] can be called.
///
/// # Errors
/// [`OrderRefused::WrongState`]; a rule naming the missing order for an action on no order.
pub fn permitted(status: Option<S>, kind: K) -> Result<(), OrderRefused> {
    let allowed = match (status, kind) {
        (None, K::Issue) => true,
        (None, _) => return Err(OrderRefused::Rule(crate::msg!("order_not_found"))),
        (Some(_), K::Issue) => false,
        (Some(status), K::Sign) => status == S::Issued,
        (Some(status), K::Reply) => status == S::Signed,
        (Some(status), K::RuleOnReturn) => status == S::Returned,
        (Some(status), K::Review) => status == S::Replied,
        (Some(status), K::Return | K::RequestExtension | K::DecideExtension | K::Remind) => {
            matches!(status, S::Issued | S::Signed)
        }
    };
    match status {
        Some(status) if !allowed => Err(OrderRefused::WrongState {
            action: kind.name(),
            status,
        }),
        _ => Ok(()),
    }
}

/// Decides what `action` does to `order` (`None`: no order yet) in `ctx`: the events to
/// record, or why not.
///
/// # Errors
/// [`OrderRefused::WrongState`] or [`OrderRefused::Rule`] (see the module docs).
pub fn decide(
    order: Option<&SupervisionOrder>,
    action: &A,
    ctx: &OrderContext,
) -> Result<Vec<Ev>, OrderRefused> {
    permitted(order.map(|o| o.status), action.kind())?;
    let (by, at) = (ctx.actor, ctx.now);
    let Some(order) = order else {
        return match action {
            A::Issue(new) => Ok(vec![Ev::Issued {
                by,
                at,
                order: new.clone(),
            }]),
            _ => Err(OrderRefused::Rule(crate::msg!("order_not_found"))),
        };
    };
    let event = match action {
        A::Issue(_) => {
            return Err(OrderRefused::WrongState {
                action: K::Issue.name(),
                status: order.status,
            });
        }
        A::Sign { on_time } => Ev::Signed {
            by,
            at,
            on_time: *on_time,
        },
        A::Return {
            reason,
            basis,
            within_return_window,
        } => {
            if !within_return_window {
                return Err(OrderRefused::Rule(crate::msg!("rule_return_window_passed")));
            }
            Ev::Returned {
                by,
                at,
                reason: reason.clone(),
                basis: basis.clone(),
            }
        }
        A::RuleOnReturn { reason, reroute_to } => Ev::ReturnRuled {
            by,
            at,
            ruling: match reroute_to {
                Some(_) => ReturnRuling::Rerouted,
                None => ReturnRuling::Refused,
            },
            reason: reason.clone(),
            rerouted_to: *reroute_to,
        },
        A::RequestExtension {
            request_id,
            working_days,
            reason,
            max_working_days,
            deadline_passed,
            already_requested_this_round,
        } => {
            if *already_requested_this_round {
                return Err(OrderRefused::Rule(crate::msg!(
                    "rule_extension_once_per_round"
                )));
            }
            if *deadline_passed {
                return Err(OrderRefused::Rule(crate::msg!(
                    "rule_extension_before_deadline"
                )));
            }
            if *working_days == 0 || working_days > max_working_days {
                return Err(OrderRefused::Rule(crate::msg!("rule_extension_length")));
            }
            Ev::ExtensionRequested(ExtensionRequest {
                id: *request_id,
                order_id: order.id,
                working_days: *working_days,
                reason: reason.clone(),
                requested_at: at,
                requested_by: by,
                decision: None,
                decision_reason: None,
                decided_at: None,
                decided_by: None,
                new_due_at: None,
            })
        }
        A::DecideExtension {
            request,
            reason,
            answer,
        } => {
            if request.decision.is_some() {
                return Err(OrderRefused::Rule(crate::msg!("rule_extension_decided")));
            }
            let (decision, new_due_at) = match answer {
                ExtensionAnswer::Grant { moved, .. } => {
                    (ExtensionDecision::Granted, Some(moved.due_at))
                }
                ExtensionAnswer::Refuse => (ExtensionDecision::Refused, None),
            };
            Ev::ExtensionDecided {
                request: ExtensionRequest {
                    decision: Some(decision),
                    decision_reason: Some(reason.clone()),
                    decided_at: Some(at),
                    decided_by: Some(by),
                    new_due_at,
                    ..request.clone()
                },
                answer: *answer,
            }
        }
        A::Reply {
            result,
            rectification,
            answer_method,
            answered_at,
            on_time,
        } => Ev::Replied {
            reply: OrderReply {
                result: result.clone(),
                rectification: rectification.clone(),
                answer_method: *answer_method,
                answered_at: *answered_at,
                at,
                by,
            },
            on_time: *on_time,
        },
        A::Review {
            accepted,
            reasons,
            next_order_id,
        } => Ev::Reviewed {
            review: OrderReview {
                accepted: *accepted,
                reasons: reasons.clone(),
                at,
                by,
            },
            next_order_id: *next_order_id,
        },
        A::Remind { note, overdue } => Ev::Reminded {
            by,
            at,
            note: note.clone(),
            overdue: *overdue,
        },
    };
    Ok(vec![event])
}

/// Records that the complainant was told the new date of the open notice, whatever the
/// order's status.
///
/// # Errors
/// A rule when no notice is open on the order.
pub fn tell_complainant(
    order: &SupervisionOrder,
    told: ComplainantTold,
) -> Result<Vec<Ev>, OrderRefused> {
    if !order
        .complainant_notice
        .as_ref()
        .is_some_and(ComplainantNotice::is_open)
    {
        return Err(OrderRefused::Rule(crate::msg!(
            "rule_no_complainant_notice_open"
        )));
    }
    Ok(vec![Ev::ComplainantTold(told)])
}

/// Folds `event` into `order` (`None`: no order yet). Version and `updated_at` are the
/// writer's.
///
/// # Errors
/// [`ApplyError`] when the event cannot follow the order's state.
pub fn apply(order: Option<SupervisionOrder>, event: &Ev) -> Result<SupervisionOrder, ApplyError> {
    let refused = ApplyError {
        status: order.as_ref().map(|o| o.status),
        event: event.name(),
    };
    let Some(order) = order else {
        return match event {
            Ev::Issued { by, at, order } => Ok(issued(*by, *at, order)),
            _ => Err(refused),
        };
    };
    Ok(match (order.status, event) {
        (S::Issued, Ev::Signed { by, at, .. }) => SupervisionOrder {
            status: S::Signed,
            signed: Some((*at, *by)),
            ..order
        },
        (
            S::Issued | S::Signed,
            Ev::Returned {
                by,
                at,
                reason,
                basis,
            },
        ) => SupervisionOrder {
            status: S::Returned,
            returned: Some(OrderReturn {
                reason: reason.clone(),
                basis: basis.clone(),
                at: *at,
                by: *by,
                ruling: None,
                ruling_reason: None,
                rerouted_to: None,
            }),
            ..order
        },
        (
            S::Returned,
            Ev::ReturnRuled {
                ruling,
                reason,
                rerouted_to,
                ..
            },
        ) => SupervisionOrder {
            status: match ruling {
                ReturnRuling::Rerouted => S::Cancelled,
                ReturnRuling::Refused if order.signed.is_some() => S::Signed,
                ReturnRuling::Refused => S::Issued,
            },
            returned: order.returned.clone().map(|r| OrderReturn {
                ruling: Some(*ruling),
                ruling_reason: Some(reason.clone()),
                rerouted_to: *rerouted_to,
                ..r
            }),
            ..order
        },
        (S::Issued | S::Signed, Ev::ExtensionRequested(_) | Ev::Reminded { .. }) => order,
        (S::Issued | S::Signed, Ev::ExtensionDecided { answer, .. }) => match answer {
            ExtensionAnswer::Grant { notice_due_at, .. } => SupervisionOrder {
                complainant_to_be_told_new_date: true,
                complainant_notice: Some(ComplainantNotice {
                    due_at: *notice_due_at,
                    told: None,
                }),
                ..order
            },
            ExtensionAnswer::Refuse => order,
        },
        (S::Signed, Ev::Replied { reply, .. }) => SupervisionOrder {
            status: S::Replied,
            reply: Some(reply.clone()),
            ..order
        },
        (S::Replied, Ev::Reviewed { review, .. }) => SupervisionOrder {
            status: if review.accepted {
                S::Accepted
            } else {
                S::Rejected
            },
            review: Some(review.clone()),
            ..order
        },
        (_, Ev::ComplainantTold(told)) => match order.complainant_notice.clone() {
            Some(notice) if notice.is_open() => SupervisionOrder {
                complainant_notice: Some(ComplainantNotice {
                    told: Some(told.clone()),
                    ..notice
                }),
                ..order
            },
            _ => return Err(refused),
        },
        _ => return Err(refused),
    })
}

fn issued(
    by: crate::ids::UserId,
    at: chrono::DateTime<chrono::Utc>,
    new: &super::NewOrder,
) -> SupervisionOrder {
    SupervisionOrder {
        id: new.id,
        complaint_id: new.complaint_id,
        round: new.round,
        unit_id: new.unit_id,
        opinion: new.opinion.clone(),
        status: S::Issued,
        issued_at: at,
        issued_by: by,
        reply_working_days: new.reply_working_days,
        explicit_reply_due_at: new.explicit_reply_due_at,
        signed: None,
        returned: None,
        reply: None,
        review: None,
        complainant_to_be_told_new_date: false,
        complainant_notice: None,
        version: 1,
        updated_at: at,
    }
}
