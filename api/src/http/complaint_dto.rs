//! Complaint wire types: the registration body and the complaint as shown.

use chrono::{DateTime, NaiveDate, Utc};
use duban_domain::complaint::model::{Closing, ComplainantAnswer, ReturnVisit, Screening};
use duban_domain::complaint::registration::ComplaintDraft;
use duban_domain::complaint::repeats::PossibleRepeat;
use duban_domain::complaint::{Complainant, Complaint};
use duban_domain::ids::{UnitId, UserId};
use poem_openapi::Object;
use uuid::Uuid;

use super::problem::ApiError;
use super::strict_string::Text;
use super::time_limit_dto::TimeLimitView;
use super::wire_enums::{
    Channel, ClosingAnswerMethod, ComplaintStatus, ComplaintType, FeedbackDisposition, Finding,
    Matter, RepeatReason, Satisfaction, ScreeningOutcome,
};
use super::wire_time::{WireDate, WireInstant, both};

/// The complainant as registered. Channel rules: `phone` needs `phone` (the call-back number),
/// `letter` needs `postal_address`, `web` needs `email` or `phone`, `walk_in` none. An
/// anonymous complaint carries no name and no contacts (no reply is owed).
#[derive(Debug, Clone, Object)]
pub struct ComplainantInput {
    #[oai(default)]
    pub anonymous: bool,
    #[oai(
        nullable,
        validator(min_length = 1, max_length = 100, pattern = r"[^\s\u0085\ufeff]")
    )]
    pub name: Option<Text>,
    /// `+` optional, then 5 to 25 digits or dashes starting with a digit.
    #[oai(nullable, validator(pattern = r"^\+?[0-9][0-9-]{4,24}$"))]
    pub phone: Option<Text>,
    #[oai(
        nullable,
        validator(
            max_length = 254,
            pattern = r"^[^@\s\u0085\ufeff]+@[^@\s\u0085\ufeff]+$"
        )
    )]
    pub email: Option<Text>,
    #[oai(
        nullable,
        validator(min_length = 1, max_length = 500, pattern = r"[^\s\u0085\ufeff]")
    )]
    pub postal_address: Option<Text>,
}

/// A complaint to register.
#[derive(Debug, Clone, Object)]
pub struct RegisterComplaint {
    pub channel: Channel,
    /// The unit complained about.
    pub respondent_unit_id: Uuid,
    /// The staff member complained about, a member of the respondent unit or a unit below it.
    #[oai(nullable)]
    pub respondent_staff_id: Option<Uuid>,
    pub matter: Matter,
    /// The complainant's account of the matter.
    #[oai(validator(min_length = 1, max_length = 5000, pattern = r"[^\s\u0085\ufeff]"))]
    pub account: Text,
    pub complainant: ComplainantInput,
    /// Letters only: the date written on the letter (not after it was received).
    #[oai(nullable)]
    pub letter_date: Option<WireDate>,
    /// The window receipt number (受理回执号) when the matter has one.
    #[oai(nullable, validator(pattern = r"^[A-Za-z0-9][A-Za-z0-9-]{0,63}$"))]
    pub receipt_number: Option<Text>,
    /// When it was received; defaults to now; not in the future.
    #[oai(nullable)]
    pub received_at: Option<WireInstant>,
}

impl RegisterComplaint {
    /// # Errors
    /// 422 naming `letter_date` or `received_at` when they are not real dates.
    pub fn into_draft(self) -> Result<ComplaintDraft, ApiError> {
        let letter_date = self.letter_date.map(|d| d.parse("letter_date")).transpose();
        let received_at = self.received_at.map(|t| t.parse("received_at")).transpose();
        let (letter_date, received_at) = both(letter_date, received_at)?;
        Ok(ComplaintDraft {
            channel: Some(self.channel.into()),
            respondent_unit_id: Some(UnitId::from_uuid(self.respondent_unit_id)),
            respondent_staff_id: self.respondent_staff_id.map(UserId::from_uuid),
            matter: Some(self.matter.into()),
            account: self.account.into_inner(),
            anonymous: self.complainant.anonymous,
            complainant_name: self.complainant.name.map(Text::into_inner),
            phone: self.complainant.phone.map(Text::into_inner),
            email: self.complainant.email.map(Text::into_inner),
            postal_address: self.complainant.postal_address.map(Text::into_inner),
            letter_date,
            receipt_number: self.receipt_number.map(Text::into_inner),
            received_at,
        })
    }
}

