//! What the lifecycle's events write: the orders' new states, the extension request, the
//! changes to the time limits and the complaint's history.

use chrono::{DateTime, Utc};

use super::OrderError;
use crate::complaint::events::ComplaintEvent;
use crate::ids::UserId;
use crate::limits::LimitKind;
use crate::supervision::lifecycle::{ExtensionAnswer, OrderEvent, apply};
use crate::supervision::model::{ExtensionDecision, ExtensionRequest, SupervisionOrder};
use crate::supervision::ports::{LimitChange, OrderWrite};

/// The writes of one action, collected event by event.
#[derive(Debug, Default)]
pub(super) struct Record {
    inserted: Vec<SupervisionOrder>,
    updated: Vec<(SupervisionOrder, i64)>,
    extension: Option<ExtensionRequest>,
    limits: Vec<LimitChange>,
    events: Vec<ComplaintEvent>,
}

impl Record {
    /// A record of `events` on `order` (`None`: a new order); see [`Record::add`].
    pub(super) fn of(
        order: Option<&SupervisionOrder>,
        events: &[OrderEvent],
        now: DateTime<Utc>,
    ) -> Result<(SupervisionOrder, Self), OrderError> {
        let mut record = Self::default();
        let after = record.add(order, events, now)?;
        Ok((after, record))
    }

    /// Folds `events` into `order` (`None`: a new order) and notes what they write; answers
    /// the order after them. An existing order takes a new version unless only reminded: a
    /// reminder never conflicts with the unit's own work on the order.
    pub(super) fn add(
        &mut self,
        order: Option<&SupervisionOrder>,
        events: &[OrderEvent],
        now: DateTime<Utc>,
    ) -> Result<SupervisionOrder, OrderError> {
        let mut after = order.cloned();
        for event in events {
            let next = apply(after, event)?;
            self.note(next.id, event);
            after = Some(next);
        }
        let Some(after) = after else {
            return Err(OrderError::NotFound);
        };
        match order {
            None => self.inserted.push(after.clone()),
            Some(before)
                if events
                    .iter()
                    .any(|e| !matches!(e, OrderEvent::Reminded { .. })) =>
            {
                let after = SupervisionOrder {
                    version: before.version + 1,
                    updated_at: now,
                    ..after
                };
                self.updated.push((after.clone(), before.version));
                return Ok(after);
            }
            Some(_) => {}
        }
        Ok(after)
    }

    fn note(&mut self, order_id: uuid::Uuid, event: &OrderEvent) {
        self.events.push(recorded(order_id, event));
        self.limits.extend(limit_changes(order_id, event));
        match event {
            OrderEvent::ExtensionRequested(request)
            | OrderEvent::ExtensionDecided { request, .. } => {
                self.extension = Some(request.clone());
            }
            _ => {}
        }
    }

    pub(super) fn into_write(
        self,
        complaint_id: crate::ids::ComplaintId,
        actor: Option<UserId>,
        at: DateTime<Utc>,
    ) -> OrderWrite {
        OrderWrite {
            complaint_id,
            inserted: self.inserted,
            updated: self.updated,
            extension: self.extension,
            limits: self.limits,
            events: self.events,
            actor,
            at,
        }
    }
}

