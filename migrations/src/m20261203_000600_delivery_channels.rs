//! Personal delivery channels: staff e-mail, phone and language; each person's choice of
//! channel per topic; outbox messages addressed to one channel; and the claim a worker holds
//! while it tells a complainant the new date itself.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::schema_helpers::{fk, index, one_of};

#[derive(DeriveMigrationName)]
pub struct Migration;

const USER_COLUMNS: [&str; 3] = ["email", "phone", "language"];
const OUTBOX_COLUMNS: [&str; 2] = ["channel", "parent_id"];
const ORDER_COLUMN: &str = "complainant_notice_claimed_until";

async fn add_columns(
    manager: &SchemaManager<'_>,
    table: &str,
    columns: Vec<ColumnDef>,
) -> Result<(), DbErr> {
    // SQLite adds one column per statement.
    for mut column in columns {
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new(table))
                    .add_column(&mut column)
                    .take(),
            )
            .await?;
    }
    Ok(())
}

async fn drop_columns(
    manager: &SchemaManager<'_>,
    table: &str,
    columns: &[&str],
) -> Result<(), DbErr> {
    for column in columns {
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new(table))
                    .drop_column(Alias::new(*column))
                    .take(),
            )
            .await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add_columns(
            manager,
            "users",
            vec![
                string_len_null(USER_COLUMNS[0], 254),
                string_len_null(USER_COLUMNS[1], 32),
                string_len_null(USER_COLUMNS[2], 16),
            ],
        )
        .await?;
        add_columns(
            manager,
            "outbox",
            vec![
                // `primary`: the configured log or webhook sender; `email`, `sms`: one person.
                string_len(OUTBOX_COLUMNS[0], 16)
                    .default("primary")
                    .check(one_of("channel", &["primary", "email", "sms"]))
                    .take(),
                uuid_null(OUTBOX_COLUMNS[1]),
            ],
        )
        .await?;
        add_columns(
            manager,
            "supervision_orders",
            vec![timestamp_with_time_zone_null(ORDER_COLUMN)],
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table("notification_preferences")
                    .col(uuid("user_id"))
                    .col(string_len("topic", 64))
                    .col(string_len("channel", 16).check(one_of("channel", &["email", "sms"])))
                    .col(boolean("enabled"))
                    .primary_key(
                        Index::create()
                            .col(Alias::new("user_id"))
                            .col(Alias::new("topic"))
                            .col(Alias::new("channel")),
                    )
                    .foreign_key(&mut fk("notification_preferences", "user_id", "users"))
                    .take(),
            )
            .await?;
        // One message per channel of a primary message, however many workers fan it out.
        manager
            .create_index(
                index(
                    "outbox",
                    "idx_outbox_parent_channel",
                    &["parent_id", "channel"],
                )
                .unique()
                .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Older code would hand staff addresses in these payloads to the primary sender.
        manager
            .exec_stmt(
                Query::delete()
                    .from_table(Alias::new("outbox"))
                    .and_where(Expr::col(Alias::new("channel")).ne("primary"))
                    .to_owned(),
            )
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("idx_outbox_parent_channel")
                    .table(Alias::new("outbox"))
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(
                Table::drop()
                    .table(Alias::new("notification_preferences"))
                    .take(),
            )
            .await?;
        drop_columns(manager, "supervision_orders", &[ORDER_COLUMN]).await?;
        drop_columns(manager, "outbox", &OUTBOX_COLUMNS).await?;
        drop_columns(manager, "users", &USER_COLUMNS).await
    }
}
