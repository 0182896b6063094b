//! Statistics (统计): the additive counts of one group of complaints and the rates defined
//! over them. Pure: the database counts, this module defines what the counts mean together.
//!
//! Every figure is about the complaints *received* in a period (a cohort): "closed" means
//! received in the period and closed by the time the statistics are read.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::calendar::WorkingCalendar;

/// A rate with what it counts: `numerator / denominator`, no value when nothing was counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Ratio {
    pub numerator: i64,
    pub denominator: i64,
}

impl Ratio {
    #[must_use]
    pub fn new(numerator: i64, denominator: i64) -> Self {
        Self {
            numerator,
            denominator,
        }
    }

    /// `numerator / denominator`, `None` when the denominator is 0.
    #[must_use]
    #[allow(clippy::cast_precision_loss)]
    pub fn value(&self) -> Option<f64> {
        (self.denominator != 0).then(|| self.numerator as f64 / self.denominator as f64)
    }
}

/// The additive counts of one group: the counts of two disjoint groups add up to the counts of
/// their union, so a total is the sum of its parts. (Staff with repeated sustained complaints
/// is not additive and is counted separately.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    /// Complaints received in the period.
    pub received: i64,
    /// Of those, screened with outcome `accepted` (受理).
    pub accepted: i64,
    /// Of those, closed now (status `closed`; a reopened complaint is not closed).
    pub closed: i64,
    /// Closed complaints none of whose reply time limits (any round, any unit) was met late
    /// (`met_on_time = false`). A closed complaint without supervision orders is on time.
    pub closed_on_time: i64,
    /// Time limits (screening, sign-for, reply) of the complaints.
    pub limits: i64,
    /// Limits overdue: stopped late (`met_on_time = false`) or still running past `due_at` now.
    pub overdue: i64,
    /// Limits that reached the yellow card (黄牌): current level yellow or red, or stopped late
    /// (yellow means overdue, so a limit met late was yellow even if the sweeper never saw it).
    pub yellow: i64,
    /// Limits that reached the red card (红牌): current level red. Levels only rise while a
    /// limit runs (a granted extension moving the deadline can lower it) and stay when the
    /// limit stops.
    pub red: i64,
    /// Supervision orders issued (every order, including those cancelled by a re-route).
    pub orders_issued: i64,
    /// Orders returned by the unit (退单, `returned_at` set), whatever the ruling.
    pub orders_returned: i64,
    /// Orders of round 2 or later (re-supervision, 再督办).
    pub resupervision_orders: i64,
    /// Complaints with at least one order.
    pub complaints_with_orders: i64,
    /// Complaints with an order of round 2 or later.
    pub complaints_resupervised: i64,
    /// Extension requests made.
    pub extensions_requested: i64,
    /// Extension requests granted.
    pub extensions_granted: i64,
    /// Orders whose granted extension obliged intake to tell the complainant the new date.
    pub complainant_notices: i64,
    /// Of those, told after the notice fell due (a working day after the grant), or still
    /// untold past it.
    pub complainant_notices_overdue: i64,
    /// Case-filed complaints closed before the complainant was told the result
    /// (`answer_later`): the answer was owed within a working day.
    pub answers_to_follow: i64,
    /// Of those, told after the answer fell due, or still untold past it.
    pub answers_to_follow_overdue: i64,
    /// Closed complaints with a return visit recorded (回访).
    pub visited: i64,
    /// Visited complaints whose complainant was reached (satisfied, basically satisfied or
    /// dissatisfied; not `unreachable`).
    pub visited_reached: i64,
    /// Reached complainants satisfied or basically satisfied.
    pub satisfied: i64,
    /// The sum over closed complaints of the working days from registration to closing.
    pub working_days_to_close: i64,
}

impl Counts {
    /// The counts of the union of two disjoint groups.
    #[must_use]
    pub fn plus(self, o: Self) -> Self {
        Self {
            received: self.received + o.received,
            accepted: self.accepted + o.accepted,
            closed: self.closed + o.closed,
            closed_on_time: self.closed_on_time + o.closed_on_time,
            limits: self.limits + o.limits,
            overdue: self.overdue + o.overdue,
            yellow: self.yellow + o.yellow,
            red: self.red + o.red,
            orders_issued: self.orders_issued + o.orders_issued,
            orders_returned: self.orders_returned + o.orders_returned,
            resupervision_orders: self.resupervision_orders + o.resupervision_orders,
            complaints_with_orders: self.complaints_with_orders + o.complaints_with_orders,
            complaints_resupervised: self.complaints_resupervised + o.complaints_resupervised,
            extensions_requested: self.extensions_requested + o.extensions_requested,
            extensions_granted: self.extensions_granted + o.extensions_granted,
            complainant_notices: self.complainant_notices + o.complainant_notices,
            complainant_notices_overdue: self.complainant_notices_overdue
                + o.complainant_notices_overdue,
            answers_to_follow: self.answers_to_follow + o.answers_to_follow,
            answers_to_follow_overdue: self.answers_to_follow_overdue + o.answers_to_follow_overdue,
            visited: self.visited + o.visited,
            visited_reached: self.visited_reached + o.visited_reached,
            satisfied: self.satisfied + o.satisfied,
            working_days_to_close: self.working_days_to_close + o.working_days_to_close,
        }
    }

