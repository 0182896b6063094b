//! Calendar years and their listed days.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use duban_domain::calendar::{CalendarDayEntry, CalendarSource, WorkingCalendar, YearCalendar};
use duban_domain::ids::UserId;
use duban_domain::storage::RepositoryError;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, QueryFilter, QueryOrder, Set,
};

use crate::db::begin_write;
use crate::entities::{calendar_day, calendar_year};
use crate::holiday_data::bundled_years;
use crate::storage_error::unavailable;
use crate::time_limits;

/// Reads and writes the calendar tables.
#[derive(Clone)]
pub struct SeaCalendarStore {
    db: DatabaseConnection,
}

fn corrupt(e: impl std::fmt::Display) -> RepositoryError {
    RepositoryError::Unavailable(format!("stored calendar is unreadable: {e}"))
}

impl SeaCalendarStore {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }

    /// Loads each bundled year (2024–2026) that the database does not hold yet; years an
    /// admin has loaded are left as they are. Returns the years seeded.
    ///
    /// # Errors
    /// [`RepositoryError`].
    pub async fn seed_bundled(&self, now: DateTime<Utc>) -> Result<Vec<i32>, RepositoryError> {
        let years = bundled_years().map_err(corrupt)?;
        let mut seeded = Vec::new();
        for year in years {
            let txn = begin_write(&self.db).await.map_err(unavailable)?;
            // Instances starting together seed one after the other (SQLite: the write lock
            // taken by `begin_write`), so the second finds the year present.
            if crate::db::is_postgres(&self.db) {
                txn.execute_unprepared(
                    "SELECT pg_advisory_xact_lock(hashtext('duban-calendar-seed:' || current_schema()))",
                )
                .await
                .map_err(unavailable)?;
            }
            let present = calendar_year::Entity::find_by_id(year.year())
                .one(&txn)
                .await
                .map_err(unavailable)?
                .is_some();
            if !present {
                seeded.push(year.year());
                write_year(&txn, year, None, now).await?;
            }
            txn.commit().await.map_err(unavailable)?;
        }
        Ok(seeded)
    }

    /// One year's calendar, if loaded.
    ///
    /// # Errors
    /// [`RepositoryError`].
    pub async fn year(&self, year: i32) -> Result<Option<YearCalendar>, RepositoryError> {
        let loaded = calendar_year::Entity::find_by_id(year)
            .one(&self.db)
            .await
            .map_err(unavailable)?;
        if loaded.is_none() {
            return Ok(None);
        }
        let days = calendar_day::Entity::find()
            .filter(calendar_day::Column::Year.eq(year))
            .order_by_asc(calendar_day::Column::Date)
            .all(&self.db)
            .await
            .map_err(unavailable)?;
        YearCalendar::new(year, days.into_iter().map(to_entry).collect())
            .map(Some)
            .map_err(corrupt)
    }
}

/// The calendar as admin sees it: what is loaded and what provisional limits wait for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarOverview {
    /// The loaded years, earliest first.
    pub loaded_years: Vec<i32>,
    /// Each year without data that running provisional limits wait for, with their number.
    pub waiting: BTreeMap<i32, u64>,
}

impl SeaCalendarStore {
    /// Loaded years and the years running provisional limits wait for (counted in `tz`).
    ///
    /// # Errors
    /// [`RepositoryError`].
    pub async fn overview(&self, tz: Tz) -> Result<CalendarOverview, RepositoryError> {
        let calendar = load_working_calendar(&self.db).await?;
        let waiting = time_limits::provisional_waiting(&self.db, &calendar, tz).await?;
        Ok(CalendarOverview {
            loaded_years: calendar.known_years().collect(),
            waiting,
        })
    }

    /// Replaces (or first loads) one year's calendar and, in the same transaction, recomputes
    /// every running limit that is provisional or counts dates of that year (see
    /// [`time_limits::recompute_running`]). Returns how many limits changed.
    ///
    /// # Errors
    /// [`RepositoryError`].
    pub async fn replace_year(
        &self,
        year: YearCalendar,
        loaded_by: Option<UserId>,
        now: DateTime<Utc>,
        tz: Tz,
    ) -> Result<u64, RepositoryError> {
        let number = year.year();
        let txn = begin_write(&self.db).await.map_err(unavailable)?;
        write_year(&txn, year, loaded_by.map(|u| u.as_uuid()), now).await?;
        let calendar = load_working_calendar(&txn).await?;
        let recomputed =
            time_limits::recompute_running(&txn, &calendar, tz, now, Some(number)).await?;
        txn.commit().await.map_err(unavailable)?;
        tracing::info!(
            year = number,
            recomputed,
            "loaded a working-day calendar year"
        );
        Ok(recomputed)
    }
}

fn to_entry(day: calendar_day::Model) -> CalendarDayEntry {
    CalendarDayEntry {
        date: day.date,
        is_off_day: day.is_off_day,
        name: day.name,
    }
}

/// Replaces one year's listed days inside the caller's transaction.
///
/// # Errors
/// [`RepositoryError`].
pub(crate) async fn write_year(
    txn: &DatabaseTransaction,
    year: YearCalendar,
    loaded_by: Option<uuid::Uuid>,
    now: DateTime<Utc>,
) -> Result<(), RepositoryError> {
    let number = year.year();
    calendar_day::Entity::delete_many()
        .filter(calendar_day::Column::Year.eq(number))
        .exec(txn)
        .await
        .map_err(unavailable)?;
    calendar_year::Entity::delete_by_id(number)
        .exec(txn)
        .await
        .map_err(unavailable)?;
    calendar_year::ActiveModel {
        year: Set(number),
        loaded_at: Set(now),
        loaded_by: Set(loaded_by),
    }
    .insert(txn)
    .await
    .map_err(unavailable)?;
    let rows: Vec<calendar_day::ActiveModel> = year
        .into_entries()
        .into_iter()
        .map(|entry| calendar_day::ActiveModel {
            date: Set(entry.date),
            year: Set(number),
            is_off_day: Set(entry.is_off_day),
            name: Set(entry.name),
        })
        .collect();
    if !rows.is_empty() {
        calendar_day::Entity::insert_many(rows)
            .exec(txn)
            .await
            .map_err(unavailable)?;
    }
    Ok(())
}

impl CalendarSource for SeaCalendarStore {
    async fn working_calendar(&self) -> Result<WorkingCalendar, RepositoryError> {
        load_working_calendar(&self.db).await
    }
}

/// Every loaded year as one calendar, read through `conn` (a transaction sees its own
/// changes).
///
/// # Errors
/// [`RepositoryError`].
pub(crate) async fn load_working_calendar(
    conn: &impl ConnectionTrait,
) -> Result<WorkingCalendar, RepositoryError> {
    let years: Vec<i32> = calendar_year::Entity::find()
        .all(conn)
        .await
        .map_err(unavailable)?
        .into_iter()
        .map(|y| y.year)
        .collect();
    let days = calendar_day::Entity::find()
        .order_by_asc(calendar_day::Column::Date)
        .all(conn)
        .await
        .map_err(unavailable)?;
    let mut calendars = Vec::with_capacity(years.len());
    for year in years {
        let entries = days
            .iter()
            .filter(|d| d.year == year)
            .cloned()
            .map(to_entry)
            .collect();
        calendars.push(YearCalendar::new(year, entries).map_err(corrupt)?);
    }
    WorkingCalendar::from_years(calendars).map_err(corrupt)
}
