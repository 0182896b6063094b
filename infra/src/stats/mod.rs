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
//!   belong to intake, not to a unit: in the unit breakdown they are under the key `intake`.
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
//!   subquery, counted per group; only the count leaves the database, never who.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, Offset, SecondsFormat, TimeZone, Utc};
use chrono_tz::Tz;
use duban_domain::calendar::WorkingCalendar;
use duban_domain::complaint::ports::RepositoryError;
use duban_domain::stats::{Counts, total_working_days};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, JoinType, Query, SelectStatement};
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, QueryResult};
use uuid::Uuid;

use crate::calendar::load_working_calendar;
use crate::storage_error::unavailable;

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
    /// id (or `intake`), or `all` for the total.
    pub key: String,
    /// The unit's name in the unit breakdown.
    pub label: Option<String>,
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
}

/// The finest grouping key: every query groups by it, every breakdown is a sum over it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct FineKey {
    channel: String,
    complaint_type: Option<String>,
    matter: String,
    unit: Option<Uuid>,
}

impl FineKey {
    fn key(&self, dimension: Dimension) -> String {
        match dimension {
            Dimension::Channel => self.channel.clone(),
            Dimension::Type => type_key(self.complaint_type.as_deref()),
            Dimension::Matter => self.matter.clone(),
            Dimension::Unit => unit_key(self.unit),
        }
    }
}

fn type_key(t: Option<&str>) -> String {
    t.unwrap_or("unclassified").to_owned()
}

fn unit_key(u: Option<Uuid>) -> String {
    u.map_or_else(|| "intake".to_owned(), |u| u.to_string())
}

/// How many complaints fall on each local date.
type DatedCounts = Vec<(NaiveDate, i64)>;

/// Reads statistics.
#[derive(Clone)]
pub struct StatsStore {
    db: DatabaseConnection,
}

const C: &str = "c";

fn col(table: &str, column: &str) -> Expr {
    Expr::col((Alias::new(table), Alias::new(column)))
}

