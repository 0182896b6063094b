//! Impact periods of decided measures, and what is active on a given day.
//!
//! Definitions:
//! - A span is active on day `d` iff `effective ≤ d` and (`d < until` or it is permanent):
//!   `until` is the first day on which the impact no longer applies. A demerit effective
//!   2026-01-10 (12 months) is active through 2027-01-09 and lapses on 2027-01-10.
//! - Months are calendar months; a day missing in the target month becomes that month's last
//!   day (admonishment from 2026-03-31 bars promotion until 2026-09-30).
//! - `soft/admonishment`: promotion barred for 6 months. `soft/awards_disqualification` and
//!   `soft/circulated_criticism`: disqualified for the calendar year of the effective date
//!   (until 1 January next year). Administrative: warning 6, demerit 12, major_demerit 18,
//!   grade_reduction 24, dismissal_from_post 24 months; expulsion permanent. Party: warning
//!   12 and serious_warning 18 months without promotion in the party; removal_from_party_post
//!   24 months without a party post at that level; probation (the longest, 24 months) and a
//!   post bar to 24 months after it; expulsion permanent, with 60 months without readmission.
//!   No other measure has a span. What each span affects and the rule it comes from:
//!   [`rules`].
//! - Cumulation (受处分期间再受处分): administrative sanctions are taken in effective-date
//!   order; sanctions taking effect on the same day in the order they were decided (then by
//!   decision id). When one takes effect while an earlier one is still running (its
//!   effective date is before the running end), its period is added to the remaining period:
//!   `until = running_until + its months`, at most its effective date + 48 months. A running
//!   expulsion has no end, so a later sanction is cut at the 48-month cap; a later expulsion
//!   is permanent. A sanction taking effect on or after the running end gets its own period.
//!   A decided sanction's span never changes because of a later decision.
//!
//! Only measures of decisions in force may be passed in: superseded and rejected decisions
//! must be left out by the caller.

use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use thiserror::Error;
use uuid::Uuid;

use super::measure::{ImpactPeriod, Measure};

pub mod rules;

/// The most an administrative sanction may last when cumulated, from its effective date.
pub const CUMULATIVE_CAP_MONTHS: u32 = 48;

/// One measure of a decision in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecidedMeasure {
    pub decision_id: Uuid,
    pub measure: Measure,
    pub effective: NaiveDate,
    /// When the decision was made: orders sanctions taking effect on the same day.
    pub decided_at: DateTime<Utc>,
}

/// What an active span means for the subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImpactKind {
    /// No promotion (诫勉).
    PromotionBar,
    /// No awards for the year.
    AwardsDisqualification,
    /// An administrative sanction is running (处分期).
    AdministrativeSanction,
    /// Expelled (开除), permanently.
    Expulsion,
    /// No promotion within the party (党纪警告, 严重警告).
    PartyPromotionBar,
    /// No party post at or above the former level (撤销党内职务; after 留党察看).
    PartyPostBar,
    /// Party probation (留党察看): no vote, no right to elect or be elected.
    PartyProbation,
    /// Expelled from the party (开除党籍), permanently.
    PartyExpulsion,
    /// No readmission to the party after expulsion.
    PartyReadmissionBar,
}

/// When a span ends. `Until` sorts before `Permanent`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ImpactEnd {
    /// The first day on which the impact no longer applies.
    Until(NaiveDate),
    Permanent,
}

/// The impact of one decided measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImpactSpan {
    pub decision_id: Uuid,
    pub measure: Measure,
    pub kind: ImpactKind,
    pub effective: NaiveDate,
    pub end: ImpactEnd,
    /// Added to the remaining period of an earlier running administrative sanction.
    pub cumulated: bool,
    /// Cut at [`CUMULATIVE_CAP_MONTHS`] from its effective date.
    pub capped: bool,
}

impl ImpactSpan {
    /// See the module docs.
    #[must_use]
    pub fn is_active_on(&self, date: NaiveDate) -> bool {
        self.effective <= date
            && match self.end {
                ImpactEnd::Until(until) => date < until,
                ImpactEnd::Permanent => true,
            }
    }

