//! Reading and listing sanctions; statements and decisions through the lifecycle, with the
//! supersession a decision on review brings.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::{
    AccountabilityError, AccountabilityService, DecideCommand, Result, SanctionDetail, invalid,
};
use crate::access::{Actor, Forbidden};
use crate::accountability::model::{
    SanctionQuery, SanctionRecord, SanctionWrite, SubjectRef, history_of,
};
use crate::accountability::ports::AccountabilityRepository;
use crate::calendar::CalendarSource;
use crate::clock::Clock;
use crate::complaint::visibility::ComplaintVisibility;
use crate::role::Role;
use crate::sanction::{
    DecisionOutcome, SanctionAction, SanctionStatus, TransitionContext, apply, decide,
};
use crate::storage::RepositoryError;

impl<R, C, K, V> AccountabilityService<R, C, K, V>
where
    R: AccountabilityRepository,
    C: CalendarSource,
    K: Clock,
    V: ComplaintVisibility,
{
    /// Reads a sanction with its history (404 when not visible).
    ///
    /// # Errors
    /// [`AccountabilityError`].
    pub async fn get(&self, actor: &Actor, id: Uuid) -> Result<SanctionDetail> {
        let record = self.load_visible(actor, id).await?;
        let history = self.repository.sanction_history(id).await?;
        Ok(SanctionDetail { record, history })
    }

    /// Lists sanctions: everything for the leading group and intake; a unit head the
    /// sanctions of their units and their staff.
    ///
    /// # Errors
    /// [`AccountabilityError`].
    pub async fn list(
        &self,
        actor: &Actor,
        mut query: SanctionQuery,
    ) -> Result<Vec<SanctionRecord>> {
        actor.require(
            &[Role::LeadingGroup, Role::Intake, Role::UnitHead],
            "list sanctions",
        )?;
        query.units = match actor.role {
            Role::UnitHead => Some(self.units_of_head(actor).await?),
            _ => None,
        };
        Ok(self.repository.list_sanctions(&query).await?)
    }

    pub(super) fn check_version(record: &SanctionRecord, if_match: Option<i64>) -> Result<()> {
        match if_match {
            Some(given) if given != record.version => {
                Err(AccountabilityError::PreconditionFailed {
                    given,
                    current: record.version,
                })
            }
            _ => Ok(()),
        }
    }

    /// Files the subject's statement (the subject, or intake / the leading group for them).
    ///
    /// # Errors
    /// [`AccountabilityError`].
    pub async fn file_statement(
        &self,
        actor: &Actor,
        id: Uuid,
        text: String,
        if_match: Option<i64>,
    ) -> Result<SanctionDetail> {
        let record = self.load_visible(actor, id).await?;
        let is_subject = record.subject == SubjectRef::Person(actor.user_id);
        if !is_subject && !matches!(actor.role, Role::Intake | Role::LeadingGroup) {
            return Err(Forbidden {
                role: actor.role,
                action: "file a statement for someone else",
            }
            .into());
        }
        Self::check_version(&record, if_match)?;
        let now = self.clock.now();
        let ctx = self.context(actor, now);
        self.transition(record, SanctionAction::FileStatement { text }, &ctx, None)
            .await
    }

    pub(super) fn context(&self, actor: &Actor, now: DateTime<Utc>) -> TransitionContext {
        TransitionContext {
            actor: actor.user_id.as_uuid(),
            actor_is_leading_group: actor.role == Role::LeadingGroup,
            now,
            tz: self.tz,
        }
    }

    /// Decides a proposal (a leading-group member other than the proposer). Approving or
    /// amending a proposal that `supersedes` an earlier decision supersedes that decision in
    /// the same transaction.
    ///
    /// # Errors
    /// [`AccountabilityError`].
    pub async fn decide(
        &self,
        actor: &Actor,
        id: Uuid,
        cmd: DecideCommand,
        if_match: Option<i64>,
    ) -> Result<SanctionDetail> {
        let record = self.load_visible(actor, id).await?;
        Self::check_version(&record, if_match)?;
        let now = self.clock.now();
        let ctx = self.context(actor, now);
        let effective = cmd.effective_date.unwrap_or_else(|| self.today(now));
        let action = SanctionAction::Decide {
            decision_id: Uuid::now_v7(),
            command: cmd.command,
        };
        self.transition(record, action, &ctx, Some(effective)).await
    }

    pub(super) async fn transition(
        &self,
        mut record: SanctionRecord,
        action: SanctionAction,
        ctx: &TransitionContext,
        effective: Option<NaiveDate>,
    ) -> Result<SanctionDetail> {
        let events = decide(&record.case, &action, ctx)?;
        let mut history = Vec::new();
        let mut case = record.case.clone();
        for event in &events {
            history.push(history_of(event, self.tz));
            case = apply(case, event).map_err(|e| invalid("status", e.message()))?;
        }
        let previous = record.version;
        record.case = case;
        record.version += 1;
        record.updated_at = ctx.now;
        let mut also = Vec::new();
        if let SanctionStatus::Decided { decision, .. } = record.case.status() {
            record.effective_date = effective;
            let in_force = !matches!(decision.outcome, DecisionOutcome::Rejected { .. });
            if let (true, Some(old_id)) = (in_force, record.supersedes) {
                let mut old = self
                    .repository
                    .find_sanction(old_id)
                    .await?
                    .ok_or(AccountabilityError::NotFound("superseded sanction"))?;
                let supersede = SanctionAction::Supersede {
                    by_decision: record.case.id(),
                    reason: format!(
                        "superseded by the decision on sanction {}",
                        record.case.id()
                    ),
                };
                let old_version = old.version;
                for event in decide(&old.case, &supersede, ctx)? {
                    let entry = history_of(&event, self.tz);
                    old.case =
                        apply(old.case, &event).map_err(|e| invalid("status", e.message()))?;
                    old.version += 1;
                    old.updated_at = ctx.now;
                    also.push((old.clone(), old_version, entry));
                }
            }
        }
        self.repository
            .write_sanction(SanctionWrite {
                record: record.clone(),
                replaces_version: Some(previous),
                history,
                also,
            })
            .await
            .map_err(|e| match e {
                RepositoryError::Conflict => AccountabilityError::SanctionChanged,
                other => other.into(),
            })?;
        let history = self.repository.sanction_history(record.case.id()).await?;
        Ok(SanctionDetail { record, history })
    }
}
