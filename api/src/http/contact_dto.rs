//! How a staff member is reached on the personal channels: e-mail, mobile phone, language.

use duban_infra::config::Language as InfraLanguage;
use duban_infra::notifications::is_deliverable_address;
use poem_openapi::Enum;
use poem_openapi::types::MaybeUndefined;

use super::problem::{ApiError, FieldError};

/// A language notifications are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum Language {
    #[oai(rename = "zh-CN")]
    ZhCn,
    #[oai(rename = "en")]
    En,
}

impl From<Language> for InfraLanguage {
    fn from(l: Language) -> Self {
        match l {
            Language::ZhCn => InfraLanguage::ZhCn,
            Language::En => InfraLanguage::En,
        }
    }
}

impl From<InfraLanguage> for Language {
    fn from(l: InfraLanguage) -> Self {
        match l {
            InfraLanguage::ZhCn => Language::ZhCn,
            InfraLanguage::En => Language::En,
        }
    }
}

/// Refuses an address the mailer could not send to (the schema's pattern lets some through),
/// as a 422 on `field`.
///
/// # Errors
/// [`ApiError`] 422.
pub fn check_email(field: &str, email: Option<&str>) -> Result<(), ApiError> {
    match email {
        Some(address) if !is_deliverable_address(address) => {
            Err(ApiError::invalid_fields(vec![FieldError::new(
                field,
                &duban_domain::msg!("field_not_an_email_address"),
            )]))
        }
        _ => Ok(()),
    }
}

/// A nullable field of a change: absent, unchanged; `null`, removed; a value, set.
pub fn change<T, U>(field: MaybeUndefined<T>, into: impl FnOnce(T) -> U) -> Option<Option<U>> {
    match field {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(v) => Some(Some(into(v))),
    }
}
