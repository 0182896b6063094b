//! Who is acting, and the role checks every use case starts with.

use crate::ids::{UnitId, UserId};
use crate::role::Role;

/// The authenticated staff member on whose behalf a use case runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub user_id: UserId,
    pub role: Role,
    /// Set for unit roles only.
    pub unit_id: Option<UnitId>,
}

/// The actor's role does not allow the action.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the role `{role}` may not {action}", role = .role.as_str())]
pub struct Forbidden {
    pub role: Role,
    pub action: &'static str,
}

impl Actor {
    /// Succeeds when the actor holds one of `roles`.
    ///
    /// # Errors
    /// [`Forbidden`] naming the action otherwise.
    pub fn require(&self, roles: &[Role], action: &'static str) -> Result<(), Forbidden> {
        if roles.contains(&self.role) {
            Ok(())
        } else {
            Err(Forbidden {
                role: self.role,
                action,
            })
        }
    }

    /// Intake, the leading group and admin see every complaint; unit staff only their unit's.
    pub fn sees_all_complaints(&self) -> bool {
        matches!(self.role, Role::Intake | Role::LeadingGroup | Role::Admin)
    }
}

/// Whether the actor may see a complainant's name and contacts. Intake and the leading group
/// may; admin may not (they run the system, not cases); unit staff may, to answer the
/// complainant, except when the respondent staff member belongs to their own unit
/// (protection against retaliation, 打击报复).
pub fn sees_complainant_details(
    actor: &Actor,
    respondent_staff_unit: Option<crate::ids::UnitId>,
) -> bool {
    match actor.role {
        Role::Intake | Role::LeadingGroup => true,
        Role::Admin => false,
        Role::UnitHandler | Role::UnitHead => {
            respondent_staff_unit.is_none() || respondent_staff_unit != actor.unit_id
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::UnitId;

    fn actor(role: Role, unit_id: Option<UnitId>) -> Actor {
        Actor {
            user_id: UserId::generate(),
            role,
            unit_id,
        }
    }

    #[test]
    fn complainant_details_are_hidden_from_admin_and_from_the_respondents_own_unit() {
        let unit = UnitId::generate();
        let other = UnitId::generate();
        assert!(sees_complainant_details(
            &actor(Role::Intake, None),
            Some(unit)
        ));
        assert!(sees_complainant_details(
            &actor(Role::LeadingGroup, None),
            Some(unit)
        ));
        assert!(!sees_complainant_details(&actor(Role::Admin, None), None));
        assert!(!sees_complainant_details(
            &actor(Role::UnitHandler, Some(unit)),
            Some(unit)
        ));
        assert!(!sees_complainant_details(
            &actor(Role::UnitHead, Some(unit)),
            Some(unit)
        ));
        assert!(sees_complainant_details(
            &actor(Role::UnitHead, Some(other)),
            Some(unit)
        ));
        assert!(sees_complainant_details(
            &actor(Role::UnitHandler, Some(unit)),
            None
        ));
    }

    #[test]
    fn require_names_the_refused_action() {
        let err = actor(Role::Admin, None).require(&[Role::Intake], "register complaints");
        assert_eq!(
            err.map_err(|e| e.to_string()),
            Err("the role `admin` may not register complaints".to_owned())
        );
    }
}
