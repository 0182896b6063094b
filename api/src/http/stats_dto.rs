//! The figures of the statistics as integrators read them: per group, and the rates.

use chrono::{DateTime, Utc};
use duban_domain::stats::Ratio;
use duban_infra::stats::{GroupFigures, SanctionCounts};
use poem_openapi::Object;

/// A rate: `numerator / denominator`, with `value` null when the denominator is 0.
#[derive(Debug, Clone, Object)]
pub struct Rate {
    pub numerator: i64,
    pub denominator: i64,
    /// `numerator / denominator`; null when the denominator is 0.
    #[oai(nullable)]
    pub value: Option<f64>,
}

impl From<Ratio> for Rate {
    fn from(r: Ratio) -> Self {
        Self {
            numerator: r.numerator,
            denominator: r.denominator,
            value: r.value(),
        }
    }
}

/// Decided sanction measures by track: measures of sanctions decided (approved or amended,
/// not superseded) with `decided_at` in the period.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct SanctionsByTrack {
    /// 批评教育类.
    pub soft: i64,
    /// 组织处理.
    pub organisational: i64,
    /// 政务处分.
    pub administrative: i64,
    /// 党纪处分.
    pub party: i64,
}

impl From<SanctionCounts> for SanctionsByTrack {
    fn from(s: SanctionCounts) -> Self {
        Self {
            soft: s.soft,
            organisational: s.organisational,
            administrative: s.administrative,
            party: s.party,
        }
    }
}

/// The figures of one group of the complaints received in the period.
///
/// In the unit breakdown, complaint-level figures (received … satisfaction, working days,
/// staff) count by respondent unit; order-level figures (orders, returns, re-supervision
/// orders, extensions, sign-for and reply limits) by the unit the order was addressed to, so a
/// return counts against the unit that returned it. Figures without a unit (screening limits,
/// sanctions of a person without a unit) are in the total only.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct StatsGroup {
    /// The group: a channel, a type (`unclassified` before classification), a matter, a unit
    /// id, or `all`.
    pub key: String,
    /// The unit's name (unit breakdown only).
    #[oai(skip_serializing_if_is_none)]
    pub label: Option<String>,
    /// The id of the unit above (unit breakdown only; absent for a top unit).
    #[oai(skip_serializing_if_is_none)]
    pub parent_id: Option<String>,
    /// Complaints received in the period.
    pub received: i64,
    /// Of those, accepted at screening (受理).
    pub accepted: i64,
    /// Of those, closed now (a reopened complaint is not closed).
    pub closed: i64,
    /// Closed complaints none of whose reply time limits (every order, every round) was met
    /// late (`met_on_time = false`); a closed complaint without orders counts as on time.
    pub closed_on_time: i64,
    /// 办结率: `closed / accepted`.
    pub closing_rate: Rate,
    /// 按时办结率: `closed_on_time / closed`.
    pub on_time_rate: Rate,
    /// Time limits (screening, sign-for, reply) of these complaints.
    pub time_limits: i64,
    /// Limits overdue: met late, or still running past their deadline now.
    pub overdue: i64,
    /// Limits that reached the yellow card (黄牌): current level yellow or red, or met late.
    pub yellow_cards: i64,
    /// Limits that reached the red card (红牌): current level red.
    pub red_cards: i64,
    /// Supervision orders issued (including those cancelled after a re-route).
    pub orders_issued: i64,
    /// Orders returned by the unit (退单), whatever intake ruled.
    pub orders_returned: i64,
    /// 退单率: `orders_returned / orders_issued`.
    pub return_rate: Rate,
    /// Orders of round 2 or later (再督办).
    pub resupervision_orders: i64,
    /// Complaints with at least one order.
    pub complaints_with_orders: i64,
    /// Complaints with an order of round 2 or later.
    pub complaints_resupervised: i64,
    /// Re-supervision rate: `complaints_resupervised / complaints_with_orders`.
    pub resupervision_rate: Rate,
    /// Extension requests made.
    pub extensions_requested: i64,
    /// Extension requests granted.
    pub extensions_granted: i64,
    /// `extensions_granted / extensions_requested`.
    pub extension_grant_rate: Rate,
    /// Orders whose granted extension obliged intake to tell the complainant the new date
    /// (counted with the order's unit, like the other order figures).
    pub complainant_notices: i64,
    /// Of those, told after the notice fell due (one working day after the grant), or still
    /// untold past it now.
    pub complainant_notices_overdue: i64,
    /// Complaints closed before the complainant was told the result (`answer_later`),
    /// counted with the respondent unit: the answer was owed within a working day.
    pub answers_to_follow: i64,
    /// Of those, told after the answer fell due, or still untold past it now.
    pub answers_to_follow_overdue: i64,
    /// Closed complaints with a return visit (回访).
    pub return_visits: i64,
    /// Visits that reached the complainant (not `unreachable`).
    pub return_visits_reached: i64,
    /// Reached complainants satisfied or basically satisfied.
    pub satisfied: i64,
    /// 回访率: `return_visits / closed`.
    pub return_visit_rate: Rate,
    /// 满意率: `satisfied / return_visits_reached` (unreachable excluded).
    pub satisfaction_rate: Rate,
    /// Average working days from registration to closing: numerator the working days summed
    /// over closed complaints (days after the registration date up to the closing date, in the
    /// working-day calendar), denominator `closed`.
    pub average_working_days_to_close: Rate,
    /// Respondent staff members with two or more sustained complaints in this group (a count;
    /// no one is named).
    pub staff_with_repeated_sustained_complaints: i64,
    /// Decided sanction measures by track (in the total and per unit; absent by channel, type
    /// or matter).
    #[oai(skip_serializing_if_is_none)]
    pub sanctions: Option<SanctionsByTrack>,
}

