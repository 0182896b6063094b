//! Notices from a complaint's history: the supervision loop and intake's decisions.

use chrono::{DateTime, Utc};

use super::{Audience, Notice, Subject, Topic};
use crate::complaint::channel::Channel;
use crate::complaint::events::ComplaintEvent;
use crate::complaint::status::{FeedbackDisposition, ScreeningOutcome};
use crate::ids::{UnitId, UserId};

/// What the rules need to know of the complaint an event belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFacts {
    pub complaint_id: uuid::Uuid,
    pub number: String,
    /// 首办责任人: the intake officer who screened it (none yet for a web complaint).
    pub first_handler: Option<UserId>,
    /// The leading group took the case over: it acts where intake acts.
    pub held_by_leading_group: bool,
    pub respondent_unit: UnitId,
}

impl CaseFacts {
    /// Who acts for intake on this case: the leading group on a case it holds, else the
    /// first handler (every intake officer while there is none).
    fn owner(&self) -> Audience {
        match (self.held_by_leading_group, self.first_handler) {
            (true, _) => Audience::LeadingGroup,
            (false, Some(handler)) => Audience::Person(handler),
            (false, None) => Audience::Intake,
        }
    }
}

fn instant(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// The notices `event` gives rise to.
#[must_use]
pub fn for_case_event(event: &ComplaintEvent, case: &CaseFacts) -> Vec<Notice> {
    let complaint = Subject::Complaint(case.complaint_id);
    let on_order = |topic, order_id, audience| {
        Notice::new(topic, Subject::Order(order_id), audience).fact("number", &case.number)
    };
    let notice = match event {
        ComplaintEvent::OrderIssued {
            order_id,
            round,
            reply_due_at,
            ..
        } => on_order(
            Topic::OrderIssued,
            *order_id,
            vec![Audience::OrderUnitStaff(*order_id)],
        )
        .fact("round", round)
        .fact("reply_due_at", instant(*reply_due_at)),
        ComplaintEvent::OrderSigned { order_id, .. } => {
            on_order(Topic::OrderSigned, *order_id, vec![case.owner()])
        }
        ComplaintEvent::OrderReturned { order_id, .. } => {
            on_order(Topic::OrderReturned, *order_id, vec![case.owner()])
        }
        ComplaintEvent::ReturnRuled {
            order_id,
            ruling,
            new_order_id,
            ..
        } => {
            let mut audience = vec![Audience::OrderUnitStaff(*order_id)];
            audience.extend(new_order_id.map(Audience::OrderUnitStaff));
            on_order(Topic::OrderReturnRuled, *order_id, audience).fact("ruling", ruling)
        }
        ComplaintEvent::ExtensionRequested {
            order_id,
            working_days,
            ..
        } => on_order(
            Topic::OrderExtensionRequested,
            *order_id,
            vec![case.owner()],
        )
        .fact("working_days", working_days),
        ComplaintEvent::ExtensionDecided {
            order_id,
            granted,
            new_reply_due_at,
            ..
        } => on_order(
            Topic::OrderExtensionDecided,
            *order_id,
            vec![Audience::OrderUnitHeads(*order_id)],
        )
        .fact("decision", if *granted { "granted" } else { "refused" })
        .fact(
            "reply_due_at",
            new_reply_due_at.map(instant).unwrap_or_default(),
        ),
        ComplaintEvent::OrderReplied { order_id, .. } => {
            on_order(Topic::OrderReplied, *order_id, vec![case.owner()])
        }
        ComplaintEvent::ReplyReviewed {
            order_id, accepted, ..
        } => on_order(
            Topic::OrderReplyReviewed,
            *order_id,
            vec![Audience::OrderUnitHeads(*order_id)],
        )
        .fact("decision", if *accepted { "accepted" } else { "rejected" }),
        ComplaintEvent::OrderReminded { order_id, .. } => on_order(
            Topic::OrderReminded,
            *order_id,
            vec![Audience::OrderUnitStaff(*order_id)],
        ),
        ComplaintEvent::WarningLevelChanged {
            limit,
            order_id,
            to,
            due_at,
            ..
        } => {
            let (subject, audience) = match order_id {
                Some(order) => (Subject::Order(*order), Audience::OrderUnitStaff(*order)),
                None => (complaint, case.owner()),
            };
            Notice::new(Topic::WarningLevelChanged, subject, vec![audience])
                .fact("number", &case.number)
                .fact("limit", limit)
                .fact("level", to.as_str())
                .fact("due_at", instant(*due_at))
        }
        ComplaintEvent::Registered {
            channel: Channel::Web,
            number,
        } => Notice::new(
            Topic::ComplaintFiledOnWeb,
            complaint,
            vec![Audience::Intake],
        )
        .fact("number", number),
        ComplaintEvent::Screened {
            outcome: ScreeningOutcome::Withdrawn,
            ..
        } => Notice::new(
            Topic::ComplaintWithdrawn,
            complaint,
            vec![Audience::UnitStaff(case.respondent_unit)],
        )
        .fact("number", &case.number),
        ComplaintEvent::TakenOver { .. } => Notice::new(
            Topic::ComplaintTakenOver,
            complaint,
            case.first_handler
                .map(Audience::Person)
                .into_iter()
                .collect(),
        )
        .fact("number", &case.number),
        ComplaintEvent::FeedbackDisposed {
            disposition: FeedbackDisposition::ForwardToSection,
            section_id: Some(section),
            ..
        } => Notice::new(
            Topic::FeedbackForwarded,
            complaint,
            vec![Audience::UnitStaff(*section)],
        )
        .fact("number", &case.number),
        _ => return Vec::new(),
    };
    let mut notices = vec![notice];
    if let ComplaintEvent::ExtensionDecided {
        order_id,
        granted: true,
        new_reply_due_at,
        ..
    } = event
    {
        notices.push(
            on_order(Topic::ComplainantNoticeDue, *order_id, vec![case.owner()]).fact(
                "reply_due_at",
                new_reply_due_at.map(instant).unwrap_or_default(),
            ),
        );
    }
    notices.retain(|n| !n.audience.is_empty());
    notices
}

#[cfg(test)]
mod tests;
