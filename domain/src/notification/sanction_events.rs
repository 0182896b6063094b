//! Notices from a sanction's history: the subject told of the proposal and of the decision,
//! the leading group of what awaits its decision.

use chrono::{DateTime, Utc};

use super::{Audience, Notice, Subject, Topic};
use crate::accountability::SubjectRef;
use crate::ids::UserId;

/// What the rules need to know of the sanction a history entry belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SanctionFacts {
    pub sanction_id: uuid::Uuid,
    pub subject: SubjectRef,
    pub proposer: UserId,
    /// While the statement period is open.
    pub statement_deadline: Option<DateTime<Utc>>,
    /// `approved`, `amended` or `rejected` once decided.
    pub outcome: Option<&'static str>,
}

/// The notices a sanction history entry of `kind` gives rise to.
#[must_use]
pub fn for_sanction_entry(kind: &str, sanction: &SanctionFacts) -> Vec<Notice> {
    let subject = Subject::Sanction(sanction.sanction_id);
    let (told, heads) = match sanction.subject {
        SubjectRef::Person(person) => (Audience::Person(person), Audience::UnitHeadsOf(person)),
        SubjectRef::Unit(unit) => (Audience::UnitHeads(unit), Audience::UnitHeads(unit)),
    };
    let notice = match kind {
        // The proposal opens the statement period in the same write; the deadline is known then.
        "statement_period_opened" => Notice::new(
            Topic::SanctionProposed,
            subject,
            vec![told, Audience::LeadingGroup],
        )
        .fact(
            "statement_due_at",
            sanction
                .statement_deadline
                .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
                .unwrap_or_default(),
        ),
        "statement_filed" => Notice::new(
            Topic::SanctionStatementFiled,
            subject,
            vec![Audience::LeadingGroup],
        ),
        "decided" => {
            let mut audience = vec![told, Audience::Person(sanction.proposer)];
            if heads != audience[0] {
                audience.push(heads);
            }
            Notice::new(Topic::SanctionDecided, subject, audience)
                .fact("outcome", sanction.outcome.unwrap_or_default())
        }
        _ => return Vec::new(),
    };
    vec![notice]
}

#[cfg(test)]
mod tests;
