//! The SMS gateway's request templates: `{to}`, `{text}` and `{message_id}` replaced by the
//! message's values, each written as the place it lands in requires.

use std::borrow::Cow;
use std::fmt::Write;

/// The placeholders a template may use.
pub const PLACEHOLDERS: [&str; 3] = ["to", "text", "message_id"];

/// How a value is written into a template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Escaping {
    /// Inside a JSON string: `"` → `\"`, line breaks → `\n`, …
    Json,
    /// `application/x-www-form-urlencoded`: space → `+`, others as `%XX` of their UTF-8.
    Form,
    /// Inside XML text or an attribute: `&` → `&amp;`, `<` → `&lt;`, …
    Xml,
    /// In a URL: everything but `A–Z a–z 0–9 - . _ ~` as `%XX` of its UTF-8.
    Url,
    /// As it is (`text/plain`).
    Verbatim,
}

impl Escaping {
    /// The escaping of a body of `content_type`, or `None` for a type we cannot write into.
    #[must_use]
    pub fn for_content_type(content_type: &str) -> Option<Self> {
        let media_type = content_type
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        match media_type.as_str() {
            "application/json" => Some(Self::Json),
            "application/x-www-form-urlencoded" => Some(Self::Form),
            "application/xml" | "text/xml" => Some(Self::Xml),
            "text/plain" => Some(Self::Verbatim),
            other if other.ends_with("+json") => Some(Self::Json),
            other if other.ends_with("+xml") => Some(Self::Xml),
            _ => None,
        }
    }

    /// `value` written for this place.
    #[must_use]
    pub fn escape(self, value: &str) -> String {
        match self {
            Self::Json => {
                let quoted = serde_json::Value::from(value).to_string();
                quoted[1..quoted.len() - 1].to_owned()
            }
            Self::Form => percent_encode(value, b"*-._", true),
            Self::Url => percent_encode(value, b"-._~", false),
            Self::Xml => value
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
                .replace('"', "&quot;")
                .replace('\'', "&apos;"),
            Self::Verbatim => value.to_owned(),
        }
    }
}

/// `value`'s UTF-8 with every byte but ASCII letters, digits and `kept` as `%XX`; a space as
/// `+` when `plus_for_space`.
fn percent_encode(value: &str, kept: &[u8], plus_for_space: bool) -> String {
    let mut encoded = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || kept.contains(&byte) {
            encoded.push(char::from(byte));
        } else if byte == b' ' && plus_for_space {
            encoded.push('+');
        } else {
            let _ = write!(encoded, "%{byte:02X}");
        }
    }
    encoded
}

/// The values of one message.
#[derive(Debug, Clone, Copy)]
pub struct Values<'a> {
    pub to: &'a str,
    pub text: &'a str,
    pub message_id: &'a str,
}

impl Values<'_> {
    fn get(&self, placeholder: &str) -> Option<&str> {
        match placeholder {
            "to" => Some(self.to),
            "text" => Some(self.text),
            "message_id" => Some(self.message_id),
            _ => None,
        }
    }
}

/// The `{name}`s of `template` whose name is a word (letters, digits, `_`), in order: JSON's
/// own braces (`{"to": …}`) are not placeholders.
fn placeholders(template: &str) -> impl Iterator<Item = (usize, &str)> {
    template.match_indices('{').filter_map(|(at, _)| {
        let rest = &template[at + 1..];
        let end = rest.find('}')?;
        let name = &rest[..end];
        let is_word =
            !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        is_word.then_some((at, name))
    })
}

/// The first `{word}` of `template` that is not one of [`PLACEHOLDERS`].
#[must_use]
pub fn unknown_placeholder(template: &str) -> Option<&str> {
    placeholders(template)
        .map(|(_, name)| name)
        .find(|name| !PLACEHOLDERS.contains(name))
}

/// Whether `template` uses `{name}`.
#[must_use]
pub fn uses(template: &str, name: &str) -> bool {
    placeholders(template).any(|(_, found)| found == name)
}

/// `template` with each placeholder replaced by its escaped value, in one pass (a value that
/// itself reads `{to}` stays as it is).
#[must_use]
pub fn substitute(template: &str, values: &Values<'_>, escaping: Escaping) -> String {
    let mut out = String::with_capacity(template.len() + values.text.len());
    let mut copied = 0;
    for (at, name) in placeholders(template) {
        let Some(value) = values.get(name) else {
            continue;
        };
        out.push_str(&template[copied..at]);
        out.push_str(&escaping.escape(value));
        copied = at + name.len() + 2;
    }
    out.push_str(&template[copied..]);
    out
}

