//! What the order use cases need from storage.

use std::future::Future;

use chrono::{DateTime, Utc};

use super::model::{ExtensionRequest, OrderStatus, SupervisionOrder};
use crate::calendar::WarningLevel;
use crate::complaint::events::ComplaintEvent;
use crate::ids::{ComplaintId, UnitId, UserId};
use crate::limits::{LimitKind, LimitView};
use crate::storage::RepositoryError;

/// A change to the time limits of an order, decided by the core (due dates included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LimitChange {
    Start {
        order_id: uuid::Uuid,
        unit_id: UnitId,
        kind: LimitKind,
        started_at: DateTime<Utc>,
        working_days: u32,
        explicit_due_at: Option<DateTime<Utc>>,
        due_at: DateTime<Utc>,
        provisional: bool,
    },
    Stop {
        order_id: uuid::Uuid,
        kind: LimitKind,
        at: DateTime<Utc>,
    },
    Extend {
        order_id: uuid::Uuid,
        extra_working_days: u32,
        due_at: DateTime<Utc>,
        provisional: bool,
    },
    /// A reminder (催办) on the order's running limits: recorded on them, re-examined by the
    /// deadline sweeper at once (an overdue limit reminded goes red), and told to the unit.
    Remind {
        order_id: uuid::Uuid,
        at: DateTime<Utc>,
        note: String,
    },
}

/// Everything one order action writes, in ONE transaction.
#[derive(Debug, Clone)]
pub struct OrderWrite {
    pub complaint_id: ComplaintId,
    pub inserted: Vec<SupervisionOrder>,
    /// New states (version already incremented) with the version they replace.
    pub updated: Vec<(SupervisionOrder, i64)>,
    pub extension: Option<ExtensionRequest>,
    pub limits: Vec<LimitChange>,
    pub events: Vec<ComplaintEvent>,
    /// None: the system acted (e.g. sent the complainant a notice itself).
    pub actor: Option<UserId>,
    pub at: DateTime<Utc>,
}

/// An order in a unit's inbox, with its deadlines and warning level.
#[derive(Debug, Clone)]
pub struct InboxItem {
    pub order: SupervisionOrder,
    pub sign_due_at: Option<DateTime<Utc>>,
    pub reply_due_at: Option<DateTime<Utc>>,
    /// The highest level among the order's running limits.
    pub warning_level: WarningLevel,
}

/// Filters of the order inbox; soonest reply deadline first.
#[derive(Debug, Clone, Default)]
pub struct InboxQuery {
    /// `None`: every unit (intake, leading group).
    pub units: Option<Vec<UnitId>>,
    pub status: Option<OrderStatus>,
    pub warning_level: Option<WarningLevel>,
    pub complaint_id: Option<ComplaintId>,
    /// Only orders whose complainant notice is in this state (of any order status).
    pub complainant_notice: Option<NoticeFilter>,
    /// The instant `Overdue` is judged at; the service sets it from its clock.
    pub as_of: Option<DateTime<Utc>>,
    pub limit: u32,
    pub offset: u32,
}

/// Which complainant notices an inbox query asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeFilter {
    /// Not yet told.
    Open,
    /// Not yet told, past the working day it was due in.
    Overdue,
}

/// Orders, their extension requests and time limits.
pub trait OrderRepository: Send + Sync {
    /// # Errors
    /// [`RepositoryError::Unavailable`].
    fn find(
        &self,
        id: uuid::Uuid,
    ) -> impl Future<Output = Result<Option<SupervisionOrder>, RepositoryError>> + Send;

    /// Every order of a complaint, in issue order.
    ///
    /// # Errors
    /// [`RepositoryError::Unavailable`].
    fn for_complaint(
        &self,
        complaint_id: ComplaintId,
    ) -> impl Future<Output = Result<Vec<SupervisionOrder>, RepositoryError>> + Send;

    /// # Errors
    /// [`RepositoryError::Unavailable`].
    fn extension_requests(
        &self,
        order_id: uuid::Uuid,
    ) -> impl Future<Output = Result<Vec<ExtensionRequest>, RepositoryError>> + Send;

    /// The extension requests of several orders at once, oldest first.
    ///
    /// # Errors
    /// [`RepositoryError::Unavailable`].
    fn extension_requests_of(
        &self,
        order_ids: &[uuid::Uuid],
    ) -> impl Future<Output = Result<Vec<ExtensionRequest>, RepositoryError>> + Send;

    /// The limits of an order (running and stopped).
    ///
    /// # Errors
    /// [`RepositoryError::Unavailable`].
    fn limits(
        &self,
        order_id: uuid::Uuid,
    ) -> impl Future<Output = Result<Vec<LimitView>, RepositoryError>> + Send;

    /// The limits of several orders at once, oldest first.
    ///
    /// # Errors
    /// [`RepositoryError::Unavailable`].
    fn limits_of(
        &self,
        order_ids: &[uuid::Uuid],
    ) -> impl Future<Output = Result<Vec<LimitView>, RepositoryError>> + Send;

    /// Applies the write in ONE transaction: inserts and version-checked updates of orders,
    /// the extension request, the limit changes and the complaint events.
    ///
    /// # Errors
    /// [`RepositoryError::Conflict`] when an updated order changed meanwhile.
    fn write(&self, write: OrderWrite) -> impl Future<Output = Result<(), RepositoryError>> + Send;

    /// # Errors
    /// [`RepositoryError::Unavailable`].
    fn inbox(
        &self,
        query: &InboxQuery,
    ) -> impl Future<Output = Result<Vec<InboxItem>, RepositoryError>> + Send;
}
