//! `GET /health/live` and `GET /health/ready`.

use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object, OpenApi};

use super::problem::ApiError;
use super::{ApiTags, State};

/// A health report.
#[derive(Debug, Object)]
pub struct Health {
    /// `ok` when healthy.
    pub status: String,
}

#[derive(ApiResponse)]
pub enum HealthOk {
    #[oai(status = 200)]
    Ok(Json<Health>),
}

pub struct HealthApi;

#[OpenApi(prefix_path = "/health", tag = "ApiTags::Health")]
impl HealthApi {
    /// Liveness: the process answers.
    #[oai(path = "/live", method = "get", operation_id = "getLiveness")]
    async fn live(&self) -> HealthOk {
        HealthOk::Ok(Json(Health {
            status: "ok".into(),
        }))
    }

    /// Readiness: the database answers.
    #[oai(path = "/ready", method = "get", operation_id = "getReadiness")]
    async fn ready(&self, state: State<'_>) -> Result<HealthOk, ApiError> {
        duban_infra::db::ping(&state.db)
            .await
            .map_err(ApiError::unavailable)?;
        Ok(HealthOk::Ok(Json(Health {
            status: "ok".into(),
        })))
    }
}
