//! Supervision orders, their extension requests and time limits on sea-orm.

mod mapping;
mod repository;

pub use repository::SeaOrderRepository;
