//! The order use cases: issue, sign, return and rule, extend, reply, review, read.

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;

use super::lifecycle::{OrderAction, OrderRefused, decide};
use super::model::{
    AnswerMethod, ComplainantNotice, ExtensionDecision, ExtensionRequest, OrderReply, OrderReturn,
    OrderReview, OrderStatus, ReturnRuling, SupervisionOrder,
};
use super::ports::{InboxQuery, LimitChange, OrderRepository, OrderWrite};
use crate::access::{Actor, Forbidden};
use crate::calendar::{CalendarSource, Deadline, WorkingCalendar};
use crate::clock::{Clock, stated_in_future, to_storage_precision};
use crate::complaint::events::ComplaintEvent;
use crate::complaint::ports::{ComplaintRepository, RepositoryError, UnitDirectory, unit_unusable};
use crate::complaint::registration::{FieldProblem, InvalidRegistration};
use crate::complaint::{ComplaintStatus, ComplaintType};
use crate::ids::{ComplaintId, UnitId};
use crate::limits::{LimitKind, LimitView};
use crate::role::Role;
use crate::text::bounded;
use crate::visibility::{self, CallerUnits, Visibility};

mod complainant_notice;
mod reminder;

pub const TEXT_MAX: usize = 4000;

/// The configured limits of the supervision loop, in working days.
#[derive(Debug, Clone, Copy)]
pub struct OrderPolicy {
    pub sign_for_days: u32,
    pub reply_days: u32,
    pub return_window_days: u32,
    pub extension_max_days: u32,
}

