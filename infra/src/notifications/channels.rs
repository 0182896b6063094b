//! The e-mail and SMS channels as the settings configure them: off, on, or refused when half
//! configured.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use super::email::{EmailSender, SmtpServer};
use super::sender::NotificationSender;
use super::sms::{SmsGateway, SmsGatewaySender};
use crate::config::{ConfigError, Secret, Settings, SmtpSecurity};

/// The e-mail sender the settings configure, `None` without `smtp_host`.
///
/// # Errors
/// [`ConfigError`] for a half-configured channel (no `smtp_from`, a user name without a
/// password, …), an unusable value, or an unreadable `smtp_ca_file`.
pub fn email_sender_from_settings(
    settings: &Settings,
) -> Result<Option<Arc<dyn NotificationSender>>, ConfigError> {
    let Some(server) = smtp_server(settings)? else {
        return Ok(None);
    };
    let sender = EmailSender::new(server).map_err(|e| ConfigError::Unusable(e.to_string()))?;
    Ok(Some(Arc::new(sender)))
}

/// The SMS sender the settings configure, `None` without `sms_gateway_url`.
///
/// # Errors
/// [`ConfigError`] for a half-configured channel, templates that cannot work, or an
/// unreadable `sms_gateway_ca_file`.
pub fn sms_sender_from_settings(
    settings: &Settings,
) -> Result<Option<Arc<dyn NotificationSender>>, ConfigError> {
    let Some(gateway) = sms_gateway(settings)? else {
        return Ok(None);
    };
    let sender =
        SmsGatewaySender::new(gateway).map_err(|e| ConfigError::Unusable(e.to_string()))?;
    Ok(Some(Arc::new(sender)))
}

/// Both channels' settings, checked without reading files or building clients.
pub(crate) fn check_channels(settings: &Settings) -> Result<(), ConfigError> {
    smtp_server(settings)?;
    if let Some(gateway) = sms_gateway(settings)? {
        gateway
            .check()
            .map_err(|e| ConfigError::Unusable(e.to_string()))?;
    }
    Ok(())
}

fn smtp_server(settings: &Settings) -> Result<Option<SmtpServer>, ConfigError> {
    let Some(host) = set(settings.smtp_host.as_deref()) else {
        let stray = settings.smtp_from.is_some()
            || settings.smtp_username.is_some()
            || settings.smtp_password.is_some()
            || settings.smtp_ca_file.is_some();
        return if stray {
            Err(ConfigError::Invalid(
                "smtp_from, smtp_username, smtp_password and smtp_ca_file need smtp_host",
            ))
        } else {
            Ok(None)
        };
    };
    let from = set(settings.smtp_from.as_deref())
        .ok_or(ConfigError::Invalid("smtp_host needs smtp_from"))?
        .parse()
        .map_err(|_| {
            ConfigError::Invalid(
                "smtp_from must be an e-mail address, e.g. `duban@example.org` or `督办 <duban@example.org>`",
            )
        })?;
    let credentials = match (
        set(settings.smtp_username.as_deref()),
        &settings.smtp_password,
    ) {
        (Some(username), Some(password)) => Some((username.to_owned(), password.clone())),
        (None, None) => None,
        _ => {
            return Err(ConfigError::Invalid(
                "smtp_username and smtp_password go together",
            ));
        }
    };
    if settings.smtp_security == SmtpSecurity::None && !is_this_host(host) {
        return Err(ConfigError::Invalid(
            "smtp_security = none sends mail and passwords in clear: only for a relay on this host (localhost, 127.0.0.1, ::1)",
        ));
    }
    if settings.smtp_timeout_seconds == 0 {
        return Err(ConfigError::Invalid(
            "smtp_timeout_seconds must be at least 1",
        ));
    }
    Ok(Some(SmtpServer {
        host: host.to_owned(),
        port: settings
            .smtp_port
            .unwrap_or_else(|| settings.smtp_security.default_port()),
        security: settings.smtp_security,
        credentials,
        from,
        timeout: Duration::from_secs(u64::from(settings.smtp_timeout_seconds)),
        ca_file: settings.smtp_ca_file.clone(),
    }))
}

