//! The command line: `serve` (default), `migrate`, `user create`, `audit …`, `openapi`.

use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::http::wire_enums::Role;

/// duban: complaints and accountability case management.
#[derive(Debug, Parser)]
#[command(name = "duban", version, about)]
pub struct Cli {
    /// A TOML configuration file; `DUBAN_*` environment variables override it.
    #[arg(long, global = true, env = "DUBAN_CONFIG")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the HTTP API (the default).
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Manage accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Tamper evidence: verify the history, seal and export checkpoints.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Write the OpenAPI document.
    Openapi {
        /// Where to write it; standard output when absent.
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check every chain, every complaint and sanction row against its events and every
    /// head against the latest checkpoint; print each break. Exit status 1 on any break.
    Verify {
        /// Check the heads against this exported checkpoint (JSON, as `audit checkpoint`
        /// prints it) instead of the latest one stored.
        #[arg(long)]
        checkpoint: Option<PathBuf>,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Seal a checkpoint of every chain's head now and print it (JSON) to keep elsewhere.
    Checkpoint,
    /// Print the latest checkpoint (JSON), or nothing when none was sealed yet.
    Latest,
    /// Print the public keys (JSON) that verify checkpoints.
    PublicKey,
    /// Rehash chains made before keys with the current key, after checking them under the
    /// old unkeyed scheme (README, "Upgrading").
    AdoptLegacy,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account. The password is asked for without echo on a terminal, else read
    /// from standard input (one line).
    Create {
        #[arg(long)]
        username: String,
        /// One of: intake, unit_handler, unit_head, leading_group, admin.
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// The unit, for unit_handler and unit_head.
        #[arg(long)]
        unit: Option<uuid::Uuid>,
        #[arg(long)]
        display_name: Option<String>,
        #[arg(long)]
        party_member: bool,
    },
}

fn parse_role(raw: &str) -> Result<Role, String> {
    raw.parse::<duban_domain::role::Role>()
        .map(Into::into)
        .map_err(|e| e.to_string())
}

/// The new account's password: asked for without echo when standard input is a terminal,
/// else its first line.
///
/// # Errors
/// The terminal's or standard input's error.
pub fn read_password() -> std::io::Result<String> {
    if std::io::stdin().is_terminal() {
        return rpassword::prompt_password("password (at least 12 characters): ");
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\n', '\r']).to_owned())
}
