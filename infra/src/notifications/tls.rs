//! TLS for the senders: rustls with the `ring` provider (no system OpenSSL), trusting the
//! Mozilla roots and, optionally, the certificates of one PEM file.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject;

/// Why the extra certificates or the client could not be had.
#[derive(Debug, thiserror::Error)]
pub enum TlsSetupError {
    #[error("`{path}`: {reason}")]
    CaFile { path: String, reason: String },
    #[error("cannot build the TLS client: {0}")]
    Client(String),
}

/// The certificates of the PEM file at `path` (at least one).
pub(crate) fn extra_roots(path: &Path) -> Result<Vec<CertificateDer<'static>>, TlsSetupError> {
    let ca_error = |reason: String| TlsSetupError::CaFile {
        path: path.display().to_string(),
        reason,
    };
    let certificates = CertificateDer::pem_file_iter(path)
        .map_err(|e| ca_error(e.to_string()))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ca_error(e.to_string()))?;
    if certificates.is_empty() {
        return Err(ca_error("holds no PEM certificate".into()));
    }
    Ok(certificates)
}

/// TLS 1.2 and 1.3, trusting the Mozilla roots and those in `extra_roots`.
pub(crate) fn client_config(
    extra_roots: Option<&Path>,
) -> Result<rustls::ClientConfig, TlsSetupError> {
    let mut roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    if let Some(path) = extra_roots {
        for certificate in self::extra_roots(path)? {
            roots.add(certificate).map_err(|e| TlsSetupError::CaFile {
                path: path.display().to_string(),
                reason: e.to_string(),
            })?;
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    Ok(rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| TlsSetupError::Client(e.to_string()))?
        .with_root_certificates(roots)
        .with_no_client_auth())
}

/// An HTTP(S) client giving up on a request after `timeout`, with [`client_config`]'s TLS.
pub(crate) fn http_client(
    timeout: Duration,
    extra_roots: Option<&Path>,
) -> Result<reqwest::Client, TlsSetupError> {
    reqwest::Client::builder()
        .timeout(timeout)
        .tls_backend_preconfigured(client_config(extra_roots)?)
        .build()
        .map_err(|e| TlsSetupError::Client(describe(&e)))
}

/// The error with its causes, e.g. "error sending request: connection refused".
pub(crate) fn describe(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// As [`describe`], leaving out causes whose words the text already has (lettre's errors
/// repeat their causes).
pub(crate) fn describe_distinct(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let words = cause.to_string();
        if !text.contains(&words) {
            text.push_str(": ");
            text.push_str(&words);
        }
        source = cause.source();
    }
    text
}
