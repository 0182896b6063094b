//! Staff roles and what they may do.

use std::str::FromStr;

/// The role of a staff account (see domain.md, "Who uses it").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    Intake,
    UnitHandler,
    UnitHead,
    LeadingGroup,
    Admin,
}

/// A role name that is not one of the five roles.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role `{0}`")]
pub struct UnknownRole(pub String);

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Intake,
        Role::UnitHandler,
        Role::UnitHead,
        Role::LeadingGroup,
        Role::Admin,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Role::Intake => "intake",
            Role::UnitHandler => "unit_handler",
            Role::UnitHead => "unit_head",
            Role::LeadingGroup => "leading_group",
            Role::Admin => "admin",
        }
    }

    /// Unit roles belong to exactly one unit; the others belong to none.
    pub const fn belongs_to_unit(self) -> bool {
        matches!(self, Role::UnitHandler | Role::UnitHead)
    }
}

impl FromStr for Role {
    type Err = UnknownRole;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| UnknownRole(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_names_round_trip() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
        assert!("root".parse::<Role>().is_err());
    }

    #[test]
    fn only_unit_roles_belong_to_a_unit() {
        let unit_roles: Vec<_> = Role::ALL
            .into_iter()
            .filter(|r| r.belongs_to_unit())
            .collect();
        assert_eq!(unit_roles, vec![Role::UnitHandler, Role::UnitHead]);
    }
}
