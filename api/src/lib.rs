//! duban's HTTP service: the driving adapter and composition root.

// Handler errors are whole problem responses, built at most once per request; boxing them
// would only add noise to every operation signature.
#![allow(clippy::result_large_err)]

pub mod api_document;
pub mod app;
pub mod audit_cli;
pub mod background;
pub mod cli;
pub mod http;
pub mod i18n;
pub mod startup;
pub mod state;
pub mod telemetry;

pub use api_document::openapi_json;
pub use app::{App, AppError};
pub use duban_infra::config::Settings;
