//! ETags from resource versions, and `If-Match` back into versions.

use super::problem::ApiError;

/// The strong ETag of a resource version: `"<version>"`.
pub fn etag(version: i64) -> String {
    format!("\"{version}\"")
}

/// The version an `If-Match` header names; `None` when absent or `*`.
///
/// # Errors
/// 400 when the header is not a single ETag this service issued.
pub fn if_match(header: Option<&str>) -> Result<Option<i64>, ApiError> {
    let Some(raw) = header.map(str::trim) else {
        return Ok(None);
    };
    if raw == "*" {
        return Ok(None);
    }
    raw.strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .and_then(|v| v.parse::<i64>().ok())
        .map(Some)
        .ok_or_else(|| {
            ApiError::bad_request("If-Match must be an ETag this service issued, e.g. \"3\"")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_versions() {
        assert_eq!(if_match(Some(&etag(7))).ok(), Some(Some(7)));
        assert_eq!(if_match(None).ok(), Some(None));
        assert_eq!(if_match(Some("*")).ok(), Some(None));
        assert!(if_match(Some("7")).is_err());
        assert!(if_match(Some("W/\"7\"")).is_err());
    }
}
