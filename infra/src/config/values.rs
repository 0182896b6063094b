//! The settings' value types.

use serde::Deserialize;

/// A value that must not appear in logs.
#[derive(Clone, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

/// How SQLite syncs commits to disk.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum SqliteSynchronousMode {
    /// Every commit is on disk before it is acknowledged.
    #[default]
    Full,
    /// Commits may be lost (not corrupted) on power failure or an OS crash.
    Normal,
}

/// A language messages are written in.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, Hash, Default)]
pub enum Language {
    /// Simplified Chinese (the default).
    #[default]
    #[serde(rename = "zh-CN")]
    ZhCn,
    #[serde(rename = "en")]
    En,
}

impl Language {
    /// The BCP 47 tag, as sent in `Content-Language`.
    pub fn tag(self) -> &'static str {
        match self {
            Language::ZhCn => "zh-CN",
            Language::En => "en",
        }
    }
}

/// A tag that names no language messages are written in.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a language messages are written in (zh-CN, en)")]
pub struct UnknownLanguage(pub String);

impl std::str::FromStr for Language {
    type Err = UnknownLanguage;

    fn from_str(tag: &str) -> Result<Self, Self::Err> {
        match tag {
            "zh-CN" => Ok(Language::ZhCn),
            "en" => Ok(Language::En),
            other => Err(UnknownLanguage(other.to_owned())),
        }
    }
}

/// How notifications are delivered.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum NotificationSender {
    /// Written to the log (the default).
    #[default]
    Log,
    /// POSTed as signed JSON to `webhook_url`.
    Webhook,
}

/// How the SMTP connection is secured.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum SmtpSecurity {
    /// Plain connection upgraded with `STARTTLS`, which the server must offer (port 587).
    #[default]
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No TLS at all: only for a relay on this host (port 25).
    None,
}

impl SmtpSecurity {
    /// The port servers of this kind listen on.
    #[must_use]
    pub fn default_port(self) -> u16 {
        match self {
            SmtpSecurity::Starttls => 587,
            SmtpSecurity::Tls => 465,
            SmtpSecurity::None => 25,
        }
    }
}

/// How the SMS gateway is called.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, Default)]
pub enum SmsGatewayMethod {
    /// The body template, with the content type, to the URL.
    #[default]
    #[serde(rename = "post", alias = "POST")]
    Post,
    /// The URL alone, its placeholders filled in.
    #[serde(rename = "get", alias = "GET")]
    Get,
}
