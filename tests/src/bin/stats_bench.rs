//! Benchmark of the statistics (not part of CI): generates 100,000 complaints with their
//! orders, extension requests and time limits by bulk `INSERT` (not through HTTP), then times
//! the summary and unit statistics (`duban_infra::stats::StatsStore::report`, what
//! `GET /api/v1/stats/summary` and `/units` run). Prints one Markdown table row per database.
//!
//! Usage: `stats_bench <database-url> [complaints]`. The database must be empty (a fresh
//! SQLite file, or a throwaway PostgreSQL database such as `duban_bench`); see
//! `bench/stats.sh`.

use std::time::Instant;

use chrono::{DateTime, Duration, TimeZone, Utc};
use duban_infra::calendar::SeaCalendarStore;
use duban_infra::db;
use duban_infra::stats::{Dimension, StatsQuery, StatsStore};
use sea_orm::sea_query::{Alias, InsertStatement, Query, SimpleExpr};
use sea_orm::{ConnectionTrait, DatabaseConnection, TransactionTrait};
use uuid::Uuid;

type R<T> = Result<T, Box<dyn std::error::Error>>;

const CHANNELS: &[&str] = &["walk_in", "phone", "web", "letter"];
const MATTERS: &[&str] = &[
    "attitude",
    "efficiency",
    "procedure",
    "fees",
    "outcome",
    "other",
];
const UNITS: usize = 40;
const STAFF: usize = 400;
const BATCH: usize = 500;

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n as u64).unwrap_or(0)
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// Rows of one table, flushed as multi-row `INSERT`s.
struct Table {
    name: &'static str,
    columns: Vec<&'static str>,
    rows: Vec<Vec<SimpleExpr>>,
    written: usize,
}

impl Table {
    fn new(name: &'static str, columns: &[&'static str]) -> Self {
        Self {
            name,
            columns: columns.to_vec(),
            rows: Vec::new(),
            written: 0,
        }
    }

    async fn push(&mut self, conn: &impl ConnectionTrait, row: Vec<SimpleExpr>) -> R<()> {
        self.rows.push(row);
        if self.rows.len() >= BATCH && matches!(self.name, "units" | "users") {
            self.flush(conn).await?;
        }
        Ok(())
    }

    async fn flush(&mut self, conn: &impl ConnectionTrait) -> R<()> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let mut insert: InsertStatement = Query::insert();
        insert
            .into_table(Alias::new(self.name))
            .columns(self.columns.iter().map(|c| Alias::new(*c)));
        for row in self.rows.drain(..) {
            self.written += 1;
            insert.values(row)?;
        }
        conn.execute(&insert).await?;
        Ok(())
    }
}

fn n(x: impl TryInto<i64>) -> i64 {
    x.try_into().unwrap_or(0)
}

fn v<T: Into<sea_orm::Value>>(value: T) -> SimpleExpr {
    SimpleExpr::Value(value.into())
}

fn null_uuid() -> SimpleExpr {
    v(Option::<Uuid>::None)
}

