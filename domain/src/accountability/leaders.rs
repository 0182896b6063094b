//! Who else a recommendation names (seed 000 篇6 第六条(四)–(五)): the head of the subject's
//! section, whose award eligibility goes with media exposure, and the leader with main
//! responsibility (负有主要责任的领导), handled too in the serious tier.
//!
//! Both come from the unit tree: the section is the nearest unit of kind `section` at or above
//! the subject's unit (a window's section is its parent), the leader with main responsibility
//! is the head of the nearest `agency` at or above it. Heads are the active `unit_head`
//! accounts of that unit. When no such unit or head is on record, the answer says so.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::ports::AccountabilityRepository;
use crate::ids::UnitId;
use crate::sanction::Recommendation;
use crate::storage::RepositoryError;
use crate::unit::UnitKind;

/// A staff member by id and display name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedPerson {
    pub user_id: Uuid,
    pub display_name: String,
}

/// One unit of the chain from a unit up to the root, with its active heads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitLeadership {
    pub unit_id: UnitId,
    pub name: String,
    pub kind: UnitKind,
    pub heads: Vec<NamedPerson>,
}

/// Whom a recommendation asks the proposer to handle too, as found when it was made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountablePeople {
    /// The section or agency they head; `None` when no such unit is on record.
    pub unit_id: Option<Uuid>,
    pub unit_name: Option<String>,
    /// Its heads (empty: none on record).
    pub people: Vec<NamedPerson>,
    /// One sentence naming them, or saying that none is on record and why.
    pub note: String,
}

fn heads_of(chain: &[UnitLeadership], kind: UnitKind, role: &str) -> AccountablePeople {
    let Some(unit) = chain.iter().find(|u| u.kind == kind) else {
        let note = match chain.first() {
            None => {
                format!("none on record: the subject belongs to no unit, so no {role} is known")
            }
            Some(own) => format!(
                "none on record: no {} is at or above the subject's unit {}",
                kind.as_str(),
                own.name
            ),
        };
        return AccountablePeople {
            unit_id: None,
            unit_name: None,
            people: Vec::new(),
            note,
        };
    };
    let note = if unit.heads.is_empty() {
        format!("none on record: {} has no active unit head", unit.name)
    } else {
        let names: Vec<&str> = unit.heads.iter().map(|p| p.display_name.as_str()).collect();
        format!("{role} ({}): {}", unit.name, names.join(", "))
    };
    AccountablePeople {
        unit_id: Some(unit.unit_id.as_uuid()),
        unit_name: Some(unit.name.clone()),
        people: unit.heads.clone(),
        note,
    }
}

/// The head of the section of the subject whose unit chain is `chain` (nearest first).
#[must_use]
pub fn section_head(chain: &[UnitLeadership]) -> AccountablePeople {
    heads_of(chain, UnitKind::Section, "head of the section")
}

/// The leader with main responsibility: the head of the nearest agency in `chain`.
#[must_use]
pub fn main_responsible_leader(chain: &[UnitLeadership]) -> AccountablePeople {
    heads_of(chain, UnitKind::Agency, "leader with main responsibility")
}

/// The people a recommendation for a subject in `unit` names, for each flag it sets.
///
/// # Errors
/// [`RepositoryError::Unavailable`].
pub async fn named_for<R: AccountabilityRepository>(
    repository: &R,
    unit: Option<UnitId>,
    recommendation: &Recommendation,
) -> Result<(Option<AccountablePeople>, Option<AccountablePeople>), RepositoryError> {
    let section = recommendation.also_handle_section_head_awards_disqualification;
    let leader = recommendation.also_handle_main_responsible_leader;
    if !section && !leader {
        return Ok((None, None));
    }
    let chain = match unit {
        Some(unit) => repository.unit_chain(unit).await?,
        None => Vec::new(),
    };
    Ok((
        section.then(|| section_head(&chain)),
        leader.then(|| main_responsible_leader(&chain)),
    ))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn unit(name: &str, kind: UnitKind, heads: &[&str]) -> UnitLeadership {
        UnitLeadership {
            unit_id: UnitId::from_uuid(Uuid::now_v7()),
            name: name.to_owned(),
            kind,
            heads: heads
                .iter()
                .map(|h| NamedPerson {
                    user_id: Uuid::now_v7(),
                    display_name: (*h).to_owned(),
                })
                .collect(),
        }
    }

    #[test]
    fn a_window_clerk_names_the_section_above_and_the_agency_head() {
        let chain = [
            unit("Window 3", UnitKind::Window, &["Window Lead"]),
            unit("Permits Section", UnitKind::Section, &["Zhou Min"]),
            unit(
                "Commerce Bureau",
                UnitKind::Agency,
                &["Chen Jie", "Lin Tao"],
            ),
        ];
        let section = section_head(&chain);
        assert_eq!(section.unit_id, Some(chain[1].unit_id.as_uuid()));
        assert_eq!(section.people, chain[1].heads);
        assert!(section.note.contains("Zhou Min"));
        let leader = main_responsible_leader(&chain);
        assert_eq!(leader.unit_name.as_deref(), Some("Commerce Bureau"));
        assert_eq!(leader.people.len(), 2);
        assert!(leader.note.contains("Chen Jie, Lin Tao"));
    }

    #[test]
    fn says_when_none_is_on_record() {
        let headless = [
            unit("Permits Section", UnitKind::Section, &[]),
            unit("Commerce Bureau", UnitKind::Agency, &["Chen Jie"]),
        ];
        let section = section_head(&headless);
        assert!(section.people.is_empty());
        assert_eq!(section.unit_name.as_deref(), Some("Permits Section"));
        assert!(section.note.starts_with("none on record"));
        let agency_only = [unit("Commerce Bureau", UnitKind::Agency, &["Chen Jie"])];
        let none = section_head(&agency_only);
        assert_eq!(none.unit_id, None);
        assert!(none.note.contains("Commerce Bureau"), "{}", none.note);
        assert!(
            main_responsible_leader(&[])
                .note
                .starts_with("none on record")
        );
    }
}
