//! The complaint repository on sea-orm, and the check of its hash-chained histories.

pub(crate) mod event_log;
mod links;
mod mapping;
mod repository;
mod retention;

pub(crate) use mapping::to_domain;
pub use repository::SeaComplaintRepository;
pub use retention::{SeaContactRetention, erase_contact_details_once};
