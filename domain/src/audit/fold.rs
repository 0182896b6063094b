//! A complaint's state as its events determine it, through the lifecycle's own `apply`.

use crate::complaint::events::RecordedEvent;
use crate::complaint::lifecycle::apply;
use crate::complaint::model::ComplaintState;

/// Folds the history, oldest first, from the registered state.
#[must_use]
pub fn fold_complaint(events: &[RecordedEvent]) -> ComplaintState {
    events
        .iter()
        .fold(ComplaintState::registered(), |state, recorded| {
            apply(&state, &recorded.event, recorded.actor_id, recorded.at)
        })
}

/// The fields in which `stored` differs from `expected` (empty when they agree).
#[must_use]
pub fn complaint_state_differences(
    expected: &ComplaintState,
    stored: &ComplaintState,
) -> Vec<&'static str> {
    let closing = |s: &ComplaintState| s.closing.clone();
    let mut differences = Vec::new();
    let mut differ = |same: bool, field: &'static str| {
        if !same {
            differences.push(field);
        }
    };
    differ(expected.status == stored.status, "status");
    differ(
        expected.complaint_type == stored.complaint_type,
        "complaint_type",
    );
    differ(expected.screening == stored.screening, "screening");
    let (e, s) = (closing(expected), closing(stored));
    differ(
        e.as_ref().map(|c| &c.outcome) == s.as_ref().map(|c| &c.outcome),
        "closing_outcome",
    );
    differ(
        e.as_ref().and_then(|c| c.finding) == s.as_ref().and_then(|c| c.finding),
        "finding",
    );
    differ(
        e.as_ref().map(|c| c.closed_at) == s.as_ref().map(|c| c.closed_at),
        "closed_at",
    );
    differ(
        e.as_ref().and_then(|c| c.answer) == s.as_ref().and_then(|c| c.answer),
        "answer",
    );
    differ(
        e.as_ref().and_then(|c| c.answer_due_at) == s.as_ref().and_then(|c| c.answer_due_at),
        "answer_due_at",
    );
    differ(
        e.as_ref().and_then(|c| c.feedback) == s.as_ref().and_then(|c| c.feedback),
        "feedback",
    );
    differ(expected.return_visit == stored.return_visit, "return_visit");
    differ(expected.reopen_count == stored.reopen_count, "reopen_count");
    differences
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::complaint::channel::Channel;
    use crate::complaint::events::ComplaintEvent;
    use crate::complaint::status::{ComplaintStatus, ComplaintType, ScreeningOutcome};
    use crate::ids::UserId;

    fn recorded(sequence: i64, event: ComplaintEvent) -> RecordedEvent {
        RecordedEvent {
            sequence,
            actor_id: Some(UserId::from_uuid(uuid::Uuid::from_u128(7))),
            at: Utc
                .with_ymd_and_hms(2026, 12, 1, 9, 0, 0)
                .single()
                .unwrap_or_default(),
            event,
        }
    }

    #[test]
    fn the_fold_follows_the_lifecycle_and_names_each_differing_field() {
        let events = [
            recorded(
                1,
                ComplaintEvent::Registered {
                    number: "2026-000001".into(),
                    channel: Channel::WalkIn,
                },
            ),
            recorded(
                2,
                ComplaintEvent::Screened {
                    outcome: ScreeningOutcome::Accepted,
                    explanation: "in scope".into(),
                    referral: None,
                },
            ),
            recorded(
                3,
                ComplaintEvent::Classified {
                    complaint_type: ComplaintType::CaseFiled,
                },
            ),
        ];
        let folded = fold_complaint(&events);
        assert_eq!(folded.status, ComplaintStatus::InHandling);
        assert_eq!(folded.complaint_type, Some(ComplaintType::CaseFiled));
        assert!(complaint_state_differences(&folded, &folded).is_empty());

        let mut edited = folded.clone();
        edited.status = ComplaintStatus::Closed;
        edited.reopen_count = 2;
        assert_eq!(
            complaint_state_differences(&folded, &edited),
            ["status", "reopen_count"]
        );
    }
}
