//! Starting up: instances starting together on one database all come up, and SQLite
//! commits are durable unless a setting says otherwise.

use duban_infra::db::{self, SqliteSynchronousMode};
use duban_tests::TestDatabase;
use sea_orm::{ConnectionTrait, Statement};

#[tokio::test]
async fn instances_migrating_an_empty_database_at_once_all_come_up() {
    let database = TestDatabase::empty();
    let mut pools = Vec::new();
    for _ in 0..3 {
        pools.push(database.connect().await);
    }
    let results = futures::future::join_all(pools.iter().map(db::migrate)).await;
    for result in &results {
        assert!(result.is_ok(), "{results:?}");
    }
    // And once more on the now current database.
    assert!(db::migrate(&pools[0]).await.is_ok());
    let tables = pools[0]
        .query_one_raw(Statement::from_string(
            pools[0].get_database_backend(),
            "SELECT COUNT(*) AS n FROM seaql_migrations",
        ))
        .await
        .ok()
        .flatten()
        .and_then(|row| row.try_get::<i64>("", "n").ok());
    assert_eq!(
        tables,
        Some(i64::try_from(duban_migrations_count()).unwrap_or_default()),
        "each migration is recorded once"
    );
}

#[tokio::test]
async fn services_starting_together_on_an_empty_database_all_open() {
    let database = TestDatabase::empty();
    let settings = duban_api::Settings {
        database_url: database.url.clone(),
        database_schema: database.schema.clone(),
        database_max_connections: 3,
        admin_password: Some(duban_infra::config::Secret::new("admin-password-for-tests")),
        ..duban_api::Settings::default()
    };
    // Migrations, the first admin and the bundled calendar, three times at once.
    let opened = futures::future::join_all((0..3).map(|_| {
        duban_api::App::open(
            &settings,
            std::sync::Arc::new(duban_infra::clock::SystemClock),
        )
    }))
    .await;
    for result in &opened {
        if let Err(e) = result {
            panic!("an instance did not come up: {e}");
        }
    }
}

fn duban_migrations_count() -> usize {
    use duban_migrations::MigratorTrait;
    duban_migrations::Migrator::migrations().len()
}

async fn synchronous_of(url: &str, mode: Option<SqliteSynchronousMode>) -> Option<i64> {
    let conn = match mode {
        Some(mode) => db::connect_with(url, 1, None, mode).await,
        None => db::connect(url, 1, None).await,
    }
    .unwrap_or_else(|e| panic!("{e}"));
    conn.query_one_raw(Statement::from_string(
        conn.get_database_backend(),
        "PRAGMA synchronous",
    ))
    .await
    .ok()
    .flatten()
    .and_then(|row| row.try_get_by_index::<i64>(0).ok())
}

#[tokio::test]
async fn sqlite_syncs_every_commit_unless_told_otherwise() {
    let file =
        std::env::temp_dir().join(format!("duban-sync-{}.db", uuid::Uuid::now_v7().simple()));
    let url = format!("sqlite://{}?mode=rwc", file.display());
    // PRAGMA synchronous: 1 is NORMAL, 2 is FULL.
    assert_eq!(
        synchronous_of(&url, None).await,
        Some(2),
        "the default is FULL"
    );
    assert_eq!(
        synchronous_of(&url, Some(SqliteSynchronousMode::Normal)).await,
        Some(1)
    );
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
    }
}
