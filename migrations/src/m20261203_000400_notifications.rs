//! The inbox: one row per person told of something, written with the event that tells it.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::schema_helpers::{fk, index, one_of};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("notifications")
                    .col(uuid("id").primary_key())
                    .col(uuid("recipient_id"))
                    .col(string_len("topic", 64))
                    .col(
                        string_len("subject_kind", 16)
                            .check(one_of("subject_kind", &["complaint", "order", "sanction"])),
                    )
                    .col(uuid("subject_id"))
                    // The complaint the subject belongs to, when there is one.
                    .col(uuid_null("complaint_id"))
                    // A JSON object of the facts the words show.
                    .col(text("facts"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("read_at"))
                    .foreign_key(&mut fk("notifications", "recipient_id", "users"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "notifications",
                "idx_notifications_recipient_read_id",
                &["recipient_id", "read_at", "id"],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Alias::new("notifications")).take())
            .await
    }
}
