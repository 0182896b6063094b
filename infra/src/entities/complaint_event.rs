use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "complaint_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub complaint_id: Uuid,
    pub sequence: i64,
    pub kind: String,
    pub actor_id: Option<Uuid>,
    pub at: DateTimeUtc,
    pub data: String,
    pub prev_hash: String,
    pub hash: String,
    /// The key the hash was made with; `None` for the old unkeyed scheme.
    pub key_id: Option<String>,
    /// Facts of the row no event states, covered by the hash (the registration's).
    pub sealed: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
