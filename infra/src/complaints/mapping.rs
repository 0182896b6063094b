//! Complaint rows to domain complaints and back.

use duban_domain::complaint::complainant::NamedComplainant;
use duban_domain::complaint::contact::{EmailAddress, PhoneNumber};
use duban_domain::complaint::model::{
    Closing, ComplainantAnswer, ComplaintState, FeedbackRouting, ReturnVisit, Screening,
};
use duban_domain::complaint::registration::NewComplaint;
use duban_domain::complaint::repeats::RepeatKeys;
use duban_domain::complaint::{Complainant, Complaint, ComplaintNumber};
use duban_domain::ids::{ComplaintId, UnitId, UserId};
use duban_domain::storage::RepositoryError;
use sea_orm::{NotSet, Set};

use crate::entities::complaint;

fn corrupt(what: impl std::fmt::Display) -> RepositoryError {
    RepositoryError::Unavailable(format!("stored complaint is unreadable: {what}"))
}

fn parse<T: std::str::FromStr>(raw: &str) -> Result<T, RepositoryError>
where
    T::Err: std::fmt::Display,
{
    raw.parse().map_err(corrupt)
}

fn parse_opt<T: std::str::FromStr>(raw: Option<&str>) -> Result<Option<T>, RepositoryError>
where
    T::Err: std::fmt::Display,
{
    raw.map(parse).transpose()
}

pub(crate) fn to_domain(m: complaint::Model) -> Result<Complaint, RepositoryError> {
    let complainant = if m.anonymous {
        Complainant::Anonymous
    } else if m.contact_erased_at.is_some() {
        Complainant::Erased
    } else {
        Complainant::Named(NamedComplainant {
            name: m.complainant_name.clone().unwrap_or_default(),
            phone: m
                .phone
                .as_deref()
                .map(PhoneNumber::parse)
                .transpose()
                .map_err(corrupt)?,
            email: m
                .email
                .as_deref()
                .map(EmailAddress::parse)
                .transpose()
                .map_err(corrupt)?,
            postal_address: m.postal_address.clone(),
        })
    };
    let screening = match (m.screening_outcome.as_deref(), m.screened_at, m.screened_by) {
        (Some(outcome), Some(at), Some(by)) => Some(Screening {
            outcome: parse(outcome)?,
            explanation: m.screening_explanation.clone().unwrap_or_default(),
            referral: m.screening_referral.clone(),
            screened_at: at,
            screened_by: UserId::from_uuid(by),
        }),
        _ => None,
    };
    let answer = parse_opt(m.answer_method.as_deref())?.map(|method| ComplainantAnswer {
        method,
        answered_at: m.answered_at,
    });
    let feedback =
        parse_opt(m.feedback_disposition.as_deref())?.map(|disposition| FeedbackRouting {
            disposition,
            section_id: m.feedback_section_id.map(UnitId::from_uuid),
        });
    let closing = match (m.closing_outcome.clone(), m.closed_at) {
        (Some(outcome), Some(closed_at)) => Some(Closing {
            outcome,
            finding: parse_opt(m.finding.as_deref())?,
            closed_at,
            answer,
            answer_due_at: m.answer_due_at,
            feedback,
        }),
        _ => None,
    };
    let return_visit = match (m.last_return_visit.as_deref(), m.return_visit_at) {
        (Some(satisfaction), Some(visited_at)) => Some(ReturnVisit {
            satisfaction: parse(satisfaction)?,
            remarks: m.return_visit_remarks.clone(),
            visited_at,
        }),
        (None, None) => None,
        _ => return Err(corrupt("a return visit without its satisfaction or time")),
    };
    Ok(Complaint {
        id: ComplaintId::from_uuid(m.id),
        number: ComplaintNumber::parse(&m.number).map_err(corrupt)?,
        details: NewComplaint {
            channel: parse(&m.channel)?,
            respondent_unit_id: UnitId::from_uuid(m.respondent_unit_id),
            respondent_staff_id: m.respondent_staff_id.map(UserId::from_uuid),
            matter: parse(&m.matter)?,
            account: m.account,
            complainant,
            letter_date: m.letter_date,
            receipt_number: m.receipt_number,
            received_at: m.received_at,
        },
        registered_at: m.registered_at,
        first_handler_id: UserId::from_uuid(m.first_handler_id),
        state: ComplaintState {
            status: parse(&m.status)?,
            complaint_type: parse_opt(m.complaint_type.as_deref())?,
            screening,
            closing,
            return_visit,
            reopen_count: u32::try_from(m.reopen_count).map_err(corrupt)?,
        },
        version: m.version,
        updated_at: m.updated_at,
    })
}

