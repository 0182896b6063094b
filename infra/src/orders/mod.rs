//! Supervision orders, their extension requests and time limits on sea-orm.

mod mapping;
mod reminder;
mod repository;

pub use reminder::REMINDER_TOPIC;
pub use repository::SeaOrderRepository;
