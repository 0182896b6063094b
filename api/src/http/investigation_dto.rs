//! Wire types of investigation records and of the leading group's takeover of a case.

use chrono::{DateTime, Utc};
use duban_domain::accountability::{InvestigationRecord, Takeover};
use poem_openapi::Object;
use uuid::Uuid;

use super::strict_string::Text;

crate::mirror_enum!(
    /// The kind of an investigation entry.
    RecordKind => duban_domain::accountability::RecordKind {
        InterviewComplainant, InterviewRespondent, CaseRecordCheck, WitnessStatement
    }
);
/// A new investigation entry.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct NewInvestigationRecord {
    pub kind: RecordKind,
    /// Who was interviewed, checked or heard.
    #[oai(validator(min_length = 1, max_length = 2000, pattern = r"[^\s\u0085\ufeff]"))]
    pub people_involved: Text,
    #[oai(validator(min_length = 1, max_length = 20000, pattern = r"[^\s\u0085\ufeff]"))]
    pub content: Text,
}

/// An investigation entry (append-only).
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct InvestigationRecordView {
    pub id: Uuid,
    pub complaint_id: Uuid,
    pub kind: RecordKind,
    pub author_id: Uuid,
    pub recorded_at: DateTime<Utc>,
    pub people_involved: String,
    pub content: String,
}

impl From<InvestigationRecord> for InvestigationRecordView {
    fn from(r: InvestigationRecord) -> Self {
        Self {
            id: r.id,
            complaint_id: r.complaint_id.as_uuid(),
            kind: r.kind.into(),
            author_id: r.author_id.as_uuid(),
            recorded_at: r.recorded_at,
            people_involved: r.people_involved,
            content: r.content,
        }
    }
}

/// Investigation entries, oldest first.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct InvestigationRecordList {
    pub items: Vec<InvestigationRecordView>,
}

/// A takeover by the leading group.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct TakeoverBody {
    /// Why the case is important (重要问题).
    #[oai(validator(min_length = 1, max_length = 4000, pattern = r"[^\s\u0085\ufeff]"))]
    pub reason: Text,
}

/// Who holds a case taken over by the leading group.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct HeldByView {
    /// Always `leading_group`.
    pub holder: String,
    pub taken_by: Uuid,
    pub taken_at: DateTime<Utc>,
    pub reason: String,
}

impl From<Takeover> for HeldByView {
    fn from(t: Takeover) -> Self {
        Self {
            holder: "leading_group".into(),
            taken_by: t.taken_by.as_uuid(),
            taken_at: t.taken_at,
            reason: t.reason,
        }
    }
}
