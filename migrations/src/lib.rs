//! Database migrations, one file per migration, never edited after they land.

pub use sea_orm_migration::prelude::*;

mod m20261126_000001_foundation;
mod m20261126_000002_routing;
mod m20261126_000003_closing;
mod m20261126_000004_accountability;
mod m20261126_000005_repeat_keys;
mod m20261126_000006_complaint_links;
mod m20261202_000001_idempotent_responses;
mod m20261202_000002_login_security;
mod m20261202_000101_approved_decided_measures;
mod m20261202_000102_sanction_statement_filed;
mod m20261203_000100_personal_data_reads;
mod m20261203_000200_contact_retention;
mod m20261203_000300_keyed_audit;
mod m20261203_000400_notifications;
mod m20261203_000500_complainant_notice;
mod m20261203_000600_delivery_channels;
mod m20261204_000700_complaint_answer;

mod schema_helpers;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261126_000001_foundation::Migration),
            Box::new(m20261126_000002_routing::Migration),
            Box::new(m20261126_000003_closing::Migration),
            Box::new(m20261126_000004_accountability::Migration),
            Box::new(m20261126_000005_repeat_keys::Migration),
            Box::new(m20261126_000006_complaint_links::Migration),
            Box::new(m20261202_000001_idempotent_responses::Migration),
            Box::new(m20261202_000002_login_security::Migration),
            Box::new(m20261202_000101_approved_decided_measures::Migration),
            Box::new(m20261202_000102_sanction_statement_filed::Migration),
            Box::new(m20261203_000100_personal_data_reads::Migration),
            Box::new(m20261203_000200_contact_retention::Migration),
            Box::new(m20261203_000300_keyed_audit::Migration),
            Box::new(m20261203_000400_notifications::Migration),
            Box::new(m20261203_000500_complainant_notice::Migration),
            Box::new(m20261203_000600_delivery_channels::Migration),
            Box::new(m20261204_000700_complaint_answer::Migration),
        ]
    }
}
