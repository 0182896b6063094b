//! Domain and storage errors to HTTP problems: the only place that decides their statuses.

use duban_domain::access::Forbidden;
use duban_domain::complaint::lifecycle::TransitionRefused;
use duban_domain::complaint::registration::InvalidRegistration;
use duban_domain::complaint::service::{ActionError, ReadError, RegisterError};
use duban_domain::storage::RepositoryError;
use duban_infra::store_error::StoreError;
use duban_infra::tokens::LoginError;

use duban_domain::msg;

use super::problem::{ApiError, FieldError};

impl From<Forbidden> for ApiError {
    fn from(e: Forbidden) -> Self {
        ApiError::forbidden(e.message())
    }
}

impl From<InvalidRegistration> for ApiError {
    fn from(e: InvalidRegistration) -> Self {
        ApiError::invalid_fields(
            e.0.into_iter()
                .map(|p| FieldError::new(p.field, &p.message))
                .collect(),
        )
    }
}

impl From<RepositoryError> for ApiError {
    fn from(e: RepositoryError) -> Self {
        match e {
            RepositoryError::Conflict => ApiError::conflict("version_conflict", e.message()),
            RepositoryError::NumbersExhausted(_) => ApiError::internal(e),
            RepositoryError::Unavailable(_) => ApiError::unavailable(e),
        }
    }
}

impl From<TransitionRefused> for ApiError {
    fn from(e: TransitionRefused) -> Self {
        match e {
            TransitionRefused::WrongState { .. } => ApiError::conflict("wrong_state", e.message()),
            TransitionRefused::Rule(rule) => ApiError::unprocessable("rule_refused", rule),
        }
    }
}

impl From<RegisterError> for ApiError {
    fn from(e: RegisterError) -> Self {
        match e {
            RegisterError::Forbidden(f) => f.into(),
            RegisterError::Invalid(i) => i.into(),
            RegisterError::IdempotencyKeyReused => {
                ApiError::unprocessable("idempotency_key_reused", e.message())
            }
            RegisterError::Storage(s) => s.into(),
        }
    }
}

impl From<ActionError> for ApiError {
    fn from(e: ActionError) -> Self {
        match e {
            ActionError::Forbidden(f) => f.into(),
            ActionError::NotFound => ApiError::not_found(msg!("complaint_not_found")),
            ActionError::PreconditionFailed { .. } => ApiError::precondition_failed(e.message()),
            ActionError::Refused(r) => r.into(),
            ActionError::Invalid(i) => i.into(),
            ActionError::Storage(s) => s.into(),
        }
    }
}

impl From<ReadError> for ApiError {
    fn from(e: ReadError) -> Self {
        match e {
            ReadError::NotFound => ApiError::not_found(msg!("complaint_not_found")),
            ReadError::Forbidden(f) => f.into(),
            ReadError::Storage(s) => s.into(),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => ApiError::not_found(msg!("not_found")),
            StoreError::Duplicate { .. } => ApiError::conflict("duplicate", e.message()),
            StoreError::Invalid { field, ref message } => {
                ApiError::invalid_fields(vec![FieldError::new(field, message)])
            }
            StoreError::PreconditionFailed { .. } => ApiError::precondition_failed(e.message()),
            StoreError::Conflict => ApiError::conflict("version_conflict", e.message()),
            StoreError::Unavailable(_) => ApiError::unavailable(e),
        }
    }
}

impl From<LoginError> for ApiError {
    fn from(e: LoginError) -> Self {
        match e {
            LoginError::InvalidCredentials => ApiError::unauthorized(e.message()),
            LoginError::Throttled {
                retry_after_seconds,
            } => ApiError::too_many_requests(e.message(), retry_after_seconds),
            LoginError::Storage(s) => s.into(),
        }
    }
}

impl From<duban_domain::supervision::lifecycle::OrderRefused> for ApiError {
    fn from(e: duban_domain::supervision::lifecycle::OrderRefused) -> Self {
        use duban_domain::supervision::lifecycle::OrderRefused;
        match e {
            OrderRefused::WrongState { .. } => ApiError::conflict("wrong_state", e.message()),
            OrderRefused::Rule(rule) => ApiError::unprocessable("rule_refused", rule),
        }
    }
}

impl From<duban_domain::supervision::service::OrderError> for ApiError {
    fn from(e: duban_domain::supervision::service::OrderError) -> Self {
        use duban_domain::supervision::service::OrderError;
        match e {
            OrderError::Forbidden(f) => f.into(),
            OrderError::NotFound => ApiError::not_found(msg!("order_not_found")),
            OrderError::PreconditionFailed { .. } => ApiError::precondition_failed(e.message()),
            OrderError::Refused(r) => r.into(),
            OrderError::ComplaintState(_) => ApiError::conflict("wrong_state", e.message()),
            OrderError::Invalid(i) => i.into(),
            OrderError::Storage(s) => s.into(),
        }
    }
}

impl From<duban_domain::accountability::AccountabilityError> for ApiError {
    fn from(e: duban_domain::accountability::AccountabilityError) -> Self {
        use duban_domain::accountability::AccountabilityError as A;
        use duban_domain::sanction::SanctionTransitionError as T;
        match e {
            A::Forbidden(f) => f.into(),
            A::NotFound(_) => ApiError::not_found(e.message()),
            A::Invalid { field, ref message } => {
                ApiError::invalid_fields(vec![FieldError::new(field, message)])
            }
            A::Combination(_) => ApiError::unprocessable("combination_rule", e.message()),
            A::Justification(_) => ApiError::unprocessable("justification_required", e.message()),
            A::Lifecycle(ref t) => match t {
                T::NotAllowed { .. } => ApiError::conflict("wrong_state", e.message()),
                T::StatementAlreadyFiled => {
                    ApiError::conflict("statement_already_filed", e.message())
                }
                T::NotLeadingGroup => ApiError::forbidden(e.message()),
                T::DeciderIsProposer => {
                    ApiError::Forbidden(poem_openapi::payload::Json(super::problem::problem(
                        poem::http::StatusCode::FORBIDDEN,
                        "four_eyes",
                        &e.message(),
                    )))
                }
                T::StatementPeriodRunning { .. } => {
                    ApiError::unprocessable("statement_period_running", e.message())
                }
                T::InvalidMeasures(_) => ApiError::unprocessable("combination_rule", e.message()),
                _ => ApiError::unprocessable("rule_refused", e.message()),
            },
            A::AlreadyHeld => ApiError::conflict("already_held", e.message()),
            A::SanctionChanged => ApiError::conflict("version_conflict", e.message()),
            A::PreconditionFailed { .. } => ApiError::precondition_failed(e.message()),
            A::Calendar(_) => ApiError::unprocessable("calendar_missing", e.message()),
            A::Storage(s) => s.into(),
        }
    }
}
