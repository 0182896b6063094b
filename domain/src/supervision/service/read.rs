//! Reading orders: one, a complaint's, and the inbox.

use super::{OrderDetail, OrderError, OrderService};
use crate::access::Actor;
use crate::calendar::CalendarSource;
use crate::clock::Clock;
use crate::complaint::ports::{ComplaintRepository, UnitDirectory};
use crate::ids::ComplaintId;
use crate::supervision::model::SupervisionOrder;
use crate::supervision::ports::{InboxQuery, OrderRepository};

impl<O, C, D, K, Clk> OrderService<O, C, D, K, Clk>
where
    O: OrderRepository,
    C: ComplaintRepository,
    D: UnitDirectory,
    K: CalendarSource,
    Clk: Clock,
{
    /// Reads an order the actor may see, with its limits and extension requests.
    ///
    /// # Errors
    /// [`OrderError::NotFound`] also when not visible.
    pub async fn get(&self, actor: &Actor, id: uuid::Uuid) -> Result<OrderDetail, OrderError> {
        let order = self.visible(actor, id).await?;
        self.detail(order).await
    }

    pub(super) async fn detail(&self, order: SupervisionOrder) -> Result<OrderDetail, OrderError> {
        let limits = self.orders.limits(order.id).await?;
        let extension_requests = self.orders.extension_requests(order.id).await?;
        Ok(OrderDetail {
            order,
            limits,
            extension_requests,
            as_of: self.now(),
        })
    }

    /// The orders of a complaint the actor may see.
    ///
    /// # Errors
    /// [`OrderError::NotFound`] when the complaint is unknown or none of its orders is visible
    /// to unit staff.
    pub async fn for_complaint(
        &self,
        actor: &Actor,
        complaint_id: ComplaintId,
    ) -> Result<Vec<OrderDetail>, OrderError> {
        let scope = self.scope(actor).await?;
        self.complaints
            .find(complaint_id)
            .await?
            .ok_or(OrderError::NotFound)?;
        let orders: Vec<SupervisionOrder> = self
            .orders
            .for_complaint(complaint_id)
            .await?
            .into_iter()
            .filter(|o| {
                scope
                    .as_ref()
                    .is_none_or(|units| units.contains(&o.unit_id))
            })
            .collect();
        if scope.is_some() && orders.is_empty() {
            return Err(OrderError::NotFound);
        }
        self.details(orders).await
    }

    /// Several orders with their limits and extension requests, in three queries.
    async fn details(&self, orders: Vec<SupervisionOrder>) -> Result<Vec<OrderDetail>, OrderError> {
        let ids: Vec<uuid::Uuid> = orders.iter().map(|o| o.id).collect();
        let limits = self.orders.limits_of(&ids).await?;
        let requests = self.orders.extension_requests_of(&ids).await?;
        let as_of = self.now();
        Ok(orders
            .into_iter()
            .map(|order| OrderDetail {
                limits: limits
                    .iter()
                    .filter(|l| l.order_id == Some(order.id))
                    .cloned()
                    .collect(),
                extension_requests: requests
                    .iter()
                    .filter(|r| r.order_id == order.id)
                    .cloned()
                    .collect(),
                order,
                as_of,
            })
            .collect())
    }

    /// A unit's inbox (or everything for intake), soonest reply deadline first.
    ///
    /// # Errors
    /// [`OrderError::Storage`].
    pub async fn inbox(
        &self,
        actor: &Actor,
        mut query: InboxQuery,
    ) -> Result<Vec<OrderDetail>, OrderError> {
        query.units = self.scope(actor).await?;
        query.as_of = Some(self.now());
        let items = self.orders.inbox(&query).await?;
        self.details(items.into_iter().map(|i| i.order).collect())
            .await
    }
}