/// Why an order action was refused.
#[derive(Debug, thiserror::Error)]
pub enum OrderError {
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    #[error("no such order or complaint")]
    NotFound,
    #[error("If-Match names version {given}, the order is at version {current}")]
    PreconditionFailed { given: i64, current: i64 },
    #[error(transparent)]
    Refused(#[from] OrderRefused),
    /// The complaint is in the wrong state for this (HTTP 409).
    #[error("supervision orders are issued on case_filed complaints in handling; this one is {0}")]
    ComplaintState(ComplaintStatus),
    #[error(transparent)]
    Invalid(#[from] InvalidRegistration),
    #[error(transparent)]
    Storage(#[from] RepositoryError),
}

fn field(field: &'static str, message: crate::message::Message) -> OrderError {
    OrderError::Invalid(InvalidRegistration(vec![FieldProblem { field, message }]))
}

fn text(name: &'static str, raw: &str) -> Result<String, OrderError> {
    bounded(raw, TEXT_MAX).map_err(|e| field(name, e.message()))
}

/// Issuing an order.
#[derive(Debug, Clone)]
pub struct IssueCommand {
    pub unit_id: UnitId,
    pub opinion: String,
    /// Working days to reply (default from the policy).
    pub reply_working_days: Option<u32>,
    /// An explicit reply deadline instead, later than the default one.
    pub reply_due_at: Option<DateTime<Utc>>,
}

/// The unit's reply.
#[derive(Debug, Clone)]
pub struct ReplyCommand {
    pub result: String,
    pub rectification: String,
    pub answer_method: AnswerMethod,
    pub answered_at: DateTime<Utc>,
}

/// Intake's ruling on a return.
#[derive(Debug, Clone)]
pub enum RulingCommand {
    Reroute {
        unit_id: UnitId,
        opinion: Option<String>,
        reason: String,
    },
    Refuse {
        reason: String,
    },
}

/// Intake's review of a reply; a rejection issues the next round with a stronger opinion.
#[derive(Debug, Clone)]
pub struct ReviewCommand {
    pub accepted: bool,
    pub reasons: Option<String>,
    pub next_opinion: Option<String>,
    pub next_reply_working_days: Option<u32>,
}

/// An order with its limits, as use cases answer it.
#[derive(Debug, Clone)]
pub struct OrderDetail {
    pub order: SupervisionOrder,
    pub limits: Vec<LimitView>,
    pub extension_requests: Vec<ExtensionRequest>,
    /// When this was read: whether the complainant notice is overdue is judged at it.
    pub as_of: DateTime<Utc>,
}

/// What an action writes besides the order's own new state.
#[derive(Default)]
struct Changes {
    inserted: Vec<SupervisionOrder>,
    extension: Option<ExtensionRequest>,
    limits: Vec<LimitChange>,
    events: Vec<ComplaintEvent>,
}

/// The order use cases over their ports.
pub struct OrderService<O, C, D, K, Clk> {
    orders: O,
    complaints: C,
    directory: D,
    calendar: K,
    clock: Clk,
    tz: Tz,
    policy: OrderPolicy,
}

const INTAKE: &[Role] = &[Role::Intake];
/// The roles that may act on a case at all (the leading group: on a case it holds). Checked
/// before the order is looked up, so other roles are refused the same for every id.
pub(super) const CASE_ROLES: &[Role] = &[Role::Intake, Role::LeadingGroup];
const UNIT_STAFF: &[Role] = &[Role::UnitHandler, Role::UnitHead];
const UNIT_HEAD: &[Role] = &[Role::UnitHead];

impl<O, C, D, K, Clk> OrderService<O, C, D, K, Clk>
where
    O: OrderRepository,
    C: ComplaintRepository,
    D: UnitDirectory,
    K: CalendarSource,
    Clk: Clock,
{
    pub fn new(
        orders: O,
        complaints: C,
        directory: D,
        calendar: K,
        clock: Clk,
        tz: Tz,
        policy: OrderPolicy,
    ) -> Self {
        Self {
            orders,
            complaints,
            directory,
            calendar,
            clock,
            tz,
            policy,
        }
    }

    fn now(&self) -> DateTime<Utc> {
        to_storage_precision(self.clock.now())
    }

    fn deadline(
        &self,
        calendar: &WorkingCalendar,
        from: DateTime<Utc>,
        days: u32,
    ) -> Result<Deadline, OrderError> {
        calendar
            .add_working_days(from, days, self.tz)
            .map_err(|e| field("reply_working_days", e.message()))
    }

    /// The units whose orders the actor may see ([`visibility::cases`]); `None` for
    /// everything.
    ///
    /// # Errors
    /// [`OrderError::Forbidden`] for admin, who reads no case content.
    async fn scope(&self, actor: &Actor) -> Result<Option<Vec<UnitId>>, OrderError> {
        let units = match visibility::needs_units(actor) {
            Some(unit) => CallerUnits {
                unit_and_below: self.directory.unit_and_descendants(unit).await?,
            },
            None => CallerUnits::default(),
        };
        Ok(match visibility::cases(actor, &units)? {
            Visibility::All => None,
            Visibility::RoutedTo(units) => Some(units),
        })
    }

    async fn visible(&self, actor: &Actor, id: uuid::Uuid) -> Result<SupervisionOrder, OrderError> {
        let scope = self.scope(actor).await?;
        let order = self.orders.find(id).await?.ok_or(OrderError::NotFound)?;
        match scope {
            Some(units) if !units.contains(&order.unit_id) => Err(OrderError::NotFound),
            _ => Ok(order),
        }
    }

    fn check_version(order: &SupervisionOrder, if_match: Option<i64>) -> Result<(), OrderError> {
        match if_match {
            Some(given) if given != order.version => Err(OrderError::PreconditionFailed {
                given,
                current: order.version,
            }),
            _ => Ok(()),
        }
    }

    fn reply_due(limits: &[LimitView]) -> Option<&LimitView> {
        limits
            .iter()
            .filter(|l| l.kind == LimitKind::Reply)
            .max_by_key(|l| l.started_at)
    }

    /// Intake acts on every case; the leading group on the cases it took over.
    async fn require_case_handler(
        &self,
        actor: &Actor,
        complaint_id: ComplaintId,
        action: &'static str,
    ) -> Result<(), OrderError> {
        if actor.role == Role::LeadingGroup
            && self.complaints.held_by_leading_group(complaint_id).await?
        {
            return Ok(());
        }
        Ok(actor.require(INTAKE, action)?)
    }

    /// Reads an order the actor may see, with its limits and extension requests.
    ///
    /// # Errors
    /// [`OrderError::NotFound`] also when not visible.
    pub async fn get(&self, actor: &Actor, id: uuid::Uuid) -> Result<OrderDetail, OrderError> {
        let order = self.visible(actor, id).await?;
        self.detail(order).await
    }

    async fn detail(&self, order: SupervisionOrder) -> Result<OrderDetail, OrderError> {
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

    /// Issues an order (round n) on a case-filed complaint to one unit.
    ///
    /// # Errors
    /// See [`OrderError`].
    pub async fn issue(
        &self,
        actor: &Actor,
        complaint_id: ComplaintId,
        command: IssueCommand,
    ) -> Result<OrderDetail, OrderError> {
        self.require_case_handler(actor, complaint_id, "issue supervision orders")
            .await?;
        let opinion = text("opinion", &command.opinion)?;
        let complaint = self
            .complaints
            .find(complaint_id)
            .await?
            .ok_or(OrderError::NotFound)?;
        if complaint.state.status != ComplaintStatus::InHandling
            || complaint.state.complaint_type != Some(ComplaintType::CaseFiled)
        {
            return Err(OrderError::ComplaintState(complaint.state.status));
        }
        let existing = self.orders.for_complaint(complaint_id).await?;
        if existing.iter().any(|o| o.status.is_open()) {
            return Err(OrderError::Refused(OrderRefused::Rule(crate::msg!(
                "rule_open_order_exists"
            ))));
        }
        let round = existing.iter().map(|o| o.round).max().unwrap_or(0) + 1;
        let now = self.now();
        let (order, limits, event) = self
            .new_order(
                actor,
                complaint_id,
                round,
                command.unit_id,
                opinion,
                command.reply_working_days,
                command.reply_due_at,
                now,
            )
            .await?;
        self.orders
            .write(OrderWrite {
                complaint_id,
                inserted: vec![order.clone()],
                updated: vec![],
                extension: None,
                limits,
                events: vec![event],
                actor: Some(actor.user_id),
                at: now,
            })
            .await?;
        self.detail(order).await
    }

    #[allow(clippy::too_many_arguments)]
    async fn new_order(
        &self,
        actor: &Actor,
        complaint_id: ComplaintId,
        round: u32,
        unit_id: UnitId,
        opinion: String,
        reply_working_days: Option<u32>,
        reply_due_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Result<(SupervisionOrder, Vec<LimitChange>, ComplaintEvent), OrderError> {
        if let Some(problem) = unit_unusable(&self.directory, unit_id).await? {
            return Err(field("unit_id", problem));
        }
        let calendar = self.calendar.working_calendar().await?;
        let reply_days = reply_working_days.unwrap_or(self.policy.reply_days);
        if reply_days == 0 {
            return Err(field(
                "reply_working_days",
                crate::msg!("field_at_least_one_working_day"),
            ));
        }
        let sign = self.deadline(&calendar, now, self.policy.sign_for_days)?;
        let default_reply = self.deadline(&calendar, now, reply_days)?;
        let reply = match reply_due_at {
            Some(explicit) if explicit <= default_reply.due_at => {
                return Err(field(
                    "reply_due_at",
                    crate::msg!(
                        "field_deadline_after_default",
                        default = default_reply.due_at.to_rfc3339()
                    ),
                ));
            }
            Some(explicit) => Deadline {
                due_at: explicit,
                provisional: false,
            },
            None => default_reply,
        };
        let order = SupervisionOrder {
            id: uuid::Uuid::now_v7(),
            complaint_id,
            round,
            unit_id,
            opinion: opinion.clone(),
            status: OrderStatus::Issued,
            issued_at: now,
            issued_by: actor.user_id,
            reply_working_days: reply_days,
            explicit_reply_due_at: reply_due_at,
            signed: None,
            returned: None,
            reply: None,
            review: None,
            complainant_to_be_told_new_date: false,
            complainant_notice: None,
            version: 1,
            updated_at: now,
        };
        let limits = vec![
            LimitChange::Start {
                order_id: order.id,
                unit_id,
                kind: LimitKind::SignFor,
                started_at: now,
                working_days: self.policy.sign_for_days,
                explicit_due_at: None,
                due_at: sign.due_at,
                provisional: sign.provisional,
            },
            LimitChange::Start {
                order_id: order.id,
                unit_id,
                kind: LimitKind::Reply,
                started_at: now,
                working_days: reply_days,
                explicit_due_at: reply_due_at,
                due_at: reply.due_at,
                provisional: reply.provisional,
            },
        ];
        let event = ComplaintEvent::OrderIssued {
            order_id: order.id,
            round,
            unit_id: unit_id.as_uuid(),
            opinion,
            sign_due_at: sign.due_at,
            reply_due_at: reply.due_at,
            provisional: sign.provisional || reply.provisional,
        };
        Ok((order, limits, event))
    }

    async fn save(
        &self,
        actor: &Actor,
        before: &SupervisionOrder,
        after: SupervisionOrder,
        changes: Changes,
        now: DateTime<Utc>,
    ) -> Result<OrderDetail, OrderError> {
        self.save_as(Some(actor.user_id), before, after, changes, now)
            .await
    }

    /// [`save`](Self::save) for a person, or for the system (`None`).
    async fn save_as(
        &self,
        actor: Option<crate::ids::UserId>,
        before: &SupervisionOrder,
        after: SupervisionOrder,
        changes: Changes,
        now: DateTime<Utc>,
    ) -> Result<OrderDetail, OrderError> {
        let Changes {
            inserted,
            extension,
            limits,
            events,
        } = changes;
        let after = SupervisionOrder {
            version: before.version + 1,
            updated_at: now,
            ..after
        };
        self.orders
            .write(OrderWrite {
                complaint_id: before.complaint_id,
                inserted,
                updated: vec![(after.clone(), before.version)],
                extension,
                limits,
                events,
                actor,
                at: now,
            })
            .await?;
        self.detail(after).await
    }

    /// The unit signs for the order (签收).
    ///
    /// # Errors
    /// See [`OrderError`].
    pub async fn sign(
        &self,
        actor: &Actor,
        id: uuid::Uuid,
        if_match: Option<i64>,
    ) -> Result<OrderDetail, OrderError> {
        actor.require(UNIT_STAFF, "sign for supervision orders")?;
        let order = self.visible(actor, id).await?;
        Self::check_version(&order, if_match)?;
        let status = decide(order.status, &OrderAction::Sign)?;
        let now = self.now();
        let limits = self.orders.limits(id).await?;
        let on_time = limits
            .iter()
            .find(|l| l.kind == LimitKind::SignFor)
            .is_none_or(|l| now < l.due_at);
        let after = SupervisionOrder {
            status,
            signed: Some((now, actor.user_id)),
            ..order.clone()
        };
        self.save(
            actor,
            &order,
            after,
            Changes {
                limits: vec![LimitChange::Stop {
                    order_id: id,
                    kind: LimitKind::SignFor,
                    at: now,
                }],
                events: vec![ComplaintEvent::OrderSigned {
                    order_id: id,
                    on_time,
                }],
                ..Changes::default()
            },
            now,
        )
        .await
    }

    /// A unit head returns the order as wrongly routed (退单), citing reason and basis.
    ///
    /// # Errors
    /// See [`OrderError`].
    pub async fn return_order(
        &self,
        actor: &Actor,
        id: uuid::Uuid,
        if_match: Option<i64>,
        reason: String,
        basis: String,
    ) -> Result<OrderDetail, OrderError> {
        actor.require(UNIT_HEAD, "return supervision orders")?;
        let reason = text("reason", &reason)?;
        let basis = text("basis", &basis)?;
        let order = self.visible(actor, id).await?;
        Self::check_version(&order, if_match)?;
        let now = self.now();
        let calendar = self.calendar.working_calendar().await?;
        let window = self.deadline(&calendar, order.issued_at, self.policy.return_window_days)?;
        let status = decide(
            order.status,
            &OrderAction::Return {
                within_return_window: now < window.due_at,
            },
        )?;
        let after = SupervisionOrder {
            status,
            returned: Some(OrderReturn {
                reason: reason.clone(),
                basis: basis.clone(),
                at: now,
                by: actor.user_id,
                ruling: None,
                ruling_reason: None,
                rerouted_to: None,
            }),
            ..order.clone()
        };
        let event = ComplaintEvent::OrderReturned {
            order_id: id,
            reason,
            basis,
        };
        self.save(
            actor,
            &order,
            after,
            Changes {
                events: vec![event],
                ..Changes::default()
            },
            now,
        )
        .await
    }

    /// Intake rules on a return: re-route to another unit (a new order with its own limits,
    /// same round) or refuse (the order stands).
    ///
    /// # Errors
    /// See [`OrderError`].
    pub async fn rule_on_return(
        &self,
        actor: &Actor,
        id: uuid::Uuid,
        if_match: Option<i64>,
        command: RulingCommand,
    ) -> Result<OrderDetail, OrderError> {
        actor.require(CASE_ROLES, "rule on returned orders")?;
        let order = self.visible(actor, id).await?;
        self.require_case_handler(actor, order.complaint_id, "rule on returned orders")
            .await?;
        Self::check_version(&order, if_match)?;
        let ruling = match &command {
            RulingCommand::Reroute { .. } => ReturnRuling::Rerouted,
            RulingCommand::Refuse { .. } => ReturnRuling::Refused,
        };
        let status = decide(
            order.status,
            &OrderAction::RuleOnReturn {
                ruling,
                was_signed: order.signed.is_some(),
            },
        )?;
        let now = self.now();
        let (reason, inserted, limits, mut events) = match command {
            RulingCommand::Refuse { reason } => (text("reason", &reason)?, vec![], vec![], vec![]),
            RulingCommand::Reroute {
                unit_id,
                opinion,
                reason,
            } => {
                if unit_id == order.unit_id {
                    return Err(field("unit_id", crate::msg!("field_reroute_other_unit")));
                }
                let reason = text("reason", &reason)?;
                let opinion = match opinion {
                    Some(o) => text("opinion", &o)?,
                    None => order.opinion.clone(),
                };
                let (new_order, mut limits, event) = self
                    .new_order(
                        actor,
                        order.complaint_id,
                        order.round,
                        unit_id,
                        opinion,
                        Some(order.reply_working_days),
                        None,
                        now,
                    )
                    .await?;
                for kind in [LimitKind::SignFor, LimitKind::Reply] {
                    limits.push(LimitChange::Stop {
                        order_id: id,
                        kind,
                        at: now,
                    });
                }
                (reason, vec![new_order], limits, vec![event])
            }
        };
        let new_order_id = inserted.first().map(|o: &SupervisionOrder| o.id);
        let returned = order.returned.clone().map(|r| OrderReturn {
            ruling: Some(ruling),
            ruling_reason: Some(reason.clone()),
            rerouted_to: new_order_id,
            ..r
        });
        events.insert(
            0,
            ComplaintEvent::ReturnRuled {
                order_id: id,
                ruling: ruling.as_str().to_owned(),
                reason,
                new_order_id,
            },
        );
        let after = SupervisionOrder {
            status,
            returned,
            ..order.clone()
        };
        self.save(
            actor,
            &order,
            after,
            Changes {
                inserted,
                limits,
                events,
                ..Changes::default()
            },
            now,
        )
        .await
    }

    /// A unit head asks once per round, before the deadline, for more working days.
    ///
    /// # Errors
    /// See [`OrderError`].
    pub async fn request_extension(
        &self,
        actor: &Actor,
        id: uuid::Uuid,
        working_days: u32,
        reason: String,
    ) -> Result<OrderDetail, OrderError> {
        actor.require(UNIT_HEAD, "ask for extensions")?;
        let reason = text("reason", &reason)?;
        let order = self.visible(actor, id).await?;
        let now = self.now();
        let limits = self.orders.limits(id).await?;
        let deadline_passed = Self::reply_due(&limits).is_some_and(|l| now >= l.due_at);
        let mut already = false;
        for sibling in self.orders.for_complaint(order.complaint_id).await? {
            if sibling.round == order.round
                && !self.orders.extension_requests(sibling.id).await?.is_empty()
            {
                already = true;
            }
        }
        decide(
            order.status,
            &OrderAction::RequestExtension {
                working_days,
                max_working_days: self.policy.extension_max_days,
                deadline_passed,
                already_requested_this_round: already,
            },
        )?;
        let request = ExtensionRequest {
            id: uuid::Uuid::now_v7(),
            order_id: id,
            working_days,
            reason: reason.clone(),
            requested_at: now,
            requested_by: actor.user_id,
            decision: None,
            decision_reason: None,
            decided_at: None,
            decided_by: None,
            new_due_at: None,
        };
        let event = ComplaintEvent::ExtensionRequested {
            order_id: id,
            request_id: request.id,
            working_days,
            reason,
        };
        self.save(
            actor,
            &order,
            order.clone(),
            Changes {
                extension: Some(request),
                events: vec![event],
                ..Changes::default()
            },
            now,
        )
        .await
    }

    /// Intake grants (the deadline moves; the complainant must be told) or refuses.
    ///
    /// # Errors
    /// See [`OrderError`].
    pub async fn decide_extension(
        &self,
        actor: &Actor,
        id: uuid::Uuid,
        request_id: uuid::Uuid,
        granted: bool,
        reason: String,
    ) -> Result<OrderDetail, OrderError> {
        actor.require(CASE_ROLES, "decide extensions")?;
        let reason = text("reason", &reason)?;
        let order = self.visible(actor, id).await?;
        self.require_case_handler(actor, order.complaint_id, "decide extensions")
            .await?;
        let request = self
            .orders
            .extension_requests(id)
            .await?
            .into_iter()
            .find(|r| r.id == request_id)
            .ok_or(OrderError::NotFound)?;
        decide(
            order.status,
            &OrderAction::DecideExtension {
                request_pending: request.decision.is_none(),
            },
        )?;
        let now = self.now();
        let mut limits = vec![];
        // A grant moves the reply deadline and obliges intake to tell the complainant within
        // a working day.
        let (new_due, complainant_notice) = if granted {
            let current = self.orders.limits(id).await?;
            let reply = Self::reply_due(&current).ok_or(OrderError::NotFound)?;
            let calendar = self.calendar.working_calendar().await?;
            // Count on from the last day of the current deadline (24:00 of that day).
            let moved = self.deadline(
                &calendar,
                reply.due_at - Duration::seconds(1),
                request.working_days,
            )?;
            limits.push(LimitChange::Extend {
                order_id: id,
                extra_working_days: request.working_days,
                due_at: moved.due_at,
                provisional: moved.provisional,
            });
            let notice = ComplainantNotice {
                due_at: self.deadline(&calendar, now, 1)?.due_at,
                told: None,
            };
            (Some(moved.due_at), Some(notice))
        } else {
            (None, order.complainant_notice.clone())
        };
        let decided = ExtensionRequest {
            decision: Some(if granted {
                ExtensionDecision::Granted
            } else {
                ExtensionDecision::Refused
            }),
            decision_reason: Some(reason.clone()),
            decided_at: Some(now),
            decided_by: Some(actor.user_id),
            new_due_at: new_due,
            ..request
        };
        let after = SupervisionOrder {
            complainant_to_be_told_new_date: order.complainant_to_be_told_new_date || granted,
            complainant_notice,
            ..order.clone()
        };
        let event = ComplaintEvent::ExtensionDecided {
            order_id: id,
            request_id,
            granted,
            reason,
            new_reply_due_at: new_due,
            complainant_to_be_told: granted,
        };
        self.save(
            actor,
            &order,
            after,
            Changes {
                extension: Some(decided),
                limits,
                events: vec![event],
                ..Changes::default()
            },
            now,
        )
        .await
    }

    /// The unit head replies: handling result, rectification, how and when the complainant
    /// was answered.
    ///
    /// # Errors
    /// See [`OrderError`].
    pub async fn reply(
        &self,
        actor: &Actor,
        id: uuid::Uuid,
        if_match: Option<i64>,
        command: ReplyCommand,
    ) -> Result<OrderDetail, OrderError> {
        actor.require(UNIT_HEAD, "reply to supervision orders")?;
        let result = text("result", &command.result)?;
        let rectification = text("rectification", &command.rectification)?;
        let order = self.visible(actor, id).await?;
        Self::check_version(&order, if_match)?;
        let now = self.now();
        if stated_in_future(command.answered_at, now) {
            return Err(field(
                "answered_at",
                crate::msg!("field_answered_in_future"),
            ));
        }
        let status = decide(order.status, &OrderAction::Reply)?;
        let limits = self.orders.limits(id).await?;
        let on_time = Self::reply_due(&limits).is_none_or(|l| now < l.due_at);
        let after = SupervisionOrder {
            status,
            reply: Some(OrderReply {
                result: result.clone(),
                rectification: rectification.clone(),
                answer_method: command.answer_method,
                answered_at: command.answered_at,
                at: now,
                by: actor.user_id,
            }),
            ..order.clone()
        };
        let event = ComplaintEvent::OrderReplied {
            order_id: id,
            result,
            rectification,
            answer_method: command.answer_method.as_str().to_owned(),
            answered_at: command.answered_at,
            on_time,
        };
        let stop = LimitChange::Stop {
            order_id: id,
            kind: LimitKind::Reply,
            at: now,
        };
        self.save(
            actor,
            &order,
            after,
            Changes {
                limits: vec![stop],
                events: vec![event],
                ..Changes::default()
            },
            now,
        )
        .await
    }

    /// Intake accepts the reply (the order is done) or rejects it with reasons, which issues
    /// round n + 1 to the same unit with the stronger opinion.
    ///
    /// # Errors
    /// See [`OrderError`].
    pub async fn review(
        &self,
        actor: &Actor,
        id: uuid::Uuid,
        if_match: Option<i64>,
        command: ReviewCommand,
    ) -> Result<OrderDetail, OrderError> {
        actor.require(CASE_ROLES, "review replies")?;
        let order = self.visible(actor, id).await?;
        self.require_case_handler(actor, order.complaint_id, "review replies")
            .await?;
        Self::check_version(&order, if_match)?;
        let status = decide(
            order.status,
            &OrderAction::Review {
                accepted: command.accepted,
            },
        )?;
        let now = self.now();
        let reasons = command.reasons.map(|r| text("reasons", &r)).transpose()?;
        let (inserted, limits, mut events) = if command.accepted {
            (vec![], vec![], vec![])
        } else {
            if reasons.is_none() {
                return Err(field(
                    "reasons",
                    crate::msg!("field_rejection_needs_reasons"),
                ));
            }
            let opinion = command.next_opinion.ok_or_else(|| {
                field("next_opinion", crate::msg!("field_rejection_needs_opinion"))
            })?;
            let opinion = text("next_opinion", &opinion)?;
            let (next, limits, event) = self
                .new_order(
                    actor,
                    order.complaint_id,
                    order.round + 1,
                    order.unit_id,
                    opinion,
                    command.next_reply_working_days,
                    None,
                    now,
                )
                .await?;
            (vec![next], limits, vec![event])
        };
        events.insert(
            0,
            ComplaintEvent::ReplyReviewed {
                order_id: id,
                accepted: command.accepted,
                reasons: reasons.clone(),
                next_order_id: inserted.first().map(|o: &SupervisionOrder| o.id),
            },
        );
        let after = SupervisionOrder {
            status,
            review: Some(OrderReview {
                accepted: command.accepted,
                reasons,
                at: now,
                by: actor.user_id,
            }),
            ..order.clone()
        };
        self.save(
            actor,
            &order,
            after,
            Changes {
                inserted,
                limits,
                events,
                ..Changes::default()
            },
            now,
        )
        .await
    }
}
