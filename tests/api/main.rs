//! Black-box tests of the HTTP API, one module per area.

mod architecture;
mod auth;
mod calendar;
mod complaints_closing;
mod complaints_links;
mod complaints_list;
mod complaints_register;
mod complaints_repeats;
mod complaints_screening;
mod complaints_support;
mod compression;
mod history_chain;
mod investigations;
mod metrics;
mod notifications;
mod openapi_contract;
mod orders;
mod records;
mod reminders;
mod sanctions;
mod stats;
mod time_limits;
mod units;
mod users;
mod warnings;
