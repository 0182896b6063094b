//! The accountability use cases over in-memory ports: who may propose, decide and see a
//! sanction, the statement period, supersession on review, and investigations.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Asia::Shanghai;

use super::*;
use crate::access::Actor;
use crate::accountability::model::{CaseFacts, PersonFacts, RecordKind, SanctionQuery, SubjectRef};
use crate::calendar::WorkingCalendar;
use crate::clock::fixed::FixedClock;
use crate::ids::{ComplaintId, UnitId, UserId};
use crate::role::Role;
use crate::sanction::{DecisionCommand, Measure, SanctionStatus, SanctionTransitionError};

mod fakes;

use fakes::{MemAccountability, Visible, Weekdays, run};

type Service = AccountabilityService<MemAccountability, Weekdays, FixedClock, Visible>;

fn at(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339).unwrap().to_utc()
}

/// Monday 2 March 2026, 09:00 in Shanghai.
const NOW: &str = "2026-03-02T09:00:00+08:00";

/// Units `a` and `b`; `clerk` works in `a`; one visible complaint and one out of sight.
struct Fixture {
    service: Service,
    a: UnitId,
    b: UnitId,
    clerk: UserId,
    case: ComplaintId,
    hidden_case: ComplaintId,
}

fn fixture() -> Fixture {
    let (a, b, clerk) = (UnitId::generate(), UnitId::generate(), UserId::generate());
    let (case, hidden_case) = (ComplaintId::generate(), ComplaintId::generate());
    let repository = MemAccountability::default();
    repository.with(|s| {
        s.units = vec![(a, None), (b, None)];
        s.people = vec![PersonFacts {
            id: clerk,
            role: Role::UnitHandler,
            unit_id: Some(a),
            party_member: false,
        }];
        s.cases = [case, hidden_case]
            .map(|id| CaseFacts {
                id,
                respondent_unit_id: a,
                held_by: None,
            })
            .to_vec();
    });
    let service = AccountabilityService::new(
        repository,
        Weekdays,
        FixedClock::at(at(NOW)),
        Visible(vec![case]),
        Shanghai,
        AccountabilityPolicy {
            settings: crate::sanction::PolicySettings::default(),
            statement_period_working_days: 3,
        },
    );
    Fixture {
        service,
        a,
        b,
        clerk,
        case,
        hidden_case,
    }
}

fn actor(role: Role, unit_id: Option<UnitId>) -> Actor {
    Actor {
        user_id: UserId::generate(),
        role,
        unit_id,
    }
}

fn intake() -> Actor {
    actor(Role::Intake, None)
}

fn leading_group() -> Actor {
    actor(Role::LeadingGroup, None)
}

fn proposal(subject: SubjectRef) -> ProposeCommand {
    ProposeCommand {
        subject,
        findings: "rude at the counter".into(),
        rule_broken: "service rules 3.2".into(),
        factors: crate::sanction::SeverityFactors::default(),
        complaint_ids: vec![],
        investigation_record_ids: vec![],
        measures: vec![Measure::parse("soft", "apology").unwrap()],
        judicial_referral: false,
        justification: Some("a first lapse".into()),
        supersedes: None,
    }
}

fn approve() -> DecideCommand {
    DecideCommand {
        command: DecisionCommand::Approve,
        effective_date: None,
    }
}

impl Fixture {
    fn propose(&self, cmd: ProposeCommand) -> SanctionDetail {
        run(self.service.propose(&intake(), cmd)).unwrap()
    }

    /// A proposal against the clerk, decided by the leading group after the deadline.
    fn decided(&self, supersedes: Option<uuid::Uuid>) -> SanctionDetail {
        self.service.clock.set(at(NOW));
        let proposed = self.propose(ProposeCommand {
            supersedes,
            ..proposal(SubjectRef::Person(self.clerk))
        });
        self.service.clock.set(at(NOW) + Duration::days(10));
        run(self
            .service
            .decide(&leading_group(), proposed.record.case.id(), approve(), None))
        .unwrap()
    }
}

fn lifecycle<T: std::fmt::Debug>(result: Result<T>) -> SanctionTransitionError {
    match result {
        Err(AccountabilityError::Lifecycle(e)) => e,
        other => panic!("expected a lifecycle refusal, got {other:?}"),
    }
}

