//! In-memory ports of the order service: orders, limits and history in one mutex, one
//! complaint, a unit tree, a weekday calendar.

use std::future::Future;
use std::pin::pin;
use std::sync::Mutex;
use std::task::{Context, Poll, Waker};

use chrono::{DateTime, Utc};

use crate::calendar::{CalendarSource, WarningLevel, WorkingCalendar};
use crate::complaint::events::{ComplaintEvent, RecordedEvent};
use crate::complaint::links::{ComplaintLink, LinkedComplaint};
use crate::complaint::model::Complaint;
use crate::complaint::ports::{
    ComplaintQuery, ComplaintRepository, RegisterOutcome, Registration, RepositoryError,
    UnitDirectory,
};
use crate::complaint::repeats::RepeatQuery;
use crate::ids::{ComplaintId, UnitId, UserId};
use crate::limits::LimitView;
use crate::supervision::model::{ExtensionRequest, SupervisionOrder};
use crate::supervision::ports::{InboxItem, InboxQuery, LimitChange, OrderRepository, OrderWrite};

/// Runs a future whose ports answer at once.
pub fn run<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return out;
        }
    }
}

fn poisoned<T>(_: T) -> RepositoryError {
    RepositoryError::Unavailable("poisoned".into())
}

/// What the fake order store holds.
#[derive(Debug, Default)]
pub struct Stored {
    pub orders: Vec<SupervisionOrder>,
    pub requests: Vec<ExtensionRequest>,
    pub limits: Vec<LimitView>,
    /// Every event written, with its actor.
    pub events: Vec<(ComplaintEvent, Option<UserId>)>,
}

#[derive(Debug, Default)]
pub struct MemOrders(pub Mutex<Stored>);

impl MemOrders {
    pub fn with<T>(&self, f: impl FnOnce(&mut Stored) -> T) -> T {
        let mut stored = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        f(&mut stored)
    }
}

fn change_limits(limits: &mut Vec<LimitView>, change: &LimitChange) {
    let running =
        |l: &LimitView, order: uuid::Uuid| l.order_id == Some(order) && l.stopped_at.is_none();
    match change {
        LimitChange::Start {
            order_id,
            kind,
            started_at,
            working_days,
            due_at,
            provisional,
            ..
        } => limits.push(LimitView {
            kind: *kind,
            order_id: Some(*order_id),
            started_at: *started_at,
            working_days: *working_days,
            extension_days: 0,
            due_at: *due_at,
            provisional: *provisional,
            warning_level: WarningLevel::None,
            reminded_at: None,
            stopped_at: None,
            met_on_time: None,
        }),
        LimitChange::Stop { order_id, kind, at } => {
            for l in limits
                .iter_mut()
                .filter(|l| running(l, *order_id) && l.kind == *kind)
            {
                l.stopped_at = Some(*at);
                l.met_on_time = Some(*at < l.due_at);
            }
        }
        LimitChange::Extend {
            order_id,
            extra_working_days,
            due_at,
            provisional,
        } => {
            for l in limits
                .iter_mut()
                .filter(|l| running(l, *order_id) && l.kind == crate::limits::LimitKind::Reply)
            {
                l.extension_days += extra_working_days;
                l.due_at = *due_at;
                l.provisional = *provisional;
            }
        }
        LimitChange::Remind { order_id, at, .. } => {
            for l in limits.iter_mut().filter(|l| running(l, *order_id)) {
                l.reminded_at = Some(*at);
            }
        }
    }
}

impl OrderRepository for MemOrders {
    async fn find(&self, id: uuid::Uuid) -> Result<Option<SupervisionOrder>, RepositoryError> {
        Ok(self.with(|s| s.orders.iter().find(|o| o.id == id).cloned()))
    }

    async fn for_complaint(
        &self,
        complaint_id: ComplaintId,
    ) -> Result<Vec<SupervisionOrder>, RepositoryError> {
        Ok(self.with(|s| {
            s.orders
                .iter()
                .filter(|o| o.complaint_id == complaint_id)
                .cloned()
                .collect()
        }))
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
        Ok(self.with(|s| {
            s.requests
                .iter()
                .filter(|r| order_ids.contains(&r.order_id))
                .cloned()
                .collect()
        }))
    }

    async fn limits(&self, order_id: uuid::Uuid) -> Result<Vec<LimitView>, RepositoryError> {
        self.limits_of(&[order_id]).await
    }

    async fn limits_of(&self, order_ids: &[uuid::Uuid]) -> Result<Vec<LimitView>, RepositoryError> {
        Ok(self.with(|s| {
            s.limits
                .iter()
                .filter(|l| l.order_id.is_some_and(|id| order_ids.contains(&id)))
                .cloned()
                .collect()
        }))
    }

