//! The message of every refusal of the core, built from the error's structured data: a stable
//! key and its arguments, which the adapters render in the reader's language.

use crate::access::Forbidden;
use crate::accountability::AccountabilityError;
use crate::calendar::{
    CalendarDataError, DeadlineError, FIRST_SUPPORTED_YEAR, LAST_SUPPORTED_YEAR,
};
use crate::complaint::contact::ContactError;
use crate::complaint::lifecycle::TransitionRefused;
use crate::complaint::service::{ActionError, ReadError, RegisterError};
use crate::message::Message;
use crate::msg;
use crate::sanction::combination::CombinationError;
use crate::sanction::impact::ImpactError;
use crate::sanction::lifecycle::{ApplyError, SanctionTransitionError};
use crate::sanction::milder::SanctionRuleError;
use crate::storage::RepositoryError;
use crate::supervision::lifecycle::OrderRefused;
use crate::supervision::service::OrderError;
use crate::text::TextError;
use crate::wire_enum::UnknownValue;
use actions::{action, sanction_action, sanction_state};

mod actions;

impl Forbidden {
    pub fn message(&self) -> Message {
        msg!("forbidden_role", role = self.role.as_str()).sub("action", action(self.action))
    }
}

impl TextError {
    pub fn message(&self) -> Message {
        match self {
            TextError::Blank => msg!("text_blank"),
            TextError::TooLong { max } => msg!("text_too_long", max = max),
        }
    }
}

impl ContactError {
    pub fn message(&self) -> Message {
        match self {
            ContactError::Phone => msg!("contact_phone"),
            ContactError::Email => msg!("contact_email"),
        }
    }
}

impl UnknownValue {
    pub fn message(&self) -> Message {
        msg!("unknown_value", value = &self.value, kind = self.kind)
    }
}

impl DeadlineError {
    pub fn message(&self) -> Message {
        match self {
            DeadlineError::TooManyWorkingDays { requested, max } => {
                msg!(
                    "deadline_too_many_working_days",
                    requested = requested,
                    max = max
                )
            }
            DeadlineError::OutOfRange => msg!("deadline_out_of_range"),
        }
    }
}

impl CalendarDataError {
    pub fn message(&self) -> Message {
        match self {
            CalendarDataError::UnsupportedYear { year } => msg!(
                "calendar_unsupported_year",
                year = year,
                first = FIRST_SUPPORTED_YEAR,
                last = LAST_SUPPORTED_YEAR
            ),
            CalendarDataError::DateOutsideYear { year, date } => {
                msg!("calendar_date_outside_year", year = year, date = date)
            }
            CalendarDataError::DuplicateDate { year, date } => {
                msg!("calendar_duplicate_date", year = year, date = date)
            }
            CalendarDataError::NoDays { year } => msg!("calendar_no_days", year = year),
            CalendarDataError::InvalidName { date, source } => match source {
                TextError::Blank => msg!("calendar_name_blank", date = date),
                TextError::TooLong { max } => {
                    msg!("calendar_name_too_long", date = date, max = max)
                }
            },
            CalendarDataError::DuplicateYear { year } => {
                msg!("calendar_duplicate_year", year = year)
            }
        }
    }
}

impl RepositoryError {
    pub fn message(&self) -> Message {
        match self {
            RepositoryError::Conflict => msg!("version_conflict"),
            RepositoryError::NumbersExhausted(_) | RepositoryError::Unavailable(_) => {
                msg!("internal")
            }
        }
    }
}

impl TransitionRefused {
    pub fn message(&self) -> Message {
        match self {
            TransitionRefused::WrongState { action, status } => {
                msg!("complaint_wrong_state", status = status).sub("action", self::action(action))
            }
            TransitionRefused::Rule(rule) => rule.clone(),
        }
    }
}

impl OrderRefused {
    pub fn message(&self) -> Message {
        match self {
            OrderRefused::WrongState { action, status } => {
                msg!("order_wrong_state", status = status).sub("action", self::action(action))
            }
            OrderRefused::Rule(rule) => rule.clone(),
        }
    }
}

impl RegisterError {
    pub fn message(&self) -> Message {
        match self {
            RegisterError::Forbidden(f) => f.message(),
            RegisterError::Invalid(_) => msg!("validation_failed_short"),
            RegisterError::IdempotencyKeyReused => msg!("idempotency_key_reused"),
            RegisterError::Storage(s) => s.message(),
        }
    }
}

impl ActionError {
    pub fn message(&self) -> Message {
        match self {
            ActionError::Forbidden(f) => f.message(),
            ActionError::NotFound => msg!("complaint_not_found"),
            ActionError::PreconditionFailed { given, current } => {
                msg!("stale_version_complaint", given = given, current = current)
            }
            ActionError::Refused(r) => r.message(),
            ActionError::Invalid(_) => msg!("validation_failed_short"),
            ActionError::Storage(s) => s.message(),
        }
    }
}

