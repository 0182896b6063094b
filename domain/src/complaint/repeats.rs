//! Possible repeats (重复件): another complaint from the same contact, or about the same staff
//! member, received within the repeat window of this one, shown to intake so that it can be
//! linked rather than handled twice.

use chrono::{DateTime, Duration, Utc};

use super::complainant::Complainant;
use super::contact::{EmailAddress, PhoneNumber};
use super::model::Complaint;
use super::registration::NewComplaint;
use crate::ids::{ComplaintId, UserId};
use crate::wire_enum;

/// Days (calendar days, either side) within which another complaint counts as a possible
/// repeat, when not configured.
pub const DEFAULT_REPEAT_WINDOW_DAYS: u32 = 30;

/// At most this many possible repeats are shown, newest first.
pub const REPEATS_SHOWN: u32 = 50;

wire_enum! {
    /// Why another complaint may be a repeat of this one.
    RepeatReason {
        /// The same call-back number or e-mail address.
        SameContact => "same_contact",
        /// The same staff member complained about.
        SameStaff => "same_staff",
    }
}

/// What a complaint is matched on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RepeatKeys {
    pub phone: Option<String>,
    pub email: Option<String>,
    pub staff: Option<UserId>,
}

impl RepeatKeys {
    pub fn of(details: &NewComplaint) -> Self {
        let (phone, email) = match &details.complainant {
            Complainant::Anonymous | Complainant::Erased => (None, None),
            Complainant::Named(named) => (
                named.phone.as_ref().map(phone_key),
                named.email.as_ref().map(email_key),
            ),
        };
        Self {
            phone,
            email,
            staff: details.respondent_staff_id,
        }
    }

    /// Nothing to match on (an anonymous complaint naming no staff member).
    pub fn is_empty(&self) -> bool {
        self.phone.is_none() && self.email.is_none() && self.staff.is_none()
    }

    /// Why `other` may repeat a complaint with these keys; empty when it does not.
    pub fn reasons(&self, other: &RepeatKeys) -> Vec<RepeatReason> {
        let same = |a: &Option<String>, b: &Option<String>| a.is_some() && a == b;
        let mut reasons = Vec::new();
        if same(&self.phone, &other.phone) || same(&self.email, &other.email) {
            reasons.push(RepeatReason::SameContact);
        }
        if self.staff.is_some() && self.staff == other.staff {
            reasons.push(RepeatReason::SameStaff);
        }
        reasons
    }
}

/// A phone number as matched: its digits only, without the country code 86 in front of a
/// mainland mobile number (`+86 139-0000-1111` and `13900001111` are one number).
pub fn phone_key(phone: &PhoneNumber) -> String {
    let digits: String = phone
        .as_str()
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    let national = digits
        .strip_prefix("0086")
        .or_else(|| digits.strip_prefix("86"))
        .filter(|rest| rest.len() == 11 && rest.starts_with('1'));
    national.map_or(digits.clone(), str::to_owned)
}

/// An e-mail address as matched: lower case.
pub fn email_key(email: &EmailAddress) -> String {
    email.as_str().to_lowercase()
}

/// What storage is asked for: complaints other than `exclude` received in the window that
/// share at least one key (the core works out which).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepeatQuery {
    pub exclude: ComplaintId,
    pub keys: RepeatKeys,
    pub received_from: DateTime<Utc>,
    pub received_to: DateTime<Utc>,
    pub limit: u32,
}

impl RepeatQuery {
    /// The query for the repeats of `complaint` within `window_days` either side of its
    /// receipt.
    pub fn around(complaint: &Complaint, window_days: u32) -> Self {
        let window = Duration::days(i64::from(window_days));
        let received = complaint.details.received_at;
        Self {
            exclude: complaint.id,
            keys: RepeatKeys::of(&complaint.details),
            received_from: received - window,
            received_to: received + window,
            limit: REPEATS_SHOWN,
        }
    }
}

/// Another complaint that may repeat this one, and why.
#[derive(Debug, Clone)]
pub struct PossibleRepeat {
    pub complaint: Complaint,
    pub reasons: Vec<RepeatReason>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phone(raw: &str) -> String {
        phone_key(&PhoneNumber::parse(raw).unwrap_or_else(|e| panic!("{raw}: {e}")))
    }

    #[test]
    fn one_mobile_number_written_several_ways_is_one_key() {
        for raw in [
            "13900001111",
            "139-0000-1111",
            "+8613900001111",
            "+86-139-0000-1111",
            "008613900001111",
        ] {
            assert_eq!(phone(raw), "13900001111", "{raw}");
        }
    }

    #[test]
    fn landlines_keep_their_digits_and_86_stays_where_it_is_part_of_the_number() {
        assert_eq!(phone("010-6512-3456"), "01065123456");
        assert_eq!(phone("8613-1234"), "86131234");
        assert_ne!(phone("13900001111"), phone("13900001112"));
    }

    #[test]
    fn e_mail_addresses_match_ignoring_case() {
        let key =
            |raw: &str| email_key(&EmailAddress::parse(raw).unwrap_or_else(|e| panic!("{e}")));
        assert_eq!(key("Li.Hua@Example.CN"), key("li.hua@example.cn"));
    }

    #[test]
    fn reasons_name_each_shared_key_and_absent_keys_never_match() {
        let staff = UserId::generate();
        let this = RepeatKeys {
            phone: Some("13900001111".into()),
            email: None,
            staff: Some(staff),
        };
        let same_phone = RepeatKeys {
            phone: Some("13900001111".into()),
            ..RepeatKeys::default()
        };
        let same_staff = RepeatKeys {
            staff: Some(staff),
            ..RepeatKeys::default()
        };
        let both = RepeatKeys {
            phone: Some("13900001111".into()),
            email: Some("x@y.cn".into()),
            staff: Some(staff),
        };
        assert_eq!(this.reasons(&same_phone), vec![RepeatReason::SameContact]);
        assert_eq!(this.reasons(&same_staff), vec![RepeatReason::SameStaff]);
        assert_eq!(
            this.reasons(&both),
            vec![RepeatReason::SameContact, RepeatReason::SameStaff]
        );
        assert!(
            RepeatKeys::default()
                .reasons(&RepeatKeys::default())
                .is_empty()
        );
        assert!(RepeatKeys::default().is_empty());
    }
}
