use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "time_limits")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub complaint_id: Uuid,
    pub order_id: Option<Uuid>,
    /// `screening`, `sign_for` or `reply`.
    pub kind: String,
    /// The unit answerable for the limit (orders).
    pub unit_id: Option<Uuid>,
    /// The person answerable (the first handler for screening).
    pub handler_id: Option<Uuid>,
    /// The event the limit counts from (次日起算).
    pub started_at: DateTimeUtc,
    pub working_days: i32,
    /// Granted extensions, added to `working_days`.
    pub extension_days: i32,
    /// A later date intake set explicitly instead of counting working days.
    pub explicit_due_at: Option<DateTimeUtc>,
    pub due_at: DateTimeUtc,
    /// Computed through a year without calendar data.
    pub provisional: bool,
    pub reminded_at: Option<DateTimeUtc>,
    /// The last warning level recorded for this limit.
    pub warning_level: String,
    /// When the sweeper must look at this limit next.
    pub next_check_at: Option<DateTimeUtc>,
    pub stopped_at: Option<DateTimeUtc>,
    pub met_on_time: Option<bool>,
    pub version: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
