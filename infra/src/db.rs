//! Connecting to SQLite or PostgreSQL, migrating, and starting write transactions.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use duban_migrations::{Migrator, MigratorTrait};

pub use crate::config::SqliteSynchronousMode;
use sea_orm::sqlx::postgres::PgConnectOptions;
use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend,
    DbErr, SqliteTransactionMode, TransactionOptions, TransactionTrait,
};

/// Why the database could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum DatabaseError {
    #[error("cannot create the directory for the SQLite file {path}: {source}")]
    Directory {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot connect to the database: {0}")]
    Connect(DbErr),
    #[error("cannot reach PostgreSQL at {host}:{port}: {cause}")]
    Unreachable {
        host: String,
        port: u16,
        cause: String,
    },
    #[error("cannot apply migrations: {0}")]
    Migrate(DbErr),
}

/// Opens the database named by `url` (`sqlite://…` or `postgres://…`). SQLite gets WAL,
/// durable commits (`synchronous=FULL`), a busy timeout and foreign keys; `schema` sets the
/// PostgreSQL search path.
///
/// # Errors
/// [`DatabaseError`].
pub async fn connect(
    url: &str,
    max_connections: u32,
    schema: Option<&str>,
) -> Result<DatabaseConnection, DatabaseError> {
    connect_with(url, max_connections, schema, SqliteSynchronousMode::Full).await
}

/// As [`connect`], with SQLite's sync mode chosen (setting `sqlite_synchronous`).
///
/// # Errors
/// [`DatabaseError`].
pub async fn connect_with(
    url: &str,
    max_connections: u32,
    schema: Option<&str>,
    synchronous: SqliteSynchronousMode,
) -> Result<DatabaseConnection, DatabaseError> {
    let synchronous = match synchronous {
        SqliteSynchronousMode::Full => SqliteSynchronous::Full,
        SqliteSynchronousMode::Normal => SqliteSynchronous::Normal,
    };
    if let Some(path) = sqlite_file(url)
        && let Some(dir) = Path::new(&path)
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
    {
        std::fs::create_dir_all(dir).map_err(|source| DatabaseError::Directory {
            path: path.clone(),
            source,
        })?;
    }
    if url.starts_with("postgres") {
        check_reachable(url).await?;
    }
    // Without `mode=` in the URL, SQLite would refuse to create a missing file.
    let create_missing = sqlite_file(url).is_some() && !url.contains("mode=");
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(30))
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(move |opts: SqliteConnectOptions| {
            let opts = if create_missing {
                opts.create_if_missing(true)
            } else {
                opts
            };
            opts.journal_mode(SqliteJournalMode::Wal)
                .synchronous(synchronous)
                .busy_timeout(Duration::from_secs(30))
                .foreign_keys(true)
        });
    if let Some(schema) = schema {
        create_schema(url, schema).await?;
        options.set_schema_search_path(schema.to_owned());
    }
    Database::connect(options)
        .await
        .map_err(DatabaseError::Connect)
}

/// How long the PostgreSQL server has to accept a connection at start-up.
const REACH_TIMEOUT: Duration = Duration::from_secs(5);

/// Fails fast, naming host, port and cause, when the PostgreSQL server does not accept TCP
/// connections (the pool would retry in silence until its acquire timeout).
async fn check_reachable(url: &str) -> Result<(), DatabaseError> {
    let Ok(options) = PgConnectOptions::from_str(url) else {
        // The driver reports a malformed URL itself.
        return Ok(());
    };
    if options.get_socket().is_some() || options.get_host().starts_with('/') {
        return Ok(());
    }
    let host = options.get_host().to_owned();
    let port = options.get_port();
    let unreachable = |cause: String| DatabaseError::Unreachable {
        host: host.clone(),
        port,
        cause,
    };
    match tokio::time::timeout(
        REACH_TIMEOUT,
        tokio::net::TcpStream::connect((host.as_str(), port)),
    )
    .await
    {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(e)) => Err(unreachable(e.to_string())),
        Err(_) => Err(unreachable(format!(
            "no answer within {} s",
            REACH_TIMEOUT.as_secs()
        ))),
    }
}

