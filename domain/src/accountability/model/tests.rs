//! The stored form of every sanction history kind, pinned: a sanction's history is stored as
//! its kind and reason (and hashed with them), so renaming a kind or rewording a reason the
//! system writes would leave stored history unlike what is written now.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{SanctionHistoryEntry, history_of};
use crate::ids::UserId;
use crate::sanction::{
    Decision, DecisionOutcome, Measure, SanctionEvent, SanctionMeasures, SoftMeasure, Statement,
    Subject,
};

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap_or_else(|e| panic!("bad instant {text}: {e}"))
        .with_timezone(&Utc)
}

fn id(n: u128) -> Uuid {
    Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0000 + n)
}

fn entry(kind: &str, actor: Uuid, when: &str, reason: Option<&str>) -> SanctionHistoryEntry {
    SanctionHistoryEntry {
        kind: kind.into(),
        actor: UserId::from_uuid(actor),
        at: at(when),
        reason: reason.map(str::to_owned),
    }
}

fn decided(outcome: DecisionOutcome) -> SanctionEvent {
    SanctionEvent::Decided(Decision {
        decision_id: id(9),
        decider: id(3),
        decided_at: at("2026-03-10T02:00:00Z"),
        outcome,
    })
}

/// One lifecycle event of each kind (and each decision outcome) with the entry it is stored as.
fn examples() -> Vec<(SanctionEvent, SanctionHistoryEntry)> {
    vec![
        (
            SanctionEvent::StatementPeriodOpened {
                by: id(1),
                at: at("2026-03-02T01:00:00Z"),
                statement_deadline: at("2026-03-05T16:00:00Z"),
            },
            entry(
                "statement_period_opened",
                id(1),
                "2026-03-02T01:00:00Z",
                Some("statement due by 2026-03-05 24:00 (Asia/Shanghai)"),
            ),
        ),
        (
            SanctionEvent::StatementFiled(Statement {
                filed_by: id(2),
                filed_at: at("2026-03-04T06:30:00Z"),
                text: "I was following the procedure".into(),
                late: false,
            }),
            entry("statement_filed", id(2), "2026-03-04T06:30:00Z", None),
        ),
        (
            decided(DecisionOutcome::Approved),
            entry("decided", id(3), "2026-03-10T02:00:00Z", None),
        ),
        (
            decided(DecisionOutcome::Amended {
                measures: SanctionMeasures::new(
                    Subject::Person {
                        is_party_member: false,
                    },
                    vec![Measure::Soft(SoftMeasure::ReminderTalk)],
                    false,
                )
                .unwrap_or_else(|e| panic!("measures refused: {e}")),
                reasons: "a talk is enough".into(),
            }),
            entry(
                "decided",
                id(3),
                "2026-03-10T02:00:00Z",
                Some("a talk is enough"),
            ),
        ),
        (
            decided(DecisionOutcome::Rejected {
                reasons: "the facts do not hold".into(),
            }),
            entry(
                "decided",
                id(3),
                "2026-03-10T02:00:00Z",
                Some("the facts do not hold"),
            ),
        ),
        (
            SanctionEvent::Superseded {
                by: id(4),
                at: at("2026-04-01T03:00:00Z"),
                superseded_by: id(10),
                reason: "decided again on review".into(),
            },
            entry(
                "superseded",
                id(4),
                "2026-04-01T03:00:00Z",
                Some("decided again on review"),
            ),
        ),
    ]
}

/// The position of the event's kind. The match is exhaustive, so a new kind does not compile
/// here until it is given a place (and an example above).
const fn position(event: &SanctionEvent) -> usize {
    match event {
        SanctionEvent::StatementPeriodOpened { .. } => 0,
        SanctionEvent::StatementFiled(_) => 1,
        SanctionEvent::Decided(_) => 2,
        SanctionEvent::Superseded { .. } => 3,
    }
}

const KINDS: usize = 4;

#[test]
fn every_sanction_event_kind_has_an_example() {
    let mut covered = [false; KINDS];
    for (event, _) in examples() {
        covered[position(&event)] = true;
    }
    let missing: Vec<usize> = (0..KINDS).filter(|&i| !covered[i]).collect();
    assert!(missing.is_empty(), "kinds without an example: {missing:?}");
}

#[test]
fn every_sanction_event_is_stored_in_its_pinned_form() {
    for (event, stored) in examples() {
        assert_eq!(history_of(&event, chrono_tz::Asia::Shanghai), stored);
    }
}

#[test]
fn a_proposal_opens_the_history_in_its_pinned_form() {
    assert_eq!(
        SanctionHistoryEntry::proposed(UserId::from_uuid(id(5)), at("2026-03-01T08:00:00Z")),
        entry("proposed", id(5), "2026-03-01T08:00:00Z", None)
    );
}
