//! The audit keys: HMAC-SHA256 keys that hash every event and Ed25519 keys that sign
//! checkpoints. They come from the settings (`audit_hmac_keys`, `audit_signing_keys`) or
//! from the key file (`audit_key_file`), which is generated on first start; never from the
//! database. Each kind has one current key (new events, new checkpoints) and any number of
//! retired ones that still verify what they made.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, RwLock};

use ed25519_dalek::{SigningKey, VerifyingKey};
use serde::Deserialize;

use crate::config::Settings;

/// Why the keys could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("audit keys: {0}")]
    Invalid(String),
    #[error("audit key file {path}: {source}")]
    File {
        path: String,
        source: std::io::Error,
    },
}

/// A ring of keys of one kind: the current one first.
#[derive(Clone)]
struct Ring<K> {
    current: String,
    keys: BTreeMap<String, K>,
}

/// The configured keys. Never printed.
#[derive(Clone)]
pub struct AuditKeys {
    hmac: Ring<[u8; 32]>,
    signing: Ring<SigningKey>,
}

impl std::fmt::Debug for AuditKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuditKeys")
            .field("hmac_current", &self.hmac.current)
            .field("signing_current", &self.signing.current)
            .finish_non_exhaustive()
    }
}

/// The key file's shape.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyFile {
    hmac_current: String,
    signing_current: String,
    hmac: BTreeMap<String, String>,
    signing: BTreeMap<String, String>,
}

fn bytes32(id: &str, hex_text: &str) -> Result<[u8; 32], KeyError> {
    let raw = hex::decode(hex_text.trim())
        .map_err(|_| KeyError::Invalid(format!("key `{id}` is not hexadecimal")))?;
    raw.try_into()
        .map_err(|_| KeyError::Invalid(format!("key `{id}` must be 32 bytes (64 hex digits)")))
}

fn check_id(id: &str) -> Result<(), KeyError> {
    let fine = !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.');
    if fine {
        Ok(())
    } else {
        Err(KeyError::Invalid(format!(
            "key id `{id}` must be 1 to 64 letters, digits, `-`, `_` or `.`"
        )))
    }
}

fn ring<K>(
    current: &str,
    keys: &BTreeMap<String, String>,
    parse: impl Fn(&str, &str) -> Result<K, KeyError>,
) -> Result<Ring<K>, KeyError> {
    let mut parsed = BTreeMap::new();
    for (id, value) in keys {
        check_id(id)?;
        parsed.insert(id.clone(), parse(id, value)?);
    }
    if !parsed.contains_key(current) {
        return Err(KeyError::Invalid(format!(
            "the current key `{current}` is not among the keys"
        )));
    }
    Ok(Ring {
        current: current.to_owned(),
        keys: parsed,
    })
}

/// `id=hex,id=hex,…`: the first is the current key.
fn parse_list(raw: &str) -> Result<(String, BTreeMap<String, String>), KeyError> {
    let mut current = None;
    let mut keys = BTreeMap::new();
    for item in raw.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let (id, value) = item
            .split_once('=')
            .ok_or_else(|| KeyError::Invalid("keys are written `id=hex,id=hex`".into()))?;
        current.get_or_insert_with(|| id.trim().to_owned());
        keys.insert(id.trim().to_owned(), value.trim().to_owned());
    }
    let current = current.ok_or_else(|| KeyError::Invalid("an empty key list".into()))?;
    Ok((current, keys))
}

fn signing(id: &str, value: &str) -> Result<SigningKey, KeyError> {
    bytes32(id, value).map(|seed| SigningKey::from_bytes(&seed))
}

fn random32() -> Result<[u8; 32], KeyError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| KeyError::Invalid(format!("no randomness for a new key: {e}")))?;
    Ok(bytes)
}

