//! The `duban` binary.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::Parser;
use duban_api::audit_cli;
use duban_api::cli::{Cli, Command, UserCommand, read_password};
use duban_api::{App, Settings, openapi_json, telemetry};
use duban_domain::clock::Clock;
use duban_infra::accounts::{AccountStore, NewUser};
use duban_infra::clock::SystemClock;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli).await {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            // One line with the whole cause chain, in the configured log format; never a
            // backtrace, whatever RUST_BACKTRACE says.
            tracing::error!(error = %telemetry::cause_chain(e.as_ref()), "duban stopped");
            ExitCode::FAILURE
        }
    }
}

/// `Ok(false)`: the command ran and found something wrong (exit status 1).
async fn run(cli: Cli) -> Result<bool> {
    if let Some(Command::Openapi { out }) = &cli.command {
        telemetry::init_fallback();
        return write_openapi(out.as_deref()).map(|()| true);
    }
    let settings = match Settings::load(cli.config.as_deref()) {
        Ok(settings) => settings,
        Err(e) => {
            telemetry::init_fallback();
            return Err(e.into());
        }
    };
    telemetry::init(&settings);
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            // Bind first: a taken or mistyped address must fail before any side effect.
            let acceptor = App::bind(&settings.listen).await?;
            let app = App::open(&settings, std::sync::Arc::new(SystemClock)).await?;
            app.serve(acceptor).await?;
        }
        Command::Migrate => {
            App::migrate(&settings).await?;
            tracing::info!("migrations applied");
        }
        Command::User {
            command:
                UserCommand::Create {
                    username,
                    role,
                    unit,
                    display_name,
                    party_member,
                },
        } => {
            let password = read_password().context("reading the password")?;
            if password.chars().count() < 12 {
                bail!("the password must have at least 12 characters");
            }
            let db = App::migrate(&settings).await?;
            let user = AccountStore::new(db)
                .create(
                    NewUser {
                        display_name: display_name.unwrap_or_else(|| username.clone()),
                        username,
                        role: role.into(),
                        unit_id: unit.map(duban_domain::ids::UnitId::from_uuid),
                        party_member,
                        password,
                        contact: duban_infra::accounts::StaffContact::default(),
                    },
                    SystemClock.now(),
                )
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("created {} ({})", user.username, user.id);
        }
        Command::Audit { command } => {
            let outcome = audit_cli::run(&settings, &command).await?;
            let mut stdout = std::io::stdout().lock();
            writeln!(stdout, "{}", outcome.output).context("writing to standard output")?;
            return Ok(outcome.ok);
        }
        Command::Openapi { .. } => {}
    }
    Ok(true)
}

/// Writes the OpenAPI document; a reader that stops early (`duban openapi | head`) is fine.
fn write_openapi(out: Option<&std::path::Path>) -> Result<()> {
    let spec = openapi_json();
    match out {
        Some(path) => {
            std::fs::write(path, spec).with_context(|| format!("writing {}", path.display()))
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            match stdout
                .write_all(spec.as_bytes())
                .and_then(|()| stdout.flush())
            {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    Err(e).context("writing to standard output")
                }
                _ => Ok(()),
            }
        }
    }
}