    async fn write(&self, write: OrderWrite) -> Result<(), RepositoryError> {
        let mut s = self.0.lock().map_err(poisoned)?;
        for (after, expected) in &write.updated {
            let stored = s.orders.iter().find(|o| o.id == after.id);
            if stored.is_none_or(|o| o.version != *expected) {
                return Err(RepositoryError::Conflict);
            }
        }
        for (after, _) in write.updated {
            if let Some(o) = s.orders.iter_mut().find(|o| o.id == after.id) {
                *o = after;
            }
        }
        s.orders.extend(write.inserted);
        if let Some(request) = write.extension {
            s.requests.retain(|r| r.id != request.id);
            s.requests.push(request);
        }
        for change in &write.limits {
            change_limits(&mut s.limits, change);
        }
        s.events
            .extend(write.events.into_iter().map(|e| (e, write.actor)));
        Ok(())
    }

    async fn inbox(&self, query: &InboxQuery) -> Result<Vec<InboxItem>, RepositoryError> {
        Ok(self.with(|s| {
            s.orders
                .iter()
                .filter(|o| o.status.is_open())
                .filter(|o| query.units.as_ref().is_none_or(|u| u.contains(&o.unit_id)))
                .map(|o| InboxItem {
                    order: o.clone(),
                    sign_due_at: None,
                    reply_due_at: None,
                    warning_level: WarningLevel::None,
                })
                .collect()
        }))
    }
}

/// One complaint, possibly taken over by the leading group.
pub struct OneComplaint {
    pub complaint: Complaint,
    pub held_by_leading_group: bool,
}

impl ComplaintRepository for OneComplaint {
    async fn register(&self, _: Registration) -> Result<RegisterOutcome, RepositoryError> {
        Err(RepositoryError::Unavailable("not in these tests".into()))
    }

    async fn find(&self, id: ComplaintId) -> Result<Option<Complaint>, RepositoryError> {
        Ok((self.complaint.id == id).then(|| self.complaint.clone()))
    }

    async fn record_transition(
        &self,
        _: &Complaint,
        _: i64,
        _: &RecordedEvent,
        _: &[crate::limits::LimitKind],
    ) -> Result<(), RepositoryError> {
        Err(RepositoryError::Unavailable("not in these tests".into()))
    }

    async fn list(&self, _: &ComplaintQuery) -> Result<Vec<Complaint>, RepositoryError> {
        Ok(vec![])
    }

    async fn open_orders(&self, _: ComplaintId) -> Result<u32, RepositoryError> {
        Ok(0)
    }

    async fn held_by_leading_group(&self, id: ComplaintId) -> Result<bool, RepositoryError> {
        Ok(self.complaint.id == id && self.held_by_leading_group)
    }

    async fn events(&self, _: ComplaintId) -> Result<Vec<RecordedEvent>, RepositoryError> {
        Ok(vec![])
    }

    async fn repeat_candidates(&self, _: &RepeatQuery) -> Result<Vec<Complaint>, RepositoryError> {
        Ok(vec![])
    }

    async fn link(
        &self,
        _: &ComplaintLink,
        _: &[(ComplaintId, ComplaintEvent)],
    ) -> Result<(), RepositoryError> {
        Ok(())
    }

    async fn links(&self, _: ComplaintId) -> Result<Vec<LinkedComplaint>, RepositoryError> {
        Ok(vec![])
    }
}

/// Units as (unit, parent, active).
pub struct Units(pub Vec<(UnitId, Option<UnitId>, bool)>);

impl UnitDirectory for Units {
    async fn unit_active(&self, id: UnitId) -> Result<Option<bool>, RepositoryError> {
        Ok(self.0.iter().find(|u| u.0 == id).map(|u| u.2))
    }

    async fn staff_unit(&self, _: UserId) -> Result<Option<Option<UnitId>>, RepositoryError> {
        Ok(None)
    }

    async fn unit_and_descendants(&self, id: UnitId) -> Result<Vec<UnitId>, RepositoryError> {
        let mut found = vec![id];
        let mut i = 0;
        while let Some(&unit) = found.get(i) {
            found.extend(self.0.iter().filter(|u| u.1 == Some(unit)).map(|u| u.0));
            i += 1;
        }
        Ok(found)
    }
}

/// Monday to Friday, no holidays.
pub struct Weekdays;

impl CalendarSource for Weekdays {
    async fn working_calendar(&self) -> Result<WorkingCalendar, RepositoryError> {
        Ok(WorkingCalendar::new())
    }
}

pub fn at(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339)
        .unwrap_or_else(|e| panic!("{rfc3339}: {e}"))
        .to_utc()
}
