//! Typed configuration: defaults, then an optional TOML file, then `DUBAN_*` environment
//! variables. Loaded once in `main` and passed down; unknown keys are refused.

use std::path::Path;

use chrono_tz::Tz;
use figment::Figment;
use figment::providers::{Env, Format, Toml};
use serde::Deserialize;

mod values;

pub use values::{
    Language, LogFormat, NotificationSender, Secret, SmsGatewayMethod, SmtpSecurity,
    SqliteSynchronousMode, UnknownLanguage,
};

/// Every setting of the service; the README lists them with their defaults.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    pub listen: String,
    pub database_url: String,
    /// PostgreSQL only: the schema to use (search path); created if missing.
    pub database_schema: Option<String>,
    pub database_max_connections: u32,
    /// The first admin's password; generated and printed once when unset.
    pub admin_password: Option<Secret>,
    pub log_format: LogFormat,
    pub log_level: String,
    /// IANA name of the agency's time zone; deadlines end at 24:00 there.
    pub time_zone: String,
    pub token_ttl_hours: u32,
    /// Failed logins for one username from one client address before that pair is blocked.
    pub login_max_failures: u32,
    /// Failed logins from one client address (any usernames) before the address is blocked.
    pub login_max_failures_per_address: u32,
    /// Reverse proxies whose `X-Forwarded-For` names the client address (for the login
    /// throttle and the security log); from any other peer the header is ignored.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// How long a block lasts (fixed: it does not grow with further failures).
    pub login_block_seconds: u32,
    /// Working days intake has to screen a registration.
    pub screening_limit_working_days: u32,
    /// Working days a unit has to sign for a supervision order.
    pub sign_for_limit_working_days: u32,
    /// Default working days a unit has to reply to a supervision order.
    pub reply_limit_working_days: u32,
    /// Working days after issue within which a unit head may return an order.
    pub return_window_working_days: u32,
    /// Longest extension of a reply deadline, in working days (one per round).
    pub extension_max_working_days: u32,
    /// Working days after the return visit within which a dissatisfied case may be reopened.
    pub reopen_window_working_days: u32,
    /// Days either side of a complaint's receipt within which another complaint from the same
    /// contact or about the same staff member is shown as a possible repeat.
    pub repeat_window_days: u32,
    /// A limit turns blue when this many working days or fewer are left.
    pub warning_blue_working_days_left: u32,
    /// A limit overdue by this many working days turns red.
    pub warning_red_after_overdue_working_days: u32,
    /// Seconds between two runs of the deadline sweeper.
    pub sweeper_interval_seconds: u32,
    /// How notifications leave the outbox: `log` or `webhook`.
    pub notification_sender: NotificationSender,
    /// Webhook sender: the URL notifications are POSTed to.
    pub webhook_url: Option<String>,
    /// Webhook sender: the HMAC-SHA256 key signing each body.
    pub webhook_secret: Option<Secret>,
    /// Webhook sender: a PEM file of certificates trusted besides the Mozilla roots (a
    /// private CA, or the receiver's self-signed certificate).
    pub webhook_ca_file: Option<std::path::PathBuf>,
    /// Webhook sender: attempts before a notification is marked dead.
    pub webhook_max_attempts: u32,
    /// Webhook sender: the first retry delay in seconds; it doubles with each attempt.
    pub webhook_backoff_seconds: u32,
    /// Webhook sender: seconds to wait for the receiver.
    pub webhook_timeout_seconds: u32,
    /// Seconds between two passes of the outbox delivery worker.
    pub outbox_interval_seconds: u32,
    /// E-mail channel: the SMTP server; unset, no e-mail is sent.
    pub smtp_host: Option<String>,
    /// E-mail channel: the server's port; unset, the one of `smtp_security` (587, 465, 25).
    pub smtp_port: Option<u16>,
    /// E-mail channel: `starttls`, `tls`, or `none` (a relay on this host only).
    pub smtp_security: SmtpSecurity,
    /// E-mail channel: the user name for `AUTH` (with `smtp_password`).
    pub smtp_username: Option<String>,
    /// E-mail channel: the password for `AUTH`.
    pub smtp_password: Option<Secret>,
    /// E-mail channel: the `From` of every mail, e.g. `督办 <duban@example.org>`.
    pub smtp_from: Option<String>,
    /// E-mail channel: a PEM file of certificates trusted besides the Mozilla roots.
    pub smtp_ca_file: Option<std::path::PathBuf>,
    /// E-mail channel: the longest one mail may take, in seconds.
    pub smtp_timeout_seconds: u32,
    /// SMS channel: the gateway's URL template; unset, no SMS is sent.
    pub sms_gateway_url: Option<String>,
    /// SMS channel: `post` (the body template) or `get` (the URL alone).
    pub sms_gateway_method: SmsGatewayMethod,
    /// SMS channel: the body template of a `post`; unset, a default for JSON and form bodies.
    pub sms_gateway_body: Option<String>,
    /// SMS channel: the body's content type, which decides how values are escaped in it.
    pub sms_gateway_content_type: String,
    /// SMS channel: one header sent with every request, `Name: value` (e.g. an API key).
    pub sms_gateway_header: Option<Secret>,
    /// SMS channel: the longest text the gateway takes, in characters; longer ones are cut.
    pub sms_max_chars: u32,
    /// SMS channel: text a 2xx answer must contain for the message to count as sent (many
    /// gateways answer 200 with an error code); unset, every 2xx answer counts.
    pub sms_success_text: Option<String>,
    /// SMS channel: a PEM file of certificates trusted besides the Mozilla roots.
    pub sms_gateway_ca_file: Option<std::path::PathBuf>,
    /// SMS channel: seconds to wait for the gateway.
    pub sms_gateway_timeout_seconds: u32,
    /// Days after a complaint ended (closed, or screened out) after which the complainant's
    /// name and contacts are erased.
    pub contact_retention_days: u32,
    /// Hours a stored answer to a keyed `POST` is kept for replay before it is purged.
    pub idempotency_replay_hours: u32,
    /// Seconds between two passes of the retention job (erasure and purge).
    pub retention_interval_seconds: u32,
    /// Working days the subject of a sanction proposal has to state their defence (陈述申辩).
    pub statement_period_working_days: u32,
    /// Sustained complaints within the window from which the repeat rule applies (≥ 2).
    pub sanction_repeat_threshold: u32,
    /// The repeat-complaint window of the sanction policy, in calendar months (1–120).
    pub sanction_repeat_window_months: u32,
    /// The largest request body accepted, in bytes; larger ones are refused with 413.
    pub max_body_bytes: u64,
    /// The service is reached over TLS (directly or through a proxy): responses carry HSTS.
    pub behind_tls: bool,
    /// SQLite only: `full` (the default) makes every acknowledged commit durable; `normal`
    /// is faster but may lose the last commits on power failure.
    pub sqlite_synchronous: SqliteSynchronousMode,
    /// The language of messages when `Accept-Language` names none we have.
    pub default_language: Language,
    /// When set, `GET /metrics` requires `Authorization: Bearer <this token>`.
    pub metrics_token: Option<Secret>,
    /// The file holding the audit keys (HMAC for the event chains, Ed25519 for checkpoints);
    /// created with fresh keys, readable by its owner only, when missing and a key setting
    /// below is unset.
    pub audit_key_file: String,
    /// HMAC-SHA256 keys of the event chains, `id=hex64,id=hex64,…`: the first is current,
    /// the others retired (they still verify). Overrides the key file's.
    pub audit_hmac_keys: Option<Secret>,
    /// Ed25519 signing keys (32-byte seeds) of checkpoints, written as `audit_hmac_keys`.
    pub audit_signing_keys: Option<Secret>,
    /// Seconds between two checkpoints sealed by the background worker.
    pub audit_checkpoint_interval_seconds: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:8080".into(),
            database_url: "sqlite://data/duban.db?mode=rwc".into(),
            database_schema: None,
            database_max_connections: 10,
            admin_password: None,
            log_format: LogFormat::Text,
            log_level: "info".into(),
            time_zone: "Asia/Shanghai".into(),
            token_ttl_hours: 12,
            login_max_failures: 5,
            login_max_failures_per_address: 50,
            trusted_proxies: Vec::new(),
            login_block_seconds: 30,
            screening_limit_working_days: 1,
            sign_for_limit_working_days: 1,
            reply_limit_working_days: 5,
            return_window_working_days: 2,
            extension_max_working_days: 5,
            reopen_window_working_days: 15,
            repeat_window_days: 30,
            warning_blue_working_days_left: 1,
            warning_red_after_overdue_working_days: 5,
            sweeper_interval_seconds: 60,
            notification_sender: NotificationSender::Log,
            webhook_url: None,
            webhook_secret: None,
            webhook_ca_file: None,
            webhook_max_attempts: 8,
            webhook_backoff_seconds: 5,
            webhook_timeout_seconds: 10,
            outbox_interval_seconds: 5,
            smtp_host: None,
            smtp_port: None,
            smtp_security: SmtpSecurity::Starttls,
            smtp_username: None,
            smtp_password: None,
            smtp_from: None,
            smtp_ca_file: None,
            smtp_timeout_seconds: 30,
            sms_gateway_url: None,
            sms_gateway_method: SmsGatewayMethod::Post,
            sms_gateway_body: None,
            sms_gateway_content_type: "application/json".into(),
            sms_gateway_header: None,
            sms_max_chars: 70,
            sms_success_text: None,
            sms_gateway_ca_file: None,
            sms_gateway_timeout_seconds: 10,
            contact_retention_days: 365,
            idempotency_replay_hours: 24,
            retention_interval_seconds: 3600,
            statement_period_working_days: 3,
            sanction_repeat_threshold: 2,
            sanction_repeat_window_months: 12,
            max_body_bytes: 1024 * 1024,
            behind_tls: false,
            sqlite_synchronous: SqliteSynchronousMode::Full,
            default_language: Language::ZhCn,
            metrics_token: None,
            audit_key_file: "data/audit-keys.toml".into(),
            audit_hmac_keys: None,
            audit_signing_keys: None,
            audit_checkpoint_interval_seconds: 3600,
        }
    }
}

