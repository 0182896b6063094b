//! Statistics (统计): `GET /stats/summary` and `GET /stats/units`, as JSON or CSV.
//!
//! Every figure is about the complaints **received** in `[from, to)` (by `received_at`), as
//! they stand now. Nothing personal appears: staff are only ever counted.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use duban_domain::calendar::start_of_local_day;
use duban_domain::clock::Clock;
use duban_domain::role::Role;
use duban_infra::stats::{Dimension, StatsQuery, StatsReport, StatsStore};
use poem_openapi::param::Query;
use poem_openapi::payload::{Json, PlainText};
use poem_openapi::{ApiResponse, Enum, OpenApi, ResponseContent};

use super::auth::StaffAuth;
use super::problem::{ApiError, FieldError};
use super::stats_csv::csv;
use super::stats_dto::{StatsGroup, StatsSummary, UnitStats, group_view};
use super::wire_time::WireInstant;
use super::{ApiTags, State};

/// The answer's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum StatsFormat {
    Json,
    /// `text/csv`: one row per group, the total first.
    Csv,
}

/// Built once per request: the size difference does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(ResponseContent)]
pub enum SummaryBody {
    Json(Json<StatsSummary>),
    #[oai(content_type = "text/csv; charset=utf-8")]
    Csv(PlainText<String>),
}

#[allow(clippy::large_enum_variant)]
#[derive(ResponseContent)]
pub enum UnitsBody {
    Json(Json<UnitStats>),
    #[oai(content_type = "text/csv; charset=utf-8")]
    Csv(PlainText<String>),
}

#[derive(ApiResponse)]
pub enum SummaryOk {
    /// The statistics (JSON, or CSV with `?format=csv`).
    #[oai(status = 200)]
    Ok(SummaryBody),
}

#[derive(ApiResponse)]
pub enum UnitsOk {
    /// The statistics (JSON, or CSV with `?format=csv`).
    #[oai(status = 200)]
    Ok(UnitsBody),
}

/// The longest period accepted.
const MAX_PERIOD_DAYS: i64 = 3660;

/// The period: defaults to the current local calendar year.
fn period(
    state: &State<'_>,
    from: Option<&WireInstant>,
    to: Option<&WireInstant>,
    now: DateTime<Utc>,
) -> Result<(DateTime<Utc>, DateTime<Utc>), ApiError> {
    let year = now.with_timezone(&state.tz).year();
    let year_start =
        |y: i32| NaiveDate::from_ymd_opt(y, 1, 1).and_then(|d| start_of_local_day(d, state.tz));
    let from = match from {
        Some(f) => f
            .parse("from")
            .map_err(|e| ApiError::invalid_fields(vec![e]))?,
        None => year_start(year).ok_or_else(|| ApiError::internal("no start of year"))?,
    };
    let to = match to {
        Some(t) => t
            .parse("to")
            .map_err(|e| ApiError::invalid_fields(vec![e]))?,
        None => year_start(from.with_timezone(&state.tz).year() + 1)
            .ok_or_else(|| ApiError::internal("no end of year"))?,
    };
    if to <= from || to - from > Duration::days(MAX_PERIOD_DAYS) {
        return Err(ApiError::invalid_fields(vec![FieldError::new(
            "to",
            &duban_domain::msg!("field_period_to", max = MAX_PERIOD_DAYS),
        )]));
    }
    Ok((from, to))
}

async fn report(
    state: &State<'_>,
    auth: &StaffAuth,
    from: Option<&WireInstant>,
    to: Option<&WireInstant>,
    dimensions: Vec<Dimension>,
) -> Result<(StatsReport, StatsQuery), ApiError> {
    auth.0
        .actor
        .require(&[Role::LeadingGroup, Role::Intake], "read the statistics")?;
    let now = state.clock.now();
    let (from, to) = period(state, from, to, now)?;
    let query = StatsQuery {
        from,
        to,
        now,
        tz: state.tz,
        dimensions,
    };
    let report = StatsStore::new(state.db.clone()).report(&query).await?;
    Ok((report, query))
}

fn breakdown(report: &StatsReport, dimension: Dimension, with_sanctions: bool) -> Vec<StatsGroup> {
    report
        .breakdowns
        .iter()
        .filter(|(d, _)| *d == dimension)
        .flat_map(|(_, groups)| groups.iter().map(|g| group_view(g, with_sanctions)))
        .collect()
}

pub struct StatsApi;

