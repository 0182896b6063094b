//! Notifications: the outbox table, written in the same transaction as the change it reports,
//! and the senders that deliver it (chosen in configuration: `log` or `webhook`, and the
//! per-person e-mail and SMS channels when configured).

mod audience;
mod channels;
mod dead_letters;
mod delivery;
mod delivery_channels;
mod email;
mod fan_out;
mod inbox;
mod inbox_writer;
mod log_sender;
mod outbox;
mod preferences;
mod sender;
mod sms;
mod sms_template;
mod tls;
mod webhook;

use std::sync::Arc;
use std::time::Duration;

pub(crate) use channels::check_channels;
pub use channels::{email_sender_from_settings, sms_sender_from_settings};
pub use dead_letters::{ReplayError, dead_messages, replay_dead};
pub use delivery::{DeliveryReport, deliver_once, deliver_pass};
pub use delivery_channels::{DeliveryChannels, NoticeRenderer, RenderedNotice};
pub use email::{
    EmailSender, EmailSetupError, SmtpServer, is_deliverable_address, mail_message_id,
};
pub use fan_out::html as text_as_html;
pub use inbox::{InboxEntry, InboxPosition, inbox, mark_all_read, mark_read, unread_counts};
pub(crate) use inbox_writer::{notify_case_event, notify_sanction_entry};
pub use log_sender::LogSender;
pub(crate) use outbox::enqueue_in;
pub use outbox::{OutboxChannel, OutboxEntry, OutboxStatus, enqueue, outbox_entries};
pub use preferences::channel_choices;
pub(crate) use preferences::upsert_choices;
pub use sender::{Notification, NotificationSender, SendError, SendFuture};
pub use sms::{SmsGateway, SmsGatewaySender, SmsSetupError};
pub use sms_template::cut;
pub use webhook::{SIGNATURE_HEADER, WebhookSender, signature};

use crate::config::{ConfigError, NotificationSender as SenderChoice, Settings};

/// The sender the settings choose.
///
/// # Errors
/// [`ConfigError::Invalid`] when `webhook` is chosen without `webhook_url` or
/// `webhook_secret`, or with a URL the sender cannot use.
pub fn sender_from_settings(
    settings: &Settings,
) -> Result<Arc<dyn NotificationSender>, ConfigError> {
    match settings.notification_sender {
        SenderChoice::Log => Ok(Arc::new(LogSender)),
        SenderChoice::Webhook => {
            let url = settings.webhook_url.as_deref().ok_or(ConfigError::Invalid(
                "notification_sender = webhook needs webhook_url",
            ))?;
            let secret = settings.webhook_secret.clone().ok_or(ConfigError::Invalid(
                "notification_sender = webhook needs webhook_secret",
            ))?;
            let timeout = Duration::from_secs(u64::from(settings.webhook_timeout_seconds.max(1)));
            let ca_file = settings.webhook_ca_file.as_deref();
            let sender = WebhookSender::new(url, secret, timeout, ca_file).map_err(|e| {
                tracing::error!(error = %e, "the webhook sender cannot be built");
                ConfigError::Invalid(
                    "webhook_url must be an https:// or http:// URL, and webhook_ca_file a readable PEM file",
                )
            })?;
            Ok(Arc::new(sender))
        }
    }
}
