use super::*;
use crate::complaint::model::{FeedbackRouting, ReturnVisit};
use crate::ids::UserId;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    Allowed,
    WrongState,
    Rule,
}
use Expect::{Allowed as A, Rule as R, WrongState as W};

fn state(status: ComplaintStatus, complaint_type: Option<ComplaintType>) -> ComplaintState {
    ComplaintState {
        status,
        complaint_type,
        ..ComplaintState::registered()
    }
}

/// A return visit with `satisfaction`, made at the epoch (tests that need a time set it).
fn visit(satisfaction: Satisfaction) -> Option<ReturnVisit> {
    Some(ReturnVisit {
        satisfaction,
        remarks: None,
        visited_at: DateTime::default(),
    })
}

fn states() -> Vec<(&'static str, ComplaintState)> {
    use ComplaintStatus as S;
    use ComplaintType as T;
    let dissatisfied = ComplaintState {
        return_visit: visit(Satisfaction::Dissatisfied),
        ..state(S::Closed, Some(T::CaseFiled))
    };
    vec![
        ("awaiting_screening", state(S::AwaitingScreening, None)),
        (
            "awaiting_classification",
            state(S::AwaitingClassification, None),
        ),
        ("on_site", state(S::InHandling, Some(T::OnSite))),
        ("case_filed", state(S::InHandling, Some(T::CaseFiled))),
        ("feedback", state(S::InHandling, Some(T::Feedback))),
        ("closed", state(S::Closed, Some(T::CaseFiled))),
        ("closed_dissatisfied", dissatisfied),
        ("out_of_scope", state(S::OutOfScope, None)),
        ("invalid", state(S::Invalid, None)),
        ("withdrawn", state(S::Withdrawn, None)),
    ]
}

/// Told by phone at the epoch.
fn phoned() -> ComplainantAnswer {
    ComplainantAnswer {
        method: AnswerMethod::Phone,
        answered_at: Some(DateTime::default()),
    }
}

fn actions() -> Vec<ComplaintAction> {
    use ComplaintAction as Act;
    vec![
        Act::Screen {
            outcome: ScreeningOutcome::Accepted,
            explanation: "within scope".into(),
            referral: None,
        },
        Act::Classify {
            complaint_type: ComplaintType::CaseFiled,
        },
        Act::Reclassify {
            to: ComplaintType::CaseFiled,
            reason: "no reconciliation".into(),
            open_orders: 0,
        },
        Act::ReconcileOnSite {
            note: "apologised; complainant reconciled".into(),
        },
        Act::DisposeFeedback {
            disposition: FeedbackDisposition::Reference,
            note: "kept for window improvement".into(),
            section_id: None,
        },
        Act::Close {
            outcome: "clerk retrained".into(),
            finding: Finding::Sustained,
            answer: Some(phoned()),
            answer_due_at: None,
            complainant_anonymous: false,
            open_orders: 0,
        },
        Act::RecordReturnVisit {
            satisfaction: Satisfaction::Satisfied,
            remarks: None,
            visited_at: DateTime::default(),
        },
        Act::Reopen {
            reason: "complainant still objects".into(),
            within_reopen_window: true,
        },
        Act::RecordAnswer { answer: phoned() },
    ]
}

#[rustfmt::skip]
const TABLE: [[Expect; 9]; 10] = [
    //  screen classify reclass reconcile dispose close visit reopen answer
    [A, W, W, W, W, W, W, W, W], // awaiting_screening
    [W, A, W, W, W, W, W, W, W], // awaiting_classification
    [W, W, A, A, W, W, W, W, W], // on_site
    [W, W, R, W, W, A, W, W, W], // case_filed (reclassify to its own type)
    [W, W, A, W, A, W, W, W, W], // feedback
    [W, W, W, W, W, W, A, R, R], // closed, no return visit yet (no answer owed)
    [W, W, W, W, W, W, R, A, R], // closed, complainant dissatisfied
    [W, W, W, W, W, W, W, W, W], // out_of_scope
    [W, W, W, W, W, W, W, W, W], // invalid
    [W, W, W, W, W, W, W, W, W], // withdrawn
];

#[test]
fn every_state_and_action_pair_is_allowed_or_refused_as_the_table_says() {
    for ((state_name, state), row) in states().into_iter().zip(TABLE) {
        for (action, expected) in actions().into_iter().zip(row) {
            let label = format!("{state_name} × {}", action.name());
            let got = match decide(&state, action) {
                Ok(_) => A,
                Err(TransitionRefused::WrongState { status, .. }) => {
                    assert_eq!(status, state.status, "{label}");
                    W
                }
                Err(TransitionRefused::Rule(_)) => R,
            };
            assert_eq!(got, expected, "{label}");
        }
    }
}

