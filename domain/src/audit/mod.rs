//! Tamper evidence, as the core sees it: what a break in the evidence is, and what state a
//! complaint's history folds to (to check the stored row against it). Hashing, keys and
//! storage are the adapters' business.

mod fold;

pub use fold::{complaint_state_differences, fold_complaint};

use uuid::Uuid;

/// Which kind of history a chain holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ChainKind {
    Complaint,
    Sanction,
}

impl ChainKind {
    /// The name used in checkpoints and reports.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Complaint => "complaint",
            Self::Sanction => "sanction",
        }
    }
}

impl std::str::FromStr for ChainKind {
    type Err = String;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        match raw {
            "complaint" => Ok(Self::Complaint),
            "sanction" => Ok(Self::Sanction),
            other => Err(format!("unknown chain `{other}`")),
        }
    }
}

/// What is wrong at one place of the evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BreakKind {
    /// The event does not hash (keyed) to what is stored: its content was edited, or the
    /// chain was recomputed without the key.
    HashMismatch,
    /// The event names a key id that is not configured (neither current nor retired).
    UnknownKey(String),
    /// The event carries no key id: hashed by the old unkeyed scheme and never adopted.
    Unkeyed,
    /// The event does not name its predecessor's hash.
    LinkBroken,
    /// A sequence number is missing or repeated here (an event was removed or inserted).
    SequenceGap,
    /// The latest checkpoint sealed this chain up to a sequence that is no longer stored:
    /// the newest events were deleted.
    NewestEventsDeleted { sealed_sequence: i64 },
    /// The event at the sequence the checkpoint sealed hashes differently now.
    SealedHeadRewritten { sealed_sequence: i64 },
    /// The checkpoint sealed this chain, and it is gone entirely.
    ChainDeleted,
    /// The stored row differs from the state its events determine, in these fields.
    RowDiffers(Vec<String>),
    /// Events exist but the row they belong to does not.
    RowMissing,
    /// A row exists without any event.
    EventsMissing,
    /// An event's stored data cannot be read back.
    UnreadableEvent,
}

impl BreakKind {
    /// The stable name of the kind, in reports and over HTTP.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Self::HashMismatch => "hash_mismatch",
            Self::UnknownKey(_) => "unknown_key",
            Self::Unkeyed => "unkeyed",
            Self::LinkBroken => "link_broken",
            Self::SequenceGap => "sequence_gap",
            Self::NewestEventsDeleted { .. } => "newest_events_deleted",
            Self::SealedHeadRewritten { .. } => "sealed_head_rewritten",
            Self::ChainDeleted => "chain_deleted",
            Self::RowDiffers(_) => "row_differs",
            Self::RowMissing => "row_missing",
            Self::EventsMissing => "events_missing",
            Self::UnreadableEvent => "unreadable_event",
        }
    }

    /// A sentence for people.
    #[must_use]
    pub fn describe(&self) -> String {
        match self {
            Self::HashMismatch => {
                "the event does not match its keyed hash (edited, or the chain recomputed \
                 without the key)"
                    .into()
            }
            Self::UnknownKey(id) => format!("the event names key `{id}`, which is not configured"),
            Self::Unkeyed => "the event was hashed without a key and never adopted".into(),
            Self::LinkBroken => "the event does not name its predecessor's hash".into(),
            Self::SequenceGap => "an event is missing or out of place here".into(),
            Self::NewestEventsDeleted { sealed_sequence } => format!(
                "the latest checkpoint sealed the chain up to event {sealed_sequence}, which \
                 is no longer stored (the newest events were deleted)"
            ),
            Self::SealedHeadRewritten { sealed_sequence } => format!(
                "event {sealed_sequence}, sealed by the latest checkpoint, hashes differently now"
            ),
            Self::ChainDeleted => "the latest checkpoint sealed this chain; it is gone".into(),
            Self::RowDiffers(fields) => format!(
                "the stored row differs from what its events determine: {}",
                fields.join(", ")
            ),
            Self::RowMissing => "events exist but their row does not".into(),
            Self::EventsMissing => "the row has no events".into(),
            Self::UnreadableEvent => "the event's data cannot be read".into(),
        }
    }
}

/// One break: where (chain, subject, sequence when it is one event) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Break {
    pub chain: ChainKind,
    /// The complaint or sanction.
    pub subject_id: Uuid,
    pub sequence: Option<i64>,
    pub kind: BreakKind,
}

impl std::fmt::Display for Break {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.chain.as_str(), self.subject_id)?;
        if let Some(sequence) = self.sequence {
            write!(f, " event {sequence}")?;
        }
        write!(f, ": {} ({})", self.kind.code(), self.kind.describe())
    }
}
