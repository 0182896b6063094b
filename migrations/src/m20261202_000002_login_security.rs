//! Login throttling per client address and per username and client address, and the log of
//! security events (failed and throttled logins) an admin reads. `login_throttle` (per
//! username only) is no longer used and is left for instances still running the old code
//! during a rolling upgrade.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::schema_helpers::{index, one_of};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("login_throttle_keys")
                    // `address <ip>` or `user <ip> <username>`.
                    .col(string_len("key", 200).primary_key())
                    .col(integer("failures"))
                    .col(timestamp_with_time_zone("last_failure_at"))
                    .col(timestamp_with_time_zone_null("blocked_until"))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("security_events")
                    .col(uuid("id").primary_key())
                    .col(timestamp_with_time_zone("occurred_at"))
                    .col(
                        string_len("kind", 32)
                            .check(one_of("kind", &["login_failed", "login_throttled"])),
                    )
                    .col(string_len("username", 64))
                    .col(string_len("client_address", 64))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "security_events",
                "idx_security_events_occurred_at",
                &["occurred_at"],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["security_events", "login_throttle_keys"] {
            manager
                .drop_table(Table::drop().table(Alias::new(table)).take())
                .await?;
        }
        Ok(())
    }
}
