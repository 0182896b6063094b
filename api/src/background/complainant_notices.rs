//! Telling complainants the new date after a granted extension, and the result of a case
//! closed with the answer to follow, where the system can: the complainant's mobile (SMS)
//! or e-mail is known and that channel is configured. What it cannot send, or fails to send
//! before the notice falls due, stays in intake's queue.

use std::time::Duration;

use chrono::TimeDelta;
use chrono_tz::Tz;
use duban_domain::calendar::local_date;
use duban_domain::clock::Clock;
use duban_domain::ids::ComplaintId;
use duban_domain::storage::RepositoryError;
use duban_domain::supervision::model::AnswerMethod;
use duban_infra::complaints::{claim_next_answer, leave_answer_to_intake};
use duban_infra::config::Language;
use duban_infra::notifications::{
    DeliveryChannels, Notification, NotificationSender, text_as_html,
};
use duban_infra::orders::{
    NoticeToSend, Reachable, claim_next_complainant_notice, leave_complainant_notice_to_intake,
};
use serde_json::json;
use uuid::Uuid;

use crate::i18n::render_in;
use crate::state::AppState;

/// The topic of a notice sent to a complainant (never to the primary sender: it carries
/// the complainant's phone or address).
pub const COMPLAINANT_NEW_DATE_TOPIC: &str = "complainant.new_date";
/// Notices one pass tells at most.
const MAX_PER_PASS: usize = 50;

/// The topic of a complainant's result sent after a closing with the answer to follow.
pub const COMPLAINANT_RESULT_TOPIC: &str = "complainant.result";

/// What one pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TellReport {
    pub told: usize,
    /// Not sent this time; tried again once the claim lapses, until the notice is due.
    pub failed: usize,
    /// No configured channel reaches the complainant (e.g. a landline): left to intake.
    pub left_to_intake: usize,
}

/// One pass, reading `clock` at each claim and each send: claims the open new-date notices, then the owed results, that the
/// configured channels can carry, one at a time; sends each (SMS to a mobile first, then
/// e-mail), and records those sent as told by the system.
///
/// # Errors
/// A storage error text when the notices cannot be claimed.
pub async fn tell_complainants_once(
    state: &AppState,
    channels: &DeliveryChannels,
    language: Language,
    clock: &dyn Clock,
) -> Result<TellReport, String> {
    let pass = Pass {
        state,
        channels,
        language,
        clock,
        reachable: Reachable {
            by_phone: channels.sms.is_some(),
            by_email: channels.email.is_some(),
        },
        claim_for: claim_for(channels),
    };
    let mut report = TellReport::default();
    pass.tell_new_dates(&mut report).await?;
    pass.tell_results(&mut report).await?;
    Ok(report)
}

/// Long enough for both channels to be tried, so that a claim never lapses mid-send.
fn claim_for(channels: &DeliveryChannels) -> TimeDelta {
    let longest = [channels.sms.as_ref(), channels.email.as_ref()]
        .into_iter()
        .flatten()
        .map(|s| s.max_send_time())
        .sum::<Duration>();
    TimeDelta::from_std(longest)
        .unwrap_or(TimeDelta::hours(1))
        .min(TimeDelta::hours(1))
        + TimeDelta::minutes(1)
}

struct Pass<'a> {
    state: &'a AppState,
    channels: &'a DeliveryChannels,
    language: Language,
    clock: &'a dyn Clock,
    reachable: Reachable,
    claim_for: TimeDelta,
}

