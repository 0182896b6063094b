#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{TimeDelta, TimeZone};
use chrono_tz::Asia::Shanghai;

use super::*;
use crate::calendar::LocalInstant;
use crate::sanction::combination::{CombinationError, Subject};

const PROPOSER: Uuid = Uuid::from_u128(1);
const DECIDER: Uuid = Uuid::from_u128(2);
const SUBJECT: Uuid = Uuid::from_u128(3);
const DECISION: Uuid = Uuid::from_u128(10);
const LATER_DECISION: Uuid = Uuid::from_u128(11);
const PERSON: Subject = Subject::Person {
    is_party_member: false,
};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).single().unwrap()
}

/// The statement deadline used throughout: 24:00 Shanghai of the third working day.
fn deadline() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 5, 16, 0, 0).single().unwrap()
}

fn m(track: &str, measure: &str) -> Measure {
    Measure::parse(track, measure).unwrap()
}

fn proposed_measures() -> SanctionMeasures {
    SanctionMeasures::new(
        PERSON,
        vec![m("soft", "apology"), m("soft", "circulated_criticism")],
        false,
    )
    .unwrap()
}

fn ctx(actor: Uuid, leading_group: bool, now: DateTime<Utc>) -> TransitionContext {
    TransitionContext {
        actor,
        actor_is_leading_group: leading_group,
        now,
        tz: Shanghai,
    }
}

/// The decider after the deadline: every rule but the state is satisfied.
fn decider_ctx() -> TransitionContext {
    ctx(DECIDER, true, deadline() + TimeDelta::days(1))
}

fn run(case: SanctionCase, action: &SanctionAction, c: &TransitionContext) -> SanctionCase {
    decide(&case, action, c)
        .unwrap()
        .iter()
        .fold(case, |acc, e| apply(acc, e).unwrap())
}

fn open() -> SanctionAction {
    SanctionAction::OpenStatementPeriod {
        statement_deadline: deadline(),
    }
}

fn file() -> SanctionAction {
    SanctionAction::FileStatement {
        text: "I was alone at the window that day".into(),
    }
}

fn approve() -> SanctionAction {
    SanctionAction::Decide {
        decision_id: DECISION,
        command: DecisionCommand::Approve,
    }
}

fn amend() -> SanctionAction {
    SanctionAction::Decide {
        decision_id: DECISION,
        command: DecisionCommand::Amend {
            measures: vec![m("soft", "admonishment")],
            judicial_referral: false,
            reasons: "second lapse this quarter".into(),
        },
    }
}

fn reject() -> SanctionAction {
    SanctionAction::Decide {
        decision_id: DECISION,
        command: DecisionCommand::Reject {
            reasons: "finding not supported by the records".into(),
        },
    }
}

fn supersede() -> SanctionAction {
    SanctionAction::Supersede {
        by_decision: LATER_DECISION,
        reason: "review decision".into(),
    }
}

fn proposed() -> SanctionCase {
    SanctionCase::new(
        Uuid::from_u128(99),
        SUBJECT,
        PROPOSER,
        t0(),
        proposed_measures(),
    )
}

fn awaiting() -> SanctionCase {
    run(proposed(), &open(), &ctx(PROPOSER, false, t0()))
}

fn awaiting_with_statement() -> SanctionCase {
    run(
        awaiting(),
        &file(),
        &ctx(SUBJECT, false, t0() + TimeDelta::hours(3)),
    )
}

fn decided_approved() -> SanctionCase {
    run(awaiting(), &approve(), &decider_ctx())
}

fn decided_rejected() -> SanctionCase {
    run(awaiting(), &reject(), &decider_ctx())
}

fn superseded() -> SanctionCase {
    run(decided_approved(), &supersede(), &decider_ctx())
}

type StateFn = fn() -> SanctionCase;

/// Ok(status after applying) or Err(refusal).
type Expect = Result<SanctionStatusKind, SanctionTransitionError>;

fn not_allowed(state: SanctionStatusKind, action: SanctionActionKind) -> Expect {
    Err(SanctionTransitionError::NotAllowed { state, action })
}

