//! One pass of outbox delivery: claim, send, record.

use chrono::{DateTime, SubsecRound, TimeDelta, Utc};
use duban_domain::storage::RepositoryError;
use sea_orm::sea_query::{Expr, LockBehavior, LockType};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use super::delivery_channels::DeliveryChannels;
use super::fan_out::fan_out;
use super::outbox::{OutboxChannel, OutboxStatus};
use super::sender::{Notification, NotificationSender, SendError};
use crate::db::{begin_write, is_postgres};
use crate::entities::outbox_message;
use crate::storage_error::unavailable;

/// Messages one pass sends at most; the rest wait for the next pass.
const MAX_PER_PASS: usize = 100;
/// The longest retry delay, however many attempts failed.
const MAX_DELAY: TimeDelta = TimeDelta::days(1);
/// Kept of a receiver's error text.
const MAX_ERROR_CHARS: usize = 500;

/// What one delivery pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeliveryReport {
    /// Messages sent (delivered or not).
    pub attempted: usize,
    pub delivered: usize,
    /// Failed and scheduled again.
    pub retried: usize,
    /// Failed for the last allowed time: marked `dead`, never sent again.
    pub dead: usize,
}

/// Sends the pending messages that are due at `now` (`available_at <= now`), oldest first,
/// each at most once per pass.
///
/// A message is first claimed in a short transaction (PostgreSQL: `FOR UPDATE SKIP LOCKED`;
/// SQLite write transactions are exclusive) that hides it from other workers for longer than
/// [`NotificationSender::max_send_time`]; it is sent outside any transaction, then recorded:
/// `delivered` with `delivered_at`, or `attempts + 1`, the error, and `available_at = now +
/// backoff × 2^(attempts − 1)` (at most a day), or `dead` once `attempts` reaches
/// `max_attempts`. Two workers never send one message at once; a worker that dies between
/// sending and recording leaves it to be sent again after the claim expires (receivers drop
/// duplicates by message id).
///
/// # Errors
/// [`RepositoryError::Unavailable`] when the outbox cannot be read or written.
pub async fn deliver_once(
    db: &DatabaseConnection,
    sender: &dyn NotificationSender,
    now: DateTime<Utc>,
    max_attempts: u32,
    backoff: TimeDelta,
) -> Result<DeliveryReport, RepositoryError> {
    deliver(db, Route::Primary(sender), now, max_attempts, backoff).await
}

/// [`deliver_once`] with personal channels: a primary message claimed for the first time is
/// also fanned out to its recipient's e-mail and SMS (where configured here, known and
/// wanted), and those messages are delivered, retried and dead on their own.
///
/// # Errors
/// [`RepositoryError::Unavailable`] when the outbox cannot be read or written.
pub async fn deliver_pass(
    db: &DatabaseConnection,
    channels: &DeliveryChannels,
    now: DateTime<Utc>,
    max_attempts: u32,
    backoff: TimeDelta,
) -> Result<DeliveryReport, RepositoryError> {
    deliver(db, Route::Channels(channels), now, max_attempts, backoff).await
}

/// The senders of one pass.
#[derive(Clone, Copy)]
enum Route<'a> {
    Primary(&'a dyn NotificationSender),
    Channels(&'a DeliveryChannels),
}

impl Route<'_> {
    fn max_send_time(self) -> std::time::Duration {
        match self {
            Route::Primary(sender) => sender.max_send_time(),
            Route::Channels(channels) => channels.max_send_time(),
        }
    }
}

impl<'a> Route<'a> {
    fn sender(self, channel: OutboxChannel) -> Option<&'a dyn NotificationSender> {
        match self {
            Route::Primary(sender) => (channel == OutboxChannel::Primary).then_some(sender),
            Route::Channels(channels) => channels.sender(channel),
        }
    }
}

