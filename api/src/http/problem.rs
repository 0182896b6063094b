//! The one HTTP error boundary: every refusal leaves the service as RFC 9457 problem details
//! (`application/problem+json`) with a stable `code` and the request id.

use poem::http::StatusCode;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object};

use super::request_id;
use crate::i18n::{self, Message};
use duban_domain::msg;

/// One refused field of a request.
#[derive(Debug, Clone, Object)]
pub struct FieldError {
    /// The field as named in the request body or query (dotted for nested fields); the same
    /// in every language.
    pub field: String,
    /// Why it was refused, in the language chosen by `Accept-Language`.
    pub message: String,
}

impl FieldError {
    /// `field` refused for `message`, rendered in the current request's language.
    pub fn new(field: impl Into<String>, message: &Message) -> Self {
        Self {
            field: field.into(),
            message: i18n::render(message),
        }
    }
}

/// RFC 9457 problem details.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct Problem {
    /// A URI naming the kind of problem: `urn:duban:problem:<code>`.
    #[oai(rename = "type")]
    pub kind: String,
    /// The status in words, in the language chosen by `Accept-Language`.
    pub title: String,
    pub status: u16,
    /// What went wrong, in the language chosen by `Accept-Language`.
    pub detail: String,
    /// Stable machine-readable code, e.g. `invalid_request`, `wrong_state`; the same in every
    /// language.
    pub code: String,
    /// The id of the request, also sent as the `X-Request-Id` header.
    pub request_id: Option<String>,
    /// For validation failures: every refused field.
    #[oai(skip_serializing_if_is_none)]
    pub errors: Option<Vec<FieldError>>,
}

