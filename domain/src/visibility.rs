//! Who sees which cases, and whose complainant details: the one visibility policy that every
//! read, list, search, export and notification path asks (domain.md, "Complainants' personal
//! data").
//!
//! - Intake and the leading group see every case and the complainant's name and contacts.
//! - Admin manages units, accounts, the calendar and settings and reads no case content: every
//!   case read is refused by role, before any lookup, so real and random ids answer alike.
//! - Unit staff see the cases routed to their unit (a head: also to the units below). They see
//!   the complainant's details of such a case unless a respondent staff member is named and
//!   that person, or the unit complained about, is in the caller's unit or a unit below it:
//!   the respondent's own unit and every unit above it are on the respondent's side
//!   (protection against retaliation, 打击报复).
//! - Notifications carry no complainant details at all: their recipients may be on the
//!   respondent's side.
//!
//! The policy is pure: the facts it needs (the caller's unit and the units below it, the unit
//! of the respondent staff member) are looked up by the use cases and handed in.

use crate::access::{Actor, Forbidden};
use crate::ids::UnitId;
use crate::role::Role;

/// Which cases a caller may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Visibility {
    All,
    /// Only cases with a supervision order routed to one of these units.
    RoutedTo(Vec<UnitId>),
}

/// Whose complainant details a caller may see, among the cases it sees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DetailsRule {
    Always,
    Never,
    /// Unless a respondent staff member is named and the respondent's side reaches into these
    /// units (the caller's unit and every unit below it).
    UnlessRespondentWithin(Vec<UnitId>),
}

/// Where the respondent of one case stands in the unit tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RespondentSide {
    /// The unit complained about.
    pub unit: UnitId,
    /// Whether a staff member is named as the respondent.
    pub staff_named: bool,
    /// The named staff member's unit as the directory knows it now, if any.
    pub staff_unit: Option<UnitId>,
}

/// The caller's place in the unit tree, as the policy needs it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CallerUnits {
    /// The caller's unit and every unit below it (empty for roles outside units).
    pub unit_and_below: Vec<UnitId>,
}

/// Refuses admin (and any future role without case access) every read of case content:
/// complaints, histories and their verification, orders, investigation records, sanctions,
/// personal records, links, possible repeats.
///
/// # Errors
/// [`Forbidden`] naming `action`.
pub fn require_case_content(actor: &Actor, action: &'static str) -> Result<(), Forbidden> {
    match actor.role {
        Role::Admin => Err(Forbidden {
            role: actor.role,
            action,
        }),
        Role::Intake | Role::LeadingGroup | Role::UnitHandler | Role::UnitHead => Ok(()),
    }
}

/// Whether the caller needs [`CallerUnits`] looked up (unit roles with a unit do).
pub fn needs_units(actor: &Actor) -> Option<UnitId> {
    match actor.role {
        Role::UnitHandler | Role::UnitHead => actor.unit_id,
        Role::Intake | Role::LeadingGroup | Role::Admin => None,
    }
}

/// The cases the caller sees.
///
/// # Errors
/// [`Forbidden`] for admin.
pub fn cases(actor: &Actor, units: &CallerUnits) -> Result<Visibility, Forbidden> {
    require_case_content(actor, "read case content")?;
    Ok(match (actor.role, actor.unit_id) {
        (Role::Intake | Role::LeadingGroup, _) => Visibility::All,
        (Role::UnitHead, Some(_)) => Visibility::RoutedTo(units.unit_and_below.clone()),
        (Role::UnitHandler, Some(unit)) => Visibility::RoutedTo(vec![unit]),
        _ => Visibility::RoutedTo(vec![]),
    })
}

/// Whose complainant details the caller sees.
pub fn details(actor: &Actor, units: &CallerUnits) -> DetailsRule {
    match (actor.role, actor.unit_id) {
        (Role::Intake | Role::LeadingGroup, _) => DetailsRule::Always,
        (Role::UnitHandler | Role::UnitHead, Some(_)) => {
            DetailsRule::UnlessRespondentWithin(units.unit_and_below.clone())
        }
        _ => DetailsRule::Never,
    }
}

impl DetailsRule {
    /// Whether the complainant's details of a case with this respondent are shown.
    pub fn shows(&self, respondent: &RespondentSide) -> bool {
        match self {
            DetailsRule::Always => true,
            DetailsRule::Never => false,
            DetailsRule::UnlessRespondentWithin(units) => {
                !respondent.staff_named
                    || !(units.contains(&respondent.unit)
                        || respondent.staff_unit.is_some_and(|u| units.contains(&u)))
            }
        }
    }
}

#[cfg(test)]
mod tests;