/// `text` cut to at most `max_chars` characters (Unicode scalar values, not bytes), ending
/// with "…" when cut.
#[must_use]
pub fn cut(text: &str, max_chars: usize) -> Cow<'_, str> {
    if text.chars().count() <= max_chars {
        return Cow::Borrowed(text);
    }
    let mut kept: String = text.chars().take(max_chars.saturating_sub(1)).collect();
    kept.truncate(kept.trim_end().len());
    kept.push('…');
    Cow::Owned(kept)
}

#[cfg(test)]
mod tests {
    use super::*;

    const VALUES: Values<'static> = Values {
        to: "+86 138-0013-8000",
        text: "请于\"3月5日\"前答复 & 回执 <b>\n第2行",
        message_id: "0190-ab",
    };

    #[test]
    fn json_values_are_json_string_contents() {
        let body = substitute(
            r#"{"mobile": "{to}", "content": "{text}", "id": "{message_id}"}"#,
            &VALUES,
            Escaping::Json,
        );
        let parsed: serde_json::Value =
            serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"));
        assert_eq!(parsed["mobile"], VALUES.to);
        assert_eq!(parsed["content"], VALUES.text);
        assert_eq!(parsed["id"], VALUES.message_id);
    }

    #[test]
    fn form_values_are_form_urlencoded() {
        let body = substitute("mobile={to}&msg={text}", &VALUES, Escaping::Form);
        assert_eq!(
            body,
            "mobile=%2B86+138-0013-8000&msg=%E8%AF%B7%E4%BA%8E%223%E6%9C%885%E6%97%A5%22\
             %E5%89%8D%E7%AD%94%E5%A4%8D+%26+%E5%9B%9E%E6%89%A7+%3Cb%3E%0A%E7%AC%AC2%E8%A1%8C"
        );
    }

    #[test]
    fn url_values_are_percent_encoded_with_spaces_too() {
        let url = substitute(
            "https://g.example/send?to={to}&id={message_id}",
            &VALUES,
            Escaping::Url,
        );
        assert_eq!(
            url,
            "https://g.example/send?to=%2B86%20138-0013-8000&id=0190-ab"
        );
    }

    #[test]
    fn xml_values_are_entities_and_plain_values_are_verbatim() {
        let values = Values {
            text: "a<b & \"c\" 'd'>",
            ..VALUES
        };
        assert_eq!(
            substitute("<m>{text}</m>", &values, Escaping::Xml),
            "<m>a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;</m>"
        );
        assert_eq!(
            substitute("{text}", &values, Escaping::Verbatim),
            values.text
        );
    }

    #[test]
    fn a_value_reading_like_a_placeholder_is_not_substituted_again() {
        let values = Values {
            text: "{to}",
            ..VALUES
        };
        assert_eq!(
            substitute("{text}|{to}", &values, Escaping::Verbatim),
            "{to}|+86 138-0013-8000"
        );
    }

    #[test]
    fn unknown_placeholders_are_found_and_json_braces_are_not_placeholders() {
        assert_eq!(
            unknown_placeholder(r#"{"to": "{to}", "x": "{phone}"}"#),
            Some("phone")
        );
        assert_eq!(
            unknown_placeholder(r#"{"to": "{to}", "n": {"a": 1}}"#),
            None
        );
        assert!(uses("a={text}", "text"));
        assert!(!uses("a={texts}", "text"));
    }

    #[test]
    fn content_types_choose_the_escaping() {
        for (content_type, escaping) in [
            ("application/json", Some(Escaping::Json)),
            ("Application/JSON; charset=utf-8", Some(Escaping::Json)),
            ("application/vnd.gateway+json", Some(Escaping::Json)),
            (
                "application/x-www-form-urlencoded;charset=UTF-8",
                Some(Escaping::Form),
            ),
            ("text/xml; charset=utf-8", Some(Escaping::Xml)),
            ("application/soap+xml", Some(Escaping::Xml)),
            ("text/plain", Some(Escaping::Verbatim)),
            ("multipart/form-data", None),
        ] {
            assert_eq!(
                Escaping::for_content_type(content_type),
                escaping,
                "{content_type}"
            );
        }
    }

    #[test]
    fn text_is_cut_in_characters_with_an_ellipsis() {
        let text = "您有一件新的督办单，请在三个工作日内签收。";
        assert_eq!(text.chars().count(), 21);
        assert_eq!(cut(text, 21), text);
        assert_eq!(cut(text, 30), text);
        let cut_text = cut(text, 10);
        assert_eq!(cut_text, "您有一件新的督办单…");
        assert_eq!(cut_text.chars().count(), 10);
        assert_eq!(cut("ab cd", 4), "ab…");
        assert_eq!(cut("abc", 1), "…");
    }
}
