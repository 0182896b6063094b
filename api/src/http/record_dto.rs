//! Wire types of the records (档案) of people and units: complaints by finding, every decided
//! measure with what it affects, until when and the rule it comes from, and what is active.

use chrono::{DateTime, NaiveDate, Utc};
use duban_domain::accountability::SubjectRef;
use duban_domain::accountability::records::{FindingCounts, SubjectRecord};
use duban_domain::sanction::{DecidedMeasure, ImpactEnd, ImpactKind, ImpactSpan};
use poem_openapi::{Enum, Object};
use uuid::Uuid;

use super::accountability_dto::{MeasureView, SanctionView, SubjectView};

/// Complaint counts by finding.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct FindingCountsView {
    pub sustained: u32,
    pub not_sustained: u32,
    pub exonerated: u32,
    pub unfounded: u32,
    /// Open, or closed without a finding.
    pub without_finding: u32,
}

impl From<FindingCounts> for FindingCountsView {
    fn from(c: FindingCounts) -> Self {
        Self {
            sustained: c.sustained,
            not_sustained: c.not_sustained,
            exonerated: c.exonerated,
            unfounded: c.unfounded,
            without_finding: c.without_finding,
        }
    }
}

/// A complaint on a record.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct RecordComplaintView {
    pub id: Uuid,
    pub number: String,
    /// `sustained`, `not_sustained`, `exonerated`, `unfounded`, or absent.
    pub finding: Option<String>,
    pub closed_at: Option<DateTime<Utc>>,
}

/// What an impact period means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum ImpactKindView {
    /// No promotion (诫勉).
    PromotionBar,
    /// No awards or "excellent" rating for the calendar year.
    AwardsDisqualification,
    /// An administrative sanction period (处分期).
    AdministrativeSanction,
    /// Dismissed from public employment (开除), permanently.
    Expulsion,
    /// No promotion within the party (党纪警告, 严重警告).
    PartyPromotionBar,
    /// No party post at or above the former level.
    PartyPostBar,
    /// Party probation (留党察看).
    PartyProbation,
    /// Expelled from the party (开除党籍), permanently.
    PartyExpulsion,
    /// No readmission to the party.
    PartyReadmissionBar,
}

impl From<ImpactKind> for ImpactKindView {
    fn from(k: ImpactKind) -> Self {
        match k {
            ImpactKind::PromotionBar => Self::PromotionBar,
            ImpactKind::AwardsDisqualification => Self::AwardsDisqualification,
            ImpactKind::AdministrativeSanction => Self::AdministrativeSanction,
            ImpactKind::Expulsion => Self::Expulsion,
            ImpactKind::PartyPromotionBar => Self::PartyPromotionBar,
            ImpactKind::PartyPostBar => Self::PartyPostBar,
            ImpactKind::PartyProbation => Self::PartyProbation,
            ImpactKind::PartyExpulsion => Self::PartyExpulsion,
            ImpactKind::PartyReadmissionBar => Self::PartyReadmissionBar,
        }
    }
}

/// The impact period of one decided measure.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ImpactSpanView {
    pub sanction_id: Uuid,
    pub measure: MeasureView,
    pub kind: ImpactKindView,
    /// What the impact bars or means for the subject.
    pub affects: String,
    /// The rule the period comes from.
    pub rule_source: String,
    /// Awards and an "excellent" rating are barred while it runs (for
    /// `awards_disqualification`: for its calendar year).
    pub bars_awards: bool,
    pub effective: NaiveDate,
    /// The first day the impact no longer applies; absent when permanent.
    pub until: Option<NaiveDate>,
    pub permanent: bool,
    /// Added to the remaining period of a running administrative sanction.
    pub cumulated: bool,
    /// Cut at 48 months.
    pub capped: bool,
}

impl From<ImpactSpan> for ImpactSpanView {
    fn from(s: ImpactSpan) -> Self {
        Self {
            sanction_id: s.decision_id,
            measure: s.measure.into(),
            kind: s.kind.into(),
            affects: s.affects().to_owned(),
            rule_source: s.rule_source().to_owned(),
            bars_awards: duban_domain::sanction::impact::rules::bars_awards(s.kind),
            effective: s.effective,
            until: until(s.end),
            permanent: s.end == ImpactEnd::Permanent,
            cumulated: s.cumulated,
            capped: s.capped,
        }
    }
}

fn until(end: ImpactEnd) -> Option<NaiveDate> {
    match end {
        ImpactEnd::Until(d) => Some(d),
        ImpactEnd::Permanent => None,
    }
}

