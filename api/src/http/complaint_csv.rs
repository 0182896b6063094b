//! A page of complaints as CSV: the list's JSON fields flattened, the complainant's name and
//! contacts only where the JSON page would show them (empty and `complainant_withheld` true
//! otherwise).

use poem_openapi::types::ToJSON;
use serde_json::Value;

use super::complaint_dto::ComplaintView;
use super::csv::{document, field};

/// The columns, in order; `complainant_*` from the nested `complainant` object.
pub const COLUMNS: &[&str] = &[
    "id",
    "number",
    "received_at",
    "registered_at",
    "status",
    "type",
    "channel",
    "matter",
    "respondent_unit_id",
    "respondent_staff_id",
    "first_handler_id",
    "screening_due_at",
    "complainant_anonymous",
    "complainant_withheld",
    "complainant_name",
    "complainant_phone",
    "complainant_email",
    "complainant_postal_address",
    "account",
];

fn cell(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => field(s),
        other => field(&other.to_string()),
    }
}

/// The page as a CSV document.
pub fn complaints_csv(items: &[ComplaintView], bom: bool) -> String {
    let rows = items.iter().map(|view| {
        let json = view.to_json().unwrap_or_default();
        COLUMNS
            .iter()
            .map(|column| match column.strip_prefix("complainant_") {
                Some(key) => cell(&json["complainant"][key]),
                None => cell(&json[*column]),
            })
            .collect::<Vec<_>>()
            .join(",")
    });
    document(COLUMNS, rows, bom)
}