#[allow(clippy::too_many_lines)]
async fn generate(db: &DatabaseConnection, complaints: usize) -> R<(usize, usize, usize, usize)> {
    let start_of_year = Utc
        .with_ymd_and_hms(2025, 12, 31, 16, 0, 0)
        .single()
        .ok_or("bad date")?;
    let now = Utc::now();
    let span_minutes = (now - start_of_year).num_minutes().max(1);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let txn = db.begin().await?;

    let mut units_t = Table::new(
        "units",
        &[
            "id",
            "name",
            "kind",
            "parent_id",
            "active",
            "version",
            "created_at",
            "updated_at",
        ],
    );
    let agency = Uuid::now_v7();
    units_t
        .push(
            &txn,
            vec![
                v(agency),
                v("Agency"),
                v("agency"),
                null_uuid(),
                v(true),
                v(1_i64),
                v(now),
                v(now),
            ],
        )
        .await?;
    let mut units = Vec::new();
    for i in 0..UNITS {
        let id = Uuid::now_v7();
        units.push(id);
        units_t
            .push(
                &txn,
                vec![
                    v(id),
                    v(format!("Section {i}")),
                    v("section"),
                    v(agency),
                    v(true),
                    v(1_i64),
                    v(now),
                    v(now),
                ],
            )
            .await?;
    }
    units_t.flush(&txn).await?;

    let mut users_t = Table::new(
        "users",
        &[
            "id",
            "username",
            "display_name",
            "role",
            "unit_id",
            "party_member",
            "active",
            "password_hash",
            "version",
            "created_at",
            "updated_at",
        ],
    );
    let intake = Uuid::now_v7();
    users_t
        .push(
            &txn,
            vec![
                v(intake),
                v("bench.intake"),
                v("Intake"),
                v("intake"),
                null_uuid(),
                v(false),
                v(true),
                v("x"),
                v(1_i64),
                v(now),
                v(now),
            ],
        )
        .await?;
    let mut staff = Vec::new();
    for i in 0..STAFF {
        let id = Uuid::now_v7();
        let unit = units[i % UNITS];
        staff.push((id, unit));
        users_t
            .push(
                &txn,
                vec![
                    v(id),
                    v(format!("bench.staff{i}")),
                    v(format!("Staff {i}")),
                    v("unit_handler"),
                    v(unit),
                    v(false),
                    v(true),
                    v("x"),
                    v(1_i64),
                    v(now),
                    v(now),
                ],
            )
            .await?;
    }
    users_t.flush(&txn).await?;

    let mut complaints_t = Table::new(
        "complaints",
        &[
            "id",
            "number",
            "channel",
            "respondent_unit_id",
            "respondent_staff_id",
            "matter",
            "account",
            "anonymous",
            "received_at",
            "registered_at",
            "first_handler_id",
            "status",
            "complaint_type",
            "screening_outcome",
            "screened_at",
            "finding",
            "closed_at",
            "last_return_visit",
            "reopen_count",
            "version",
            "updated_at",
        ],
    );
    let mut orders_t = Table::new(
        "supervision_orders",
        &[
            "id",
            "complaint_id",
            "round",
            "unit_id",
            "opinion",
            "status",
            "issued_at",
            "issued_by",
            "reply_working_days",
            "returned_at",
            "replied_at",
            "complainant_to_be_told_new_date",
            "version",
            "updated_at",
        ],
    );
    let mut extensions_t = Table::new(
        "extension_requests",
        &[
            "id",
            "order_id",
            "working_days",
            "reason",
            "requested_at",
            "requested_by",
            "decision",
        ],
    );
    let mut limits_t = Table::new(
        "time_limits",
        &[
            "id",
            "complaint_id",
            "order_id",
            "kind",
            "unit_id",
            "started_at",
            "working_days",
            "extension_days",
            "due_at",
            "provisional",
            "warning_level",
            "stopped_at",
            "met_on_time",
            "version",
        ],
    );
    for seq in 0..complaints {
        let id = Uuid::now_v7();
        let received =
            start_of_year + Duration::minutes(n(rng.next() % span_minutes.unsigned_abs()));
        let registered = received + Duration::minutes(n(rng.below(120)));
        let (staff_id, unit) = if rng.chance(50) {
            let (s, u) = staff[rng.below(STAFF)];
            (Some(s), u)
        } else {
            (None, units[rng.below(UNITS)])
        };
        let screened = registered + Duration::hours(n(rng.below(40)));
        let accepted = rng.chance(85) && screened < now;
        let outcome = if screened >= now {
            None
        } else if accepted {
            Some("accepted")
        } else {
            Some(["out_of_scope", "invalid", "withdrawn"][rng.below(3)])
        };
        let ctype = accepted.then(|| ["on_site", "case_filed", "feedback"][rng.below(3)]);
        let case = ctype == Some("case_filed");
        let closed_at = registered + Duration::days(n(3 + rng.below(25)));
        let closed = accepted && closed_at < now && rng.chance(80);
        let status = match (outcome, closed) {
            (None, _) => "awaiting_screening",
            (Some("accepted"), true) => "closed",
            (Some("accepted"), false) if ctype.is_some() => "in_handling",
            (Some("accepted"), false) => "awaiting_classification",
            (Some(other), _) => other,
        };
        let finding =
            closed.then(|| ["sustained", "not_sustained", "exonerated", "unfounded"][rng.below(4)]);
        let visit = (closed && rng.chance(70)).then(|| {
            [
                "satisfied",
                "basically_satisfied",
                "dissatisfied",
                "unreachable",
            ][rng.below(4)]
        });
        complaints_t
            .push(
                &txn,
                vec![
                    v(id),
                    v(format!("B{seq:08}")),
                    v(CHANNELS[rng.below(CHANNELS.len())]),
                    v(unit),
                    v(staff_id),
                    v(MATTERS[rng.below(MATTERS.len())]),
                    v("generated"),
                    v(false),
                    v(received),
                    v(registered),
                    v(intake),
                    v(status),
                    v(ctype),
                    v(outcome),
                    v(outcome.map(|_| screened)),
                    v(finding),
                    v(closed.then_some(closed_at)),
                    v(visit),
                    v(0_i32),
                    v(1_i64),
                    v(now),
                ],
            )
            .await?;
        let screening_due = received + Duration::days(1);
        limits_t
            .push(
                &txn,
                vec![
                    v(Uuid::now_v7()),
                    v(id),
                    null_uuid(),
                    v("screening"),
                    null_uuid(),
                    v(received),
                    v(1_i32),
                    v(0_i32),
                    v(screening_due),
                    v(false),
                    v(if outcome.is_none() { "red" } else { "none" }),
                    v(outcome.map(|_| screened)),
                    v(outcome.map(|_| screened < screening_due)),
                    v(1_i64),
                ],
            )
            .await?;
        if limits_t.rows.len() >= BATCH {
            for t in [
                &mut complaints_t,
                &mut orders_t,
                &mut extensions_t,
                &mut limits_t,
            ] {
                t.flush(&txn).await?;
            }
        }
        if !case {
            continue;
        }
        let rounds = if rng.chance(10) { 2 } else { 1 };
        for round in 1..=rounds {
            let order = Uuid::now_v7();
            let issued = screened + Duration::hours(n(round * 24));
            let returned = round == 1 && rng.chance(5);
            let replied =
                (closed || round < rounds).then(|| issued + Duration::days(n(1 + rng.below(8))));
            let order_status = match (returned, replied) {
                (true, _) => "cancelled",
                (false, Some(_)) if round < rounds => "rejected",
                (false, Some(_)) => "accepted",
                (false, None) => "signed",
            };
            orders_t
                .push(
                    &txn,
                    vec![
                        v(order),
                        v(id),
                        v(round),
                        v(unit),
                        v("generated"),
                        v(order_status),
                        v(issued),
                        v(intake),
                        v(5_i32),
                        v(returned.then_some(issued + Duration::hours(5))),
                        v(replied),
                        v(false),
                        v(1_i64),
                        v(now),
                    ],
                )
                .await?;
            if rng.chance(10) {
                extensions_t
                    .push(
                        &txn,
                        vec![
                            v(Uuid::now_v7()),
                            v(order),
                            v(2_i32),
                            v("generated"),
                            v(issued + Duration::days(2)),
                            v(intake),
                            v(["granted", "refused"][rng.below(2)]),
                        ],
                    )
                    .await?;
            }
            let due = issued + Duration::days(7);
            let late = replied.is_some_and(|r| r >= due);
            let level = match (replied, late) {
                (None, _) if now > due + Duration::days(7) => "red",
                (None, _) if now > due => "yellow",
                (Some(_), true) => "yellow",
                _ => "none",
            };
            for (kind, stop, on_time, lvl) in [
                (
                    "sign_for",
                    Some(issued + Duration::hours(3)),
                    Some(true),
                    "none",
                ),
                ("reply", replied, replied.map(|_| !late), level),
            ] {
                limits_t
                    .push(
                        &txn,
                        vec![
                            v(Uuid::now_v7()),
                            v(id),
                            v(order),
                            v(kind),
                            v(unit),
                            v(issued),
                            v(5_i32),
                            v(0_i32),
                            v(due),
                            v(false),
                            v(lvl),
                            v(stop),
                            v(on_time),
                            v(1_i64),
                        ],
                    )
                    .await?;
            }
        }
    }
    for t in [
        &mut complaints_t,
        &mut orders_t,
        &mut extensions_t,
        &mut limits_t,
    ] {
        t.flush(&txn).await?;
    }
    txn.commit().await?;
    Ok((
        complaints_t.written,
        orders_t.written,
        extensions_t.written,
        limits_t.written,
    ))
}

