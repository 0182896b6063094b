//! The first answer to every keyed `POST` (`Idempotency-Key`), per caller: a row is claimed
//! (no status yet) before the operation runs and completed with the answer it gave, so that a
//! retry gets that answer again and two requests with one key never both run.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::schema_helpers::fk;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("idempotent_responses")
                    .col(uuid("user_id"))
                    .col(string_len("key", 255))
                    .col(string_len("fingerprint", 64))
                    .col(integer_null("status"))
                    .col(string_len_null("content_type", 255))
                    .col(string_len_null("etag", 255))
                    .col(string_len_null("location", 2048))
                    .col(text_null("body"))
                    .col(timestamp_with_time_zone("created_at"))
                    .primary_key(
                        Index::create()
                            .col(Alias::new("user_id"))
                            .col(Alias::new("key")),
                    )
                    .foreign_key(&mut fk("idempotent_responses", "user_id", "users"))
                    .take(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(
                Table::drop()
                    .table(Alias::new("idempotent_responses"))
                    .take(),
            )
            .await
    }
}
