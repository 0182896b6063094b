//! A real SMTP server for delivery tests: aiosmtpd, run as a child process on a free port of
//! 127.0.0.1 with a fresh self-signed certificate, requiring `AUTH` as [`SMTP_USER`] /
//! [`SMTP_PASSWORD`], and saving each accepted mail for the test to read back. The child is
//! killed when the receiver is dropped.
//!
//! Python is `$DUBAN_TEST_PYTHON` when set (`.ci/run` points it at its virtual environment);
//! otherwise a virtual environment under the target directory, `test-venv`, made once with the
//! packages of `tests/python-requirements.txt`.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::sync::mpsc;
use std::time::Duration;

use serde_json::Value;

/// The user name the receiver accepts.
pub const SMTP_USER: &str = "duban-mailer";
/// The password the receiver accepts.
pub const SMTP_PASSWORD: &str = "smtp-password-for-tests";
/// A recipient whose address starts with this is refused with `550`.
pub const REFUSED_PREFIX: &str = "reject";

const SCRIPT: &str = include_str!("smtp_receiver.py");
const REQUIREMENTS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/python-requirements.txt");
/// The longest the receiver (or the virtual environment) may take to come up.
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// How the receiver secures its connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpMode {
    /// Plain, upgraded with `STARTTLS`, which it requires before `AUTH` and mail.
    StartTls,
    /// TLS from the first byte.
    Tls,
    /// No TLS (`AUTH` in clear).
    Plain,
}

impl SmtpMode {
    fn argument(self) -> &'static str {
        match self {
            SmtpMode::StartTls => "starttls",
            SmtpMode::Tls => "tls",
            SmtpMode::Plain => "none",
        }
    }
}

/// One accepted mail as the receiver saw it.
#[derive(Debug, Clone)]
pub struct ReceivedMail {
    /// The envelope sender (`MAIL FROM`).
    pub mail_from: String,
    /// The envelope recipients (`RCPT TO`).
    pub rcpt_tos: Vec<String>,
    /// The connection was encrypted when the mail was sent.
    pub tls: bool,
    /// ... by `STARTTLS`.
    pub starttls: bool,
    /// The user name the client authenticated as.
    pub login: Option<String>,
    /// The top-level content type, e.g. `multipart/alternative`.
    pub content_type: String,
    /// The headers, decoded (RFC 2047 words as text).
    pub headers: Vec<(String, String)>,
    /// The leaf parts in order: content type and decoded content.
    pub parts: Vec<(String, String)>,
    /// The message as it was sent.
    pub raw: String,
}

