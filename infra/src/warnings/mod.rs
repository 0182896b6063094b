//! The deadline sweeper (电子监察): finds running time limits whose warning level is due to
//! change, records each change exactly once on the complaint's history and puts notifications
//! for the people answerable into the outbox.

mod recipients;
mod running_limit;
mod sweeper;

pub(crate) use recipients::recipients;
pub use running_limit::{LimitWarning, limit_warnings};
pub use sweeper::{SweepReport, WARNING_TOPIC, sweep_once};
