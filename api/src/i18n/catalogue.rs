//! The message catalogues, compiled in: `messages/<language>.ftl`, one `key = text` per line
//! with `{ $name }` placeholders (a subset of Fluent syntax, so the files stay valid Fluent).

use std::collections::BTreeMap;
use std::sync::LazyLock;

use duban_domain::message::Arg;

use super::{Language, Message};

pub(super) const ZH_CN: &str = include_str!("messages/zh-CN.ftl");
pub(super) const EN: &str = include_str!("messages/en.ftl");

type Catalogue = BTreeMap<&'static str, &'static str>;

static CATALOGUES: LazyLock<(Catalogue, Catalogue)> = LazyLock::new(|| {
    let load = |language: Language, source: &'static str| {
        parse(source).unwrap_or_else(|e| {
            tracing::error!(language = language.tag(), error = %e, "message catalogue refused");
            Catalogue::new()
        })
    };
    (load(Language::ZhCn, ZH_CN), load(Language::En, EN))
});

fn catalogue(language: Language) -> &'static Catalogue {
    match language {
        Language::ZhCn => &CATALOGUES.0,
        Language::En => &CATALOGUES.1,
    }
}

/// Parses one catalogue; refuses malformed lines, bad keys and repeated keys.
pub(super) fn parse(source: &'static str) -> Result<Catalogue, String> {
    let mut entries = Catalogue::new();
    for (n, line) in source.lines().enumerate() {
        let line = line.trim_end();
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((key, text)) = line.split_once(" = ") else {
            return Err(format!("line {}: not `key = text`", n + 1));
        };
        let valid_key = key.starts_with(|c: char| c.is_ascii_lowercase())
            && key
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-');
        if !valid_key {
            return Err(format!("line {}: bad key `{key}`", n + 1));
        }
        if entries.insert(key, text.trim()).is_some() {
            return Err(format!("line {}: `{key}` given twice", n + 1));
        }
    }
    Ok(entries)
}

/// `message` in the current request's language.
pub fn render(message: &Message) -> String {
    render_in(super::current(), message)
}

/// `message` in `language`; a key missing there is logged and shown from the other catalogue.
pub fn render_in(language: Language, message: &Message) -> String {
    let template = catalogue(language).get(message.key()).or_else(|| {
        tracing::error!(
            key = message.key(),
            language = language.tag(),
            "message missing"
        );
        let other = match language {
            Language::ZhCn => Language::En,
            Language::En => Language::ZhCn,
        };
        catalogue(other).get(message.key())
    });
    match template {
        Some(template) => fill(language, template, message),
        None => message.to_string(),
    }
}

/// Replaces each `{ $name }` with the argument `name`.
fn fill(language: Language, template: &str, message: &Message) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        match after.find('}') {
            Some(end) => {
                let name = after[1..end].trim().trim_start_matches('$');
                match message.get(name) {
                    Some(Arg::Text(text)) => out.push_str(text),
                    Some(Arg::Message(inner)) => out.push_str(&render_in(language, inner)),
                    None => out.push_str(name),
                }
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(after);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// The placeholder names of a template, sorted.
#[cfg(test)]
pub(super) fn placeholders(template: &str) -> Vec<String> {
    let mut names: Vec<String> = template
        .split('{')
        .skip(1)
        .filter_map(|part| part.split_once('}'))
        .map(|(name, _)| name.trim().trim_start_matches('$').to_owned())
        .collect();
    names.sort();
    names
}

#[cfg(test)]
#[path = "catalogue_tests.rs"]
mod tests;
