//! Compares a JSON request body with its schema in the OpenAPI document, naming fields in the
//! wire's words (dotted for nested fields, `[i]` for list items): the fields the schema does
//! not know, and the first field that is missing or of the wrong type.

use duban_domain::message::Message;
use duban_domain::msg;
use serde_json::Value;

use super::spec_shape::referenced;

/// One field of a body that does not fit its schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Misfit {
    pub field: String,
    pub message: Message,
}

/// What a body holds that its schema does not allow.
#[derive(Debug, Default)]
pub struct Walk {
    /// Fields the schema does not name (where it says `additionalProperties: false`).
    pub unknown: Vec<Misfit>,
    /// Required fields that are absent or null, and values of the wrong type.
    pub mistyped: Vec<Misfit>,
}

/// Walks `body` against `schema`; `schemas` is the document's `components.schemas`.
pub fn walk(schemas: &Value, schema: &Value, body: &Value) -> Walk {
    let mut out = Walk::default();
    visit(schemas, schema, body, "", &mut out, 0);
    out
}

/// Follows `$ref` and a one-reference `allOf` to the schema that says what a value is.
fn resolve<'a>(schemas: &'a Value, mut schema: &'a Value) -> &'a Value {
    for _ in 0..16 {
        if let Some(target) = schema["$ref"].as_str().and_then(|r| referenced(schemas, r)) {
            schema = target;
        } else if let Some([only]) = schema["allOf"].as_array().map(Vec::as_slice) {
            schema = only;
        } else {
            break;
        }
    }
    schema
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

fn misfit(path: &str, message: Message) -> Misfit {
    Misfit {
        field: if path.is_empty() {
            "body".to_owned()
        } else {
            path.to_owned()
        },
        message,
    }
}

fn visit(schemas: &Value, declared: &Value, value: &Value, path: &str, out: &mut Walk, depth: u8) {
    if depth > 32 {
        return;
    }
    let schema = resolve(schemas, declared);
    if value.is_null() {
        if declared["nullable"] != Value::Bool(true) && schema["nullable"] != Value::Bool(true) {
            out.mistyped.push(misfit(path, msg!("field_not_null")));
        }
        return;
    }
    if let Some(allowed) = schema["enum"].as_array() {
        if !allowed.contains(value) {
            let names: Vec<String> = allowed
                .iter()
                .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                .collect();
            out.mistyped.push(misfit(
                path,
                msg!("field_one_of", allowed = names.join(", ")),
            ));
        }
        return;
    }
    let fits = match schema["type"].as_str() {
        Some("object") => {
            let Some(fields) = value.as_object() else {
                out.mistyped.push(misfit(path, msg!("field_object")));
                return;
            };
            visit_object(schemas, schema, fields, path, out, depth);
            true
        }
        Some("array") => {
            let Some(items) = value.as_array() else {
                out.mistyped.push(misfit(path, msg!("field_list")));
                return;
            };
            for (i, item) in items.iter().enumerate() {
                visit(
                    schemas,
                    &schema["items"],
                    item,
                    &format!("{path}[{i}]"),
                    out,
                    depth + 1,
                );
            }
            true
        }
        Some("string") => value
            .as_str()
            .is_some_and(|s| match schema["format"].as_str() {
                Some("uuid") => uuid::Uuid::parse_str(s).is_ok(),
                _ => true,
            }),
        Some("integer") => value.is_i64() || value.is_u64(),
        Some("number") => value.is_number(),
        Some("boolean") => value.is_boolean(),
        _ => true,
    };
    if !fits {
        let expected = match (schema["type"].as_str(), schema["format"].as_str()) {
            (Some("string"), Some("uuid")) => msg!("field_uuid"),
            (Some("string"), _) => msg!("field_string"),
            (Some("integer"), _) => msg!("field_integer"),
            (Some("number"), _) => msg!("field_number"),
            _ => msg!("field_boolean"),
        };
        out.mistyped.push(misfit(path, expected));
    }
}

fn visit_object(
    schemas: &Value,
    schema: &Value,
    fields: &serde_json::Map<String, Value>,
    path: &str,
    out: &mut Walk,
    depth: u8,
) {
    let properties = schema["properties"].as_object();
    for name in schema["required"].as_array().into_iter().flatten() {
        if let Some(name) = name.as_str()
            && fields.get(name).is_none_or(Value::is_null)
        {
            out.mistyped
                .push(misfit(&join(path, name), msg!("field_required")));
        }
    }
    // A null optional field counts as absent (a null required one is reported above), but a
    // field the schema does not name is unknown whatever its value.
    for (name, value) in fields {
        match properties.and_then(|p| p.get(name)) {
            Some(_) if value.is_null() => {}
            Some(declared) => visit(schemas, declared, value, &join(path, name), out, depth + 1),
            None if schema["additionalProperties"] == Value::Bool(false) => out
                .unknown
                .push(misfit(&join(path, name), msg!("field_unknown"))),
            None => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schemas() -> Value {
        json!({
            "Role": {"type": "string", "enum": ["intake", "admin"]},
            "Person": {"type": "object", "additionalProperties": false,
                "required": ["name"],
                "properties": {"name": {"type": "string"}, "phone": {"type": "string"}}},
            "Body": {"type": "object", "additionalProperties": false,
                "required": ["unit_id", "role"],
                "properties": {
                    "unit_id": {"type": "string", "format": "uuid"},
                    "role": {"$ref": "#/components/schemas/Role"},
                    "staff_id": {"type": "string", "format": "uuid"},
                    "note": {"type": "string", "nullable": true},
                    "people": {"type": "array", "items": {"$ref": "#/components/schemas/Person"}},
                    "person": {"allOf": [{"$ref": "#/components/schemas/Person"}]}
                }}
        })
    }

    fn run(body: Value) -> Walk {
        let schemas = schemas();
        walk(
            &schemas,
            &json!({"$ref": "#/components/schemas/Body"}),
            &body,
        )
    }

    fn fields(misfits: &[Misfit]) -> Vec<&str> {
        misfits.iter().map(|m| m.field.as_str()).collect()
    }

    #[test]
    fn names_unknown_fields_at_any_depth() {
        let walk = run(json!({
            "unit_id": "0190f0f0-0000-7000-8000-000000000000", "role": "admin",
            "respondant_staff_id": "x", "person": {"name": "a", "nmae": "b"},
            "people": [{"name": "a"}, {"name": "b", "fone": "1"}]
        }));
        assert_eq!(
            fields(&walk.unknown),
            ["people[1].fone", "person.nmae", "respondant_staff_id"]
        );
        assert!(walk.mistyped.is_empty(), "{:?}", walk.mistyped);
    }

    #[test]
    fn names_missing_and_mistyped_fields() {
        let walk = run(json!({
            "unit_id": null, "role": "boss", "staff_id": "nope", "note": null,
            "people": [{"phone": 3}]
        }));
        assert!(walk.unknown.is_empty());
        assert_eq!(
            fields(&walk.mistyped),
            [
                "unit_id",
                "people[0].name",
                "people[0].phone",
                "role",
                "staff_id"
            ]
        );
        assert_eq!(walk.mistyped[0].message.key(), "field_required");
        assert_eq!(
            walk.mistyped[3].message,
            msg!("field_one_of", allowed = "intake, admin")
        );
        assert_eq!(walk.mistyped[4].message.key(), "field_uuid");
    }

    #[test]
    fn a_fitting_body_has_no_misfits() {
        let walk =
            run(json!({"unit_id": "0190f0f0-0000-7000-8000-000000000000", "role": "intake"}));
        assert!(walk.unknown.is_empty() && walk.mistyped.is_empty());
        assert_eq!(fields(&run(json!([])).mistyped), ["body"]);
    }
}
