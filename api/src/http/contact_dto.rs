//! How a staff member is reached on the personal channels: e-mail, mobile phone, language.

use duban_infra::config::Language as InfraLanguage;
use poem_openapi::Enum;

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
