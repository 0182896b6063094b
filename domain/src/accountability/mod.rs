//! Accountability use cases (责任追究): investigation records, cases taken over by the leading
//! group, sanction proposals with their recommendation, statements, decisions, supersession,
//! and the records of people and units. The rules themselves live in [`crate::sanction`].

pub mod leaders;
pub mod model;
pub mod ports;
pub mod records;
pub mod service;

pub use model::*;
pub use ports::AccountabilityRepository;
pub use service::{AccountabilityError, AccountabilityPolicy, AccountabilityService};
