//! Stores orders and applies each order action's writes in one transaction.

use duban_domain::calendar::WarningLevel;
use duban_domain::ids::ComplaintId;
use duban_domain::limits::LimitKind;
use duban_domain::storage::RepositoryError;
use duban_domain::supervision::ports::{
    InboxItem, InboxQuery, LimitChange, NoticeFilter, OrderRepository, OrderWrite,
};
use duban_domain::supervision::{ExtensionRequest, OrderStatus, SupervisionOrder};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    QueryFilter, QueryOrder, Set,
};

use super::mapping::{extension_to_domain, extension_to_row, order_to_domain, order_to_row};
use crate::complaints::event_log;
use crate::db::begin_write;
use crate::entities::{complaint, extension_request, supervision_order, time_limit};
use crate::storage_error::unavailable;
use crate::time_limits::to_view;

/// Orders in SQLite or PostgreSQL.
#[derive(Clone)]
pub struct SeaOrderRepository {
    db: DatabaseConnection,
}

impl SeaOrderRepository {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }
}

async fn apply_limit(
    txn: &DatabaseTransaction,
    change: &LimitChange,
) -> Result<(), RepositoryError> {
    match change {
        LimitChange::Start {
            order_id,
            unit_id,
            kind,
            started_at,
            working_days,
            explicit_due_at,
            due_at,
            provisional,
        } => {
            let complaint_id = supervision_order::Entity::find_by_id(*order_id)
                .one(txn)
                .await
                .map_err(unavailable)?
                .map(|o| o.complaint_id)
                .ok_or_else(|| RepositoryError::Unavailable("limit for an unknown order".into()))?;
            if *provisional {
                tracing::warn!(%due_at, "the calendar does not cover this limit; it is provisional until that year is loaded");
            }
            time_limit::ActiveModel {
                id: Set(uuid::Uuid::now_v7()),
                complaint_id: Set(complaint_id),
                order_id: Set(Some(*order_id)),
                kind: Set(kind.as_str().to_owned()),
                unit_id: Set(Some(unit_id.as_uuid())),
                handler_id: Set(None),
                started_at: Set(*started_at),
                working_days: Set(i32::try_from(*working_days).unwrap_or(i32::MAX)),
                extension_days: Set(0),
                explicit_due_at: Set(*explicit_due_at),
                due_at: Set(*due_at),
                provisional: Set(*provisional),
                reminded_at: Set(None),
                warning_level: Set(WarningLevel::None.as_str().to_owned()),
                next_check_at: Set(Some(*started_at)),
                stopped_at: Set(None),
                met_on_time: Set(None),
                version: Set(1),
            }
            .insert(txn)
            .await
            .map_err(unavailable)?;
        }
        LimitChange::Stop { order_id, kind, at } => {
            let running = time_limit::Entity::find()
                .filter(time_limit::Column::OrderId.eq(*order_id))
                .filter(time_limit::Column::Kind.eq(kind.as_str()))
                .filter(time_limit::Column::StoppedAt.is_null())
                .all(txn)
                .await
                .map_err(unavailable)?;
            for limit in running {
                let met = *at < limit.due_at;
                let version = limit.version;
                let mut row: time_limit::ActiveModel = limit.into();
                row.stopped_at = Set(Some(*at));
                row.met_on_time = Set(Some(met));
                row.next_check_at = Set(None);
                row.version = Set(version + 1);
                row.update(txn).await.map_err(unavailable)?;
            }
        }
        LimitChange::Extend {
            order_id,
            extra_working_days,
            due_at,
            provisional,
        } => {
            let running = time_limit::Entity::find()
                .filter(time_limit::Column::OrderId.eq(*order_id))
                .filter(time_limit::Column::Kind.eq(LimitKind::Reply.as_str()))
                .filter(time_limit::Column::StoppedAt.is_null())
                .all(txn)
                .await
                .map_err(unavailable)?;
            for limit in running {
                let (version, days) = (limit.version, limit.extension_days);
                let started = limit.started_at;
                let mut row: time_limit::ActiveModel = limit.into();
                row.extension_days = Set(days + i32::try_from(*extra_working_days).unwrap_or(0));
                row.due_at = Set(*due_at);
                row.provisional = Set(*provisional);
                row.next_check_at = Set(Some(started));
                row.version = Set(version + 1);
                row.update(txn).await.map_err(unavailable)?;
            }
        }
        LimitChange::Remind { order_id, at, note } => {
            super::reminder::remind(txn, *order_id, *at, note).await?;
        }
    }
    Ok(())
}