async fn time(store: &StatsStore, query: &StatsQuery, runs: usize) -> R<(f64, f64)> {
    let mut times = Vec::new();
    for _ in 0..runs {
        let started = Instant::now();
        let report = store.report(query).await?;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        if report.total.counts.received == 0 {
            return Err("nothing counted".into());
        }
    }
    times.sort_by(f64::total_cmp);
    Ok((times[0], times[times.len() / 2]))
}

#[tokio::main]
async fn main() -> R<()> {
    let mut args = std::env::args().skip(1);
    let url = args
        .next()
        .ok_or("usage: stats_bench <database-url> [complaints]")?;
    let complaints: usize = args.next().map_or(Ok(100_000), |n| n.parse())?;
    let db = db::connect(&url, 4, None).await?;
    db::migrate(&db).await?;
    SeaCalendarStore::new(db.clone())
        .seed_bundled(Utc::now())
        .await
        .map_err(|e| e.to_string())?;
    let started = Instant::now();
    let (c, o, e, l) = generate(&db, complaints).await?;
    let generation = started.elapsed().as_secs_f64();
    if url.starts_with("postgres") {
        db.execute_unprepared("ANALYZE").await?;
    }
    let store = StatsStore::new(db.clone());
    let tz = duban_infra::config::Settings::default().tz()?;
    let year = |y: i32| -> R<DateTime<Utc>> {
        Ok(tz
            .with_ymd_and_hms(y, 1, 1, 0, 0, 0)
            .single()
            .map(|t| t.with_timezone(&Utc))
            .ok_or("bad year")?)
    };
    let query = |dimensions| -> R<StatsQuery> {
        Ok(StatsQuery {
            from: year(2026)?,
            to: year(2027)?,
            now: Utc::now(),
            tz,
            dimensions,
        })
    };
    let summary = time(
        &store,
        &query(vec![Dimension::Channel, Dimension::Type, Dimension::Matter])?,
        5,
    )
    .await?;
    let units = time(&store, &query(vec![Dimension::Unit])?, 5).await?;
    let backend = if url.starts_with("postgres") {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    println!(
        "| {backend} | {c} complaints, {o} orders, {e} extension requests, {l} time limits | {generation:.1} s | {:.0} ms / {:.0} ms | {:.0} ms / {:.0} ms |",
        summary.0, summary.1, units.0, units.1
    );
    Ok(())
}