#[OpenApi(prefix_path = "/api/v1/stats", tag = "ApiTags::Stats")]
impl StatsApi {
    /// Statistics by channel, type and matter (leading group, intake)
    ///
    /// Counts the complaints **received** in `[from, to)` (default: the current calendar
    /// year in the agency's time zone) as they stand now. Every rate is
    /// `{numerator, denominator, value}`; see the schema for what each counts. With
    /// `format=csv`: `text/csv`, one row per group (`dimension` = `all`, `channel`, `type`,
    /// `matter`), the columns in the order of the JSON fields, rates as their value (empty
    /// when the denominator is 0), plus `working_days_to_close_total` (the numerator of the
    /// average). No personal data.
    #[oai(path = "/summary", method = "get", operation_id = "getStatsSummary")]
    async fn summary(
        &self,
        state: State<'_>,
        auth: StaffAuth,
        /// Start of the period (inclusive), RFC 3339.
        from: Query<Option<WireInstant>>,
        /// End of the period (exclusive), RFC 3339; at most 3660 days after `from`.
        to: Query<Option<WireInstant>>,
        /// `json` (default) or `csv`.
        format: Query<Option<StatsFormat>>,
        /// With `format=csv`: start with a UTF-8 byte-order mark (default `true`), so that
        /// Excel reads the text as UTF-8; `false` for tools that do not expect one.
        bom: Query<Option<bool>>,
    ) -> Result<SummaryOk, ApiError> {
        let (report, query) = report(
            &state,
            &auth,
            from.0.as_ref(),
            to.0.as_ref(),
            vec![Dimension::Channel, Dimension::Type, Dimension::Matter],
        )
        .await?;
        let summary = StatsSummary {
            from: query.from,
            to: query.to,
            generated_at: query.now,
            total: group_view(&report.total, true),
            by_channel: breakdown(&report, Dimension::Channel, false),
            by_type: breakdown(&report, Dimension::Type, false),
            by_matter: breakdown(&report, Dimension::Matter, false),
        };
        Ok(SummaryOk::Ok(match format.0 {
            Some(StatsFormat::Csv) => {
                let mut rows = vec![("all", &summary.total)];
                for (name, groups) in [
                    ("channel", &summary.by_channel),
                    ("type", &summary.by_type),
                    ("matter", &summary.by_matter),
                ] {
                    rows.extend(groups.iter().map(|g| (name, g)));
                }
                SummaryBody::Csv(PlainText(csv(&rows, bom.0.unwrap_or(true))))
            }
            _ => SummaryBody::Json(Json(summary)),
        }))
    }

    /// Statistics by unit (leading group, intake)
    ///
    /// As the summary, one row per unit: complaint-level figures by respondent unit,
    /// order-level figures (orders, returns, extensions, sign-for and reply limits) by the unit
    /// the order was addressed to. Each row has the decided sanction measures by track for the
    /// unit (a unit sanctioned, or the unit of a person sanctioned). Figures without a unit
    /// (screening limits, sanctions of a person without a unit) count in the total only.
    /// `units` has each unit's own figures, `rollups` the figures of each unit and all units
    /// below it (rates from the summed counts). With `format=csv`: `text/csv`, `dimension` =
    /// `all`, `unit` (own figures) or `unit_rollup`, `label` the unit's name.
    #[oai(path = "/units", method = "get", operation_id = "getStatsByUnit")]
    async fn units(
        &self,
        state: State<'_>,
        auth: StaffAuth,
        /// Start of the period (inclusive), RFC 3339.
        from: Query<Option<WireInstant>>,
        /// End of the period (exclusive), RFC 3339; at most 3660 days after `from`.
        to: Query<Option<WireInstant>>,
        /// `json` (default) or `csv`.
        format: Query<Option<StatsFormat>>,
        /// With `format=csv`: start with a UTF-8 byte-order mark (default `true`), so that
        /// Excel reads the text as UTF-8; `false` for tools that do not expect one.
        bom: Query<Option<bool>>,
    ) -> Result<UnitsOk, ApiError> {
        let (report, query) = report(
            &state,
            &auth,
            from.0.as_ref(),
            to.0.as_ref(),
            vec![Dimension::Unit],
        )
        .await?;
        let stats = UnitStats {
            from: query.from,
            to: query.to,
            generated_at: query.now,
            total: group_view(&report.total, true),
            units: breakdown(&report, Dimension::Unit, true),
            rollups: report.rollups.iter().map(|g| group_view(g, true)).collect(),
        };
        Ok(UnitsOk::Ok(match format.0 {
            Some(StatsFormat::Csv) => {
                let mut rows = vec![("all", &stats.total)];
                rows.extend(stats.units.iter().map(|g| ("unit", g)));
                rows.extend(stats.rollups.iter().map(|g| ("unit_rollup", g)));
                UnitsBody::Csv(PlainText(csv(&rows, bom.0.unwrap_or(true))))
            }
            _ => UnitsBody::Json(Json(stats)),
        }))
    }
}
