//! Statistics computed by the database: grouped counts over the complaints received in a
//! period, never the rows themselves.
//!
//! How it is counted:
//! - Four grouped queries (complaints, supervision orders, extension requests, time limits),
//!   each grouped by the finest key `(channel, type, matter, unit)`. Their counts are additive
//!   (see [`Counts`]), so the totals and the breakdowns by channel, type, matter and unit are
//!   sums of these few rows. The result size is bounded by the number of key combinations,
//!   not by the number of complaints.
//! - The unit of a complaint-level figure is the respondent unit; the unit of an order-level
//!   figure (orders, returns, extensions, the sign-for and reply limits) is the unit the order
//!   was addressed to, so a return counts against the unit that returned it. Screening limits
//!   belong to intake, not to a unit: they are in the total only. The unit breakdown has each
//!   unit's own figures and a roll-up over the unit and the units below it ([`units`]).
//! - Working days to close: the working-day calendar lives in Rust, so SQL cannot count working
//!   days per row. Per closed complaint the working days are `W(closing date) − W(registration
//!   date)` where `W(d)` counts the working days up to `d`; summed over complaints, the start
//!   and end dates separate. So the database only counts closed complaints per local
//!   registration date and per local closing date (`GROUP BY` the date), and
//!   [`total_working_days`] weights those counts — bounded by the number of days in the range,
//!   not by the number of complaints. Local dates are computed in SQL in the agency's time
//!   zone (PostgreSQL `AT TIME ZONE`; SQLite `date()` with the zone's UTC offset, switching
//!   offset at each transition inside the range).
//! - Staff with two or more sustained complaints: a `GROUP BY staff HAVING COUNT(*) >= 2`
//!   subquery, counted per group; by unit, sustained complaints per unit and staff member,
//!   summed over each roll-up. Only counts are reported, never who.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use duban_domain::stats::Counts;
use duban_domain::storage::RepositoryError;
use sea_orm::DatabaseConnection;

use crate::calendar::load_working_calendar;

mod fine;
mod groups;
mod local_date;
mod sanctions;
mod sql;
mod units;

/// A breakdown of the statistics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dimension {
    Channel,
    Type,
    Matter,
    Unit,
}

impl Dimension {
    /// Its name on the wire and in CSV.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Channel => "channel",
            Self::Type => "type",
            Self::Matter => "matter",
            Self::Unit => "unit",
        }
    }
}

/// What to count.
#[derive(Debug, Clone)]
pub struct StatsQuery {
    /// Complaints received at or after this instant...
    pub from: DateTime<Utc>,
    /// ...and before this one.
    pub to: DateTime<Utc>,
    /// "Now", for limits still running past their deadline.
    pub now: DateTime<Utc>,
    /// The agency's time zone, for local dates.
    pub tz: Tz,
    /// The breakdowns wanted (the total is always computed).
    pub dimensions: Vec<Dimension>,
}

/// The figures of one group.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GroupFigures {
    /// The group's key: a channel, type (`unclassified` before classification), matter, unit
    /// id, or `all` for the total.
    pub key: String,
    /// The unit's name in the unit breakdown.
    pub label: Option<String>,
    /// The unit above, in the unit breakdown (none for a top unit).
    pub parent: Option<String>,
    pub counts: Counts,
    /// Respondent staff members with two or more sustained complaints in the group (a count,
    /// never who).
    pub staff_repeated_sustained: i64,
    /// Decided sanction measures by track: in the total, and per unit in the unit breakdown
    /// (zero in the other breakdowns, which sanctions do not belong to).
    pub sanctions: SanctionCounts,
}

/// Decided sanction measures in the period, by track.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SanctionCounts {
    pub soft: i64,
    pub organisational: i64,
    pub administrative: i64,
    pub party: i64,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatsReport {
    pub total: GroupFigures,
    pub breakdowns: Vec<(Dimension, Vec<GroupFigures>)>,
    /// With the unit breakdown: per unit listed there (same order), the figures of the unit
    /// and every unit below it.
    pub rollups: Vec<GroupFigures>,
}

/// Reads statistics.
#[derive(Clone)]
pub struct StatsStore {
    db: DatabaseConnection,
}

impl StatsStore {
    #[must_use]
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }

    /// The statistics of the complaints received in `[from, to)`.
    ///
    /// # Errors
    /// [`RepositoryError::Unavailable`].
    pub async fn report(&self, q: &StatsQuery) -> Result<StatsReport, RepositoryError> {
        let mut fine: BTreeMap<fine::FineKey, Counts> = BTreeMap::new();
        self.complaint_counts(q, &mut fine).await?;
        self.order_counts(q, &mut fine).await?;
        self.extension_counts(q, &mut fine).await?;
        self.limit_counts(q, &mut fine).await?;
        let calendar = load_working_calendar(&self.db).await?;

        let mut total = GroupFigures {
            key: "all".into(),
            ..GroupFigures::default()
        };
        for counts in fine.values() {
            total.counts = total.counts.plus(*counts);
        }
        total.counts.working_days_to_close = self
            .working_days(q, None, &calendar)
            .await?
            .get("all")
            .copied()
            .unwrap_or_default();
        total.staff_repeated_sustained = self
            .staff_repeated(q, None)
            .await?
            .get("all")
            .copied()
            .unwrap_or_default();
        let (sanctions_total, sanctions_by_unit) = self.sanctions(q).await?;
        total.sanctions = sanctions_total;

        let mut breakdowns = Vec::new();
        let mut rollups = Vec::new();
        for dimension in &q.dimensions {
            if *dimension == Dimension::Unit {
                let (units, sums) = self
                    .unit_breakdown(q, &fine, &calendar, &sanctions_by_unit)
                    .await?;
                breakdowns.push((Dimension::Unit, units));
                rollups = sums;
                continue;
            }
            let mut groups: BTreeMap<String, GroupFigures> = BTreeMap::new();
            for (key, counts) in &fine {
                let k = key.key(*dimension);
                let group = groups.entry(k.clone()).or_insert_with(|| GroupFigures {
                    key: k,
                    ..GroupFigures::default()
                });
                group.counts = group.counts.plus(*counts);
            }
            let days = self.working_days(q, Some(*dimension), &calendar).await?;
            let staff = self.staff_repeated(q, Some(*dimension)).await?;
            for group in groups.values_mut() {
                group.counts.working_days_to_close =
                    days.get(&group.key).copied().unwrap_or_default();
                group.staff_repeated_sustained = staff.get(&group.key).copied().unwrap_or_default();
            }
            breakdowns.push((*dimension, groups.into_values().collect()));
        }
        Ok(StatsReport {
            total,
            breakdowns,
            rollups,
        })
    }
}