fn sum_if(condition: &str) -> Expr {
    Expr::cust(format!("SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)"))
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
        let mut fine: BTreeMap<FineKey, Counts> = BTreeMap::new();
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

        let names = if q.dimensions.contains(&Dimension::Unit) {
            self.unit_names().await?
        } else {
            BTreeMap::new()
        };
        let (sanctions_total, sanctions_by_unit) = self.sanctions(q).await?;
        total.sanctions = sanctions_total;
        let mut breakdowns = Vec::new();
        for dimension in &q.dimensions {
            let mut groups: BTreeMap<String, GroupFigures> = BTreeMap::new();
            for (key, counts) in &fine {
                let k = key.key(*dimension);
                let group = groups.entry(k.clone()).or_insert_with(|| GroupFigures {
                    key: k,
                    ..GroupFigures::default()
                });
                group.counts = group.counts.plus(*counts);
            }
            if *dimension == Dimension::Unit {
                for (unit, counts) in &sanctions_by_unit {
                    groups
                        .entry(unit.clone())
                        .or_insert_with(|| GroupFigures {
                            key: unit.clone(),
                            ..GroupFigures::default()
                        })
                        .sanctions = *counts;
                }
            }
            let days = self.working_days(q, Some(*dimension), &calendar).await?;
            let staff = self.staff_repeated(q, Some(*dimension)).await?;
            for group in groups.values_mut() {
                group.counts.working_days_to_close =
                    days.get(&group.key).copied().unwrap_or_default();
                group.staff_repeated_sustained = staff.get(&group.key).copied().unwrap_or_default();
                if *dimension == Dimension::Unit {
                    group.label = Some(names.get(&group.key).cloned().unwrap_or_else(|| {
                        match group.key.as_str() {
                            "intake" => "intake (screening)".to_owned(),
                            _ => "no unit".to_owned(),
                        }
                    }));
                }
            }
            breakdowns.push((*dimension, groups.into_values().collect()));
        }
        Ok(StatsReport { total, breakdowns })
    }

    /// Decided sanction measures (decided, not superseded, approved or amended) decided in the
    /// period, by track, in total and per unit (the unit sanctioned, or the unit of the person
    /// sanctioned; `none` for a person without a unit).
    ///
    /// # Errors
    /// [`RepositoryError::Unavailable`].
    async fn sanctions(
        &self,
        q: &StatsQuery,
    ) -> Result<(SanctionCounts, BTreeMap<String, SanctionCounts>), RepositoryError> {
        let stmt = Query::select()
            .expr_as(
                Expr::cust("COALESCE(s.subject_unit_id, u.unit_id)"),
                Alias::new("unit"),
            )
            .expr_as(col("m", "track"), Alias::new("track"))
            .expr_as(Expr::cust("COUNT(*)"), Alias::new("n"))
            .from_as(Alias::new("sanction_measures"), Alias::new("m"))
            .join_as(
                JoinType::InnerJoin,
                Alias::new("sanctions"),
                Alias::new("s"),
                Expr::cust("s.id = m.sanction_id"),
            )
            .join_as(
                JoinType::LeftJoin,
                Alias::new("users"),
                Alias::new("u"),
                Expr::cust("u.id = s.subject_user_id"),
            )
            .and_where(Expr::cust("m.phase = 'decided'"))
            .and_where(Expr::cust("s.status = 'decided'"))
            .and_where(Expr::cust("s.decision_outcome IN ('approve', 'amend')"))
            .and_where(col("s", "decided_at").gte(q.from))
            .and_where(col("s", "decided_at").lt(q.to))
            .add_group_by([
                Expr::cust("COALESCE(s.subject_unit_id, u.unit_id)"),
                col("m", "track"),
            ])
            .to_owned();
        let mut total = SanctionCounts::default();
        let mut by_unit: BTreeMap<String, SanctionCounts> = BTreeMap::new();
        for row in self.all(&stmt).await? {
            let unit: Option<Uuid> = get(&row, "unit")?;
            let track: String = get(&row, "track")?;
            let n: i64 = get(&row, "n")?;
            let unit = unit.map_or_else(|| "none".to_owned(), |u| u.to_string());
            for counts in [&mut total, by_unit.entry(unit).or_default()] {
                match track.as_str() {
                    "soft" => counts.soft += n,
                    "organisational" => counts.organisational += n,
                    "administrative" => counts.administrative += n,
                    "party" => counts.party += n,
                    _ => {}
                }
            }
        }
        Ok((total, by_unit))
    }

    async fn all(&self, stmt: &SelectStatement) -> Result<Vec<QueryResult>, RepositoryError> {
        self.db.query_all(stmt).await.map_err(unavailable)
    }

    /// `FROM complaints c WHERE c.received_at IN [from, to)`.
    fn cohort(q: &StatsQuery) -> SelectStatement {
        Query::select()
            .from_as(Alias::new("complaints"), Alias::new(C))
            .and_where(col(C, "received_at").gte(q.from))
            .and_where(col(C, "received_at").lt(q.to))
            .to_owned()
    }

    /// Selects and groups by the fine key, with `unit` taken from `unit_table.unit_column`.
    fn fine_grouped(stmt: &mut SelectStatement, unit: Expr) {
        stmt.expr_as(col(C, "channel"), Alias::new("k_channel"))
            .expr_as(col(C, "complaint_type"), Alias::new("k_type"))
            .expr_as(col(C, "matter"), Alias::new("k_matter"))
            .expr_as(unit.clone(), Alias::new("k_unit"))
            .add_group_by([
                col(C, "channel"),
                col(C, "complaint_type"),
                col(C, "matter"),
                unit,
            ]);
    }

    fn fine_key(row: &QueryResult) -> Result<FineKey, RepositoryError> {
        Ok(FineKey {
            channel: get(row, "k_channel")?,
            complaint_type: get(row, "k_type")?,
            matter: get(row, "k_matter")?,
            unit: get(row, "k_unit")?,
        })
    }

    async fn complaint_counts(
        &self,
        q: &StatsQuery,
        fine: &mut BTreeMap<FineKey, Counts>,
    ) -> Result<(), RepositoryError> {
        let mut stmt = Self::cohort(q);
        Self::fine_grouped(&mut stmt, col(C, "respondent_unit_id"));
        stmt.expr_as(Expr::cust("COUNT(*)"), Alias::new("received"))
            .expr_as(
                sum_if("c.screening_outcome = 'accepted'"),
                Alias::new("accepted"),
            )
            .expr_as(sum_if("c.status = 'closed'"), Alias::new("closed"))
            .expr_as(
                sum_if(
                    "c.status = 'closed' AND NOT EXISTS (SELECT 1 FROM time_limits t \
                     WHERE t.complaint_id = c.id AND t.kind = 'reply' AND t.met_on_time = FALSE)",
                ),
                Alias::new("closed_on_time"),
            )
            .expr_as(
                sum_if("EXISTS (SELECT 1 FROM supervision_orders o WHERE o.complaint_id = c.id)"),
                Alias::new("with_orders"),
            )
            .expr_as(
                sum_if(
                    "EXISTS (SELECT 1 FROM supervision_orders o \
                     WHERE o.complaint_id = c.id AND o.round > 1)",
                ),
                Alias::new("resupervised"),
            )
            .expr_as(
                sum_if("c.status = 'closed' AND c.last_return_visit IS NOT NULL"),
                Alias::new("visited"),
            )
            .expr_as(
                sum_if(
                    "c.status = 'closed' AND c.last_return_visit IN \
                     ('satisfied', 'basically_satisfied', 'dissatisfied')",
                ),
                Alias::new("reached"),
            )
            .expr_as(
                sum_if(
                    "c.status = 'closed' AND c.last_return_visit IN \
                     ('satisfied', 'basically_satisfied')",
                ),
                Alias::new("satisfied"),
            );
        for row in self.all(&stmt).await? {
            let counts = fine.entry(Self::fine_key(&row)?).or_default();
            counts.received += get::<i64>(&row, "received")?;
            counts.accepted += sum(&row, "accepted")?;
            counts.closed += sum(&row, "closed")?;
            counts.closed_on_time += sum(&row, "closed_on_time")?;
            counts.complaints_with_orders += sum(&row, "with_orders")?;
            counts.complaints_resupervised += sum(&row, "resupervised")?;
            counts.visited += sum(&row, "visited")?;
            counts.visited_reached += sum(&row, "reached")?;
            counts.satisfied += sum(&row, "satisfied")?;
        }
        Ok(())
    }

    async fn order_counts(
        &self,
        q: &StatsQuery,
        fine: &mut BTreeMap<FineKey, Counts>,
    ) -> Result<(), RepositoryError> {
        let mut stmt = Self::cohort(q);
        stmt.join_as(
            JoinType::InnerJoin,
            Alias::new("supervision_orders"),
            Alias::new("o"),
            Expr::cust("o.complaint_id = c.id"),
        );
        Self::fine_grouped(&mut stmt, col("o", "unit_id"));
        stmt.expr_as(Expr::cust("COUNT(*)"), Alias::new("issued"))
            .expr_as(sum_if("o.returned_at IS NOT NULL"), Alias::new("returned"))
            .expr_as(sum_if("o.round > 1"), Alias::new("resupervision"));
        for row in self.all(&stmt).await? {
            let counts = fine.entry(Self::fine_key(&row)?).or_default();
            counts.orders_issued += get::<i64>(&row, "issued")?;
            counts.orders_returned += sum(&row, "returned")?;
            counts.resupervision_orders += sum(&row, "resupervision")?;
        }
        Ok(())
    }

    async fn extension_counts(
        &self,
        q: &StatsQuery,
        fine: &mut BTreeMap<FineKey, Counts>,
    ) -> Result<(), RepositoryError> {
        let mut stmt = Self::cohort(q);
        stmt.join_as(
            JoinType::InnerJoin,
            Alias::new("supervision_orders"),
            Alias::new("o"),
            Expr::cust("o.complaint_id = c.id"),
        )
        .join_as(
            JoinType::InnerJoin,
            Alias::new("extension_requests"),
            Alias::new("e"),
            Expr::cust("e.order_id = o.id"),
        );
        Self::fine_grouped(&mut stmt, col("o", "unit_id"));
        stmt.expr_as(Expr::cust("COUNT(*)"), Alias::new("requested"))
            .expr_as(sum_if("e.decision = 'granted'"), Alias::new("granted"));
        for row in self.all(&stmt).await? {
            let counts = fine.entry(Self::fine_key(&row)?).or_default();
            counts.extensions_requested += get::<i64>(&row, "requested")?;
            counts.extensions_granted += sum(&row, "granted")?;
        }
        Ok(())
    }

    async fn limit_counts(
        &self,
        q: &StatsQuery,
        fine: &mut BTreeMap<FineKey, Counts>,
    ) -> Result<(), RepositoryError> {
        let mut stmt = Self::cohort(q);
        stmt.join_as(
            JoinType::InnerJoin,
            Alias::new("time_limits"),
            Alias::new("t"),
            Expr::cust("t.complaint_id = c.id"),
        );
        Self::fine_grouped(&mut stmt, col("t", "unit_id"));
        stmt.expr_as(Expr::cust("COUNT(*)"), Alias::new("limits"))
            .expr_as(
                Expr::from(Func::sum(
                    Expr::case(
                        Expr::cust("t.met_on_time = FALSE")
                            .or(Expr::cust("t.stopped_at IS NULL")
                                .and(col("t", "due_at").lte(q.now))),
                        1,
                    )
                    .finally(0),
                )),
                Alias::new("overdue"),
            )
            .expr_as(
                sum_if("t.warning_level IN ('yellow', 'red') OR t.met_on_time = FALSE"),
                Alias::new("yellow"),
            )
            .expr_as(sum_if("t.warning_level = 'red'"), Alias::new("red"));
        for row in self.all(&stmt).await? {
            let counts = fine.entry(Self::fine_key(&row)?).or_default();
            counts.limits += get::<i64>(&row, "limits")?;
            counts.overdue += sum(&row, "overdue")?;
            counts.yellow += sum(&row, "yellow")?;
            counts.red += sum(&row, "red")?;
        }
        Ok(())
    }

    /// The dimension's key column (complaint level), or a constant for the total.
    fn dimension_expr(dimension: Option<Dimension>) -> Expr {
        match dimension {
            None => Expr::cust("'all'"),
            Some(Dimension::Channel) => col(C, "channel"),
            Some(Dimension::Type) => col(C, "complaint_type"),
            Some(Dimension::Matter) => col(C, "matter"),
            Some(Dimension::Unit) => col(C, "respondent_unit_id"),
        }
    }

    fn dimension_key(
        row: &QueryResult,
        dimension: Option<Dimension>,
    ) -> Result<String, RepositoryError> {
        Ok(match dimension {
            None => "all".to_owned(),
            Some(Dimension::Type) => type_key(get::<Option<String>>(row, "k")?.as_deref()),
            Some(Dimension::Unit) => unit_key(get::<Option<Uuid>>(row, "k")?),
            Some(_) => get::<String>(row, "k")?,
        })
    }

    /// Total working days from registration to closing of the closed complaints, per group.
    async fn working_days(
        &self,
        q: &StatsQuery,
        dimension: Option<Dimension>,
        calendar: &WorkingCalendar,
    ) -> Result<BTreeMap<String, i64>, RepositoryError> {
        let backend = self.db.get_database_backend();
        let mut per_group: BTreeMap<String, (DatedCounts, DatedCounts)> = BTreeMap::new();
        for (column, is_end) in [("registered_at", false), ("closed_at", true)] {
            let day = local_date_sql(backend, column, q);
            let mut stmt = Self::cohort(q);
            stmt.and_where(Expr::cust("c.status = 'closed'"))
                .and_where(Expr::cust("c.closed_at IS NOT NULL"))
                .expr_as(Self::dimension_expr(dimension), Alias::new("k"))
                .expr_as(Expr::cust(day.clone()), Alias::new("day"))
                .expr_as(Expr::cust("COUNT(*)"), Alias::new("n"));
            if dimension.is_some() {
                stmt.add_group_by([Self::dimension_expr(dimension)]);
            }
            stmt.add_group_by([Expr::cust(day)]);
            for row in self.all(&stmt).await? {
                let key = Self::dimension_key(&row, dimension)?;
                let date = row_date(&row, backend)?;
                let n: i64 = get(&row, "n")?;
                let entry = per_group.entry(key).or_default();
                if is_end {
                    entry.1.push((date, n));
                } else {
                    entry.0.push((date, n));
                }
            }
        }
        Ok(per_group
            .into_iter()
            .map(|(k, (starts, ends))| (k, total_working_days(calendar, &starts, &ends)))
            .collect())
    }

    /// Respondent staff with two or more sustained (closed) complaints, counted per group.
    async fn staff_repeated(
        &self,
        q: &StatsQuery,
        dimension: Option<Dimension>,
    ) -> Result<BTreeMap<String, i64>, RepositoryError> {
        let mut inner = Self::cohort(q);
        inner
            .expr_as(Self::dimension_expr(dimension), Alias::new("k"))
            .expr_as(col(C, "respondent_staff_id"), Alias::new("staff"))
            .and_where(Expr::cust("c.status = 'closed'"))
            .and_where(Expr::cust("c.finding = 'sustained'"))
            .and_where(Expr::cust("c.respondent_staff_id IS NOT NULL"));
        if dimension.is_some() {
            inner.add_group_by([Self::dimension_expr(dimension)]);
        }
        inner
            .add_group_by([col(C, "respondent_staff_id")])
            .and_having(Expr::cust("COUNT(*) >= 2"));
        let stmt = Query::select()
            .expr_as(Expr::cust("s.k"), Alias::new("k"))
            .expr_as(Expr::cust("COUNT(*)"), Alias::new("n"))
            .from_subquery(inner, Alias::new("s"))
            .add_group_by([Expr::cust("s.k")])
            .to_owned();
        let mut out = BTreeMap::new();
        for row in self.all(&stmt).await? {
            out.insert(
                Self::dimension_key(&row, dimension)?,
                get::<i64>(&row, "n")?,
            );
        }
        Ok(out)
    }

    async fn unit_names(&self) -> Result<BTreeMap<String, String>, RepositoryError> {
        let stmt = Query::select()
            .column(Alias::new("id"))
            .column(Alias::new("name"))
            .from(Alias::new("units"))
            .to_owned();
        let mut out = BTreeMap::new();
        for row in self.all(&stmt).await? {
            out.insert(
                get::<Uuid>(&row, "id")?.to_string(),
                get::<String>(&row, "name")?,
            );
        }
        Ok(out)
    }
}