    /// What the impact bars or means (see [`rules::affects`]).
    #[must_use]
    pub const fn affects(&self) -> &'static str {
        rules::affects(self.kind)
    }

    /// The rule the impact comes from (see [`rules::rule_source`]).
    #[must_use]
    pub const fn rule_source(&self) -> &'static str {
        rules::rule_source(self.measure, self.kind)
    }

    /// Awards and an "excellent" rating are barred on `date`: for a year-long disqualification
    /// throughout the calendar year of its effective date, for the others while active.
    #[must_use]
    pub fn bars_awards_on(&self, date: NaiveDate) -> bool {
        rules::bars_awards(self.kind)
            && match self.kind {
                ImpactKind::AwardsDisqualification => self.effective.year() == date.year(),
                _ => self.is_active_on(date),
            }
    }
}

/// An impact end beyond the calendar's range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[error("the impact period of {measure} effective {effective} ends beyond the supported dates")]
pub struct ImpactError {
    pub measure: Measure,
    pub effective: NaiveDate,
}

/// Spans of every decided measure that has an impact period, in effective-date order (ties:
/// decision order, then decision id). Measures without a period yield no span; a party
/// probation or expulsion yields two.
///
/// # Errors
/// [`ImpactError`] when an end date falls outside chrono's range.
pub fn impact_spans(decided: &[DecidedMeasure]) -> Result<Vec<ImpactSpan>, ImpactError> {
    let mut ordered: Vec<&DecidedMeasure> = decided.iter().collect();
    ordered.sort_by_key(|d| (d.effective, d.decided_at, d.decision_id));
    let mut running: Option<ImpactEnd> = None;
    let mut spans = Vec::new();
    for d in ordered {
        let err = ImpactError {
            measure: d.measure,
            effective: d.effective,
        };
        let add =
            |date: NaiveDate, months: u32| date.checked_add_months(Months::new(months)).ok_or(err);
        let until = |months: u32| add(d.effective, months).map(ImpactEnd::Until);
        let plain = |kind, end| ImpactSpan {
            decision_id: d.decision_id,
            measure: d.measure,
            kind,
            effective: d.effective,
            end,
            cumulated: false,
            capped: false,
        };
        let span = |kind, end, cumulated, capped| ImpactSpan {
            decision_id: d.decision_id,
            measure: d.measure,
            kind,
            effective: d.effective,
            end,
            cumulated,
            capped,
        };
        match d.measure.impact_period() {
            ImpactPeriod::None => {}
            ImpactPeriod::PromotionBar { months } => {
                let until = add(d.effective, months)?;
                spans.push(span(
                    ImpactKind::PromotionBar,
                    ImpactEnd::Until(until),
                    false,
                    false,
                ));
            }
            ImpactPeriod::AwardsCurrentYear => {
                let next_year = d.effective.year().checked_add(1).ok_or(err)?;
                let until = NaiveDate::from_ymd_opt(next_year, 1, 1).ok_or(err)?;
                spans.push(span(
                    ImpactKind::AwardsDisqualification,
                    ImpactEnd::Until(until),
                    false,
                    false,
                ));
            }
            ImpactPeriod::Permanent => {
                let cumulated = running.is_some_and(|r| still_running(r, d.effective));
                running = Some(ImpactEnd::Permanent);
                spans.push(span(
                    ImpactKind::Expulsion,
                    ImpactEnd::Permanent,
                    cumulated,
                    false,
                ));
            }
            ImpactPeriod::PartyPromotionBar { months } => {
                spans.push(plain(ImpactKind::PartyPromotionBar, until(months)?));
            }
            ImpactPeriod::PartyPostBar { months } => {
                spans.push(plain(ImpactKind::PartyPostBar, until(months)?));
            }
            ImpactPeriod::PartyProbation {
                months,
                then_post_bar_months,
            } => {
                spans.push(plain(ImpactKind::PartyProbation, until(months)?));
                let total = months.checked_add(then_post_bar_months).ok_or(err)?;
                spans.push(plain(ImpactKind::PartyPostBar, until(total)?));
            }
            ImpactPeriod::PartyExpulsion {
                readmission_bar_months,
            } => {
                spans.push(plain(ImpactKind::PartyExpulsion, ImpactEnd::Permanent));
                spans.push(plain(
                    ImpactKind::PartyReadmissionBar,
                    until(readmission_bar_months)?,
                ));
            }
            ImpactPeriod::AdministrativeSanction { months } => {
                let (end, cumulated, capped) = match running {
                    Some(r) if still_running(r, d.effective) => {
                        let cap = add(d.effective, CUMULATIVE_CAP_MONTHS)?;
                        let summed = match r {
                            ImpactEnd::Until(until) => Some(add(until, months)?),
                            ImpactEnd::Permanent => None,
                        };
                        match summed {
                            Some(until) if until <= cap => (until, true, false),
                            _ => (cap, true, true),
                        }
                    }
                    _ => (add(d.effective, months)?, false, false),
                };
                let end = ImpactEnd::Until(end);
                running = Some(running.map_or(end, |r| r.max(end)));
                spans.push(span(
                    ImpactKind::AdministrativeSanction,
                    end,
                    cumulated,
                    capped,
                ));
            }
        }
    }
    Ok(spans)
}

