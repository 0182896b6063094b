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

#[test]
fn every_operation_has_a_unique_operation_id() {
    let spec: serde_json::Value =
        serde_json::from_str(&duban_api::openapi_json()).expect("spec is JSON");
    let mut seen = std::collections::BTreeMap::new();
    let mut missing = Vec::new();
    for (path, operations) in spec["paths"].as_object().expect("paths") {
        for (method, operation) in operations.as_object().expect("operations") {
            let at = format!("{} {path}", method.to_uppercase());
            match operation["operationId"].as_str() {
                Some(id) if !id.is_empty() => {
                    if let Some(first) = seen.insert(id.to_owned(), at.clone()) {
                        panic!("operationId {id} names both {first} and {at}");
                    }
                }
                _ => missing.push(at),
            }
        }
    }
    assert!(
        missing.is_empty(),
        "operations without an operationId: {missing:?}"
    );
    assert!(
        seen.len() > 50,
        "expected every operation, saw {}",
        seen.len()
    );
}
