//! [`AccountabilityRepository`] on sea-orm (SQLite and PostgreSQL).

use chrono::{DateTime, Utc};
use duban_domain::accountability::leaders::UnitLeadership;
use duban_domain::accountability::{
    AccountabilityRepository, CaseFacts, ComplaintAgainst, InvestigationRecord, PersonFacts,
    SanctionHistoryEntry, SanctionQuery, SanctionRecord, SanctionWrite, Takeover,
};
use duban_domain::complaint::events::ComplaintEvent;
use duban_domain::complaint::ports::{RepositoryError, UnitDirectory};
use duban_domain::ids::{ComplaintId, UnitId, UserId};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use super::entities::{
    complaint_takeover, investigation_record, sanction, sanction_event, sanction_link,
};
use super::mapping::{corrupt, record_from, sanction_row};
use super::reads::{against, load, sustained};
use super::sanction_writes::{append_history, update_row, write_measures};
use crate::complaints::event_log;
use crate::db::begin_write;
use crate::directory::SeaUnitDirectory;
use crate::entities::{complaint, unit, user};
use crate::notifications::notify_sanction_entry;
use crate::storage_error::{conflict_or_unavailable, unavailable};

/// Investigation records, takeovers and sanctions in the service's database.
#[derive(Clone)]
pub struct SeaAccountabilityRepository {
    db: DatabaseConnection,
    directory: SeaUnitDirectory,
}

impl SeaAccountabilityRepository {
    pub fn new(db: DatabaseConnection) -> Self {
        Self {
            directory: SeaUnitDirectory::new(db.clone()),
            db,
        }
    }
}

impl AccountabilityRepository for SeaAccountabilityRepository {
    async fn case_facts(&self, id: ComplaintId) -> Result<Option<CaseFacts>, RepositoryError> {
        let unit: Option<uuid::Uuid> = complaint::Entity::find_by_id(id.as_uuid())
            .select_only()
            .column(complaint::Column::RespondentUnitId)
            .into_tuple()
            .one(&self.db)
            .await
            .map_err(unavailable)?;
        let Some(unit) = unit else { return Ok(None) };
        let held = complaint_takeover::Entity::find_by_id(id.as_uuid())
            .one(&self.db)
            .await
            .map_err(unavailable)?;
        Ok(Some(CaseFacts {
            id,
            respondent_unit_id: UnitId::from_uuid(unit),
            held_by: held.map(|h| Takeover {
                complaint_id: id,
                taken_by: UserId::from_uuid(h.taken_by),
                taken_at: h.taken_at,
                reason: h.reason,
            }),
        }))
    }

    async fn person(&self, id: UserId) -> Result<Option<PersonFacts>, RepositoryError> {
        let Some(u) = user::Entity::find_by_id(id.as_uuid())
            .one(&self.db)
            .await
            .map_err(unavailable)?
        else {
            return Ok(None);
        };
        Ok(Some(PersonFacts {
            id,
            role: u.role.parse().map_err(corrupt)?,
            unit_id: u.unit_id.map(UnitId::from_uuid),
            party_member: u.party_member,
        }))
    }

    async fn unit_and_descendants(&self, id: UnitId) -> Result<Vec<UnitId>, RepositoryError> {
        let known = unit::Entity::find_by_id(id.as_uuid())
            .one(&self.db)
            .await
            .map_err(unavailable)?;
        if known.is_none() {
            return Ok(Vec::new());
        }
        self.directory.unit_and_descendants(id).await
    }

    async fn unit_chain(&self, id: UnitId) -> Result<Vec<UnitLeadership>, RepositoryError> {
        super::leadership::unit_chain(&self.db, id).await
    }

    async fn add_record(&self, record: &InvestigationRecord) -> Result<(), RepositoryError> {
        let txn = begin_write(&self.db).await.map_err(unavailable)?;
        investigation_record::ActiveModel {
            id: Set(record.id),
            complaint_id: Set(record.complaint_id.as_uuid()),
            kind: Set(record.kind.as_str().to_owned()),
            author_id: Set(record.author_id.as_uuid()),
            recorded_at: Set(record.recorded_at),
            people_involved: Set(record.people_involved.clone()),
            content: Set(record.content.clone()),
        }
        .insert(&txn)
        .await
        .map_err(unavailable)?;
        let event = ComplaintEvent::InvestigationRecorded {
            record_id: record.id,
            record_kind: record.kind.as_str().to_owned(),
        };
        event_log::append(
            &txn,
            record.complaint_id,
            &event,
            Some(record.author_id),
            record.recorded_at,
        )
        .await?;
        txn.commit().await.map_err(unavailable)
    }

