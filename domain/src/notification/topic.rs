//! The notification topics, as sent and stored.

use crate::message::Message;

crate::wire_enum! {
    /// What a notification tells.
    Topic {
        OrderIssued => "order.issued",
        OrderSigned => "order.signed",
        OrderReturned => "order.returned",
        OrderReturnRuled => "order.return_ruled",
        OrderExtensionRequested => "order.extension_requested",
        OrderExtensionDecided => "order.extension_decided",
        ComplainantNoticeDue => "complainant.notice_due",
        OrderReplied => "order.replied",
        OrderReplyReviewed => "order.reply_reviewed",
        OrderReminded => "order.reminded",
        WarningLevelChanged => "warning.level_changed",
        ComplaintFiledOnWeb => "complaint.filed_on_web",
        ComplaintWithdrawn => "complaint.withdrawn",
        ComplaintTakenOver => "complaint.taken_over",
        FeedbackForwarded => "feedback.forwarded",
        SanctionProposed => "sanction.proposed",
        SanctionStatementFiled => "sanction.statement_filed",
        SanctionDecided => "sanction.decided",
    }
}

impl Topic {
    /// The words a reader sees, filled with the stored facts (`fact(name)`; empty if absent).
    #[must_use]
    pub fn words(self, fact: impl Fn(&str) -> String) -> Message {
        let (message, names): (Message, &[&'static str]) = match self {
            Self::OrderIssued => (
                crate::msg!("notice_order_issued"),
                &["number", "round", "reply_due_at"],
            ),
            Self::OrderSigned => (crate::msg!("notice_order_signed"), &["number"]),
            Self::OrderReturned => (crate::msg!("notice_order_returned"), &["number"]),
            Self::OrderReturnRuled => (
                crate::msg!("notice_order_return_ruled"),
                &["number", "ruling"],
            ),
            Self::OrderExtensionRequested => (
                crate::msg!("notice_order_extension_requested"),
                &["number", "working_days"],
            ),
            Self::OrderExtensionDecided => (
                crate::msg!("notice_order_extension_decided"),
                &["number", "decision", "reply_due_at"],
            ),
            Self::ComplainantNoticeDue => (
                crate::msg!("notice_complainant_notice_due"),
                &["number", "reply_due_at"],
            ),
            Self::OrderReplied => (crate::msg!("notice_order_replied"), &["number"]),
            Self::OrderReplyReviewed => (
                crate::msg!("notice_order_reply_reviewed"),
                &["number", "decision"],
            ),
            Self::OrderReminded => (crate::msg!("notice_order_reminded"), &["number"]),
            Self::WarningLevelChanged => (
                crate::msg!("notice_warning_level_changed"),
                &["number", "limit", "level", "due_at"],
            ),
            Self::ComplaintFiledOnWeb => {
                (crate::msg!("notice_complaint_filed_on_web"), &["number"])
            }
            Self::ComplaintWithdrawn => (crate::msg!("notice_complaint_withdrawn"), &["number"]),
            Self::ComplaintTakenOver => (crate::msg!("notice_complaint_taken_over"), &["number"]),
            Self::FeedbackForwarded => (crate::msg!("notice_feedback_forwarded"), &["number"]),
            Self::SanctionProposed => (
                crate::msg!("notice_sanction_proposed"),
                &["statement_due_at"],
            ),
            Self::SanctionStatementFiled => (crate::msg!("notice_sanction_statement_filed"), &[]),
            Self::SanctionDecided => (crate::msg!("notice_sanction_decided"), &["outcome"]),
        };
        names
            .iter()
            .fold(message, |message, name| message.arg(name, fact(name)))
    }

    /// Reminders and warning levels reach the outbox through their own writers, with the
    /// payloads integrators already read; for these the inbox is all that is added.
    #[must_use]
    pub const fn has_own_outbox_message(self) -> bool {
        matches!(self, Self::OrderReminded | Self::WarningLevelChanged)
    }
}
