//! The port deliveries go through.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use chrono::{DateTime, Utc};
use uuid::Uuid;

/// One outbox message on its way out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    /// Stable across retries: receivers use it to drop duplicates.
    pub id: Uuid,
    pub topic: String,
    /// The JSON body, exactly as stored.
    pub payload: String,
    /// When this attempt is made (the delivery pass's clock); signatures carry it.
    pub sent_at: DateTime<Utc>,
}

/// Why a message was not delivered this time (it is retried until it is dead).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct SendError(pub String);

/// The future of one send.
pub type SendFuture<'a> = Pin<Box<dyn Future<Output = Result<(), SendError>> + Send + 'a>>;

/// Delivers outbox messages somewhere. Chosen at run time from the settings, hence used as
/// `dyn NotificationSender` (the future is boxed to keep the trait object-safe).
pub trait NotificationSender: Send + Sync {
    /// Delivers one message. `Ok` means the receiver accepted it; it will not be sent again
    /// (unless the worker dies before recording that).
    fn send<'a>(&'a self, message: &'a Notification) -> SendFuture<'a>;

    /// The longest one [`send`](Self::send) may take. A claimed message stays hidden from
    /// other workers for longer than this.
    fn max_send_time(&self) -> Duration {
        Duration::from_secs(60)
    }

    /// The longest text the channel carries whole, in characters; `None`: no limit. Longer
    /// texts are cut.
    fn max_text_chars(&self) -> Option<usize> {
        None
    }
}