/// The complainant as shown; details are withheld where the caller may not see them.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ComplainantView {
    pub anonymous: bool,
    /// True when name and contacts exist but are withheld from this caller.
    pub withheld: bool,
    /// True when the complainant gave a name, but name and contacts were erased after the
    /// retention period (`contact_details_erased` in the history).
    pub erased: bool,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub postal_address: Option<String>,
}

/// The screening decision.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ScreeningView {
    pub outcome: ScreeningOutcome,
    pub explanation: String,
    /// For out_of_scope: the competent body the complainant was referred to.
    pub referral: Option<String>,
    pub screened_at: DateTime<Utc>,
    pub screened_by: Uuid,
}

impl From<Screening> for ScreeningView {
    fn from(s: Screening) -> Self {
        Self {
            outcome: s.outcome.into(),
            explanation: s.explanation,
            referral: s.referral,
            screened_at: s.screened_at,
            screened_by: s.screened_by.as_uuid(),
        }
    }
}

/// How and when the complainant was told the result.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct AnswerView {
    pub method: ClosingAnswerMethod,
    /// Absent for `none_anonymous`.
    pub answered_at: Option<DateTime<Utc>>,
}

impl From<ComplainantAnswer> for AnswerView {
    fn from(a: ComplainantAnswer) -> Self {
        Self {
            method: a.method.into(),
            answered_at: a.answered_at,
        }
    }
}

/// How the complaint was closed (办结).
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ClosingView {
    /// The handling result, the reconciliation reached, or the feedback note.
    pub outcome: String,
    /// Case-filed closings only.
    pub finding: Option<Finding>,
    pub closed_at: DateTime<Utc>,
    /// Case-filed closings only: how and when the complainant was told; absent while the
    /// answer is still owed.
    pub answer: Option<AnswerView>,
    /// Closed with `answer_later`: the complainant is owed the result by then; while
    /// `answer` is absent the answer is open, and overdue past this time.
    pub answer_due_at: Option<DateTime<Utc>>,
    /// Feedback closings only.
    pub feedback_disposition: Option<FeedbackDisposition>,
    /// forward_to_section only: the section the feedback went to.
    pub feedback_section_id: Option<Uuid>,
}

impl From<Closing> for ClosingView {
    fn from(c: Closing) -> Self {
        Self {
            outcome: c.outcome,
            finding: c.finding.map(Into::into),
            closed_at: c.closed_at,
            answer: c.answer.map(Into::into),
            answer_due_at: c.answer_due_at,
            feedback_disposition: c.feedback.map(|f| f.disposition.into()),
            feedback_section_id: c.feedback.and_then(|f| f.section_id).map(|u| u.as_uuid()),
        }
    }
}

/// The return visit (回访) after the current closing.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ReturnVisitView {
    pub satisfaction: Satisfaction,
    pub remarks: Option<String>,
    /// When the visit took place; the reopen window counts from it.
    pub visited_at: DateTime<Utc>,
}

impl From<ReturnVisit> for ReturnVisitView {
    fn from(v: ReturnVisit) -> Self {
        Self {
            satisfaction: v.satisfaction.into(),
            remarks: v.remarks,
            visited_at: v.visited_at,
        }
    }
}