impl AuditKeys {
    /// The keys the settings name, else those of the key file, which is created (readable by
    /// its owner only) when it does not exist.
    ///
    /// # Errors
    /// [`KeyError`] for malformed keys or an unreadable or unwritable key file.
    pub fn load(settings: &Settings) -> Result<Self, KeyError> {
        let from_settings = |raw: &Option<crate::config::Secret>| {
            raw.as_ref().map(|s| parse_list(s.expose())).transpose()
        };
        let hmac = from_settings(&settings.audit_hmac_keys)?;
        let signing_keys = from_settings(&settings.audit_signing_keys)?;
        let file = if hmac.is_none() || signing_keys.is_none() {
            Some(load_or_create_file(Path::new(&settings.audit_key_file))?)
        } else {
            None
        };
        let (hmac_current, hmac_keys) = match (hmac, &file) {
            (Some(pair), _) => pair,
            (None, Some(f)) => (f.hmac_current.clone(), f.hmac.clone()),
            (None, None) => unreachable!("the file is read when a setting is missing"),
        };
        let (signing_current, signing_keys) = match (signing_keys, &file) {
            (Some(pair), _) => pair,
            (None, Some(f)) => (f.signing_current.clone(), f.signing.clone()),
            (None, None) => unreachable!("the file is read when a setting is missing"),
        };
        Ok(Self {
            hmac: ring(&hmac_current, &hmac_keys, bytes32)?,
            signing: ring(&signing_current, &signing_keys, signing)?,
        })
    }

    /// Keys given directly (tests, tools): `(id, key)` lists, the first current.
    ///
    /// # Errors
    /// [`KeyError::Invalid`] for an empty list or a bad id.
    pub fn from_parts(
        hmac: &[(&str, [u8; 32])],
        signing: &[(&str, [u8; 32])],
    ) -> Result<Self, KeyError> {
        let list = |keys: &[(&str, [u8; 32])]| {
            let map: BTreeMap<String, String> = keys
                .iter()
                .map(|(id, k)| ((*id).to_owned(), hex::encode(k)))
                .collect();
            let current = keys
                .first()
                .map(|(id, _)| (*id).to_owned())
                .ok_or_else(|| KeyError::Invalid("an empty key list".into()))?;
            Ok::<_, KeyError>((current, map))
        };
        let (hc, hk) = list(hmac)?;
        let (sc, sk) = list(signing)?;
        Ok(Self {
            hmac: ring(&hc, &hk, bytes32)?,
            signing: ring(&sc, &sk, self::signing)?,
        })
    }

    /// The key new events are hashed with.
    pub fn current_hmac(&self) -> (&str, &[u8; 32]) {
        let id = self.hmac.current.as_str();
        (id, &self.hmac.keys[id])
    }

    /// A configured HMAC key, current or retired.
    pub fn hmac(&self, id: &str) -> Option<&[u8; 32]> {
        self.hmac.keys.get(id)
    }

    /// The key new checkpoints are signed with.
    pub fn current_signer(&self) -> (&str, &SigningKey) {
        let id = self.signing.current.as_str();
        (id, &self.signing.keys[id])
    }

    /// The public key of a configured signing key, current or retired.
    pub fn verifying(&self, id: &str) -> Option<VerifyingKey> {
        self.signing.keys.get(id).map(SigningKey::verifying_key)
    }

    /// Every signing key's id and public key (hex), current first.
    pub fn public_keys(&self) -> Vec<(String, String)> {
        let mut keys: Vec<(String, String)> = self
            .signing
            .keys
            .iter()
            .map(|(id, k)| (id.clone(), hex::encode(k.verifying_key().as_bytes())))
            .collect();
        keys.sort_by_key(|(id, _)| *id != self.signing.current);
        keys
    }
}

/// Reads the key file, creating it with fresh keys when it does not exist.
fn load_or_create_file(path: &Path) -> Result<KeyFile, KeyError> {
    let file_error = |source| KeyError::File {
        path: path.display().to_string(),
        source,
    };
    if !path.exists() {
        create_file(path).map_err(file_error)?;
    }
    warn_if_readable_by_others(path);
    let text = std::fs::read_to_string(path).map_err(file_error)?;
    figment::Figment::from(<figment::providers::Toml as figment::providers::Format>::string(&text))
        .extract::<KeyFile>()
        .map_err(|e| KeyError::Invalid(format!("{}: {e}", path.display())))
}

