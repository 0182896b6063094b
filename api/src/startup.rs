//! Start-up steps of `App::open` after migrating: the first admin and the calendar check.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use duban_domain::role::Role;
use duban_domain::storage::RepositoryError;
use duban_infra::accounts::{AccountStore, NewUser};
use duban_infra::calendar::SeaCalendarStore;
use duban_infra::config::Settings;
use duban_infra::password::generate_password;
use duban_infra::store_error::StoreError;

/// Warns when the next year's calendar is due (see [`calendar_year_due`]) and not loaded.
///
/// # Errors
/// The calendar store's error.
pub async fn warn_if_next_calendar_missing(
    calendar: &SeaCalendarStore,
    now: DateTime<Utc>,
    tz: Tz,
) -> Result<(), RepositoryError> {
    let today = now.with_timezone(&tz).date_naive();
    if let Some(year) = calendar_year_due(today)
        && calendar.year(year).await?.is_none()
    {
        tracing::warn!(
            year,
            "the working-day calendar of {year} is not loaded: deadlines reaching into it \
             count Monday to Friday and are provisional; load its holidays with \
             PUT /api/v1/calendar/{year}"
        );
    }
    Ok(())
}

/// Creates the `admin` account on an empty database, with the configured password or a
/// generated one printed once in the log.
pub async fn bootstrap_admin(
    accounts: &AccountStore,
    settings: &Settings,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), StoreError> {
    if !accounts.is_empty().await? {
        if settings.admin_password.is_some() {
            tracing::warn!(
                "DUBAN_ADMIN_PASSWORD is ignored: accounts exist already, and the first admin \
                 is created only on an empty database"
            );
        }
        return Ok(());
    }
    let (password, generated) = match &settings.admin_password {
        Some(secret) => (secret.expose().to_owned(), false),
        None => (generate_password()?, true),
    };
    let created = accounts
        .create(
            NewUser {
                username: "admin".into(),
                display_name: "Administrator".into(),
                role: Role::Admin,
                unit_id: None,
                party_member: false,
                password: password.clone(),
                contact: duban_infra::accounts::StaffContact::default(),
            },
            now,
        )
        .await;
    match created {
        Ok(_) if generated => {
            tracing::warn!(
                username = "admin",
                password = %password,
                "created the first admin account with a generated password; it is shown only now"
            );
        }
        Ok(_) => tracing::info!(username = "admin", "created the first admin account"),
        // Another instance created it at the same moment.
        Err(StoreError::Duplicate { .. }) => {}
        Err(e) => return Err(e),
    }
    Ok(())
}

/// The next year, when its calendar is due (within 60 days of its first day).
fn calendar_year_due(today: chrono::NaiveDate) -> Option<i32> {
    use chrono::Datelike;
    let next = today.year() + 1;
    let first = chrono::NaiveDate::from_ymd_opt(next, 1, 1)?;
    ((first - today).num_days() <= 60).then_some(next)
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::calendar_year_due;

    #[test]
    fn the_next_years_calendar_is_due_60_days_before_it_starts() {
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap_or_default();
        assert_eq!(calendar_year_due(day(10, 31)), None);
        assert_eq!(calendar_year_due(day(11, 2)), Some(2027));
        assert_eq!(calendar_year_due(day(12, 31)), Some(2027));
        assert_eq!(calendar_year_due(day(1, 1)), None);
    }
}
