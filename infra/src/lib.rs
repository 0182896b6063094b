//! Adapters: storage on SQLite and PostgreSQL through sea-orm, password hashing, the system
//! clock and configuration.

pub mod accountability;
pub mod accounts;
pub mod audit;
pub mod calendar;
pub mod clock;
pub mod complaints;
pub mod config;
pub mod db;
pub mod directory;
mod entities;
pub mod fingerprint;
pub mod holiday_data;
pub mod idempotency;
pub mod login_guard;
pub mod notifications;
pub mod operations;
pub mod orders;
pub mod password;
pub mod personal_data;
pub mod stats;
mod storage_error;
pub mod store_error;
pub mod time_limits;
pub mod tokens;
pub mod units;
pub mod warnings;

pub use sea_orm::DatabaseConnection;
