//! Supervision orders, their extension requests and time limits on sea-orm.

mod complainant_notices;
mod mapping;
mod reminder;
mod repository;

pub use complainant_notices::{
    NoticeToSend, Reachable, claim_next_complainant_notice, leave_complainant_notice_to_intake,
};
pub use reminder::REMINDER_TOPIC;
pub use repository::SeaOrderRepository;
