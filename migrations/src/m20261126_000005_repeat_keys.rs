//! Possible repeats: each complaint's contact as matched (`phone_key`, `email_key`, worked out
//! by the domain's normalisation), filled in for the complaints already stored, and indexes
//! that find complaints by contact or by staff member within a receipt window.

use duban_domain::complaint::contact::{EmailAddress, PhoneNumber};
use duban_domain::complaint::repeats::{email_key, phone_key};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::ConnectionTrait;

use crate::schema_helpers::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEXES: [(&str, &[&str]); 3] = [
    ("idx_complaints_phone_key", &["phone_key", "received_at"]),
    ("idx_complaints_email_key", &["email_key", "received_at"]),
    (
        "idx_complaints_staff_received",
        &["respondent_staff_id", "received_at"],
    ),
];

fn columns() -> Vec<ColumnDef> {
    vec![
        string_len_null("phone_key", 32),
        string_len_null("email_key", 254),
    ]
}

/// Sets `key_column` from `column` for every distinct stored value.
async fn backfill(
    manager: &SchemaManager<'_>,
    column: &str,
    key_column: &str,
    key_of: impl Fn(&str) -> String,
) -> Result<(), DbErr> {
    let db = manager.get_connection();
    let select = Query::select()
        .distinct()
        .column(Alias::new(column))
        .from(Alias::new("complaints"))
        .and_where(Expr::col(Alias::new(column)).is_not_null())
        .to_owned();
    let rows = db.query_all(&select).await?;
    for row in rows {
        let value: String = row.try_get("", column)?;
        let update = Query::update()
            .table(Alias::new("complaints"))
            .value(Alias::new(key_column), key_of(&value))
            .and_where(Expr::col(Alias::new(column)).eq(value))
            .to_owned();
        manager.exec_stmt(update).await?;
    }
    Ok(())
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
        backfill(manager, "phone", "phone_key", |raw| {
            PhoneNumber::parse(raw).map_or_else(
                |_| raw.chars().filter(char::is_ascii_digit).collect(),
                |phone| phone_key(&phone),
            )
        })
        .await?;
        backfill(manager, "email", "email_key", |raw| {
            EmailAddress::parse(raw).map_or_else(|_| raw.to_lowercase(), |email| email_key(&email))
        })
        .await?;
        for (name, cols) in INDEXES {
            manager
                .create_index(index("complaints", name, cols))
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, _) in INDEXES {
            manager
                .drop_index(
                    Index::drop()
                        .name(name)
                        .table(Alias::new("complaints"))
                        .to_owned(),
                )
                .await?;
        }
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
