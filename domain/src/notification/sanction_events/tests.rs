use chrono::TimeZone;
use uuid::Uuid;

use super::*;
use crate::ids::UnitId;

fn facts(subject: SubjectRef) -> SanctionFacts {
    SanctionFacts {
        sanction_id: Uuid::from_u128(1),
        subject,
        proposer: UserId::from_uuid(Uuid::from_u128(3)),
        statement_deadline: Utc.with_ymd_and_hms(2026, 3, 9, 16, 0, 0).single(),
        outcome: Some("approved"),
    }
}

fn audiences(kind: &str, s: &SanctionFacts) -> Vec<(Topic, Vec<Audience>)> {
    for_sanction_entry(kind, s)
        .into_iter()
        .map(|n| (n.topic, n.audience))
        .collect()
}

#[test]
fn the_subject_hears_of_the_proposal_and_the_decision_and_the_leading_group_of_its_work() {
    let person = UserId::from_uuid(Uuid::from_u128(2));
    let s = facts(SubjectRef::Person(person));
    assert_eq!(
        audiences("statement_period_opened", &s),
        vec![(
            Topic::SanctionProposed,
            vec![Audience::Person(person), Audience::LeadingGroup]
        )]
    );
    assert_eq!(
        for_sanction_entry("statement_period_opened", &s)[0].facts,
        vec![("statement_due_at", "2026-03-09T16:00:00Z".to_owned())]
    );
    assert_eq!(
        audiences("statement_filed", &s),
        vec![(Topic::SanctionStatementFiled, vec![Audience::LeadingGroup])]
    );
    assert_eq!(
        audiences("decided", &s),
        vec![(
            Topic::SanctionDecided,
            vec![
                Audience::Person(person),
                Audience::Person(s.proposer),
                Audience::UnitHeadsOf(person)
            ]
        )]
    );
    assert_eq!(audiences("proposed", &s), vec![]);
    assert_eq!(audiences("superseded", &s), vec![]);
}

#[test]
fn a_unit_subject_is_told_through_its_heads() {
    let unit = UnitId::from_uuid(Uuid::from_u128(4));
    let s = facts(SubjectRef::Unit(unit));
    assert_eq!(
        audiences("decided", &s),
        vec![(
            Topic::SanctionDecided,
            vec![Audience::UnitHeads(unit), Audience::Person(s.proposer)]
        )]
    );
}
