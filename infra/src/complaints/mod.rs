//! The complaint repository on sea-orm.

mod mapping;
mod repository;

pub use repository::SeaComplaintRepository;
