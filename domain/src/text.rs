//! Bounded, non-blank text: the shape of almost every free-text field.

/// Why a piece of text was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("must not be blank")]
    Blank,
    #[error("must be at most {max} characters")]
    TooLong { max: usize },
}

/// Accepts `raw` when it holds a non-whitespace character and at most `max` characters.
/// The text is kept as given (not trimmed), so what the person wrote is what is stored.
///
/// # Errors
/// [`TextError::Blank`] or [`TextError::TooLong`].
pub fn bounded(raw: &str, max: usize) -> Result<String, TextError> {
    if raw.trim().is_empty() {
        return Err(TextError::Blank);
    }
    if raw.chars().count() > max {
        return Err(TextError::TooLong { max });
    }
    Ok(raw.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_blank_and_over_long_text() {
        assert_eq!(bounded("  \n", 10), Err(TextError::Blank));
        assert_eq!(bounded("", 10), Err(TextError::Blank));
        assert_eq!(bounded("abcdef", 5), Err(TextError::TooLong { max: 5 }));
        assert_eq!(bounded("投诉事项", 4), Ok("投诉事项".to_owned()));
    }
}
