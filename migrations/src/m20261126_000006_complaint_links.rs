//! Links between complaints about the same matter. `pair_key` names the pair whichever way it
//! was linked, so a pair is linked once.

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
                    .table("complaint_links")
                    .col(uuid("id").primary_key())
                    .col(uuid("complaint_id"))
                    .col(uuid("linked_complaint_id"))
                    .col(string_len("pair_key", 73).unique_key())
                    .col(text("reason"))
                    .col(uuid("linked_by"))
                    .col(timestamp_with_time_zone("linked_at"))
                    .foreign_key(&mut fk("complaint_links", "complaint_id", "complaints"))
                    .foreign_key(&mut fk(
                        "complaint_links",
                        "linked_complaint_id",
                        "complaints",
                    ))
                    .foreign_key(&mut fk("complaint_links", "linked_by", "users"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "complaint_links",
                "idx_complaint_links_complaint",
                &["complaint_id"],
            ))
            .await?;
        manager
            .create_index(index(
                "complaint_links",
                "idx_complaint_links_linked",
                &["linked_complaint_id"],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("complaint_links").take())
            .await
    }
}
