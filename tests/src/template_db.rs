//! Migrated databases for tests without migrating for each: every test process migrates one
//! template, once, and each test gets a copy of it.
//!
//! On SQLite the template is a file, checkpointed and closed before it is copied (a copy of a
//! file with a live WAL beside it would miss what the WAL holds). On PostgreSQL it is a
//! database next to the one `DUBAN_TEST_DATABASE_URL` names, and each test gets a database of
//! its own made with `CREATE DATABASE … TEMPLATE` (which needs the template to have no open
//! connection: it is closed to connections once migrated). The account in that URL must
//! therefore be allowed to create databases.
//!
//! Names carry the process id: `<base>_<pid>_tpl` and `<base>_<pid>_<n>` on PostgreSQL,
//! `duban-test-template-<pid>-….db` on SQLite. Each test's copy is removed when its guard
//! drops (on PostgreSQL soon after, by a thread of its own); a process cannot remove its
//! template when it ends, so each new template first removes whatever processes no longer
//! running left (and `.ci/run` drops `<base>_*` at its end).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use duban_api::Settings;
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, Statement};

/// What a test's database leaves behind: removed when this drops.
pub struct Scratch(Leftover);

enum Leftover {
    Nothing,
    SqliteFile(PathBuf),
    PostgresDatabase { server_url: String, name: String },
}

impl Scratch {
    /// Nothing to remove.
    pub fn nothing() -> Self {
        Self(Leftover::Nothing)
    }

    /// A SQLite file, removed with its WAL and shared-memory files.
    pub fn sqlite_file(path: PathBuf) -> Self {
        Self(Leftover::SqliteFile(path))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        match &self.0 {
            Leftover::Nothing => {}
            Leftover::SqliteFile(path) => remove_sqlite_file(path),
            Leftover::PostgresDatabase { server_url, name } => {
                dropper().send_or_forget(server_url.clone(), name.clone());
            }
        }
    }
}

/// Drops the copies of finished tests, one at a time, on a thread of its own: every `DROP
/// DATABASE` makes PostgreSQL checkpoint, which takes seconds on a busy server, and no test
/// need wait for it. The copies still queued when the process ends are left to the next
/// template's clean-up, which queues them here in turn.
struct Dropper(std::sync::mpsc::Sender<(String, String)>);

impl Dropper {
    fn send_or_forget(&self, server_url: String, name: String) {
        if self.0.send((server_url, name)).is_err() {
            eprintln!("a test database is left for the next run to drop");
        }
    }
}

fn dropper() -> &'static Dropper {
    static DROPPER: OnceLock<Dropper> = OnceLock::new();
    DROPPER.get_or_init(|| {
        let (sender, queue) = std::sync::mpsc::channel::<(String, String)>();
        std::thread::spawn(move || {
            let runtime = runtime();
            for (server_url, name) in queue {
                if let Err(e) = runtime.block_on(drop_database(&server_url, &name)) {
                    eprintln!("cannot drop the test database {name}: {e}");
                }
            }
        });
        Dropper(sender)
    })
}

/// Points `settings` at a new copy of this process's migrated template and returns what
/// removes the copy.
pub async fn migrated_copy(settings: &mut Settings) -> Scratch {
    match template() {
        Template::Sqlite(template) => {
            let file = std::env::temp_dir()
                .join(format!("duban-test-{}.db", uuid::Uuid::now_v7().simple()));
            std::fs::copy(template, &file).unwrap_or_else(|e| {
                panic!(
                    "cannot copy the template {} to {}: {e}",
                    template.display(),
                    file.display()
                )
            });
            settings.database_url = format!("sqlite://{}?mode=rwc", file.display());
            settings.database_schema = None;
            Scratch::sqlite_file(file)
        }
        Template::Postgres {
            server_url,
            prefix,
            name: template,
        } => {
            static COPIES: AtomicU64 = AtomicU64::new(0);
            let name = format!("{prefix}_{}", COPIES.fetch_add(1, Ordering::Relaxed));
            let server = admin_connection(server_url)
                .await
                .unwrap_or_else(|e| panic!("cannot connect to {server_url}: {e}"));
            server
                .execute_unprepared(&format!(
                    "CREATE DATABASE \"{name}\" TEMPLATE \"{template}\""
                ))
                .await
                .unwrap_or_else(|e| panic!("cannot copy the template database {template}: {e}"));
            let _ = server.close().await;
            settings.database_url = with_database(server_url, &name);
            settings.database_schema = None;
            settings.database_max_connections = 5;
            Scratch(Leftover::PostgresDatabase {
                server_url: server_url.clone(),
                name,
            })
        }
    }
}

