//! Closing, answering and return visits: how and when the complainant was told, where a
//! feedback complaint went, and when the return visit took place with its remarks.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The new nullable columns of `complaints`, one `ALTER TABLE` each (SQLite adds one column
/// per statement).
fn columns() -> Vec<ColumnDef> {
    vec![
        string_len_null("answer_method", 16),
        timestamp_with_time_zone_null("answered_at"),
        string_len_null("feedback_disposition", 32),
        uuid_null("feedback_section_id"),
        timestamp_with_time_zone_null("return_visit_at"),
        text_null("return_visit_remarks"),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for mut column in columns() {
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new("complaints"))
                        .add_column(&mut column)
                        .take(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in columns().into_iter().rev() {
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new("complaints"))
                        .drop_column(column.get_column_name())
                        .take(),
                )
                .await?;
        }
        Ok(())
    }
}
