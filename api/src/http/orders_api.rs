//! Supervision orders: issue and list per complaint, the unit inbox, and every action of the
//! loop (sign, return and ruling, extension and decision, reminder, reply, review).

use duban_domain::ids::{ComplaintId, UnitId};
use duban_domain::supervision::ports::{InboxQuery, NoticeFilter};
use duban_domain::supervision::service::{IssueCommand, OrderDetail, RulingCommand};
use poem_openapi::param::{Header, Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object, OpenApi};
use uuid::Uuid;

use super::auth::StaffAuth;
use super::idempotency_header::IdempotencyKey;
use super::order_dto::{OrderStatus, OrderView, WarningLevel};
use super::order_requests::{
    ComplainantNoticeFilter, IssueOrder, ReminderBody, ReturnOrder, ReturnRulingRequest, Ruling,
};
use super::pagination::DEFAULT_LIMIT;
use super::problem::ApiError;
use super::strict_string::Text;
use super::versioning::{etag, if_match};
use super::{ApiTags, State};

/// Orders.
#[derive(Debug, Object)]
pub struct OrderList {
    pub items: Vec<OrderView>,
    #[oai(skip_serializing_if_is_none)]
    pub next_cursor: Option<String>,
}

#[derive(ApiResponse)]
pub enum OrderOk {
    #[oai(status = 200)]
    Ok(Json<OrderView>, #[oai(header = "ETag")] String),
}

#[derive(ApiResponse)]
pub enum OrderCreated {
    #[oai(status = 201)]
    Created(Json<OrderView>, #[oai(header = "ETag")] String),
}

#[derive(ApiResponse)]
pub enum OrderListOk {
    #[oai(status = 200)]
    Ok(Json<OrderList>),
}

pub(super) fn ok(detail: OrderDetail) -> OrderOk {
    let tag = etag(detail.order.version);
    OrderOk::Ok(Json(detail.into()), tag)
}

pub(super) fn created(detail: OrderDetail) -> OrderCreated {
    let tag = etag(detail.order.version);
    OrderCreated::Created(Json(detail.into()), tag)
}

pub struct OrdersApi;

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTags::Orders")]
impl OrdersApi {
    /// Issue a supervision order (intake)
    ///
    /// On a case_filed complaint in handling without another open order. Starts the
    /// sign-for limit (1 working day) and the reply limit (default 5 working days).
    #[oai(
        path = "/complaints/:id/supervision-orders",
        method = "post",
        operation_id = "issueSupervisionOrder"
    )]
    async fn issue(
        &self,
        state: State<'_>,
        auth: StaffAuth,
        #[oai(name = "Idempotency-Key")] _idempotency_key: Header<Option<IdempotencyKey>>,
        id: Path<Uuid>,
        body: Json<IssueOrder>,
    ) -> Result<OrderCreated, ApiError> {
        let body = body.0;
        let reply_due_at = body
            .reply_due_at
            .map(|t| t.parse("reply_due_at"))
            .transpose()
            .map_err(|e| ApiError::invalid_fields(vec![e]))?;
        let detail = state
            .orders
            .issue(
                &auth.0.actor,
                ComplaintId::from_uuid(id.0),
                IssueCommand {
                    unit_id: UnitId::from_uuid(body.unit_id),
                    opinion: body.opinion.into_inner(),
                    reply_working_days: body.reply_working_days,
                    reply_due_at,
                },
            )
            .await?;
        Ok(created(detail))
    }