/// This process's migrated template.
enum Template {
    Sqlite(PathBuf),
    Postgres {
        /// `DUBAN_TEST_DATABASE_URL`: where databases are created and dropped from.
        server_url: String,
        /// `<base>_<pid>`, the start of every database this process makes.
        prefix: String,
        name: String,
    },
}

/// Made on first use, once per process; later callers wait for the first.
fn template() -> &'static Template {
    static TEMPLATE: OnceLock<Template> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        // Made on a runtime of its own: the calling test's runtime ends with that test, and
        // the first caller blocks here while the others wait for it.
        std::thread::spawn(|| runtime().block_on(make_template()))
            .join()
            .unwrap_or_else(|_| panic!("cannot make the template database"))
            .unwrap_or_else(|e| panic!("cannot make the template database: {e}"))
    })
}

async fn make_template() -> Result<Template, String> {
    match std::env::var("DUBAN_TEST_DATABASE_URL") {
        Ok(url) if url.starts_with("postgres") => make_postgres_template(url).await,
        _ => make_sqlite_template().await,
    }
}

async fn make_sqlite_template() -> Result<Template, String> {
    let dir = std::env::temp_dir();
    remove_dead_sqlite_templates(&dir);
    let file = dir.join(format!(
        "duban-test-template-{}-{}.db",
        std::process::id(),
        uuid::Uuid::now_v7().simple()
    ));
    let url = format!("sqlite://{}?mode=rwc", file.display());
    let db = duban_infra::db::connect(&url, 1, None)
        .await
        .map_err(|e| e.to_string())?;
    duban_infra::db::migrate(&db)
        .await
        .map_err(|e| e.to_string())?;
    // Everything into the main file, then closed: the copies are of that file alone.
    db.execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)")
        .await
        .map_err(|e| e.to_string())?;
    db.close().await.map_err(|e| e.to_string())?;
    let wal = PathBuf::from(format!("{}-wal", file.display()));
    if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
        return Err(format!("{} is not empty after closing", wal.display()));
    }
    Ok(Template::Sqlite(file))
}

/// Removes the SQLite templates of processes no longer running.
fn remove_dead_sqlite_templates(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = name
            .strip_prefix("duban-test-template-")
            .and_then(|rest| rest.split('-').next())
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            continue;
        };
        if !name.ends_with(".db") || is_running(pid) {
            continue;
        }
        remove_sqlite_file(&entry.path());
    }
}

async fn make_postgres_template(server_url: String) -> Result<Template, String> {
    let base = database_name(&server_url).unwrap_or_else(|| "duban_test".to_owned());
    let prefix = format!("{base}_{}", std::process::id());
    let name = format!("{prefix}_tpl");
    // PostgreSQL cuts longer names short, and the copies would then share one name.
    let longest = format!("{prefix}_{}", u64::MAX);
    if longest.len() > 63 {
        return Err(format!(
            "the database name `{base}` in DUBAN_TEST_DATABASE_URL is too long for the test \
             databases named after it (`{longest}` is more than 63 bytes)"
        ));
    }
    let server = admin_connection(&server_url)
        .await
        .map_err(|e| format!("cannot connect to {server_url}: {e}"))?;
    drop_dead_postgres_databases(&server, &server_url, &base).await?;
    server
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
        .await
        .map_err(|e| e.to_string())?;
    server
        .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
        .await
        .map_err(|e| format!("cannot create the database {name}: {e}"))?;
    let template = duban_infra::db::connect(&with_database(&server_url, &name), 1, None)
        .await
        .map_err(|e| e.to_string())?;
    let migrated = duban_infra::db::migrate(&template).await;
    template.close().await.map_err(|e| e.to_string())?;
    migrated.map_err(|e| e.to_string())?;
    // A connection to the template would make every copy fail.
    server
        .execute_unprepared(&format!(
            "ALTER DATABASE \"{name}\" WITH ALLOW_CONNECTIONS false"
        ))
        .await
        .map_err(|e| e.to_string())?;
    server.close().await.map_err(|e| e.to_string())?;
    Ok(Template::Postgres {
        server_url,
        prefix,
        name,
    })
}

