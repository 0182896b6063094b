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

/// Client generators (openapi-python-client) drop a schema with an `allOf` over an enum, or
/// an object-valued default, and every schema that uses it.
#[test]
fn references_are_plain_enough_for_client_generators() {
    fn walk(value: &serde_json::Value, at: &str, found: &mut Vec<String>) {
        match value {
            serde_json::Value::Object(map) => {
                let all_of = map.get("allOf").and_then(serde_json::Value::as_array);
                if all_of.is_some_and(|parts| parts.len() > 1)
                    || (all_of.is_some() && map.get("default").is_some_and(|d| d.is_object()))
                {
                    found.push(at.to_owned());
                }
                for (key, child) in map {
                    walk(child, &format!("{at}/{key}"), found);
                }
            }
            serde_json::Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    walk(child, &format!("{at}/{i}"), found);
                }
            }
            _ => {}
        }
    }
    let spec: serde_json::Value =
        serde_json::from_str(&duban_api::openapi_json()).expect("spec is JSON");
    let mut found = Vec::new();
    walk(&spec, "", &mut found);
    assert!(found.is_empty(), "allOf a generator refuses at {found:?}");
    let schemas = &spec["components"]["schemas"];
    for name in [
        "RegisterComplaint",
        "ComplainantInput",
        "UpdateUser",
        "UpdateUnit",
    ] {
        assert_eq!(
            schemas[name]["additionalProperties"],
            serde_json::json!(false),
            "{name} refuses unknown fields, and the document says so"
        );
    }
}
