//! The personal channels a notice may also travel by, and who wants which topic on them.

use super::Topic;

crate::wire_enum! {
    /// A channel that reaches one person: their e-mail address or their mobile phone.
    PersonalChannel {
        Email => "email",
        Sms => "sms",
    }
}

/// One person's choice for one topic on one channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChannelChoice {
    pub topic: Topic,
    pub channel: PersonalChannel,
    pub enabled: bool,
}

impl PersonalChannel {
    /// Whether a person who chose nothing gets `topic` on this channel: every topic by
    /// e-mail; by SMS only what cannot wait (new work, deadlines, a sanction naming them),
    /// as seed 001 sends the supervision signals.
    #[must_use]
    pub const fn on_by_default(self, topic: Topic) -> bool {
        match self {
            Self::Email => true,
            Self::Sms => matches!(
                topic,
                Topic::OrderIssued
                    | Topic::OrderReminded
                    | Topic::WarningLevelChanged
                    | Topic::SanctionProposed
            ),
        }
    }
}

/// Whether `topic` goes to a person by `channel`, given the choices they made.
#[must_use]
pub fn wanted(topic: Topic, channel: PersonalChannel, choices: &[ChannelChoice]) -> bool {
    choices
        .iter()
        .find(|c| c.topic == topic && c.channel == channel)
        .map_or_else(|| channel.on_by_default(topic), |c| c.enabled)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_send_everything_by_email_and_only_urgent_work_by_sms() {
        assert!(wanted(Topic::OrderSigned, PersonalChannel::Email, &[]));
        assert!(!wanted(Topic::OrderSigned, PersonalChannel::Sms, &[]));
        assert!(wanted(Topic::OrderIssued, PersonalChannel::Sms, &[]));
        assert!(wanted(
            Topic::WarningLevelChanged,
            PersonalChannel::Sms,
            &[]
        ));
    }

    #[test]
    fn a_choice_overrides_the_default_for_its_topic_and_channel_only() {
        let choices = [
            ChannelChoice {
                topic: Topic::OrderIssued,
                channel: PersonalChannel::Sms,
                enabled: false,
            },
            ChannelChoice {
                topic: Topic::OrderSigned,
                channel: PersonalChannel::Sms,
                enabled: true,
            },
        ];
        assert!(!wanted(Topic::OrderIssued, PersonalChannel::Sms, &choices));
        assert!(wanted(Topic::OrderIssued, PersonalChannel::Email, &choices));
        assert!(wanted(Topic::OrderSigned, PersonalChannel::Sms, &choices));
        assert!(!wanted(Topic::OrderReplied, PersonalChannel::Sms, &choices));
    }
}