#[test]
fn a_proposal_opens_a_statement_period_of_three_working_days() {
    let f = fixture();
    let detail = f.propose(proposal(SubjectRef::Person(f.clerk)));
    let deadline = WorkingCalendar::new()
        .add_working_days(at(NOW), 3, Shanghai)
        .unwrap()
        .due_at;
    assert!(matches!(
        detail.record.case.status(),
        SanctionStatus::AwaitingStatement { statement_deadline, statement: None }
            if *statement_deadline == deadline
    ));
    let kinds: Vec<_> = detail.history.iter().map(|h| h.kind.as_str()).collect();
    assert_eq!(kinds, ["proposed", "statement_period_opened"]);
    assert_eq!(detail.record.version, 1);
}

#[test]
fn a_unit_head_proposes_only_within_their_own_units() {
    let f = fixture();
    let head_a = actor(Role::UnitHead, Some(f.a));
    let head_b = actor(Role::UnitHead, Some(f.b));
    let own = run(f
        .service
        .propose(&head_a, proposal(SubjectRef::Person(f.clerk))));
    assert_eq!(
        own.unwrap().record.case.proposer(),
        head_a.user_id.as_uuid()
    );
    // Staff of another unit are answered as unknown people.
    let other = run(f
        .service
        .propose(&head_b, proposal(SubjectRef::Person(f.clerk))));
    assert!(matches!(
        other,
        Err(AccountabilityError::Invalid {
            field: "subject.user_id",
            ..
        })
    ));
    let other_unit = run(f.service.propose(&head_a, proposal(SubjectRef::Unit(f.b))));
    assert!(matches!(other_unit, Err(AccountabilityError::Forbidden(_))));
    let handler = actor(Role::UnitHandler, Some(f.a));
    let handler = run(f
        .service
        .propose(&handler, proposal(SubjectRef::Person(f.clerk))));
    assert!(matches!(handler, Err(AccountabilityError::Forbidden(_))));
    let hidden = ProposeCommand {
        complaint_ids: vec![f.hidden_case],
        ..proposal(SubjectRef::Person(f.clerk))
    };
    assert!(matches!(
        run(f.service.propose(&intake(), hidden)),
        Err(AccountabilityError::Invalid {
            field: "complaint_ids",
            ..
        })
    ));
}

#[test]
fn the_leading_group_decides_after_the_statement_period_and_never_on_its_own_proposal() {
    let f = fixture();
    let id = f
        .propose(proposal(SubjectRef::Person(f.clerk)))
        .record
        .case
        .id();
    let decide = |who: &Actor, if_match| run(f.service.decide(who, id, approve(), if_match));
    assert_eq!(
        lifecycle(decide(&intake(), None)),
        SanctionTransitionError::NotLeadingGroup
    );
    assert!(matches!(
        lifecycle(decide(&leading_group(), None)),
        SanctionTransitionError::StatementPeriodRunning { .. }
    ));
    let subject = Actor {
        user_id: f.clerk,
        role: Role::UnitHandler,
        unit_id: Some(f.a),
    };
    let filed = run(f
        .service
        .file_statement(&subject, id, "I was provoked".into(), Some(1)))
    .unwrap();
    assert_eq!(filed.record.version, 2);
    let colleague = actor(Role::UnitHandler, Some(f.a));
    assert!(matches!(
        run(f
            .service
            .file_statement(&colleague, id, "for him".into(), None)),
        Err(AccountabilityError::NotFound("sanction"))
    ));
    assert!(matches!(
        decide(&leading_group(), Some(1)),
        Err(AccountabilityError::PreconditionFailed {
            given: 1,
            current: 2
        })
    ));
    let decided = decide(&leading_group(), Some(2)).unwrap();
    assert!(matches!(
        decided.record.case.status(),
        SanctionStatus::Decided {
            statement: Some(_),
            ..
        }
    ));
    assert_eq!(
        decided.record.effective_date,
        Some(at(NOW).with_timezone(&Shanghai).date_naive())
    );

    // A leading-group member does not decide their own proposal.
    let lg = leading_group();
    f.service.repository.with(|s| {
        s.cases[0].held_by = Some(crate::accountability::model::Takeover {
            complaint_id: f.case,
            taken_by: lg.user_id,
            taken_at: at(NOW),
            reason: "important".into(),
        });
    });
    let own = ProposeCommand {
        complaint_ids: vec![f.case],
        ..proposal(SubjectRef::Person(f.clerk))
    };
    let own = run(f.service.propose(&lg, own)).unwrap().record.case.id();
    f.service.clock.set(at(NOW) + Duration::days(10));
    assert_eq!(
        lifecycle(run(f.service.decide(&lg, own, approve(), None))),
        SanctionTransitionError::DeciderIsProposer
    );
}

