//! Security headers on every response: no caching of what the service answers, no MIME
//! sniffing, no referrer leaking case URLs, no framing, a content-security policy for HTML
//! pages (the API docs) and HSTS when the service is reached over TLS.

use base64::Engine;
use poem::http::header::{self, HeaderName};
use poem::http::{HeaderMap, HeaderValue};
use poem::{Body, Endpoint, IntoResponse, Middleware, Request, Response, Result};
use sha2::{Digest, Sha256};

/// Sent with every response when the service is behind TLS: two years, subdomains included.
const HSTS: &str = "max-age=63072000; includeSubDomains";

/// The policy of every non-HTML response: it loads nothing and may not be framed.
const API_CSP: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

/// See the module documentation.
#[derive(Debug, Clone, Copy, Default)]
pub struct SecurityHeaders {
    /// Adds `Strict-Transport-Security` (setting `behind_tls`).
    pub behind_tls: bool,
}

impl<E: Endpoint> Middleware<E> for SecurityHeaders {
    type Output = SecurityHeadersEndpoint<E>;

    fn transform(&self, ep: E) -> Self::Output {
        SecurityHeadersEndpoint {
            inner: ep,
            behind_tls: self.behind_tls,
        }
    }
}

pub struct SecurityHeadersEndpoint<E> {
    inner: E,
    behind_tls: bool,
}

impl<E: Endpoint> Endpoint for SecurityHeadersEndpoint<E> {
    type Output = Response;

    async fn call(&self, req: Request) -> Result<Self::Output> {
        let mut response = match self.inner.call(req).await {
            Ok(output) => output.into_response(),
            Err(err) => err.into_response(),
        };
        let csp = if is_html(response.headers()) {
            let (parts, body) = response.into_parts();
            let html = body.into_bytes().await.unwrap_or_default();
            let csp = html_policy(&String::from_utf8_lossy(&html));
            response = Response::from_parts(parts, Body::from_bytes(html));
            HeaderValue::from_str(&csp).unwrap_or(HeaderValue::from_static(API_CSP))
        } else {
            HeaderValue::from_static(API_CSP)
        };
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_SECURITY_POLICY, csp);
        set_default(headers, header::CACHE_CONTROL, "no-store");
        headers.insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
        headers.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        );
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        if self.behind_tls {
            headers.insert(
                header::STRICT_TRANSPORT_SECURITY,
                HeaderValue::from_static(HSTS),
            );
        }
        Ok(response)
    }
}

/// Keeps a value an operation chose itself.
fn set_default(headers: &mut HeaderMap, name: HeaderName, value: &'static str) {
    headers
        .entry(name)
        .or_insert(HeaderValue::from_static(value));
}

fn is_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().starts_with("text/html"))
}

/// The policy of an HTML page: only its own inline scripts (by hash) run, its inline
/// styles and same-origin images and requests are allowed, nothing else.
fn html_policy(html: &str) -> String {
    let hashes: String = inline_scripts(html)
        .map(|script| {
            let digest = Sha256::digest(script.as_bytes());
            format!(
                " 'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            )
        })
        .collect();
    format!(
        "default-src 'none'; script-src{hashes}; style-src 'unsafe-inline'; \
         img-src 'self' data:; connect-src 'self'; font-src 'self' data:; \
         frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    )
}

/// The text of every inline `<script>` element.
fn inline_scripts(html: &str) -> impl Iterator<Item = &str> {
    let mut rest = html;
    std::iter::from_fn(move || {
        loop {
            let open = rest.find("<script")?;
            let after_open = &rest[open..];
            let tag_end = after_open.find('>')?;
            let tag = &after_open[..tag_end];
            let body = &after_open[tag_end + 1..];
            let close = body.find("</script>")?;
            rest = &body[close + "</script>".len()..];
            if !tag.contains(" src=") {
                return Some(&body[..close]);
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_each_inline_script_and_skips_external_ones() {
        let html = "<head><script charset=\"UTF-8\">a()</script></head>\
                    <script src=\"x.js\"></script><script>b()</script>";
        let scripts: Vec<&str> = inline_scripts(html).collect();
        assert_eq!(scripts, ["a()", "b()"]);
        let policy = html_policy(html);
        let hash_of_a = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(b"a()"));
        assert!(
            policy.contains(&format!("'sha256-{hash_of_a}'")),
            "{policy}"
        );
        assert!(policy.starts_with("default-src 'none'; script-src 'sha256-"));
    }
}
