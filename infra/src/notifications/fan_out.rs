//! Fanning a primary message out to its recipient's personal channels: one e-mail or SMS
//! message per channel the person can be reached by and wants the topic on, written in the
//! transaction that claims the primary message for the first time.

use duban_domain::ids::UserId;
use duban_domain::notification::{PersonalChannel, Topic, wanted};
use duban_domain::storage::RepositoryError;
use sea_orm::sea_query::OnConflict;
use sea_orm::{DatabaseTransaction, EntityTrait, Set};
use serde_json::{Value, json};
use uuid::Uuid;

use super::delivery_channels::{DeliveryChannels, RenderedNotice};
use super::outbox::{OutboxChannel, OutboxStatus};
use super::preferences::channel_choices;
use crate::entities::{outbox_message, user};
use crate::storage_error::unavailable;

/// Writes the personal-channel messages of `primary`; one that exists already (a worker
/// died after claiming it) is kept, by the unique `(parent_id, channel)` index.
///
/// # Errors
/// [`RepositoryError::Unavailable`].
pub(super) async fn fan_out(
    txn: &DatabaseTransaction,
    primary: &outbox_message::Model,
    channels: &DeliveryChannels,
) -> Result<(), RepositoryError> {
    if primary.channel != OutboxChannel::Primary.as_str() || primary.attempts != 0 {
        return Ok(());
    }
    let Some((configured, renderer)) = channels.personal() else {
        return Ok(());
    };
    let payload: Value = serde_json::from_str(&primary.payload).unwrap_or_default();
    let Ok(topic) = primary.topic.parse::<Topic>() else {
        return Ok(());
    };
    let Some(recipient) = payload
        .get("recipient_id")
        .and_then(Value::as_str)
        .and_then(|id| id.parse::<Uuid>().ok())
    else {
        return Ok(());
    };
    let Some(person) = user::Entity::find_by_id(recipient)
        .one(txn)
        .await
        .map_err(unavailable)?
        .filter(|u| u.active)
    else {
        return Ok(());
    };
    if person.email.is_none() && person.phone.is_none() {
        return Ok(());
    }
    let choices = channel_choices(txn, UserId::from_uuid(recipient)).await?;
    let language = person.language.as_deref().and_then(|tag| tag.parse().ok());
    let rendered = || renderer.render(topic, &|name| fact(&payload, name), language);
    for channel in configured {
        let address = match channel {
            PersonalChannel::Email => person.email.as_deref(),
            PersonalChannel::Sms => person.phone.as_deref(),
        };
        let Some(address) = address else { continue };
        if !wanted(topic, channel, &choices) {
            continue;
        }
        let body = addressed(channel, address, &rendered());
        insert(txn, primary, channel, &body).await?;
    }
    Ok(())
}

/// A stored fact: from the inbox facts, else a top-level field of the payload (warnings and
/// reminders name the complaint number `complaint_number`).
fn fact(payload: &Value, name: &str) -> String {
    let found = payload
        .get("facts")
        .and_then(|facts| facts.get(name))
        .or_else(|| payload.get(name))
        .or_else(|| (name == "number").then(|| payload.get("complaint_number"))?);
    match found {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

/// The payload a personal-channel sender reads.
fn addressed(channel: PersonalChannel, to: &str, notice: &RenderedNotice) -> Value {
    match channel {
        PersonalChannel::Email => json!({
            "to": to,
            "subject": notice.subject,
            "text": notice.text,
            "html": html(&notice.text),
        }),
        PersonalChannel::Sms => json!({ "to": to, "text": notice.text }),
    }
}

/// The plain text as HTML: escaped, one paragraph per blank-line-separated block.
pub fn html(text: &str) -> String {
    let escaped = text
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;");
    let paragraphs: Vec<String> = escaped
        .split("\n\n")
        .map(|p| format!("<p>{}</p>", p.replace('\n', "<br>")))
        .collect();
    format!(
        "<!DOCTYPE html><html><body>{}</body></html>",
        paragraphs.concat()
    )
}

async fn insert(
    txn: &DatabaseTransaction,
    primary: &outbox_message::Model,
    channel: PersonalChannel,
    payload: &Value,
) -> Result<(), RepositoryError> {
    let stored = match channel {
        PersonalChannel::Email => OutboxChannel::Email,
        PersonalChannel::Sms => OutboxChannel::Sms,
    };
    let message = outbox_message::ActiveModel {
        id: Set(Uuid::now_v7()),
        topic: Set(primary.topic.clone()),
        payload: Set(payload.to_string()),
        created_at: Set(primary.created_at),
        available_at: Set(primary.created_at),
        attempts: Set(0),
        status: Set(OutboxStatus::Pending.as_str().to_owned()),
        last_error: Set(None),
        delivered_at: Set(None),
        channel: Set(stored.as_str().to_owned()),
        parent_id: Set(Some(primary.id)),
    };
    outbox_message::Entity::insert(message)
        .on_conflict(
            OnConflict::columns([
                outbox_message::Column::ParentId,
                outbox_message::Column::Channel,
            ])
            .do_nothing()
            .to_owned(),
        )
        .try_insert()
        .exec(txn)
        .await
        .map_err(unavailable)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_come_from_the_inbox_facts_then_the_payload() {
        let inbox = json!({"facts": {"number": "TS-1", "round": "2"}});
        assert_eq!(fact(&inbox, "number"), "TS-1");
        assert_eq!(fact(&inbox, "round"), "2");
        assert_eq!(fact(&inbox, "level"), "");
        let warning = json!({"complaint_number": "TS-2", "level": "red", "limit": "reply"});
        assert_eq!(fact(&warning, "number"), "TS-2");
        assert_eq!(fact(&warning, "level"), "red");
    }

    #[test]
    fn html_escapes_the_text() {
        assert_eq!(
            html("a <b> & \"c\"\n\nnext\nline"),
            "<!DOCTYPE html><html><body><p>a &lt;b&gt; &amp; &quot;c&quot;</p><p>next<br>line</p></body></html>"
        );
    }
}
