//! An SMS gateway stub: an in-process HTTP (or HTTPS, with a fresh self-signed certificate)
//! server on 127.0.0.1 that records every request and answers a status the test chooses
//! (200 unless told otherwise).

use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex};

use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// One request as the stub read it.
#[derive(Debug, Clone)]
pub struct SmsRequest {
    pub method: String,
    /// The path without the query, e.g. `/v1/send`.
    pub path: String,
    /// The raw query (after `?`), if any.
    pub query: Option<String>,
    /// Header names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl SmsRequest {
    /// The value of header `name` (lower case), if sent.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The query's pairs, form-decoded.
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        form_pairs(self.query.as_deref().unwrap_or_default())
    }

    /// The body's pairs, form-decoded (for `application/x-www-form-urlencoded`).
    pub fn form(&self) -> Vec<(String, String)> {
        form_pairs(&self.body)
    }
}

fn form_pairs(encoded: &str) -> Vec<(String, String)> {
    reqwest::Url::parse(&format!("http://decode.invalid/?{encoded}"))
        .map(|url| url.query_pairs().into_owned().collect())
        .unwrap_or_default()
}

/// A running stub; it stops when dropped.
pub struct SmsStub {
    /// `http://127.0.0.1:<port>` or `https://…`.
    pub base: String,
    /// The PEM of the HTTPS stub's self-signed certificate.
    pub certificate_pem: Option<String>,
    status: Arc<AtomicU16>,
    /// The body of a 2xx answer.
    accepted_body: Arc<Mutex<String>>,
    requests: Arc<Mutex<Vec<SmsRequest>>>,
    task: tokio::task::JoinHandle<()>,
}

impl SmsStub {
    /// A plain HTTP stub.
    pub async fn http() -> Self {
        Self::start(None).await
    }

    /// An HTTPS stub whose certificate (for `127.0.0.1`) is in
    /// [`certificate_pem`](Self::certificate_pem).
    pub async fn https() -> Self {
        let certified = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned()])
            .unwrap_or_else(|e| panic!("{e}"));
        let chain = vec![CertificateDer::from(certified.cert.der().to_vec())];
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(
            certified.signing_key.serialize_der(),
        ));
        let config = rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .and_then(|b| b.with_no_client_auth().with_single_cert(chain, key))
        .unwrap_or_else(|e| panic!("{e}"));
        let mut stub = Self::start(Some(tokio_rustls::TlsAcceptor::from(Arc::new(config)))).await;
        stub.certificate_pem = Some(certified.cert.pem());
        stub
    }

    async fn start(tls: Option<tokio_rustls::TlsAcceptor>) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let port = listener
            .local_addr()
            .unwrap_or_else(|e| panic!("{e}"))
            .port();
        let scheme = if tls.is_some() { "https" } else { "http" };
        let status = Arc::new(AtomicU16::new(200));
        let accepted_body = Arc::new(Mutex::new(r#"{"code":"OK"}"#.to_owned()));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let task = tokio::spawn({
            let answers = Answers {
                status: Arc::clone(&status),
                accepted_body: Arc::clone(&accepted_body),
                requests: Arc::clone(&requests),
            };
            async move {
                while let Ok((stream, _)) = listener.accept().await {
                    let tls = tls.clone();
                    let answers = answers.clone();
                    tokio::spawn(async move {
                        match tls {
                            None => answers.answer(stream).await,
                            // A failed handshake (an untrusting client) just ends it.
                            Some(acceptor) => {
                                if let Ok(stream) = acceptor.accept(stream).await {
                                    answers.answer(stream).await;
                                }
                            }
                        }
                    });
                }
            }
        });
        Self {
            base: format!("{scheme}://127.0.0.1:{port}"),
            certificate_pem: None,
            status,
            accepted_body,
            requests,
            task,
        }
    }

    /// Answers a 2xx with `body` from now on (gateways that report errors in a 200).
    pub fn accept_with_body(&self, body: &str) {
        if let Ok(mut accepted) = self.accepted_body.lock() {
            body.clone_into(&mut accepted);
        }
    }

    /// Answers `status` to the requests from now on.
    pub fn answer_with(&self, status: u16) {
        self.status.store(status, Ordering::SeqCst);
    }

    /// The requests received so far, in order. A request is recorded before it is answered.
    pub fn requests(&self) -> Vec<SmsRequest> {
        self.requests
            .lock()
            .map(|requests| requests.clone())
            .unwrap_or_default()
    }
}

impl Drop for SmsStub {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// What the stub answers, shared by its connections.
#[derive(Clone)]
struct Answers {
    status: Arc<AtomicU16>,
    accepted_body: Arc<Mutex<String>>,
    requests: Arc<Mutex<Vec<SmsRequest>>>,
}

impl Answers {
    async fn answer(&self, mut stream: impl AsyncRead + AsyncWrite + Unpin) {
        let Some(request) = read_request(&mut stream).await else {
            return;
        };
        if let Ok(mut all) = self.requests.lock() {
            all.push(request);
        }
        let status = self.status.load(Ordering::SeqCst);
        let body = if (200..300).contains(&status) {
            self.accepted_body
                .lock()
                .map(|b| b.clone())
                .unwrap_or_default()
        } else {
            r#"{"code":"REFUSED","message":"stub refuses"}"#.to_owned()
        };
        let response = format!(
            "HTTP/1.1 {status} Stub\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        );
        let _ = stream.write_all(response.as_bytes()).await;
        let _ = stream.shutdown().await;
    }
}

/// Reads one HTTP/1.1 request with a `content-length` body (or none).
async fn read_request(stream: &mut (impl AsyncRead + Unpin)) -> Option<SmsRequest> {
    let mut data = Vec::new();
    let mut buffer = [0_u8; 4096];
    let head_end = loop {
        let n = stream.read(&mut buffer).await.ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&buffer[..n]);
        if let Some(at) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
    };
    let head = String::from_utf8_lossy(&data[..head_end]).into_owned();
    let mut lines = head.lines();
    let mut request_line = lines.next().unwrap_or_default().split(' ');
    let method = request_line.next().unwrap_or_default().to_owned();
    let target = request_line.next().unwrap_or_default();
    let (path, query) = match target.split_once('?') {
        Some((path, query)) => (path.to_owned(), Some(query.to_owned())),
        None => (target.to_owned(), None),
    };
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    while data.len() < head_end + length {
        let n = stream.read(&mut buffer).await.ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&buffer[..n]);
    }
    let body = String::from_utf8_lossy(&data[head_end..head_end + length]).into_owned();
    Some(SmsRequest {
        method,
        path,
        query,
        headers,
        body,
    })
}
