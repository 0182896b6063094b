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
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role, unit_id: Option<UnitId>) -> Actor {
        Actor {
            user_id: UserId::generate(),
            role,
            unit_id,
        }
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
