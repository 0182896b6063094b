//! The catalogue of sanction measures (责任追究方式): four tracks, each with its measures
//! ordered mildest first, and the impact period each measure carries.
//!
//! A measure is a `(track, measure)` pair. Grades are ordinal only **within** a track: an
//! administrative `warning` and a party `warning` share a name but are different measures.
//! On the wire a measure is `{"track": "administrative", "measure": "warning"}`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// A sanction track, from criticism up to disciplinary action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Track {
    /// 批评教育类.
    Soft,
    /// 组织处理; may be added to any other track.
    Organisational,
    /// 政务处分; at most one per act.
    Administrative,
    /// 党纪处分; at most one per act, party members only.
    Party,
}

impl Track {
    /// Every track, in catalogue order.
    pub const ALL: [Self; 4] = [
        Self::Soft,
        Self::Organisational,
        Self::Administrative,
        Self::Party,
    ];

    /// The wire name.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Soft => "soft",
            Self::Organisational => "organisational",
            Self::Administrative => "administrative",
            Self::Party => "party",
        }
    }

    /// How heavy the track is, for comparing measures of different tracks
    /// (seed 000 part 6 第三条: 批评教育、责令赔礼道歉 < 组织处理 < 纪律处分):
    /// `soft` 0 < `organisational` 1 < `administrative` 2 = `party` 2.
    /// Administrative and party sanctions are parallel disciplinary tracks of equal weight.
    #[must_use]
    pub const fn weight(self) -> u8 {
        match self {
            Self::Soft => 0,
            Self::Organisational => 1,
            Self::Administrative | Self::Party => 2,
        }
    }

    /// The measures of this track, mildest first.
    pub fn measures(self) -> impl Iterator<Item = Measure> {
        Measure::ALL.into_iter().filter(move |m| m.track() == self)
    }
}

impl fmt::Display for Track {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Track {
    type Err = MeasureParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|t| t.as_str() == s)
            .ok_or_else(|| MeasureParseError::UnknownTrack(s.to_owned()))
    }
}

/// Measures of the `soft` track (批评教育类), mildest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SoftMeasure {
    /// 批评教育.
    CriticismEducation,
    /// 谈话提醒 / 告诫.
    ReminderTalk,
    /// 责令赔礼道歉.
    Apology,
    /// 责令书面检查.
    WrittenSelfCriticism,
    /// 通报批评.
    CirculatedCriticism,
    /// 诫勉: bars promotion for 6 months.
    Admonishment,
    /// 取消当年评优评先资格.
    AwardsDisqualification,
}

/// Measures of the `organisational` track (组织处理), mildest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrganisationalMeasure {
    /// 停职检查.
    SuspensionForInspection,
    /// 调整职务 / 调离岗位.
    Reassignment,
    /// 责令辞职.
    OrderedResignation,
    /// 免职.
    Removal,
    /// 降职.
    Demotion,
}

/// Measures of the `administrative` track (政务处分), mildest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdministrativeMeasure {
    /// 警告, 6 months.
    Warning,
    /// 记过, 12 months.
    Demerit,
    /// 记大过, 18 months.
    MajorDemerit,
    /// 降级, 24 months.
    GradeReduction,
    /// 撤职, 24 months.
    DismissalFromPost,
    /// 开除, permanent.
    Expulsion,
}

/// Measures of the `party` track (党纪处分), mildest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartyMeasure {
    /// 警告.
    Warning,
    /// 严重警告.
    SeriousWarning,
    /// 撤销党内职务.
    RemovalFromPartyPost,
    /// 留党察看.
    Probation,
    /// 开除党籍.
    Expulsion,
}

/// One sanction measure: a track and a measure of that track.
///
/// `Measure` deliberately does not implement `Ord`: grades compare only within a track
/// (see [`Measure::grade`]) and tracks by [`Track::weight`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "track", content = "measure", rename_all = "snake_case")]
pub enum Measure {
    Soft(SoftMeasure),
    Organisational(OrganisationalMeasure),
    Administrative(AdministrativeMeasure),
    Party(PartyMeasure),
}

/// What a measure does to the subject's record after its effective date. The rule each
/// period comes from is in [`crate::sanction::impact::rules`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImpactPeriod {
    /// No impact period is defined: the measure is recorded, nothing stays active.
    None,
    /// Promotion is barred for this many calendar months (诫勉).
    PromotionBar { months: u32 },
    /// Disqualified from awards for the calendar year of the effective date.
    AwardsCurrentYear,
    /// An administrative sanction running this many calendar months (处分期).
    AdministrativeSanction { months: u32 },
    /// Never ends (administrative 开除).
    Permanent,
    /// No promotion within the party, nor nomination to a higher non-party post, for this
    /// many months (党纪处分条例 art. 10).
    PartyPromotionBar { months: u32 },
    /// No party post at or above the level removed from, for this many months (art. 11).
    PartyPostBar { months: u32 },
    /// Probation of at most `months` (no vote, no right to elect or be elected), then
    /// `then_post_bar_months` without a party post at or above the former level (art. 12).
    PartyProbation {
        months: u32,
        then_post_bar_months: u32,
    },
    /// Expelled from the party for good; no readmission for `readmission_bar_months`
    /// (art. 13).
    PartyExpulsion { readmission_bar_months: u32 },
}

