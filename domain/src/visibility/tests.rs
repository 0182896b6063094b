//! The policy over a small unit tree: agency A with section S1 (and team T below it) and
//! section S2; agency B beside A.

use super::*;
use crate::ids::UserId;

struct Tree {
    a: UnitId,
    s1: UnitId,
    t: UnitId,
    s2: UnitId,
    b: UnitId,
}

impl Tree {
    fn new() -> Self {
        Self {
            a: UnitId::generate(),
            s1: UnitId::generate(),
            t: UnitId::generate(),
            s2: UnitId::generate(),
            b: UnitId::generate(),
        }
    }

    /// The unit and every unit below it.
    fn below(&self, unit: UnitId) -> Vec<UnitId> {
        if unit == self.a {
            vec![self.a, self.s1, self.t, self.s2]
        } else if unit == self.s1 {
            vec![self.s1, self.t]
        } else {
            vec![unit]
        }
    }

    fn caller(&self, role: Role, unit: Option<UnitId>) -> (Actor, CallerUnits) {
        let actor = Actor {
            user_id: UserId::generate(),
            role,
            unit_id: unit,
        };
        let units = CallerUnits {
            unit_and_below: unit.map(|u| self.below(u)).unwrap_or_default(),
        };
        (actor, units)
    }
}

fn side(unit: UnitId, staff_unit: Option<UnitId>) -> RespondentSide {
    RespondentSide {
        unit,
        staff_named: true,
        staff_unit,
    }
}

#[test]
fn complainant_details_are_withheld_from_the_respondents_unit_and_every_unit_above_it() {
    let tree = Tree::new();
    let about_t = side(tree.s1, Some(tree.t));
    let moved_to_b = side(tree.s1, Some(tree.b));
    let unit_only = RespondentSide {
        unit: tree.t,
        staff_named: false,
        staff_unit: None,
    };
    let left_the_units = side(tree.t, None);
    #[rustfmt::skip]
    let table: &[(Role, Option<UnitId>, &RespondentSide, bool, &str)] = &[
        (Role::Intake, None, &about_t, true, "intake"),
        (Role::LeadingGroup, None, &about_t, true, "leading group"),
        (Role::Admin, None, &about_t, false, "admin"),
        (Role::UnitHandler, Some(tree.t), &about_t, false, "handler of the respondent's unit"),
        (Role::UnitHead, Some(tree.t), &about_t, false, "head of the respondent's unit"),
        (Role::UnitHead, Some(tree.s1), &about_t, false, "head one level above"),
        (Role::UnitHead, Some(tree.a), &about_t, false, "head two levels above"),
        (Role::UnitHandler, Some(tree.a), &about_t, false, "handler two levels above"),
        (Role::UnitHead, Some(tree.s2), &about_t, true, "head of a sibling section"),
        (Role::UnitHandler, Some(tree.b), &about_t, true, "handler of an unrelated agency"),
        (Role::UnitHead, Some(tree.b), &moved_to_b, false, "the staff member's new unit"),
        (Role::UnitHead, Some(tree.s1), &moved_to_b, false, "the unit complained about"),
        (Role::UnitHead, Some(tree.s2), &moved_to_b, true, "unrelated to both"),
        (Role::UnitHead, Some(tree.t), &unit_only, true, "no staff member named"),
        (Role::UnitHead, Some(tree.a), &unit_only, true, "above a unit, no staff named"),
        (Role::UnitHead, Some(tree.a), &left_the_units, false, "staff outside units now"),
        (Role::UnitHead, None, &unit_only, false, "a unit role without a unit"),
    ];
    for (role, unit, respondent, shown, case) in table {
        let (actor, units) = tree.caller(*role, *unit);
        assert_eq!(details(&actor, &units).shows(respondent), *shown, "{case}");
    }
}

#[test]
fn cases_are_everything_for_intake_and_the_leading_group_routed_for_units_refused_for_admin() {
    let tree = Tree::new();
    #[rustfmt::skip]
    let table: &[(Role, Option<UnitId>, Option<Visibility>)] = &[
        (Role::Intake, None, Some(Visibility::All)),
        (Role::LeadingGroup, None, Some(Visibility::All)),
        (Role::Admin, None, None),
        (Role::UnitHandler, Some(tree.s1), Some(Visibility::RoutedTo(vec![tree.s1]))),
        (Role::UnitHead, Some(tree.s1), Some(Visibility::RoutedTo(vec![tree.s1, tree.t]))),
        (Role::UnitHead, None, Some(Visibility::RoutedTo(vec![]))),
    ];
    for (role, unit, expected) in table {
        let (actor, units) = tree.caller(*role, *unit);
        assert_eq!(cases(&actor, &units).ok(), *expected, "{role:?}");
    }
}

#[test]
fn admin_is_refused_case_content_by_role_and_the_refusal_names_the_action() {
    let tree = Tree::new();
    let (admin, _) = tree.caller(Role::Admin, None);
    let refused = require_case_content(&admin, "read sanctions");
    assert_eq!(
        refused.map_err(|e| e.to_string()),
        Err("the role `admin` may not read sanctions".to_owned())
    );
    for role in [
        Role::Intake,
        Role::LeadingGroup,
        Role::UnitHandler,
        Role::UnitHead,
    ] {
        let (actor, _) = tree.caller(role, Some(tree.a));
        assert!(require_case_content(&actor, "read").is_ok(), "{role:?}");
    }
}

#[test]
fn only_unit_roles_with_a_unit_need_their_units_looked_up() {
    let tree = Tree::new();
    assert_eq!(
        needs_units(&tree.caller(Role::UnitHandler, Some(tree.s2)).0),
        Some(tree.s2)
    );
    assert_eq!(needs_units(&tree.caller(Role::UnitHead, None).0), None);
    assert_eq!(needs_units(&tree.caller(Role::Intake, None).0), None);
}
