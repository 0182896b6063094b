//! A sanction whose statement of defence is filed has its own status, `statement_filed` (it
//! stayed `awaiting_statement`, which told the subject and the leading group the defence was
//! still awaited). The CHECK constraint of `sanctions.status` admits the new value, and the
//! sanctions already stored with a statement move to it.
//!
//! PostgreSQL replaces the constraint. SQLite cannot alter a CHECK constraint and a rebuild
//! of the table would need foreign keys off (other tables refer to it with RESTRICT); widening
//! an `IN` list changes nothing stored, so the table's definition is rewritten in place, in
//! one transaction, as SQLite documents for such changes (writable_schema, then a new
//! schema_version so every connection reloads it).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend, Statement};

#[derive(DeriveMigrationName)]
pub struct Migration;

const OLD: &[&str] = &["proposed", "awaiting_statement", "decided", "superseded"];
const NEW: &[&str] = &[
    "proposed",
    "awaiting_statement",
    "statement_filed",
    "decided",
    "superseded",
];

fn quoted(values: &[&str]) -> String {
    values
        .iter()
        .map(|v| format!("'{v}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

async fn postgres(manager: &SchemaManager<'_>, values: &[&str]) -> Result<(), DbErr> {
    let db = manager.get_connection();
    let rows = db
        .query_all_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT conname FROM pg_constraint WHERE conrelid = 'sanctions'::regclass \
             AND contype = 'c' AND pg_get_constraintdef(oid) LIKE '%awaiting_statement%'",
        ))
        .await?;
    for row in rows {
        let name: String = row.try_get("", "conname")?;
        db.execute_unprepared(&format!(
            "ALTER TABLE sanctions DROP CONSTRAINT \"{}\"",
            name.replace('"', "\"\"")
        ))
        .await?;
    }
    db.execute_unprepared(&format!(
        "ALTER TABLE sanctions ADD CONSTRAINT sanctions_status_check CHECK (status IN ({}))",
        quoted(values)
    ))
    .await?;
    Ok(())
}

async fn sqlite(manager: &SchemaManager<'_>, from: &[&str], to: &[&str]) -> Result<(), DbErr> {
    let txn = manager.begin().await?;
    let db = txn.get_connection();
    let row = db
        .query_one_raw(Statement::from_string(
            DbBackend::Sqlite,
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'sanctions'",
        ))
        .await?
        .ok_or_else(|| DbErr::Migration("no table sanctions".into()))?;
    let sql: String = row.try_get("", "sql")?;
    let (old, new) = (quoted(from), quoted(to));
    if sql.matches(&old).count() != 1 {
        return Err(DbErr::Migration(format!(
            "the status CHECK ({old}) of sanctions is not found once in: {sql}"
        )));
    }
    let sql = sql.replacen(&old, &new, 1);
    let version = db
        .query_one_raw(Statement::from_string(
            DbBackend::Sqlite,
            "PRAGMA schema_version",
        ))
        .await?
        .ok_or_else(|| DbErr::Migration("no schema_version".into()))?
        .try_get_by_index::<i64>(0)?;
    db.execute_unprepared("PRAGMA writable_schema = ON").await?;
    db.execute_raw(Statement::from_sql_and_values(
        DbBackend::Sqlite,
        "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'sanctions'",
        [sql.into()],
    ))
    .await?;
    db.execute_unprepared(&format!("PRAGMA schema_version = {}", version + 1))
        .await?;
    db.execute_unprepared("PRAGMA writable_schema = OFF")
        .await?;
    txn.commit().await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        match manager.get_database_backend() {
            DbBackend::Postgres => postgres(manager, NEW).await?,
            _ => sqlite(manager, OLD, NEW).await?,
        }
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE sanctions SET status = 'statement_filed' \
                 WHERE status = 'awaiting_statement' AND statement_at IS NOT NULL",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE sanctions SET status = 'awaiting_statement' \
                 WHERE status = 'statement_filed'",
            )
            .await?;
        match manager.get_database_backend() {
            DbBackend::Postgres => postgres(manager, OLD).await,
            _ => sqlite(manager, NEW, OLD).await,
        }
    }
}
