//! Responses are compressed when, and only when, the client asks.

use std::io::Read;

use duban_tests::TestApp;
use reqwest::Method;

/// The raw body of a GET with the given `Accept-Encoding` (reqwest here decodes nothing).
async fn fetch(app: &TestApp, path: &str, accept: Option<&str>) -> (Option<String>, Vec<u8>) {
    let mut request = app
        .client
        .request(Method::GET, format!("{}{path}", app.base))
        .bearer_auth(&app.admin);
    if let Some(accept) = accept {
        request = request.header("accept-encoding", accept);
    }
    let response = request
        .send()
        .await
        .unwrap_or_else(|e| panic!("request failed: {e}"));
    let coding = response
        .headers()
        .get("content-encoding")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = response
        .bytes()
        .await
        .unwrap_or_else(|e| panic!("body: {e}"))
        .to_vec();
    (coding, body)
}

fn gunzip(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(body)
        .read_to_end(&mut out)
        .unwrap_or_else(|e| panic!("not gzip: {e}"));
    out
}

fn unbrotli(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    brotli_decompressor::Decompressor::new(body, 4096)
        .read_to_end(&mut out)
        .unwrap_or_else(|e| panic!("not brotli: {e}"));
    out
}

#[tokio::test]
async fn json_the_spec_and_the_docs_come_compressed_when_asked() {
    let app = TestApp::spawn().await;
    for path in ["/api/v1/units", "/openapi.json", "/docs"] {
        let (coding, plain) = fetch(&app, path, None).await;
        assert_eq!(coding, None, "{path} compressed without being asked");
        assert!(!plain.is_empty(), "{path}");

        let (coding, body) = fetch(&app, path, Some("gzip")).await;
        assert_eq!(coding.as_deref(), Some("gzip"), "{path}");
        assert_eq!(gunzip(&body), plain, "{path}");

        let (coding, body) = fetch(&app, path, Some("gzip, deflate, br")).await;
        assert_eq!(coding.as_deref(), Some("br"), "{path}");
        assert_eq!(unbrotli(&body), plain, "{path}");
    }
    // The JSON itself survives the trip.
    let (_, body) = fetch(&app, "/api/v1/units", Some("br")).await;
    let units: serde_json::Value =
        serde_json::from_slice(&unbrotli(&body)).unwrap_or_else(|e| panic!("{e}"));
    assert!(units["items"].is_array(), "{units}");
    // A refused coding is not used.
    let (coding, _) = fetch(&app, "/openapi.json", Some("br;q=0, identity")).await;
    assert_eq!(coding, None);
}
