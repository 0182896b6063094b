//! Contact details of a complainant, each parsed once into a type that can only hold a valid value.
//!
//! The rules here are mirrored by the patterns in the OpenAPI document (`duban-api`); keep
//! them identical.

/// The pattern the API publishes for phone numbers.
pub const PHONE_PATTERN: &str = r"^\+?[0-9][0-9-]{4,24}$";
/// The pattern the API publishes for e-mail addresses.
pub const EMAIL_PATTERN: &str = r"^[^@\s]+@[^@\s]+$";
pub const EMAIL_MAX: usize = 254;
pub const POSTAL_ADDRESS_MAX: usize = 500;
pub const NAME_MAX: usize = 100;

/// Why a contact detail was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContactError {
    #[error(
        "a phone number is an optional `+`, then 5 to 25 digits or dashes, starting with a digit"
    )]
    Phone,
    #[error("an e-mail address is `name@domain` without spaces, at most 254 characters")]
    Email,
}

/// A call-back number (回电号码).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneNumber(String);

impl PhoneNumber {
    /// # Errors
    /// [`ContactError::Phone`] when `raw` does not match [`PHONE_PATTERN`].
    pub fn parse(raw: &str) -> Result<Self, ContactError> {
        let rest = raw.strip_prefix('+').unwrap_or(raw);
        let mut chars = rest.chars();
        let starts_with_digit = chars.next().is_some_and(|c| c.is_ascii_digit());
        let tail: Vec<char> = chars.collect();
        let tail_ok =
            (4..=24).contains(&tail.len()) && tail.iter().all(|c| c.is_ascii_digit() || *c == '-');
        if starts_with_digit && tail_ok {
            Ok(Self(raw.to_owned()))
        } else {
            Err(ContactError::Phone)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An e-mail address, checked only for shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailAddress(String);

impl EmailAddress {
    /// # Errors
    /// [`ContactError::Email`] when `raw` does not match [`EMAIL_PATTERN`] or is too long.
    pub fn parse(raw: &str) -> Result<Self, ContactError> {
        let mut parts = raw.split('@');
        let well_formed = match (parts.next(), parts.next(), parts.next()) {
            (Some(local), Some(domain), None) => !local.is_empty() && !domain.is_empty(),
            _ => false,
        };
        if well_formed && !raw.chars().any(char::is_whitespace) && raw.chars().count() <= EMAIL_MAX
        {
            Ok(Self(raw.to_owned()))
        } else {
            Err(ContactError::Email)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers() {
        for ok in ["13800138000", "+8613800138000", "010-12345678", "12345"] {
            assert!(PhoneNumber::parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "1234",
            "-12345",
            "+",
            "138 0013 8000",
            "abcde",
            "++12345",
        ] {
            assert!(PhoneNumber::parse(bad).is_err(), "{bad}");
        }
        assert!(PhoneNumber::parse(&"1".repeat(25)).is_ok());
        assert!(PhoneNumber::parse(&"1".repeat(26)).is_err());
    }

    #[test]
    fn email_addresses() {
        assert!(EmailAddress::parse("a@b.cn").is_ok());
        for bad in ["", "a", "@b", "a@", "a@b@c", "a b@c", "a@b c"] {
            assert!(EmailAddress::parse(bad).is_err(), "{bad}");
        }
    }
}