/// A `(track, measure)` pair that is not in the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MeasureParseError {
    #[error("unknown sanction track `{0}`")]
    UnknownTrack(String),
    #[error("unknown measure `{measure}` in track `{track}`")]
    UnknownMeasure { track: Track, measure: String },
}

impl Measure {
    /// The whole catalogue: tracks in catalogue order, each mildest first.
    pub const ALL: [Self; 23] = [
        Self::Soft(SoftMeasure::CriticismEducation),
        Self::Soft(SoftMeasure::ReminderTalk),
        Self::Soft(SoftMeasure::Apology),
        Self::Soft(SoftMeasure::WrittenSelfCriticism),
        Self::Soft(SoftMeasure::CirculatedCriticism),
        Self::Soft(SoftMeasure::Admonishment),
        Self::Soft(SoftMeasure::AwardsDisqualification),
        Self::Organisational(OrganisationalMeasure::SuspensionForInspection),
        Self::Organisational(OrganisationalMeasure::Reassignment),
        Self::Organisational(OrganisationalMeasure::OrderedResignation),
        Self::Organisational(OrganisationalMeasure::Removal),
        Self::Organisational(OrganisationalMeasure::Demotion),
        Self::Administrative(AdministrativeMeasure::Warning),
        Self::Administrative(AdministrativeMeasure::Demerit),
        Self::Administrative(AdministrativeMeasure::MajorDemerit),
        Self::Administrative(AdministrativeMeasure::GradeReduction),
        Self::Administrative(AdministrativeMeasure::DismissalFromPost),
        Self::Administrative(AdministrativeMeasure::Expulsion),
        Self::Party(PartyMeasure::Warning),
        Self::Party(PartyMeasure::SeriousWarning),
        Self::Party(PartyMeasure::RemovalFromPartyPost),
        Self::Party(PartyMeasure::Probation),
        Self::Party(PartyMeasure::Expulsion),
    ];

    /// Parses the wire pair, e.g. `("party", "warning")`.
    ///
    /// # Errors
    /// [`MeasureParseError::UnknownTrack`] or [`MeasureParseError::UnknownMeasure`].
    pub fn parse(track: &str, measure: &str) -> Result<Self, MeasureParseError> {
        let track: Track = track.parse()?;
        track
            .measures()
            .find(|m| m.as_str() == measure)
            .ok_or_else(|| MeasureParseError::UnknownMeasure {
                track,
                measure: measure.to_owned(),
            })
    }

    /// The track this measure belongs to.
    #[must_use]
    pub const fn track(self) -> Track {
        match self {
            Self::Soft(_) => Track::Soft,
            Self::Organisational(_) => Track::Organisational,
            Self::Administrative(_) => Track::Administrative,
            Self::Party(_) => Track::Party,
        }
    }

