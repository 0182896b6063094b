//! The bodies of the sanction operations: a proposal, the statement of defence, the decision.

use poem_openapi::{Enum, Object};
use uuid::Uuid;

use super::accountability_dto::{MeasureView, SeverityFactorsView, SubjectView};
use super::strict_string::Text;
use super::wire_time::WireDate;

/// A sanction proposal.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ProposeSanction {
    pub subject: SubjectView,
    /// 认定意见.
    #[oai(validator(min_length = 1, max_length = 20000, pattern = r"[^\s\u0085\ufeff]"))]
    pub findings: Text,
    #[oai(validator(min_length = 1, max_length = 4000, pattern = r"[^\s\u0085\ufeff]"))]
    pub rule_broken: Text,
    /// Absent: no severity factor applies (all false).
    #[oai(default)]
    pub severity: SeverityFactorsView,
    #[oai(default, validator(max_items = 100))]
    pub complaint_ids: Vec<Uuid>,
    #[oai(default, validator(max_items = 100))]
    pub investigation_record_ids: Vec<Uuid>,
    #[oai(validator(max_items = 20))]
    pub measures: Vec<MeasureView>,
    #[oai(default)]
    pub judicial_referral: bool,
    /// Required when the proposal is milder than the recommendation.
    #[oai(
        nullable,
        validator(min_length = 1, max_length = 20000, pattern = r"[^\s\u0085\ufeff]")
    )]
    pub justification: Option<Text>,
    /// A decided sanction of the same subject this proposal replaces on review: when this
    /// proposal is approved or amended, that one becomes `superseded`.
    #[oai(nullable)]
    pub supersedes: Option<Uuid>,
}

/// The subject's statement of defence.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct StatementBody {
    #[oai(validator(min_length = 1, max_length = 20000, pattern = r"[^\s\u0085\ufeff]"))]
    pub text: Text,
}

/// The decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum DecisionOutcome {
    Approve,
    /// Other measures, with reasons.
    Amend,
    /// With reasons.
    Reject,
}

/// A leading-group decision on a proposal.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct DecisionBody {
    pub outcome: DecisionOutcome,
    /// For `amend`: the measures decided instead.
    #[oai(nullable, validator(max_items = 20))]
    pub measures: Option<Vec<MeasureView>>,
    /// For `amend`: the judicial-referral flag decided (default: as proposed).
    #[oai(nullable)]
    pub judicial_referral: Option<bool>,
    /// Required for `amend` and `reject`.
    #[oai(
        nullable,
        validator(min_length = 1, max_length = 20000, pattern = r"[^\s\u0085\ufeff]")
    )]
    pub reasons: Option<Text>,
    /// Default: today (agency time zone).
    #[oai(nullable)]
    pub effective_date: Option<WireDate>,
}
