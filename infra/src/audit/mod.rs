//! Tamper evidence: the keyed chains of complaint and sanction events, the rows checked
//! against them, and signed checkpoints of every chain's head.

mod adopt;
pub mod chain;
pub mod checkpoint;
pub mod keys;
mod legacy;
pub(crate) mod registration;
mod row_check;
pub(crate) mod sanction_seal;
pub mod verify;

pub use sea_orm::DbErr;

pub use adopt::{Adopted, adopt_legacy};
pub use checkpoint::{Checkpoint, Head};
pub use keys::{AuditKeys, KeyError};
pub use verify::{ChainReport, Report, verify_all, verify_complaint, verify_sanction};
