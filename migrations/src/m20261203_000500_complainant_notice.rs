//! The obligation to tell the complainant the new date after a granted extension: when it
//! falls due, and how, when and by whom the complainant was told.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::schema_helpers::{index, one_of_or_null};

#[derive(DeriveMigrationName)]
pub struct Migration;

const COLUMNS: [&str; 4] = [
    "complainant_notice_due_at",
    "complainant_told_at",
    "complainant_told_method",
    "complainant_told_by",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per statement.
        let columns = [
            timestamp_with_time_zone_null(COLUMNS[0]),
            timestamp_with_time_zone_null(COLUMNS[1]),
            string_len_null(COLUMNS[2], 16)
                .check(one_of_or_null(
                    "complainant_told_method",
                    &["phone", "letter", "email", "in_person", "sms"],
                ))
                .take(),
            uuid_null(COLUMNS[3]),
        ];
        for mut column in columns {
            manager
                .alter_table(
                    Table::alter()
                        .table("supervision_orders")
                        .add_column(&mut column)
                        .take(),
                )
                .await?;
        }
        manager
            .create_index(index(
                "supervision_orders",
                "idx_supervision_orders_complainant_notice",
                &["complainant_notice_due_at", "complainant_told_at"],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_supervision_orders_complainant_notice")
                    .table(Alias::new("supervision_orders"))
                    .to_owned(),
            )
            .await?;
        for column in COLUMNS {
            manager
                .alter_table(
                    Table::alter()
                        .table("supervision_orders")
                        .drop_column(Alias::new(column))
                        .take(),
                )
                .await?;
        }
        Ok(())
    }
}