/// Hands the `<base>_<pid>_…` databases of processes no longer running to the dropper.
async fn drop_dead_postgres_databases(
    server: &DatabaseConnection,
    server_url: &str,
    base: &str,
) -> Result<(), String> {
    let rows = server
        .query_all_raw(Statement::from_string(
            server.get_database_backend(),
            "SELECT datname FROM pg_database".to_owned(),
        ))
        .await
        .map_err(|e| e.to_string())?;
    for row in rows {
        let name: String = row.try_get("", "datname").map_err(|e| e.to_string())?;
        let Some(pid) = process_of(&name, base) else {
            continue;
        };
        if is_running(pid) {
            continue;
        }
        dropper().send_or_forget(server_url.to_owned(), name);
    }
    Ok(())
}

/// The process id in `<base>_<pid>_tpl` or `<base>_<pid>_<n>`.
fn process_of(name: &str, base: &str) -> Option<u32> {
    let rest = name.strip_prefix(base)?.strip_prefix('_')?;
    let (pid, tail) = rest.split_once('_')?;
    let ours = tail == "tpl" || (!tail.is_empty() && tail.chars().all(|c| c.is_ascii_digit()));
    ours.then(|| pid.parse().ok()).flatten()
}

/// Whether a process with this id runs on this machine. Where that cannot be told (no
/// `/proc`), every process counts as running and nothing is removed.
fn is_running(pid: u32) -> bool {
    !Path::new("/proc/self").exists() || Path::new(&format!("/proc/{pid}")).exists()
}

async fn admin_connection(url: &str) -> Result<DatabaseConnection, sea_orm::DbErr> {
    let mut options = ConnectOptions::new(url.to_owned());
    options.max_connections(1).sqlx_logging(false);
    Database::connect(options).await
}

async fn drop_database(server_url: &str, name: &str) -> Result<(), sea_orm::DbErr> {
    let server = admin_connection(server_url).await?;
    server
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
        .await?;
    server.close().await
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("cannot start a runtime: {e}"))
}

fn remove_sqlite_file(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

/// The database a `postgres://` URL names, if any.
fn database_name(url: &str) -> Option<String> {
    let parsed = reqwest::Url::parse(url).ok()?;
    let name = parsed.path().trim_start_matches('/');
    (!name.is_empty()).then(|| name.to_owned())
}

/// `url` with the database `name` instead of the one it names.
fn with_database(url: &str, name: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(mut parsed) => {
            parsed.set_path(&format!("/{name}"));
            parsed.to_string()
        }
        Err(e) => panic!("DUBAN_TEST_DATABASE_URL is not a URL: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::{database_name, process_of, with_database};

    #[test]
    fn names_the_copies_after_the_database_in_the_url() {
        let url = "postgres://postgres@127.0.0.1:5432/duban_ci?sslmode=disable";
        assert_eq!(database_name(url).as_deref(), Some("duban_ci"));
        assert_eq!(
            with_database(url, "duban_ci_7_3"),
            "postgres://postgres@127.0.0.1:5432/duban_ci_7_3?sslmode=disable"
        );
        assert_eq!(database_name("postgres://127.0.0.1:5432"), None);
    }

    #[test]
    fn finds_the_process_of_its_own_databases_only() {
        assert_eq!(process_of("duban_ci_41_tpl", "duban_ci"), Some(41));
        assert_eq!(process_of("duban_ci_41_7", "duban_ci"), Some(41));
        assert_eq!(process_of("duban_ci", "duban_ci"), None);
        assert_eq!(process_of("duban_ci_41", "duban_ci"), None);
        assert_eq!(process_of("duban_ci_41_7_3", "duban_ci"), None);
        assert_eq!(process_of("duban_ci_x_7", "duban_ci"), None);
        assert_eq!(process_of("duban_cix_41_7", "duban_ci"), None);
    }
}
