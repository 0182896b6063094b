use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "idempotent_responses")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub key: String,
    pub fingerprint: String,
    /// `None` while the first request runs.
    pub status: Option<i32>,
    pub content_type: Option<String>,
    pub etag: Option<String>,
    pub location: Option<String>,
    pub body: Option<String>,
    /// What the answer disclosed of complainants' details (JSON), logged again on replay.
    pub disclosure: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