pub(super) fn group_view(g: &GroupFigures, with_sanctions: bool) -> StatsGroup {
    let c = &g.counts;
    StatsGroup {
        key: g.key.clone(),
        label: g.label.clone(),
        parent_id: g.parent.clone(),
        received: c.received,
        accepted: c.accepted,
        closed: c.closed,
        closed_on_time: c.closed_on_time,
        closing_rate: c.closing_rate().into(),
        on_time_rate: c.on_time_rate().into(),
        time_limits: c.limits,
        overdue: c.overdue,
        yellow_cards: c.yellow,
        red_cards: c.red,
        orders_issued: c.orders_issued,
        orders_returned: c.orders_returned,
        return_rate: c.return_rate().into(),
        resupervision_orders: c.resupervision_orders,
        complaints_with_orders: c.complaints_with_orders,
        complaints_resupervised: c.complaints_resupervised,
        resupervision_rate: c.resupervision_rate().into(),
        extensions_requested: c.extensions_requested,
        extensions_granted: c.extensions_granted,
        extension_grant_rate: c.extension_grant_rate().into(),
        complainant_notices: c.complainant_notices,
        complainant_notices_overdue: c.complainant_notices_overdue,
        answers_to_follow: c.answers_to_follow,
        answers_to_follow_overdue: c.answers_to_follow_overdue,
        return_visits: c.visited,
        return_visits_reached: c.visited_reached,
        satisfied: c.satisfied,
        return_visit_rate: c.return_visit_rate().into(),
        satisfaction_rate: c.satisfaction_rate().into(),
        average_working_days_to_close: c.average_working_days_to_close().into(),
        staff_with_repeated_sustained_complaints: g.staff_repeated_sustained,
        sanctions: with_sanctions.then(|| g.sanctions.into()),
    }
}

/// The statistics by channel, type and matter.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct StatsSummary {
    /// Complaints received at or after this instant...
    pub from: DateTime<Utc>,
    /// ...and before this one.
    pub to: DateTime<Utc>,
    /// When the figures were read.
    pub generated_at: DateTime<Utc>,
    pub total: StatsGroup,
    pub by_channel: Vec<StatsGroup>,
    pub by_type: Vec<StatsGroup>,
    pub by_matter: Vec<StatsGroup>,
}

/// The statistics by unit.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct UnitStats {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub generated_at: DateTime<Utc>,
    pub total: StatsGroup,
    /// One row per unit with its own figures (what the unit itself received and was
    /// addressed), with sanctions; every unit with a figure and every unit above it, each
    /// unit followed by the units below it.
    pub units: Vec<StatsGroup>,
    /// One roll-up row per row of `units` (same key and order): the figures of the unit and
    /// every unit below it, e.g. an agency's or a section's total. Counts are summed and rates
    /// computed from the summed counts; staff with repeated sustained complaints are counted
    /// over all the roll-up's complaints.
    pub rollups: Vec<StatsGroup>,
}
