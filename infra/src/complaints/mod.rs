//! The complaint repository on sea-orm, and the check of its hash-chained histories.

mod answer_notices;
pub(crate) mod event_log;
mod links;
mod list_filter;
mod mapping;
mod repository;
mod retention;

pub use answer_notices::{AnswerToSend, claim_next_answer, leave_answer_to_intake};
pub(crate) use mapping::to_domain;
pub use repository::SeaComplaintRepository;
pub use retention::{SeaContactRetention, erase_contact_details_once};
