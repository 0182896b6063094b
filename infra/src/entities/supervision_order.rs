use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "supervision_orders")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub complaint_id: Uuid,
    pub round: i32,
    pub unit_id: Uuid,
    pub opinion: String,
    pub status: String,
    pub issued_at: DateTimeUtc,
    pub issued_by: Uuid,
    pub reply_working_days: i32,
    pub explicit_reply_due_at: Option<DateTimeUtc>,
    pub signed_at: Option<DateTimeUtc>,
    pub signed_by: Option<Uuid>,
    pub return_reason: Option<String>,
    pub return_basis: Option<String>,
    pub returned_at: Option<DateTimeUtc>,
    pub returned_by: Option<Uuid>,
    pub return_ruling: Option<String>,
    pub return_ruling_reason: Option<String>,
    pub rerouted_to_order_id: Option<Uuid>,
    pub reply_result: Option<String>,
    pub reply_rectification: Option<String>,
    pub reply_answer_method: Option<String>,
    pub reply_answered_at: Option<DateTimeUtc>,
    pub replied_at: Option<DateTimeUtc>,
    pub replied_by: Option<Uuid>,
    pub review_outcome: Option<String>,
    pub review_reasons: Option<String>,
    pub reviewed_at: Option<DateTimeUtc>,
    pub reviewed_by: Option<Uuid>,
    pub complainant_to_be_told_new_date: bool,
    pub complainant_notice_due_at: Option<DateTimeUtc>,
    pub complainant_told_at: Option<DateTimeUtc>,
    pub complainant_told_method: Option<String>,
    /// Empty when the system told the complainant itself.
    pub complainant_told_by: Option<Uuid>,
    /// A worker telling the complainant itself holds the notice until then.
    pub complainant_notice_claimed_until: Option<DateTimeUtc>,
    pub version: i64,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
