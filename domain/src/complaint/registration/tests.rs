use super::*;
use chrono::{Duration, TimeZone};

const TZ: Tz = chrono_tz::Asia::Shanghai;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 2, 0, 0)
        .single()
        .unwrap_or_default()
}

fn draft(channel: Channel) -> ComplaintDraft {
    ComplaintDraft {
        channel: Some(channel),
        respondent_unit_id: Some(UnitId::generate()),
        matter: Some(Matter::Attitude),
        account: "The window clerk shouted at me".into(),
        complainant_name: Some("Li Hua".into()),
        ..ComplaintDraft::default()
    }
}

fn fields(result: Result<NewComplaint, InvalidRegistration>) -> Vec<&'static str> {
    match result {
        Ok(_) => vec![],
        Err(InvalidRegistration(problems)) => problems.into_iter().map(|p| p.field).collect(),
    }
}

#[test]
fn walk_in_needs_no_contact() {
    assert_eq!(
        fields(draft(Channel::WalkIn).validate(now(), TZ)),
        Vec::<&str>::new()
    );
}

#[test]
fn phone_needs_a_call_back_number() {
    assert_eq!(
        fields(draft(Channel::Phone).validate(now(), TZ)),
        vec!["complainant.phone"]
    );
    let with_phone = ComplaintDraft {
        phone: Some("13800138000".into()),
        ..draft(Channel::Phone)
    };
    assert!(with_phone.validate(now(), TZ).is_ok());
}

#[test]
fn web_needs_email_or_phone() {
    assert_eq!(
        fields(draft(Channel::Web).validate(now(), TZ)),
        vec!["complainant.email"]
    );
    let with_email = ComplaintDraft {
        email: Some("li@example.cn".into()),
        ..draft(Channel::Web)
    };
    assert!(with_email.validate(now(), TZ).is_ok());
}

#[test]
fn letter_needs_address_and_date_not_after_receipt() {
    assert_eq!(
        fields(draft(Channel::Letter).validate(now(), TZ)),
        vec!["letter_date", "complainant.postal_address"]
    );
    let received_local_date = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap_or_default();
    let letter = ComplaintDraft {
        postal_address: Some("1 Renmin Rd".into()),
        letter_date: Some(received_local_date),
        ..draft(Channel::Letter)
    };
    assert!(letter.clone().validate(now(), TZ).is_ok());
    let dated_later = ComplaintDraft {
        letter_date: received_local_date.succ_opt(),
        ..letter
    };
    assert_eq!(fields(dated_later.validate(now(), TZ)), vec!["letter_date"]);
}

#[test]
fn only_letters_carry_a_letter_date() {
    let d = ComplaintDraft {
        letter_date: NaiveDate::from_ymd_opt(2026, 3, 1),
        ..draft(Channel::WalkIn)
    };
    assert_eq!(fields(d.validate(now(), TZ)), vec!["letter_date"]);
}

#[test]
fn anonymous_complaints_carry_no_details() {
    let anonymous = ComplaintDraft {
        anonymous: true,
        complainant_name: None,
        ..draft(Channel::Phone)
    };
    let ok = anonymous.clone().validate(now(), TZ);
    assert!(matches!(
        ok.map(|c| c.complainant),
        Ok(Complainant::Anonymous)
    ));
    let with_name = ComplaintDraft {
        complainant_name: Some("X".into()),
        ..anonymous
    };
    assert_eq!(
        fields(with_name.validate(now(), TZ)),
        vec!["complainant.anonymous"]
    );
}

#[test]
fn named_complaints_need_a_name() {
    let d = ComplaintDraft {
        complainant_name: None,
        ..draft(Channel::WalkIn)
    };
    assert_eq!(fields(d.validate(now(), TZ)), vec!["complainant.name"]);
}

#[test]
fn refuses_blank_or_over_long_account_and_future_receipt() {
    let d = ComplaintDraft {
        account: " ".into(),
        received_at: Some(now() + Duration::minutes(6)),
        ..draft(Channel::WalkIn)
    };
    assert_eq!(
        fields(d.validate(now(), TZ)),
        vec!["account", "received_at"]
    );
    let long = ComplaintDraft {
        account: "字".repeat(ACCOUNT_MAX + 1),
        received_at: Some(now() + Duration::minutes(5)),
        ..draft(Channel::WalkIn)
    };
    assert_eq!(fields(long.validate(now(), TZ)), vec!["account"]);
}

#[test]
fn receipt_numbers_and_bad_contacts() {
    let d = ComplaintDraft {
        receipt_number: Some("-bad".into()),
        email: Some("nope".into()),
        ..draft(Channel::WalkIn)
    };
    assert_eq!(
        fields(d.validate(now(), TZ)),
        vec!["receipt_number", "complainant.email"]
    );
    let ok = ComplaintDraft {
        receipt_number: Some("HZ-2026-0001".into()),
        ..draft(Channel::WalkIn)
    };
    assert!(ok.validate(now(), TZ).is_ok());
}

#[test]
fn missing_required_choices_are_named() {
    let d = ComplaintDraft {
        channel: None,
        matter: None,
        respondent_unit_id: None,
        ..draft(Channel::WalkIn)
    };
    assert_eq!(
        fields(d.validate(now(), TZ)),
        vec!["channel", "respondent_unit_id", "matter"]
    );
}

#[test]
fn dates_before_the_first_calendar_year_are_refused() {
    let mut letter = draft(Channel::Letter);
    letter.postal_address = Some("1 Renmin Road".into());
    letter.letter_date = NaiveDate::from_ymd_opt(1900, 2, 20);
    letter.received_at = Utc.with_ymd_and_hms(1900, 3, 1, 2, 0, 0).single();
    let details = letter
        .validate(now(), TZ)
        .unwrap_or_else(|e| panic!("{e:?}"));
    let named: Vec<&str> = match check_plausible_dates(&details, 2024, TZ) {
        Ok(()) => vec![],
        Err(InvalidRegistration(problems)) => problems.into_iter().map(|p| p.field).collect(),
    };
    assert_eq!(named, ["received_at", "letter_date"]);
    assert!(check_plausible_dates(&details, 1900, TZ).is_ok());
    // 2024-01-01 00:30 in Beijing is still 2023 in UTC: the agency's year counts.
    let mut walk_in = draft(Channel::WalkIn);
    walk_in.received_at = Utc.with_ymd_and_hms(2023, 12, 31, 16, 30, 0).single();
    let details = walk_in
        .validate(now(), TZ)
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert!(check_plausible_dates(&details, 2024, TZ).is_ok());
}
