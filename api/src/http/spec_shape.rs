//! Reshapes the document poem-openapi generates into one that client generators read whole.
//!
//! poem-openapi writes a documented or nullable reference as `allOf: [{$ref}, {description}]`.
//! Generators such as openapi-python-client refuse an `allOf` over an enum (and anything that
//! contains such a field), so the copy of the description or `nullable` inside `allOf` is
//! dropped: it is already beside the `allOf`. They also refuse a default on an object-valued
//! field, so that default is dropped; the field's description says what its absence means. Request bodies refuse fields they do
//! not name ([`super::body_check`]), which the document says with `additionalProperties: false`.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

/// Keys poem-openapi puts in the patch half of an `allOf`.
const PATCH_KEYS: [&str; 6] = [
    "description",
    "nullable",
    "default",
    "readOnly",
    "writeOnly",
    "deprecated",
];

/// The reshaped document (see the module documentation).
pub fn reshape(mut spec: Value) -> Value {
    let schemas = spec["components"]["schemas"].clone();
    collapse_all_of(&mut spec, &schemas);
    let mut request = BTreeSet::new();
    if let Some(paths) = spec["paths"].as_object() {
        for operations in paths.values().filter_map(Value::as_object) {
            for operation in operations.values() {
                collect_refs(&operation["requestBody"], &schemas, &mut request);
            }
        }
    }
    if let Some(components) = spec["components"]["schemas"].as_object_mut() {
        for name in &request {
            if let Some(schema) = components.get_mut(name).and_then(Value::as_object_mut)
                && schema.get("type").and_then(Value::as_str) == Some("object")
                && schema.contains_key("properties")
                && !schema.contains_key("additionalProperties")
            {
                schema.insert("additionalProperties".to_owned(), Value::Bool(false));
            }
        }
    }
    spec
}

/// The schema a `#/components/schemas/…` reference names.
pub fn referenced<'a>(schemas: &'a Value, reference: &str) -> Option<&'a Value> {
    let name = reference.strip_prefix("#/components/schemas/")?;
    schemas.get(name)
}

fn collapse_all_of(value: &mut Value, schemas: &Value) {
    match value {
        Value::Object(map) => {
            collapse_one(map, schemas);
            for child in map.values_mut() {
                collapse_all_of(child, schemas);
            }
        }
        Value::Array(items) => {
            for child in items {
                collapse_all_of(child, schemas);
            }
        }
        _ => {}
    }
}

fn collapse_one(map: &mut Map<String, Value>, schemas: &Value) {
    let Some(Value::Array(parts)) = map.get("allOf") else {
        return;
    };
    let Some(reference) = parts.first().and_then(|p| p["$ref"].as_str()) else {
        return;
    };
    let patches_only = parts[1..].iter().all(|p| {
        p.as_object()
            .is_some_and(|o| o.keys().all(|k| PATCH_KEYS.contains(&k.as_str())))
    });
    if !patches_only {
        return;
    }
    let target_is_object =
        referenced(schemas, reference).is_some_and(|s| s["type"].as_str() == Some("object"));
    let mut patches = Map::new();
    for part in parts[1..].iter().filter_map(Value::as_object) {
        patches.extend(part.clone());
    }
    let first = parts[0].clone();
    map.insert("allOf".to_owned(), Value::Array(vec![first]));
    for (key, patch) in patches {
        map.entry(key).or_insert(patch);
    }
    if target_is_object && map.get("default").is_some_and(Value::is_object) {
        map.remove("default");
    }
}

fn collect_refs(value: &Value, schemas: &Value, seen: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            if let Some(reference) = map.get("$ref").and_then(Value::as_str)
                && let Some(name) = reference.strip_prefix("#/components/schemas/")
                && seen.insert(name.to_owned())
                && let Some(schema) = schemas.get(name)
            {
                collect_refs(schema, schemas, seen);
            }
            for child in map.values() {
                collect_refs(child, schemas, seen);
            }
        }
        Value::Array(items) => {
            for child in items {
                collect_refs(child, schemas, seen);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn drops_the_patch_copy_inside_all_of_and_closes_request_bodies() {
        let spec = json!({
            "paths": {"/x": {"post": {"requestBody": {"content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/In"}}}}}}},
            "components": {"schemas": {
                "Kind": {"type": "string", "enum": ["a"]},
                "Inner": {"type": "object", "properties": {"k": {"type": "string"}}},
                "In": {"type": "object", "properties": {
                    "kind": {"description": "d", "allOf": [
                        {"$ref": "#/components/schemas/Kind"}, {"description": "d"}]},
                    "inner": {"default": {"k": "v"}, "allOf": [
                        {"$ref": "#/components/schemas/Inner"}, {"default": {"k": "v"}}]}
                }},
                "Out": {"type": "object", "properties": {"n": {"type": "integer"}}}
            }}
        });
        let shaped = reshape(spec);
        let schemas = &shaped["components"]["schemas"];
        assert_eq!(
            schemas["In"]["properties"]["kind"],
            json!({"description": "d", "allOf": [{"$ref": "#/components/schemas/Kind"}]})
        );
        assert_eq!(
            schemas["In"]["properties"]["inner"],
            json!({"allOf": [{"$ref": "#/components/schemas/Inner"}]})
        );
        assert_eq!(schemas["In"]["additionalProperties"], json!(false));
        assert_eq!(schemas["Inner"]["additionalProperties"], json!(false));
        assert!(schemas["Out"].get("additionalProperties").is_none());
    }
}
