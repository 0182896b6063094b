//! Time limits (限时办结): the screening limit through the running service, and the storage
//! functions at pinned dates the clock of a black-box test cannot reach (a fresh database each,
//! opened beside the server's). Deadlines "24:00 of day D" are written as 00:00 of D + 1.

use chrono::{DateTime, NaiveDate, Utc};
use duban_domain::calendar::{
    CalendarDayEntry, CalendarSource, DEFAULT_TIME_ZONE, WarningLevel, WorkingCalendar,
    YearCalendar,
};
use duban_domain::ids::{ComplaintId, UnitId, UserId};
use duban_domain::limits::{LimitKind, LimitView};
use duban_infra::DatabaseConnection;
use duban_infra::calendar::SeaCalendarStore;
use duban_infra::time_limits::{self, NewTimeLimit};
use reqwest::Method;
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Query};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::complaints_support::{Desk, id_of, instant, items, screening, walk_in};

fn at(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339)
        .unwrap_or_else(|e| panic!("{rfc3339}: {e}"))
        .to_utc()
}

/// A walk-in registration received at `received_at`.
fn received(unit: &str, received_at: &str) -> Value {
    let mut body = walk_in(unit, "the clerk was rude");
    body["received_at"] = json!(received_at);
    body
}

fn limits(complaint: &Value) -> Vec<Value> {
    complaint["time_limits"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

async fn read(desk: &Desk, id: &str) -> Value {
    let reply = desk
        .app
        .get(&format!("/api/v1/complaints/{id}"), &desk.intake)
        .await;
    assert_eq!(reply.status, 200, "{:#}", reply.body);
    reply.body
}

#[tokio::test]
async fn registering_starts_the_screening_limit_counted_from_receipt() {
    let desk = Desk::open().await;
    // Received Fri 2026-02-13; day 1 is Sat 02-14, a make-up working day: due 24:00 02-14.
    let created = desk
        .registered(received(&desk.unit, "2026-02-13T10:00:00+08:00"))
        .await;
    let id = id_of(&created);
    let stored = read(&desk, &id).await;
    let mut created = created;
    if let Some(fields) = created.as_object_mut() {
        assert_eq!(fields.remove("possible_repeats"), Some(json!([])));
    }
    assert_eq!(created, stored);
    let [limit] = &limits(&stored)[..] else {
        panic!("one limit expected: {stored:#}");
    };
    assert_eq!(limit["kind"], "screening");
    assert_eq!(instant(&limit["due_at"]), at("2026-02-15T00:00:00+08:00"));
    assert_eq!(
        instant(&limit["started_at"]),
        at("2026-02-13T10:00:00+08:00")
    );
    assert_eq!(limit["working_days"], 1);
    assert_eq!(limit["extension_days"], 0);
    assert_eq!(limit["provisional"], false);
    assert_eq!(limit["warning_level"], "none");
    assert_eq!(limit.get("stopped_at"), None);
    assert_eq!(limit.get("met_on_time"), None);
    assert_eq!(limit.get("order_id"), None);
    assert_eq!(
        instant(&stored["screening_due_at"]),
        at("2026-02-15T00:00:00+08:00")
    );
    let listed = items(&desk.app.get("/api/v1/complaints", &desk.intake).await.body);
    assert_eq!(
        instant(&listed[0]["screening_due_at"]),
        at("2026-02-15T00:00:00+08:00")
    );
    assert_eq!(listed[0].get("time_limits"), None, "lists stay cheap");

    // Screening now, long after the deadline, stops it late.
    let screened = desk.screen(&id, "accepted").await;
    assert_eq!(screened.status, 200, "{:#}", screened.body);
    let [limit] = &limits(&screened.body)[..] else {
        panic!("one limit expected: {:#}", screened.body);
    };
    assert_eq!(limit["met_on_time"], false);
    assert_eq!(
        instant(&limit["stopped_at"]),
        instant(&screened.body["screening"]["screened_at"])
    );
    assert_eq!(screened.body.get("screening_due_at"), None);
    assert_eq!(read(&desk, &id).await, screened.body);
}

#[tokio::test]
async fn screening_in_time_is_met_on_time() {
    let desk = Desk::open().await;
    let id = desk.walk_in_id("the clerk was rude").await;
    let reply = desk.screen(&id, "invalid").await;
    assert_eq!(reply.status, 200, "{:#}", reply.body);
    let [limit] = &limits(&reply.body)[..] else {
        panic!("one limit expected: {:#}", reply.body);
    };
    assert_eq!(limit["met_on_time"], true);
    assert!(instant(&limit["stopped_at"]) < instant(&limit["due_at"]));
    // Screening again is refused and leaves the limit as it was.
    let again = desk.screen_with(&id, screening("accepted"), None).await;
    assert_eq!(again.status, 409, "{:#}", again.body);
    assert_eq!(&limits(&read(&desk, &id).await)[0], limit);
}

#[tokio::test]
async fn the_screening_limit_is_a_setting() {
    let app = duban_tests::TestApp::spawn_with(|s| s.screening_limit_working_days = 5).await;
    let unit = app.create_unit("Tax Bureau", "agency", None).await;
    let (_, intake) = app.staff("intake1", "intake", None).await;
    let reply = app
        .post(
            "/api/v1/complaints",
            &intake,
            received(&unit, "2026-02-13T10:00:00+08:00"),
        )
        .await;
    assert_eq!(reply.status, 201, "{:#}", reply.body);
    // 02-14 (1, make-up Saturday), 02-15..02-23 off, 02-24 (2), 02-25 (3), 02-26 (4),
    // Fri 02-27 (5): due 24:00 02-27.
    let limit = &limits(&reply.body)[0];
    assert_eq!(instant(&limit["due_at"]), at("2026-02-28T00:00:00+08:00"));
    assert_eq!(limit["working_days"], 5);
}

#[tokio::test]
async fn loading_a_missing_year_settles_provisional_limits() {
    let app = duban_tests::TestApp::spawn_with(|s| s.screening_limit_working_days = 300).await;
    let unit = app.create_unit("Tax Bureau", "agency", None).await;
    let (_, intake) = app.staff("intake1", "intake", None).await;
    let reply = app
        .post(
            "/api/v1/complaints",
            &intake,
            received(&unit, "2026-02-13T10:00:00+08:00"),
        )
        .await;
    assert_eq!(reply.status, 201, "{:#}", reply.body);
    let id = id_of(&reply.body);
    // 2026 has 217 working days after 02-13 (248 in the year less 31 up to 02-13), so day 300
    // is working day 83 of 2027. Without 2027 data, Monday–Friday from Fri 01-01: 01-01 (1),
    // then 16 weeks from Mon 01-04 through Fri 04-23 (81), Mon 04-26 (82), Tue 04-27 (83).
    let limit = &limits(&reply.body)[0];
    assert_eq!(instant(&limit["due_at"]), at("2027-04-28T00:00:00+08:00"));
    assert_eq!(limit["provisional"], true);

    let overview = app.get("/api/v1/calendar", &app.admin).await;
    assert_eq!(
        overview.body["missing_years"],
        json!([{"year": 2027, "provisional_limits": 1}])
    );
    let year = app.get("/api/v1/calendar/2027", &app.admin).await;
    assert_eq!(year.body["provisional_limits"], 1);

    let loaded = app
        .call(
            Method::PUT,
            "/api/v1/calendar/2027",
            Some(&app.admin),
            Some(json!({"days": [{"date": "2027-01-01", "is_off_day": true, "name": "元旦"}]})),
        )
        .await;
    assert_eq!(loaded.status, 200, "{:#}", loaded.body);
    assert_eq!(loaded.body["recomputed_limits"], 1);
    assert_eq!(loaded.body["provisional_limits"], 0);
    // 01-01 is off now: day 83 of 2027 is one working day later, Wed 04-28.
    let complaint = app.get(&format!("/api/v1/complaints/{id}"), &intake).await;
    let limit = &limits(&complaint.body)[0];
    assert_eq!(instant(&limit["due_at"]), at("2027-04-29T00:00:00+08:00"));
    assert_eq!(limit["provisional"], false);
    let overview = app.get("/api/v1/calendar", &app.admin).await;
    assert_eq!(overview.body["missing_years"], json!([]));
}

// ---- The storage functions, inside transactions, at pinned dates. ----

/// A server with one registered complaint, and a connection to its database.
struct Storage {
    desk: Desk,
    db: DatabaseConnection,
    complaint: ComplaintId,
}

impl Storage {
    async fn open() -> Self {
        let desk = Desk::open().await;
        let created = desk
            .registered(received(&desk.unit, "2026-02-13T10:00:00+08:00"))
            .await;
        let complaint = ComplaintId::from_uuid(
            id_of(&created)
                .parse()
                .unwrap_or_else(|e| panic!("complaint id: {e}")),
        );
        let db = desk.app.database().await;
        Self {
            desk,
            db,
            complaint,
        }
    }

    async fn calendar(&self) -> WorkingCalendar {
        SeaCalendarStore::new(self.db.clone())
            .working_calendar()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    }

    fn limit(&self, kind: LimitKind, started_at: &str, working_days: u32) -> NewTimeLimit {
        NewTimeLimit {
            complaint_id: self.complaint,
            order_id: None,
            kind,
            unit_id: None,
            handler_id: Some(UserId::from_uuid(
                self.desk
                    .intake_id
                    .parse()
                    .unwrap_or_else(|e| panic!("{e}")),
            )),
            started_at: at(started_at),
            working_days,
            explicit_due_at: None,
        }
    }

    /// Starts `limit` in a transaction of its own.
    async fn start(&self, limit: NewTimeLimit) -> LimitView {
        let calendar = self.calendar().await;
        let txn = duban_infra::db::begin_write(&self.db)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let started = time_limits::start(&txn, limit, &calendar, DEFAULT_TIME_ZONE)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        txn.commit().await.unwrap_or_else(|e| panic!("{e}"));
        started
    }

    async fn of_kind(&self, kind: LimitKind) -> Vec<LimitView> {
        time_limits::for_complaint(&self.db, self.complaint)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .into_iter()
            .filter(|l| l.kind == kind)
            .collect()
    }

    /// A supervision order row for the complaint (the order use cases are not needed here).
    async fn order(&self) -> Uuid {
        let id = Uuid::now_v7();
        let unit: Uuid = self.desk.unit.parse().unwrap_or_else(|e| panic!("{e}"));
        let issued_at = at("2026-09-30T15:00:00+08:00");
        let insert = Query::insert()
            .into_table(Alias::new("supervision_orders"))
            .columns(
                [
                    "id",
                    "complaint_id",
                    "round",
                    "unit_id",
                    "opinion",
                    "status",
                    "issued_at",
                    "issued_by",
                    "reply_working_days",
                    "complainant_to_be_told_new_date",
                    "version",
                    "updated_at",
                ]
                .map(Alias::new),
            )
            .values([
                id.into(),
                self.complaint.as_uuid().into(),
                1_i32.into(),
                unit.into(),
                "please look into it".into(),
                "signed".into(),
                issued_at.into(),
                Uuid::now_v7().into(),
                5_i32.into(),
                false.into(),
                1_i64.into(),
                issued_at.into(),
            ])
            .unwrap_or_else(|e| panic!("{e}"))
            .to_owned();
        self.db
            .execute(&insert)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        id
    }
}

fn day(date: (i32, u32, u32), is_off_day: bool, name: &str) -> CalendarDayEntry {
    CalendarDayEntry {
        date: NaiveDate::from_ymd_opt(date.0, date.1, date.2).unwrap_or_else(|| panic!("{date:?}")),
        is_off_day,
        name: name.to_owned(),
    }
}

#[tokio::test]
async fn a_limit_from_13_february_2026_ends_on_28_february() {
    let storage = Storage::open().await;
    let limit = storage
        .start(storage.limit(LimitKind::SignFor, "2026-02-13T10:00:00+08:00", 5))
        .await;
    // 02-14 (1, make-up Saturday), 02-15..02-23 off (春节), 02-24 (2), 02-25 (3), 02-26 (4),
    // Fri 02-27 (5): 24:00 02-27.
    assert_eq!(limit.due_at, at("2026-02-28T00:00:00+08:00"));
    assert_eq!(limit.due_at, at("2026-02-27T16:00:00Z"));
    assert!(!limit.provisional);
    assert_eq!(limit.warning_level, WarningLevel::None);
    assert_eq!(storage.of_kind(LimitKind::SignFor).await, [limit]);
}

#[tokio::test]
async fn a_limit_from_christmas_eve_stays_provisional_until_2027_is_loaded() {
    let storage = Storage::open().await;
    let limit = storage
        .start(storage.limit(LimitKind::Reply, "2026-12-24T10:00:00+08:00", 5))
        .await;
    // Fri 12-25 (1), Mon 12-28 (2), 12-29 (3), 12-30 (4), Thu 12-31 (5): 24:00 12-31, but
    // 25–31 December may still be moved by the 2027 notice.
    assert_eq!(limit.due_at, at("2027-01-01T00:00:00+08:00"));
    assert_eq!(limit.due_at, at("2026-12-31T16:00:00Z"));
    assert!(limit.provisional);

    let store = SeaCalendarStore::new(storage.db.clone());
    let overview = store
        .overview(DEFAULT_TIME_ZONE)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(overview.waiting.get(&2027), Some(&1));

    let notice = YearCalendar::new(2027, vec![day((2027, 1, 1), true, "元旦")])
        .unwrap_or_else(|e| panic!("{e}"));
    let recomputed = store
        .replace_year(notice, None, Utc::now(), DEFAULT_TIME_ZONE)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(recomputed, 1);
    // The 2027 notice leaves 25–31 December as they were: the same day, now settled.
    let [recomputed] = &storage.of_kind(LimitKind::Reply).await[..] else {
        panic!("one reply limit expected");
    };
    assert_eq!(recomputed.due_at, at("2027-01-01T00:00:00+08:00"));
    assert!(!recomputed.provisional);

    // A notice that makes 12-31 a day off moves it to the next working day, Mon 2027-01-04
    // (01-01 off, 01-02 and 01-03 a weekend): 24:00 01-04.
    let notice = YearCalendar::new(
        2027,
        vec![
            day((2026, 12, 31), true, "元旦"),
            day((2027, 1, 1), true, "元旦"),
        ],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let recomputed = store
        .replace_year(notice, None, Utc::now(), DEFAULT_TIME_ZONE)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(recomputed, 1);
    let reply = &storage.of_kind(LimitKind::Reply).await[0];
    assert_eq!(reply.due_at, at("2027-01-05T00:00:00+08:00"));
    assert!(!reply.provisional);
}

#[tokio::test]
async fn stopping_records_whether_the_limit_was_met() {
    let storage = Storage::open().await;
    let order = storage.order().await;
    let mut limit = storage.limit(LimitKind::SignFor, "2026-09-30T15:00:00+08:00", 1);
    limit.order_id = Some(order);
    limit.unit_id = Some(UnitId::from_uuid(
        storage.desk.unit.parse().unwrap_or_else(|e| panic!("{e}")),
    ));
    // 10-01..10-07 off: day 1 is Thu 10-08, due 24:00 10-08.
    let started = storage.start(limit).await;
    assert_eq!(started.due_at, at("2026-10-09T00:00:00+08:00"));

    let txn = duban_infra::db::begin_write(&storage.db)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    // Nothing of this kind runs without an order: nothing stops.
    let none = time_limits::stop(
        &txn,
        storage.complaint,
        None,
        LimitKind::SignFor,
        at("2026-10-08T10:00:00+08:00"),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(none.is_empty(), "{none:?}");
    // One second before the deadline is on time.
    let stopped = time_limits::stop(
        &txn,
        storage.complaint,
        Some(order),
        LimitKind::SignFor,
        at("2026-10-08T23:59:59+08:00"),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    txn.commit().await.unwrap_or_else(|e| panic!("{e}"));
    let [stopped] = &stopped[..] else {
        panic!("one limit stopped: {stopped:?}");
    };
    assert_eq!(stopped.met_on_time, Some(true));
    assert_eq!(stopped.stopped_at, Some(at("2026-10-08T23:59:59+08:00")));
    let running = time_limits::running_for_order(&storage.db, order)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(running.is_empty(), "{running:?}");

    // A reply limit stopped at its deadline is late.
    let mut reply = storage.limit(LimitKind::Reply, "2026-09-30T15:00:00+08:00", 1);
    reply.order_id = Some(order);
    let reply = storage.start(reply).await;
    let txn = duban_infra::db::begin_write(&storage.db)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let late = time_limits::stop(
        &txn,
        storage.complaint,
        Some(order),
        LimitKind::Reply,
        reply.due_at,
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    txn.commit().await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(late[0].met_on_time, Some(false));
}

#[tokio::test]
async fn extending_adds_working_days_to_the_reply_limit() {
    let storage = Storage::open().await;
    let order = storage.order().await;
    let mut limit = storage.limit(LimitKind::Reply, "2026-09-30T15:00:00+08:00", 5);
    limit.order_id = Some(order);
    // 10-08 (1), 10-09 (2), Sat 10-10 make-up (3), 10-12 (4), Tue 10-13 (5): 24:00 10-13.
    let started = storage.start(limit).await;
    assert_eq!(started.due_at, at("2026-10-14T00:00:00+08:00"));

    let extend = |days: u32| {
        let storage = &storage;
        async move {
            let calendar = storage.calendar().await;
            let txn = duban_infra::db::begin_write(&storage.db)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            let extended = time_limits::extend(
                &txn,
                order,
                days,
                &calendar,
                DEFAULT_TIME_ZONE,
                at("2026-10-12T09:00:00+08:00"),
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"));
            txn.commit().await.unwrap_or_else(|e| panic!("{e}"));
            extended
        }
    };
    // Three more: 10-14 (6), 10-15 (7), Fri 10-16 (8): 24:00 10-16.
    let extended = extend(3)
        .await
        .unwrap_or_else(|| panic!("no running reply limit"));
    assert_eq!(extended.due_at, at("2026-10-17T00:00:00+08:00"));
    assert_eq!(extended.extension_days, 3);
    assert_eq!(extended.working_days, 5);
    // Two more: Mon 10-19 (9), Tue 10-20 (10): 24:00 10-20.
    let extended = extend(2)
        .await
        .unwrap_or_else(|| panic!("no running reply limit"));
    assert_eq!(extended.due_at, at("2026-10-21T00:00:00+08:00"));
    assert_eq!(extended.extension_days, 5);
    assert_eq!(
        time_limits::running_for_order(&storage.db, order)
            .await
            .unwrap_or_else(|e| panic!("{e}")),
        [extended]
    );

    // Once stopped, there is nothing to extend.
    let txn = duban_infra::db::begin_write(&storage.db)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    time_limits::stop(
        &txn,
        storage.complaint,
        Some(order),
        LimitKind::Reply,
        at("2026-10-15T09:00:00+08:00"),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    txn.commit().await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(extend(1).await, None);
}