#[test]
fn screening_outcomes_lead_to_their_status() {
    let actor = UserId::generate();
    for outcome in ScreeningOutcome::ALL {
        let referral = (*outcome == ScreeningOutcome::OutOfScope).then(|| "市场监管局".to_owned());
        let event = decide(
            &ComplaintState::registered(),
            ComplaintAction::Screen {
                outcome: *outcome,
                explanation: "explained".into(),
                referral,
            },
        );
        let event = event.unwrap_or_else(|e| panic!("{e}"));
        let next = apply(
            &ComplaintState::registered(),
            &event,
            Some(actor),
            DateTime::default(),
        );
        assert_eq!(next.status, outcome.resulting_status());
        assert_eq!(next.screening.map(|s| s.screened_by), Some(actor));
    }
}

#[test]
fn a_referral_belongs_only_to_out_of_scope() {
    let refused = decide(
        &ComplaintState::registered(),
        ComplaintAction::Screen {
            outcome: ScreeningOutcome::Invalid,
            explanation: "no matter stated".into(),
            referral: Some("another office".into()),
        },
    );
    assert!(matches!(refused, Err(TransitionRefused::Rule(_))));
}

#[test]
fn open_orders_block_reclassifying_and_closing() {
    let case = state(ComplaintStatus::InHandling, Some(ComplaintType::CaseFiled));
    let reclassify = ComplaintAction::Reclassify {
        to: ComplaintType::Feedback,
        reason: "r".into(),
        open_orders: 1,
    };
    assert!(matches!(
        decide(&case, reclassify),
        Err(TransitionRefused::Rule(_))
    ));
    let close = ComplaintAction::Close {
        outcome: "o".into(),
        finding: Finding::NotSustained,
        answer: Some(phoned()),
        answer_due_at: None,
        complainant_anonymous: false,
        open_orders: 2,
    };
    assert!(matches!(
        decide(&case, close),
        Err(TransitionRefused::Rule(_))
    ));
}