fn sms_gateway(settings: &Settings) -> Result<Option<SmsGateway>, ConfigError> {
    let Some(url) = set(settings.sms_gateway_url.as_deref()) else {
        let stray = settings.sms_gateway_body.is_some()
            || settings.sms_gateway_header.is_some()
            || settings.sms_gateway_ca_file.is_some()
            || settings.sms_success_text.is_some();
        return if stray {
            Err(ConfigError::Invalid(
                "sms_gateway_body, sms_gateway_header, sms_gateway_ca_file and sms_success_text need sms_gateway_url",
            ))
        } else {
            Ok(None)
        };
    };
    if settings.sms_gateway_timeout_seconds == 0 {
        return Err(ConfigError::Invalid(
            "sms_gateway_timeout_seconds must be at least 1",
        ));
    }
    Ok(Some(SmsGateway {
        url: url.to_owned(),
        method: settings.sms_gateway_method,
        body: settings.sms_gateway_body.clone(),
        content_type: settings.sms_gateway_content_type.clone(),
        header: settings.sms_gateway_header.clone().filter(is_set),
        max_chars: usize::try_from(settings.sms_max_chars).unwrap_or(usize::MAX),
        success_text: set(settings.sms_success_text.as_deref()).map(str::to_owned),
        timeout: Duration::from_secs(u64::from(settings.sms_gateway_timeout_seconds)),
        ca_file: settings.sms_gateway_ca_file.clone(),
    }))
}

/// A setting given a non-blank value (an empty environment variable leaves it unset).
fn set(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

fn is_set(secret: &Secret) -> bool {
    !secret.expose().trim().is_empty()
}

fn is_this_host(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn email() -> Settings {
        Settings {
            smtp_host: Some("smtp.example.org".into()),
            smtp_from: Some("督办 <duban@example.org>".into()),
            smtp_username: Some("duban".into()),
            smtp_password: Some(Secret::new("pw")),
            ..Settings::default()
        }
    }

    fn sms() -> Settings {
        Settings {
            sms_gateway_url: Some("https://sms.example.cn/send".into()),
            ..Settings::default()
        }
    }

    #[test]
    fn channels_are_off_by_default_and_on_when_configured() {
        let defaults = Settings::default();
        assert!(matches!(email_sender_from_settings(&defaults), Ok(None)));
        assert!(matches!(sms_sender_from_settings(&defaults), Ok(None)));
        assert!(matches!(email_sender_from_settings(&email()), Ok(Some(_))));
        assert!(matches!(sms_sender_from_settings(&sms()), Ok(Some(_))));
        let blank = Settings {
            smtp_host: Some(String::new()),
            sms_gateway_url: Some(" ".into()),
            ..Settings::default()
        };
        assert!(check_channels(&blank).is_ok());
    }

    #[test]
    fn the_port_follows_the_security_unless_given() {
        let port = |security, port| {
            let settings = Settings {
                smtp_security: security,
                smtp_port: port,
                smtp_host: Some("localhost".into()),
                ..email()
            };
            smtp_server(&settings)
                .ok()
                .flatten()
                .map(|server| server.port)
        };
        assert_eq!(port(SmtpSecurity::Starttls, None), Some(587));
        assert_eq!(port(SmtpSecurity::Tls, None), Some(465));
        assert_eq!(port(SmtpSecurity::None, None), Some(25));
        assert_eq!(port(SmtpSecurity::Tls, Some(2465)), Some(2465));
    }

    #[test]
    fn half_configured_channels_are_refused() {
        let refused = [
            Settings {
                smtp_from: None,
                ..email()
            },
            Settings {
                smtp_password: None,
                ..email()
            },
            Settings {
                smtp_username: None,
                ..email()
            },
            Settings {
                smtp_from: Some("not an address".into()),
                ..email()
            },
            Settings {
                smtp_security: SmtpSecurity::None,
                ..email()
            },
            Settings {
                smtp_timeout_seconds: 0,
                ..email()
            },
            Settings {
                smtp_host: None,
                ..email()
            },
            Settings {
                sms_gateway_url: None,
                sms_gateway_header: Some(Secret::new("X-Key: k")),
                ..Settings::default()
            },
            Settings {
                sms_max_chars: 0,
                ..sms()
            },
            Settings {
                sms_gateway_timeout_seconds: 0,
                ..sms()
            },
            Settings {
                sms_gateway_content_type: "application/octet-stream".into(),
                ..sms()
            },
        ];
        for settings in refused {
            assert!(
                check_channels(&settings).is_err(),
                "smtp {:?} / sms {:?}",
                settings.smtp_host,
                settings.sms_gateway_url
            );
        }
        for host in ["localhost", "127.0.0.1", "[::1]", "::1"] {
            let settings = Settings {
                smtp_security: SmtpSecurity::None,
                smtp_host: Some(host.into()),
                ..email()
            };
            assert!(check_channels(&settings).is_ok(), "{host}");
        }
    }
}
