//! `/notification-preferences`: how the caller is reached besides the inbox: their e-mail
//! address, mobile number and language, and per topic whether e-mail and SMS carry it.

use duban_domain::clock::Clock;
use duban_domain::notification::{ChannelChoice, PersonalChannel, Topic, wanted};
use duban_infra::accounts::{StaffContact, UserPatch, UserRecord};
use duban_infra::notifications::channel_choices;
use poem_openapi::param::Header;
use poem_openapi::payload::Json;
use poem_openapi::types::MaybeUndefined;
use poem_openapi::{ApiResponse, Object, OpenApi};

use super::auth::StaffAuth;
use super::contact_dto::{Language, change, check_email};
use super::problem::{ApiError, FieldError};
use super::strict_string::Text;
use super::versioning::{etag, if_match};
use super::{ApiTags, State};

/// Whether one topic travels by e-mail and by SMS.
#[derive(Debug, Clone, Object)]
pub struct TopicChannels {
    /// A topic of the README's topic table, e.g. `order.issued`.
    pub topic: String,
    pub email: bool,
    pub sms: bool,
}

/// Which personal channels this service delivers by.
#[derive(Debug, Clone, Object)]
pub struct ConfiguredChannels {
    pub email: bool,
    pub sms: bool,
}

/// How the caller is reached.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct NotificationPreferences {
    pub email: Option<String>,
    pub phone: Option<String>,
    /// Absent: the service's default language.
    pub language: Option<Language>,
    /// The channels the administrator configured; a choice for another channel is kept but
    /// carries nothing until it is configured.
    pub configured: ConfiguredChannels,
    /// Every topic, with the caller's choice or its default.
    pub topics: Vec<TopicChannels>,
}

/// A choice for one topic; an absent channel keeps its current choice.
#[derive(Debug, Object)]
pub struct TopicChoice {
    #[oai(validator(max_length = 64))]
    pub topic: String,
    pub email: Option<bool>,
    pub sms: Option<bool>,
}

/// Changes to how the caller is reached; absent fields stay as they are, `null` removes.
#[derive(Debug, Object)]
pub struct PreferencesChange {
    #[oai(
        nullable,
        validator(max_length = 254, pattern = r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")
    )]
    pub email: MaybeUndefined<Text>,
    #[oai(nullable, validator(max_length = 32, pattern = r"^\+?[0-9]{5,20}$"))]
    pub phone: MaybeUndefined<Text>,
    #[oai(nullable)]
    pub language: MaybeUndefined<Language>,
    /// Absent or `null`: no topic changes.
    #[oai(nullable, validator(max_items = 64))]
    pub topics: Option<Vec<TopicChoice>>,
}

#[derive(ApiResponse)]
pub enum PreferencesOk {
    /// The ETag is the account's version: a change of contact or of a choice moves it.
    #[oai(status = 200)]
    Ok(
        Json<NotificationPreferences>,
        #[oai(header = "ETag")] String,
    ),
}

/// The preferences of `account` as stored now, with their ETag.
async fn current(state: &State<'_>, account: UserRecord) -> Result<PreferencesOk, ApiError> {
    let choices = channel_choices(&state.db, account.id).await?;
    let tag = etag(account.version);
    let StaffContact {
        email,
        phone,
        language,
    } = account.contact;
    Ok(PreferencesOk::Ok(
        Json(NotificationPreferences {
            email,
            phone,
            language: language.map(Into::into),
            configured: ConfiguredChannels {
                email: state.personal_channels.contains(&PersonalChannel::Email),
                sms: state.personal_channels.contains(&PersonalChannel::Sms),
            },
            topics: Topic::ALL
                .iter()
                .map(|&topic| TopicChannels {
                    topic: topic.as_str().to_owned(),
                    email: wanted(topic, PersonalChannel::Email, &choices),
                    sms: wanted(topic, PersonalChannel::Sms, &choices),
                })
                .collect(),
        }),
        tag,
    ))
}

/// The choices a change asks for, or a 422 naming the first unknown topic.
fn choices_of(topics: &[TopicChoice]) -> Result<Vec<ChannelChoice>, ApiError> {
    let mut choices = Vec::new();
    for (n, asked) in topics.iter().enumerate() {
        let topic: Topic = asked.topic.parse().map_err(|_| {
            ApiError::invalid_fields(vec![FieldError::new(
                format!("topics.{n}.topic"),
                &duban_domain::msg!("field_unknown_topic"),
            )])
        })?;
        for (channel, enabled) in [
            (PersonalChannel::Email, asked.email),
            (PersonalChannel::Sms, asked.sms),
        ] {
            if let Some(enabled) = enabled {
                choices.push(ChannelChoice {
                    topic,
                    channel,
                    enabled,
                });
            }
        }
    }
    Ok(choices)
}

pub struct NotificationPreferencesApi;

#[OpenApi(
    prefix_path = "/api/v1/notification-preferences",
    tag = "ApiTags::Notifications"
)]
impl NotificationPreferencesApi {
    /// Read how I am notified
    ///
    /// My e-mail address, mobile number and language, and for every topic whether e-mail and
    /// SMS carry it. The inbox carries every topic whatever is chosen here.
    #[oai(
        path = "/",
        method = "get",
        operation_id = "getNotificationPreferences"
    )]
    async fn get(&self, state: State<'_>, auth: StaffAuth) -> Result<PreferencesOk, ApiError> {
        let account = state.accounts.get(auth.0.actor.user_id).await?;
        current(&state, account).await
    }

    /// Change how I am notified
    ///
    /// Sets my address, number or language, and the topics e-mail and SMS carry; what the
    /// body leaves out stays as it is.
    #[oai(
        path = "/",
        method = "patch",
        operation_id = "updateNotificationPreferences"
    )]
    async fn update(
        &self,
        state: State<'_>,
        auth: StaffAuth,
        /// The ETag of the preferences this change is based on; 412 when no longer current.
        #[oai(
            name = "If-Match",
            validator(pattern = r#"^(\*|(W/)?"[!#-~]{0,18}")?$"#)
        )]
        if_match_header: Header<Option<String>>,
        body: Json<PreferencesChange>,
    ) -> Result<PreferencesOk, ApiError> {
        let me = auth.0.actor.user_id;
        let expected = if_match(if_match_header.0.as_deref());
        let body = body.0;
        check_email("email", body.email.value().map(AsRef::as_ref))?;
        let choices = choices_of(body.topics.as_deref().unwrap_or_default())?;
        let patch = UserPatch {
            email: change(body.email, Text::into_inner),
            phone: change(body.phone, Text::into_inner),
            language: change(body.language, Into::into),
            ..UserPatch::default()
        };
        let account = state
            .accounts
            .update_reach(me, expected, patch, &choices, state.clock.now())
            .await?;
        current(&state, account).await
    }
}