async fn deliver(
    db: &DatabaseConnection,
    route: Route<'_>,
    now: DateTime<Utc>,
    max_attempts: u32,
    backoff: TimeDelta,
) -> Result<DeliveryReport, RepositoryError> {
    let now = now.trunc_subsecs(6);
    let max_attempts = max_attempts.max(1);
    let claim_for = TimeDelta::from_std(route.max_send_time())
        .unwrap_or(MAX_DELAY)
        .min(MAX_DELAY)
        + TimeDelta::minutes(1);
    let mut report = DeliveryReport::default();
    let mut handled: Vec<Uuid> = Vec::new();
    while handled.len() < MAX_PER_PASS {
        let Some(message) = claim(db, now, claim_for, &handled, route).await? else {
            break;
        };
        handled.push(message.id);
        report.attempted += 1;
        let attempts = u32::try_from(message.attempts)
            .unwrap_or(0)
            .saturating_add(1);
        let sent = match message
            .channel
            .parse::<OutboxChannel>()
            .ok()
            .and_then(|c| route.sender(c))
        {
            Some(sender) => sender.send(&message_of(&message, now)).await,
            None => Err(SendError(format!(
                "the {} channel is not configured on this instance",
                message.channel
            ))),
        };
        let mut update = outbox_message::Entity::update_many()
            .col_expr(
                outbox_message::Column::Attempts,
                Expr::value(i32::try_from(attempts).unwrap_or(i32::MAX)),
            )
            .filter(outbox_message::Column::Id.eq(message.id));
        match sent {
            Ok(()) => {
                report.delivered += 1;
                update = update
                    .col_expr(
                        outbox_message::Column::Status,
                        Expr::value(OutboxStatus::Delivered.as_str()),
                    )
                    .col_expr(outbox_message::Column::DeliveredAt, Expr::value(now))
                    .col_expr(
                        outbox_message::Column::LastError,
                        Expr::value(Option::<String>::None),
                    );
            }
            Err(error) => {
                let error: String = error.0.chars().take(MAX_ERROR_CHARS).collect();
                tracing::warn!(message_id = %message.id, attempts, %error, "notification not delivered");
                update = update.col_expr(outbox_message::Column::LastError, Expr::value(error));
                if attempts >= max_attempts {
                    report.dead += 1;
                    update = update.col_expr(
                        outbox_message::Column::Status,
                        Expr::value(OutboxStatus::Dead.as_str()),
                    );
                } else {
                    report.retried += 1;
                    update = update.col_expr(
                        outbox_message::Column::AvailableAt,
                        Expr::value(now + retry_delay(backoff, attempts)),
                    );
                }
            }
        }
        update.exec(db).await.map_err(unavailable)?;
    }
    Ok(report)
}

/// The delay after the `attempts`-th failed attempt: `backoff × 2^(attempts − 1)`, at most
/// a day.
#[must_use]
pub fn retry_delay(backoff: TimeDelta, attempts: u32) -> TimeDelta {
    let doublings = attempts.saturating_sub(1).min(30);
    backoff
        .checked_mul(1_i32 << doublings)
        .unwrap_or(MAX_DELAY)
        .clamp(TimeDelta::zero(), MAX_DELAY)
}

/// Takes the oldest due pending message not handled in this pass and hides it from other
/// workers until `now + claim_for`.
async fn claim(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    claim_for: TimeDelta,
    handled: &[Uuid],
    route: Route<'_>,
) -> Result<Option<outbox_message::Model>, RepositoryError> {
    let txn = begin_write(db).await.map_err(unavailable)?;
    let mut query = outbox_message::Entity::find()
        .filter(outbox_message::Column::Status.eq(OutboxStatus::Pending.as_str()))
        .filter(outbox_message::Column::AvailableAt.lte(now))
        .filter(outbox_message::Column::Id.is_not_in(handled.iter().copied()))
        // A message of a channel this worker lacks waits for one that has it.
        .filter(
            outbox_message::Column::Channel.is_in(
                OutboxChannel::ALL
                    .iter()
                    .filter(|c| route.sender(**c).is_some())
                    .map(|c| c.as_str()),
            ),
        )
        .order_by_asc(outbox_message::Column::AvailableAt)
        .order_by_asc(outbox_message::Column::Id)
        .limit(1);
    if is_postgres(db) {
        query = query.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    }
    let Some(message) = query.one(&txn).await.map_err(unavailable)? else {
        txn.rollback().await.map_err(unavailable)?;
        return Ok(None);
    };
    outbox_message::Entity::update_many()
        .col_expr(
            outbox_message::Column::AvailableAt,
            Expr::value(now + claim_for),
        )
        .filter(outbox_message::Column::Id.eq(message.id))
        .exec(&txn)
        .await
        .map_err(unavailable)?;
    if let Route::Channels(channels) = route {
        fan_out(&txn, &message, channels).await?;
    }
    txn.commit().await.map_err(unavailable)?;
    Ok(Some(message))
}

fn message_of(row: &outbox_message::Model, now: DateTime<Utc>) -> Notification {
    Notification {
        id: row.id,
        topic: row.topic.clone(),
        payload: row.payload.clone(),
        sent_at: now,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_delays_double_and_stop_at_a_day() {
        let backoff = TimeDelta::seconds(5);
        let delays: Vec<i64> = (1..=4)
            .map(|n| retry_delay(backoff, n).num_seconds())
            .collect();
        assert_eq!(delays, [5, 10, 20, 40]);
        assert_eq!(retry_delay(backoff, 200), MAX_DELAY);
        assert_eq!(retry_delay(TimeDelta::zero(), 3), TimeDelta::zero());
    }
}
