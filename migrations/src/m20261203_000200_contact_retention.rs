//! Retention: `complaints.contact_erased_at` marks a complaint whose complainant's name and
//! contacts the retention job erased; indexes let the job find ended complaints not yet
//! erased, and stored idempotent answers older than their replay window.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::schema_helpers::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEXES: [(&str, &str, &[&str]); 3] = [
    (
        "complaints",
        "idx_complaints_erasure_closed",
        &["contact_erased_at", "closed_at"],
    ),
    (
        "complaints",
        "idx_complaints_erasure_screened",
        &["contact_erased_at", "screened_at"],
    ),
    (
        "idempotent_responses",
        "idx_idempotent_responses_created",
        &["created_at"],
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("complaints"))
                    .add_column(timestamp_with_time_zone_null("contact_erased_at"))
                    .take(),
            )
            .await?;
        for (table, name, cols) in INDEXES {
            manager.create_index(index(table, name, cols)).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, name, _) in INDEXES {
            manager
                .drop_index(Index::drop().name(name).table(Alias::new(table)).to_owned())
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("complaints"))
                    .drop_column(Alias::new("contact_erased_at"))
                    .take(),
            )
            .await?;
        Ok(())
    }
}
