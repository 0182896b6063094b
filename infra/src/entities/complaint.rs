use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "complaints")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub number: String,
    pub channel: String,
    pub respondent_unit_id: Uuid,
    pub respondent_staff_id: Option<Uuid>,
    pub matter: String,
    pub account: String,
    pub anonymous: bool,
    pub complainant_name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub postal_address: Option<String>,
    pub letter_date: Option<Date>,
    pub receipt_number: Option<String>,
    pub received_at: DateTimeUtc,
    pub registered_at: DateTimeUtc,
    pub first_handler_id: Uuid,
    pub status: String,
    pub complaint_type: Option<String>,
    pub screening_outcome: Option<String>,
    pub screening_explanation: Option<String>,
    pub screening_referral: Option<String>,
    pub screened_at: Option<DateTimeUtc>,
    pub screened_by: Option<Uuid>,
    pub closing_outcome: Option<String>,
    pub finding: Option<String>,
    pub closed_at: Option<DateTimeUtc>,
    pub last_return_visit: Option<String>,
    pub reopen_count: i32,
    pub version: i64,
    pub updated_at: DateTimeUtc,
    pub answer_method: Option<String>,
    pub answered_at: Option<DateTimeUtc>,
    pub feedback_disposition: Option<String>,
    pub feedback_section_id: Option<Uuid>,
    pub return_visit_at: Option<DateTimeUtc>,
    pub return_visit_remarks: Option<String>,
    pub phone_key: Option<String>,
    pub email_key: Option<String>,
    pub contact_erased_at: Option<DateTimeUtc>,
    pub answer_due_at: Option<DateTimeUtc>,
    pub answer_claimed_until: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
