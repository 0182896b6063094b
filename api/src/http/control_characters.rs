//! Refuses control characters (NUL included) in the strings a request carries, before any
//! of them reaches the database: PostgreSQL cannot store NUL, and no field has a use for
//! the others. Free-text fields (accounts, reasons, notes, …) may hold tabs and line breaks
//! (`\n`, or `\r\n`); names, usernames, passwords, query parameters and other single-line
//! values none. The answer is 422 `validation_failed` naming every refused field.

use poem::http::header;
use poem::{Body, Endpoint, IntoResponse, Middleware, Request, Response, Result};
use serde_json::Value;

use super::problem::{ApiError, FieldError};

/// Fields of request bodies that hold free text and so may contain tabs and line breaks.
const FREE_TEXT_FIELDS: &[&str] = &[
    "account",
    "basis",
    "content",
    "explanation",
    "findings",
    "justification",
    "next_opinion",
    "note",
    "opinion",
    "outcome",
    "people_involved",
    "postal_address",
    "reason",
    "reasons",
    "rectification",
    "referral",
    "remarks",
    "result",
    "rule_broken",
    "text",
];

/// See the module documentation.
#[derive(Debug, Clone, Copy, Default)]
pub struct ControlCharacters;

impl<E: Endpoint> Middleware<E> for ControlCharacters {
    type Output = ControlCharactersEndpoint<E>;

    fn transform(&self, ep: E) -> Self::Output {
        ControlCharactersEndpoint { inner: ep }
    }
}

pub struct ControlCharactersEndpoint<E> {
    inner: E,
}

impl<E: Endpoint> Endpoint for ControlCharactersEndpoint<E> {
    type Output = Response;

    async fn call(&self, mut req: Request) -> Result<Self::Output> {
        let mut refused = req.uri().query().map(refused_in_query).unwrap_or_default();
        if is_json(&req) {
            // The body is already bounded by the request limits.
            let bytes = req.take_body().into_bytes().await.unwrap_or_default();
            if let Ok(value) = serde_json::from_slice::<Value>(&bytes) {
                refused_in_json(&value, "", false, &mut refused);
            }
            req.set_body(Body::from_bytes(bytes));
        }
        if !refused.is_empty() {
            return Ok(ApiError::invalid_fields(refused).into_response());
        }
        self.inner.call(req).await.map(IntoResponse::into_response)
    }
}

fn is_json(req: &Request) -> bool {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .is_some_and(|v| v == "application/json" || v.ends_with("+json"))
}

fn refused_in_query(query: &str) -> Vec<FieldError> {
    form_urlencoded::parse(query.as_bytes())
        .filter(|(name, value)| !clean(name, false) || !clean(value, false))
        .map(|(name, _)| refusal(name.chars().filter(|c| !c.is_control()).collect(), false))
        .collect()
}

/// Collects the refused strings of `value`, found at `path` (dotted, `[i]` for items).
fn refused_in_json(value: &Value, path: &str, free_text: bool, refused: &mut Vec<FieldError>) {
    match value {
        Value::String(s) if !clean(s, free_text) => {
            refused.push(refusal(path.to_owned(), free_text));
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                refused_in_json(item, &format!("{path}[{i}]"), free_text, refused);
            }
        }
        Value::Object(fields) => {
            for (name, item) in fields {
                let shown: String = name.chars().filter(|c| !c.is_control()).collect();
                let field = if path.is_empty() {
                    shown
                } else {
                    format!("{path}.{shown}")
                };
                if !clean(name, false) {
                    refused.push(refusal(field, false));
                    continue;
                }
                refused_in_json(
                    item,
                    &field,
                    FREE_TEXT_FIELDS.contains(&name.as_str()),
                    refused,
                );
            }
        }
        _ => {}
    }
}

/// No control characters; in free text, tabs and line breaks (`\n`, `\r\n`) are allowed.
fn clean(s: &str, free_text: bool) -> bool {
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        let allowed = !c.is_control()
            || (free_text
                && (c == '\t' || c == '\n' || (c == '\r' && chars.peek() == Some(&'\n'))));
        if !allowed {
            return false;
        }
    }
    true
}

fn refusal(field: String, free_text: bool) -> FieldError {
    let message = if free_text {
        duban_domain::msg!("field_control_characters_free_text")
    } else {
        duban_domain::msg!("field_control_characters")
    };
    FieldError::new(field, &message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_text_keeps_tabs_and_line_breaks_only() {
        assert!(clean("line one\r\nline two\n\tindented", true));
        assert!(!clean("a\0b", true));
        assert!(!clean("a\rb", true), "a lone carriage return");
        assert!(!clean("a\u{1b}[2J", true));
        assert!(!clean("a\u{85}b", true), "C1 controls too");
        assert!(!clean("a\tb", false));
        assert!(!clean("a\nb", false));
        assert!(clean("张三 O'Brien", false));
    }

    #[test]
    fn names_nested_fields_and_items() {
        let body = serde_json::json!({
            "account": "first\nsecond",
            "complainant": {"name": "Zhao\u{0}"},
            "measures": ["ok", "bad\n"],
        });
        let mut refused = Vec::new();
        refused_in_json(&body, "", false, &mut refused);
        let fields: Vec<&str> = refused.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["complainant.name", "measures[1]"]);
    }

    #[test]
    fn names_refused_query_parameters() {
        let refused = refused_in_query("text=a%00b&status=accepted&q=%09");
        let fields: Vec<&str> = refused.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["text", "q"]);
    }
}
