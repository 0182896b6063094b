//! Accountability and sanctions (责任追究): the catalogue of measures, the rules for combining
//! them, the recommendation policy, impact periods, and the lifecycle of a sanction proposal.
//!
//! The system records and recommends; people decide. Everything here is pure: time enters as
//! arguments (`now`, effective dates), ids as plain [`uuid::Uuid`]s.

pub mod combination;
pub mod impact;
pub mod lifecycle;
pub mod measure;
pub mod milder;
pub mod recommendation;
pub mod settings;
pub mod window;

pub use combination::{CombinationError, SanctionMeasures, Subject, validate_combination};
pub use impact::{
    ActiveSanctions, CUMULATIVE_CAP_MONTHS, DecidedMeasure, ImpactEnd, ImpactError, ImpactKind,
    ImpactSpan, active_on, impact_spans,
};
pub use lifecycle::{
    ApplyError, Decision, DecisionCommand, DecisionOutcome, SanctionAction, SanctionActionKind,
    SanctionCase, SanctionEvent, SanctionStatus, SanctionStatusKind, SanctionTransitionError,
    Statement, TransitionContext, apply, decide,
};
pub use measure::{
    AdministrativeMeasure, ImpactPeriod, Measure, MeasureParseError, OrganisationalMeasure,
    PartyMeasure, SoftMeasure, Track,
};
pub use milder::{
    SanctionRuleError, check_justification, covers, is_milder_than_recommendation,
    uncovered_recommendations,
};
pub use recommendation::{
    Reason, Recommendation, RecommendationFacts, RuleId, SeverityFactors, SeverityRank, recommend,
};
pub use settings::{PolicySettings, PolicySettingsError};
pub use window::{count_sustained_within_window, window_start};
