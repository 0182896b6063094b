//! sea-orm entities: storage shapes, never seen outside this crate.

pub(crate) mod auth_token;
pub(crate) mod complaint;
pub(crate) mod complaint_counter;
pub(crate) mod complaint_event;
pub(crate) mod idempotency_key;
pub(crate) mod login_throttle;
pub(crate) mod unit;
pub(crate) mod user;
