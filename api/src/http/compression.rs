//! Response compression: `br` or `gzip` when the client's `Accept-Encoding` asks for one, for
//! every response with a body (API JSON, problem documents, `/openapi.json`, `/docs`).
//! Request bodies are not decompressed: a compressed upload could otherwise expand past the
//! body limit.

use poem::http::{HeaderValue, Method, StatusCode, header};
use poem::web::{Compress, CompressionAlgo};
use poem::{Endpoint, IntoResponse, Middleware, Request, Response, Result};

/// See the module documentation.
pub struct ResponseCompression;

impl<E: Endpoint> Middleware<E> for ResponseCompression {
    type Output = ResponseCompressionEndpoint<E>;

    fn transform(&self, ep: E) -> Self::Output {
        ResponseCompressionEndpoint { inner: ep }
    }
}

pub struct ResponseCompressionEndpoint<E> {
    inner: E,
}

/// The coding the client prefers among `br` and `gzip` (`*` counts as either); none when it
/// names neither or refuses them with `q=0`.
fn negotiate(accept: &str) -> Option<CompressionAlgo> {
    let mut best: Option<(u16, u8, CompressionAlgo)> = None;
    for item in accept.split(',') {
        let mut parts = item.split(';').map(str::trim);
        let coding = parts.next().unwrap_or_default().to_ascii_lowercase();
        let quality = parts
            .find_map(|p| p.strip_prefix("q="))
            .and_then(|q| q.parse::<f32>().ok())
            .unwrap_or(1.0);
        // Thousandths, so that qualities compare as integers.
        let quality = (quality.clamp(0.0, 1.0) * 1000.0).round() as u16;
        let (rank, algo) = match coding.as_str() {
            "br" | "*" => (2, CompressionAlgo::BR),
            "gzip" | "x-gzip" => (1, CompressionAlgo::GZIP),
            _ => continue,
        };
        if quality > 0 && best.is_none_or(|(q, r, _)| (quality, rank) > (q, r)) {
            best = Some((quality, rank, algo));
        }
    }
    best.map(|(_, _, algo)| algo)
}

impl<E: Endpoint> Endpoint for ResponseCompressionEndpoint<E> {
    type Output = Response;

    async fn call(&self, req: Request) -> Result<Self::Output> {
        let algo = req
            .headers()
            .get_all(header::ACCEPT_ENCODING)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(negotiate);
        let head = req.method() == Method::HEAD;
        let mut response = self.inner.call(req).await?.into_response();
        response
            .headers_mut()
            .append(header::VARY, HeaderValue::from_static("accept-encoding"));
        let bodiless = head
            || response.status() == StatusCode::NO_CONTENT
            || response.status() == StatusCode::NOT_MODIFIED
            || response.status().is_informational()
            || response.headers().contains_key(header::CONTENT_ENCODING);
        match algo {
            Some(algo) if !bodiless => Ok(Compress::new(response, algo).into_response()),
            _ => Ok(response),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_preferred_acceptable_coding_wins() {
        let name = |accept: &str| {
            negotiate(accept).map(|a| match a {
                CompressionAlgo::BR => "br",
                CompressionAlgo::GZIP => "gzip",
                _ => "other",
            })
        };
        assert_eq!(name("gzip"), Some("gzip"));
        assert_eq!(name("gzip, deflate, br"), Some("br"));
        assert_eq!(name("br;q=0.5, gzip"), Some("gzip"));
        assert_eq!(name("br;q=0, gzip;q=0"), None);
        assert_eq!(name("identity"), None);
        assert_eq!(name("deflate, zstd"), None);
    }
}
