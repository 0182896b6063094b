//! Possible repeats: each complaint's contact as matched (`phone_key`, `email_key`), filled in
//! for the complaints already stored, and indexes that find complaints by contact or by staff
//! member within a receipt window.
//!
//! The keys are worked out here as the domain worked them out when this migration was
//! written (the domain's `complaint::repeats`), copied so that the migration never changes
//! with live code.

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

/// A phone number as matched: its digits, without the +86 / 0086 country prefix of a mainland
/// mobile.
fn phone_key(raw: &str) -> String {
    let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
    digits
        .strip_prefix("0086")
        .or_else(|| digits.strip_prefix("86"))
        .filter(|rest| rest.len() == 11 && rest.starts_with('1'))
        .map_or(digits.clone(), str::to_owned)
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
        backfill(manager, "phone", "phone_key", phone_key).await?;
        backfill(manager, "email", "email_key", |raw| raw.to_lowercase()).await?;
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

#[cfg(test)]
mod tests {
    use super::phone_key;

    #[test]
    fn phone_keys_are_the_digits_without_the_mainland_prefix_of_a_mobile() {
        assert_eq!(phone_key("+86 139-0000-1111"), "13900001111");
        assert_eq!(phone_key("0086 13900001111"), "13900001111");
        assert_eq!(phone_key("13900001111"), "13900001111");
        assert_eq!(phone_key("010-62345678"), "01062345678");
        assert_eq!(phone_key("+86 10 6234 5678"), "861062345678");
    }
}