impl ReadError {
    pub fn message(&self) -> Message {
        match self {
            ReadError::NotFound => msg!("complaint_not_found"),
            ReadError::Forbidden(f) => f.message(),
            ReadError::Storage(s) => s.message(),
        }
    }
}

impl OrderError {
    pub fn message(&self) -> Message {
        match self {
            OrderError::Forbidden(f) => f.message(),
            OrderError::NotFound => msg!("order_not_found"),
            OrderError::PreconditionFailed { given, current } => {
                msg!("stale_version_order", given = given, current = current)
            }
            OrderError::Refused(r) => r.message(),
            OrderError::ComplaintState(status) => {
                msg!("order_complaint_not_in_handling", status = status)
            }
            OrderError::Invalid(_) => msg!("validation_failed_short"),
            OrderError::Storage(s) => s.message(),
        }
    }
}

impl CombinationError {
    pub fn message(&self) -> Message {
        match self {
            CombinationError::NoMeasure => msg!("combination_no_measure"),
            CombinationError::NotForUnit(m) => msg!("combination_not_for_unit", measure = m),
            CombinationError::PartyMeasureForNonMember(m) => {
                msg!("combination_party_non_member", measure = m)
            }
            CombinationError::DuplicateMeasure(m) => msg!("combination_duplicate", measure = m),
            CombinationError::MoreThanOneAdministrative { first, second } => msg!(
                "combination_two_administrative",
                first = first,
                second = second
            ),
            CombinationError::MoreThanOneParty { first, second } => {
                msg!("combination_two_party", first = first, second = second)
            }
        }
    }
}

impl SanctionRuleError {
    pub fn message(&self) -> Message {
        match self {
            SanctionRuleError::JustificationRequired {
                uncovered,
                judicial_referral_omitted,
            } => msg!(
                "justification_required",
                uncovered = format!("{uncovered:?}"),
                judicial = judicial_referral_omitted
            ),
        }
    }
}

impl SanctionTransitionError {
    pub fn message(&self) -> Message {
        use SanctionTransitionError as T;
        match self {
            T::NotAllowed { state, action } => msg!("sanction_wrong_state")
                .sub("action", sanction_action(*action))
                .sub("state", sanction_state(*state)),
            T::DeadlineNotInFuture { deadline, now } => {
                msg!(
                    "sanction_deadline_not_in_future",
                    deadline = deadline,
                    now = now
                )
            }
            T::EmptyStatement => msg!("sanction_empty_statement"),
            T::StatementAlreadyFiled => msg!("statement_already_filed"),
            T::NotLeadingGroup => msg!("sanction_not_leading_group"),
            T::DeciderIsProposer => msg!("four_eyes"),
            T::StatementPeriodRunning { until } => {
                msg!("statement_period_running", until = until)
            }
            T::ReasonsRequired => msg!("sanction_reasons_required"),
            T::InvalidMeasures(c) => msg!("sanction_invalid_measures").sub("reason", c.message()),
            T::AmendmentUnchanged => msg!("sanction_amendment_unchanged"),
            T::SupersededBySelf => msg!("sanction_supersedes_itself"),
        }
    }
}

impl ApplyError {
    pub fn message(&self) -> Message {
        msg!(
            "sanction_corrupt_history",
            event = self.event,
            state = format!("{:?}", self.state)
        )
    }
}

impl ImpactError {
    pub fn message(&self) -> Message {
        msg!(
            "impact_out_of_range",
            measure = self.measure,
            effective = self.effective
        )
    }
}

impl AccountabilityError {
    pub fn message(&self) -> Message {
        use AccountabilityError as A;
        match self {
            A::Forbidden(f) => f.message(),
            A::NotFound(what) => match *what {
                "complaint" => msg!("complaint_not_found"),
                "sanction" => msg!("sanction_not_found"),
                "superseded sanction" => msg!("superseded_sanction_not_found"),
                "person" => msg!("person_not_found"),
                "unit" => msg!("unit_not_found"),
                _ => msg!("not_found"),
            },
            A::Invalid { message, .. } => message.clone(),
            A::Combination(c) => msg!("combination_rule").sub("reason", c.message()),
            A::Justification(j) => j.message(),
            A::Lifecycle(t) => t.message(),
            A::AlreadyHeld => msg!("already_held"),
            A::SanctionChanged => msg!("sanction_changed"),
            A::PreconditionFailed { given, current } => {
                msg!("stale_version_sanction", given = given, current = current)
            }
            A::Calendar(d) => msg!("calendar_missing").sub("reason", d.message()),
            A::Storage(s) => s.message(),
        }
    }
}

impl crate::sanction::measure::MeasureParseError {
    pub fn message(&self) -> Message {
        use crate::sanction::measure::MeasureParseError as P;
        match self {
            P::UnknownTrack(track) => msg!("unknown_track", track = track),
            P::UnknownMeasure { track, measure } => {
                msg!("unknown_measure", measure = measure, track = track)
            }
        }
    }
}