#[test]
fn reopening_outside_the_window_is_refused_and_inside_starts_a_new_case_filed_round() {
    let closed = ComplaintState {
        return_visit: visit(Satisfaction::Dissatisfied),
        ..state(ComplaintStatus::Closed, Some(ComplaintType::OnSite))
    };
    let late = ComplaintAction::Reopen {
        reason: "r".into(),
        within_reopen_window: false,
    };
    assert_eq!(
        decide(&closed, late),
        Err(TransitionRefused::Rule(crate::msg!(
            "rule_reopen_window_passed"
        )))
    );
    let event = decide(
        &closed,
        ComplaintAction::Reopen {
            reason: "r".into(),
            within_reopen_window: true,
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let next = apply(
        &closed,
        &event,
        Some(UserId::generate()),
        DateTime::default(),
    );
    assert_eq!(next.status, ComplaintStatus::InHandling);
    assert_eq!(next.complaint_type, Some(ComplaintType::CaseFiled));
    assert_eq!(next.reopen_count, 1);
    assert_eq!(next.return_visit, None);
}

#[test]
fn reclassifying_changes_only_the_type() {
    let on_site = state(ComplaintStatus::InHandling, Some(ComplaintType::OnSite));
    let event = decide(
        &on_site,
        ComplaintAction::Reclassify {
            to: ComplaintType::CaseFiled,
            reason: "coordination failed".into(),
            open_orders: 0,
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(event.reason(), Some("coordination failed"));
    let next = apply(
        &on_site,
        &event,
        Some(UserId::generate()),
        DateTime::default(),
    );
    assert_eq!(next.status, ComplaintStatus::InHandling);
    assert_eq!(next.complaint_type, Some(ComplaintType::CaseFiled));
}

#[test]
fn a_warning_level_change_leaves_the_state_as_it_is() {
    let event = ComplaintEvent::WarningLevelChanged {
        limit: "reply".into(),
        order_id: None,
        unit_id: None,
        from: crate::calendar::WarningLevel::Blue,
        to: crate::calendar::WarningLevel::Yellow,
        due_at: DateTime::default(),
    };
    assert_eq!(event.kind(), "warning_level_changed");
    for (name, before) in states() {
        let after = apply(
            &before,
            &event,
            Some(UserId::generate()),
            DateTime::default(),
        );
        assert_eq!(after, before, "{name}");
    }
}

fn case_filed() -> ComplaintState {
    state(ComplaintStatus::InHandling, Some(ComplaintType::CaseFiled))
}

fn close(answer: Option<ComplainantAnswer>, complainant_anonymous: bool) -> ComplaintAction {
    ComplaintAction::Close {
        outcome: "clerk retrained".into(),
        finding: Finding::Sustained,
        answer,
        answer_due_at: None,
        complainant_anonymous,
        open_orders: 0,
    }
}

const NOT_TOLD: TransitionRefused = TransitionRefused::Rule(crate::msg!("rule_close_needs_answer"));

#[test]
fn a_named_complainant_must_have_been_told_the_result() {
    assert_eq!(decide(&case_filed(), close(None, false)), Err(NOT_TOLD));
    let not_answered = ComplainantAnswer {
        method: AnswerMethod::NoneAnonymous,
        answered_at: None,
    };
    assert_eq!(
        decide(&case_filed(), close(Some(not_answered), false)),
        Err(NOT_TOLD)
    );
    let undated = ComplainantAnswer {
        method: AnswerMethod::Letter,
        answered_at: None,
    };
    assert!(matches!(
        decide(&case_filed(), close(Some(undated), false)),
        Err(TransitionRefused::Rule(_))
    ));
    let event = decide(&case_filed(), close(Some(phoned()), false));
    let event = event.unwrap_or_else(|e| panic!("{e}"));
    let next = apply(
        &case_filed(),
        &event,
        Some(UserId::generate()),
        DateTime::default(),
    );
    let closing = next.closing.unwrap_or_else(|| panic!("not closed"));
    assert_eq!(closing.answer, Some(phoned()));
    assert_eq!(closing.finding, Some(Finding::Sustained));
    assert_eq!(next.status, ComplaintStatus::Closed);
}

#[test]
fn an_anonymous_complaint_closes_without_an_answer() {
    let none = ComplainantAnswer {
        method: AnswerMethod::NoneAnonymous,
        answered_at: None,
    };
    for answer in [None, Some(none)] {
        let event = decide(&case_filed(), close(answer, true));
        assert_eq!(
            event,
            Ok(ComplaintEvent::Closed {
                outcome: "clerk retrained".into(),
                finding: Finding::Sustained,
                answer: Some(none),
                answer_due_at: None,
            })
        );
    }
    // One told anyway (in person, say) keeps the answer.
    let told = decide(&case_filed(), close(Some(phoned()), true));
    assert!(matches!(told, Ok(ComplaintEvent::Closed { answer, .. }) if answer == Some(phoned())));
}

/// Closed with the answer to follow, owed by `due`.
fn closed_owing_the_answer(closed_at: DateTime<Utc>, due: DateTime<Utc>) -> ComplaintState {
    let action = ComplaintAction::Close {
        outcome: "clerk retrained".into(),
        finding: Finding::Sustained,
        answer: None,
        answer_due_at: Some(due),
        complainant_anonymous: false,
        open_orders: 0,
    };
    let event = decide(&case_filed(), action).unwrap_or_else(|e| panic!("{e}"));
    apply(&case_filed(), &event, Some(UserId::generate()), closed_at)
}

#[test]
fn a_case_may_close_with_the_answer_to_follow_and_owes_it_until_told() {
    let closed_at = DateTime::<Utc>::from_timestamp(1_780_000_000, 0).unwrap_or_default();
    let due = closed_at + chrono::TimeDelta::days(1);
    let owing = closed_owing_the_answer(closed_at, due);
    let closing = owing
        .closing
        .clone()
        .unwrap_or_else(|| panic!("not closed"));
    assert_eq!(owing.status, ComplaintStatus::Closed);
    assert!(closing.answer_owed());

    let visit = ComplaintAction::RecordReturnVisit {
        satisfaction: Satisfaction::Satisfied,
        remarks: None,
        visited_at: due,
    };
    assert_eq!(
        decide(&owing, visit),
        Err(TransitionRefused::Rule(crate::msg!(
            "rule_return_visit_before_answer"
        ))),
        "nobody asks how satisfied they are with a result they have not heard"
    );
    let before_closing = ComplainantAnswer {
        method: AnswerMethod::Sms,
        answered_at: Some(closed_at - chrono::TimeDelta::seconds(1)),
    };
    assert_eq!(
        decide(
            &owing,
            ComplaintAction::RecordAnswer {
                answer: before_closing
            }
        ),
        Err(TransitionRefused::Rule(crate::msg!(
            "rule_answer_before_closing"
        )))
    );
    let sent = ComplainantAnswer {
        method: AnswerMethod::Sms,
        answered_at: Some(due + chrono::TimeDelta::hours(1)),
    };
    let event = decide(&owing, ComplaintAction::RecordAnswer { answer: sent });
    assert_eq!(
        event,
        Ok(ComplaintEvent::ComplainantToldResult { answer: sent })
    );
    let event = event.unwrap_or_else(|e| panic!("{e}"));
    let told = apply(&owing, &event, None, due);
    let closing = told.closing.clone().unwrap_or_else(|| panic!("not closed"));
    assert_eq!(closing.answer, Some(sent));
    assert!(!closing.answer_owed());
    assert_eq!(
        decide(&told, ComplaintAction::RecordAnswer { answer: sent }),
        Err(TransitionRefused::Rule(crate::msg!("rule_no_answer_owed"))),
        "told once"
    );
}

#[test]
fn an_anonymous_complainant_is_owed_no_answer_to_follow() {
    let action = ComplaintAction::Close {
        outcome: "o".into(),
        finding: Finding::Unfounded,
        answer: None,
        answer_due_at: Some(DateTime::default()),
        complainant_anonymous: true,
        open_orders: 0,
    };
    assert_eq!(
        decide(&case_filed(), action),
        Err(TransitionRefused::Rule(crate::msg!(
            "rule_anonymous_owed_no_answer"
        )))
    );
    let told_on_closing = decide(&case_filed(), close(Some(phoned()), false)).map(|e| {
        apply(
            &case_filed(),
            &e,
            Some(UserId::generate()),
            DateTime::default(),
        )
    });
    let Ok(told_on_closing) = told_on_closing else {
        panic!("not closed")
    };
    assert_eq!(
        decide(
            &told_on_closing,
            ComplaintAction::RecordAnswer { answer: phoned() }
        ),
        Err(TransitionRefused::Rule(crate::msg!("rule_no_answer_owed")))
    );
}

#[test]
fn feedback_names_a_section_exactly_when_forwarded_to_one() {
    let feedback = state(ComplaintStatus::InHandling, Some(ComplaintType::Feedback));
    let section = Some(crate::ids::UnitId::generate());
    for (disposition, section_id, allowed) in [
        (FeedbackDisposition::ForwardToSection, section, true),
        (FeedbackDisposition::ForwardToSection, None, false),
        (FeedbackDisposition::Reference, None, true),
        (FeedbackDisposition::Reference, section, false),
        (FeedbackDisposition::ForwardToGovernment, None, true),
        (FeedbackDisposition::ForwardToGovernment, section, false),
    ] {
        let action = ComplaintAction::DisposeFeedback {
            disposition,
            note: "n".into(),
            section_id,
        };
        let result = decide(&feedback, action);
        assert_eq!(result.is_ok(), allowed, "{disposition:?} {section_id:?}");
        if let Ok(event) = result {
            let next = apply(
                &feedback,
                &event,
                Some(UserId::generate()),
                DateTime::default(),
            );
            let routing = next.closing.and_then(|c| c.feedback);
            assert_eq!(
                routing,
                Some(FeedbackRouting {
                    disposition,
                    section_id
                })
            );
        }
    }
}

#[test]
fn a_return_visit_is_recorded_once_and_not_before_the_closing() {
    let closed_at = DateTime::<Utc>::from_timestamp(1_780_000_000, 0).unwrap_or_default();
    let closed = ComplaintState {
        closing: Some(Closing {
            outcome: "o".into(),
            finding: Some(Finding::Unfounded),
            closed_at,
            answer: Some(phoned()),
            answer_due_at: None,
            feedback: None,
        }),
        ..state(ComplaintStatus::Closed, Some(ComplaintType::CaseFiled))
    };
    let visit_at = |at| ComplaintAction::RecordReturnVisit {
        satisfaction: Satisfaction::Dissatisfied,
        remarks: Some("still rude".into()),
        visited_at: at,
    };
    assert_eq!(
        decide(&closed, visit_at(closed_at - chrono::TimeDelta::seconds(1))),
        Err(TransitionRefused::Rule(crate::msg!(
            "rule_return_visit_before_closing"
        )))
    );
    let event = decide(&closed, visit_at(closed_at)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(event.reason(), Some("still rude"));
    let visited = apply(&closed, &event, Some(UserId::generate()), closed_at);
    assert_eq!(
        visited.return_visit.as_ref().map(|v| v.visited_at),
        Some(closed_at)
    );
    assert!(matches!(
        decide(&visited, visit_at(closed_at)),
        Err(TransitionRefused::Rule(_))
    ));
}
