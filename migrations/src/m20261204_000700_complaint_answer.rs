//! A case closed before the complainant was told its result owes the answer: when it falls
//! due, and until when a worker holds it while sending it by SMS or e-mail.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::schema_helpers::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

const COLUMNS: [&str; 2] = ["answer_due_at", "answer_claimed_until"];
const INDEX: &str = "idx_complaints_answer_due";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per statement.
        for column in COLUMNS {
            manager
                .alter_table(
                    Table::alter()
                        .table("complaints")
                        .add_column(timestamp_with_time_zone_null(column))
                        .take(),
                )
                .await?;
        }
        manager
            .create_index(index(
                "complaints",
                INDEX,
                &["answer_due_at", "answered_at"],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name(INDEX)
                    .table(Alias::new("complaints"))
                    .to_owned(),
            )
            .await?;
        for column in COLUMNS {
            manager
                .alter_table(
                    Table::alter()
                        .table("complaints")
                        .drop_column(Alias::new(column))
                        .take(),
                )
                .await?;
        }
        Ok(())
    }
}