    async fn records(
        &self,
        complaint_id: ComplaintId,
    ) -> Result<Vec<InvestigationRecord>, RepositoryError> {
        investigation_record::Entity::find()
            .filter(investigation_record::Column::ComplaintId.eq(complaint_id.as_uuid()))
            .order_by_asc(investigation_record::Column::RecordedAt)
            .order_by_asc(investigation_record::Column::Id)
            .all(&self.db)
            .await
            .map_err(unavailable)?
            .into_iter()
            .map(record_from)
            .collect()
    }

    async fn records_by_id(
        &self,
        ids: &[uuid::Uuid],
    ) -> Result<Vec<InvestigationRecord>, RepositoryError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        investigation_record::Entity::find()
            .filter(investigation_record::Column::Id.is_in(ids.to_vec()))
            .all(&self.db)
            .await
            .map_err(unavailable)?
            .into_iter()
            .map(record_from)
            .collect()
    }

    async fn take_over(&self, takeover: &Takeover) -> Result<(), RepositoryError> {
        let txn = begin_write(&self.db).await.map_err(unavailable)?;
        complaint_takeover::ActiveModel {
            complaint_id: Set(takeover.complaint_id.as_uuid()),
            taken_by: Set(takeover.taken_by.as_uuid()),
            taken_at: Set(takeover.taken_at),
            reason: Set(takeover.reason.clone()),
        }
        .insert(&txn)
        .await
        .map_err(conflict_or_unavailable)?;
        let event = ComplaintEvent::TakenOver {
            reason: takeover.reason.clone(),
        };
        event_log::append(
            &txn,
            takeover.complaint_id,
            &event,
            Some(takeover.taken_by),
            takeover.taken_at,
        )
        .await?;
        txn.commit().await.map_err(unavailable)
    }

    async fn sustained_closings_of_person(
        &self,
        person: UserId,
    ) -> Result<Vec<DateTime<Utc>>, RepositoryError> {
        sustained(
            &self.db,
            Condition::all().add(complaint::Column::RespondentStaffId.eq(person.as_uuid())),
        )
        .await
    }

    async fn sustained_closings_of_unit(
        &self,
        unit: UnitId,
    ) -> Result<Vec<DateTime<Utc>>, RepositoryError> {
        sustained(
            &self.db,
            Condition::all().add(complaint::Column::RespondentUnitId.eq(unit.as_uuid())),
        )
        .await
    }

    async fn complaints_against_person(
        &self,
        person: UserId,
    ) -> Result<Vec<ComplaintAgainst>, RepositoryError> {
        against(
            &self.db,
            Condition::all().add(complaint::Column::RespondentStaffId.eq(person.as_uuid())),
        )
        .await
    }

    async fn complaints_against_unit(
        &self,
        unit: UnitId,
    ) -> Result<Vec<ComplaintAgainst>, RepositoryError> {
        against(
            &self.db,
            Condition::all().add(complaint::Column::RespondentUnitId.eq(unit.as_uuid())),
        )
        .await
    }

    async fn find_sanction(
        &self,
        id: uuid::Uuid,
    ) -> Result<Option<SanctionRecord>, RepositoryError> {
        let rows = sanction::Entity::find_by_id(id)
            .all(&self.db)
            .await
            .map_err(unavailable)?;
        Ok(load(&self.db, rows).await?.into_iter().next())
    }

    async fn list_sanctions(
        &self,
        query: &SanctionQuery,
    ) -> Result<Vec<SanctionRecord>, RepositoryError> {
        let mut select = sanction::Entity::find();
        if let Some(units) = &query.units {
            let units: Vec<uuid::Uuid> = units.iter().map(UnitId::as_uuid).collect();
            let staff = Query::select()
                .column(user::Column::Id)
                .from(user::Entity)
                .and_where(Expr::col(user::Column::UnitId).is_in(units.clone()))
                .to_owned();
            select = select.filter(
                Condition::any()
                    .add(sanction::Column::SubjectUnitId.is_in(units))
                    .add(sanction::Column::SubjectUserId.in_subquery(staff)),
            );
        }
        if let Some(user) = query.subject_user_id {
            select = select.filter(sanction::Column::SubjectUserId.eq(user.as_uuid()));
        }
        if let Some(unit) = query.subject_unit_id {
            select = select.filter(sanction::Column::SubjectUnitId.eq(unit.as_uuid()));
        }
        if let Some(status) = query.status {
            select =
                select.filter(sanction::Column::Status.eq(super::mapping::status_name(status)));
        }
        let rows = select
            .order_by_desc(sanction::Column::ProposedAt)
            .order_by_desc(sanction::Column::Id)
            .offset(u64::from(query.offset))
            .limit(u64::from(query.limit))
            .all(&self.db)
            .await
            .map_err(unavailable)?;
        load(&self.db, rows).await
    }

    async fn sanction_history(
        &self,
        id: uuid::Uuid,
    ) -> Result<Vec<SanctionHistoryEntry>, RepositoryError> {
        Ok(sanction_event::Entity::find()
            .filter(sanction_event::Column::SanctionId.eq(id))
            .order_by_asc(sanction_event::Column::Sequence)
            .all(&self.db)
            .await
            .map_err(unavailable)?
            .into_iter()
            .map(|e| SanctionHistoryEntry {
                kind: e.kind,
                actor: UserId::from_uuid(e.actor_id),
                at: e.at,
                reason: e.reason,
            })
            .collect())
    }

    async fn write_sanction(&self, write: SanctionWrite) -> Result<(), RepositoryError> {
        let txn = begin_write(&self.db).await.map_err(unavailable)?;
        let record = &write.record;
        match write.replaces_version {
            None => {
                sanction_row(record)?
                    .insert(&txn)
                    .await
                    .map_err(unavailable)?;
                write_measures(&txn, record, "proposed", record.case.proposed().measures()).await?;
                for (complaint, investigation) in record
                    .complaint_ids
                    .iter()
                    .map(|c| (Some(c.as_uuid()), None))
                    .chain(
                        record
                            .investigation_record_ids
                            .iter()
                            .map(|r| (None, Some(*r))),
                    )
                {
                    sanction_link::ActiveModel {
                        id: Set(uuid::Uuid::now_v7()),
                        sanction_id: Set(record.case.id()),
                        complaint_id: Set(complaint),
                        investigation_record_id: Set(investigation),
                    }
                    .insert(&txn)
                    .await
                    .map_err(unavailable)?;
                }
            }
            Some(replaces) => {
                update_row(&txn, record, replaces, None).await?;
                // A decision writes the measures it put in force as the `decided` phase: the
                // amendment's, or the proposal's when approved (the statistics and every
                // reader of decided measures find them there).
                if let duban_domain::sanction::SanctionStatus::Decided { decision, .. } =
                    record.case.status()
                {
                    let decided = match &decision.outcome {
                        duban_domain::sanction::DecisionOutcome::Amended { measures, .. } => {
                            Some(measures)
                        }
                        duban_domain::sanction::DecisionOutcome::Approved => {
                            Some(record.case.proposed())
                        }
                        duban_domain::sanction::DecisionOutcome::Rejected { .. } => None,
                    };
                    if let Some(measures) = decided {
                        write_measures(&txn, record, "decided", measures.measures()).await?;
                    }
                }
            }
        }
        append_history(&txn, record.case.id(), &write.history).await?;
        for entry in &write.history {
            notify_sanction_entry(&txn, record, &entry.kind, entry.at).await?;
        }
        for (other, replaces, entry) in &write.also {
            update_row(&txn, other, *replaces, entry.reason.clone()).await?;
            append_history(&txn, other.case.id(), std::slice::from_ref(entry)).await?;
        }
        txn.commit().await.map_err(unavailable)
    }
}
