//! Domain and storage errors to HTTP problems: the only place that decides their statuses.

use duban_domain::access::Forbidden;
use duban_domain::complaint::lifecycle::TransitionRefused;
use duban_domain::complaint::ports::RepositoryError;
use duban_domain::complaint::registration::InvalidRegistration;
use duban_domain::complaint::service::{ActionError, ReadError, RegisterError};
use duban_infra::store_error::StoreError;
use duban_infra::tokens::LoginError;

use super::problem::{ApiError, FieldError};

impl From<Forbidden> for ApiError {
    fn from(e: Forbidden) -> Self {
        ApiError::forbidden(e.to_string())
    }
}

impl From<InvalidRegistration> for ApiError {
    fn from(e: InvalidRegistration) -> Self {
        ApiError::invalid_fields(
            e.0.into_iter()
                .map(|p| FieldError {
                    field: p.field.to_owned(),
                    message: p.message,
                })
                .collect(),
        )
    }
}

impl From<RepositoryError> for ApiError {
    fn from(e: RepositoryError) -> Self {
        match e {
            RepositoryError::Conflict => ApiError::conflict("version_conflict", e.to_string()),
            RepositoryError::NumbersExhausted(_) => ApiError::internal(e),
            RepositoryError::Unavailable(_) => ApiError::unavailable(e),
        }
    }
}

impl From<TransitionRefused> for ApiError {
    fn from(e: TransitionRefused) -> Self {
        match e {
            TransitionRefused::WrongState { .. } => {
                ApiError::conflict("wrong_state", e.to_string())
            }
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
                ApiError::unprocessable("idempotency_key_reused", e.to_string())
            }
            RegisterError::Storage(s) => s.into(),
        }
    }
}

impl From<ActionError> for ApiError {
    fn from(e: ActionError) -> Self {
        match e {
            ActionError::Forbidden(f) => f.into(),
            ActionError::NotFound => ApiError::not_found("no such complaint"),
            ActionError::PreconditionFailed { .. } => ApiError::precondition_failed(e.to_string()),
            ActionError::Refused(r) => r.into(),
            ActionError::Invalid(i) => i.into(),
            ActionError::Storage(s) => s.into(),
        }
    }
}

impl From<ReadError> for ApiError {
    fn from(e: ReadError) -> Self {
        match e {
            ReadError::NotFound => ApiError::not_found("no such complaint"),
            ReadError::Forbidden(f) => f.into(),
            ReadError::Storage(s) => s.into(),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => ApiError::not_found("no such resource"),
            StoreError::Duplicate { .. } => ApiError::conflict("duplicate", e.to_string()),
            StoreError::Invalid { field, message } => ApiError::invalid_fields(vec![FieldError {
                field: field.to_owned(),
                message,
            }]),
            StoreError::PreconditionFailed { .. } => ApiError::precondition_failed(e.to_string()),
            StoreError::Conflict => ApiError::conflict("version_conflict", e.to_string()),
            StoreError::Unavailable(_) => ApiError::unavailable(e),
        }
    }
}

impl From<LoginError> for ApiError {
    fn from(e: LoginError) -> Self {
        match e {
            LoginError::InvalidCredentials => ApiError::unauthorized(e.to_string()),
            LoginError::Throttled {
                retry_after_seconds,
            } => ApiError::too_many_requests(e.to_string(), retry_after_seconds),
            LoginError::Storage(s) => s.into(),
        }
    }
}

impl From<duban_domain::supervision::lifecycle::OrderRefused> for ApiError {
    fn from(e: duban_domain::supervision::lifecycle::OrderRefused) -> Self {
        use duban_domain::supervision::lifecycle::OrderRefused;
        match e {
            OrderRefused::WrongState { .. } => ApiError::conflict("wrong_state", e.to_string()),
            OrderRefused::Rule(rule) => ApiError::unprocessable("rule_refused", rule),
        }
    }
}

impl From<duban_domain::supervision::service::OrderError> for ApiError {
    fn from(e: duban_domain::supervision::service::OrderError) -> Self {
        use duban_domain::supervision::service::OrderError;
        match e {
            OrderError::Forbidden(f) => f.into(),
            OrderError::NotFound => ApiError::not_found("no such order or complaint"),
            OrderError::PreconditionFailed { .. } => ApiError::precondition_failed(e.to_string()),
            OrderError::Refused(r) => r.into(),
            OrderError::ComplaintState(_) => ApiError::conflict("wrong_state", e.to_string()),
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
            A::NotFound(what) => ApiError::not_found(format!("no such {what}")),
            A::Invalid { field, message } => ApiError::invalid_fields(vec![FieldError {
                field: field.to_owned(),
                message,
            }]),
            A::Combination(_) => ApiError::unprocessable("combination_rule", e.to_string()),
            A::Justification(_) => ApiError::unprocessable("justification_required", e.to_string()),
            A::Lifecycle(ref t) => match t {
                T::NotAllowed { .. } => ApiError::conflict("wrong_state", e.to_string()),
                T::StatementAlreadyFiled => {
                    ApiError::conflict("statement_already_filed", e.to_string())
                }
                T::NotLeadingGroup => ApiError::forbidden(e.to_string()),
                T::DeciderIsProposer => {
                    ApiError::Forbidden(poem_openapi::payload::Json(super::problem::problem(
                        poem::http::StatusCode::FORBIDDEN,
                        "four_eyes",
                        e.to_string(),
                    )))
                }
                T::StatementPeriodRunning { .. } => {
                    ApiError::unprocessable("statement_period_running", e.to_string())
                }
                T::InvalidMeasures(_) => ApiError::unprocessable("combination_rule", e.to_string()),
                _ => ApiError::unprocessable("rule_refused", e.to_string()),
            },
            A::AlreadyHeld => ApiError::conflict("already_held", e.to_string()),
            A::SanctionChanged => ApiError::conflict("version_conflict", e.to_string()),
            A::PreconditionFailed { .. } => ApiError::precondition_failed(e.to_string()),
            A::Calendar(_) => ApiError::unprocessable("calendar_missing", e.to_string()),
            A::Storage(s) => s.into(),
        }
    }
}
