//! The personal-data access log over the `personal_data_reads` table.

use duban_domain::ids::{ComplaintId, UserId};
use duban_domain::personal_data::{PersonalDataLog, PersonalDataRead, ReadLogQuery};
use duban_domain::storage::RepositoryError;
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::entities::personal_data_read::{self as row, Column};
use crate::storage_error::unavailable;

/// Appends to and reads the log.
#[derive(Clone)]
pub struct SeaPersonalDataLog {
    db: DatabaseConnection,
}

impl SeaPersonalDataLog {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }
}

impl PersonalDataLog for SeaPersonalDataLog {
    async fn append(&self, reads: &[PersonalDataRead]) -> Result<(), RepositoryError> {
        if reads.is_empty() {
            return Ok(());
        }
        let rows = reads.iter().map(|r| row::ActiveModel {
            id: Set(r.id),
            reader_id: Set(r.reader_id.as_uuid()),
            read_at: Set(r.read_at),
            complaint_id: Set(r.complaint_id.map(|c| c.as_uuid())),
            operation: Set(r.operation.clone()),
            client_address: Set(r.client_address.clone()),
        });
        row::Entity::insert_many(rows)
            .exec(&self.db)
            .await
            .map_err(unavailable)?;
        Ok(())
    }

    async fn list(&self, query: &ReadLogQuery) -> Result<Vec<PersonalDataRead>, RepositoryError> {
        let mut select = row::Entity::find()
            .order_by_desc(Column::Id)
            .limit(u64::from(query.limit));
        if let Some(complaint) = query.complaint_id {
            select = select.filter(Column::ComplaintId.eq(complaint.as_uuid()));
        }
        if let Some(from) = query.from {
            select = select.filter(Column::ReadAt.gte(from));
        }
        if let Some(to) = query.to {
            select = select.filter(Column::ReadAt.lt(to));
        }
        if let Some(before) = query.before {
            select = select.filter(Column::Id.lt(before));
        }
        Ok(select
            .all(&self.db)
            .await
            .map_err(unavailable)?
            .into_iter()
            .map(|r| PersonalDataRead {
                id: r.id,
                reader_id: UserId::from_uuid(r.reader_id),
                read_at: r.read_at,
                complaint_id: r.complaint_id.map(ComplaintId::from_uuid),
                operation: r.operation,
                client_address: r.client_address,
            })
            .collect())
    }
}
