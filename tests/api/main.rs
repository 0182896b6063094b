//! Black-box tests of the HTTP API, one module per area.

mod architecture;
mod auth;
mod complaints_list;
mod complaints_register;
mod complaints_screening;
mod complaints_support;
mod openapi_contract;
mod units;
mod users;
