//! The complaint repository on sea-orm, and the check of its hash-chained histories.

pub(crate) mod event_log;
mod links;
mod mapping;
mod repository;

pub(crate) use mapping::to_domain;
pub use repository::SeaComplaintRepository;
