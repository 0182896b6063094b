//! The gate of the personal-data access log. Every request carries a [`Disclosures`] record;
//! authentication names the reader in it, and every view that shows a complainant's details
//! names the complaint. Before a successful answer leaves, the gate appends one log row per
//! complaint named (one insert, the operationId and the client address with it); when that
//! fails the answer is replaced by a 503 problem, so no details are ever sent unlogged.

use std::sync::{Arc, Mutex};

use duban_domain::ids::{ComplaintId, UserId};
use poem::{Endpoint, IntoResponse, Middleware, Request, Response, Result};
use poem_openapi::OperationId;
use serde_json::json;
use uuid::Uuid;

use super::auth_api::client_address;
use super::problem::{ApiError, render_poem_error};
use crate::state::AppState;

#[derive(Debug, Default)]
struct Disclosed {
    reader: Option<UserId>,
    complaints: Vec<Option<ComplaintId>>,
    /// A replayed answer's operation (the first answer's).
    operation: Option<String>,
}

/// What one request's answer disclosed (shared by the gate, authentication and handlers).
#[derive(Debug, Clone, Default)]
pub struct Disclosures(Arc<Mutex<Disclosed>>);

impl Disclosures {
    /// The record the gate put on `req`.
    pub fn of(req: &Request) -> Option<Self> {
        req.extensions().get::<Self>().cloned()
    }

    fn with<T>(&self, change: impl FnOnce(&mut Disclosed) -> T) -> Option<T> {
        self.0.lock().ok().map(|mut d| change(&mut d))
    }

    /// Names the authenticated reader.
    pub fn reader(&self, user: UserId) {
        self.with(|d| d.reader = Some(user));
    }

    /// The answer shows the complainant's details of `complaint`.
    pub fn shows(&self, complaint: ComplaintId) {
        self.with(|d| d.complaints.push(Some(complaint)));
    }

    /// The answer is a read of the log showing entries about `complaints`: it is logged even
    /// when it shows none.
    pub fn reads_log(&self, complaints: impl IntoIterator<Item = Option<ComplaintId>>) {
        self.with(|d| {
            d.complaints.extend(complaints);
            if d.complaints.is_empty() {
                d.complaints.push(None);
            }
        });
    }

    /// What to keep with an idempotent answer, so that its replays are logged alike.
    pub fn to_stored(&self, operation: Option<&OperationId>) -> Option<String> {
        self.with(|d| {
            (!d.complaints.is_empty()).then(|| {
                json!({"operation": operation.map(|o| o.0), "complaints": d.complaints}).to_string()
            })
        })
        .flatten()
    }

    /// A stored answer is replayed to `reader`: it discloses again what it disclosed first.
    pub fn replayed(&self, reader: Uuid, stored: Option<&str>) {
        let Some(stored) = stored.and_then(|s| serde_json::from_str::<serde_json::Value>(s).ok())
        else {
            return;
        };
        let complaints: Vec<Option<ComplaintId>> =
            serde_json::from_value(stored["complaints"].clone()).unwrap_or_default();
        self.with(|d| {
            d.reader = Some(UserId::from_uuid(reader));
            d.complaints.extend(complaints);
            d.operation = stored["operation"].as_str().map(str::to_owned);
        });
    }

    fn take(&self) -> Disclosed {
        self.with(std::mem::take).unwrap_or_default()
    }
}

/// See the module documentation.
pub struct PersonalDataGate;

impl<E: Endpoint> Middleware<E> for PersonalDataGate {
    type Output = PersonalDataGateEndpoint<E>;

    fn transform(&self, ep: E) -> Self::Output {
        PersonalDataGateEndpoint { inner: ep }
    }
}

pub struct PersonalDataGateEndpoint<E> {
    inner: E,
}

impl<E: Endpoint> Endpoint for PersonalDataGateEndpoint<E> {
    type Output = Response;

    async fn call(&self, mut req: Request) -> Result<Self::Output> {
        let disclosures = Disclosures::default();
        req.extensions_mut().insert(disclosures.clone());
        let state = req.data::<Arc<AppState>>().cloned();
        let client = state
            .as_ref()
            .map(|s| client_address(&req, &s.trusted_proxies))
            .unwrap_or_default();
        let route = format!("{} {}", req.method(), req.uri().path());
        let response = match self.inner.call(req).await {
            Ok(output) => output.into_response(),
            Err(err) if err.is_from_response() => err.into_response(),
            Err(err) => render_poem_error(&err),
        };
        let disclosed = disclosures.take();
        if disclosed.complaints.is_empty() || !response.status().is_success() {
            return Ok(response);
        }
        let operation = disclosed
            .operation
            .or_else(|| response.data::<OperationId>().map(|o| o.0.to_owned()))
            .unwrap_or(route);
        let logged = match (state, disclosed.reader) {
            (Some(state), Some(reader)) => state
                .personal_data
                .record(reader, &disclosed.complaints, &operation, &client)
                .await
                .map_err(|e| e.to_string()),
            _ => Err("personal details shown without a known reader".to_owned()),
        };
        Ok(match logged {
            Ok(()) => response,
            Err(fault) => {
                tracing::error!(error = %fault, operation, "personal-data read not logged");
                ApiError::log_unavailable().into_response()
            }
        })
    }
}