fn new_file_text() -> Result<String, KeyError> {
    Ok(format!(
        "# duban audit keys, generated on first start.\n\
         # Back this file up, and keep it apart from the database (and its backups): whoever\n\
         # holds it can rewrite the history undetected. To rotate, add a key under a new id\n\
         # and make it current; keep the old one here as a retired key.\n\
         hmac_current = \"h1\"\n\
         signing_current = \"s1\"\n\n\
         [hmac]\n\
         h1 = \"{}\"\n\n\
         [signing]\n\
         s1 = \"{}\"\n",
        hex::encode(random32()?),
        hex::encode(random32()?),
    ))
}

/// Writes a new key file atomically: to a private temporary file, then linked into place,
/// so a concurrent first start of another instance finds either no file or a whole one (and
/// whoever links second reads the winner's).
fn create_file(path: &Path) -> std::io::Result<()> {
    use std::io::Write;
    let text = new_file_text().map_err(std::io::Error::other)?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let temp = path.with_extension(format!("tmp-{}", uuid::Uuid::now_v7().simple()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let written = options.open(&temp).and_then(|mut f| {
        f.write_all(text.as_bytes())?;
        f.sync_all()
    });
    let linked = written.and_then(|()| std::fs::hard_link(&temp, path));
    let _ = std::fs::remove_file(&temp);
    match linked {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
        Ok(()) => {
            tracing::warn!(
                file = %path.display(),
                "generated new audit keys: back this file up and keep it apart from the database"
            );
            Ok(())
        }
    }
}

fn warn_if_readable_by_others(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = std::fs::metadata(path)
            && meta.permissions().mode() & 0o077 != 0
        {
            tracing::warn!(file = %path.display(), "the audit key file is readable by others");
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

static INSTALLED: RwLock<Option<Arc<AuditKeys>>> = RwLock::new(None);

/// Makes `keys` the ones every event appended by this process is hashed with. The event
/// log is reached from every repository inside their transactions; one process serves one
/// deployment, so the keys are process-wide rather than threaded through each of them.
pub fn install(keys: Arc<AuditKeys>) {
    if let Ok(mut slot) = INSTALLED.write() {
        *slot = Some(keys);
    }
}

/// The installed keys.
pub(crate) fn installed() -> Option<Arc<AuditKeys>> {
    INSTALLED.read().ok().and_then(|slot| slot.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_key_file_is_created_private_and_read_back_the_same() {
        let dir = std::env::temp_dir().join(format!("duban-keys-{}", uuid::Uuid::now_v7()));
        let path = dir.join("audit-keys.toml");
        let first = load_or_create_file(&path).map_err(|e| e.to_string());
        let second = load_or_create_file(&path).map_err(|e| e.to_string());
        let (Ok(first), Ok(second)) = (first, second) else {
            panic!("the key file could not be created or read");
        };
        assert_eq!(first.hmac, second.hmac, "generated once");
        assert_eq!(first.hmac_current, "h1");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).map(|m| m.permissions().mode() & 0o777);
            assert_eq!(mode.ok(), Some(0o600));
        }
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn settings_keys_rotate_with_the_old_key_kept() {
        let hex_a = "11".repeat(32);
        let hex_b = "22".repeat(32);
        let (current, keys) =
            parse_list(&format!("h2={hex_b}, h1={hex_a}")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(current, "h2");
        let ring = ring(&current, &keys, bytes32).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(ring.keys.len(), 2);
        assert!(parse_list("h1").is_err());
        assert!(ring_err("bad id!", &hex_a));
        assert!(ring_err("h1", "abcd"));
    }

    fn ring_err(id: &str, value: &str) -> bool {
        let keys = BTreeMap::from([(id.to_owned(), value.to_owned())]);
        ring(id, &keys, bytes32).is_err()
    }
}
