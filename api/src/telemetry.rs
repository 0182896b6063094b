//! Structured logs with tracing on standard error: text (coloured only on a terminal) or JSON
//! lines, filtered by level.

use std::io::IsTerminal;

use duban_infra::config::{LogFormat, Settings};
use tracing_subscriber::EnvFilter;

/// PostgreSQL notices ("relation … already exists, skipping") are logged by sqlx at INFO;
/// they are noise for an operator unless asked for by name.
const QUIET_TARGETS: &str = "sqlx::postgres::notice=warn";

/// Installs the global subscriber once; later calls (tests) are ignored.
pub fn init(settings: &Settings) {
    install(&settings.log_level, settings.log_format);
}

/// For failures before the settings are known (or without settings, `duban openapi`): the
/// format named by `DUBAN_LOG_FORMAT` if it is `json`, else text, at INFO.
pub fn init_fallback() {
    let format = match std::env::var("DUBAN_LOG_FORMAT") {
        Ok(format) if format.eq_ignore_ascii_case("json") => LogFormat::Json,
        _ => LogFormat::Text,
    };
    install("info", format);
}

fn install(level: &str, format: LogFormat) {
    let filter = EnvFilter::try_new(filter_directives(level))
        .unwrap_or_else(|_| EnvFilter::new(filter_directives("info")));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal());
    let _ = match format {
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
        LogFormat::Text => builder.try_init(),
    };
}

/// The configured filter, with the noisy targets quietened unless it names them itself.
fn filter_directives(level: &str) -> String {
    if level.contains("sqlx::postgres::notice") {
        level.to_owned()
    } else {
        format!("{level},{QUIET_TARGETS}")
    }
}

pub use duban_infra::store_error::cause_chain;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_notices_are_quiet_unless_asked_for() {
        assert_eq!(
            filter_directives("info"),
            "info,sqlx::postgres::notice=warn"
        );
        assert_eq!(
            filter_directives("sqlx::postgres::notice=info,info"),
            "sqlx::postgres::notice=info,info"
        );
    }

    #[test]
    fn a_cause_quoted_by_its_error_is_not_repeated() {
        #[derive(Debug, thiserror::Error)]
        #[error("cannot listen on x: {source}")]
        struct Listen {
            source: std::io::Error,
        }
        let error = Listen {
            source: std::io::Error::other("address in use"),
        };
        assert_eq!(cause_chain(&error), "cannot listen on x: address in use");
        let wrapped = anyhow::Error::new(std::io::Error::other("refused")).context("connecting");
        assert_eq!(cause_chain(wrapped.as_ref()), "connecting: refused");
    }
}
