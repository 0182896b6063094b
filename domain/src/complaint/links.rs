//! Links between complaints (关联件): intake links a possible repeat to the complaint it
//! repeats so that the matter is handled once; both histories record the link.

use chrono::{DateTime, Utc};

use crate::ids::{ComplaintId, UserId};

/// The longest reason for a link, in characters.
pub const LINK_REASON_MAX: usize = 2000;

/// A link as stored: between two complaints, with who made it, when and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComplaintLink {
    pub complaint_id: ComplaintId,
    pub linked_complaint_id: ComplaintId,
    pub reason: String,
    pub linked_by: UserId,
    pub linked_at: DateTime<Utc>,
}

impl ComplaintLink {
    /// The same link seen from `id`'s side (`id` first), if `id` is one of its ends.
    pub fn seen_from(&self, id: ComplaintId) -> Option<ComplaintLink> {
        if self.complaint_id == id {
            Some(self.clone())
        } else if self.linked_complaint_id == id {
            Some(ComplaintLink {
                complaint_id: self.linked_complaint_id,
                linked_complaint_id: self.complaint_id,
                ..self.clone()
            })
        } else {
            None
        }
    }
}

/// A link of a complaint, with the other complaint's number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkedComplaint {
    pub link: ComplaintLink,
    pub linked_number: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_reads_the_same_from_either_end() {
        let (a, b, c) = (
            ComplaintId::generate(),
            ComplaintId::generate(),
            ComplaintId::generate(),
        );
        let link = ComplaintLink {
            complaint_id: a,
            linked_complaint_id: b,
            reason: "same matter".into(),
            linked_by: UserId::generate(),
            linked_at: Utc::now(),
        };
        assert_eq!(link.seen_from(a), Some(link.clone()));
        let from_b = link.seen_from(b).unwrap_or_else(|| panic!("b is an end"));
        assert_eq!((from_b.complaint_id, from_b.linked_complaint_id), (b, a));
        assert_eq!(from_b.reason, link.reason);
        assert_eq!(link.seen_from(c), None);
    }
}
