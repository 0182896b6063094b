//! Storage of investigation records, takeovers and sanctions.

mod entities;
mod mapping;
mod repository;

pub use repository::SeaAccountabilityRepository;
