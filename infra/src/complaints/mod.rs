//! The complaint repository on sea-orm.

pub(crate) mod event_log;
mod mapping;
mod repository;

pub use repository::SeaComplaintRepository;
