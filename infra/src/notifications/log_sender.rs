//! The default sender: one log line per message.

use super::sender::{Notification, NotificationSender, SendFuture};

/// Writes each message to the log (`info`), for deployments without a receiver yet.
#[derive(Debug, Clone, Copy, Default)]
pub struct LogSender;

impl NotificationSender for LogSender {
    fn send<'a>(&'a self, message: &'a Notification) -> SendFuture<'a> {
        Box::pin(async move {
            tracing::info!(
                message_id = %message.id,
                topic = %message.topic,
                payload = %message.payload,
                "notification"
            );
            Ok(())
        })
    }
}
