//! The catalogues agree with each other and with the code.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::*;
use duban_domain::msg;

fn both() -> (Catalogue, Catalogue) {
    (
        parse(ZH_CN).expect("zh-CN.ftl parses"),
        parse(EN).expect("en.ftl parses"),
    )
}

#[test]
fn every_message_exists_in_both_languages() {
    let (zh, en) = both();
    let only_zh: Vec<_> = zh.keys().filter(|k| !en.contains_key(*k)).collect();
    let only_en: Vec<_> = en.keys().filter(|k| !zh.contains_key(*k)).collect();
    assert!(only_zh.is_empty(), "only in zh-CN.ftl: {only_zh:?}");
    assert!(only_en.is_empty(), "only in en.ftl: {only_en:?}");
}

#[test]
fn both_languages_take_the_same_arguments() {
    let (zh, en) = both();
    for (key, text) in &en {
        let zh_text = zh.get(key).copied().unwrap_or_default();
        assert_eq!(
            placeholders(text),
            placeholders(zh_text),
            "`{key}`: en `{text}` / zh-CN `{zh_text}`"
        );
    }
}

#[test]
fn chinese_messages_are_translated() {
    let (zh, en) = both();
    for (key, text) in &zh {
        let has_han = text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        let only_arguments = !placeholders(text).is_empty()
            && text.chars().all(|c| !c.is_alphabetic() || c.is_ascii())
            && en.get(key) == Some(text);
        assert!(
            has_han || only_arguments,
            "`{key}` is not translated: {text}"
        );
    }
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable source directory") {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every `msg!("key"…)` in the workspace's sources.
fn keys_used_in_code() -> BTreeSet<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for krate in ["domain", "infra", "api"] {
        rust_files(&root.join(krate).join("src"), &mut files);
    }
    let mut keys = BTreeSet::new();
    for file in files
        .iter()
        .filter(|f| !f.ends_with("i18n/catalogue_tests.rs"))
    {
        let source = std::fs::read_to_string(file).expect("readable source");
        for (at, _) in source.match_indices("msg!(") {
            let rest = source[at + 5..].trim_start();
            let Some(rest) = rest.strip_prefix('"') else {
                continue;
            };
            if let Some(end) = rest.find('"') {
                keys.insert(rest[..end].to_owned());
            }
        }
    }
    keys
}

#[test]
fn every_key_used_in_code_is_in_the_catalogues_and_every_entry_is_used() {
    let (zh, en) = both();
    let used = keys_used_in_code();
    assert!(used.len() > 100, "keys not found in the sources: {used:?}");
    let missing: Vec<_> = used
        .iter()
        .filter(|k| !en.contains_key(k.as_str()) || !zh.contains_key(k.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "used in code, missing from a catalogue: {missing:?}"
    );
    let unused: Vec<_> = en.keys().filter(|k| !used.contains(**k)).collect();
    assert!(
        unused.is_empty(),
        "in the catalogues, used nowhere: {unused:?}"
    );
}

#[test]
fn arguments_fill_the_placeholders_in_each_language() {
    let m = msg!("text_too_long", max = 2000);
    assert_eq!(
        render_in(Language::En, &m),
        "must be at most 2000 characters"
    );
    assert_eq!(render_in(Language::ZhCn, &m), "不能超过 2000 个字符");
}

#[test]
fn nested_messages_are_rendered_in_the_same_language() {
    let m = msg!("combination_rule").sub("reason", msg!("combination_no_measure"));
    assert_eq!(
        render_in(Language::En, &m),
        "combination rule broken: a sanction needs at least one measure unless it is a judicial referral alone"
    );
    assert!(
        render_in(Language::ZhCn, &m).starts_with("不符合处理措施的合并适用规则：问责处理至少")
    );
}

#[test]
fn malformed_catalogues_are_refused() {
    assert!(parse("no separator here").is_err());
    assert!(parse("Bad-Key = x").is_err());
    assert!(parse("a = x\na = y").is_err());
    assert!(parse("# comment\n\na = x").is_ok());
}

#[test]
fn actions_and_states_in_refusals_are_translated() {
    use duban_domain::access::Forbidden;
    use duban_domain::role::Role;
    let refused = Forbidden {
        role: Role::Admin,
        action: "register complaints",
    }
    .message();
    assert_eq!(
        render_in(Language::En, &refused),
        "the role `admin` may not register complaints"
    );
    assert_eq!(
        render_in(Language::ZhCn, &refused),
        "角色 `admin` 无权登记投诉"
    );
}
