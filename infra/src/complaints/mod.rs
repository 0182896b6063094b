//! The complaint repository on sea-orm, and the check of its hash-chained histories.

mod chain_check;
pub(crate) mod event_log;
mod links;
mod mapping;
mod repository;

pub use chain_check::{ChainCheck, check_chain};
pub use repository::SeaComplaintRepository;
