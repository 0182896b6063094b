//! Routing and deadlines: the working-day calendar, supervision orders, extension requests,
//! running time limits with their warning levels, and the notification outbox.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::schema_helpers::{fk, index, one_of};

#[derive(DeriveMigrationName)]
pub struct Migration;

const LEVELS: &[&str] = &["none", "blue", "yellow", "red"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("calendar_years")
                    .col(integer("year").primary_key())
                    .col(timestamp_with_time_zone("loaded_at"))
                    .col(uuid_null("loaded_by"))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("calendar_days")
                    .col(date("date").primary_key())
                    .col(integer("year"))
                    .col(boolean("is_off_day"))
                    .col(string_len("name", 50))
                    .take(),
            )
            .await?;
        manager
            .create_index(index("calendar_days", "idx_calendar_days_year", &["year"]))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("supervision_orders")
                    .col(uuid("id").primary_key())
                    .col(uuid("complaint_id"))
                    .col(integer("round"))
                    .col(uuid("unit_id"))
                    .col(text("opinion"))
                    .col(string_len("status", 16).check(one_of(
                        "status",
                        &[
                            "issued",
                            "signed",
                            "returned",
                            "replied",
                            "accepted",
                            "rejected",
                            "cancelled",
                        ],
                    )))
                    .col(timestamp_with_time_zone("issued_at"))
                    .col(uuid("issued_by"))
                    .col(integer("reply_working_days"))
                    .col(timestamp_with_time_zone_null("explicit_reply_due_at"))
                    .col(timestamp_with_time_zone_null("signed_at"))
                    .col(uuid_null("signed_by"))
                    .col(text_null("return_reason"))
                    .col(text_null("return_basis"))
                    .col(timestamp_with_time_zone_null("returned_at"))
                    .col(uuid_null("returned_by"))
                    .col(string_len_null("return_ruling", 16))
                    .col(text_null("return_ruling_reason"))
                    .col(uuid_null("rerouted_to_order_id"))
                    .col(text_null("reply_result"))
                    .col(text_null("reply_rectification"))
                    .col(text_null("reply_answer_method"))
                    .col(timestamp_with_time_zone_null("reply_answered_at"))
                    .col(timestamp_with_time_zone_null("replied_at"))
                    .col(uuid_null("replied_by"))
                    .col(string_len_null("review_outcome", 16))
                    .col(text_null("review_reasons"))
                    .col(timestamp_with_time_zone_null("reviewed_at"))
                    .col(uuid_null("reviewed_by"))
                    .col(boolean("complainant_to_be_told_new_date"))
                    .col(big_integer("version"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("supervision_orders", "complaint_id", "complaints"))
                    .foreign_key(&mut fk("supervision_orders", "unit_id", "units"))
                    .take(),
            )
            .await?;
        for (name, cols) in [
            ("idx_orders_complaint", &["complaint_id", "round"][..]),
            ("idx_orders_unit", &["unit_id", "status"][..]),
        ] {
            manager
                .create_index(index("supervision_orders", name, cols))
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table("extension_requests")
                    .col(uuid("id").primary_key())
                    .col(uuid("order_id"))
                    .col(integer("working_days"))
                    .col(text("reason"))
                    .col(timestamp_with_time_zone("requested_at"))
                    .col(uuid("requested_by"))
                    .col(string_len_null("decision", 16))
                    .col(text_null("decision_reason"))
                    .col(timestamp_with_time_zone_null("decided_at"))
                    .col(uuid_null("decided_by"))
                    .col(timestamp_with_time_zone_null("new_due_at"))
                    .foreign_key(&mut fk(
                        "extension_requests",
                        "order_id",
                        "supervision_orders",
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "extension_requests",
                "idx_extensions_order",
                &["order_id"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("time_limits")
                    .col(uuid("id").primary_key())
                    .col(uuid("complaint_id"))
                    .col(uuid_null("order_id"))
                    .col(
                        string_len("kind", 16)
                            .check(one_of("kind", &["screening", "sign_for", "reply"])),
                    )
                    .col(uuid_null("unit_id"))
                    .col(uuid_null("handler_id"))
                    .col(timestamp_with_time_zone("started_at"))
                    .col(integer("working_days"))
                    .col(integer("extension_days"))
                    .col(timestamp_with_time_zone_null("explicit_due_at"))
                    .col(timestamp_with_time_zone("due_at"))
                    .col(boolean("provisional"))
                    .col(timestamp_with_time_zone_null("reminded_at"))
                    .col(string_len("warning_level", 8).check(one_of("warning_level", LEVELS)))
                    .col(timestamp_with_time_zone_null("next_check_at"))
                    .col(timestamp_with_time_zone_null("stopped_at"))
                    .col(boolean_null("met_on_time"))
                    .col(big_integer("version"))
                    .foreign_key(&mut fk("time_limits", "complaint_id", "complaints"))
                    .foreign_key(&mut fk("time_limits", "order_id", "supervision_orders"))
                    .take(),
            )
            .await?;
        for (name, cols) in [
            ("idx_limits_running", &["stopped_at", "next_check_at"][..]),
            ("idx_limits_complaint", &["complaint_id"][..]),
            ("idx_limits_order", &["order_id"][..]),
            ("idx_limits_provisional", &["provisional"][..]),
        ] {
            manager
                .create_index(index("time_limits", name, cols))
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table("outbox")
                    .col(uuid("id").primary_key())
                    .col(string_len("topic", 64))
                    .col(text("payload"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("available_at"))
                    .col(integer("attempts"))
                    .col(
                        string_len("status", 16)
                            .check(one_of("status", &["pending", "delivered", "dead"])),
                    )
                    .col(text_null("last_error"))
                    .col(timestamp_with_time_zone_null("delivered_at"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "outbox",
                "idx_outbox_pending",
                &["status", "available_at"],
            ))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "outbox",
            "time_limits",
            "extension_requests",
            "supervision_orders",
            "calendar_days",
            "calendar_years",
        ] {
            manager
                .drop_table(Table::drop().table(Alias::new(table)).take())
                .await?;
        }
        Ok(())
    }
}