    /// The wire name of the measure within its track (not unique across tracks).
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Soft(m) => match m {
                SoftMeasure::CriticismEducation => "criticism_education",
                SoftMeasure::ReminderTalk => "reminder_talk",
                SoftMeasure::Apology => "apology",
                SoftMeasure::WrittenSelfCriticism => "written_self_criticism",
                SoftMeasure::CirculatedCriticism => "circulated_criticism",
                SoftMeasure::Admonishment => "admonishment",
                SoftMeasure::AwardsDisqualification => "awards_disqualification",
            },
            Self::Organisational(m) => match m {
                OrganisationalMeasure::SuspensionForInspection => "suspension_for_inspection",
                OrganisationalMeasure::Reassignment => "reassignment",
                OrganisationalMeasure::OrderedResignation => "ordered_resignation",
                OrganisationalMeasure::Removal => "removal",
                OrganisationalMeasure::Demotion => "demotion",
            },
            Self::Administrative(m) => match m {
                AdministrativeMeasure::Warning => "warning",
                AdministrativeMeasure::Demerit => "demerit",
                AdministrativeMeasure::MajorDemerit => "major_demerit",
                AdministrativeMeasure::GradeReduction => "grade_reduction",
                AdministrativeMeasure::DismissalFromPost => "dismissal_from_post",
                AdministrativeMeasure::Expulsion => "expulsion",
            },
            Self::Party(m) => match m {
                PartyMeasure::Warning => "warning",
                PartyMeasure::SeriousWarning => "serious_warning",
                PartyMeasure::RemovalFromPartyPost => "removal_from_party_post",
                PartyMeasure::Probation => "probation",
                PartyMeasure::Expulsion => "expulsion",
            },
        }
    }

    /// The ordinal grade within the track: 0 is the mildest. Only meaningful when compared
    /// with a measure of the same track.
    #[must_use]
    pub const fn grade(self) -> u8 {
        match self {
            Self::Soft(m) => m as u8,
            Self::Organisational(m) => m as u8,
            Self::Administrative(m) => m as u8,
            Self::Party(m) => m as u8,
        }
    }

    /// The impact period of the measure (domain.md, "Accountability and sanctions", and the
    /// rules cited in [`crate::sanction::impact::rules`]): `soft/admonishment` bars promotion
    /// 6 months; `soft/awards_disqualification` and `soft/circulated_criticism` cover the
    /// calendar year of the effective date (the seeds pair 通报批评 with losing that year's
    /// awards); administrative warning 6, demerit 12, major_demerit 18, grade_reduction 24,
    /// dismissal_from_post 24 months, expulsion permanent (政务处分法 art. 8); party warning 12
    /// and serious_warning 18 months without promotion in the party (党纪处分条例 art. 10),
    /// removal_from_party_post 24 months (art. 11), probation at most 24 months then 24 more
    /// (art. 12), expulsion permanent with 60 months without readmission (art. 13). The other
    /// soft measures and every organisational one have none.
    #[must_use]
    pub const fn impact_period(self) -> ImpactPeriod {
        match self {
            Self::Soft(SoftMeasure::Admonishment) => ImpactPeriod::PromotionBar { months: 6 },
            Self::Soft(SoftMeasure::AwardsDisqualification | SoftMeasure::CirculatedCriticism) => {
                ImpactPeriod::AwardsCurrentYear
            }
            Self::Administrative(m) => match m {
                AdministrativeMeasure::Warning => {
                    ImpactPeriod::AdministrativeSanction { months: 6 }
                }
                AdministrativeMeasure::Demerit => {
                    ImpactPeriod::AdministrativeSanction { months: 12 }
                }
                AdministrativeMeasure::MajorDemerit => {
                    ImpactPeriod::AdministrativeSanction { months: 18 }
                }
                AdministrativeMeasure::GradeReduction
                | AdministrativeMeasure::DismissalFromPost => {
                    ImpactPeriod::AdministrativeSanction { months: 24 }
                }
                AdministrativeMeasure::Expulsion => ImpactPeriod::Permanent,
            },
            Self::Party(m) => match m {
                PartyMeasure::Warning => ImpactPeriod::PartyPromotionBar { months: 12 },
                PartyMeasure::SeriousWarning => ImpactPeriod::PartyPromotionBar { months: 18 },
                PartyMeasure::RemovalFromPartyPost => ImpactPeriod::PartyPostBar { months: 24 },
                PartyMeasure::Probation => ImpactPeriod::PartyProbation {
                    months: 24,
                    then_post_bar_months: 24,
                },
                PartyMeasure::Expulsion => ImpactPeriod::PartyExpulsion {
                    readmission_bar_months: 60,
                },
            },
            Self::Soft(_) | Self::Organisational(_) => ImpactPeriod::None,
        }
    }
}

