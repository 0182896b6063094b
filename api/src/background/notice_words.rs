//! The words of e-mail and SMS notices, from the message catalogues.

use duban_domain::notification::Topic;
use duban_infra::config::Language;
use duban_infra::notifications::{NoticeRenderer, RenderedNotice};

use crate::i18n::render_in;

/// Renders a topic's words in the recipient's language, else the service's default.
pub struct CatalogueWords {
    pub default_language: Language,
}

impl NoticeRenderer for CatalogueWords {
    fn render(
        &self,
        topic: Topic,
        fact: &dyn Fn(&str) -> String,
        language: Option<Language>,
    ) -> RenderedNotice {
        let language = language.unwrap_or(self.default_language);
        let words = render_in(language, &topic.words(fact));
        let footer = render_in(language, &duban_domain::msg!("notice_footer"));
        RenderedNotice {
            subject: words.clone(),
            text: format!("{words}\n\n{footer}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_follow_the_recipients_language_else_the_default() {
        let words = CatalogueWords {
            default_language: Language::ZhCn,
        };
        let fact = |name: &str| match name {
            "number" => "TS-9".to_owned(),
            _ => String::new(),
        };
        let english = words.render(Topic::OrderSigned, &fact, Some(Language::En));
        assert!(english.subject.contains("TS-9"), "{english:?}");
        assert!(english.text.starts_with(&english.subject));
        let chinese = words.render(Topic::OrderSigned, &fact, None);
        assert_ne!(chinese.subject, english.subject);
        assert!(chinese.subject.contains("TS-9"), "{chinese:?}");
    }
}
