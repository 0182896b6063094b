//! Each person's choices of personal channel per topic (absent: the topic's default).

use duban_domain::ids::UserId;
use duban_domain::notification::{ChannelChoice, PersonalChannel, Topic};
use duban_domain::storage::RepositoryError;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait, QueryFilter, Set,
};

use crate::entities::notification_preference;
use crate::storage_error::unavailable;

/// The choices `person` made; rows naming a topic or channel this build does not know are
/// left out (a topic may be retired).
///
/// # Errors
/// [`RepositoryError::Unavailable`].
pub async fn channel_choices(
    db: &impl ConnectionTrait,
    person: UserId,
) -> Result<Vec<ChannelChoice>, RepositoryError> {
    Ok(notification_preference::Entity::find()
        .filter(notification_preference::Column::UserId.eq(person.as_uuid()))
        .all(db)
        .await
        .map_err(unavailable)?
        .into_iter()
        .filter_map(|row| {
            Some(ChannelChoice {
                topic: row.topic.parse::<Topic>().ok()?,
                channel: row.channel.parse::<PersonalChannel>().ok()?,
                enabled: row.enabled,
            })
        })
        .collect())
}

/// Writes `choices` for `person` inside the caller's transaction.
pub(crate) async fn upsert_choices(
    txn: &DatabaseTransaction,
    person: UserId,
    choices: &[ChannelChoice],
) -> Result<(), DbErr> {
    for choice in choices {
        notification_preference::Entity::insert(notification_preference::ActiveModel {
            user_id: Set(person.as_uuid()),
            topic: Set(choice.topic.as_str().to_owned()),
            channel: Set(choice.channel.as_str().to_owned()),
            enabled: Set(choice.enabled),
        })
        .on_conflict(
            OnConflict::columns([
                notification_preference::Column::UserId,
                notification_preference::Column::Topic,
                notification_preference::Column::Channel,
            ])
            .update_column(notification_preference::Column::Enabled)
            .to_owned(),
        )
        .exec(txn)
        .await?;
    }
    Ok(())
}