impl fmt::Display for Measure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.track(), self.as_str())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use serde::de::IntoDeserializer;
    use serde::de::value::{Error as ValueError, MapDeserializer, StrDeserializer};

    fn m(track: &str, measure: &str) -> Measure {
        Measure::parse(track, measure).unwrap()
    }

    const EXPECTED: [(&str, &[&str]); 4] = [
        (
            "soft",
            &[
                "criticism_education",
                "reminder_talk",
                "apology",
                "written_self_criticism",
                "circulated_criticism",
                "admonishment",
                "awards_disqualification",
            ],
        ),
        (
            "organisational",
            &[
                "suspension_for_inspection",
                "reassignment",
                "ordered_resignation",
                "removal",
                "demotion",
            ],
        ),
        (
            "administrative",
            &[
                "warning",
                "demerit",
                "major_demerit",
                "grade_reduction",
                "dismissal_from_post",
                "expulsion",
            ],
        ),
        (
            "party",
            &[
                "warning",
                "serious_warning",
                "removal_from_party_post",
                "probation",
                "expulsion",
            ],
        ),
    ];

    #[test]
    fn catalogue_matches_domain_table_in_order_with_grades() {
        let mut total = 0;
        for (track, names) in EXPECTED {
            let t: Track = track.parse().unwrap();
            assert_eq!(t.as_str(), track);
            let listed: Vec<&str> = t.measures().map(Measure::as_str).collect();
            assert_eq!(listed, names, "track {track}");
            for (i, name) in names.iter().enumerate() {
                let measure = m(track, name);
                assert_eq!(measure.track(), t);
                assert_eq!(usize::from(measure.grade()), i, "{measure}");
                total += 1;
            }
        }
        assert_eq!(total, Measure::ALL.len());
    }

    #[test]
    fn same_name_in_different_tracks_is_a_different_measure() {
        let admin = m("administrative", "warning");
        let party = m("party", "warning");
        assert_ne!(admin, party);
        assert_eq!(admin.as_str(), party.as_str());
        assert_eq!(admin.to_string(), "administrative/warning");
        assert_eq!(party.to_string(), "party/warning");
        assert_eq!(
            m("administrative", "expulsion").to_string(),
            "administrative/expulsion"
        );
        assert_ne!(m("administrative", "expulsion"), m("party", "expulsion"));
    }

    #[test]
    fn unknown_track_is_refused() {
        assert_eq!(
            Measure::parse("civil", "warning"),
            Err(MeasureParseError::UnknownTrack("civil".into()))
        );
        assert_eq!(
            "Soft".parse::<Track>(),
            Err(MeasureParseError::UnknownTrack("Soft".into()))
        );
    }

    #[test]
    fn measure_of_another_track_is_refused() {
        assert_eq!(
            Measure::parse("soft", "warning"),
            Err(MeasureParseError::UnknownMeasure {
                track: Track::Soft,
                measure: "warning".into()
            })
        );
        assert!(Measure::parse("party", "demerit").is_err());
        assert!(Measure::parse("administrative", "serious_warning").is_err());
        assert!(Measure::parse("organisational", "").is_err());
        assert!(Measure::parse("soft", "Apology").is_err());
    }

    #[test]
    fn track_weights_order_soft_below_organisational_below_discipline() {
        assert!(Track::Soft.weight() < Track::Organisational.weight());
        assert!(Track::Organisational.weight() < Track::Administrative.weight());
        assert_eq!(Track::Administrative.weight(), Track::Party.weight());
    }

    #[test]
    fn impact_periods_follow_the_domain_table() {
        use ImpactPeriod::*;
        let cases = [
            ("soft", "admonishment", PromotionBar { months: 6 }),
            ("soft", "awards_disqualification", AwardsCurrentYear),
            (
                "administrative",
                "warning",
                AdministrativeSanction { months: 6 },
            ),
            (
                "administrative",
                "demerit",
                AdministrativeSanction { months: 12 },
            ),
            (
                "administrative",
                "major_demerit",
                AdministrativeSanction { months: 18 },
            ),
            (
                "administrative",
                "grade_reduction",
                AdministrativeSanction { months: 24 },
            ),
            (
                "administrative",
                "dismissal_from_post",
                AdministrativeSanction { months: 24 },
            ),
            ("administrative", "expulsion", Permanent),
            ("soft", "circulated_criticism", AwardsCurrentYear),
            ("party", "warning", PartyPromotionBar { months: 12 }),
            ("party", "serious_warning", PartyPromotionBar { months: 18 }),
            (
                "party",
                "removal_from_party_post",
                PartyPostBar { months: 24 },
            ),
            (
                "party",
                "probation",
                PartyProbation {
                    months: 24,
                    then_post_bar_months: 24,
                },
            ),
            (
                "party",
                "expulsion",
                PartyExpulsion {
                    readmission_bar_months: 60,
                },
            ),
        ];
        for (t, name, period) in cases {
            assert_eq!(m(t, name).impact_period(), period, "{t}/{name}");
        }
        let with_period: Vec<Measure> = Measure::ALL
            .into_iter()
            .filter(|x| x.impact_period() != ImpactPeriod::None)
            .collect();
        assert_eq!(with_period.len(), cases.len());
        for organisational in Track::Organisational.measures() {
            assert_eq!(
                organisational.impact_period(),
                ImpactPeriod::None,
                "{organisational}"
            );
        }
    }

    #[test]
    fn serde_names_are_the_wire_names() {
        for measure in Measure::ALL {
            let pairs = vec![
                ("track", measure.track().as_str()),
                ("measure", measure.as_str()),
            ];
            let de: MapDeserializer<'_, _, ValueError> = MapDeserializer::new(pairs.into_iter());
            let parsed = Measure::deserialize(de).unwrap();
            assert_eq!(parsed, measure);
        }
        for track in Track::ALL {
            let de: StrDeserializer<'_, ValueError> = track.as_str().into_deserializer();
            assert_eq!(Track::deserialize(de).unwrap(), track);
        }
        let pairs = vec![("track", "soft"), ("measure", "warning")];
        let de: MapDeserializer<'_, _, ValueError> = MapDeserializer::new(pairs.into_iter());
        assert!(Measure::deserialize(de).is_err());
    }
}
