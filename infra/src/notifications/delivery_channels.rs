//! The senders one delivery worker holds: the primary (log or webhook) sender for every
//! message, and the personal channels configured on this instance, with the words they send.

use std::sync::Arc;
use std::time::Duration;

use duban_domain::notification::{PersonalChannel, Topic};

use super::outbox::OutboxChannel;
use super::sender::NotificationSender;
use crate::config::Language;

/// What a person reads in an e-mail or SMS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedNotice {
    /// One line: the e-mail subject.
    pub subject: String,
    /// The plain text: the e-mail body and the SMS.
    pub text: String,
}

/// Words for a topic in a language (the HTTP crate owns the message catalogues).
pub trait NoticeRenderer: Send + Sync {
    /// `fact(name)` gives the stored fact of that name (empty if absent); `language` none:
    /// the service's default.
    fn render(
        &self,
        topic: Topic,
        fact: &dyn Fn(&str) -> String,
        language: Option<Language>,
    ) -> RenderedNotice;
}

/// The senders of one delivery worker.
#[derive(Clone)]
pub struct DeliveryChannels {
    pub primary: Arc<dyn NotificationSender>,
    pub email: Option<Arc<dyn NotificationSender>>,
    pub sms: Option<Arc<dyn NotificationSender>>,
    /// Needed once a personal channel is configured.
    pub renderer: Option<Arc<dyn NoticeRenderer>>,
}

impl DeliveryChannels {
    /// Only the primary sender: no message is fanned out to a person.
    pub fn primary_only(primary: Arc<dyn NotificationSender>) -> Self {
        Self {
            primary,
            email: None,
            sms: None,
            renderer: None,
        }
    }

    /// The personal channels configured here.
    pub fn configured_personal(&self) -> Vec<PersonalChannel> {
        self.personal()
            .map(|(channels, _)| channels)
            .unwrap_or_default()
    }

    /// The personal channels this instance can deliver by, with their words.
    pub(super) fn personal(&self) -> Option<(Vec<PersonalChannel>, &dyn NoticeRenderer)> {
        let renderer = self.renderer.as_deref()?;
        let channels: Vec<PersonalChannel> = [
            (PersonalChannel::Email, self.email.is_some()),
            (PersonalChannel::Sms, self.sms.is_some()),
        ]
        .into_iter()
        .filter_map(|(channel, on)| on.then_some(channel))
        .collect();
        (!channels.is_empty()).then_some((channels, renderer))
    }

    /// The sender of a stored channel, if this instance has it.
    pub(super) fn sender(&self, channel: OutboxChannel) -> Option<&dyn NotificationSender> {
        match channel {
            OutboxChannel::Primary => Some(self.primary.as_ref()),
            OutboxChannel::Email => self.email.as_deref(),
            OutboxChannel::Sms => self.sms.as_deref(),
        }
    }

    /// The longest send of any of the senders.
    pub fn max_send_time(&self) -> Duration {
        [Some(&self.primary), self.email.as_ref(), self.sms.as_ref()]
            .into_iter()
            .flatten()
            .map(|s| s.max_send_time())
            .max()
            .unwrap_or(Duration::from_secs(60))
    }
}