impl OrderRepository for SeaOrderRepository {
    async fn find(&self, id: uuid::Uuid) -> Result<Option<SupervisionOrder>, RepositoryError> {
        supervision_order::Entity::find_by_id(id)
            .one(&self.db)
            .await
            .map_err(unavailable)?
            .map(order_to_domain)
            .transpose()
    }

    async fn for_complaint(
        &self,
        complaint_id: ComplaintId,
    ) -> Result<Vec<SupervisionOrder>, RepositoryError> {
        supervision_order::Entity::find()
            .filter(supervision_order::Column::ComplaintId.eq(complaint_id.as_uuid()))
            .order_by_asc(supervision_order::Column::IssuedAt)
            .order_by_asc(supervision_order::Column::Id)
            .all(&self.db)
            .await
            .map_err(unavailable)?
            .into_iter()
            .map(order_to_domain)
            .collect()
    }

    async fn extension_requests(
        &self,
        order_id: uuid::Uuid,
    ) -> Result<Vec<ExtensionRequest>, RepositoryError> {
        self.extension_requests_of(&[order_id]).await
    }

    async fn extension_requests_of(
        &self,
        order_ids: &[uuid::Uuid],
    ) -> Result<Vec<ExtensionRequest>, RepositoryError> {
        if order_ids.is_empty() {
            return Ok(vec![]);
        }
        extension_request::Entity::find()
            .filter(extension_request::Column::OrderId.is_in(order_ids.to_vec()))
            .order_by_asc(extension_request::Column::RequestedAt)
            .all(&self.db)
            .await
            .map_err(unavailable)?
            .into_iter()
            .map(extension_to_domain)
            .collect()
    }

    async fn limits(
        &self,
        order_id: uuid::Uuid,
    ) -> Result<Vec<duban_domain::limits::LimitView>, RepositoryError> {
        self.limits_of(&[order_id]).await
    }

    async fn limits_of(
        &self,
        order_ids: &[uuid::Uuid],
    ) -> Result<Vec<duban_domain::limits::LimitView>, RepositoryError> {
        if order_ids.is_empty() {
            return Ok(vec![]);
        }
        time_limit::Entity::find()
            .filter(time_limit::Column::OrderId.is_in(order_ids.to_vec()))
            .order_by_asc(time_limit::Column::StartedAt)
            .all(&self.db)
            .await
            .map_err(unavailable)?
            .into_iter()
            .map(to_view)
            .collect()
    }

    async fn write(&self, write: OrderWrite) -> Result<(), RepositoryError> {
        let txn = begin_write(&self.db).await.map_err(unavailable)?;
        for (order, expected) in &write.updated {
            let updated = supervision_order::Entity::update_many()
                .set(order_to_row(order))
                .filter(supervision_order::Column::Id.eq(order.id))
                .filter(supervision_order::Column::Version.eq(*expected))
                .exec(&txn)
                .await
                .map_err(unavailable)?;
            if updated.rows_affected != 1 {
                return Err(RepositoryError::Conflict);
            }
        }
        for order in &write.inserted {
            order_to_row(order)
                .insert(&txn)
                .await
                .map_err(unavailable)?;
        }
        if !write.inserted.is_empty() {
            // A new open order changes what may be done to the complaint (it can no longer be
            // closed or reclassified): bump its version so a concurrent close fails as stale.
            complaint::Entity::update_many()
                .col_expr(
                    complaint::Column::Version,
                    Expr::col(complaint::Column::Version).add(1),
                )
                .col_expr(complaint::Column::UpdatedAt, Expr::value(write.at))
                .filter(complaint::Column::Id.eq(write.complaint_id.as_uuid()))
                .exec(&txn)
                .await
                .map_err(unavailable)?;
        }
        if let Some(request) = &write.extension {
            let exists = extension_request::Entity::find_by_id(request.id)
                .one(&txn)
                .await
                .map_err(unavailable)?
                .is_some();
            if exists {
                extension_to_row(request)
                    .update(&txn)
                    .await
                    .map_err(unavailable)?;
            } else {
                extension_to_row(request)
                    .insert(&txn)
                    .await
                    .map_err(unavailable)?;
            }
        }
        for change in &write.limits {
            apply_limit(&txn, change).await?;
        }
        for event in &write.events {
            event_log::append(&txn, write.complaint_id, event, write.actor, write.at).await?;
        }
        txn.commit().await.map_err(unavailable)
    }

