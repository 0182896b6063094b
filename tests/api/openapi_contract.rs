//! The committed OpenAPI document is what the code generates, and the server serves it.

use duban_tests::TestApp;

#[test]
fn committed_openapi_document_matches_the_code() {
    let committed = include_str!("../../openapi/openapi.json");
    let generated = duban_api::openapi_json();
    assert!(
        committed == generated,
        "openapi/openapi.json is stale: run `cargo run --bin duban -- openapi --out openapi/openapi.json`"
    );
}

#[tokio::test]
async fn serves_the_document_and_the_docs() {
    let app = TestApp::spawn().await;
    let spec = app
        .client
        .get(format!("{}/openapi.json", app.base))
        .send()
        .await
        .expect("spec");
    assert_eq!(spec.status(), 200);
    let spec: serde_json::Value = spec.json().await.expect("json");
    assert!(spec["paths"]["/api/v1/complaints"]["post"]["security"].is_array());
    let docs = app
        .client
        .get(format!("{}/docs", app.base))
        .send()
        .await
        .expect("docs");
    assert_eq!(docs.status(), 200);
}
