//! The pure core of duban: complaints, their lifecycle and the rules of handling them.
//!
//! Nothing here performs IO. Ports (traits) describe what the core needs from the outside
//! world; `duban-infra` implements them and `duban-api` drives them.

pub mod access;
pub mod accountability;
pub mod audit;
pub mod calendar;
pub mod clock;
pub mod complaint;
mod error_messages;
pub mod ids;
pub mod limits;
pub mod message;
pub mod notification;
pub mod personal_data;
pub mod role;
pub mod sanction;
pub mod stats;
pub mod storage;
pub mod supervision;
pub mod text;
pub mod unit;
pub mod visibility;
pub mod wire_enum;
