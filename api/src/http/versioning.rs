//! ETags from resource versions, and `If-Match` back into versions.

/// The strong ETag of a resource version: `"<version>"`.
pub fn etag(version: i64) -> String {
    format!("\"{version}\"")
}

/// The version an `If-Match` header names; `None` when absent or `*`. A malformed value never
/// gets here ([`super::if_match_check`] answers 400). An entity tag this service did not issue
/// (weak, not a number) names version 0, which no resource has, so it fails as a stale
/// precondition (412) once the resource was found (RFC 9110, 13.1.1).
pub fn if_match(header: Option<&str>) -> Option<i64> {
    let raw = header.map(str::trim)?;
    if raw == "*" {
        return None;
    }
    Some(
        raw.strip_prefix('"')
            .and_then(|r| r.strip_suffix('"'))
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_versions() {
        assert_eq!(if_match(Some(&etag(7))), Some(7));
        assert_eq!(if_match(None), None);
        assert_eq!(if_match(Some("*")), None);
        assert_eq!(if_match(Some("7")), Some(0));
        assert_eq!(if_match(Some("W/\"7\"")), Some(0));
        assert_eq!(if_match(Some("")), Some(0));
    }
}
