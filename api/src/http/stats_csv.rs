//! The statistics as CSV: one row per group, the columns of the JSON fields.

use super::csv::field as csv_field;
use super::stats_dto::{Rate, SanctionsByTrack, StatsGroup};

/// The CSV columns, in order. Rates are the `value` (empty when the denominator is 0); their
/// numerators and denominators are the count columns named in the JSON schema.
pub const CSV_COLUMNS: &[&str] = &[
    "dimension",
    "key",
    "label",
    "received",
    "accepted",
    "closed",
    "closed_on_time",
    "closing_rate",
    "on_time_rate",
    "time_limits",
    "overdue",
    "yellow_cards",
    "red_cards",
    "orders_issued",
    "orders_returned",
    "return_rate",
    "resupervision_orders",
    "complaints_with_orders",
    "complaints_resupervised",
    "resupervision_rate",
    "extensions_requested",
    "extensions_granted",
    "extension_grant_rate",
    "return_visits",
    "return_visits_reached",
    "satisfied",
    "return_visit_rate",
    "satisfaction_rate",
    "working_days_to_close_total",
    "average_working_days_to_close",
    "staff_with_repeated_sustained_complaints",
    "sanctions_soft",
    "sanctions_organisational",
    "sanctions_administrative",
    "sanctions_party",
    "complainant_notices",
    "complainant_notices_overdue",
    "answers_to_follow",
    "answers_to_follow_overdue",
];

fn rate_cell(r: &Rate) -> String {
    r.value.map(|v| format!("{v}")).unwrap_or_default()
}

fn csv_row(dimension: &str, g: &StatsGroup) -> String {
    let s = g.sanctions.as_ref();
    let track = |f: fn(&SanctionsByTrack) -> i64| s.map(|s| f(s).to_string()).unwrap_or_default();
    let cells = [
        csv_field(dimension),
        csv_field(&g.key),
        csv_field(g.label.as_deref().unwrap_or("")),
        g.received.to_string(),
        g.accepted.to_string(),
        g.closed.to_string(),
        g.closed_on_time.to_string(),
        rate_cell(&g.closing_rate),
        rate_cell(&g.on_time_rate),
        g.time_limits.to_string(),
        g.overdue.to_string(),
        g.yellow_cards.to_string(),
        g.red_cards.to_string(),
        g.orders_issued.to_string(),
        g.orders_returned.to_string(),
        rate_cell(&g.return_rate),
        g.resupervision_orders.to_string(),
        g.complaints_with_orders.to_string(),
        g.complaints_resupervised.to_string(),
        rate_cell(&g.resupervision_rate),
        g.extensions_requested.to_string(),
        g.extensions_granted.to_string(),
        rate_cell(&g.extension_grant_rate),
        g.return_visits.to_string(),
        g.return_visits_reached.to_string(),
        g.satisfied.to_string(),
        rate_cell(&g.return_visit_rate),
        rate_cell(&g.satisfaction_rate),
        g.average_working_days_to_close.numerator.to_string(),
        rate_cell(&g.average_working_days_to_close),
        g.staff_with_repeated_sustained_complaints.to_string(),
        track(|s| s.soft),
        track(|s| s.organisational),
        track(|s| s.administrative),
        track(|s| s.party),
        g.complainant_notices.to_string(),
        g.complainant_notices_overdue.to_string(),
        g.answers_to_follow.to_string(),
        g.answers_to_follow_overdue.to_string(),
    ];
    cells.join(",")
}

pub(super) fn csv(rows: &[(&str, &StatsGroup)], bom: bool) -> String {
    super::csv::document(CSV_COLUMNS, rows.iter().map(|(d, g)| csv_row(d, g)), bom)
}
