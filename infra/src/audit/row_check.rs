//! A complaint row checked against its history: the state its events fold to, and the facts
//! sealed at registration.

use duban_domain::audit::{complaint_state_differences, fold_complaint};
use duban_domain::complaint::events::{ComplaintEvent, RecordedEvent};
use duban_domain::ids::UserId;

use super::chain::Entry;
use super::keys::AuditKeys;
use super::registration;
use crate::entities::complaint;

/// The row's fields that differ from what the events determine.
pub(super) fn complaint_row_differences(
    keys: &AuditKeys,
    row: &complaint::Model,
    entries: &[Entry],
) -> Result<Vec<String>, i64> {
    let mut recorded = Vec::new();
    for entry in entries {
        let event: ComplaintEvent =
            serde_json::from_str(&entry.data).map_err(|_| entry.sequence)?;
        recorded.push(RecordedEvent {
            sequence: entry.sequence,
            actor_id: entry.actor.parse().ok().map(UserId::from_uuid),
            at: entry.at,
            event,
        });
    }
    let mut fields: Vec<String> = match crate::complaints::to_domain(row.clone()) {
        Ok(stored) => complaint_state_differences(&fold_complaint(&recorded), &stored.state)
            .into_iter()
            .map(str::to_owned)
            .collect(),
        Err(_) => vec!["unreadable_row".to_owned()],
    };
    if let (Some(first), Some(recorded)) = (entries.first(), recorded.first()) {
        if let ComplaintEvent::Registered { number, channel } = &recorded.event {
            if *number != row.number {
                fields.push("number".into());
            }
            if channel.as_str() != row.channel {
                fields.push("channel".into());
            }
        }
        if first.at != row.registered_at {
            fields.push("registered_at".into());
        }
        if first.actor != row.first_handler_id.to_string() {
            fields.push("first_handler_id".into());
        }
        let erased = entries
            .iter()
            .any(|e| e.kind == registration::CONTACT_ERASED);
        match (
            &first.sealed,
            first.key_id.as_deref().and_then(|id| keys.hmac(id)),
        ) {
            (Some(sealed), Some(key)) => {
                fields.extend(registration::differences(sealed, row, key, erased));
            }
            (None, Some(_)) => fields.push("registration".into()),
            // An unkeyed or unknown key is already a break of the chain.
            (_, None) => {}
        }
    }
    Ok(fields)
}