fn still_running(end: ImpactEnd, date: NaiveDate) -> bool {
    match end {
        ImpactEnd::Until(until) => date < until,
        ImpactEnd::Permanent => true,
    }
}

/// What is active for a subject on one day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActiveSanctions {
    pub on: NaiveDate,
    /// The active spans, in effective-date order.
    pub spans: Vec<ImpactSpan>,
}

/// The spans active on `date`.
#[must_use]
pub fn active_on(spans: &[ImpactSpan], date: NaiveDate) -> ActiveSanctions {
    ActiveSanctions {
        on: date,
        spans: spans
            .iter()
            .filter(|s| s.is_active_on(date))
            .copied()
            .collect(),
    }
}

impl ActiveSanctions {
    /// Nothing is active.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// Promotion is barred (诫勉) until this day, if at all.
    #[must_use]
    pub fn promotion_barred_until(&self) -> Option<ImpactEnd> {
        self.latest_end(ImpactKind::PromotionBar)
    }

    /// The calendar year for which the subject is disqualified from awards, if any.
    #[must_use]
    pub fn awards_disqualified_year(&self) -> Option<i32> {
        self.spans
            .iter()
            .find(|s| s.kind == ImpactKind::AwardsDisqualification)
            .map(|_| self.on.year())
    }

    /// An administrative sanction is running until this day, if any.
    #[must_use]
    pub fn administrative_sanction_until(&self) -> Option<ImpactEnd> {
        self.latest_end(ImpactKind::AdministrativeSanction)
    }

    /// Expelled, from public employment or from the party.
    #[must_use]
    pub fn is_expelled(&self) -> bool {
        self.spans
            .iter()
            .any(|s| matches!(s.kind, ImpactKind::Expulsion | ImpactKind::PartyExpulsion))
    }

    /// Expelled from the party (开除党籍).
    #[must_use]
    pub fn is_expelled_from_party(&self) -> bool {
        self.spans
            .iter()
            .any(|s| s.kind == ImpactKind::PartyExpulsion)
    }

    /// No promotion within the party until this day, if barred.
    #[must_use]
    pub fn party_promotion_barred_until(&self) -> Option<ImpactEnd> {
        self.latest_end(ImpactKind::PartyPromotionBar)
    }

    /// No party post at or above the former level until this day, if barred.
    #[must_use]
    pub fn party_posts_barred_until(&self) -> Option<ImpactEnd> {
        self.latest_end(ImpactKind::PartyPostBar)
    }

    /// On party probation until this day (at the longest), if at all.
    #[must_use]
    pub fn party_probation_until(&self) -> Option<ImpactEnd> {
        self.latest_end(ImpactKind::PartyProbation)
    }

    /// No readmission to the party until this day, if barred.
    #[must_use]
    pub fn party_readmission_barred_until(&self) -> Option<ImpactEnd> {
        self.latest_end(ImpactKind::PartyReadmissionBar)
    }

    fn latest_end(&self, kind: ImpactKind) -> Option<ImpactEnd> {
        self.spans
            .iter()
            .filter(|s| s.kind == kind)
            .map(|s| s.end)
            .max()
    }
}

#[cfg(test)]
mod tests;
