//! sea-orm entities: storage shapes, never seen outside this crate.

pub(crate) mod audit_checkpoint;
pub(crate) mod auth_token;
pub(crate) mod calendar_day;
pub(crate) mod calendar_year;
pub(crate) mod complaint;
pub(crate) mod complaint_counter;
pub(crate) mod complaint_event;
pub(crate) mod complaint_link;
pub(crate) mod extension_request;
pub(crate) mod idempotency_key;
pub(crate) mod idempotent_response;
pub(crate) mod login_throttle_key;
pub(crate) mod notification;
pub(crate) mod notification_preference;
pub(crate) mod outbox_message;
pub(crate) mod personal_data_read;
pub(crate) mod security_event;
pub(crate) mod supervision_order;
pub(crate) mod time_limit;
pub(crate) mod unit;
pub(crate) mod user;
