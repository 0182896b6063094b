//! The personal-data access log: one row per complaint whose complainant details an answer
//! showed (or per read of the log itself), and, with each stored idempotent answer, what it
//! disclosed, so that a replayed answer is logged like the first.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::schema_helpers::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("personal_data_reads")
                    .col(uuid("id").primary_key())
                    .col(uuid("reader_id"))
                    .col(timestamp_with_time_zone("read_at"))
                    .col(uuid_null("complaint_id"))
                    .col(string_len("operation", 64))
                    .col(string_len("client_address", 128))
                    .foreign_key(&mut fk("personal_data_reads", "reader_id", "users"))
                    .foreign_key(&mut fk("personal_data_reads", "complaint_id", "complaints"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "personal_data_reads",
                "idx_personal_data_reads_complaint",
                &["complaint_id", "id"],
            ))
            .await?;
        manager
            .create_index(index(
                "personal_data_reads",
                "idx_personal_data_reads_read_at",
                &["read_at"],
            ))
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("idempotent_responses")
                    .add_column(text_null("disclosure"))
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("idempotent_responses")
                    .drop_column(Alias::new("disclosure"))
                    .take(),
            )
            .await?;
        manager
            .drop_table(
                Table::drop()
                    .table(Alias::new("personal_data_reads"))
                    .take(),
            )
            .await
    }
}
