//! The accountability use cases. Each starts with who may do it, reads what the rules need,
//! asks the pure rules in [`crate::sanction`] and writes the outcome in one transaction.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use thiserror::Error;
use uuid::Uuid;

use super::leaders::named_for;
use super::model::{
    CaseFacts, InvestigationRecord, PersonFacts, RecommendationSnapshot, RecordKind,
    SanctionHistoryEntry, SanctionQuery, SanctionRecord, SanctionWrite, SubjectRef, Takeover,
    history_of,
};
use super::ports::AccountabilityRepository;
use super::records::{SubjectRecord, build_record, earlier_sanction_active};
use crate::access::{Actor, Forbidden};
use crate::calendar::CalendarSource;
use crate::calendar::local_date;
use crate::clock::Clock;
use crate::complaint::ports::RepositoryError;
use crate::complaint::visibility::ComplaintVisibility;
use crate::ids::{ComplaintId, UnitId, UserId};
use crate::role::Role;
use crate::sanction::{
    CombinationError, DecisionCommand, DecisionOutcome, Measure, PolicySettings,
    RecommendationFacts, SanctionAction, SanctionCase, SanctionMeasures, SanctionRuleError,
    SanctionStatus, SanctionTransitionError, SeverityFactors, Subject, TransitionContext, apply,
    check_justification, count_sustained_within_window, decide, recommend,
};
use crate::visibility;

/// Settings of the accountability use cases.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccountabilityPolicy {
    pub settings: PolicySettings,
    /// Working days the subject has to state their defence (default 3).
    pub statement_period_working_days: u32,
}

