//! Keyset pagination: `limit` and an opaque cursor naming the last item of the previous page.

use uuid::Uuid;

use super::problem::ApiError;

pub const DEFAULT_LIMIT: u32 = 50;
pub const MAX_LIMIT: u32 = 200;

/// Decodes a cursor this service issued.
///
/// # Errors
/// 400 for anything else.
pub fn decode_cursor(cursor: Option<&str>) -> Result<Option<Uuid>, ApiError> {
    cursor
        .map(|c| {
            c.strip_prefix("k1.")
                .and_then(|hex| Uuid::try_parse(hex).ok())
                .ok_or_else(|| ApiError::bad_request(duban_domain::msg!("cursor_invalid")))
        })
        .transpose()
}

/// The cursor after the item with `id`.
pub fn encode_cursor(id: Uuid) -> String {
    format!("k1.{}", id.simple())
}

/// Splits `fetched` (asked for `limit + 1`) into the page and the next cursor.
pub fn page<T>(
    mut fetched: Vec<T>,
    limit: u32,
    id_of: impl Fn(&T) -> Uuid,
) -> (Vec<T>, Option<String>) {
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    if fetched.len() > limit {
        fetched.truncate(limit);
        let next = fetched.last().map(|last| encode_cursor(id_of(last)));
        (fetched, next)
    } else {
        (fetched, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_foreign_ones_are_refused() {
        let id = Uuid::now_v7();
        assert_eq!(decode_cursor(Some(&encode_cursor(id))).ok(), Some(Some(id)));
        assert!(decode_cursor(Some("abc")).is_err());
        let (items, next) = page(vec![1, 2, 3], 2, |_| id);
        assert_eq!(items, vec![1, 2]);
        assert!(next.is_some());
        assert_eq!(page(vec![1, 2], 2, |_| id).1, None);
    }
}
