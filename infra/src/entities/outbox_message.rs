use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub topic: String,
    /// JSON.
    pub payload: String,
    pub created_at: DateTimeUtc,
    /// Not to be sent before this instant (backoff).
    pub available_at: DateTimeUtc,
    pub attempts: i32,
    /// `pending`, `delivered` or `dead`.
    pub status: String,
    pub last_error: Option<String>,
    pub delivered_at: Option<DateTimeUtc>,
    /// `primary` (the log or webhook sender), `email` or `sms`.
    pub channel: String,
    /// The primary message a personal-channel message was fanned out from.
    pub parent_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