    /// The orders of a complaint
    #[oai(
        path = "/complaints/:id/supervision-orders",
        method = "get",
        operation_id = "listComplaintSupervisionOrders"
    )]
    async fn for_complaint(
        &self,
        state: State<'_>,
        auth: StaffAuth,
        id: Path<Uuid>,
    ) -> Result<OrderListOk, ApiError> {
        let orders = state
            .orders
            .for_complaint(&auth.0.actor, ComplaintId::from_uuid(id.0))
            .await?;
        Ok(OrderListOk::Ok(Json(OrderList {
            items: orders.into_iter().map(Into::into).collect(),
            next_cursor: None,
        })))
    }

    /// The order inbox
    ///
    /// Unit staff see their unit's orders (a head also the units below); intake and the
    /// leading group see all. Open orders by default, soonest reply deadline first.
    #[allow(clippy::too_many_arguments)]
    #[oai(
        path = "/supervision-orders",
        method = "get",
        operation_id = "listSupervisionOrders"
    )]
    async fn inbox(
        &self,
        state: State<'_>,
        auth: StaffAuth,
        status: Query<Option<OrderStatus>>,
        warning_level: Query<Option<WarningLevel>>,
        complaint_id: Query<Option<Uuid>>,
        /// `open`: orders whose complainant has not been told the new date of a granted
        /// extension; `overdue`: those still untold a working day after the grant. Either
        /// includes orders of every status.
        complainant_notice: Query<Option<ComplainantNoticeFilter>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))] limit: Query<Option<u32>>,
        #[oai(validator(pattern = r"^o1\.[0-9]{1,9}$"))] cursor: Query<Option<String>>,
    ) -> Result<OrderListOk, ApiError> {
        let limit = limit.0.unwrap_or(DEFAULT_LIMIT);
        let offset: u32 = cursor
            .0
            .as_deref()
            .and_then(|c| c.strip_prefix("o1."))
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        let items = state
            .orders
            .inbox(
                &auth.0.actor,
                InboxQuery {
                    units: None,
                    status: status.0.map(Into::into),
                    warning_level: warning_level.0.map(Into::into),
                    complaint_id: complaint_id.0.map(ComplaintId::from_uuid),
                    complainant_notice: complainant_notice.0.map(|f| match f {
                        ComplainantNoticeFilter::Open => NoticeFilter::Open,
                        ComplainantNoticeFilter::Overdue => NoticeFilter::Overdue,
                    }),
                    as_of: None,
                    limit: limit + 1,
                    offset,
                },
            )
            .await?;
        let more = items.len() > usize::try_from(limit).unwrap_or(usize::MAX);
        let views = items
            .into_iter()
            .take(usize::try_from(limit).unwrap_or(usize::MAX))
            .map(Into::into)
            .collect();
        Ok(OrderListOk::Ok(Json(OrderList {
            items: views,
            next_cursor: more.then(|| format!("o1.{}", offset + limit)),
        })))
    }

    /// Read an order
    #[oai(
        path = "/supervision-orders/:id",
        method = "get",
        operation_id = "getSupervisionOrder"
    )]
    async fn get(
        &self,
        state: State<'_>,
        auth: StaffAuth,
        id: Path<Uuid>,
    ) -> Result<OrderOk, ApiError> {
        Ok(ok(state.orders.get(&auth.0.actor, id.0).await?))
    }

    /// Sign for an order (unit staff)
    #[oai(
        path = "/supervision-orders/:id/sign",
        method = "post",
        operation_id = "signSupervisionOrder"
    )]
    async fn sign(
        &self,
        state: State<'_>,
        auth: StaffAuth,
        #[oai(name = "Idempotency-Key")] _idempotency_key: Header<Option<IdempotencyKey>>,
        id: Path<Uuid>,
        /// The ETag of the version this change is based on; 412 when it is no longer current.
        #[oai(
            name = "If-Match",
            validator(pattern = r#"^(\*|(W/)?"[!#-~]{0,18}")?$"#)
        )]
        if_match_header: Header<Option<String>>,
    ) -> Result<OrderOk, ApiError> {
        let detail = state
            .orders
            .sign(&auth.0.actor, id.0, if_match(if_match_header.0.as_deref()))
            .await?;
        Ok(ok(detail))
    }

    /// Send a reminder on an order (intake)
    ///
    /// While the unit owes a signature or a reply (the order is issued or signed). The
    /// reminder is recorded on the order's running limits (`reminded_at`) and in the case
    /// history, and the unit's heads and the order's handler are notified. A limit reminded
    /// after its deadline goes red at the deadline sweeper's next pass. The order's version
    /// does not change: a reminder never makes the unit's own next step stale.
    #[oai(
        path = "/supervision-orders/:id/reminders",
        method = "post",
        operation_id = "remindSupervisionOrder"
    )]
    async fn remind(
        &self,
        state: State<'_>,
        auth: StaffAuth,
        #[oai(name = "Idempotency-Key")] _idempotency_key: Header<Option<IdempotencyKey>>,
        id: Path<Uuid>,
        body: Json<ReminderBody>,
    ) -> Result<OrderOk, ApiError> {
        let detail = state
            .orders
            .remind(&auth.0.actor, id.0, body.0.note.as_ref())
            .await?;
        Ok(ok(detail))
    }

    /// Return an order as wrongly routed (unit head)
    ///
    /// Within the return window (default 2 working days after issue), citing the basis.
    #[oai(
        path = "/supervision-orders/:id/return",
        method = "post",
        operation_id = "returnSupervisionOrder"
    )]
    async fn return_order(
        &self,
        state: State<'_>,
        auth: StaffAuth,
        #[oai(name = "Idempotency-Key")] _idempotency_key: Header<Option<IdempotencyKey>>,
        id: Path<Uuid>,
        /// The ETag of the version this change is based on; 412 when it is no longer current.
        #[oai(
            name = "If-Match",
            validator(pattern = r#"^(\*|(W/)?"[!#-~]{0,18}")?$"#)
        )]
        if_match_header: Header<Option<String>>,
        body: Json<ReturnOrder>,
    ) -> Result<OrderOk, ApiError> {
        let body = body.0;
        let detail = state
            .orders
            .return_order(
                &auth.0.actor,
                id.0,
                if_match(if_match_header.0.as_deref()),
                body.reason.into_inner(),
                body.basis.into_inner(),
            )
            .await?;
        Ok(ok(detail))
    }

    /// Rule on a returned order (intake)
    #[oai(
        path = "/supervision-orders/:id/return-ruling",
        method = "post",
        operation_id = "ruleOnSupervisionOrderReturn"
    )]
    async fn rule_on_return(
        &self,
        state: State<'_>,
        auth: StaffAuth,
        #[oai(name = "Idempotency-Key")] _idempotency_key: Header<Option<IdempotencyKey>>,
        id: Path<Uuid>,
        /// The ETag of the version this change is based on; 412 when it is no longer current.
        #[oai(
            name = "If-Match",
            validator(pattern = r#"^(\*|(W/)?"[!#-~]{0,18}")?$"#)
        )]
        if_match_header: Header<Option<String>>,
        body: Json<ReturnRulingRequest>,
    ) -> Result<OrderOk, ApiError> {
        let body = body.0;
        let reason = body.reason.into_inner();
        let command = match body.ruling {
            Ruling::Refused => RulingCommand::Refuse { reason },
            Ruling::Rerouted => RulingCommand::Reroute {
                unit_id: UnitId::from_uuid(body.unit_id.ok_or_else(|| {
                    ApiError::invalid_fields(vec![super::problem::FieldError::new(
                        "unit_id",
                        &duban_domain::msg!("field_reroute_names_unit"),
                    )])
                })?),
                opinion: body.opinion.map(Text::into_inner),
                reason,
            },
        };
        let detail = state
            .orders
            .rule_on_return(
                &auth.0.actor,
                id.0,
                if_match(if_match_header.0.as_deref()),
                command,
            )
            .await?;
        Ok(ok(detail))
    }
}
