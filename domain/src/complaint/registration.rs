//! Registering a complaint: the raw draft intake types in, and the checks that turn it into a
//! [`NewComplaint`], including the channel rules (phone needs a call-back number, a letter its
//! postal address and date, web an e-mail or phone).

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use chrono_tz::Tz;

use super::channel::{Channel, Matter};
use super::complainant::{Complainant, NamedComplainant};
use super::contact::{EmailAddress, NAME_MAX, POSTAL_ADDRESS_MAX, PhoneNumber};
use crate::clock::stated_in_future;
use crate::ids::{UnitId, UserId};
use crate::text::bounded;

pub const ACCOUNT_MAX: usize = 5000;
/// The pattern the API publishes for window receipt numbers (受理回执号).
pub const RECEIPT_PATTERN: &str = r"^[A-Za-z0-9][A-Za-z0-9-]{0,63}$";

/// What intake typed in, before any rule was checked.
#[derive(Debug, Clone, Default)]
pub struct ComplaintDraft {
    pub channel: Option<Channel>,
    pub respondent_unit_id: Option<UnitId>,
    pub respondent_staff_id: Option<UserId>,
    pub matter: Option<Matter>,
    pub account: String,
    pub anonymous: bool,
    pub complainant_name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub postal_address: Option<String>,
    pub letter_date: Option<NaiveDate>,
    pub receipt_number: Option<String>,
    pub received_at: Option<DateTime<Utc>>,
}

/// A complaint whose every field passed the registration rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewComplaint {
    pub channel: Channel,
    pub respondent_unit_id: UnitId,
    pub respondent_staff_id: Option<UserId>,
    pub matter: Matter,
    pub account: String,
    pub complainant: Complainant,
    pub letter_date: Option<NaiveDate>,
    pub receipt_number: Option<String>,
    pub received_at: DateTime<Utc>,
}

/// One refused field, named as the API names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    pub field: &'static str,
    pub message: crate::message::Message,
}

/// Every rule the draft broke, so intake can fix them all at once.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the complaint breaks {} registration rule(s)", .0.len())]
pub struct InvalidRegistration(pub Vec<FieldProblem>);

#[derive(Default)]
struct Problems(Vec<FieldProblem>);

impl Problems {
    fn add(&mut self, field: &'static str, message: crate::message::Message) {
        self.0.push(FieldProblem { field, message });
    }

    fn text(&mut self, field: &'static str, raw: Option<&str>, max: usize) -> Option<String> {
        let raw = raw?;
        bounded(raw, max)
            .map_err(|e| self.add(field, e.message()))
            .ok()
    }
}

impl ComplaintDraft {
    /// Checks every registration rule against the draft; `now` and the agency's time zone
    /// decide what "in the future" and "the day it was received" mean.
    ///
    /// # Errors
    /// [`InvalidRegistration`] listing every broken rule.
    pub fn validate(self, now: DateTime<Utc>, tz: Tz) -> Result<NewComplaint, InvalidRegistration> {
        let mut problems = Problems::default();
        if self.channel.is_none() {
            problems.add("channel", crate::msg!("field_channel_required"));
        }
        if self.respondent_unit_id.is_none() {
            problems.add(
                "respondent_unit_id",
                crate::msg!("field_respondent_unit_required"),
            );
        }
        if self.matter.is_none() {
            problems.add("matter", crate::msg!("field_matter_required"));
        }
        let account = problems.text("account", Some(&self.account), ACCOUNT_MAX);
        let received_at = self.received_at.unwrap_or(now);
        if stated_in_future(received_at, now) {
            problems.add("received_at", crate::msg!("field_received_in_future"));
        }
        let receipt_number = self.receipt_number.clone();
        if let Some(receipt) = &receipt_number
            && !is_receipt_number(receipt)
        {
            problems.add("receipt_number", crate::msg!("field_receipt_number_format"));
        }
        self.check_letter_date(received_at, tz, &mut problems);
        let complainant = self.complainant(&mut problems);
        match (
            self.channel,
            self.respondent_unit_id,
            self.matter,
            account,
            complainant,
        ) {
            (Some(channel), Some(unit), Some(matter), Some(account), Some(complainant))
                if problems.0.is_empty() =>
            {
                Ok(NewComplaint {
                    channel,
                    respondent_unit_id: unit,
                    respondent_staff_id: self.respondent_staff_id,
                    matter,
                    account,
                    complainant,
                    letter_date: self.letter_date,
                    receipt_number,
                    received_at,
                })
            }
            _ => Err(InvalidRegistration(problems.0)),
        }
    }

