//! The facts of a complaint's registration that no event states (who it is about, what
//! was said, when it came in, the complainant's contact details), sealed with the
//! `registered` event, and compared with the row when verifying. Contact details are sealed
//! only as a keyed digest, so the event log holds no personal data.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::chain::{at_text, keyed_digest};
use crate::entities::complaint;

/// The event that records the erasure of the contact details (retention): after it, empty
/// contact details are what the row must hold.
pub(crate) const CONTACT_ERASED: &str = "contact_details_erased";

fn contact_digest(row: &complaint::Model, key: &[u8; 32]) -> String {
    let field = |v: &Option<String>| v.clone().unwrap_or_default();
    keyed_digest(
        key,
        "duban-contact-v1",
        &[
            &field(&row.complainant_name),
            &field(&row.phone),
            &field(&row.email),
            &field(&row.postal_address),
        ],
    )
}

fn facts(row: &complaint::Model, key: &[u8; 32]) -> BTreeMap<&'static str, Value> {
    BTreeMap::from([
        ("respondent_unit_id", json!(row.respondent_unit_id)),
        ("respondent_staff_id", json!(row.respondent_staff_id)),
        ("matter", json!(row.matter)),
        ("account", json!(row.account)),
        ("anonymous", json!(row.anonymous)),
        ("letter_date", json!(row.letter_date)),
        ("receipt_number", json!(row.receipt_number)),
        ("received_at", json!(at_text(row.received_at))),
        ("contact", json!(contact_digest(row, key))),
    ])
}

/// The sealed facts of a just-registered row (JSON, keys sorted).
pub(crate) fn seal(row: &complaint::Model, key: &[u8; 32]) -> String {
    serde_json::to_string(&facts(row, key)).unwrap_or_default()
}

/// The sealed facts the row no longer matches. `contact_erased`: the history records the
/// erasure of the contact details, and the row holds none.
pub(crate) fn differences(
    sealed: &str,
    row: &complaint::Model,
    key: &[u8; 32],
    contact_erased: bool,
) -> Vec<String> {
    let Ok(sealed) = serde_json::from_str::<BTreeMap<String, Value>>(sealed) else {
        return vec!["registration".to_owned()];
    };
    let now = facts(row, key);
    let erased_and_empty = contact_erased
        && [
            &row.complainant_name,
            &row.phone,
            &row.email,
            &row.postal_address,
        ]
        .iter()
        .all(|v| v.as_deref().is_none_or(str::is_empty));
    now.iter()
        .filter(|(field, value)| sealed.get(**field) != Some(*value))
        .filter(|(field, _)| !(**field == "contact" && erased_and_empty))
        .map(|(field, _)| (*field).to_owned())
        .collect()
}
