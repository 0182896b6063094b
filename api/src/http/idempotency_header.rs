//! The `Idempotency-Key` header as operations declare it, so that the OpenAPI document shows
//! it on every `POST` it applies to; [`super::idempotency`] does the work before the operation
//! runs.

use std::borrow::Cow;

use poem_openapi::registry::{MetaSchema, MetaSchemaRef};
use poem_openapi::types::{ParseFromParameter, ParseResult, Type};

/// An `Idempotency-Key` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyKey(pub String);

impl Type for IdempotencyKey {
    const IS_REQUIRED: bool = true;
    type RawValueType = String;
    type RawElementValueType = String;

    fn name() -> Cow<'static, str> {
        "string".into()
    }

    fn schema_ref() -> MetaSchemaRef {
        let mut schema = MetaSchema::new("string");
        schema.description = Some(
            "Optional key of the caller's choosing: a retry with the same key and body gets \
             the first success again, as first sent (`Idempotent-Replayed: true`); the same \
             key with another body or operation is refused (422). Keys are per caller.",
        );
        schema.min_length = Some(1);
        schema.max_length = Some(255);
        schema.pattern = Some(r"^[\x21-\x7e]+$".to_owned());
        MetaSchemaRef::Inline(Box::new(schema))
    }

    fn as_raw_value(&self) -> Option<&Self::RawValueType> {
        Some(&self.0)
    }

    fn raw_element_iter<'a>(
        &'a self,
    ) -> Box<dyn Iterator<Item = &'a Self::RawElementValueType> + 'a> {
        Box::new(std::iter::once(&self.0))
    }
}

impl ParseFromParameter for IdempotencyKey {
    fn parse_from_parameter(value: &str) -> ParseResult<Self> {
        Ok(IdempotencyKey(value.to_owned()))
    }
}