fn get<T: sea_orm::TryGetable>(row: &QueryResult, column: &str) -> Result<T, RepositoryError> {
    row.try_get::<T>("", column).map_err(unavailable)
}

fn sum(row: &QueryResult, column: &str) -> Result<i64, RepositoryError> {
    Ok(get::<Option<i64>>(row, column)?.unwrap_or_default())
}

fn row_date(row: &QueryResult, backend: DatabaseBackend) -> Result<NaiveDate, RepositoryError> {
    match backend {
        DatabaseBackend::Postgres => get::<NaiveDate>(row, "day"),
        _ => {
            let text: String = get(row, "day")?;
            NaiveDate::parse_from_str(&text, "%Y-%m-%d")
                .map_err(|e| RepositoryError::Unavailable(format!("bad local date {text}: {e}")))
        }
    }
}

/// SQL for the local date (in `q.tz`) of `c.<column>`.
///
/// PostgreSQL converts with the zone's name. SQLite has no zones: it shifts by the zone's UTC
/// offset, with a `CASE` switching offsets at each transition between the start of the period
/// and now (none for Asia/Shanghai). Every piece is generated here, none comes from a request.
fn local_date_sql(backend: DatabaseBackend, column: &str, q: &StatsQuery) -> String {
    let name = q.tz.name();
    let safe = name
        .chars()
        .all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '/' | '_' | '-' | '+'));
    match backend {
        DatabaseBackend::Postgres if safe => {
            format!("CAST((c.{column} AT TIME ZONE '{name}') AS DATE)")
        }
        DatabaseBackend::Postgres => format!("CAST((c.{column} AT TIME ZONE 'UTC') AS DATE)"),
        _ => {
            let start = q.from - Duration::days(2);
            let end = Ord::max(q.to, q.now) + Duration::days(2);
            let offsets = offset_segments(q.tz, start, end);
            let modifier = |minutes: i32| format!("'{minutes:+} minutes'");
            let mut iter = offsets.iter();
            let Some((_, first)) = iter.next() else {
                return format!("date(c.{column})");
            };
            if offsets.len() == 1 {
                return format!("date(c.{column}, {})", modifier(*first));
            }
            let mut case = String::from("CASE");
            let mut current = *first;
            for (at, minutes) in iter {
                let at = at.to_rfc3339_opts(SecondsFormat::AutoSi, false);
                case.push_str(&format!(
                    " WHEN c.{column} < '{at}' THEN {}",
                    modifier(current)
                ));
                current = *minutes;
            }
            case.push_str(&format!(" ELSE {} END", modifier(current)));
            format!("date(c.{column}, {case})")
        }
    }
}

