//! The working-day calendar (admin): `GET /calendar`, `GET/PUT /calendar/{year}`.

use chrono::{Datelike, NaiveDate};
use duban_domain::calendar::CalendarSource;
use duban_domain::calendar::{CalendarDataError, CalendarDayEntry, WorkingCalendar, YearCalendar};
use duban_domain::clock::Clock;
use duban_domain::role::Role;
use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object, OpenApi};

use super::auth::StaffAuth;
use super::problem::{ApiError, FieldError};
use super::strict_string::Text;
use super::wire_time::WireDate;
use super::{ApiTags, State};

/// How dates are classified, as stated in every calendar answer.
const RULE: &str = "a listed date is a day off or an adjusted working day as listed; any other \
                    date is a working day exactly when it is Monday to Friday";

/// One listed date of a year.
#[derive(Debug, Clone, Object)]
pub struct CalendarDayView {
    pub date: NaiveDate,
    /// `true`: a day off (holiday, weekends inside a holiday block). `false`: an adjusted
    /// working day (调休上班), normally a Saturday or Sunday.
    pub is_off_day: bool,
    /// The holiday the date belongs to, e.g. `春节`.
    pub name: String,
}

/// One year of the working-day calendar.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct CalendarYearView {
    pub year: i32,
    /// Whether the year's calendar is loaded. When not, every date follows the Monday–Friday
    /// rule and deadlines counted through it are provisional.
    pub loaded: bool,
    /// How dates are classified.
    pub rule: String,
    /// The listed dates, earliest first (empty when not loaded). A notice may list dates of the
    /// December before its year.
    pub days: Vec<CalendarDayView>,
    /// Working days of the year (1 January to 31 December) by the current calendar.
    pub working_days: u32,
    /// Running provisional time limits that wait for this year's calendar.
    pub provisional_limits: u64,
    /// After a replacement: how many running time limits got a new deadline or lost their
    /// provisional mark.
    pub recomputed_limits: Option<u64>,
}

/// A year without data that running provisional limits wait for.
#[derive(Debug, Clone, Object)]
pub struct WaitingYear {
    pub year: i32,
    /// How many running provisional limits wait for it.
    pub provisional_limits: u64,
}

/// What is loaded, and what admin should load.
#[derive(Debug, Clone, Object)]
pub struct CalendarOverviewView {
    /// The loaded years, earliest first.
    pub loaded_years: Vec<i32>,
    /// Years without data that running deadlines reach: load them to settle those deadlines.
    pub missing_years: Vec<WaitingYear>,
}

/// One date of a year to load.
#[derive(Debug, Clone, Object)]
pub struct CalendarDayInput {
    /// `YYYY-MM-DD`, in the year or the December before it.
    pub date: WireDate,
    pub is_off_day: bool,
    /// The holiday's name, 1 to 50 characters, not blank.
    pub name: Text,
}

/// A year's calendar: every date that breaks the Monday–Friday rule.
#[derive(Debug, Clone, Object)]
pub struct CalendarYearInput {
    #[oai(validator(max_items = 366))]
    pub days: Vec<CalendarDayInput>,
}

#[derive(ApiResponse)]
pub enum CalendarYearOk {
    #[oai(status = 200)]
    Ok(Json<CalendarYearView>),
}

#[derive(ApiResponse)]
pub enum CalendarOverviewOk {
    #[oai(status = 200)]
    Ok(Json<CalendarOverviewView>),
}

fn working_days_in(calendar: &WorkingCalendar, year: i32) -> u32 {
    let Some(first) = NaiveDate::from_ymd_opt(year, 1, 1) else {
        return 0;
    };
    let count = first
        .iter_days()
        .take_while(|d| d.year() == year)
        .filter(|&d| calendar.is_working_day(d))
        .count();
    u32::try_from(count).unwrap_or(u32::MAX)
}

/// The entries of the body, or a 422 naming every date that is not a real date.
fn entries(days: Vec<CalendarDayInput>) -> Result<Vec<CalendarDayEntry>, ApiError> {
    let mut entries = Vec::with_capacity(days.len());
    let mut refused = Vec::new();
    for (i, day) in days.into_iter().enumerate() {
        match day.date.parse(&format!("days[{i}].date")) {
            Ok(date) => entries.push(CalendarDayEntry {
                date,
                is_off_day: day.is_off_day,
                name: day.name.into_inner(),
            }),
            Err(e) => refused.push(e),
        }
    }
    if refused.is_empty() {
        Ok(entries)
    } else {
        Err(ApiError::invalid_fields(refused))
    }
}