/// Every error an operation can answer with.
#[derive(Debug, ApiResponse)]
pub enum ApiError {
    /// The request is malformed: bad JSON, a value outside the schema, a bad parameter.
    #[oai(status = 400, content_type = "application/problem+json")]
    BadRequest(Json<Problem>),
    /// No token, or an unknown, expired or revoked one.
    #[oai(status = 401, content_type = "application/problem+json")]
    Unauthorized(Json<Problem>, #[oai(header = "WWW-Authenticate")] String),
    /// The caller's role or unit does not allow this.
    #[oai(status = 403, content_type = "application/problem+json")]
    Forbidden(Json<Problem>),
    /// Not found, or not visible to the caller.
    #[oai(status = 404, content_type = "application/problem+json")]
    NotFound(Json<Problem>),
    /// The resource is in the wrong state for this, or changed concurrently.
    #[oai(status = 409, content_type = "application/problem+json")]
    Conflict(Json<Problem>),
    /// `If-Match` names a version that is no longer current.
    #[oai(status = 412, content_type = "application/problem+json")]
    PreconditionFailed(Json<Problem>),
    /// The request body is not JSON.
    #[oai(status = 415, content_type = "application/problem+json")]
    UnsupportedMediaType(Json<Problem>),
    /// A rule of the domain refuses the request; the detail names the rule.
    #[oai(status = 422, content_type = "application/problem+json")]
    Unprocessable(Json<Problem>),
    /// Too many attempts; retry after the given number of seconds.
    #[oai(status = 429, content_type = "application/problem+json")]
    TooManyRequests(Json<Problem>, #[oai(header = "Retry-After")] String),
    /// An internal fault; the log holds the details.
    #[oai(status = 500, content_type = "application/problem+json")]
    Internal(Json<Problem>),
    /// The database is not reachable.
    #[oai(status = 503, content_type = "application/problem+json")]
    Unavailable(Json<Problem>),
}

/// The title of `status`: translated for the statuses the service answers with.
fn title(status: StatusCode) -> String {
    let key = match status.as_u16() {
        400 => msg!("title_400"),
        401 => msg!("title_401"),
        403 => msg!("title_403"),
        404 => msg!("title_404"),
        405 => msg!("title_405"),
        409 => msg!("title_409"),
        412 => msg!("title_412"),
        413 => msg!("title_413"),
        415 => msg!("title_415"),
        422 => msg!("title_422"),
        428 => msg!("title_428"),
        429 => msg!("title_429"),
        500 => msg!("title_500"),
        503 => msg!("title_503"),
        _ => return status.canonical_reason().unwrap_or("Error").to_owned(),
    };
    i18n::render(&key)
}

/// Builds the problem body for `status` with a code and detail, in the current request's
/// language.
pub fn problem(status: StatusCode, code: &str, detail: &Message) -> Problem {
    Problem {
        kind: format!("urn:duban:problem:{code}"),
        title: title(status),
        status: status.as_u16(),
        detail: i18n::render(detail),
        code: code.to_owned(),
        request_id: request_id::current(),
        errors: None,
    }
}

impl ApiError {
    pub fn bad_request(detail: Message) -> Self {
        ApiError::BadRequest(Json(problem(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            &detail,
        )))
    }

    pub fn unauthorized(detail: Message) -> Self {
        ApiError::Unauthorized(
            Json(problem(
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                &detail,
            )),
            "Bearer".to_owned(),
        )
    }

    pub fn forbidden(detail: Message) -> Self {
        ApiError::Forbidden(Json(problem(StatusCode::FORBIDDEN, "forbidden", &detail)))
    }

    pub fn not_found(detail: Message) -> Self {
        ApiError::NotFound(Json(problem(StatusCode::NOT_FOUND, "not_found", &detail)))
    }

    pub fn conflict(code: &str, detail: Message) -> Self {
        ApiError::Conflict(Json(problem(StatusCode::CONFLICT, code, &detail)))
    }

    pub fn precondition_failed(detail: Message) -> Self {
        ApiError::PreconditionFailed(Json(problem(
            StatusCode::PRECONDITION_FAILED,
            "stale_version",
            &detail,
        )))
    }

    pub fn unprocessable(code: &str, detail: Message) -> Self {
        ApiError::Unprocessable(Json(problem(
            StatusCode::UNPROCESSABLE_ENTITY,
            code,
            &detail,
        )))
    }

    /// A 422 listing refused fields.
    pub fn invalid_fields(fields: Vec<FieldError>) -> Self {
        let detail = fields
            .iter()
            .map(|f| format!("{}: {}", f.field, f.message))
            .collect::<Vec<_>>()
            .join("; ");
        let mut body = problem(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            &msg!("validation_failed", fields = detail),
        );
        body.errors = Some(fields);
        ApiError::Unprocessable(Json(body))
    }

    pub fn too_many_requests(detail: Message, retry_after_seconds: i64) -> Self {
        ApiError::TooManyRequests(
            Json(problem(StatusCode::TOO_MANY_REQUESTS, "throttled", &detail)),
            retry_after_seconds.to_string(),
        )
    }

    /// Logs the fault in full and answers with a generic body.
    pub fn internal(fault: impl std::fmt::Display) -> Self {
        tracing::error!(error = %fault, "internal fault");
        ApiError::Internal(Json(problem(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            &msg!("internal"),
        )))
    }

    /// The personal-data access log could not be written: the answer, which would have shown
    /// a complainant's details, is withheld.
    pub fn log_unavailable() -> Self {
        ApiError::Unavailable(Json(problem(
            StatusCode::SERVICE_UNAVAILABLE,
            "personal_data_log_unavailable",
            &msg!("personal_data_log_unavailable"),
        )))
    }

    pub fn unavailable(fault: impl std::fmt::Display) -> Self {
        tracing::error!(error = %fault, "storage unavailable");
        ApiError::Unavailable(Json(problem(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            &msg!("unavailable"),
        )))
    }
}

/// Renders an error that poem raised itself (parse failures, routing, auth, 405, 415) as
/// problem details with the status poem chose.
pub fn render_poem_error(err: &poem::Error) -> poem::Response {
    use poem_openapi::types::ToJSON;
    let status = err.status();
    let (code, detail) = match status {
        StatusCode::UNAUTHORIZED => ("unauthenticated", msg!("unauthenticated")),
        StatusCode::NOT_FOUND => ("not_found", msg!("not_found")),
        StatusCode::METHOD_NOT_ALLOWED => ("method_not_allowed", msg!("method_not_allowed")),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => {
            ("unsupported_media_type", msg!("unsupported_media_type"))
        }
        s if s.is_server_error() => {
            tracing::error!(error = %err, "internal fault");
            ("internal", msg!("internal"))
        }
        _ => (
            "invalid_request",
            msg!("invalid_request", reason = err.to_string()),
        ),
    };
    let body = problem(status, code, &detail).to_json().unwrap_or_default();
    let mut response = poem::Response::builder()
        .status(status)
        .content_type("application/problem+json")
        .body(body.to_string());
    if status == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(
            poem::http::header::WWW_AUTHENTICATE,
            poem::http::HeaderValue::from_static("Bearer"),
        );
    }
    response
}