/// The full row of a complaint.
pub(crate) fn to_row(c: &Complaint) -> complaint::ActiveModel {
    let named = c.details.complainant.named();
    let mut row = state_row(c);
    row.id = Set(c.id.as_uuid());
    row.number = Set(c.number.to_string());
    row.channel = Set(c.details.channel.as_str().to_owned());
    row.respondent_unit_id = Set(c.details.respondent_unit_id.as_uuid());
    row.respondent_staff_id = Set(c.details.respondent_staff_id.map(|s| s.as_uuid()));
    row.matter = Set(c.details.matter.as_str().to_owned());
    row.account = Set(c.details.account.clone());
    row.anonymous = Set(c.details.complainant.is_anonymous());
    row.complainant_name = Set(named.map(|n| n.name.clone()));
    row.phone = Set(named
        .and_then(|n| n.phone.as_ref())
        .map(|p| p.as_str().to_owned()));
    row.email = Set(named
        .and_then(|n| n.email.as_ref())
        .map(|e| e.as_str().to_owned()));
    row.postal_address = Set(named.and_then(|n| n.postal_address.clone()));
    let keys = RepeatKeys::of(&c.details);
    row.phone_key = Set(keys.phone);
    row.email_key = Set(keys.email);
    row.letter_date = Set(c.details.letter_date);
    row.receipt_number = Set(c.details.receipt_number.clone());
    row.received_at = Set(c.details.received_at);
    row.registered_at = Set(c.registered_at);
    row.first_handler_id = Set(c.first_handler_id.as_uuid());
    row
}

/// Only the columns the lifecycle changes.
pub(crate) fn state_row(c: &Complaint) -> complaint::ActiveModel {
    let s = &c.state;
    complaint::ActiveModel {
        status: Set(s.status.as_str().to_owned()),
        complaint_type: Set(s.complaint_type.map(|t| t.as_str().to_owned())),
        screening_outcome: Set(s.screening.as_ref().map(|x| x.outcome.as_str().to_owned())),
        screening_explanation: Set(s.screening.as_ref().map(|x| x.explanation.clone())),
        screening_referral: Set(s.screening.as_ref().and_then(|x| x.referral.clone())),
        screened_at: Set(s.screening.as_ref().map(|x| x.screened_at)),
        screened_by: Set(s.screening.as_ref().map(|x| x.screened_by.as_uuid())),
        closing_outcome: Set(s.closing.as_ref().map(|x| x.outcome.clone())),
        finding: Set(s
            .closing
            .as_ref()
            .and_then(|x| x.finding)
            .map(|f| f.as_str().to_owned())),
        closed_at: Set(s.closing.as_ref().map(|x| x.closed_at)),
        answer_method: Set(s
            .closing
            .as_ref()
            .and_then(|x| x.answer)
            .map(|a| a.method.as_str().to_owned())),
        answered_at: Set(s
            .closing
            .as_ref()
            .and_then(|x| x.answer)
            .and_then(|a| a.answered_at)),
        answer_due_at: Set(s.closing.as_ref().and_then(|x| x.answer_due_at)),
        // A claim on an owed answer ends with it (told, or the case reopened), so that the
        // answer of a later closing is not hidden behind it.
        answer_claimed_until: if s.closing.as_ref().is_some_and(Closing::answer_owed) {
            NotSet
        } else {
            Set(None)
        },
        feedback_disposition: Set(s
            .closing
            .as_ref()
            .and_then(|x| x.feedback)
            .map(|f| f.disposition.as_str().to_owned())),
        feedback_section_id: Set(s
            .closing
            .as_ref()
            .and_then(|x| x.feedback)
            .and_then(|f| f.section_id)
            .map(|u| u.as_uuid())),
        last_return_visit: Set(s
            .return_visit
            .as_ref()
            .map(|v| v.satisfaction.as_str().to_owned())),
        return_visit_at: Set(s.return_visit.as_ref().map(|v| v.visited_at)),
        return_visit_remarks: Set(s.return_visit.as_ref().and_then(|v| v.remarks.clone())),
        reopen_count: Set(i32::try_from(s.reopen_count).unwrap_or(i32::MAX)),
        version: Set(c.version),
        updated_at: Set(c.updated_at),
        ..Default::default()
    }
}
