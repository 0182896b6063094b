//! The deadline sweeper: every warning level change of a running limit is recorded once, as an
//! event without actor, with notifications for the handler and the unit head in the outbox;
//! also with two sweepers running at once, and from the background worker of `serve`.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use duban_domain::calendar::{
    CalendarSource, DEFAULT_TIME_ZONE, WarningLevel, WarningThresholds, WorkingCalendar,
};
use duban_domain::ids::{ComplaintId, UnitId, UserId};
use duban_domain::limits::LimitKind;
use duban_infra::DatabaseConnection;
use duban_infra::calendar::SeaCalendarStore;
use duban_infra::db::begin_write;
use duban_infra::notifications::{OutboxEntry, outbox_entries};
use duban_infra::time_limits::{NewTimeLimit, start};
use duban_infra::warnings::{LimitWarning, SweepReport, WARNING_TOPIC, limit_warnings, sweep_once};
use duban_tests::TestApp;
use serde_json::{Value, json};
use uuid::Uuid;

pub fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap_or_else(|e| panic!("{text}: {e}"))
        .with_timezone(&Utc)
}

fn uuid(text: &str) -> Uuid {
    Uuid::parse_str(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// Started Mon 2026-03-02 with 2 working days (counted from 03-03): due 24:00 Wed 03-04.
const STARTED: &str = "2026-03-02T10:00:00+08:00";
const DUE: &str = "2026-03-05T00:00:00+08:00";
/// Blue from 00:00 of the last working day, 03-04.
const BLUE: &str = "2026-03-04T00:00:00+08:00";
/// Red once 5 working days passed after 03-04: 03-05, 03-06, 03-09, 03-10, 03-11 → 24:00.
const RED: &str = "2026-03-12T00:00:00+08:00";

/// A unit with a head, two handlers and an inactive head; an intake officer; its database.
pub struct Office {
    pub app: TestApp,
    pub db: DatabaseConnection,
    pub calendar: WorkingCalendar,
    pub unit: Uuid,
    pub head: Uuid,
    pub handlers: [Uuid; 2],
    pub intake_id: Uuid,
    pub intake: String,
}

impl Office {
    pub async fn open_with(app: TestApp) -> Self {
        let unit = app.create_unit("Tax Bureau", "agency", None).await;
        let head = app.create_user("head1", "unit_head", Some(&unit)).await;
        let retired = app.create_user("head0", "unit_head", Some(&unit)).await;
        let deactivated = app
            .call(
                reqwest::Method::PATCH,
                &format!("/api/v1/users/{retired}"),
                Some(&app.admin),
                Some(json!({"active": false})),
            )
            .await;
        assert_eq!(deactivated.status, 200, "{:#}", deactivated.body);
        let handler_a = app
            .create_user("handler_a", "unit_handler", Some(&unit))
            .await;
        let handler_b = app
            .create_user("handler_b", "unit_handler", Some(&unit))
            .await;
        let (intake_id, intake) = app.staff("intake1", "intake", None).await;
        let db = app.database().await;
        let calendar = SeaCalendarStore::new(db.clone())
            .working_calendar()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        Self {
            db,
            calendar,
            unit: uuid(&unit),
            head: uuid(&head),
            handlers: [uuid(&handler_a), uuid(&handler_b)],
            intake_id: uuid(&intake_id),
            intake,
            app,
        }
    }

    pub async fn open() -> Self {
        Self::open_with(TestApp::spawn().await).await
    }

    /// Registers a complaint against the unit; returns its id.
    pub async fn complaint(&self, account: &str) -> Uuid {
        let reply = self
            .app
            .register_walk_in(&self.intake, &self.unit.to_string(), account)
            .await;
        assert_eq!(reply.status, 201, "{:#}", reply.body);
        uuid(reply.body["id"].as_str().unwrap_or_default())
    }

    /// Starts a limit of `kind` on the complaint at `started` for `working_days`.
    pub async fn start_limit(
        &self,
        complaint: Uuid,
        kind: LimitKind,
        started: &str,
        working_days: u32,
    ) {
        let unit = (kind != LimitKind::Screening).then_some(UnitId::from_uuid(self.unit));
        let handler = (kind == LimitKind::Screening).then_some(UserId::from_uuid(self.intake_id));
        let txn = begin_write(&self.db)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        start(
            &txn,
            NewTimeLimit {
                complaint_id: ComplaintId::from_uuid(complaint),
                order_id: None,
                kind,
                unit_id: unit,
                handler_id: handler,
                started_at: at(started),
                working_days,
                explicit_due_at: None,
            },
            &self.calendar,
            DEFAULT_TIME_ZONE,
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        txn.commit().await.unwrap_or_else(|e| panic!("{e}"));
    }

    pub async fn sweep_on(&self, db: &DatabaseConnection, now: &str) -> SweepReport {
        sweep_once(
            db,
            at(now),
            DEFAULT_TIME_ZONE,
            WarningThresholds::default(),
            &self.calendar,
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"))
    }

    pub async fn sweep(&self, now: &str) -> SweepReport {
        self.sweep_on(&self.db, now).await
    }

    /// The complaint's limit of `kind` (the one this test started).
    pub async fn limit(&self, complaint: Uuid, kind: LimitKind) -> LimitWarning {
        limit_warnings(&self.db, complaint)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .into_iter()
            .rfind(|l| l.kind == kind.as_str() && l.due_at < at("2026-06-01T00:00:00Z"))
            .unwrap_or_else(|| panic!("no {kind} limit"))
    }

    /// The `warning_level_changed` events of the complaint, read over HTTP.
    pub async fn warning_events(&self, complaint: Uuid) -> Vec<Value> {
        self.events_of_kind(complaint, "warning_level_changed")
            .await
    }

    /// The complaint's events of one kind, read over HTTP as intake.
    pub async fn events_of_kind(&self, complaint: Uuid, kind: &str) -> Vec<Value> {
        let reply = self
            .app
            .get(
                &format!("/api/v1/complaints/{complaint}/events"),
                &self.intake,
            )
            .await;
        assert_eq!(reply.status, 200, "{:#}", reply.body);
        reply.body["items"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .filter(|e| e["kind"] == kind)
            .collect()
    }

    pub async fn outbox(&self) -> Vec<OutboxEntry> {
        outbox_entries(&self.db, Some(WARNING_TOPIC))
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    }
}

fn report(examined: usize, changed: usize) -> SweepReport {
    SweepReport {
        examined,
        changed,
        failed: 0,
    }
}

#[tokio::test]
async fn a_reply_limit_climbs_the_ladder_one_recorded_change_per_level() {
    let office = Office::open().await;
    let complaint = office.complaint("reply ladder").await;
    office
        .start_limit(complaint, LimitKind::Reply, STARTED, 2)
        .await;
    let limit = office.limit(complaint, LimitKind::Reply).await;
    assert_eq!(limit.due_at, at(DUE));
    assert_eq!(limit.level, WarningLevel::None);

    // First look at the start: nothing to record, next look when blue starts.
    assert_eq!(office.sweep(STARTED).await, report(1, 0));
    let limit = office.limit(complaint, LimitKind::Reply).await;
    assert_eq!(
        (limit.level, limit.next_check_at),
        (WarningLevel::None, Some(at(BLUE)))
    );
    assert_eq!(limit.version, 1, "moving the next check is not a change");
    assert_eq!(
        office.sweep("2026-03-03T23:59:59+08:00").await,
        report(0, 0)
    );

    let ladder = [
        (BLUE, WarningLevel::None, WarningLevel::Blue, Some(at(DUE))),
        (DUE, WarningLevel::Blue, WarningLevel::Yellow, Some(at(RED))),
        (RED, WarningLevel::Yellow, WarningLevel::Red, None),
    ];
    for (step, (now, from, to, next)) in ladder.into_iter().enumerate() {
        assert_eq!(office.sweep(now).await, report(1, 1), "at {now}");
        assert_eq!(office.sweep(now).await, report(0, 0), "again at {now}");
        let limit = office.limit(complaint, LimitKind::Reply).await;
        assert_eq!((limit.level, limit.next_check_at), (to, next), "at {now}");
        assert_eq!(limit.version, 2 + step as i64);
        let events = office.warning_events(complaint).await;
        assert_eq!(events.len(), step + 1, "{events:#?}");
        let event = &events[step];
        assert_eq!(event["actor_id"], Value::Null, "{event:#}");
        assert_eq!(at(event["at"].as_str().unwrap_or_default()), at(now));
        assert_eq!(event["data"]["limit"], "reply");
        assert_eq!(event["data"]["unit_id"], office.unit.to_string());
        assert_eq!(event["data"]["order_id"], Value::Null);
        assert_eq!(event["data"]["from"], from.as_str());
        assert_eq!(event["data"]["to"], to.as_str());
        assert_eq!(
            at(event["data"]["due_at"].as_str().unwrap_or_default()),
            at(DUE)
        );
    }
    // Red is the top: later sweeps find nothing to look at.
    assert_eq!(
        office.sweep("2026-04-01T00:00:00+08:00").await,
        report(0, 0)
    );

    // Each change told the active head and, nobody having signed, both handlers.
    let outbox = office.outbox().await;
    assert_eq!(outbox.len(), 9, "{outbox:#?}");
    let mut told: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for message in &outbox {
        let payload = message.json();
        assert_eq!(payload["complaint_id"], complaint.to_string());
        assert!(payload["complaint_number"].is_string(), "{payload:#}");
        assert_eq!(payload["limit"], "reply");
        assert_eq!(payload["unit_id"], office.unit.to_string());
        assert_eq!(at(payload["due_at"].as_str().unwrap_or_default()), at(DUE));
        told.entry((
            payload["recipient_id"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
            payload["recipient_role"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
        ))
        .or_default()
        .push(payload["level"].as_str().unwrap_or_default().to_owned());
    }
    let levels = vec!["blue".to_owned(), "yellow".to_owned(), "red".to_owned()];
    let expected: BTreeMap<(String, String), Vec<String>> = [
        (office.head, "unit_head"),
        (office.handlers[0], "handler"),
        (office.handlers[1], "handler"),
    ]
    .into_iter()
    .map(|(id, role)| ((id.to_string(), role.to_owned()), levels.clone()))
    .collect();
    assert_eq!(told, expected);
}

#[tokio::test]
async fn a_screening_limit_warns_its_first_handler() {
    let office = Office::open().await;
    let complaint = office.complaint("screening warning").await;
    // Started Mon 03-02 with 1 working day: due 24:00 Tue 03-03; blue from 03-03 00:00.
    office
        .start_limit(complaint, LimitKind::Screening, STARTED, 1)
        .await;
    assert_eq!(
        office.sweep("2026-03-03T00:00:00+08:00").await,
        report(1, 1)
    );
    let outbox = office.outbox().await;
    assert_eq!(outbox.len(), 1, "{outbox:#?}");
    let payload = outbox[0].json();
    assert_eq!(payload["recipient_id"], office.intake_id.to_string());
    assert_eq!(payload["recipient_role"], "handler");
    assert_eq!(payload["limit"], "screening");
    assert_eq!(payload["level"], "blue");
    assert_eq!(payload["unit_id"], Value::Null);
    let events = office.warning_events(complaint).await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["data"]["to"], "blue");
}

#[tokio::test]
async fn a_limit_that_stopped_is_not_swept() {
    let office = Office::open().await;
    let complaint = office.complaint("stopped limit").await;
    office
        .start_limit(complaint, LimitKind::SignFor, STARTED, 2)
        .await;
    let txn = begin_write(&office.db)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    duban_infra::time_limits::stop(
        &txn,
        ComplaintId::from_uuid(complaint),
        None,
        LimitKind::SignFor,
        at("2026-03-03T09:00:00+08:00"),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    txn.commit().await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(office.sweep(RED).await, report(0, 0));
    assert!(office.warning_events(complaint).await.is_empty());
    assert!(office.outbox().await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_sweepers_at_once_record_each_change_exactly_once() {
    let office = Office::open().await;
    let mut complaints = Vec::new();
    for n in 0..4 {
        let complaint = office.complaint(&format!("concurrent {n}")).await;
        for kind in [LimitKind::SignFor, LimitKind::Reply, LimitKind::Screening] {
            office.start_limit(complaint, kind, STARTED, 2).await;
        }
        complaints.push(complaint);
    }
    let limits = complaints.len() * 3;
    // Two "processes": two connection pools to the same database.
    let first = office.app.database().await;
    let second = office.app.database().await;
    for now in [STARTED, BLUE, DUE, RED] {
        for round in 0..2 {
            let (a, b) = tokio::join!(office.sweep_on(&first, now), office.sweep_on(&second, now));
            let expected = match (now, round) {
                (STARTED, _) | (_, 1) => 0,
                _ => limits,
            };
            assert_eq!(a.failed + b.failed, 0, "at {now}");
            assert_eq!(
                a.changed + b.changed,
                expected,
                "at {now}, round {round}: {a:?} {b:?}"
            );
            if round == 0 {
                assert_eq!(a.examined + b.examined, limits, "at {now}: {a:?} {b:?}");
            }
        }
    }
    for complaint in &complaints {
        let events = office.warning_events(*complaint).await;
        let mut per_limit: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for event in &events {
            per_limit
                .entry(
                    event["data"]["limit"]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned(),
                )
                .or_default()
                .push(event["data"]["to"].as_str().unwrap_or_default().to_owned());
        }
        let ladder = vec!["blue".to_owned(), "yellow".to_owned(), "red".to_owned()];
        for kind in ["reply", "screening", "sign_for"] {
            assert_eq!(per_limit.get(kind), Some(&ladder), "{kind}: {events:#?}");
        }
    }
    // Per change: head + two handlers for the unit's limits, the first handler for screening.
    assert_eq!(
        office.outbox().await.len(),
        complaints.len() * 3 * (3 + 3 + 1)
    );
}