/// A complaint.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ComplaintView {
    pub id: Uuid,
    /// `TS-YYYY-NNNNNN`.
    pub number: String,
    pub channel: Channel,
    pub respondent_unit_id: Uuid,
    pub respondent_staff_id: Option<Uuid>,
    pub matter: Matter,
    pub account: String,
    pub complainant: ComplainantView,
    pub letter_date: Option<NaiveDate>,
    pub receipt_number: Option<String>,
    pub received_at: DateTime<Utc>,
    pub registered_at: DateTime<Utc>,
    /// The intake user answerable for the case until it is closed (首办责任人).
    pub first_handler_id: Uuid,
    pub status: ComplaintStatus,
    #[oai(rename = "type")]
    pub complaint_type: Option<ComplaintType>,
    pub screening: Option<ScreeningView>,
    /// Present while the complaint is closed.
    pub closing: Option<ClosingView>,
    /// The return visit after the current closing, once recorded.
    pub return_visit: Option<ReturnVisitView>,
    /// How many times the case was reopened after a dissatisfied return visit.
    pub reopen_count: u32,
    /// The deadline of the running screening limit, while the complaint awaits screening.
    pub screening_due_at: Option<DateTime<Utc>>,
    /// Every time limit of the complaint and its orders, oldest first; only when one complaint
    /// is read (not in lists).
    pub time_limits: Option<Vec<TimeLimitView>>,
    /// Who holds the case when the leading group took it over; only when one complaint is
    /// read (not in lists).
    pub held_by: Option<super::investigation_dto::HeldByView>,
    /// Only in the answer to a registration: other complaints from the same contact or about
    /// the same staff member received within the repeat window (default 30 days), to link
    /// rather than handle twice. Also at `GET /complaints/{id}/possible-repeats`.
    pub possible_repeats: Option<Vec<PossibleRepeatView>>,
    /// The complaints this one is linked to (same matter), oldest link first; only when one
    /// complaint is read, and only for intake, the leading group and admin.
    pub links: Option<Vec<super::links_api::LinkView>>,
    pub version: i64,
    pub updated_at: DateTime<Utc>,
}

/// Another complaint that may repeat this one (重复件), and why.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct PossibleRepeatView {
    pub id: Uuid,
    /// `TS-YYYY-NNNNNN`.
    pub number: String,
    pub status: ComplaintStatus,
    pub received_at: DateTime<Utc>,
    pub respondent_unit_id: Uuid,
    pub respondent_staff_id: Option<Uuid>,
    /// `same_contact` (call-back number or e-mail address), `same_staff`, or both.
    pub reasons: Vec<RepeatReason>,
}

impl From<PossibleRepeat> for PossibleRepeatView {
    fn from(r: PossibleRepeat) -> Self {
        let c = r.complaint;
        Self {
            id: c.id.as_uuid(),
            number: c.number.to_string(),
            status: c.state.status.into(),
            received_at: c.details.received_at,
            respondent_unit_id: c.details.respondent_unit_id.as_uuid(),
            respondent_staff_id: c.details.respondent_staff_id.map(|s| s.as_uuid()),
            reasons: r.reasons.into_iter().map(Into::into).collect(),
        }
    }
}

impl ComplaintView {
    /// Shows `c`, with the complainant's details only when `show_details`.
    pub fn new(c: Complaint, show_details: bool) -> Self {
        let named = c.details.complainant.named().cloned();
        let complainant = ComplainantView {
            anonymous: matches!(c.details.complainant, Complainant::Anonymous),
            withheld: named.is_some() && !show_details,
            erased: matches!(c.details.complainant, Complainant::Erased),
            name: named
                .as_ref()
                .filter(|_| show_details)
                .map(|n| n.name.clone()),
            phone: named
                .as_ref()
                .filter(|_| show_details)
                .and_then(|n| n.phone.as_ref().map(|p| p.as_str().to_owned())),
            email: named
                .as_ref()
                .filter(|_| show_details)
                .and_then(|n| n.email.as_ref().map(|e| e.as_str().to_owned())),
            postal_address: named
                .as_ref()
                .filter(|_| show_details)
                .and_then(|n| n.postal_address.clone()),
        };
        Self {
            id: c.id.as_uuid(),
            number: c.number.to_string(),
            channel: c.details.channel.into(),
            respondent_unit_id: c.details.respondent_unit_id.as_uuid(),
            respondent_staff_id: c.details.respondent_staff_id.map(|s| s.as_uuid()),
            matter: c.details.matter.into(),
            account: c.details.account,
            complainant,
            letter_date: c.details.letter_date,
            receipt_number: c.details.receipt_number,
            received_at: c.details.received_at,
            registered_at: c.registered_at,
            first_handler_id: c.first_handler_id.as_uuid(),
            status: c.state.status.into(),
            complaint_type: c.state.complaint_type.map(Into::into),
            screening: c.state.screening.map(Into::into),
            closing: c.state.closing.map(Into::into),
            return_visit: c.state.return_visit.map(Into::into),
            reopen_count: c.state.reopen_count,
            screening_due_at: None,
            time_limits: None,
            held_by: None,
            possible_repeats: None,
            links: None,
            version: c.version,
            updated_at: c.updated_at,
        }
    }
}