/// Why an accountability use case refused.
#[derive(Debug, Error)]
pub enum AccountabilityError {
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    #[error("no such {0}")]
    NotFound(&'static str),
    #[error("{field}: {message}")]
    Invalid {
        field: &'static str,
        message: crate::message::Message,
    },
    #[error("combination rule broken: {0}")]
    Combination(#[from] CombinationError),
    #[error(transparent)]
    Justification(#[from] SanctionRuleError),
    #[error(transparent)]
    Lifecycle(#[from] SanctionTransitionError),
    #[error("the case is already held by the leading group")]
    AlreadyHeld,
    #[error("the sanction was changed by someone else; read it again")]
    SanctionChanged,
    #[error("If-Match names version {given}, the sanction is at version {current}")]
    PreconditionFailed { given: i64, current: i64 },
    #[error("the working-day calendar cannot give the statement deadline: {0}")]
    Calendar(crate::calendar::DeadlineError),
    #[error(transparent)]
    Storage(#[from] RepositoryError),
}

type Result<T> = std::result::Result<T, AccountabilityError>;

fn invalid(field: &'static str, message: crate::message::Message) -> AccountabilityError {
    AccountabilityError::Invalid { field, message }
}

/// A new investigation entry.
#[derive(Debug, Clone)]
pub struct NewRecord {
    pub kind: RecordKind,
    pub people_involved: String,
    pub content: String,
}

/// A sanction proposal as asked for.
#[derive(Debug, Clone)]
pub struct ProposeCommand {
    pub subject: SubjectRef,
    pub findings: String,
    pub rule_broken: String,
    pub factors: SeverityFactors,
    pub complaint_ids: Vec<ComplaintId>,
    pub investigation_record_ids: Vec<Uuid>,
    pub measures: Vec<Measure>,
    pub judicial_referral: bool,
    pub justification: Option<String>,
    /// A decided sanction this proposal is to replace (review); it is superseded when this
    /// one is approved or amended.
    pub supersedes: Option<Uuid>,
}

/// A decision as asked for.
#[derive(Debug, Clone)]
pub struct DecideCommand {
    pub command: DecisionCommand,
    /// Default: the local date of the decision.
    pub effective_date: Option<NaiveDate>,
}

/// A sanction with its history.
#[derive(Debug, Clone)]
pub struct SanctionDetail {
    pub record: SanctionRecord,
    pub history: Vec<SanctionHistoryEntry>,
}

/// The accountability use cases with their adapters; `complaints` answers which complaints
/// an actor may see (the complaint use cases' own policy).
pub struct AccountabilityService<R, C, K, V> {
    repository: R,
    calendar: C,
    clock: K,
    complaints: V,
    tz: Tz,
    policy: AccountabilityPolicy,
}

/// Who may read and cite investigation records.
const RECORD_READERS: &[Role] = &[Role::Intake, Role::LeadingGroup];

impl<R, C, K, V> AccountabilityService<R, C, K, V>
where
    R: AccountabilityRepository,
    C: CalendarSource,
    K: Clock,
    V: ComplaintVisibility,
{
    pub fn new(
        repository: R,
        calendar: C,
        clock: K,
        complaints: V,
        tz: Tz,
        policy: AccountabilityPolicy,
    ) -> Self {
        Self {
            repository,
            calendar,
            clock,
            complaints,
            tz,
            policy,
        }
    }

    /// The case of a complaint the actor may see; not found otherwise, as for an unknown id.
    async fn visible_case(&self, actor: &Actor, id: ComplaintId) -> Result<CaseFacts> {
        if !self.complaints.may_see(actor, id).await? {
            return Err(AccountabilityError::NotFound("complaint"));
        }
        self.repository
            .case_facts(id)
            .await?
            .ok_or(AccountabilityError::NotFound("complaint"))
    }

    fn today(&self, now: DateTime<Utc>) -> NaiveDate {
        local_date(now, self.tz)
    }

    /// Who holds the case, for showing on the complaint.
    ///
    /// # Errors
    /// Storage failures.
    pub async fn held_by(&self, id: ComplaintId) -> Result<Option<Takeover>> {
        Ok(self
            .repository
            .case_facts(id)
            .await?
            .and_then(|c| c.held_by))
    }

    /// Intake, or the leading group on a case it took over: other roles are refused whatever
    /// the id, then an invisible complaint is not found.
    async fn may_investigate(&self, actor: &Actor, id: ComplaintId) -> Result<()> {
        actor.require(
            RECORD_READERS,
            "record investigations (intake, or the leading group on a case it took over)",
        )?;
        let case = self.visible_case(actor, id).await?;
        match actor.role {
            Role::Intake => Ok(()),
            Role::LeadingGroup if case.held_by.is_some() => Ok(()),
            role => Err(Forbidden {
                role,
                action: "record investigations on this case (intake, or the leading group on a case it took over)",
            }
            .into()),
        }
    }

    /// Records an investigation entry (append-only).
    ///
    /// # Errors
    /// [`AccountabilityError`].
    pub async fn add_record(
        &self,
        actor: &Actor,
        complaint_id: ComplaintId,
        new: NewRecord,
    ) -> Result<InvestigationRecord> {
        self.may_investigate(actor, complaint_id).await?;
        let record = InvestigationRecord {
            id: Uuid::now_v7(),
            complaint_id,
            kind: new.kind,
            author_id: actor.user_id,
            recorded_at: self.clock.now(),
            people_involved: new.people_involved,
            content: new.content,
        };
        self.repository.add_record(&record).await?;
        Ok(record)
    }

    /// The entries of a case (intake and the leading group).
    ///
    /// # Errors
    /// [`AccountabilityError`].
    pub async fn records(
        &self,
        actor: &Actor,
        complaint_id: ComplaintId,
    ) -> Result<Vec<InvestigationRecord>> {
        actor.require(RECORD_READERS, "read investigation records")?;
        self.visible_case(actor, complaint_id).await?;
        Ok(self.repository.records(complaint_id).await?)
    }

    /// The leading group takes the case over.
    ///
    /// # Errors
    /// [`AccountabilityError::AlreadyHeld`] and others.
    pub async fn take_over(
        &self,
        actor: &Actor,
        complaint_id: ComplaintId,
        reason: String,
    ) -> Result<Takeover> {
        actor.require(&[Role::LeadingGroup], "take over cases")?;
        let case = self.visible_case(actor, complaint_id).await?;
        if case.held_by.is_some() {
            return Err(AccountabilityError::AlreadyHeld);
        }
        let takeover = Takeover {
            complaint_id,
            taken_by: actor.user_id,
            taken_at: self.clock.now(),
            reason,
        };
        match self.repository.take_over(&takeover).await {
            Err(RepositoryError::Conflict) => Err(AccountabilityError::AlreadyHeld),
            other => other.map(|()| takeover).map_err(Into::into),
        }
    }

    /// The units an actor answers for: their own and every unit below (unit heads only).
    async fn units_of_head(&self, actor: &Actor) -> Result<Vec<UnitId>> {
        match (actor.role, actor.unit_id) {
            (Role::UnitHead, Some(unit)) => Ok(self.repository.unit_and_descendants(unit).await?),
            _ => Ok(Vec::new()),
        }
    }

    /// The unit a subject belongs to (a person's unit, or the unit itself).
    async fn subject_unit(&self, subject: SubjectRef) -> Result<Option<UnitId>> {
        match subject {
            SubjectRef::Person(id) => Ok(self.repository.person(id).await?.and_then(|p| p.unit_id)),
            SubjectRef::Unit(id) => Ok(Some(id)),
        }
    }

    /// Leading group and intake see every sanction; a unit head those of their units' staff
    /// and units; a person their own; admin none ([`visibility::require_case_content`]).
    async fn sees(&self, actor: &Actor, record: &SanctionRecord) -> Result<bool> {
        if matches!(actor.role, Role::LeadingGroup | Role::Intake) {
            return Ok(true);
        }
        if record.subject == SubjectRef::Person(actor.user_id) {
            return Ok(true);
        }
        let units = self.units_of_head(actor).await?;
        Ok(match self.subject_unit(record.subject).await? {
            Some(unit) => units.contains(&unit),
            None => false,
        })
    }

    async fn load_visible(&self, actor: &Actor, id: Uuid) -> Result<SanctionRecord> {
        visibility::require_case_content(actor, "read sanctions")?;
        let record = self
            .repository
            .find_sanction(id)
            .await?
            .ok_or(AccountabilityError::NotFound("sanction"))?;
        if !self.sees(actor, &record).await? {
            return Err(AccountabilityError::NotFound("sanction"));
        }
        Ok(record)
    }

    async fn subject_sanctions(&self, subject: SubjectRef) -> Result<Vec<SanctionRecord>> {
        let query = SanctionQuery {
            subject_user_id: match subject {
                SubjectRef::Person(id) => Some(id),
                SubjectRef::Unit(_) => None,
            },
            subject_unit_id: match subject {
                SubjectRef::Unit(id) => Some(id),
                SubjectRef::Person(_) => None,
            },
            limit: u32::MAX,
            ..SanctionQuery::default()
        };
        Ok(self.repository.list_sanctions(&query).await?)
    }

    /// The subject of a proposal as its proposer may see it: a unit head sees the staff of
    /// their own unit and the units below; anyone else is answered as an unknown person.
    async fn visible_subject(
        &self,
        actor: &Actor,
        subject: SubjectRef,
    ) -> Result<(Subject, Option<PersonFacts>)> {
        match subject {
            SubjectRef::Person(id) => {
                let unknown = || invalid("subject.user_id", crate::msg!("field_no_such_staff"));
                let person = self.repository.person(id).await?.ok_or_else(unknown)?;
                if actor.role == Role::UnitHead {
                    let units = self.units_of_head(actor).await?;
                    if !person.unit_id.is_some_and(|u| units.contains(&u)) {
                        return Err(unknown());
                    }
                }
                Ok((
                    Subject::Person {
                        is_party_member: person.party_member,
                    },
                    Some(person),
                ))
            }
            SubjectRef::Unit(id) => {
                if self.repository.unit_and_descendants(id).await?.is_empty() {
                    return Err(invalid(
                        "subject.unit_id",
                        crate::msg!("field_no_such_unit"),
                    ));
                }
                Ok((Subject::Unit, None))
            }
        }
    }

    /// Whether a cited complaint, or the complaint of a cited investigation record, is held by
    /// the leading group. A proposal cites only what its proposer may see: a complaint or a
    /// record out of their sight is answered as an unknown one.
    async fn cited_cases_held(&self, actor: &Actor, cmd: &ProposeCommand) -> Result<bool> {
        let mut held = false;
        for id in &cmd.complaint_ids {
            let case = self.visible_case(actor, *id).await.map_err(|e| match e {
                AccountabilityError::NotFound(_) => {
                    invalid("complaint_ids", crate::msg!("field_no_complaint", id = id))
                }
                other => other,
            })?;
            held |= case.held_by.is_some();
        }
        if cmd.investigation_record_ids.is_empty() {
            return Ok(held);
        }
        let records = if RECORD_READERS.contains(&actor.role) {
            self.repository
                .records_by_id(&cmd.investigation_record_ids)
                .await?
        } else {
            Vec::new()
        };
        for id in &cmd.investigation_record_ids {
            let unknown = || {
                invalid(
                    "investigation_record_ids",
                    crate::msg!("field_no_investigation_record", id = id),
                )
            };
            let record = records.iter().find(|r| r.id == *id).ok_or_else(unknown)?;
            match self.visible_case(actor, record.complaint_id).await {
                Ok(case) => held |= case.held_by.is_some(),
                Err(AccountabilityError::NotFound(_)) => return Err(unknown()),
                Err(e) => return Err(e),
            }
        }
        Ok(held)
    }

    /// Proposes a sanction: checks the combination rules, computes the recommendation from
    /// the stored facts, refuses a milder proposal without justification, and opens the
    /// statement period.
    ///
    /// # Errors
    /// [`AccountabilityError`].
    pub async fn propose(&self, actor: &Actor, cmd: ProposeCommand) -> Result<SanctionDetail> {
        actor.require(
            &[Role::Intake, Role::UnitHead, Role::LeadingGroup],
            "propose sanctions",
        )?;
        let (subject, person) = self.visible_subject(actor, cmd.subject).await?;
        let held = self.cited_cases_held(actor, &cmd).await?;
        let earlier = match cmd.supersedes {
            Some(old) => Some(self.load_visible(actor, old).await.map_err(|e| match e {
                AccountabilityError::NotFound(_) => {
                    invalid("supersedes", crate::msg!("field_no_such_sanction"))
                }
                other => other,
            })?),
            None => None,
        };
        match actor.role {
            Role::Intake => {}
            Role::LeadingGroup if held => {}
            Role::UnitHead => {
                let units = self.units_of_head(actor).await?;
                let unit = match (cmd.subject, &person) {
                    (SubjectRef::Unit(id), _) => Some(id),
                    (_, Some(p)) => p.unit_id,
                    _ => None,
                };
                if !unit.is_some_and(|u| units.contains(&u)) {
                    return Err(Forbidden {
                        role: actor.role,
                        action: "propose sanctions outside their own unit and the units below",
                    }
                    .into());
                }
            }
            role => {
                return Err(Forbidden {
                    role,
                    action: "propose sanctions except on a case the leading group took over",
                }
                .into());
            }
        }
        if let Some(earlier) = earlier
            && (earlier.subject != cmd.subject
                || !matches!(earlier.case.status(), SanctionStatus::Decided { .. }))
        {
            return Err(invalid(
                "supersedes",
                crate::msg!("field_supersede_same_subject"),
            ));
        }
        let measures = SanctionMeasures::new(subject, cmd.measures, cmd.judicial_referral)?;

        let now = self.clock.now();
        let today = self.today(now);
        let closings = match cmd.subject {
            SubjectRef::Person(id) => self.repository.sustained_closings_of_person(id).await?,
            SubjectRef::Unit(id) => self.repository.sustained_closings_of_unit(id).await?,
        };
        let sustained =
            count_sustained_within_window(now, self.tz, &closings, &self.policy.settings);
        let earlier = self.subject_sanctions(cmd.subject).await?;
        let aggravating = earlier_sanction_active(&earlier, today)
            .map_err(|e| invalid("effective_date", e.message()))?;
        let facts = RecommendationFacts {
            subject,
            sustained_complaints_in_window: sustained,
            factors: cmd.factors,
            earlier_sanction_active: aggravating,
        };
        let recommendation = recommend(&facts, &self.policy.settings);
        let subject_unit = match cmd.subject {
            SubjectRef::Person(_) => person.and_then(|p| p.unit_id),
            SubjectRef::Unit(id) => Some(id),
        };
        let named = named_for(&self.repository, subject_unit, &recommendation).await?;
        let justification = cmd.justification.filter(|j| !j.trim().is_empty());
        check_justification(&measures, &recommendation, justification.as_deref())?;

        let calendar = self.calendar.working_calendar().await?;
        let deadline = calendar
            .add_working_days(now, self.policy.statement_period_working_days, self.tz)
            .map_err(AccountabilityError::Calendar)?
            .due_at;
        let ctx = self.context(actor, now);
        let id = Uuid::now_v7();
        let mut case = SanctionCase::new(id, cmd.subject.uuid(), ctx.actor, now, measures);
        let mut history = vec![SanctionHistoryEntry::proposed(actor.user_id, now)];
        for event in decide(
            &case,
            &SanctionAction::OpenStatementPeriod {
                statement_deadline: deadline,
            },
            &ctx,
        )? {
            history.push(history_of(&event, self.tz));
            case = apply(case, &event).map_err(|e| invalid("status", e.message()))?;
        }
        let record = SanctionRecord {
            case,
            subject: cmd.subject,
            findings: cmd.findings,
            rule_broken: cmd.rule_broken,
            factors: cmd.factors,
            justification,
            recommendation: RecommendationSnapshot {
                section_head: named.0,
                main_responsible_leader: named.1,
                ..RecommendationSnapshot::from(&recommendation)
            },
            sustained_in_window: sustained,
            aggravating,
            complaint_ids: cmd.complaint_ids,
            investigation_record_ids: cmd.investigation_record_ids,
            effective_date: None,
            supersedes: cmd.supersedes,
            version: 1,
            updated_at: now,
        };
        self.repository
            .write_sanction(SanctionWrite {
                record: record.clone(),
                replaces_version: None,
                history: history.clone(),
                also: Vec::new(),
            })
            .await?;
        Ok(SanctionDetail { record, history })
    }

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

    fn check_version(record: &SanctionRecord, if_match: Option<i64>) -> Result<()> {
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

    fn context(&self, actor: &Actor, now: DateTime<Utc>) -> TransitionContext {
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

    async fn transition(
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

    async fn may_read_record_of(&self, actor: &Actor, unit: Option<UnitId>) -> Result<bool> {
        if actor.role == Role::LeadingGroup {
            return Ok(true);
        }
        let units = self.units_of_head(actor).await?;
        Ok(unit.is_some_and(|u| units.contains(&u)))
    }

    /// The record of a staff member (404 when not visible).
    ///
    /// # Errors
    /// [`AccountabilityError`].
    pub async fn person_record(&self, actor: &Actor, id: UserId) -> Result<SubjectRecord> {
        visibility::require_case_content(actor, "read records of complaints and sanctions")?;
        let person = self
            .repository
            .person(id)
            .await?
            .ok_or(AccountabilityError::NotFound("person"))?;
        if !self.may_read_record_of(actor, person.unit_id).await? {
            return Err(AccountabilityError::NotFound("person"));
        }
        let complaints = self.repository.complaints_against_person(id).await?;
        let sanctions = self.subject_sanctions(SubjectRef::Person(id)).await?;
        build_record(complaints, sanctions, self.today(self.clock.now()))
            .map_err(|e| invalid("effective_date", e.message()))
    }

    /// The record of a unit (404 when not visible).
    ///
    /// # Errors
    /// [`AccountabilityError`].
    pub async fn unit_record(&self, actor: &Actor, id: UnitId) -> Result<SubjectRecord> {
        visibility::require_case_content(actor, "read records of complaints and sanctions")?;
        if self.repository.unit_and_descendants(id).await?.is_empty()
            || !self.may_read_record_of(actor, Some(id)).await?
        {
            return Err(AccountabilityError::NotFound("unit"));
        }
        let complaints = self.repository.complaints_against_unit(id).await?;
        let sanctions = self.subject_sanctions(SubjectRef::Unit(id)).await?;
        build_record(complaints, sanctions, self.today(self.clock.now()))
            .map_err(|e| invalid("effective_date", e.message()))
    }
}
