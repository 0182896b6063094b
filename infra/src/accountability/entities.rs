//! sea-orm entities of the accountability tables (crate-private).

pub(crate) mod investigation_record {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "investigation_records")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub complaint_id: Uuid,
        pub kind: String,
        pub author_id: Uuid,
        pub recorded_at: DateTimeUtc,
        pub people_involved: String,
        pub content: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub(crate) mod complaint_takeover {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "complaint_takeovers")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub complaint_id: Uuid,
        pub taken_by: Uuid,
        pub taken_at: DateTimeUtc,
        pub reason: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub(crate) mod sanction {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
    #[sea_orm(table_name = "sanctions")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub subject_kind: String,
        pub subject_user_id: Option<Uuid>,
        pub subject_unit_id: Option<Uuid>,
        pub subject_party_member: bool,
        pub proposer_id: Uuid,
        pub proposed_at: DateTimeUtc,
        pub findings: String,
        pub rule_broken: String,
        pub bad_consequences: bool,
        pub media_exposure: bool,
        pub criticism_by_superiors: bool,
        pub uncorrected: bool,
        pub serious_impact: bool,
        pub suspected_crime: bool,
        pub judicial_referral: bool,
        pub justification: Option<String>,
        pub recommendation: String,
        pub sustained_in_window: i32,
        pub aggravating: bool,
        pub status: String,
        pub statement_deadline: Option<DateTimeUtc>,
        pub statement_text: Option<String>,
        pub statement_at: Option<DateTimeUtc>,
        pub statement_by: Option<Uuid>,
        pub statement_late: Option<bool>,
        pub decision_id: Option<Uuid>,
        pub decision_outcome: Option<String>,
        pub decision_reasons: Option<String>,
        pub decided_judicial_referral: Option<bool>,
        pub decided_by: Option<Uuid>,
        pub decided_at: Option<DateTimeUtc>,
        pub effective_date: Option<Date>,
        pub superseded_by: Option<Uuid>,
        pub supersede_reason: Option<String>,
        pub supersedes: Option<Uuid>,
        pub version: i64,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub(crate) mod sanction_measure {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
    #[sea_orm(table_name = "sanction_measures")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub sanction_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub phase: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub position: i32,
        pub track: String,
        pub measure: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub(crate) mod sanction_link {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "sanction_links")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub sanction_id: Uuid,
        pub complaint_id: Option<Uuid>,
        pub investigation_record_id: Option<Uuid>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub(crate) mod sanction_event {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "sanction_events")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub sanction_id: Uuid,
        pub sequence: i32,
        pub kind: String,
        pub actor_id: Uuid,
        pub at: DateTimeUtc,
        pub reason: Option<String>,
        pub data: String,
        pub prev_hash: String,
        pub hash: String,
        pub key_id: Option<String>,
        /// The sanction's row as it stood after this event, covered by the hash.
        pub sealed: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
