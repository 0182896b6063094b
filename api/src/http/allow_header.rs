//! The `Allow` header for 405 answers (RFC 9110), built once from the OpenAPI paths.

use serde_json::Value;

/// For each path template, the methods it serves.
#[derive(Debug, Default)]
pub struct AllowTable(Vec<(Vec<Option<String>>, String)>);

impl AllowTable {
    /// Reads the `paths` of an OpenAPI document; `{param}` segments match any segment.
    pub fn from_spec(spec: &Value) -> Self {
        let mut table = Vec::new();
        if let Some(paths) = spec["paths"].as_object() {
            for (template, operations) in paths {
                let segments = template
                    .split('/')
                    .map(|s| (!s.starts_with('{')).then(|| s.to_owned()))
                    .collect();
                let methods: Vec<String> = operations
                    .as_object()
                    .map(|ops| ops.keys().map(|m| m.to_uppercase()).collect())
                    .unwrap_or_default();
                table.push((segments, methods.join(", ")));
            }
        }
        Self(table)
    }

    /// The `Allow` value for a request path, if a template matches it.
    pub fn allow_for(&self, path: &str) -> Option<&str> {
        let path = path
            .strip_suffix('/')
            .filter(|p| !p.is_empty())
            .unwrap_or(path);
        let parts: Vec<&str> = path.split('/').collect();
        self.0
            .iter()
            .find(|(segments, _)| {
                segments.len() == parts.len()
                    && segments
                        .iter()
                        .zip(&parts)
                        .all(|(s, p)| s.as_deref().is_none_or(|s| s == *p))
            })
            .map(|(_, allow)| allow.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_templates_and_lists_methods() {
        let spec = serde_json::json!({"paths": {
            "/api/v1/units/{id}": {"get": {}, "patch": {}},
            "/api/v1/units": {"get": {}, "post": {}}
        }});
        let table = AllowTable::from_spec(&spec);
        assert_eq!(table.allow_for("/api/v1/units/abc"), Some("GET, PATCH"));
        assert_eq!(table.allow_for("/api/v1/units"), Some("GET, POST"));
        assert_eq!(table.allow_for("/api/v1/units/"), Some("GET, POST"));
        assert_eq!(table.allow_for("/api/v1/nope"), None);
    }
}
