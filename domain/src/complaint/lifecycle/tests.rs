use super::*;

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

fn states() -> Vec<(&'static str, ComplaintState)> {
    use ComplaintStatus as S;
    use ComplaintType as T;
    let dissatisfied = ComplaintState {
        last_return_visit: Some(Satisfaction::Dissatisfied),
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
        },
        Act::Close {
            outcome: "clerk retrained".into(),
            finding: Finding::Sustained,
            answer: "phoned on 2026-03-05".into(),
            open_orders: 0,
        },
        Act::RecordReturnVisit {
            satisfaction: Satisfaction::Satisfied,
            remarks: None,
        },
        Act::Reopen {
            reason: "complainant still objects".into(),
            within_reopen_window: true,
        },
    ]
}

#[rustfmt::skip]
const TABLE: [[Expect; 8]; 10] = [
    //  screen classify reclass reconcile dispose close visit reopen
    [A, W, W, W, W, W, W, W], // awaiting_screening
    [W, A, W, W, W, W, W, W], // awaiting_classification
    [W, W, A, A, W, W, W, W], // on_site
    [W, W, R, W, W, A, W, W], // case_filed (reclassify to its own type)
    [W, W, A, W, A, W, W, W], // feedback
    [W, W, W, W, W, W, A, R], // closed, no return visit yet
    [W, W, W, W, W, W, R, A], // closed, complainant dissatisfied
    [W, W, W, W, W, W, W, W], // out_of_scope
    [W, W, W, W, W, W, W, W], // invalid
    [W, W, W, W, W, W, W, W], // withdrawn
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
            actor,
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
        answer: "a".into(),
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
        last_return_visit: Some(Satisfaction::Dissatisfied),
        ..state(ComplaintStatus::Closed, Some(ComplaintType::OnSite))
    };
    let late = ComplaintAction::Reopen {
        reason: "r".into(),
        within_reopen_window: false,
    };
    assert_eq!(
        decide(&closed, late),
        Err(TransitionRefused::Rule("the reopen window has passed"))
    );
    let event = decide(
        &closed,
        ComplaintAction::Reopen {
            reason: "r".into(),
            within_reopen_window: true,
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let next = apply(&closed, &event, UserId::generate(), DateTime::default());
    assert_eq!(next.status, ComplaintStatus::InHandling);
    assert_eq!(next.complaint_type, Some(ComplaintType::CaseFiled));
    assert_eq!(next.reopen_count, 1);
    assert_eq!(next.last_return_visit, None);
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
    let next = apply(&on_site, &event, UserId::generate(), DateTime::default());
    assert_eq!(next.status, ComplaintStatus::InHandling);
    assert_eq!(next.complaint_type, Some(ComplaintType::CaseFiled));
}