/// The event as the complaint's history records it.
fn recorded(order_id: uuid::Uuid, event: &OrderEvent) -> ComplaintEvent {
    match event {
        OrderEvent::Issued { order, .. } => ComplaintEvent::OrderIssued {
            order_id,
            round: order.round,
            unit_id: order.unit_id.as_uuid(),
            opinion: order.opinion.clone(),
            sign_due_at: order.sign.due_at,
            reply_due_at: order.reply.due_at,
            provisional: order.sign.provisional || order.reply.provisional,
        },
        OrderEvent::Signed { on_time, .. } => ComplaintEvent::OrderSigned {
            order_id,
            on_time: *on_time,
        },
        OrderEvent::Returned { reason, basis, .. } => ComplaintEvent::OrderReturned {
            order_id,
            reason: reason.clone(),
            basis: basis.clone(),
        },
        OrderEvent::ReturnRuled {
            ruling,
            reason,
            rerouted_to,
            ..
        } => ComplaintEvent::ReturnRuled {
            order_id,
            ruling: ruling.as_str().to_owned(),
            reason: reason.clone(),
            new_order_id: *rerouted_to,
        },
        OrderEvent::ExtensionRequested(request) => ComplaintEvent::ExtensionRequested {
            order_id,
            request_id: request.id,
            working_days: request.working_days,
            reason: request.reason.clone(),
        },
        OrderEvent::ExtensionDecided { request, .. } => {
            let granted = request.decision == Some(ExtensionDecision::Granted);
            ComplaintEvent::ExtensionDecided {
                order_id,
                request_id: request.id,
                granted,
                reason: request.decision_reason.clone().unwrap_or_default(),
                new_reply_due_at: request.new_due_at,
                complainant_to_be_told: granted,
            }
        }
        OrderEvent::Replied { reply, on_time } => ComplaintEvent::OrderReplied {
            order_id,
            result: reply.result.clone(),
            rectification: reply.rectification.clone(),
            answer_method: reply.answer_method.as_str().to_owned(),
            answered_at: reply.answered_at,
            on_time: *on_time,
        },
        OrderEvent::Reviewed {
            review,
            next_order_id,
        } => ComplaintEvent::ReplyReviewed {
            order_id,
            accepted: review.accepted,
            reasons: review.reasons.clone(),
            next_order_id: *next_order_id,
        },
        OrderEvent::Reminded { note, overdue, .. } => ComplaintEvent::OrderReminded {
            order_id,
            note: note.clone(),
            overdue: *overdue,
        },
        OrderEvent::ComplainantTold(told) => ComplaintEvent::ComplainantToldNewDate {
            order_id,
            method: told.method.as_str().to_owned(),
            told_at: told.at,
        },
    }
}

/// What the event does to the order's time limits: issuing starts the sign-for and reply
/// limits, signing and replying stop theirs, a re-route stops both, a grant extends the reply
/// limit, a reminder is recorded on the running ones.
fn limit_changes(order_id: uuid::Uuid, event: &OrderEvent) -> Vec<LimitChange> {
    let stop = |kind, at| LimitChange::Stop { order_id, kind, at };
    match event {
        OrderEvent::Issued { at, order, .. } => vec![
            LimitChange::Start {
                order_id,
                unit_id: order.unit_id,
                kind: LimitKind::SignFor,
                started_at: *at,
                working_days: order.sign_for_days,
                explicit_due_at: None,
                due_at: order.sign.due_at,
                provisional: order.sign.provisional,
            },
            LimitChange::Start {
                order_id,
                unit_id: order.unit_id,
                kind: LimitKind::Reply,
                started_at: *at,
                working_days: order.reply_working_days,
                explicit_due_at: order.explicit_reply_due_at,
                due_at: order.reply.due_at,
                provisional: order.reply.provisional,
            },
        ],
        OrderEvent::Signed { at, .. } => vec![stop(LimitKind::SignFor, *at)],
        OrderEvent::ReturnRuled {
            at,
            rerouted_to: Some(_),
            ..
        } => vec![stop(LimitKind::SignFor, *at), stop(LimitKind::Reply, *at)],
        OrderEvent::ExtensionDecided {
            request,
            answer: ExtensionAnswer::Grant { moved, .. },
        } => vec![LimitChange::Extend {
            order_id,
            extra_working_days: request.working_days,
            due_at: moved.due_at,
            provisional: moved.provisional,
        }],
        OrderEvent::Replied { reply, .. } => vec![stop(LimitKind::Reply, reply.at)],
        OrderEvent::Reminded { at, note, .. } => vec![LimitChange::Remind {
            order_id,
            at: *at,
            note: note.clone(),
        }],
        OrderEvent::Returned { .. }
        | OrderEvent::ReturnRuled { .. }
        | OrderEvent::ExtensionRequested(_)
        | OrderEvent::ExtensionDecided { .. }
        | OrderEvent::Reviewed { .. }
        | OrderEvent::ComplainantTold(_) => vec![],
    }
}