/// One measure of a decision in force, with every impact it has.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct DecidedMeasureView {
    pub sanction_id: Uuid,
    pub measure: MeasureView,
    pub effective: NaiveDate,
    pub decided_at: DateTime<Utc>,
    /// What the measure affects and until when (empty: filed on the record only).
    pub impacts: Vec<ImpactSpanView>,
    /// Present when the measure has no impact period, saying so.
    pub note: Option<String>,
}

const NO_PERIOD: &str = "filed on the record; domain.md and the rules it cites set no impact \
                         period for this measure";

impl DecidedMeasureView {
    fn new(d: DecidedMeasure, spans: &[ImpactSpan]) -> Self {
        let impacts: Vec<ImpactSpanView> = spans
            .iter()
            .filter(|s| s.decision_id == d.decision_id && s.measure == d.measure)
            .copied()
            .map(Into::into)
            .collect();
        Self {
            sanction_id: d.decision_id,
            measure: d.measure.into(),
            effective: d.effective,
            decided_at: d.decided_at,
            note: impacts.is_empty().then(|| NO_PERIOD.to_owned()),
            impacts,
        }
    }
}

/// What is active on the record today.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ActiveView {
    /// The day this was computed for (agency time zone).
    pub on: NaiveDate,
    /// No promotion before this day (诫勉).
    pub promotion_barred_until: Option<NaiveDate>,
    /// An administrative sanction runs until this day (remaining + new, at most 48 months).
    pub administrative_sanction_until: Option<NaiveDate>,
    /// Disqualified from awards for this year.
    pub awards_disqualified_year: Option<i32>,
    /// No promotion within the party before this day (党纪处分条例 art. 10).
    pub party_promotion_barred_until: Option<NaiveDate>,
    /// No party post at or above the former level before this day (art. 11, 12).
    pub party_posts_barred_until: Option<NaiveDate>,
    /// On party probation until this day at the longest (art. 12).
    pub party_probation_until: Option<NaiveDate>,
    /// No readmission to the party before this day (art. 13).
    pub party_readmission_barred_until: Option<NaiveDate>,
    /// Expelled, from public employment or from the party (permanent).
    pub expelled: bool,
    /// Expelled from the party (开除党籍).
    pub expelled_from_party: bool,
    pub spans: Vec<ImpactSpanView>,
}

/// A person's or unit's record.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct RecordView {
    pub subject: SubjectView,
    pub complaints_by_finding: FindingCountsView,
    pub complaints: Vec<RecordComplaintView>,
    pub sanctions: Vec<SanctionView>,
    /// Every measure of the decisions in force, in effective-date and decision order, each
    /// with what it affects, until when and the rule it comes from.
    pub decided_measures: Vec<DecidedMeasureView>,
    /// Impact periods of every decision in force.
    pub impact_periods: Vec<ImpactSpanView>,
    pub active: ActiveView,
    /// Eligible for awards and an "excellent" rating today: no impact period barring them
    /// (awards disqualification or circulated criticism this year, an administrative or party
    /// sanction running, expulsion).
    pub awards_eligible: bool,
}

impl RecordView {
    pub fn new(subject: SubjectRef, r: SubjectRecord) -> Self {
        let active = &r.active;
        Self {
            subject: subject.into(),
            complaints_by_finding: r.by_finding.into(),
            complaints: r
                .complaints
                .into_iter()
                .map(|c| RecordComplaintView {
                    id: c.id.as_uuid(),
                    number: c.number,
                    finding: c.finding.map(|f| f.as_str().to_owned()),
                    closed_at: c.closed_at,
                })
                .collect(),
            sanctions: r.sanctions.into_iter().map(Into::into).collect(),
            decided_measures: r
                .decided
                .iter()
                .map(|d| DecidedMeasureView::new(*d, &r.spans))
                .collect(),
            impact_periods: r.spans.iter().copied().map(Into::into).collect(),
            active: ActiveView {
                on: active.on,
                promotion_barred_until: active.promotion_barred_until().and_then(until),
                administrative_sanction_until: active
                    .administrative_sanction_until()
                    .and_then(until),
                awards_disqualified_year: active.awards_disqualified_year(),
                party_promotion_barred_until: active.party_promotion_barred_until().and_then(until),
                party_posts_barred_until: active.party_posts_barred_until().and_then(until),
                party_probation_until: active.party_probation_until().and_then(until),
                party_readmission_barred_until: active
                    .party_readmission_barred_until()
                    .and_then(until),
                expelled: active.is_expelled(),
                expelled_from_party: active.is_expelled_from_party(),
                spans: active.spans.iter().copied().map(Into::into).collect(),
            },
            awards_eligible: r.awards_eligible,
        }
    }
}
