//! The names of actions and states in refusals, as messages of their own so that each
//! language says them in its words.

use crate::message::Message;
use crate::msg;
use crate::sanction::lifecycle::{SanctionActionKind, SanctionStatusKind};

/// The action a refusal names, as a message of its own (the names are the core's constants).
pub(super) fn action(name: &'static str) -> Message {
    match name {
        "ask for an extension of" => msg!("action_ask_for_an_extension_of"),
        "ask for extensions" => msg!("action_ask_for_extensions"),
        "change the working-day calendar" => msg!("action_change_the_working_day_calendar"),
        "classify" => msg!("action_classify"),
        "classify complaints" => msg!("action_classify_complaints"),
        "close" => msg!("action_close"),
        "close complaints" => msg!("action_close_complaints"),
        "close on reconciliation" => msg!("action_close_on_reconciliation"),
        "decide an extension of" => msg!("action_decide_an_extension_of"),
        "decide extensions" => msg!("action_decide_extensions"),
        "dispose of as feedback" => msg!("action_dispose_of_as_feedback"),
        "dispose of feedback" => msg!("action_dispose_of_feedback"),
        "file a statement for someone else" => msg!("action_file_a_statement_for_someone_else"),
        "issue supervision orders" => msg!("action_issue_supervision_orders"),
        "link complaints" => msg!("action_link_complaints"),
        "list sanctions" => msg!("action_list_sanctions"),
        "manage accounts" => msg!("action_manage_accounts"),
        "manage units" => msg!("action_manage_units"),
        "propose sanctions" => msg!("action_propose_sanctions"),
        "propose sanctions except on a case the leading group took over" => {
            msg!("action_propose_sanctions_except_on_a_case_the_leading_group_took_ov")
        }
        "propose sanctions outside their own unit and the units below" => {
            msg!("action_propose_sanctions_outside_their_own_unit_and_the_units_below")
        }
        "read audit checkpoints" => msg!("action_read_audit_checkpoints"),
        "read investigation records" => msg!("action_read_investigation_records"),
        "read possible repeats" => msg!("action_read_possible_repeats"),
        "read the links between complaints" => msg!("action_read_the_links_between_complaints"),
        "read the statistics" => msg!("action_read_the_statistics"),
        "read the working-day calendar" => msg!("action_read_the_working_day_calendar"),
        "reclassify" => msg!("action_reclassify"),
        "record a return visit for" => msg!("action_record_a_return_visit_for"),
        "record an on-site resolution of" => msg!("action_record_an_on_site_resolution_of"),
        "record investigations on this case (intake, or the leading group on a case it took over)" =>
        {
            msg!("action_record_investigations_on_this_case_intake_or_the_leading_gro")
        }
        "record on-site resolutions" => msg!("action_record_on_site_resolutions"),
        "record return visits" => msg!("action_record_return_visits"),
        "register complaints" => msg!("action_register_complaints"),
        "reopen" => msg!("action_reopen"),
        "reopen complaints" => msg!("action_reopen_complaints"),
        "reply to" => msg!("action_reply_to"),
        "reply to supervision orders" => msg!("action_reply_to_supervision_orders"),
        "return" => msg!("action_return"),
        "return supervision orders" => msg!("action_return_supervision_orders"),
        "review replies" => msg!("action_review_replies"),
        "review the reply to" => msg!("action_review_the_reply_to"),
        "rule on returned orders" => msg!("action_rule_on_returned_orders"),
        "rule on the return of" => msg!("action_rule_on_the_return_of"),
        "screen" => msg!("action_screen"),
        "screen complaints" => msg!("action_screen_complaints"),
        "send a reminder on" => msg!("action_send_a_reminder_on"),
        "send reminders" => msg!("action_send_reminders"),
        "sign for" => msg!("action_sign_for"),
        "sign for supervision orders" => msg!("action_sign_for_supervision_orders"),
        "take over cases" => msg!("action_take_over_cases"),
        other => msg!("verbatim", text = other),
    }
}

pub(super) fn sanction_action(action: SanctionActionKind) -> Message {
    match action {
        SanctionActionKind::OpenStatementPeriod => msg!("sanction_action_open_statement_period"),
        SanctionActionKind::FileStatement => msg!("sanction_action_file_statement"),
        SanctionActionKind::Approve => msg!("sanction_action_approve"),
        SanctionActionKind::Amend => msg!("sanction_action_amend"),
        SanctionActionKind::Reject => msg!("sanction_action_reject"),
        SanctionActionKind::Supersede => msg!("sanction_action_supersede"),
    }
}

pub(super) fn sanction_state(state: SanctionStatusKind) -> Message {
    match state {
        SanctionStatusKind::Proposed => msg!("sanction_state_proposed"),
        SanctionStatusKind::AwaitingStatement => msg!("sanction_state_awaiting_statement"),
        SanctionStatusKind::StatementFiled => msg!("sanction_state_statement_filed"),
        SanctionStatusKind::Decided => msg!("sanction_state_decided"),
        SanctionStatusKind::Superseded => msg!("sanction_state_superseded"),
    }
}