impl Pass<'_> {
    async fn tell_new_dates(&self, report: &mut TellReport) -> Result<(), String> {
        let mut seen: Vec<Uuid> = Vec::new();
        while seen.len() < MAX_PER_PASS {
            let Some(notice) = claim_next_complainant_notice(
                &self.state.db,
                self.reachable,
                self.clock.now(),
                self.claim_for,
                &seen,
            )
            .await
            .map_err(|e| e.to_string())?
            else {
                break;
            };
            seen.push(notice.order_id);
            let text = new_date_words(&notice, self.state.tz, self.language);
            let routes = routes(
                notice.phone.as_deref(),
                notice.email.as_deref(),
                &text,
                self.channels,
            );
            let record = async |method| {
                self.state
                    .orders
                    .record_complainant_notice_sent(
                        notice.order_id,
                        method,
                        notice.notice_due_at,
                        self.clock.now(),
                    )
                    .await
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            };
            let leave = leave_complainant_notice_to_intake(&self.state.db, &notice);
            let telling = Telling {
                topic: COMPLAINANT_NEW_DATE_TOPIC,
                text: &text,
                about: notice.order_id,
            };
            self.tell(report, &routes, telling, leave, record).await?;
        }
        Ok(())
    }

    async fn tell_results(&self, report: &mut TellReport) -> Result<(), String> {
        let mut seen: Vec<ComplaintId> = Vec::new();
        while seen.len() < MAX_PER_PASS {
            let Some(answer) = claim_next_answer(
                &self.state.db,
                self.reachable,
                self.clock.now(),
                self.claim_for,
                &seen,
            )
            .await
            .map_err(|e| e.to_string())?
            else {
                break;
            };
            seen.push(answer.complaint_id);
            let text = render_in(
                self.language,
                &duban_domain::msg!(
                    "complainant_result",
                    number = answer.complaint_number.as_str(),
                    outcome = answer.outcome.as_str()
                ),
            );
            let routes = routes(
                answer.phone.as_deref(),
                answer.email.as_deref(),
                &text,
                self.channels,
            );
            let record = async |method: AnswerMethod| {
                self.state
                    .complaints
                    .record_answer_sent(
                        answer.complaint_id,
                        method.into(),
                        answer.answer_due_at,
                        self.clock.now(),
                    )
                    .await
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            };
            let leave = leave_answer_to_intake(&self.state.db, &answer);
            let telling = Telling {
                topic: COMPLAINANT_RESULT_TOPIC,
                text: &text,
                about: answer.complaint_id.as_uuid(),
            };
            self.tell(report, &routes, telling, leave, record).await?;
        }
        Ok(())
    }

    /// Tells one notice: with no route, leaves it to intake (`leave`); else sends it by the
    /// first route that takes it and records it as told (`record`).
    async fn tell(
        &self,
        report: &mut TellReport,
        routes: &[Route<'_>],
        telling: Telling<'_>,
        leave: impl Future<Output = Result<(), RepositoryError>>,
        record: impl AsyncFnOnce(AnswerMethod) -> Result<(), String>,
    ) -> Result<(), String> {
        if routes.is_empty() {
            leave.await.map_err(|e| e.to_string())?;
            report.left_to_intake += 1;
            return Ok(());
        }
        let Some(method) = self
            .send_first(routes, telling.topic, telling.text, telling.about)
            .await
        else {
            report.failed += 1;
            return Ok(());
        };
        match record(method).await {
            Ok(()) => report.told += 1,
            Err(e) => {
                tracing::error!(about = %telling.about, topic = telling.topic, error = %e, "a notice sent to the complainant was not recorded");
                report.failed += 1;
            }
        }
        Ok(())
    }

    /// Sends `text` by the first route that takes it; the method it went by.
    async fn send_first(
        &self,
        routes: &[Route<'_>],
        topic: &str,
        text: &str,
        about: Uuid,
    ) -> Option<AnswerMethod> {
        for (method, sender, to) in routes {
            let message = Notification {
                id: Uuid::now_v7(),
                topic: topic.to_owned(),
                payload: payload(*method, to, text),
                sent_at: self.clock.now(),
            };
            if sender.send(&message).await.is_ok() {
                return Some(*method);
            }
            // The receiver's words may echo the complainant's number or address: not logged.
            tracing::warn!(
                about = %about,
                topic,
                method = method.as_str(),
                "a complainant could not be sent a notice"
            );
        }
        None
    }
}

/// A mainland mobile number (11 digits from 1, optionally after +86 or 86), spaces and
/// dashes ignored: landlines take no SMS.
fn is_mobile(phone: &str) -> bool {
    let digits: String = phone.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    let national = digits
        .strip_prefix("+86")
        .or_else(|| digits.strip_prefix("86").filter(|rest| rest.len() == 11))
        .unwrap_or(&digits);
    national.len() == 11
        && national.starts_with('1')
        && national.chars().all(|c| c.is_ascii_digit())
}

/// A channel, its sender, and the complainant's number or address on it.
type Route<'a> = (AnswerMethod, &'a dyn NotificationSender, &'a str);

/// What one notice says, and what it is about (for the log).
struct Telling<'a> {
    topic: &'a str,
    text: &'a str,
    about: Uuid,
}

/// The channels that reach this complainant with `text` whole (a notice cut short is not
/// the notice), in the order they are tried.
fn routes<'a>(
    phone: Option<&'a str>,
    email: Option<&'a str>,
    text: &str,
    channels: &'a DeliveryChannels,
) -> Vec<Route<'a>> {
    let mut routes: Vec<Route<'a>> = Vec::new();
    if let (Some(sms), Some(phone)) = (channels.sms.as_deref(), phone)
        && is_mobile(phone)
    {
        routes.push((AnswerMethod::Sms, sms, phone));
    }
    if let (Some(email), Some(address)) = (channels.email.as_deref(), email) {
        routes.push((AnswerMethod::Email, email, address));
    }
    let length = text.chars().count();
    routes.retain(|(_, sender, _)| sender.max_text_chars().is_none_or(|max| length <= max));
    routes
}

/// The notice in the service's language, the date as the complainant reads it: the last day
/// of the new limit, in the agency's time zone.
fn new_date_words(notice: &NoticeToSend, tz: Tz, language: Language) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_mobiles_take_sms() {
        for mobile in ["13900001111", "+86 139-0000-1111", "8613900001111"] {
            assert!(is_mobile(mobile), "{mobile}");
        }
        for other in ["010-62345678", "62345678", "1390000111", "+1 415 555 0100"] {
            assert!(!is_mobile(other), "{other}");
        }
    }
}
