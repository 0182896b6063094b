//! Tamper evidence that a database edit cannot defeat: every event of a complaint or a
//! sanction is hashed with a key kept outside the database (`key_id` names it, so keys can
//! rotate); `sealed` holds, covered by that hash, the facts of the row that no event states
//! (a complaint's registration, a sanction's state after the event). Sanction events join
//! the chain (`prev_hash`, `hash`; empty for events stored before it, until adopted).
//! `audit_checkpoints` keeps the signed Merkle roots of all chain heads.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

async fn add(manager: &SchemaManager<'_>, table: &str, column: ColumnDef) -> Result<(), DbErr> {
    let mut column = column;
    manager
        .alter_table(
            Table::alter()
                .table(Alias::new(table))
                .add_column(&mut column)
                .take(),
        )
        .await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add(manager, "complaint_events", string_len_null("key_id", 64)).await?;
        add(manager, "complaint_events", text_null("sealed")).await?;
        add(
            manager,
            "sanction_events",
            string_len("prev_hash", 64).default("").take(),
        )
        .await?;
        add(
            manager,
            "sanction_events",
            string_len("hash", 64).default("").take(),
        )
        .await?;
        add(manager, "sanction_events", string_len_null("key_id", 64)).await?;
        add(manager, "sanction_events", text_null("sealed")).await?;
        manager
            .create_table(
                Table::create()
                    .table("audit_checkpoints")
                    .col(uuid("id").primary_key())
                    .col(timestamp_with_time_zone("sealed_at"))
                    .col(string_len("key_id", 64))
                    .col(big_integer("leaf_count"))
                    .col(string_len("root", 64))
                    .col(text("heads"))
                    .col(string_len("signature", 128))
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("audit_checkpoints_sealed_at")
                    .table(Alias::new("audit_checkpoints"))
                    .col(Alias::new("sealed_at"))
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Alias::new("audit_checkpoints")).take())
            .await?;
        for (table, column) in [
            ("sanction_events", "sealed"),
            ("sanction_events", "key_id"),
            ("sanction_events", "hash"),
            ("sanction_events", "prev_hash"),
            ("complaint_events", "sealed"),
            ("complaint_events", "key_id"),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new(table))
                        .drop_column(Alias::new(column))
                        .take(),
                )
                .await?;
        }
        Ok(())
    }
}