    fn check_letter_date(&self, received_at: DateTime<Utc>, tz: Tz, problems: &mut Problems) {
        match (self.channel, self.letter_date) {
            (Some(Channel::Letter), None) => {
                problems.add("letter_date", crate::msg!("field_letter_needs_date"))
            }
            (Some(Channel::Letter), Some(date))
                if date > received_at.with_timezone(&tz).date_naive() =>
            {
                problems.add(
                    "letter_date",
                    crate::msg!("field_letter_dated_after_receipt"),
                );
            }
            (Some(Channel::Letter), Some(_)) => {}
            (Some(_), Some(_)) => problems.add(
                "letter_date",
                crate::msg!("field_letter_date_only_for_letters"),
            ),
            _ => {}
        }
    }

    fn complainant(&self, problems: &mut Problems) -> Option<Complainant> {
        let phone = self.phone.as_deref().and_then(|raw| {
            PhoneNumber::parse(raw)
                .map_err(|e| problems.add("complainant.phone", e.message()))
                .ok()
        });
        let email = self.email.as_deref().and_then(|raw| {
            EmailAddress::parse(raw)
                .map_err(|e| problems.add("complainant.email", e.message()))
                .ok()
        });
        let postal_address = problems.text(
            "complainant.postal_address",
            self.postal_address.as_deref(),
            POSTAL_ADDRESS_MAX,
        );
        if self.anonymous {
            let gave_details = self.complainant_name.is_some()
                || self.phone.is_some()
                || self.email.is_some()
                || self.postal_address.is_some();
            if gave_details {
                problems.add(
                    "complainant.anonymous",
                    crate::msg!("field_anonymous_no_contact"),
                );
                return None;
            }
            return Some(Complainant::Anonymous);
        }
        let name = match self.complainant_name.as_deref() {
            None => {
                problems.add("complainant.name", crate::msg!("field_name_required"));
                None
            }
            Some(raw) => problems.text("complainant.name", Some(raw), NAME_MAX),
        };
        self.check_channel_contacts(problems);
        Some(Complainant::Named(NamedComplainant {
            name: name?,
            phone,
            email,
            postal_address,
        }))
    }

    fn check_channel_contacts(&self, problems: &mut Problems) {
        match self.channel {
            Some(Channel::Phone) if self.phone.is_none() => problems.add(
                "complainant.phone",
                crate::msg!("field_phone_needs_callback"),
            ),
            Some(Channel::Letter) if self.postal_address.is_none() => problems.add(
                "complainant.postal_address",
                crate::msg!("field_letter_needs_address"),
            ),
            Some(Channel::Web) if self.email.is_none() && self.phone.is_none() => {
                problems.add("complainant.email", crate::msg!("field_web_needs_contact"))
            }
            _ => {}
        }
    }
}

/// Refuses a receipt instant or a letter date before 1 January of `earliest_year`, the first
/// year of the agency's working-day calendar: no time limit can be counted from such a date,
/// and it is almost always a typing mistake (1900 for 2024).
///
/// # Errors
/// [`InvalidRegistration`] naming `received_at` and/or `letter_date`.
pub fn check_plausible_dates(
    details: &NewComplaint,
    earliest_year: i32,
    tz: Tz,
) -> Result<(), InvalidRegistration> {
    let mut problems = Problems::default();
    let too_early = crate::msg!("date_before_calendar", year = earliest_year);
    if details.received_at.with_timezone(&tz).year() < earliest_year {
        problems.add("received_at", too_early.clone());
    }
    if details
        .letter_date
        .is_some_and(|d| d.year() < earliest_year)
    {
        problems.add("letter_date", too_early);
    }
    if problems.0.is_empty() {
        Ok(())
    } else {
        Err(InvalidRegistration(problems.0))
    }
}

fn is_receipt_number(raw: &str) -> bool {
    let mut chars = raw.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphanumeric());
    let rest: Vec<char> = chars.collect();
    first_ok && rest.len() <= 63 && rest.iter().all(|c| c.is_ascii_alphanumeric() || *c == '-')
}

#[cfg(test)]
mod tests;
