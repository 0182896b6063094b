//! Calendar years and their listed days.

use chrono::{DateTime, Utc};
use duban_domain::calendar::{CalendarDayEntry, CalendarSource, WorkingCalendar, YearCalendar};
use duban_domain::complaint::ports::RepositoryError;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    QueryFilter, QueryOrder, Set,
};

use crate::db::begin_write;
use crate::entities::{calendar_day, calendar_year};
use crate::holiday_data::bundled_years;
use crate::storage_error::unavailable;

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
        let years: Vec<i32> = calendar_year::Entity::find()
            .all(&self.db)
            .await
            .map_err(unavailable)?
            .into_iter()
            .map(|y| y.year)
            .collect();
        let days = calendar_day::Entity::find()
            .order_by_asc(calendar_day::Column::Date)
            .all(&self.db)
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
}
