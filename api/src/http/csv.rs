//! CSV documents as spreadsheets open them: RFC 4180 quoting, cells that a spreadsheet would
//! run as a formula defused, and an optional UTF-8 byte-order mark so that Excel (notably on
//! Chinese Windows, whose default code page is GBK) reads the text as UTF-8.

/// The UTF-8 byte-order mark.
pub const BOM: char = '\u{feff}';

/// One field: a value beginning with `=`, `+`, `-`, `@`, a tab or a carriage return gets a
/// leading `'` (OWASP's advice against formula injection); a value with a comma, quote or
/// line break is quoted.
pub fn field(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

/// The header line and each row (already joined fields), CRLF after every line, the BOM first
/// when `bom`.
pub fn document(columns: &[&str], rows: impl IntoIterator<Item = String>, bom: bool) -> String {
    let mut out = String::new();
    if bom {
        out.push(BOM);
    }
    out.push_str(&columns.join(","));
    out.push_str("\r\n");
    for row in rows {
        out.push_str(&row);
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_and_defused() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("=SUM(A1)"), "'=SUM(A1)");
        for risky in ["+1", "-1", "@SUM(A1)"] {
            assert_eq!(field(risky), format!("'{risky}"));
        }
        assert_eq!(field("\t=1"), "'\t=1");
        assert_eq!(field("\r=1"), "\"'\r=1\"");
        assert_eq!(field("信访科"), "信访科");
    }

    #[test]
    fn the_bom_comes_first_when_asked_for() {
        let rows = ["1,2".to_owned()];
        assert_eq!(document(&["a", "b"], rows.clone(), false), "a,b\r\n1,2\r\n");
        assert_eq!(document(&["a", "b"], rows, true), "\u{feff}a,b\r\n1,2\r\n");
    }
}