    async fn inbox(&self, query: &InboxQuery) -> Result<Vec<InboxItem>, RepositoryError> {
        let mut select = supervision_order::Entity::find();
        if let Some(units) = &query.units {
            select = select.filter(
                supervision_order::Column::UnitId
                    .is_in(units.iter().map(|u| u.as_uuid()).collect::<Vec<_>>()),
            );
        }
        if let Some(notice) = query.complainant_notice {
            select = select
                .filter(supervision_order::Column::ComplainantNoticeDueAt.is_not_null())
                .filter(supervision_order::Column::ComplainantToldAt.is_null());
            if let (NoticeFilter::Overdue, Some(as_of)) = (notice, query.as_of) {
                select = select.filter(supervision_order::Column::ComplainantNoticeDueAt.lt(as_of));
            }
        }
        match query.status {
            Some(status) => {
                select = select.filter(supervision_order::Column::Status.eq(status.as_str()))
            }
            // A complainant notice can be owed on an order of any status.
            None if query.complainant_notice.is_some() => {}
            None => {
                let open: Vec<&str> = OrderStatus::ALL
                    .iter()
                    .filter(|s| s.is_open())
                    .map(|s| s.as_str())
                    .collect();
                select = select.filter(supervision_order::Column::Status.is_in(open));
            }
        }
        if let Some(complaint) = query.complaint_id {
            select = select.filter(supervision_order::Column::ComplaintId.eq(complaint.as_uuid()));
        }
        let orders = select.all(&self.db).await.map_err(unavailable)?;
        let ids: Vec<uuid::Uuid> = orders.iter().map(|o| o.id).collect();
        let limits = if ids.is_empty() {
            vec![]
        } else {
            time_limit::Entity::find()
                .filter(time_limit::Column::OrderId.is_in(ids))
                .filter(time_limit::Column::StoppedAt.is_null())
                .all(&self.db)
                .await
                .map_err(unavailable)?
        };
        let mut items = Vec::with_capacity(orders.len());
        for order in orders {
            let running: Vec<_> = limits
                .iter()
                .filter(|l| l.order_id == Some(order.id))
                .cloned()
                .map(to_view)
                .collect::<Result<_, _>>()?;
            let due = |kind: LimitKind| running.iter().find(|l| l.kind == kind).map(|l| l.due_at);
            let warning_level = running
                .iter()
                .map(|l| l.warning_level)
                .max()
                .unwrap_or(WarningLevel::None);
            if query.warning_level.is_some_and(|w| w != warning_level) {
                continue;
            }
            items.push(InboxItem {
                sign_due_at: due(LimitKind::SignFor),
                reply_due_at: due(LimitKind::Reply),
                warning_level,
                order: order_to_domain(order)?,
            });
        }
        items.sort_by_key(|i| (i.reply_due_at.is_none(), i.reply_due_at, i.order.issued_at));
        Ok(items
            .into_iter()
            .skip(usize::try_from(query.offset).unwrap_or(usize::MAX))
            .take(usize::try_from(query.limit).unwrap_or(usize::MAX))
            .collect())
    }
}
