//! The complaint repository on sea-orm, and the check of its hash-chained histories.

mod chain_check;
pub(crate) mod event_log;
mod links;
mod mapping;
mod repository;
mod retention;

pub use chain_check::{ChainCheck, check_chain};
pub use repository::SeaComplaintRepository;
pub use retention::{SeaContactRetention, erase_contact_details_once};