/// Why configuration could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("configuration: {0}")]
    Load(#[from] Box<figment::Error>),
    #[error("configuration: unknown setting `{name}`{hint}")]
    Unknown { name: String, hint: String },
    #[error("configuration: time_zone `{0}` is not an IANA time zone name")]
    TimeZone(String),
    #[error("configuration: {0}")]
    Invalid(&'static str),
    /// A setting whose value cannot be used, with the reason.
    #[error("configuration: {0}")]
    Unusable(String),
}

impl Settings {
    /// Loads defaults, then `file` (TOML) when given, then `DUBAN_*` variables.
    ///
    /// # Errors
    /// [`ConfigError`] for unreadable files, unknown keys and invalid values.
    pub fn load(file: Option<&Path>) -> Result<Self, ConfigError> {
        let mut figment = Figment::new();
        if let Some(file) = file {
            figment = figment.merge(Toml::file_exact(file));
        }
        figment = figment.merge(Env::prefixed("DUBAN_").ignore(&["config"]));
        let settings: Settings = figment.extract().map_err(|e| load_error(e, file))?;
        settings.check()?;
        Ok(settings)
    }

    fn check(&self) -> Result<(), ConfigError> {
        self.tz()?;
        if self.token_ttl_hours == 0 {
            return Err(ConfigError::Invalid("token_ttl_hours must be at least 1"));
        }
        if self.database_max_connections == 0 {
            return Err(ConfigError::Invalid(
                "database_max_connections must be at least 1",
            ));
        }
        if duban_domain::sanction::PolicySettings::new(
            self.sanction_repeat_threshold,
            self.sanction_repeat_window_months,
        )
        .is_err()
        {
            return Err(ConfigError::Invalid(
                "sanction_repeat_threshold must be at least 2 and sanction_repeat_window_months 1 to 120",
            ));
        }
        if self.statement_period_working_days > 30 {
            return Err(ConfigError::Invalid(
                "statement_period_working_days must be at most 30",
            ));
        }
        if !(1..=366).contains(&self.repeat_window_days) {
            return Err(ConfigError::Invalid("repeat_window_days must be 1 to 366"));
        }
        if self.contact_retention_days == 0 {
            return Err(ConfigError::Invalid(
                "contact_retention_days must be at least 1",
            ));
        }
        if self.idempotency_replay_hours == 0 {
            return Err(ConfigError::Invalid(
                "idempotency_replay_hours must be at least 1",
            ));
        }
        if self.max_body_bytes == 0 {
            return Err(ConfigError::Invalid("max_body_bytes must be at least 1"));
        }
        if self.login_max_failures_per_address == 0 {
            return Err(ConfigError::Invalid(
                "login_max_failures_per_address must be at least 1",
            ));
        }
        if self.login_block_seconds == 0 {
            return Err(ConfigError::Invalid(
                "login_block_seconds must be at least 1",
            ));
        }
        if self.login_max_failures == 0 {
            return Err(ConfigError::Invalid(
                "login_max_failures must be at least 1",
            ));
        }
        crate::notifications::check_channels(self)
    }

    /// The agency's time zone.
    ///
    /// # Errors
    /// [`ConfigError::TimeZone`] for an unknown name.
    pub fn tz(&self) -> Result<Tz, ConfigError> {
        self.time_zone
            .parse()
            .map_err(|_| ConfigError::TimeZone(self.time_zone.clone()))
    }
}

/// An unknown key names the closest valid setting, spelt as it was given (an environment
/// variable or a key of the file); other errors are figment's.
fn load_error(error: figment::Error, file: Option<&Path>) -> ConfigError {
    let unknown = error.clone().into_iter().find_map(|e| match e.kind {
        figment::error::Kind::UnknownField(found, expected) => Some((found, expected)),
        _ => None,
    });
    let Some((found, expected)) = unknown else {
        return ConfigError::Load(Box::new(error));
    };
    let variable = format!("DUBAN_{}", found.to_ascii_uppercase());
    let from_env = std::env::var_os(&variable).is_some();
    let spell = |key: &str| {
        if from_env {
            format!("DUBAN_{}", key.to_ascii_uppercase())
        } else {
            key.to_owned()
        }
    };
    let closest = expected
        .iter()
        .map(|key| (strsim::damerau_levenshtein(&found, key), *key))
        .min()
        .filter(|(distance, _)| *distance <= 3);
    let place = match (from_env, file) {
        (false, Some(file)) => format!(" in {}", file.display()),
        _ => String::new(),
    };
    let hint = match closest {
        Some((_, key)) => format!("{place}; did you mean `{}`?", spell(key)),
        None => format!("{place}; the README's configuration table lists every setting"),
    };
    ConfigError::Unknown {
        name: spell(&found),
        hint,
    }
}

#[cfg(test)]
#[allow(clippy::result_large_err)] // figment::Jail's closures return figment's own error type
mod tests {
    use super::*;

    #[test]
    fn defaults_then_file_then_environment() {
        figment::Jail::expect_with(|jail| {
            // The test runner's own DUBAN_* variables (e.g. DUBAN_TEST_DATABASE_URL) are not
            // settings of the service.
            jail.clear_env();
            jail.create_file(
                "duban.toml",
                "listen = \"0.0.0.0:9000\"\nlog_level = \"debug\"",
            )?;
            jail.set_env("DUBAN_LOG_LEVEL", "warn");
            jail.set_env("DUBAN_ADMIN_PASSWORD", "s3cret-s3cret");
            let s = Settings::load(Some(Path::new("duban.toml"))).map_err(|e| e.to_string())?;
            assert_eq!(s.listen, "0.0.0.0:9000");
            assert_eq!(s.log_level, "warn");
            assert_eq!(s.token_ttl_hours, 12);
            assert_eq!(format!("{:?}", s.admin_password), "Some(Secret(***))");
            Ok(())
        });
    }

    #[test]
    fn trusted_proxies_are_a_list_of_addresses() {
        figment::Jail::expect_with(|jail| {
            jail.clear_env();
            jail.set_env("DUBAN_TRUSTED_PROXIES", "[10.0.0.5, \"fd00::1\"]");
            let s = Settings::load(None).map_err(|e| e.to_string())?;
            assert_eq!(
                s.trusted_proxies,
                [
                    std::net::IpAddr::from([10, 0, 0, 5]),
                    "fd00::1"
                        .parse::<std::net::IpAddr>()
                        .map_err(|e| e.to_string())?
                ]
            );
            jail.set_env("DUBAN_TRUSTED_PROXIES", "[proxy.example]");
            assert!(Settings::load(None).is_err());
            Ok(())
        });
    }

    #[test]
    fn channel_templates_and_headers_are_read_as_text_from_the_environment() {
        figment::Jail::expect_with(|jail| {
            jail.clear_env();
            jail.set_env("DUBAN_SMS_GATEWAY_URL", "https://sms.example.cn/send?key=k");
            jail.set_env(
                "DUBAN_SMS_GATEWAY_BODY",
                r#"{"mobile":"{to}","content":"{text}"}"#,
            );
            jail.set_env("DUBAN_SMS_GATEWAY_HEADER", "Authorization: Bearer k-1");
            jail.set_env("DUBAN_SMS_GATEWAY_METHOD", "POST");
            jail.set_env("DUBAN_SMS_SUCCESS_TEXT", r#""Code":"OK""#);
            jail.set_env("DUBAN_SMTP_HOST", "smtp.example.org");
            jail.set_env("DUBAN_SMTP_FROM", "督办 <duban@example.org>");
            jail.set_env("DUBAN_SMTP_SECURITY", "tls");
            let s = Settings::load(None).map_err(|e| e.to_string())?;
            assert_eq!(
                s.sms_gateway_body.as_deref(),
                Some(r#"{"mobile":"{to}","content":"{text}"}"#)
            );
            assert_eq!(
                s.sms_gateway_header.as_ref().map(Secret::expose),
                Some("Authorization: Bearer k-1")
            );
            assert_eq!(s.sms_gateway_method, SmsGatewayMethod::Post);
            assert_eq!(s.sms_success_text.as_deref(), Some(r#""Code":"OK""#));
            assert_eq!(s.smtp_security, SmtpSecurity::Tls);
            jail.set_env("DUBAN_SMTP_FROM", "");
            assert!(matches!(
                Settings::load(None),
                Err(ConfigError::Invalid("smtp_host needs smtp_from"))
            ));
            Ok(())
        });
    }

    #[test]
    fn unknown_keys_and_bad_values_are_refused() {
        figment::Jail::expect_with(|jail| {
            // The test runner's own DUBAN_* variables (e.g. DUBAN_TEST_DATABASE_URL) are not
            // settings of the service.
            jail.clear_env();
            jail.set_env("DUBAN_LISTNE", "x");
            assert!(Settings::load(None).is_err());
            Ok(())
        });
        figment::Jail::expect_with(|jail| {
            jail.clear_env();
            jail.set_env("DUBAN_DATABSE_URL", "sqlite://x.db");
            let error = Settings::load(None).map(|_| ()).map_err(|e| e.to_string());
            assert_eq!(
                error,
                Err(
                    "configuration: unknown setting `DUBAN_DATABSE_URL`; did you mean \
                     `DUBAN_DATABASE_URL`?"
                        .to_owned()
                )
            );
            jail.clear_env();
            jail.create_file("duban.toml", "time_zon = \"UTC\"")?;
            let error = Settings::load(Some(Path::new("duban.toml")))
                .map(|_| ())
                .map_err(|e| e.to_string());
            assert_eq!(
                error,
                Err(
                    "configuration: unknown setting `time_zon` in duban.toml; did you mean \
                     `time_zone`?"
                        .to_owned()
                )
            );
            Ok(())
        });
        figment::Jail::expect_with(|jail| {
            // The test runner's own DUBAN_* variables (e.g. DUBAN_TEST_DATABASE_URL) are not
            // settings of the service.
            jail.clear_env();
            jail.set_env("DUBAN_TIME_ZONE", "Mars/Olympus");
            assert!(matches!(
                Settings::load(None),
                Err(ConfigError::TimeZone(_))
            ));
            Ok(())
        });
    }
}
