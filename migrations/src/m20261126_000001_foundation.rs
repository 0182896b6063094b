//! Units, accounts, tokens, login throttling, complaints, their events and numbering,
//! and idempotency keys.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::schema_helpers::{fk, index, one_of, one_of_or_null};

#[derive(DeriveMigrationName)]
pub struct Migration;

const STATUSES: &[&str] = &[
    "awaiting_screening",
    "awaiting_classification",
    "in_handling",
    "closed",
    "out_of_scope",
    "invalid",
    "withdrawn",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("units")
                    .col(uuid("id").primary_key())
                    .col(string_len("name", 200))
                    .col(
                        string_len("kind", 16)
                            .check(one_of("kind", &["agency", "section", "window"])),
                    )
                    .col(uuid_null("parent_id"))
                    .col(boolean("active"))
                    .col(big_integer("version"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("units", "parent_id", "units"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index("units", "idx_units_parent", &["parent_id"]))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("users")
                    .col(uuid("id").primary_key())
                    .col(string_len_uniq("username", 64))
                    .col(string_len("display_name", 100))
                    .col(string_len("role", 16).check(one_of(
                        "role",
                        &[
                            "intake",
                            "unit_handler",
                            "unit_head",
                            "leading_group",
                            "admin",
                        ],
                    )))
                    .col(uuid_null("unit_id"))
                    .col(boolean("party_member"))
                    .col(boolean("active"))
                    .col(string_len("password_hash", 255))
                    .col(big_integer("version"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("users", "unit_id", "units"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index("users", "idx_users_unit", &["unit_id"]))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("auth_tokens")
                    .col(uuid("id").primary_key())
                    .col(uuid("user_id"))
                    .col(string_len_uniq("token_hash", 64))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("expires_at"))
                    .col(timestamp_with_time_zone_null("revoked_at"))
                    .foreign_key(&mut fk("auth_tokens", "user_id", "users"))
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("login_throttle")
                    .col(string_len("username", 64).primary_key())
                    .col(integer("failures"))
                    .col(timestamp_with_time_zone("last_failure_at"))
                    .col(timestamp_with_time_zone_null("blocked_until"))
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("complaint_counters")
                    .col(integer("year").primary_key())
                    .col(big_integer("last_sequence"))
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("complaints")
                    .col(uuid("id").primary_key())
                    .col(string_len_uniq("number", 16))
                    .col(
                        string_len("channel", 16)
                            .check(one_of("channel", &["walk_in", "phone", "web", "letter"])),
                    )
                    .col(uuid("respondent_unit_id"))
                    .col(uuid_null("respondent_staff_id"))
                    .col(string_len("matter", 16).check(one_of(
                        "matter",
                        &[
                            "attitude",
                            "efficiency",
                            "procedure",
                            "fees",
                            "outcome",
                            "other",
                        ],
                    )))
                    .col(text("account"))
                    .col(boolean("anonymous"))
                    .col(string_len_null("complainant_name", 100))
                    .col(string_len_null("phone", 32))
                    .col(string_len_null("email", 254))
                    .col(text_null("postal_address"))
                    .col(date_null("letter_date"))
                    .col(string_len_null("receipt_number", 64))
                    .col(timestamp_with_time_zone("received_at"))
                    .col(timestamp_with_time_zone("registered_at"))
                    .col(uuid("first_handler_id"))
                    .col(string_len("status", 32).check(one_of("status", STATUSES)))
                    .col(string_len_null("complaint_type", 16).check(one_of_or_null(
                        "complaint_type",
                        &["on_site", "case_filed", "feedback"],
                    )))
                    .col(string_len_null("screening_outcome", 16))
                    .col(text_null("screening_explanation"))
                    .col(text_null("screening_referral"))
                    .col(timestamp_with_time_zone_null("screened_at"))
                    .col(uuid_null("screened_by"))
                    .col(text_null("closing_outcome"))
                    .col(string_len_null("finding", 16))
                    .col(timestamp_with_time_zone_null("closed_at"))
                    .col(string_len_null("last_return_visit", 32))
                    .col(integer("reopen_count"))
                    .col(big_integer("version"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("complaints", "respondent_unit_id", "units"))
                    .foreign_key(&mut fk("complaints", "respondent_staff_id", "users"))
                    .foreign_key(&mut fk("complaints", "first_handler_id", "users"))
                    .take(),
            )
            .await?;
        for (name, cols) in [
            ("idx_complaints_status", &["status", "id"][..]),
            ("idx_complaints_type", &["complaint_type", "id"][..]),
            ("idx_complaints_channel", &["channel", "id"][..]),
            ("idx_complaints_matter", &["matter", "id"][..]),
            (
                "idx_complaints_respondent",
                &["respondent_unit_id", "id"][..],
            ),
            (
                "idx_complaints_first_handler",
                &["first_handler_id", "id"][..],
            ),
            ("idx_complaints_received", &["received_at"][..]),
        ] {
            manager
                .create_index(index("complaints", name, cols))
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table("complaint_events")
                    .col(uuid("id").primary_key())
                    .col(uuid("complaint_id"))
                    .col(big_integer("sequence"))
                    .col(string_len("kind", 48))
                    .col(uuid_null("actor_id"))
                    .col(timestamp_with_time_zone("at"))
                    .col(text("data"))
                    .col(string_len("prev_hash", 64))
                    .col(string_len("hash", 64))
                    .foreign_key(&mut fk("complaint_events", "complaint_id", "complaints"))
                    .foreign_key(&mut fk("complaint_events", "actor_id", "users"))
                    .take(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "complaint_events",
                    "uq_complaint_events_sequence",
                    &["complaint_id", "sequence"],
                )
                .unique()
                .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("idempotency_keys")
                    .col(uuid("user_id"))
                    .col(string_len("key", 255))
                    .col(string_len("fingerprint", 64))
                    .col(uuid("complaint_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .primary_key(
                        Index::create()
                            .col(Alias::new("user_id"))
                            .col(Alias::new("key")),
                    )
                    .foreign_key(&mut fk("idempotency_keys", "complaint_id", "complaints"))
                    .take(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "idempotency_keys",
            "complaint_events",
            "complaints",
            "complaint_counters",
            "login_throttle",
            "auth_tokens",
            "users",
            "units",
        ] {
            manager
                .drop_table(Table::drop().table(Alias::new(table)).take())
                .await?;
        }
        Ok(())
    }
}
