//! Sanction proposals: propose, list, read, statement of defence, decision.

use duban_domain::accountability::service::{DecideCommand, ProposeCommand};
use duban_domain::accountability::{SanctionQuery, SubjectRef};
use duban_domain::ids::{ComplaintId, UnitId, UserId};
use duban_domain::sanction::{DecisionCommand, Measure};
use poem_openapi::param::{Header, Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, OpenApi};
use uuid::Uuid;

use super::accountability_dto::{
    MeasureView, SanctionList, SanctionStatusView, SanctionView, SubjectKind,
};
use super::audit_api::{ChainCheckOk, chain_view, trusted_checkpoint};
use super::auth::StaffAuth;
use super::idempotency_header::IdempotencyKey;
use super::pagination::DEFAULT_LIMIT;
use super::problem::{ApiError, FieldError};
use super::sanction_requests::{DecisionBody, DecisionOutcome, ProposeSanction, StatementBody};
use super::versioning::{etag, if_match};
use super::{ApiTags, State};
use crate::state::AppState;

#[derive(ApiResponse)]
pub enum SanctionOk {
    #[oai(status = 200)]
    Ok(Json<SanctionView>, #[oai(header = "ETag")] String),
}

#[derive(ApiResponse)]
pub enum SanctionCreated {
    #[oai(status = 201)]
    Created(Json<SanctionView>, #[oai(header = "ETag")] String),
}

#[derive(ApiResponse)]
pub enum SanctionListOk {
    #[oai(status = 200)]
    Ok(Json<SanctionList>),
}

fn field(field: &str, message: duban_domain::message::Message) -> ApiError {
    ApiError::invalid_fields(vec![FieldError::new(field, &message)])
}

fn measures(list: Vec<MeasureView>, name: &str) -> Result<Vec<Measure>, ApiError> {
    list.into_iter()
        .enumerate()
        .map(|(i, m)| {
            let track: duban_domain::sanction::Track = m.track.into();
            Measure::parse(track.as_str(), m.measure.as_ref())
                .map_err(|e| field(&format!("{name}[{i}]"), e.message()))
        })
        .collect()
}

/// The view with its ETag; history entries name their actors (one query for all of them).
async fn view(
    state: &AppState,
    detail: impl Into<SanctionView>,
) -> Result<(SanctionView, String), ApiError> {
    let mut view = detail.into();
    if let Some(history) = view.history.as_mut() {
        let mut actors: Vec<UserId> = history
            .iter()
            .map(|e| UserId::from_uuid(e.actor_id))
            .collect();
        actors.sort_unstable();
        actors.dedup();
        let names = state.accounts.display_names(&actors).await?;
        for entry in history {
            entry.actor_display_name = names.get(&UserId::from_uuid(entry.actor_id)).cloned();
        }
    }
    let tag = etag(view.version);
    Ok((view, tag))
}

pub struct SanctionsApi;

#[OpenApi(prefix_path = "/api/v1/sanctions", tag = "ApiTags::Accountability")]
impl SanctionsApi {
    /// Propose a sanction (intake; a unit head for their units' staff; the leading group on a
    /// case it took over)
    ///
    /// The combination rules are enforced (422 naming the rule). The recommendation is
    /// computed from the severity factors, the sustained complaints against the subject in the
    /// repeat window and whether an earlier sanction is still active; a proposal milder than
    /// it needs a `justification` (422 otherwise). Opens the statement period (default 3
    /// working days). With `supersedes`, the proposal is a review of a decided sanction of
    /// the same subject, which becomes `superseded` when this one is approved or amended.
    #[oai(path = "/", method = "post", operation_id = "proposeSanction")]
    async fn propose(
        &self,
        state: State<'_>,
        auth: StaffAuth,
        #[oai(name = "Idempotency-Key")] _idempotency_key: Header<Option<IdempotencyKey>>,
        body: Json<ProposeSanction>,
    ) -> Result<SanctionCreated, ApiError> {
        let body = body.0;
        let subject = match (
            body.subject.kind,
            body.subject.user_id,
            body.subject.unit_id,
        ) {
            (SubjectKind::Person, Some(id), None) => SubjectRef::Person(UserId::from_uuid(id)),
            (SubjectKind::Unit, None, Some(id)) => SubjectRef::Unit(UnitId::from_uuid(id)),
            _ => {
                return Err(field("subject", duban_domain::msg!("field_subject_one_of")));
            }
        };
        let detail = state
            .accountability
            .propose(
                &auth.0.actor,
                ProposeCommand {
                    subject,
                    findings: body.findings.into_inner(),
                    rule_broken: body.rule_broken.into_inner(),
                    factors: body.severity.into(),
                    complaint_ids: body
                        .complaint_ids
                        .into_iter()
                        .map(ComplaintId::from_uuid)
                        .collect(),
                    investigation_record_ids: body.investigation_record_ids,
                    measures: measures(body.measures, "measures")?,
                    judicial_referral: body.judicial_referral,
                    justification: body.justification.map(|j| j.into_inner()),
                    supersedes: body.supersedes,
                },
            )
            .await?;
        let (view, tag) = view(&state, detail).await?;
        Ok(SanctionCreated::Created(Json(view), tag))
    }