/// The refused year as a 422 naming the entry and the rule.
fn refused(entries: &[CalendarDayEntry], e: &CalendarDataError) -> ApiError {
    let index_of = |date: NaiveDate, nth: usize| {
        entries
            .iter()
            .enumerate()
            .filter(|(_, d)| d.date == date)
            .nth(nth)
            .map_or(0, |(i, _)| i)
    };
    let field = match e {
        CalendarDataError::DateOutsideYear { date, .. } => {
            format!("days[{}].date", index_of(*date, 0))
        }
        CalendarDataError::DuplicateDate { date, .. } => {
            format!("days[{}].date", index_of(*date, 1))
        }
        CalendarDataError::InvalidName { date, .. } => {
            format!("days[{}].name", index_of(*date, 0))
        }
        _ => "days".to_owned(),
    };
    ApiError::invalid_fields(vec![FieldError::new(field, &e.message())])
}

async fn year_view(
    state: &crate::state::AppState,
    year: i32,
) -> Result<CalendarYearView, ApiError> {
    let loaded = state.calendar.year(year).await?;
    let calendar = state.calendar.working_calendar().await?;
    let overview = state.calendar.overview(state.tz).await?;
    Ok(CalendarYearView {
        year,
        loaded: loaded.is_some(),
        rule: RULE.to_owned(),
        days: loaded
            .map(YearCalendar::into_entries)
            .unwrap_or_default()
            .into_iter()
            .map(|d| CalendarDayView {
                date: d.date,
                is_off_day: d.is_off_day,
                name: d.name,
            })
            .collect(),
        working_days: working_days_in(&calendar, year),
        provisional_limits: overview.waiting.get(&year).copied().unwrap_or(0),
        recomputed_limits: None,
    })
}

pub struct CalendarApi;

#[OpenApi(prefix_path = "/api/v1/calendar", tag = "ApiTags::Calendar")]
impl CalendarApi {
    /// The calendar's state (admin)
    ///
    /// The loaded years, and the years without data that running provisional deadlines reach
    /// (the admin's warning: load those years).
    #[oai(path = "/", method = "get", operation_id = "listCalendarYears")]
    async fn overview(
        &self,
        state: State<'_>,
        auth: StaffAuth,
    ) -> Result<CalendarOverviewOk, ApiError> {
        auth.0
            .actor
            .require(&[Role::Admin], "read the working-day calendar")?;
        let overview = state.calendar.overview(state.tz).await?;
        Ok(CalendarOverviewOk::Ok(Json(CalendarOverviewView {
            loaded_years: overview.loaded_years,
            missing_years: overview
                .waiting
                .into_iter()
                .map(|(year, provisional_limits)| WaitingYear {
                    year,
                    provisional_limits,
                })
                .collect(),
        })))
    }

    /// Read one year (admin)
    ///
    /// A year without data answers `loaded: false`: its dates follow the Monday–Friday rule.
    #[oai(path = "/:year", method = "get", operation_id = "getCalendarYear")]
    async fn get(
        &self,
        state: State<'_>,
        auth: StaffAuth,
        #[oai(validator(minimum(value = "2000"), maximum(value = "2199")))] year: Path<i32>,
    ) -> Result<CalendarYearOk, ApiError> {
        auth.0
            .actor
            .require(&[Role::Admin], "read the working-day calendar")?;
        Ok(CalendarYearOk::Ok(Json(year_view(&state, year.0).await?)))
    }

    /// Load or replace one year (admin)
    ///
    /// Replaces every listed date of the year in one transaction and recomputes the deadline of
    /// every running time limit that was provisional or counts dates of the year. 422 names the
    /// refused entry: a date outside the year (and the December before it), a date listed
    /// twice, a blank or overlong name, or no dates at all.
    #[oai(path = "/:year", method = "put", operation_id = "putCalendarYear")]
    async fn put(
        &self,
        state: State<'_>,
        auth: StaffAuth,
        #[oai(validator(minimum(value = "2000"), maximum(value = "2199")))] year: Path<i32>,
        body: Json<CalendarYearInput>,
    ) -> Result<CalendarYearOk, ApiError> {
        auth.0
            .actor
            .require(&[Role::Admin], "change the working-day calendar")?;
        let entries = entries(body.0.days)?;
        let calendar =
            YearCalendar::new(year.0, entries.clone()).map_err(|e| refused(&entries, &e))?;
        let recomputed = state
            .calendar
            .replace_year(
                calendar,
                Some(auth.0.actor.user_id),
                state.clock.now(),
                state.tz,
            )
            .await?;
        let mut view = year_view(&state, year.0).await?;
        view.recomputed_limits = Some(recomputed);
        Ok(CalendarYearOk::Ok(Json(view)))
    }
}