#[test]
fn every_state_action_pair() {
    use SanctionActionKind as A;
    use SanctionStatusKind as S;
    let states: [(&str, StateFn); 6] = [
        ("proposed", proposed),
        ("awaiting", awaiting),
        ("awaiting_with_statement", awaiting_with_statement),
        ("decided_approved", decided_approved),
        ("decided_rejected", decided_rejected),
        ("superseded", superseded),
    ];
    let actions: [fn() -> SanctionAction; 6] = [open, file, approve, amend, reject, supersede];
    let expected: [[Expect; 6]; 6] = [
        [
            Ok(S::AwaitingStatement),
            not_allowed(S::Proposed, A::FileStatement),
            not_allowed(S::Proposed, A::Approve),
            not_allowed(S::Proposed, A::Amend),
            not_allowed(S::Proposed, A::Reject),
            not_allowed(S::Proposed, A::Supersede),
        ],
        [
            not_allowed(S::AwaitingStatement, A::OpenStatementPeriod),
            // Issue 13.2: a filed statement is `statement_filed` (was `awaiting_statement`).
            Ok(S::StatementFiled),
            Ok(S::Decided),
            Ok(S::Decided),
            Ok(S::Decided),
            not_allowed(S::AwaitingStatement, A::Supersede),
        ],
        [
            not_allowed(S::StatementFiled, A::OpenStatementPeriod),
            Err(SanctionTransitionError::StatementAlreadyFiled),
            Ok(S::Decided),
            Ok(S::Decided),
            Ok(S::Decided),
            not_allowed(S::StatementFiled, A::Supersede),
        ],
        [
            not_allowed(S::Decided, A::OpenStatementPeriod),
            not_allowed(S::Decided, A::FileStatement),
            not_allowed(S::Decided, A::Approve),
            not_allowed(S::Decided, A::Amend),
            not_allowed(S::Decided, A::Reject),
            Ok(S::Superseded),
        ],
        [
            not_allowed(S::Decided, A::OpenStatementPeriod),
            not_allowed(S::Decided, A::FileStatement),
            not_allowed(S::Decided, A::Approve),
            not_allowed(S::Decided, A::Amend),
            not_allowed(S::Decided, A::Reject),
            Ok(S::Superseded),
        ],
        [
            not_allowed(S::Superseded, A::OpenStatementPeriod),
            not_allowed(S::Superseded, A::FileStatement),
            not_allowed(S::Superseded, A::Approve),
            not_allowed(S::Superseded, A::Amend),
            not_allowed(S::Superseded, A::Reject),
            not_allowed(S::Superseded, A::Supersede),
        ],
    ];
    for ((name, state), row) in states.iter().zip(expected) {
        for (action, want) in actions.iter().zip(row) {
            let case = state();
            let action = action();
            // opening needs a deadline in the future; everything else runs as the decider
            // after the deadline
            let c = match action {
                SanctionAction::OpenStatementPeriod { .. } => ctx(PROPOSER, false, t0()),
                _ => decider_ctx(),
            };
            let got = decide(&case, &action, &c).map(|events| {
                assert_eq!(events.len(), 1);
                events
                    .iter()
                    .fold(case.clone(), |acc, e| apply(acc, e).unwrap())
                    .status_kind()
            });
            assert_eq!(got, want, "state {name}, action {:?}", action.kind());
        }
    }
}

#[test]
fn apply_refuses_events_that_do_not_follow() {
    let opened = decide(&proposed(), &open(), &ctx(PROPOSER, false, t0())).unwrap();
    let filed = decide(&awaiting(), &file(), &decider_ctx()).unwrap();
    let decided = decide(&awaiting(), &approve(), &decider_ctx()).unwrap();
    let superseded_ev = decide(&decided_approved(), &supersede(), &decider_ctx()).unwrap();
    let events = [&opened[0], &filed[0], &decided[0], &superseded_ev[0]];
    let states: [StateFn; 5] = [
        proposed,
        awaiting,
        awaiting_with_statement,
        decided_approved,
        superseded,
    ];
    // which event index applies in which state
    let allowed: [&[usize]; 5] = [&[0], &[1, 2], &[2], &[3], &[]];
    for (state, ok) in states.iter().zip(allowed) {
        for (i, event) in events.iter().enumerate() {
            let case = state();
            let kind = case.status_kind();
            let result = apply(case, event);
            if ok.contains(&i) {
                assert!(result.is_ok(), "{kind:?} + {}", event.name());
            } else {
                assert_eq!(
                    result,
                    Err(ApplyError {
                        state: kind,
                        event: event.name()
                    })
                );
            }
        }
    }
}

