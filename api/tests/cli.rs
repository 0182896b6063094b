//! The `duban` binary as an operator meets it: start-up order, accounts, errors and logs.
//! Each test runs the built binary with a clean environment and its stderr to a pipe.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, ChildStderr, Command, Output, Stdio};

/// A scratch directory for one test's SQLite file, removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Self {
        let dir = std::env::temp_dir().join(format!("duban-cli-{}", uuid::Uuid::now_v7().simple()));
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("scratch dir: {e}"));
        Self(dir)
    }

    fn db_file(&self) -> PathBuf {
        self.0.join("duban.db")
    }

    /// The database URL the way a new user writes it: no `?mode=rwc`.
    fn db_url(&self) -> String {
        format!("sqlite://{}", self.db_file().display())
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The binary with only the given variables (the runner's DUBAN_TEST_* are no settings).
fn duban(args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_duban"));
    command
        .args(args)
        .env_clear()
        .env("RUST_BACKTRACE", "1")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

fn run(args: &[&str], env: &[(&str, &str)]) -> Output {
    duban(args, env)
        .output()
        .unwrap_or_else(|e| panic!("cannot run duban: {e}"))
}

fn stderr_of(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn no_backtrace(stderr: &str) {
    assert!(
        !stderr.to_lowercase().contains("backtrace") && !stderr.contains("panicked"),
        "{stderr}"
    );
}

fn create_user(url: &str, username: &str) {
    let mut child = duban(
        &["user", "create", "--username", username, "--role", "intake"],
        &[("DUBAN_DATABASE_URL", url)],
    )
    .stdin(Stdio::piped())
    .spawn()
    .unwrap_or_else(|e| panic!("cannot run duban: {e}"));
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(b"a-long-password-1\n");
    }
    let output = child
        .wait_with_output()
        .unwrap_or_else(|e| panic!("duban user create: {e}"));
    assert!(output.status.success(), "{}", stderr_of(&output));
    assert!(String::from_utf8_lossy(&output.stdout).contains(&format!("created {username}")));
}

/// A running `duban serve` on a free port, with its log lines read as they come.
struct Serving {
    child: Child,
    log: BufReader<ChildStderr>,
    /// The lines read so far.
    lines: Vec<String>,
    address: String,
}

impl Serving {
    fn start(env: &[(&str, &str)]) -> Self {
        let mut child = duban(&["serve"], env)
            .env("DUBAN_LISTEN", "127.0.0.1:0")
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run duban: {e}"));
        let stderr = child.stderr.take().unwrap_or_else(|| panic!("no stderr"));
        let mut serving = Self {
            child,
            log: BufReader::new(stderr),
            lines: Vec::new(),
            address: String::new(),
        };
        let start = serving.read_until("duban is serving");
        serving.address = start
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .unwrap_or_else(|| panic!("no address in the start line: {start}"))
            .to_owned();
        serving
    }

    /// Reads log lines until one contains `needle`; returns it.
    fn read_until(&mut self, needle: &str) -> String {
        loop {
            let mut line = String::new();
            let read = self
                .log
                .read_line(&mut line)
                .unwrap_or_else(|e| panic!("reading the log: {e}"));
            assert!(
                read > 0,
                "the log ended before `{needle}`:\n{}",
                self.lines.join("")
            );
            self.lines.push(line.clone());
            if line.contains(needle) {
                return line;
            }
        }
    }

    /// One HTTP/1.1 GET; returns the raw response head and body.
    fn get(&self, path: &str) -> String {
        let mut stream = TcpStream::connect(&self.address)
            .unwrap_or_else(|e| panic!("connect {}: {e}", self.address));
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.address
        )
        .unwrap_or_else(|e| panic!("write: {e}"));
        let mut response = String::new();
        let _ = stream.read_to_string(&mut response);
        response
    }
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn a_taken_port_fails_before_the_database_or_the_admin_is_created() {
    let scratch = Scratch::new();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
    let address = taken
        .local_addr()
        .unwrap_or_else(|e| panic!("{e}"))
        .to_string();
    let output = run(
        &["serve"],
        &[
            ("DUBAN_LISTEN", &address),
            ("DUBAN_DATABASE_URL", &scratch.db_url()),
        ],
    );
    let stderr = stderr_of(&output);
    assert!(!output.status.success(), "{stderr}");
    assert!(
        stderr.contains(&format!("cannot listen on {address}")),
        "{stderr}"
    );
    no_backtrace(&stderr);
    assert!(
        !scratch.db_file().exists(),
        "the database was created: {stderr}"
    );
}

#[test]
fn migrate_creates_the_database_but_no_account() {
    let scratch = Scratch::new();
    let output = run(&["migrate"], &[("DUBAN_DATABASE_URL", &scratch.db_url())]);
    assert!(output.status.success(), "{}", stderr_of(&output));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let empty = runtime.block_on(async {
        let db = duban_infra::db::connect(&scratch.db_url(), 1, None)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        duban_infra::accounts::AccountStore::new(db)
            .is_empty()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    });
    assert!(empty, "duban migrate created an account");
}

#[test]
fn the_log_says_when_the_admin_password_is_ignored_and_serves_plain_text_lines() {
    let scratch = Scratch::new();
    let url = scratch.db_url();
    create_user(&url, "first.clerk");
    let mut serving = Serving::start(&[
        ("DUBAN_DATABASE_URL", &url),
        ("DUBAN_ADMIN_PASSWORD", "a-password-nobody-will-use"),
    ]);
    let log = serving.lines.join("");
    assert!(log.contains("DUBAN_ADMIN_PASSWORD is ignored"), "{log}");
    assert_eq!(log.matches("duban is serving").count(), 1, "{log}");
    // Health probes stay out of the INFO log; other requests are logged within their span.
    let health = serving.get("/health/live");
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    let units = serving.get("/api/v1/units");
    let request_id = units
        .lines()
        .find_map(|line| line.strip_prefix("x-request-id: "))
        .unwrap_or_else(|| panic!("no request id: {units}"))
        .to_owned();
    let line = serving.read_until("/api/v1/units");
    assert!(line.contains(&format!("request_id={request_id}")), "{line}");
    let log = serving.lines.join("");
    assert!(!log.contains("/health/live"), "{log}");
    assert!(
        !log.contains('\u{1b}'),
        "colour codes in a piped log: {log:?}"
    );
}

#[test]
fn a_mistyped_setting_names_the_closest_one_once() {
    let output = run(&["migrate"], &[("DUBAN_LISTNE", "127.0.0.1:9")]);
    let stderr = stderr_of(&output);
    assert!(!output.status.success(), "{stderr}");
    assert_eq!(
        stderr.matches("did you mean `DUBAN_LISTEN`?").count(),
        1,
        "{stderr}"
    );
    assert!(
        !stderr.contains("sanction_repeat_window_months"),
        "{stderr}"
    );
    no_backtrace(&stderr);
}

#[test]
fn fatal_start_errors_are_json_lines_in_the_json_format() {
    let output = run(
        &["migrate"],
        &[("DUBAN_LOG_FORMAT", "json"), ("DUBAN_LISTNE", "x")],
    );
    let stderr = stderr_of(&output);
    assert!(!output.status.success(), "{stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{stderr}");
    let line: serde_json::Value =
        serde_json::from_str(lines[0]).unwrap_or_else(|e| panic!("{e}: {stderr}"));
    assert_eq!(line["level"], "ERROR", "{line}");
    assert!(
        line["error"]
            .as_str()
            .is_some_and(|e| e.contains("DUBAN_LISTEN")),
        "{line}"
    );
}

#[test]
fn an_unreachable_postgres_is_named_with_host_port_and_cause() {
    // Port 1 on the loopback refuses at once; the pool used to retry in silence for 30 s.
    let output = run(
        &["migrate"],
        &[("DUBAN_DATABASE_URL", "postgres://duban@127.0.0.1:1/duban")],
    );
    let stderr = stderr_of(&output);
    assert!(!output.status.success(), "{stderr}");
    assert!(
        stderr.contains("cannot reach PostgreSQL at 127.0.0.1:1: "),
        "{stderr}"
    );
    assert!(!stderr.contains("pool timed out"), "{stderr}");
    no_backtrace(&stderr);
}

#[test]
fn the_openapi_document_into_a_pipe_closed_early_is_no_panic() {
    let mut child = duban(&["openapi"], &[])
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run duban: {e}"));
    let mut stdout = child.stdout.take().unwrap_or_else(|| panic!("no stdout"));
    // The document is far larger than a pipe's buffer: the writer is still writing when the
    // reader goes away, as with `duban openapi | head`.
    let mut head = [0u8; 16];
    stdout
        .read_exact(&mut head)
        .unwrap_or_else(|e| panic!("{e}"));
    drop(stdout);
    let output = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
    let stderr = stderr_of(&output);
    assert!(output.status.success(), "{stderr}");
    no_backtrace(&stderr);
}

#[test]
fn user_create_help_lists_the_roles() {
    let output = run(&["user", "create", "--help"], &[]);
    let help = String::from_utf8_lossy(&output.stdout);
    for role in [
        "intake",
        "unit_handler",
        "unit_head",
        "leading_group",
        "admin",
    ] {
        assert!(help.contains(role), "{help}");
    }
}