/// The UTC offsets (minutes) of `tz` from `start` to `end`: the first applies from `start`,
/// each later one from its instant (found to the hour, which is where zones switch). Zones do
/// not switch twice within a week, so the offset is looked at once a week and each switch is
/// then found by bisection: a period starting centuries back costs milliseconds, not seconds.
fn offset_segments(tz: Tz, start: DateTime<Utc>, end: DateTime<Utc>) -> Vec<(DateTime<Utc>, i32)> {
    const WEEK_HOURS: i64 = 24 * 7;
    let offset = |at: DateTime<Utc>| {
        tz.offset_from_utc_datetime(&at.naive_utc())
            .fix()
            .local_minus_utc()
            / 60
    };
    let mut out = vec![(start, offset(start))];
    let mut at = start;
    while at < end {
        let current = out.last().map_or(0, |(_, minutes)| *minutes);
        let week_later = at + Duration::hours(WEEK_HOURS);
        if offset(week_later) == current {
            at = week_later;
            continue;
        }
        // offset(at + lo h) is `current`, offset(at + hi h) is not.
        let (mut lo, mut hi) = (0, WEEK_HOURS);
        while hi - lo > 1 {
            let mid = (lo + hi) / 2;
            if offset(at + Duration::hours(mid)) == current {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        at += Duration::hours(hi);
        out.push((at, offset(at)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shanghai_has_one_offset_and_berlin_switches_twice_a_year() {
        let start = Utc
            .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
            .single()
            .unwrap_or_default();
        let end = Utc
            .with_ymd_and_hms(2027, 1, 1, 0, 0, 0)
            .single()
            .unwrap_or_default();
        assert_eq!(
            offset_segments(chrono_tz::Asia::Shanghai, start, end),
            vec![(start, 480)]
        );
        let berlin = offset_segments(chrono_tz::Europe::Berlin, start, end);
        let utc = |m, d, h| {
            Utc.with_ymd_and_hms(2026, m, d, h, 0, 0)
                .single()
                .unwrap_or_default()
        };
        assert_eq!(
            berlin,
            vec![(start, 60), (utc(3, 29, 1), 120), (utc(10, 25, 1), 60)]
        );
    }

    #[test]
    fn a_period_centuries_back_finds_every_switch_of_the_zone() {
        let start = Utc
            .with_ymd_and_hms(32, 11, 17, 0, 0, 0)
            .single()
            .unwrap_or_default();
        let end = Utc
            .with_ymd_and_hms(2027, 1, 1, 0, 0, 0)
            .single()
            .unwrap_or_default();
        let shanghai = offset_segments(chrono_tz::Asia::Shanghai, start, end);
        // Local mean time (+8:05:43, to the minute +485), then +8 from 1901, with the summer
        // times of the 1940s and of 1986 to 1991 in between.
        assert_eq!(shanghai.first().map(|x| x.1), Some(485));
        assert_eq!(shanghai.last().map(|x| x.1), Some(480));
        let summer_1991 = shanghai
            .iter()
            .filter(|(at, minutes)| chrono::Datelike::year(at) == 1991 && *minutes == 540)
            .count();
        assert_eq!(summer_1991, 1, "{shanghai:?}");
        assert!(
            shanghai
                .windows(2)
                .all(|w| w[0].0 < w[1].0 && w[0].1 != w[1].1)
        );
    }
}