/// Creates a PostgreSQL schema if it does not exist yet.
async fn create_schema(url: &str, schema: &str) -> Result<(), DatabaseError> {
    let valid = !schema.is_empty()
        && schema
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !schema.starts_with(|c: char| c.is_ascii_digit());
    if !valid {
        return Err(DatabaseError::Connect(DbErr::Custom(format!(
            "database_schema `{schema}` must be letters, digits and underscores"
        ))));
    }
    let mut options = ConnectOptions::new(url.to_owned());
    options.max_connections(1).sqlx_logging(false);
    let db = Database::connect(options)
        .await
        .map_err(DatabaseError::Connect)?;
    // IF NOT EXISTS alone races between instances starting together: they take turns.
    let txn = db.begin().await.map_err(DatabaseError::Connect)?;
    txn.execute_unprepared(&format!(
        "SELECT pg_advisory_xact_lock(hashtext('duban-schema:{schema}'))"
    ))
    .await
    .map_err(DatabaseError::Connect)?;
    txn.execute_unprepared(&format!("CREATE SCHEMA IF NOT EXISTS \"{schema}\""))
        .await
        .map_err(DatabaseError::Connect)?;
    txn.commit().await.map_err(DatabaseError::Connect)?;
    db.close().await.map_err(DatabaseError::Connect)
}

/// Drops a PostgreSQL schema and everything in it (test clean-up).
///
/// # Errors
/// The database's error.
pub async fn drop_schema(url: &str, schema: &str) -> Result<(), DbErr> {
    let db = Database::connect(url.to_owned()).await?;
    db.execute_unprepared(&format!("DROP SCHEMA IF EXISTS \"{schema}\" CASCADE"))
        .await?;
    db.close().await
}

/// Applies every pending migration, in one transaction that holds a lock for its whole
/// length, so instances starting together apply them once and all come up: PostgreSQL takes
/// a transaction-level advisory lock keyed by the schema, SQLite its write lock
/// (`BEGIN IMMEDIATE`; the others wait on the busy timeout). Whoever gets the lock second
/// finds nothing pending.
///
/// # Errors
/// [`DatabaseError::Migrate`].
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DatabaseError> {
    let locked = async {
        let txn = begin_write(db).await?;
        if is_postgres(db) {
            txn.execute_unprepared(
                "SELECT pg_advisory_xact_lock(hashtext('duban-migrations:' || current_schema()))",
            )
            .await?;
        }
        Migrator::up(&txn, None).await?;
        txn.commit().await
    };
    locked.await.map_err(DatabaseError::Migrate)
}

/// Starts a transaction that will write. On SQLite it takes the write lock at once
/// (`BEGIN IMMEDIATE`), so concurrent writers queue on the busy timeout instead of failing.
///
/// # Errors
/// The database's error.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..TransactionOptions::default()
    })
    .await
}

/// Checks that the database answers.
///
/// # Errors
/// The database's error.
pub async fn ping(db: &DatabaseConnection) -> Result<(), DbErr> {
    db.execute_unprepared("SELECT 1").await.map(|_| ())
}

/// True on PostgreSQL.
pub fn is_postgres(db: &DatabaseConnection) -> bool {
    db.get_database_backend() == DbBackend::Postgres
}

fn sqlite_file(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && !path.starts_with(":memory:")).then(|| path.to_owned())
}

#[cfg(test)]
mod tests {
    use super::sqlite_file;

    #[test]
    fn finds_the_sqlite_file_in_the_url() {
        assert_eq!(
            sqlite_file("sqlite://data/duban.db?mode=rwc").as_deref(),
            Some("data/duban.db")
        );
        assert_eq!(
            sqlite_file("sqlite:///tmp/x.db").as_deref(),
            Some("/tmp/x.db")
        );
        assert_eq!(sqlite_file("sqlite::memory:"), None);
        assert_eq!(sqlite_file("postgres://localhost/db"), None);
    }
}
