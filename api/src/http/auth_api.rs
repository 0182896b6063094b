//! `POST /auth/login`, `POST /auth/logout`, `GET /auth/me`.

use std::net::IpAddr;

use chrono::{DateTime, Utc};
use duban_domain::clock::Clock;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object, OpenApi};

use super::auth::StaffAuth;
use super::problem::ApiError;
use super::strict_string::Text;
use super::users_api::UserView;
use super::{ApiTags, State};

/// Credentials.
#[derive(Debug, Object)]
pub struct LoginRequest {
    #[oai(validator(min_length = 1, max_length = 64))]
    pub username: Text,
    #[oai(validator(min_length = 1, max_length = 256))]
    pub password: Text,
}

/// A bearer token and when it expires.
#[derive(Debug, Object)]
pub struct LoginResponse {
    /// Send as `Authorization: Bearer <token>`.
    pub token: String,
    pub expires_at: DateTime<Utc>,
    pub user: UserView,
}

#[derive(ApiResponse)]
pub enum LoginOk {
    #[oai(status = 200)]
    Ok(Json<LoginResponse>),
}

#[derive(ApiResponse)]
pub enum LogoutOk {
    /// The token is revoked.
    #[oai(status = 204)]
    Revoked,
}

#[derive(ApiResponse)]
pub enum MeOk {
    #[oai(status = 200)]
    Ok(Json<UserView>),
}

pub struct AuthApi;

#[OpenApi(prefix_path = "/api/v1/auth", tag = "ApiTags::Auth")]
impl AuthApi {
    /// Log in
    ///
    /// Repeated failures for one username from one client address, or from one client
    /// address whatever the usernames, are throttled with 429 and a `Retry-After`.
    #[oai(path = "/login", method = "post", operation_id = "login")]
    async fn login(
        &self,
        state: State<'_>,
        req: &poem::Request,
        body: Json<LoginRequest>,
    ) -> Result<LoginOk, ApiError> {
        let issued = state
            .sessions
            .login(
                body.username.as_ref(),
                body.password.as_ref(),
                &client_address(req, &state.trusted_proxies),
                state.clock.now(),
            )
            .await?;
        Ok(LoginOk::Ok(Json(LoginResponse {
            token: issued.token,
            expires_at: issued.expires_at,
            user: issued.user.into(),
        })))
    }

    /// Log out
    ///
    /// Revokes the token the request carries.
    #[oai(path = "/logout", method = "post", operation_id = "logout")]
    async fn logout(&self, state: State<'_>, auth: StaffAuth) -> Result<LogoutOk, ApiError> {
        state
            .sessions
            .logout(&auth.0.token, state.clock.now())
            .await?;
        Ok(LogoutOk::Revoked)
    }

    /// Who am I
    #[oai(path = "/me", method = "get", operation_id = "getCurrentUser")]
    async fn me(&self, auth: StaffAuth) -> Result<MeOk, ApiError> {
        Ok(MeOk::Ok(Json(auth.0.user.into())))
    }
}

/// The client's IP address: the TCP peer's, or, when the peer is a trusted proxy, the
/// nearest address in `X-Forwarded-For` that is not itself a trusted proxy.
pub(crate) fn client_address(req: &poem::Request, trusted: &[IpAddr]) -> String {
    let Some(peer) = req.remote_addr().as_socket_addr().map(|a| a.ip()) else {
        return req.remote_addr().to_string();
    };
    if !trusted.contains(&peer) {
        return peer.to_string();
    }
    let forwarded: Vec<IpAddr> = req
        .headers()
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|a| a.trim().parse().ok())
        .collect();
    forwarded
        .into_iter()
        .rev()
        .find(|a| !trusted.contains(a))
        .unwrap_or(peer)
        .to_string()
}
