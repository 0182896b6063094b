//! Dates and instants as they travel: strings that the schema describes (format and
//! pattern). A value of the wrong shape is malformed (400); a well-shaped but impossible
//! value (`2026-02-31`) is refused as a validation failure (422) naming the field.

use std::borrow::Cow;

use chrono::{DateTime, NaiveDate, Utc};
use poem_openapi::registry::{MetaSchema, MetaSchemaRef};
use poem_openapi::types::{
    ParseError, ParseFromJSON, ParseFromParameter, ParseResult, ToJSON, Type,
};
use serde_json::Value;

use super::problem::{ApiError, FieldError};

macro_rules! wire_string {
    ($(#[$doc:meta])* $name:ident, $format:literal, $pattern:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name(pub String);

        impl Type for $name {
            const IS_REQUIRED: bool = true;
            type RawValueType = Self;
            type RawElementValueType = Self;

            fn name() -> Cow<'static, str> {
                concat!("string_", $format).into()
            }

            fn schema_ref() -> MetaSchemaRef {
                let mut schema = MetaSchema::new_with_format("string", $format);
                schema.pattern = Some($pattern.to_owned());
                MetaSchemaRef::Inline(Box::new(schema))
            }

            fn as_raw_value(&self) -> Option<&Self::RawValueType> {
                Some(self)
            }

            fn raw_element_iter<'a>(&'a self) -> Box<dyn Iterator<Item = &'a Self::RawElementValueType> + 'a> {
                Box::new(std::iter::once(self))
            }
        }

        impl $name {
            fn shaped(value: String) -> ParseResult<Self> {
                static SHAPE: std::sync::LazyLock<Option<regex::Regex>> =
                    std::sync::LazyLock::new(|| regex::Regex::new($pattern).ok());
                if SHAPE.as_ref().is_some_and(|shape| shape.is_match(&value)) {
                    Ok(Self(value))
                } else {
                    Err(ParseError::custom(concat!("must match ", $pattern)))
                }
            }
        }

        impl ParseFromJSON for $name {
            fn parse_from_json(value: Option<Value>) -> ParseResult<Self> {
                match value {
                    Some(Value::String(s)) => Self::shaped(s),
                    Some(other) => Err(ParseError::expected_type(other)),
                    None => Err(ParseError::expected_input()),
                }
            }
        }

        impl ParseFromParameter for $name {
            fn parse_from_parameter(value: &str) -> ParseResult<Self> {
                Self::shaped(value.to_owned())
            }
        }

        impl ToJSON for $name {
            fn to_json(&self) -> Option<Value> {
                Some(Value::String(self.0.clone()))
            }
        }
    };
}

wire_string!(
    /// A calendar date, `YYYY-MM-DD`.
    WireDate,
    "date",
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
);
wire_string!(
    /// An instant, RFC 3339 with offset, e.g. `2026-03-02T09:30:00+08:00`.
    WireInstant,
    "date-time",
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})$"
);

impl WireDate {
    /// # Errors
    /// A field error naming `field` when this is not a real calendar date.
    pub fn parse(&self, field: &str) -> Result<NaiveDate, FieldError> {
        NaiveDate::parse_from_str(&self.0, "%Y-%m-%d")
            .map_err(|_| FieldError::new(field, &duban_domain::msg!("field_date_format")))
    }
}

impl WireInstant {
    /// # Errors
    /// A field error naming `field` when this is not an RFC 3339 instant.
    pub fn parse(&self, field: &str) -> Result<DateTime<Utc>, FieldError> {
        DateTime::parse_from_rfc3339(&self.0)
            .map(|at| at.with_timezone(&Utc))
            .map_err(|_| FieldError::new(field, &duban_domain::msg!("field_instant_format")))
    }
}

/// Both values, or a 422 naming every field that failed.
///
/// # Errors
/// [`ApiError::invalid_fields`].
pub fn both<A, B>(a: Result<A, FieldError>, b: Result<B, FieldError>) -> Result<(A, B), ApiError> {
    match (a, b) {
        (Ok(a), Ok(b)) => Ok((a, b)),
        (a, b) => Err(ApiError::invalid_fields(
            [a.err(), b.err()].into_iter().flatten().collect(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_real_values_and_names_the_field_otherwise() {
        assert!(WireDate("2026-02-28".into()).parse("d").is_ok());
        assert_eq!(
            WireDate("2026-02-31".into())
                .parse("letter_date")
                .map_err(|e| e.field),
            Err("letter_date".into())
        );
        assert!(
            WireInstant("2026-03-02T09:30:00+08:00".into())
                .parse("t")
                .is_ok()
        );
        assert!(WireInstant("2026-03-02 09:30".into()).parse("t").is_err());
    }
}
