//! The `duban` binary.

use std::io::BufRead;

use anyhow::{Context, Result, bail};
use clap::Parser;
use duban_api::cli::{Cli, Command, UserCommand};
use duban_api::{App, Settings, openapi_json, telemetry};
use duban_domain::clock::Clock;
use duban_infra::accounts::{AccountStore, NewUser};
use duban_infra::clock::SystemClock;

#[tokio::main]
async fn main() -> Result<()> {
    let cli = Cli::parse();
    if let Some(Command::Openapi { out }) = &cli.command {
        let spec = openapi_json();
        match out {
            Some(path) => {
                std::fs::write(path, spec).with_context(|| format!("writing {}", path.display()))?
            }
            None => print!("{spec}"),
        }
        return Ok(());
    }
    let settings = Settings::load(cli.config.as_deref())?;
    telemetry::init(&settings);
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            let app = App::open(&settings).await?;
            app.serve(&settings.listen).await?;
        }
        Command::Migrate => {
            App::open(&settings).await?;
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
            let mut password = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut password)
                .context("reading the password from stdin")?;
            let password = password.trim_end_matches(['\n', '\r']).to_owned();
            if password.chars().count() < 12 {
                bail!("the password must have at least 12 characters");
            }
            App::open(&settings).await?;
            let db = duban_infra::db::connect(
                &settings.database_url,
                1,
                settings.database_schema.as_deref(),
            )
            .await?;
            let user = AccountStore::new(db)
                .create(
                    NewUser {
                        display_name: display_name.unwrap_or_else(|| username.clone()),
                        username,
                        role: role.into(),
                        unit_id: unit.map(duban_domain::ids::UnitId::from_uuid),
                        party_member,
                        password,
                    },
                    SystemClock.now(),
                )
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("created {} ({})", user.username, user.id);
        }
        Command::Openapi { .. } => {}
    }
    Ok(())
}