#[test]
fn an_approved_review_supersedes_the_earlier_decision() {
    let f = fixture();
    let first = f.decided(None).record.case.id();
    let other_subject = ProposeCommand {
        supersedes: Some(first),
        ..proposal(SubjectRef::Unit(f.a))
    };
    assert!(matches!(
        run(f.service.propose(&intake(), other_subject)),
        Err(AccountabilityError::Invalid {
            field: "supersedes",
            ..
        })
    ));
    let second = f.decided(Some(first));
    let old = run(f.service.get(&intake(), first)).unwrap();
    assert!(matches!(
        old.record.case.status(),
        SanctionStatus::Superseded { superseded_by, .. } if *superseded_by == second.record.case.id()
    ));
    assert_eq!(old.history.last().unwrap().kind, "superseded");
    assert_eq!(old.record.version, 3);
}

#[test]
fn a_sanction_out_of_sight_is_not_found() {
    let f = fixture();
    let id = f
        .propose(proposal(SubjectRef::Person(f.clerk)))
        .record
        .case
        .id();
    let get = |who: &Actor| run(f.service.get(who, id));
    assert!(get(&actor(Role::UnitHead, Some(f.a))).is_ok());
    assert!(matches!(
        get(&actor(Role::UnitHead, Some(f.b))),
        Err(AccountabilityError::NotFound("sanction"))
    ));
    let subject = Actor {
        user_id: f.clerk,
        role: Role::UnitHandler,
        unit_id: Some(f.a),
    };
    assert!(get(&subject).is_ok());
    assert!(matches!(
        get(&actor(Role::Admin, None)),
        Err(AccountabilityError::Forbidden(_))
    ));
    let listed = |who: &Actor| run(f.service.list(who, SanctionQuery::default())).map(|l| l.len());
    assert_eq!(listed(&actor(Role::UnitHead, Some(f.a))).unwrap(), 1);
    assert_eq!(listed(&actor(Role::UnitHead, Some(f.b))).unwrap(), 0);
    assert!(matches!(
        listed(&subject),
        Err(AccountabilityError::Forbidden(_))
    ));
}

#[test]
fn the_leading_group_investigates_only_a_case_it_took_over() {
    let f = fixture();
    let lg = leading_group();
    let entry = || NewRecord {
        kind: RecordKind::InterviewRespondent,
        people_involved: "the clerk".into(),
        content: "admits the tone".into(),
    };
    assert!(matches!(
        run(f.service.add_record(&lg, f.case, entry())),
        Err(AccountabilityError::Forbidden(_))
    ));
    assert!(matches!(
        run(f.service.take_over(&lg, f.hidden_case, "x".into())),
        Err(AccountabilityError::NotFound("complaint"))
    ));
    let takeover = run(f.service.take_over(&lg, f.case, "important".into())).unwrap();
    assert_eq!(takeover.taken_by, lg.user_id);
    assert!(matches!(
        run(f
            .service
            .take_over(&leading_group(), f.case, "again".into())),
        Err(AccountabilityError::AlreadyHeld)
    ));
    run(f.service.add_record(&lg, f.case, entry())).unwrap();
    let records = run(f.service.records(&intake(), f.case)).unwrap();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].author_id, lg.user_id);
    assert!(matches!(
        run(f.service.records(&actor(Role::UnitHead, Some(f.a)), f.case)),
        Err(AccountabilityError::Forbidden(_))
    ));
}