impl ReceivedMail {
    /// The values of header `name` (any case).
    pub fn header(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    fn from_json(value: &Value) -> Self {
        let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
        let list = |key: &str| value[key].as_array().cloned().unwrap_or_default();
        Self {
            mail_from: text(&value["mail_from"]),
            rcpt_tos: list("rcpt_tos").iter().map(text).collect(),
            tls: value["tls"].as_bool().unwrap_or(false),
            starttls: value["starttls"].as_bool().unwrap_or(false),
            login: value["login"].as_str().map(str::to_owned),
            content_type: text(&value["content_type"]),
            headers: list("headers")
                .iter()
                .map(|pair| (text(&pair[0]), text(&pair[1])))
                .collect(),
            parts: list("parts")
                .iter()
                .map(|part| (text(&part["content_type"]), text(&part["content"])))
                .collect(),
            raw: text(&value["raw"]),
        }
    }
}

/// A running aiosmtpd.
pub struct SmtpReceiver {
    pub port: u16,
    /// A PEM file of the receiver's self-signed certificate (for `smtp_ca_file`).
    pub ca_file: PathBuf,
    dir: PathBuf,
    child: Child,
}

impl SmtpReceiver {
    /// Starts a receiver; returns once it listens.
    pub fn start(mode: SmtpMode) -> Self {
        let dir = std::env::temp_dir().join(format!("duban-smtp-{}", uuid::Uuid::now_v7()));
        let mails = dir.join("mails");
        std::fs::create_dir_all(&mails).unwrap_or_else(|e| panic!("{}: {e}", mails.display()));
        let certified = rcgen::generate_simple_self_signed(vec![
            "127.0.0.1".to_owned(),
            "localhost".to_owned(),
        ])
        .unwrap_or_else(|e| panic!("{e}"));
        let ca_file = dir.join("cert.pem");
        let key_file = dir.join("key.pem");
        let script = dir.join("smtp_receiver.py");
        for (path, text) in [
            (&ca_file, certified.cert.pem()),
            (&key_file, certified.signing_key.serialize_pem()),
            (&script, SCRIPT.to_owned()),
        ] {
            std::fs::write(path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        }
        let log = dir.join("server.log");
        let log_file =
            std::fs::File::create(&log).unwrap_or_else(|e| panic!("{}: {e}", log.display()));
        let mut child = Command::new(python())
            .arg("-u")
            .arg(&script)
            .args([mode.argument()])
            .args([&ca_file, &key_file])
            .args([SMTP_USER, SMTP_PASSWORD])
            .arg(&mails)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log_file))
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start the SMTP receiver: {e}"));
        let port = child.stdout.take().and_then(|stdout| {
            let (sent, port) = mpsc::channel();
            std::thread::spawn(move || {
                let mut line = String::new();
                let _ = BufReader::new(stdout).read_line(&mut line);
                let _ = sent.send(line.trim().parse::<u16>().ok());
            });
            port.recv_timeout(START_TIMEOUT).ok().flatten()
        });
        let Some(port) = port else {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "the SMTP receiver did not start:\n{}",
                std::fs::read_to_string(&log).unwrap_or_default()
            );
        };
        Self {
            port,
            ca_file,
            dir,
            child,
        }
    }

    /// The mails accepted so far, in order. The receiver saves a mail before it answers `250`
    /// to it, so a delivered message is here.
    pub fn mails(&self) -> Vec<ReceivedMail> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(self.dir.join("mails"))
            .unwrap_or_else(|e| panic!("{e}"))
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|path| path.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        files
            .iter()
            .map(|path| {
                let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{e}"));
                let value: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
                ReceivedMail::from_json(&value)
            })
            .collect()
    }

    /// What the receiver wrote to its standard error (for failure messages).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("server.log")).unwrap_or_default()
    }
}

impl Drop for SmtpReceiver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The Python interpreter with aiosmtpd.
fn python() -> PathBuf {
    static PYTHON: OnceLock<PathBuf> = OnceLock::new();
    PYTHON
        .get_or_init(|| match std::env::var_os("DUBAN_TEST_PYTHON") {
            Some(python) if !python.is_empty() => PathBuf::from(python),
            _ => test_venv(),
        })
        .clone()
}

/// `<target>/test-venv/bin/python`, the environment made first if missing. It is made under
/// another name and renamed into place, so that concurrent test processes never use a
/// half-installed one (only its `bin/python` is run: a renamed environment's scripts would
/// name the old path).
fn test_venv() -> PathBuf {
    let target = target_dir();
    let venv = target.join("test-venv");
    let python = venv.join("bin").join("python");
    if python.exists() {
        return python;
    }
    let staging = target.join(format!(
        "test-venv.{}-{}",
        std::process::id(),
        uuid::Uuid::now_v7().simple()
    ));
    run(Command::new("python3").arg("-m").arg("venv").arg(&staging));
    run(Command::new(staging.join("bin").join("python"))
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
        ])
        .args(["-r", REQUIREMENTS]));
    if let Err(e) = std::fs::rename(&staging, &venv) {
        let _ = std::fs::remove_dir_all(&staging);
        assert!(python.exists(), "cannot make {}: {e}", venv.display());
    }
    python
}

fn run(command: &mut Command) {
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("cannot run {command:?}: {e}"));
    assert!(
        output.status.success(),
        "{command:?} failed:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The target directory this test binary was built in (the one holding `CACHEDIR.TAG`).
fn target_dir() -> PathBuf {
    let exe = std::env::current_exe().unwrap_or_else(|e| panic!("{e}"));
    exe.ancestors()
        .find(|dir| dir.join("CACHEDIR.TAG").is_file())
        .or_else(|| exe.ancestors().nth(3))
        .map_or_else(std::env::temp_dir, Path::to_path_buf)
}
