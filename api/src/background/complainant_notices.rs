//! Telling complainants the new date after a granted extension, where the system can: the
//! complainant's phone (SMS) or e-mail is known and that channel is configured. What it
//! cannot send, or fails to send before the notice falls due, stays in intake's queue.

use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;
use duban_domain::calendar::local_date;
use duban_domain::supervision::model::AnswerMethod;
use duban_infra::config::Language;
use duban_infra::notifications::{
    DeliveryChannels, Notification, NotificationSender, text_as_html,
};
use duban_infra::orders::{NoticeToSend, Reachable, claim_complainant_notices};
use serde_json::json;
use uuid::Uuid;

use crate::i18n::render_in;
use crate::state::AppState;

/// The topic of a notice sent to a complainant (never to the primary sender: it carries
/// the complainant's phone or address).
pub const COMPLAINANT_NEW_DATE_TOPIC: &str = "complainant.new_date";

/// What one pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TellReport {
    pub told: usize,
    /// Not sent this time; tried again once the claim lapses, until the notice is due.
    pub failed: usize,
}

/// One pass at `now`: claims the open notices the configured channels can carry, sends
/// each (SMS first, then e-mail), and records those sent as told by the system.
///
/// # Errors
/// A storage error text when the notices cannot be claimed.
pub async fn tell_complainants_once(
    state: &AppState,
    channels: &DeliveryChannels,
    language: Language,
    now: DateTime<Utc>,
) -> Result<TellReport, String> {
    let reachable = Reachable {
        by_phone: channels.sms.is_some(),
        by_email: channels.email.is_some(),
    };
    let claim_for = TimeDelta::from_std(channels.max_send_time())
        .unwrap_or(TimeDelta::hours(1))
        .min(TimeDelta::hours(1))
        + TimeDelta::minutes(1);
    let claimed = claim_complainant_notices(&state.db, reachable, now, claim_for)
        .await
        .map_err(|e| e.to_string())?;
    let mut report = TellReport::default();
    for notice in claimed {
        let text = words(&notice, state.tz, language);
        let mut sent = None;
        for (method, sender, to) in routes(&notice, channels) {
            let message = Notification {
                id: Uuid::now_v7(),
                topic: COMPLAINANT_NEW_DATE_TOPIC.to_owned(),
                payload: payload(method, to, &text),
                sent_at: now,
            };
            match sender.send(&message).await {
                Ok(()) => {
                    sent = Some(method);
                    break;
                }
                Err(e) => tracing::warn!(
                    order_id = %notice.order_id,
                    method = method.as_str(),
                    error = %e,
                    "the complainant could not be sent the new date"
                ),
            }
        }
        let Some(method) = sent else {
            report.failed += 1;
            continue;
        };
        match state
            .orders
            .record_complainant_notice_sent(notice.order_id, method, now)
            .await
        {
            Ok(_) => report.told += 1,
            Err(e) => {
                tracing::error!(order_id = %notice.order_id, error = %e, "a notice sent to the complainant was not recorded");
                report.failed += 1;
            }
        }
    }
    Ok(report)
}

/// The channels that reach this complainant, in the order they are tried.
fn routes<'a>(
    notice: &'a NoticeToSend,
    channels: &'a DeliveryChannels,
) -> Vec<(AnswerMethod, &'a dyn NotificationSender, &'a str)> {
    let mut routes: Vec<(AnswerMethod, &dyn NotificationSender, &str)> = Vec::new();
    if let (Some(sms), Some(phone)) = (channels.sms.as_deref(), notice.phone.as_deref()) {
        routes.push((AnswerMethod::Sms, sms, phone));
    }
    if let (Some(email), Some(address)) = (channels.email.as_deref(), notice.email.as_deref()) {
        routes.push((AnswerMethod::Email, email, address));
    }
    routes
}

/// The notice in the service's language, the date as the complainant reads it: the last day
/// of the new limit, in the agency's time zone.
fn words(notice: &NoticeToSend, tz: Tz, language: Language) -> String {
    let last_day = local_date(notice.reply_due_at - TimeDelta::seconds(1), tz);
    render_in(
        language,
        &duban_domain::msg!(
            "complainant_new_date",
            number = notice.complaint_number.as_str(),
            reply_due_at = last_day.format("%Y-%m-%d").to_string()
        ),
    )
}

fn payload(method: AnswerMethod, to: &str, text: &str) -> String {
    match method {
        AnswerMethod::Email => json!({
            "to": to,
            "subject": text,
            "text": text,
            "html": text_as_html(text),
        }),
        _ => json!({ "to": to, "text": text }),
    }
    .to_string()
}
