//! Checks JSON request bodies against the OpenAPI document before an operation runs: a field
//! the schema does not name is refused with 422 listing every such field (so a misspelt
//! optional field is never silently dropped), and when poem cannot parse a body its 400 names
//! the missing or mistyped fields as they are spelt on the wire.

use std::sync::Arc;

use poem::http::StatusCode;
use poem::{Endpoint, IntoResponse, Middleware, Request, Response, Result};
use poem_openapi::error::ParseRequestPayloadError;
use poem_openapi::payload::Json;
use serde_json::Value;

use super::body_walk::{Misfit, walk};
use super::problem::{ApiError, FieldError, problem};

/// For each operation with a JSON body: its path template, method and body schema.
#[derive(Debug, Default)]
pub struct BodyShapes {
    schemas: Value,
    routes: Vec<(Vec<Option<String>>, String, Value)>,
}

impl BodyShapes {
    /// Reads the operations of an OpenAPI document; `{param}` segments match any segment.
    pub fn from_spec(spec: &Value) -> Self {
        let mut routes = Vec::new();
        for (template, operations) in spec["paths"].as_object().into_iter().flatten() {
            let segments: Vec<Option<String>> = template
                .split('/')
                .map(|s| (!s.starts_with('{')).then(|| s.to_owned()))
                .collect();
            for (method, operation) in operations.as_object().into_iter().flatten() {
                let content = operation["requestBody"]["content"].as_object();
                let json = content.into_iter().flatten().find(|(kind, _)| {
                    kind.split(';')
                        .next()
                        .is_some_and(|k| k.trim() == "application/json")
                });
                if let Some((_, media)) = json {
                    let schema = media["schema"].clone();
                    routes.push((segments.clone(), method.to_uppercase(), schema));
                }
            }
        }
        Self {
            schemas: spec["components"]["schemas"].clone(),
            routes,
        }
    }

    fn schema_for(&self, method: &str, path: &str) -> Option<&Value> {
        let path = path
            .strip_suffix('/')
            .filter(|p| !p.is_empty())
            .unwrap_or(path);
        let parts: Vec<&str> = path.split('/').collect();
        self.routes
            .iter()
            .find(|(segments, m, _)| {
                m == method
                    && segments.len() == parts.len()
                    && segments
                        .iter()
                        .zip(&parts)
                        .all(|(s, p)| s.as_deref().is_none_or(|s| s == *p))
            })
            .map(|(_, _, schema)| schema)
    }
}

/// See the module documentation.
pub struct BodyCheck {
    pub shapes: Arc<BodyShapes>,
}

impl<E: Endpoint> Middleware<E> for BodyCheck {
    type Output = BodyCheckEndpoint<E>;

    fn transform(&self, ep: E) -> Self::Output {
        BodyCheckEndpoint {
            inner: ep,
            shapes: self.shapes.clone(),
        }
    }
}

pub struct BodyCheckEndpoint<E> {
    inner: E,
    shapes: Arc<BodyShapes>,
}

fn is_json(req: &Request) -> bool {
    req.content_type().is_some_and(|c| {
        let essence = c.split(';').next().unwrap_or_default().trim();
        essence.eq_ignore_ascii_case("application/json") || essence.ends_with("+json")
    })
}

fn field_errors(misfits: Vec<Misfit>) -> Vec<FieldError> {
    misfits
        .into_iter()
        .map(|m| FieldError::new(m.field, &m.message))
        .collect()
}

/// A 400 naming every missing or mistyped field.
fn bad_fields(misfits: Vec<Misfit>) -> Response {
    let errors = field_errors(misfits);
    let detail = errors
        .iter()
        .map(|e| format!("{}: {}", e.field, e.message))
        .collect::<Vec<_>>()
        .join("; ");
    let mut body = problem(
        StatusCode::BAD_REQUEST,
        "invalid_request",
        &duban_domain::msg!("verbatim", text = detail),
    );
    body.errors = Some(errors);
    ApiError::BadRequest(Json(body)).into_response()
}

impl<E: Endpoint> Endpoint for BodyCheckEndpoint<E> {
    type Output = Response;

    async fn call(&self, mut req: Request) -> Result<Self::Output> {
        let schema = match self
            .shapes
            .schema_for(req.method().as_str(), req.uri().path())
        {
            Some(schema) if is_json(&req) => schema,
            _ => return self.inner.call(req).await.map(IntoResponse::into_response),
        };
        let bytes = req.take_body().into_bytes().await?;
        let body: Option<Value> = serde_json::from_slice(&bytes).ok();
        req.set_body(bytes);
        let Some(body) = body else {
            return self.inner.call(req).await.map(IntoResponse::into_response);
        };
        let found = walk(&self.shapes.schemas, schema, &body);
        if !found.unknown.is_empty() {
            return Ok(ApiError::invalid_fields(field_errors(found.unknown)).into_response());
        }
        match self.inner.call(req).await {
            Ok(output) => Ok(output.into_response()),
            Err(err) if err.is::<ParseRequestPayloadError>() && !found.mistyped.is_empty() => {
                Ok(bad_fields(found.mistyped))
            }
            Err(err) => Err(err),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_body_schema_by_method_and_template() {
        let spec = serde_json::json!({"paths": {
            "/api/v1/units/{id}": {"get": {}, "patch": {"requestBody": {"content": {
                "application/json; charset=utf-8": {"schema": {"$ref": "#/components/schemas/UpdateUnit"}}}}}}
        }});
        let shapes = BodyShapes::from_spec(&spec);
        assert!(shapes.schema_for("PATCH", "/api/v1/units/abc").is_some());
        assert!(shapes.schema_for("GET", "/api/v1/units/abc").is_none());
        assert!(shapes.schema_for("PATCH", "/api/v1/units").is_none());
    }
}
