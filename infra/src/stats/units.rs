//! The unit breakdown: one row per unit with its own figures, and one roll-up row per unit
//! with the figures of the unit and every unit below it.
//!
//! Listed are the units with a figure of their own and every unit above them, so the roll-up
//! reaches the agency. Figures without a unit (screening limits, sanctions of a person
//! without a unit) are in the total only. A roll-up sums the additive counts of its units
//! (rates follow from the summed counts, never from averaging rates); staff with two or more
//! sustained complaints are counted over the roll-up's complaints, so a person with one in
//! each of two windows counts in the section's roll-up.

use std::collections::{BTreeMap, BTreeSet};

use duban_domain::calendar::WorkingCalendar;
use duban_domain::stats::Counts;
use duban_domain::storage::RepositoryError;
use sea_orm::sea_query::{Alias, Query};
use uuid::Uuid;

use super::fine::FineKey;
use super::sql::get;
use super::{Dimension, GroupFigures, SanctionCounts, StatsQuery, StatsStore};

/// A unit of the tree.
struct UnitNode {
    name: String,
    parent: Option<Uuid>,
}

type Tree = BTreeMap<Uuid, UnitNode>;

/// The unit and the units above it, nearest first (a cycle stops the walk).
fn chain(tree: &Tree, unit: Uuid) -> Vec<Uuid> {
    let mut out = vec![unit];
    let mut at = unit;
    while let Some(parent) = tree.get(&at).and_then(|n| n.parent) {
        if out.contains(&parent) {
            break;
        }
        out.push(parent);
        at = parent;
    }
    out
}

/// The listed units in tree order: each unit followed by the units below it, siblings by
/// name.
fn tree_order(tree: &Tree, listed: &BTreeSet<Uuid>) -> Vec<Uuid> {
    let name = |u: &Uuid| tree.get(u).map(|n| n.name.clone()).unwrap_or_default();
    let mut children: BTreeMap<Option<Uuid>, Vec<Uuid>> = BTreeMap::new();
    for unit in listed {
        let parent = tree
            .get(unit)
            .and_then(|n| n.parent)
            .filter(|p| listed.contains(p));
        children.entry(parent).or_default().push(*unit);
    }
    for list in children.values_mut() {
        list.sort_by_key(|u| (name(u), *u));
    }
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    let mut stack: Vec<Uuid> = children.get(&None).cloned().unwrap_or_default();
    stack.reverse();
    while let Some(unit) = stack.pop() {
        if !seen.insert(unit) {
            continue;
        }
        out.push(unit);
        if let Some(below) = children.get(&Some(unit)) {
            stack.extend(below.iter().rev());
        }
    }
    // Units only reachable through a cycle in the tree come last.
    out.extend(listed.iter().filter(|u| !seen.contains(u)));
    out
}

impl StatsStore {
    /// The unit rows and the roll-up rows, in tree order.
    pub(super) async fn unit_breakdown(
        &self,
        q: &StatsQuery,
        fine: &BTreeMap<FineKey, Counts>,
        calendar: &WorkingCalendar,
        sanctions: &BTreeMap<Uuid, SanctionCounts>,
    ) -> Result<(Vec<GroupFigures>, Vec<GroupFigures>), RepositoryError> {
        let tree = self.unit_tree().await?;
        let mut own: BTreeMap<Uuid, GroupFigures> = BTreeMap::new();
        for (key, counts) in fine {
            if let Some(unit) = key.unit {
                let group = own.entry(unit).or_default();
                group.counts = group.counts.plus(*counts);
            }
        }
        for (unit, counts) in sanctions {
            own.entry(*unit).or_default().sanctions = *counts;
        }
        for (key, days) in self
            .working_days(q, Some(Dimension::Unit), calendar)
            .await?
        {
            if let Ok(unit) = Uuid::parse_str(&key) {
                own.entry(unit).or_default().counts.working_days_to_close = days;
            }
        }
        let sustained = self.sustained_by_unit_and_staff(q).await?;
        for (unit, _, n) in &sustained {
            if *n >= 2 {
                own.entry(*unit).or_default().staff_repeated_sustained += 1;
            }
        }

        let listed: BTreeSet<Uuid> = own.keys().flat_map(|u| chain(&tree, *u)).collect();
        let mut rollups: BTreeMap<Uuid, GroupFigures> = BTreeMap::new();
        for (unit, group) in &own {
            for above in chain(&tree, *unit) {
                let sum = rollups.entry(above).or_default();
                sum.counts = sum.counts.plus(group.counts);
                sum.sanctions = sum.sanctions.plus(group.sanctions);
            }
        }
        let mut per_staff: BTreeMap<(Uuid, Uuid), i64> = BTreeMap::new();
        for (unit, staff, n) in &sustained {
            for above in chain(&tree, *unit) {
                *per_staff.entry((above, *staff)).or_default() += n;
            }
        }
        for ((unit, _), n) in per_staff {
            if n >= 2 {
                rollups.entry(unit).or_default().staff_repeated_sustained += 1;
            }
        }

        let named = |unit: Uuid, mut group: GroupFigures| {
            let node = tree.get(&unit);
            group.key = unit.to_string();
            group.label = Some(node.map_or_else(|| "unknown unit".to_owned(), |n| n.name.clone()));
            group.parent = node.and_then(|n| n.parent).map(|p| p.to_string());
            group
        };
        let mut units = Vec::new();
        let mut sums = Vec::new();
        for unit in tree_order(&tree, &listed) {
            units.push(named(unit, own.remove(&unit).unwrap_or_default()));
            sums.push(named(unit, rollups.remove(&unit).unwrap_or_default()));
        }
        Ok((units, sums))
    }

    async fn unit_tree(&self) -> Result<Tree, RepositoryError> {
        let stmt = Query::select()
            .column(Alias::new("id"))
            .column(Alias::new("name"))
            .column(Alias::new("parent_id"))
            .from(Alias::new("units"))
            .to_owned();
        let mut out = BTreeMap::new();
        for row in self.all(&stmt).await? {
            out.insert(
                get::<Uuid>(&row, "id")?,
                UnitNode {
                    name: get(&row, "name")?,
                    parent: get(&row, "parent_id")?,
                },
            );
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(name: &str, parent: Option<Uuid>) -> UnitNode {
        UnitNode {
            name: name.to_owned(),
            parent,
        }
    }

    #[test]
    fn units_come_in_tree_order_and_a_cycle_does_not_loop() {
        let (agency, a, b, w) = (
            Uuid::from_u128(1),
            Uuid::from_u128(2),
            Uuid::from_u128(3),
            Uuid::from_u128(4),
        );
        let tree: Tree = [
            (agency, node("Agency", None)),
            (a, node("B section", Some(agency))),
            (b, node("A section", Some(agency))),
            (w, node("Window", Some(a))),
        ]
        .into_iter()
        .collect();
        let listed = [agency, a, b, w].into_iter().collect();
        assert_eq!(tree_order(&tree, &listed), vec![agency, b, a, w]);
        assert_eq!(chain(&tree, w), vec![w, a, agency]);

        let (x, y) = (Uuid::from_u128(5), Uuid::from_u128(6));
        let cycle: Tree = [(x, node("X", Some(y))), (y, node("Y", Some(x)))]
            .into_iter()
            .collect();
        assert_eq!(chain(&cycle, x), vec![x, y]);
        let listed = [x, y].into_iter().collect();
        assert_eq!(tree_order(&cycle, &listed), vec![x, y]);
    }
}
