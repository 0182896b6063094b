//! Accountability: investigation records, cases held by the leading group, sanction
//! proposals with their measures, links, and history.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::schema_helpers::{fk, index, one_of};

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLES: [&str; 6] = [
    "sanction_events",
    "sanction_links",
    "sanction_measures",
    "sanctions",
    "complaint_takeovers",
    "investigation_records",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("investigation_records")
                    .col(uuid("id").primary_key())
                    .col(uuid("complaint_id"))
                    .col(string_len("kind", 32).check(one_of(
                        "kind",
                        &[
                            "interview_complainant",
                            "interview_respondent",
                            "case_record_check",
                            "witness_statement",
                        ],
                    )))
                    .col(uuid("author_id"))
                    .col(timestamp_with_time_zone("recorded_at"))
                    .col(text("people_involved"))
                    .col(text("content"))
                    .foreign_key(&mut fk(
                        "investigation_records",
                        "complaint_id",
                        "complaints",
                    ))
                    .foreign_key(&mut fk("investigation_records", "author_id", "users"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "investigation_records",
                "idx_investigation_records_complaint",
                &["complaint_id", "recorded_at"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("complaint_takeovers")
                    .col(uuid("complaint_id").primary_key())
                    .col(uuid("taken_by"))
                    .col(timestamp_with_time_zone("taken_at"))
                    .col(text("reason"))
                    .foreign_key(&mut fk("complaint_takeovers", "complaint_id", "complaints"))
                    .foreign_key(&mut fk("complaint_takeovers", "taken_by", "users"))
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("sanctions")
                    .col(uuid("id").primary_key())
                    .col(
                        string_len("subject_kind", 8)
                            .check(one_of("subject_kind", &["person", "unit"])),
                    )
                    .col(uuid_null("subject_user_id"))
                    .col(uuid_null("subject_unit_id"))
                    .col(boolean("subject_party_member"))
                    .col(uuid("proposer_id"))
                    .col(timestamp_with_time_zone("proposed_at"))
                    .col(text("findings"))
                    .col(text("rule_broken"))
                    .col(boolean("bad_consequences"))
                    .col(boolean("media_exposure"))
                    .col(boolean("criticism_by_superiors"))
                    .col(boolean("uncorrected"))
                    .col(boolean("serious_impact"))
                    .col(boolean("suspected_crime"))
                    .col(boolean("judicial_referral"))
                    .col(text_null("justification"))
                    .col(text("recommendation"))
                    .col(integer("sustained_in_window"))
                    .col(boolean("aggravating"))
                    .col(string_len("status", 24).check(one_of(
                        "status",
                        &["proposed", "awaiting_statement", "decided", "superseded"],
                    )))
                    .col(timestamp_with_time_zone_null("statement_deadline"))
                    .col(text_null("statement_text"))
                    .col(timestamp_with_time_zone_null("statement_at"))
                    .col(uuid_null("statement_by"))
                    .col(boolean_null("statement_late"))
                    .col(uuid_null("decision_id"))
                    .col(string_len_null("decision_outcome", 8))
                    .check(
                        Expr::col(Alias::new("decision_outcome"))
                            .is_null()
                            .or(one_of("decision_outcome", &["approve", "amend", "reject"])),
                    )
                    .col(text_null("decision_reasons"))
                    .col(boolean_null("decided_judicial_referral"))
                    .col(uuid_null("decided_by"))
                    .col(timestamp_with_time_zone_null("decided_at"))
                    .col(date_null("effective_date"))
                    .col(uuid_null("superseded_by"))
                    .col(text_null("supersede_reason"))
                    .col(uuid_null("supersedes"))
                    .col(big_integer("version"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("sanctions", "subject_user_id", "users"))
                    .foreign_key(&mut fk("sanctions", "subject_unit_id", "units"))
                    .foreign_key(&mut fk("sanctions", "proposer_id", "users"))
                    .take(),
            )
            .await?;
        for (name, cols) in [
            (
                "idx_sanctions_subject_user",
                &["subject_user_id", "status"][..],
            ),
            (
                "idx_sanctions_subject_unit",
                &["subject_unit_id", "status"][..],
            ),
            ("idx_sanctions_status", &["status", "proposed_at"][..]),
        ] {
            manager.create_index(index("sanctions", name, cols)).await?;
        }

        manager
            .create_table(
                Table::create()
                    .table("sanction_measures")
                    .col(uuid("sanction_id"))
                    .col(string_len("phase", 8).check(one_of("phase", &["proposed", "decided"])))
                    .col(integer("position"))
                    .col(string_len("track", 16).check(one_of(
                        "track",
                        &["soft", "organisational", "administrative", "party"],
                    )))
                    .col(string_len("measure", 32))
                    .primary_key(
                        Index::create()
                            .col(Alias::new("sanction_id"))
                            .col(Alias::new("phase"))
                            .col(Alias::new("position")),
                    )
                    .foreign_key(&mut fk("sanction_measures", "sanction_id", "sanctions"))
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("sanction_links")
                    .col(uuid("id").primary_key())
                    .col(uuid("sanction_id"))
                    .col(uuid_null("complaint_id"))
                    .col(uuid_null("investigation_record_id"))
                    .foreign_key(&mut fk("sanction_links", "sanction_id", "sanctions"))
                    .foreign_key(&mut fk("sanction_links", "complaint_id", "complaints"))
                    .foreign_key(&mut fk(
                        "sanction_links",
                        "investigation_record_id",
                        "investigation_records",
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "sanction_links",
                "idx_sanction_links_sanction",
                &["sanction_id"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("sanction_events")
                    .col(uuid("id").primary_key())
                    .col(uuid("sanction_id"))
                    .col(integer("sequence"))
                    .col(string_len("kind", 32))
                    .col(uuid("actor_id"))
                    .col(timestamp_with_time_zone("at"))
                    .col(text_null("reason"))
                    .col(text("data"))
                    .foreign_key(&mut fk("sanction_events", "sanction_id", "sanctions"))
                    .take(),
            )
            .await?;
        manager
            .create_index(
                index(
                    "sanction_events",
                    "idx_sanction_events_seq",
                    &["sanction_id", "sequence"],
                )
                .unique()
                .take(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in TABLES {
            manager
                .drop_table(Table::drop().table(Alias::new(table)).take())
                .await?;
        }
        Ok(())
    }
}