#[test]
fn opening_needs_a_deadline_after_now() {
    let at = |now| decide(&proposed(), &open(), &ctx(PROPOSER, false, now));
    assert_eq!(
        at(deadline()),
        Err(SanctionTransitionError::DeadlineNotInFuture {
            deadline: LocalInstant::new(deadline(), Shanghai),
            now: LocalInstant::new(deadline(), Shanghai),
        })
    );
    assert!(at(deadline() - TimeDelta::seconds(1)).is_ok());
}

#[test]
fn no_decision_before_the_deadline_without_a_statement() {
    let before = ctx(DECIDER, true, deadline() - TimeDelta::nanoseconds(1));
    let refused = decide(&awaiting(), &approve(), &before);
    assert_eq!(
        refused,
        Err(SanctionTransitionError::StatementPeriodRunning {
            until: LocalInstant::new(deadline(), Shanghai)
        })
    );
    // The deadline as the agency reads it: 24:00 local time, not 16:00 UTC.
    assert_eq!(
        refused.map_err(|e| e.to_string()).err().as_deref(),
        Some("the subject may still state their defence until 2026-03-05 24:00 (Asia/Shanghai)")
    );
    let at = ctx(DECIDER, true, deadline());
    assert!(decide(&awaiting(), &approve(), &at).is_ok());
}

