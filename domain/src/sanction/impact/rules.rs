//! What each impact means for the subject, the rule it comes from, and whether it bars awards.
//!
//! The sources, as cited on the record (`rule_source`):
//! - 诫勉: domain.md's table (6 months without promotion); 《党政领导干部选拔任用工作条例》
//!   (2019) art. 24(6): no one is considered for promotion while a 诫勉 impact period runs.
//! - 取消当年评优评先资格 and 通报批评: the agency's own rules (seed 000 篇6 第六条(四), seed 002
//!   责任追究制度 七.2–七.3 and 考核与奖惩制度 五(1), seed 000 篇5 四(二)) pair circulated
//!   criticism with losing the year's awards and "excellent" rating.
//! - 政务处分: 《中华人民共和国公职人员政务处分法》 art. 8 (the periods), art. 22 (no promotion
//!   during the period; from demerit up no salary step); a new sanction during a running one
//!   lasts the remaining period plus its own, at most 48 months (《行政机关公务员处分条例》
//!   art. 10); no "excellent" rating during the period (《公务员考核规定》).
//! - 党纪处分: 《中国共产党纪律处分条例》 (2023) art. 10 (warning 1 year, serious warning 18
//!   months without promotion in the party), art. 11 (removal from party posts: 2 years), art.
//!   12 (probation 1 or 2 years without vote or election rights, then 2 years without a party
//!   post at or above the former level), art. 13 (expulsion; no readmission for 5 years).

use super::ImpactKind;
use crate::sanction::measure::{Measure, SoftMeasure};

/// What the impact bars or means, in one sentence.
#[must_use]
pub const fn affects(kind: ImpactKind) -> &'static str {
    match kind {
        ImpactKind::PromotionBar => "no promotion or greater use (提拔或者重用)",
        ImpactKind::AwardsDisqualification => {
            "no awards, commendations or \"excellent\" rating (评优评先) for the calendar year"
        }
        ImpactKind::AdministrativeSanction => {
            "sanction period (处分期): no promotion of post, rank or grade (from demerit up no \
             salary step either), no \"excellent\" rating or awards"
        }
        ImpactKind::Expulsion => "dismissed from public employment (开除), permanently",
        ImpactKind::PartyPromotionBar => {
            "no promotion within the party, nor nomination to a non-party post higher than the \
             current one; no \"excellent\" rating or awards"
        }
        ImpactKind::PartyPostBar => {
            "no party post, nor nomination to a non-party post, at or above the level held \
             before; no \"excellent\" rating or awards"
        }
        ImpactKind::PartyProbation => {
            "party probation (留党察看): no vote, no right to elect or be elected; 1 or 2 years as \
             decided, shown as the longest (2 years) since the record does not hold the length"
        }
        ImpactKind::PartyExpulsion => "expelled from the party (开除党籍), permanently",
        ImpactKind::PartyReadmissionBar => {
            "no readmission to the party, nor nomination to a non-party post at or above the \
             former level"
        }
    }
}

/// The rule the impact of `measure` comes from.
#[must_use]
pub const fn rule_source(measure: Measure, kind: ImpactKind) -> &'static str {
    match kind {
        ImpactKind::PromotionBar => {
            "domain.md (诫勉 bars promotion for 6 months); 《党政领导干部选拔任用工作条例》(2019) \
             第二十四条(六)"
        }
        ImpactKind::AwardsDisqualification => match measure {
            Measure::Soft(SoftMeasure::CirculatedCriticism) => {
                "seed 002 责任追究制度 七.2–七.3 and 考核与奖惩制度 五(1) (通报批评, 取消当年评优评奖\
                 资格); seed 000 篇5 四(二) (当年不得评先受奖)"
            }
            _ => {
                "seed 000 篇6 第六条(四) (免除评优资格); seed 002 责任追究制度 七.2–七.3 (取消当年评优、\
                 评奖资格)"
            }
        },
        ImpactKind::AdministrativeSanction => {
            "《公职人员政务处分法》第八条 (periods), 第二十二条 (no promotion during the period); \
             remaining + new period, at most 48 months: 《行政机关公务员处分条例》第十条; \
             《公务员考核规定》 (no \"excellent\" rating)"
        }
        ImpactKind::Expulsion => "《公职人员政务处分法》第七条, 第八条 (expulsion has no end)",
        ImpactKind::PartyPromotionBar => {
            "《中国共产党纪律处分条例》(2023) 第十条 (warning 1 year, serious warning 18 months); \
             《公务员考核规定》 (no \"excellent\" rating)"
        }
        ImpactKind::PartyPostBar => match measure {
            Measure::Party(crate::sanction::measure::PartyMeasure::Probation) => {
                "《中国共产党纪律处分条例》(2023) 第十二条 (2 years after rights are restored, \
                 counted after the longest probation); 《公务员考核规定》 (no \"excellent\" rating)"
            }
            _ => {
                "《中国共产党纪律处分条例》(2023) 第十一条 (2 years); 《公务员考核规定》 (no \
                 \"excellent\" rating)"
            }
        },
        ImpactKind::PartyProbation => "《中国共产党纪律处分条例》(2023) 第十二条 (1 or 2 years)",
        ImpactKind::PartyExpulsion => "《中国共产党纪律处分条例》(2023) 第八条, 第十三条",
        ImpactKind::PartyReadmissionBar => {
            "《中国共产党纪律处分条例》(2023) 第十三条 (5 years, unless other rules bar \
             readmission for good)"
        }
    }
}

/// The impact bars awards and an "excellent" rating while it runs (for
/// [`ImpactKind::AwardsDisqualification`]: for its calendar year).
#[must_use]
pub const fn bars_awards(kind: ImpactKind) -> bool {
    !matches!(
        kind,
        ImpactKind::PromotionBar | ImpactKind::PartyReadmissionBar
    )
}
