//! Refuses a malformed `If-Match` before any operation runs: 400 problem details naming the
//! header, instead of a value the operation would silently ignore (not visible ASCII) or read
//! as version 0 (not an entity tag, or a version too large to be one this service issued).
//! It is checked after authentication: a caller without a valid token gets the operation's
//! 401, whatever the header says.

use poem::http::header::IF_MATCH;
use poem::{Endpoint, IntoResponse, Middleware, Request, Response, Result};

use super::problem::ApiError;
use crate::state::AppState;

/// The shape the OpenAPI document gives `If-Match`: `*` or one entity tag of visible ASCII
/// whose opaque part (at most 18 characters, so a version always fits) has no quote. An empty
/// value matches no version: 412 once the resource is found.
pub const PATTERN: &str = r#"^(\*|(W/)?"[!#-~]{0,18}")?$"#;

/// Why an `If-Match` header is refused; `None` when it is absent, `*` or one entity tag.
pub fn problem_with(req: &Request) -> Option<duban_domain::message::Message> {
    let mut values = req.headers().get_all(IF_MATCH).iter();
    let value = values.next()?;
    if values.next().is_some() {
        return Some(duban_domain::msg!("if_match_several"));
    }
    let Ok(text) = value.to_str() else {
        return Some(duban_domain::msg!("if_match_not_ascii"));
    };
    let text = text.trim();
    if text.is_empty() || text == "*" {
        return None;
    }
    let Some(opaque) = text
        .strip_prefix("W/")
        .unwrap_or(text)
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .filter(|t| !t.contains('"'))
    else {
        return Some(duban_domain::msg!(
            "if_match_not_an_etag",
            value = format!("{text:?}")
        ));
    };
    if !opaque.is_empty()
        && opaque.bytes().all(|b| b.is_ascii_digit())
        && opaque.parse::<i64>().is_err()
    {
        return Some(duban_domain::msg!("if_match_too_large", version = opaque));
    }
    None
}

/// See the module documentation.
pub struct IfMatchCheck;

impl<E: Endpoint> Middleware<E> for IfMatchCheck {
    type Output = IfMatchCheckEndpoint<E>;

    fn transform(&self, ep: E) -> Self::Output {
        IfMatchCheckEndpoint { inner: ep }
    }
}

pub struct IfMatchCheckEndpoint<E> {
    inner: E,
}

impl<E: Endpoint> Endpoint for IfMatchCheckEndpoint<E> {
    type Output = Response;

    async fn call(&self, req: Request) -> Result<Self::Output> {
        if let Some(detail) = problem_with(&req) {
            let authenticated = match req.data::<std::sync::Arc<AppState>>() {
                Some(state) => super::idempotency::caller(state, &req).await.is_some(),
                None => false,
            };
            if authenticated {
                return Ok(ApiError::bad_request(detail).into_response());
            }
        }
        self.inner.call(req).await.map(IntoResponse::into_response)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(value: &str) -> Option<&'static str> {
        problem_with(&Request::builder().header(IF_MATCH, value).finish()).map(|m| m.key())
    }

    #[test]
    fn accepts_entity_tags_and_refuses_the_rest() {
        for good in ["\"7\"", "*", " \"7\" ", "W/\"7\"", "\"abc\""] {
            assert_eq!(check(good), None, "{good}");
        }
        for bad in ["7", "\"7", "\"1\", \"2\"", "\"99999999999999999999\""] {
            assert!(
                check(bad).is_some_and(|k| k.starts_with("if_match_")),
                "{bad}"
            );
        }
        assert_eq!(problem_with(&Request::builder().finish()), None);
    }

    #[test]
    fn the_documented_pattern_admits_only_what_the_check_accepts() {
        let documented = regex::Regex::new(PATTERN).unwrap_or_else(|e| panic!("{e}"));
        for value in [
            "*",
            "\"7\"",
            "W/\"7\"",
            "\"\"",
            "\"abc\"",
            "\"999999999999999999\"",
            "7",
            "",
            "\"7",
            "\"1\", \"2\"",
            "\"99999999999999999999\"",
            "W/\",r8-\", \"then\"",
        ] {
            if documented.is_match(value) {
                assert_eq!(check(value), None, "{value}");
            }
        }
        assert!(documented.is_match(""));
        assert!(!documented.is_match("\"99999999999999999999\""));
    }
}
