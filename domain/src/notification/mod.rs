//! Who must be told of what: each recorded fact that someone must act on, or must know,
//! becomes notices to an audience. Decided here, as pure functions of the event and the
//! case; the storage adapter resolves audiences to people and writes each notice to their
//! inbox and the outbox in the transaction of the event.
//!
//! Notices carry numbers, ids and deadlines only, never the complainant's details: whoever
//! receives one may see no more of the case than a notice says.

mod case_events;
mod channel;
mod sanction_events;
mod topic;

use uuid::Uuid;

use crate::ids::{UnitId, UserId};

pub use case_events::{CaseFacts, for_case_event};
pub use channel::{ChannelChoice, PersonalChannel, wanted};
pub use sanction_events::{SanctionFacts, for_sanction_entry};
pub use topic::Topic;

/// Who a notice goes to, as the rule says it; the adapter finds the people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Audience {
    /// The heads and handlers of the unit a supervision order is addressed to.
    OrderUnitStaff(Uuid),
    /// The heads of the unit a supervision order is addressed to.
    OrderUnitHeads(Uuid),
    /// The heads and handlers of a unit.
    UnitStaff(UnitId),
    /// The heads of the unit a person belongs to.
    UnitHeadsOf(UserId),
    /// The heads of a unit.
    UnitHeads(UnitId),
    /// Every active intake officer.
    Intake,
    /// Every active member of the leading group.
    LeadingGroup,
    Person(UserId),
}

/// What a notice is about, for the link a reader follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    Complaint(Uuid),
    Order(Uuid),
    Sanction(Uuid),
}

/// One thing to tell: a topic, its audience, what it is about, and the facts its words show
/// (argument name and value, the same in every language).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub topic: Topic,
    pub audience: Vec<Audience>,
    pub subject: Subject,
    pub facts: Vec<(&'static str, String)>,
}

impl Notice {
    fn new(topic: Topic, subject: Subject, audience: Vec<Audience>) -> Self {
        Self {
            topic,
            audience,
            subject,
            facts: Vec::new(),
        }
    }

    fn fact(mut self, name: &'static str, value: impl ToString) -> Self {
        self.facts.push((name, value.to_string()));
        self
    }
}
