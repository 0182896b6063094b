//! Proposing a sanction: the combination rules, the recommendation from the stored facts,
//! the justification of a milder proposal, and the statement period.

use uuid::Uuid;

use super::{
    AccountabilityError, AccountabilityService, ProposeCommand, Result, SanctionDetail, invalid,
};
use crate::access::{Actor, Forbidden};
use crate::accountability::leaders::named_for;
use crate::accountability::model::{
    RecommendationSnapshot, SanctionHistoryEntry, SanctionRecord, SanctionWrite, SubjectRef,
    history_of,
};
use crate::accountability::ports::AccountabilityRepository;
use crate::accountability::records::earlier_sanction_active;
use crate::calendar::CalendarSource;
use crate::clock::Clock;
use crate::complaint::visibility::ComplaintVisibility;
use crate::role::Role;
use crate::sanction::{
    RecommendationFacts, SanctionAction, SanctionCase, SanctionMeasures, SanctionStatus, apply,
    check_justification, count_sustained_within_window, decide, recommend,
};

impl<R, C, K, V> AccountabilityService<R, C, K, V>
where
    R: AccountabilityRepository,
    C: CalendarSource,
    K: Clock,
    V: ComplaintVisibility,
{
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
}