    /// 办结率: closed / accepted.
    #[must_use]
    pub fn closing_rate(&self) -> Ratio {
        Ratio::new(self.closed, self.accepted)
    }

    /// 按时办结率: closed on time / closed.
    #[must_use]
    pub fn on_time_rate(&self) -> Ratio {
        Ratio::new(self.closed_on_time, self.closed)
    }

    /// 退单率: orders returned / orders issued.
    #[must_use]
    pub fn return_rate(&self) -> Ratio {
        Ratio::new(self.orders_returned, self.orders_issued)
    }

    /// Re-supervision rate: complaints with an order of round ≥ 2 / complaints with orders.
    #[must_use]
    pub fn resupervision_rate(&self) -> Ratio {
        Ratio::new(self.complaints_resupervised, self.complaints_with_orders)
    }

    /// Extensions granted / requested.
    #[must_use]
    pub fn extension_grant_rate(&self) -> Ratio {
        Ratio::new(self.extensions_granted, self.extensions_requested)
    }

    /// 回访率: closed complaints visited / closed.
    #[must_use]
    pub fn return_visit_rate(&self) -> Ratio {
        Ratio::new(self.visited, self.closed)
    }

    /// 满意率: (satisfied + basically satisfied) / visited and reached (unreachable excluded).
    #[must_use]
    pub fn satisfaction_rate(&self) -> Ratio {
        Ratio::new(self.satisfied, self.visited_reached)
    }

    /// Average working days to close: total working days / closed complaints.
    #[must_use]
    pub fn average_working_days_to_close(&self) -> Ratio {
        Ratio::new(self.working_days_to_close, self.closed)
    }
}

/// The total working days from start dates to end dates of a set of intervals, given only how
/// many intervals start and end on each local date.
///
/// The working days of one interval are those `d` with `start < d <= end` (as
/// [`WorkingCalendar::working_days_between`]), that is `W(end) - W(start)` for the running
/// count `W(d)` of working days up to `d`. Summed over intervals this is
/// `Σ count·W(end date) − Σ count·W(start date)`: the starts and the ends separate, so the
/// database only has to count intervals per start date and per end date, and this walks the
/// days between the earliest and the latest date once. Every interval must end on or after
/// its start.
#[must_use]
pub fn total_working_days(
    calendar: &WorkingCalendar,
    starts: &[(NaiveDate, i64)],
    ends: &[(NaiveDate, i64)],
) -> i64 {
    let mut weights: BTreeMap<NaiveDate, i64> = BTreeMap::new();
    for (date, count) in starts {
        *weights.entry(*date).or_default() -= count;
    }
    for (date, count) in ends {
        *weights.entry(*date).or_default() += count;
    }
    let Some(first) = weights.keys().next().copied() else {
        return 0;
    };
    let mut total = 0;
    let mut running = 0_i64;
    let mut day = first;
    for (date, weight) in weights {
        while day < date {
            day = match day.succ_opt() {
                Some(next) => next,
                None => break,
            };
            if calendar.is_working_day(day) {
                running += 1;
            }
        }
        total += weight * running;
    }
    total
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use chrono_tz::Asia::Shanghai;

    use super::*;
    use crate::calendar::local_date;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn a_rate_has_no_value_over_nothing() {
        assert_eq!(Ratio::new(0, 0).value(), None);
        assert_eq!(Ratio::new(1, 4).value(), Some(0.25));
    }

    #[test]
    fn totals_match_the_calendar_interval_by_interval() {
        let calendar = WorkingCalendar::new();
        // Mon 2026-03-02 .. Fri 03-06: 4; Fri 03-06 .. Mon 03-09: 1; same day: 0.
        let intervals = [
            ("2026-03-02", "2026-03-06"),
            ("2026-03-06", "2026-03-09"),
            ("2026-03-04", "2026-03-04"),
            ("2026-03-02", "2026-03-16"),
        ];
        let mut expected = 0;
        for (s, e) in intervals {
            let noon = |x: &str| {
                Shanghai
                    .from_local_datetime(&d(x).and_hms_opt(12, 0, 0).unwrap_or_default())
                    .single()
                    .map(|t| t.with_timezone(&Utc))
                    .unwrap_or_default()
            };
            assert_eq!(local_date(noon(s), Shanghai), d(s));
            expected += calendar
                .working_days_between(noon(s), noon(e), Shanghai)
                .working_days;
        }
        assert_eq!(expected, 4 + 1 + 10);
        let starts = [
            (d("2026-03-02"), 2),
            (d("2026-03-06"), 1),
            (d("2026-03-04"), 1),
        ];
        let ends = [
            (d("2026-03-06"), 1),
            (d("2026-03-09"), 1),
            (d("2026-03-04"), 1),
            (d("2026-03-16"), 1),
        ];
        assert_eq!(total_working_days(&calendar, &starts, &ends), expected);
        assert_eq!(total_working_days(&calendar, &[], &[]), 0);
    }
}
