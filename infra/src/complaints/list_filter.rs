//! The condition a complaint list query comes to: visibility, each filter, the text search
//! (only in the details the caller may see), and the keyset position.

use duban_domain::complaint::ports::{AnswerFilter, ComplaintQuery, DetailsRule, Visibility};
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr, Query};
use sea_orm::{ColumnTrait, Condition};

use super::answer_notices::answer_owed;
use crate::entities::{complaint, supervision_order, time_limit, user};

pub(super) fn filters(query: &ComplaintQuery) -> Condition {
    use complaint::Column as C;
    let mut cond = Condition::all();
    match &query.visibility {
        Visibility::All => {}
        // Complaints reach units only through supervision orders routed to them.
        Visibility::RoutedTo(units) => {
            let routed = Query::select()
                .column(supervision_order::Column::ComplaintId)
                .from(supervision_order::Entity)
                .and_where(
                    Expr::col(supervision_order::Column::UnitId)
                        .is_in(units.iter().map(|u| u.as_uuid()).collect::<Vec<_>>()),
                )
                .to_owned();
            cond = cond.add(C::Id.in_subquery(routed));
        }
    }
    if let Some(v) = query.status {
        cond = cond.add(C::Status.eq(v.as_str()));
    }
    if let Some(v) = query.complaint_type {
        cond = cond.add(C::ComplaintType.eq(v.as_str()));
    }
    if let Some(v) = query.channel {
        cond = cond.add(C::Channel.eq(v.as_str()));
    }
    if let Some(v) = query.matter {
        cond = cond.add(C::Matter.eq(v.as_str()));
    }
    if let Some(v) = query.respondent_unit_id {
        cond = cond.add(C::RespondentUnitId.eq(v.as_uuid()));
    }
    if let Some(v) = query.first_handler_id {
        cond = cond.add(C::FirstHandlerId.eq(v.as_uuid()));
    }
    if let Some(v) = query.received_from {
        cond = cond.add(C::ReceivedAt.gte(v));
    }
    if let Some(v) = query.received_to {
        cond = cond.add(C::ReceivedAt.lt(v));
    }
    if let Some(text) = &query.text {
        cond = cond.add(text_matches(text, &query.details));
    }
    if let Some(level) = query.warning_level {
        let warned = Query::select()
            .column(time_limit::Column::ComplaintId)
            .from(time_limit::Entity)
            .and_where(Expr::col(time_limit::Column::StoppedAt).is_null())
            .and_where(Expr::col(time_limit::Column::WarningLevel).eq(level.as_str()))
            .to_owned();
        cond = cond.add(C::Id.in_subquery(warned));
    }
    if let Some(answer) = query.answer_to_follow {
        cond = cond.add(answer_owed());
        if let (AnswerFilter::Overdue, Some(as_of)) = (answer, query.as_of) {
            cond = cond.add(C::AnswerDueAt.lt(as_of));
        }
    }
    if let Some(id) = query.only {
        cond = cond.add(C::Id.eq(id.as_uuid()));
    }
    if let Some(after) = query.after {
        cond = cond.add(C::Id.lt(after.as_uuid()));
    }
    cond
}

/// The text search: the account, and the complainant's name, phone and e-mail address only
/// where the caller sees them, so that searching by a withheld detail finds nothing.
fn text_matches(text: &str, details: &DetailsRule) -> Condition {
    use complaint::Column as C;
    let escaped = text
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    let like = |column: C| {
        Expr::expr(Func::lower(Expr::col(column)))
            .like(LikeExpr::new(format!("%{escaped}%")).escape('\\'))
    };
    let personal = Condition::any()
        .add(like(C::ComplainantName))
        .add(like(C::Phone))
        .add(like(C::Email));
    let personal = match details {
        DetailsRule::Always => Some(personal),
        DetailsRule::Never => None,
        DetailsRule::UnlessRespondentWithin(units) => {
            let units: Vec<uuid::Uuid> = units.iter().map(|u| u.as_uuid()).collect();
            let staff_within = Query::select()
                .column(user::Column::Id)
                .from(user::Entity)
                .and_where(Expr::col(user::Column::UnitId).is_in(units.clone()))
                .to_owned();
            let withheld = Condition::all()
                .add(C::RespondentStaffId.is_not_null())
                .add(
                    Condition::any()
                        .add(C::RespondentUnitId.is_in(units))
                        .add(C::RespondentStaffId.in_subquery(staff_within)),
                );
            Some(Condition::all().add(personal).add(withheld.not()))
        }
    };
    let mut found = Condition::any().add(like(C::Account));
    if let Some(personal) = personal {
        found = found.add(personal);
    }
    found
}
