//! `Accept-Language` (RFC 9110 §12.5.4): the listed language with the highest weight that we
//! have a catalogue for, else the default.

use super::Language;

/// The language to answer in for the header value `accept` (none: `default`).
pub fn negotiate(accept: Option<&str>, default: Language) -> Language {
    let mut best: Option<(u16, Language)> = None;
    for entry in accept.unwrap_or_default().split(',') {
        let mut parts = entry.split(';');
        let tag = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
        let weight = parts
            .filter_map(|p| p.trim().strip_prefix("q=").map(str::trim))
            .next()
            .map_or(Some(1000), weight);
        let Some(weight) = weight.filter(|w| *w > 0) else {
            continue;
        };
        let language = match tag.as_str() {
            "*" => Some(default),
            t if t == "zh" || t.starts_with("zh-") => Some(Language::ZhCn),
            t if t == "en" || t.starts_with("en-") => Some(Language::En),
            _ => None,
        };
        if let Some(language) = language
            && best.is_none_or(|(w, _)| weight > w)
        {
            best = Some((weight, language));
        }
    }
    best.map_or(default, |(_, language)| language)
}

/// A q-value in thousandths; `None` when malformed.
fn weight(q: &str) -> Option<u16> {
    let value: f64 = q.parse().ok()?;
    (0.0..=1.0)
        .contains(&value)
        .then(|| (value * 1000.0).round() as u16)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Language::{En, ZhCn};

    #[test]
    fn chinese_tags_choose_simplified_chinese() {
        for tag in ["zh", "zh-CN", "zh-Hans", "zh-hans-cn", "ZH-cn"] {
            assert_eq!(negotiate(Some(tag), En), ZhCn, "{tag}");
        }
    }

    #[test]
    fn english_tags_choose_english() {
        for tag in ["en", "en-US", "en-GB", "EN"] {
            assert_eq!(negotiate(Some(tag), ZhCn), En, "{tag}");
        }
    }

    #[test]
    fn the_highest_weight_wins_and_ties_go_to_the_first() {
        assert_eq!(negotiate(Some("zh-CN;q=0.5, en;q=0.9"), ZhCn), En);
        assert_eq!(negotiate(Some("en;q=0.4, zh;q=0.8"), En), ZhCn);
        assert_eq!(negotiate(Some("en, zh"), ZhCn), En);
        assert_eq!(negotiate(Some("fr-FR, de;q=0.9, en;q=0.1"), ZhCn), En);
    }

    #[test]
    fn nothing_usable_gives_the_default() {
        assert_eq!(negotiate(None, En), En);
        assert_eq!(negotiate(None, ZhCn), ZhCn);
        assert_eq!(negotiate(Some("fr, de"), En), En);
        assert_eq!(negotiate(Some("en;q=0"), ZhCn), ZhCn);
        assert_eq!(negotiate(Some("*"), En), En);
        assert_eq!(negotiate(Some("en;q=abc"), ZhCn), ZhCn);
        assert_eq!(negotiate(Some(""), En), En);
    }
}
