//! Bearer-token authentication for protected operations.

use std::sync::Arc;

use duban_domain::access::Actor;
use duban_domain::clock::Clock;
use duban_infra::accounts::UserRecord;
use poem::Request;
use poem_openapi::SecurityScheme;
use poem_openapi::auth::Bearer;

use super::disclosure::Disclosures;
use super::problem::ApiError;
use crate::state::AppState;

/// The authenticated staff member of a request.
#[derive(Debug, Clone)]
pub struct Staff {
    pub actor: Actor,
    pub user: UserRecord,
    pub token: String,
    /// The request's record for the personal-data access log.
    pub disclosures: Disclosures,
}

/// A bearer token from `POST /api/v1/auth/login`.
#[derive(SecurityScheme)]
#[oai(ty = "bearer", checker = "check_token")]
pub struct StaffAuth(pub Staff);

async fn check_token(req: &Request, bearer: Bearer) -> poem::Result<Staff> {
    let state = req
        .data::<Arc<AppState>>()
        .ok_or_else(|| ApiError::internal("application state missing"))?;
    let disclosures = Disclosures::of(req)
        .ok_or_else(|| ApiError::internal("the personal-data gate is not mounted"))?;
    match state
        .sessions
        .authenticate(&bearer.token, state.clock.now())
        .await
    {
        Ok(Some(user)) => Ok(Staff {
            disclosures: {
                disclosures.reader(user.id);
                disclosures
            },
            actor: Actor {
                user_id: user.id,
                role: user.role,
                unit_id: user.unit_id,
            },
            user,
            token: bearer.token,
        }),
        Ok(None) => Err(ApiError::unauthorized(duban_domain::msg!("token_invalid")).into()),
        Err(e) => Err(ApiError::unavailable(e).into()),
    }
}