    /// List sanctions (leading group, admin, intake; a unit head for their units and staff)
    ///
    /// Newest first.
    #[oai(path = "/", method = "get", operation_id = "listSanctions")]
    #[allow(clippy::too_many_arguments)] // one argument per query parameter
    async fn list(
        &self,
        state: State<'_>,
        auth: StaffAuth,
        status: Query<Option<SanctionStatusView>>,
        subject_user_id: Query<Option<Uuid>>,
        subject_unit_id: Query<Option<Uuid>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "200")))] limit: Query<Option<u32>>,
        #[oai(validator(pattern = r"^s1\.[0-9]{1,9}$"))] cursor: Query<Option<String>>,
    ) -> Result<SanctionListOk, ApiError> {
        let limit = limit.0.unwrap_or(DEFAULT_LIMIT);
        let offset: u32 = cursor
            .0
            .as_deref()
            .and_then(|c| c.strip_prefix("s1."))
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        let items = state
            .accountability
            .list(
                &auth.0.actor,
                SanctionQuery {
                    units: None,
                    subject_user_id: subject_user_id.0.map(UserId::from_uuid),
                    subject_unit_id: subject_unit_id.0.map(UnitId::from_uuid),
                    status: status.0.map(Into::into),
                    limit: limit + 1,
                    offset,
                },
            )
            .await?;
        let take = usize::try_from(limit).unwrap_or(usize::MAX);
        let more = items.len() > take;
        Ok(SanctionListOk::Ok(Json(SanctionList {
            items: items.into_iter().take(take).map(Into::into).collect(),
            next_cursor: more.then(|| format!("s1.{}", offset + limit)),
        })))
    }

    /// Read a sanction with its recommendation, facts, status and history
    #[oai(path = "/:id", method = "get", operation_id = "getSanction")]
    async fn get(
        &self,
        state: State<'_>,
        auth: StaffAuth,
        id: Path<Uuid>,
    ) -> Result<SanctionOk, ApiError> {
        let (view, tag) =
            view(&state, state.accountability.get(&auth.0.actor, id.0).await?).await?;
        Ok(SanctionOk::Ok(Json(view), tag))
    }

    /// Check a sanction's history for tampering
    ///
    /// Recomputes the keyed hash chain of the sanction's history, checks the sanction as
    /// stored (with its measures and what it cites) against the state its newest event
    /// sealed, and its newest event against the latest checkpoint; names every break.
    /// Anyone who may read the sanction may check it.
    #[oai(
        path = "/:id/events/verification",
        method = "get",
        operation_id = "verifySanctionEvents"
    )]
    async fn verify_events(
        &self,
        state: State<'_>,
        auth: StaffAuth,
        id: Path<Uuid>,
    ) -> Result<ChainCheckOk, ApiError> {
        state.accountability.get(&auth.0.actor, id.0).await?;
        let checkpoint = trusted_checkpoint(&state).await?;
        let report = duban_infra::audit::verify_sanction(
            &state.db,
            &state.audit_keys,
            id.0,
            checkpoint.as_ref(),
        )
        .await
        .map_err(ApiError::unavailable)?;
        Ok(ChainCheckOk::Ok(Json(chain_view(
            &report,
            checkpoint.as_ref(),
        ))))
    }

    /// File the statement of defence (陈述申辩) (the subject; intake or the leading group for
    /// them)
    ///
    /// Once, before the decision; a statement after the deadline is accepted and marked late.
    #[oai(
        path = "/:id/statement",
        method = "post",
        operation_id = "submitSanctionStatement"
    )]
    async fn statement(
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
        body: Json<StatementBody>,
    ) -> Result<SanctionOk, ApiError> {
        let detail = state
            .accountability
            .file_statement(
                &auth.0.actor,
                id.0,
                body.0.text.into_inner(),
                if_match(if_match_header.0.as_deref()),
            )
            .await?;
        let (view, tag) = view(&state, detail).await?;
        Ok(SanctionOk::Ok(Json(view), tag))
    }

    /// Decide a proposal (a leading-group member other than the proposer)
    ///
    /// Refused with 422 before the statement period ends unless a statement arrived.
    /// `approve`, `amend` (other measures, with reasons) or `reject` (with reasons); the
    /// decision takes effect on `effective_date` (default today) and is never edited.
    #[oai(
        path = "/:id/decision",
        method = "post",
        operation_id = "decideSanction"
    )]
    async fn decision(
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
        body: Json<DecisionBody>,
    ) -> Result<SanctionOk, ApiError> {
        let body = body.0;
        let reasons = body.reasons.map(|r| r.into_inner());
        let command = match body.outcome {
            DecisionOutcome::Approve => DecisionCommand::Approve,
            DecisionOutcome::Reject => DecisionCommand::Reject {
                reasons: reasons.unwrap_or_default(),
            },
            DecisionOutcome::Amend => {
                let Some(list) = body.measures else {
                    return Err(field(
                        "measures",
                        duban_domain::msg!("field_amend_needs_measures"),
                    ));
                };
                let current = state.accountability.get(&auth.0.actor, id.0).await?;
                DecisionCommand::Amend {
                    measures: measures(list, "measures")?,
                    judicial_referral: body
                        .judicial_referral
                        .unwrap_or(current.record.case.proposed().judicial_referral()),
                    reasons: reasons.unwrap_or_default(),
                }
            }
        };
        let detail = state
            .accountability
            .decide(
                &auth.0.actor,
                id.0,
                DecideCommand {
                    command,
                    effective_date: body
                        .effective_date
                        .as_ref()
                        .map(|d| d.parse("effective_date"))
                        .transpose()
                        .map_err(|e| ApiError::invalid_fields(vec![e]))?,
                },
                if_match(if_match_header.0.as_deref()),
            )
            .await?;
        let (view, tag) = view(&state, detail).await?;
        Ok(SanctionOk::Ok(Json(view), tag))
    }
}
