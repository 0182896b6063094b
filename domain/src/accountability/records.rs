//! The record of a person or unit (档案): complaints by finding, sanctions in force with their
//! impact periods, what is active on a day, and awards eligibility for its year.

use chrono::NaiveDate;

use super::model::{ComplaintAgainst, SanctionRecord};
use crate::complaint::status::Finding;
use crate::sanction::{
    ActiveSanctions, DecidedMeasure, ImpactError, ImpactSpan, SanctionStatus, active_on,
    impact_spans,
};

/// Complaint counts by finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FindingCounts {
    pub sustained: u32,
    pub not_sustained: u32,
    pub exonerated: u32,
    pub unfounded: u32,
    /// Open, or closed without a finding (on site, feedback).
    pub without_finding: u32,
}

/// A subject's record on one day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubjectRecord {
    pub complaints: Vec<ComplaintAgainst>,
    pub by_finding: FindingCounts,
    /// Every sanction proposal about the subject, newest first.
    pub sanctions: Vec<SanctionRecord>,
    /// Every measure of the decisions in force, in effective-date and decision order.
    pub decided: Vec<DecidedMeasure>,
    /// Impact spans of the decisions in force.
    pub spans: Vec<ImpactSpan>,
    pub active: ActiveSanctions,
    /// No span bars awards or an "excellent" rating on `active.on` (see
    /// [`ImpactSpan::bars_awards_on`]).
    pub awards_eligible: bool,
}

/// The measures of decisions in force (approved or amended, not superseded), each with the
/// sanction's effective date and decision instant; the sanction id stands for the decision.
/// In effective-date order, then decision order.
#[must_use]
pub fn decided_measures(sanctions: &[SanctionRecord]) -> Vec<DecidedMeasure> {
    let mut decided: Vec<DecidedMeasure> = sanctions
        .iter()
        .filter_map(|s| {
            let effective = s.effective_date?;
            let measures = s.case.measures_in_force()?;
            let SanctionStatus::Decided { decision, .. } = s.case.status() else {
                return None;
            };
            let decided_at = decision.decided_at;
            Some(
                measures
                    .measures()
                    .iter()
                    .map(|m| DecidedMeasure {
                        decision_id: s.case.id(),
                        measure: *m,
                        effective,
                        decided_at,
                    })
                    .collect::<Vec<_>>(),
            )
        })
        .flatten()
        .collect();
    decided.sort_by_key(|d| (d.effective, d.decided_at, d.decision_id));
    decided
}

/// True when a decision in force of `sanctions` has an impact active on `today`.
///
/// # Errors
/// [`ImpactError`] for dates beyond the calendar.
pub fn earlier_sanction_active(
    sanctions: &[SanctionRecord],
    today: NaiveDate,
) -> Result<bool, ImpactError> {
    let spans = impact_spans(&decided_measures(sanctions))?;
    Ok(!active_on(&spans, today).is_empty())
}

/// Builds the record on `today`.
///
/// # Errors
/// [`ImpactError`] for dates beyond the calendar.
pub fn build_record(
    complaints: Vec<ComplaintAgainst>,
    sanctions: Vec<SanctionRecord>,
    today: NaiveDate,
) -> Result<SubjectRecord, ImpactError> {
    let mut by_finding = FindingCounts::default();
    for c in &complaints {
        let slot = match c.finding {
            Some(Finding::Sustained) => &mut by_finding.sustained,
            Some(Finding::NotSustained) => &mut by_finding.not_sustained,
            Some(Finding::Exonerated) => &mut by_finding.exonerated,
            Some(Finding::Unfounded) => &mut by_finding.unfounded,
            None => &mut by_finding.without_finding,
        };
        *slot += 1;
    }
    let decided = decided_measures(&sanctions);
    let spans = impact_spans(&decided)?;
    let active = active_on(&spans, today);
    let awards_eligible = !spans.iter().any(|s| s.bars_awards_on(today));
    Ok(SubjectRecord {
        complaints,
        by_finding,
        sanctions,
        decided,
        spans,
        active,
        awards_eligible,
    })
}