#[test]
fn a_filed_statement_allows_an_early_decision() {
    let early = ctx(DECIDER, true, t0() + TimeDelta::hours(4));
    let case = run(awaiting_with_statement(), &approve(), &early);
    match case.status() {
        SanctionStatus::Decided {
            decision,
            statement: Some(statement),
        } => {
            assert_eq!(decision.decider, DECIDER);
            assert_eq!(decision.decided_at, early.now);
            assert!(!statement.late);
            assert_eq!(statement.filed_by, SUBJECT);
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn four_eyes_decider_must_be_leading_group_and_not_the_proposer() {
    let after = deadline() + TimeDelta::days(1);
    for action in [approve(), amend(), reject()] {
        assert_eq!(
            decide(&awaiting(), &action, &ctx(DECIDER, false, after)),
            Err(SanctionTransitionError::NotLeadingGroup)
        );
        assert_eq!(
            decide(&awaiting(), &action, &ctx(PROPOSER, true, after)),
            Err(SanctionTransitionError::DeciderIsProposer)
        );
        assert!(decide(&awaiting(), &action, &ctx(DECIDER, true, after)).is_ok());
    }
}

#[test]
fn four_eyes_is_checked_before_the_statement_period() {
    let early = ctx(PROPOSER, true, t0());
    assert_eq!(
        decide(&awaiting(), &approve(), &early),
        Err(SanctionTransitionError::DeciderIsProposer)
    );
}

#[test]
fn statement_rules() {
    let blank = SanctionAction::FileStatement {
        text: " \n ".into(),
    };
    assert_eq!(
        decide(&awaiting(), &blank, &ctx(SUBJECT, false, t0())),
        Err(SanctionTransitionError::EmptyStatement)
    );
    let on_time = run(
        awaiting(),
        &file(),
        &ctx(SUBJECT, false, deadline() - TimeDelta::seconds(1)),
    );
    let late = run(awaiting(), &file(), &ctx(SUBJECT, false, deadline()));
    let late_flag = |c: &SanctionCase| match c.status() {
        SanctionStatus::AwaitingStatement {
            statement: Some(s), ..
        } => s.late,
        other => panic!("unexpected {other:?}"),
    };
    assert!(!late_flag(&on_time));
    assert!(late_flag(&late));
}

#[test]
fn amend_and_reject_need_reasons() {
    for reasons in ["", "   "] {
        let amend_blank = SanctionAction::Decide {
            decision_id: DECISION,
            command: DecisionCommand::Amend {
                measures: vec![m("soft", "admonishment")],
                judicial_referral: false,
                reasons: reasons.into(),
            },
        };
        let reject_blank = SanctionAction::Decide {
            decision_id: DECISION,
            command: DecisionCommand::Reject {
                reasons: reasons.into(),
            },
        };
        for action in [amend_blank, reject_blank] {
            assert_eq!(
                decide(&awaiting(), &action, &decider_ctx()),
                Err(SanctionTransitionError::ReasonsRequired)
            );
        }
    }
}

fn amend_to(measures: Vec<Measure>, judicial_referral: bool) -> SanctionAction {
    SanctionAction::Decide {
        decision_id: DECISION,
        command: DecisionCommand::Amend {
            measures,
            judicial_referral,
            reasons: "reasons".into(),
        },
    }
}

#[test]
fn amend_needs_valid_and_different_measures() {
    let party_for_non_member = amend_to(vec![m("party", "warning")], false);
    assert_eq!(
        decide(&awaiting(), &party_for_non_member, &decider_ctx()),
        Err(SanctionTransitionError::InvalidMeasures(
            CombinationError::PartyMeasureForNonMember(m("party", "warning"))
        ))
    );
    assert_eq!(
        decide(&awaiting(), &amend_to(vec![], false), &decider_ctx()),
        Err(SanctionTransitionError::InvalidMeasures(
            CombinationError::NoMeasure
        ))
    );
    let same_reordered = amend_to(
        vec![m("soft", "circulated_criticism"), m("soft", "apology")],
        false,
    );
    assert_eq!(
        decide(&awaiting(), &same_reordered, &decider_ctx()),
        Err(SanctionTransitionError::AmendmentUnchanged)
    );
    let add_referral = amend_to(
        vec![m("soft", "apology"), m("soft", "circulated_criticism")],
        true,
    );
    assert!(decide(&awaiting(), &add_referral, &decider_ctx()).is_ok());
}

#[test]
fn measures_in_force_follow_the_outcome() {
    assert_eq!(awaiting().measures_in_force(), None);
    assert_eq!(
        decided_approved().measures_in_force(),
        Some(&proposed_measures())
    );
    assert_eq!(decided_rejected().measures_in_force(), None);
    let amended = run(awaiting(), &amend(), &decider_ctx());
    assert_eq!(
        amended.measures_in_force().map(SanctionMeasures::measures),
        Some(&[m("soft", "admonishment")][..])
    );
    assert_eq!(superseded().measures_in_force(), None);
}

#[test]
fn supersede_rules() {
    let not_lg = ctx(DECIDER, false, deadline() + TimeDelta::days(2));
    assert_eq!(
        decide(&decided_approved(), &supersede(), &not_lg),
        Err(SanctionTransitionError::NotLeadingGroup)
    );
    let by_self = SanctionAction::Supersede {
        by_decision: DECISION,
        reason: "review".into(),
    };
    assert_eq!(
        decide(&decided_approved(), &by_self, &decider_ctx()),
        Err(SanctionTransitionError::SupersededBySelf)
    );
    let blank = SanctionAction::Supersede {
        by_decision: LATER_DECISION,
        reason: "".into(),
    };
    assert_eq!(
        decide(&decided_approved(), &blank, &decider_ctx()),
        Err(SanctionTransitionError::ReasonsRequired)
    );
    // the proposer may record that a later decision superseded this one
    let proposer_lg = ctx(PROPOSER, true, deadline() + TimeDelta::days(2));
    assert!(decide(&decided_approved(), &supersede(), &proposer_lg).is_ok());
}

#[test]
fn superseded_keeps_the_original_decision() {
    let case = superseded();
    match case.status() {
        SanctionStatus::Superseded {
            decision,
            superseded_by,
            ..
        } => {
            assert_eq!(decision.decision_id, DECISION);
            assert_eq!(decision.outcome, DecisionOutcome::Approved);
            assert_eq!(*superseded_by, LATER_DECISION);
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(case.proposer(), PROPOSER);
    assert_eq!(case.subject_id(), SUBJECT);
    assert_eq!(case.proposed_at(), t0());
}
