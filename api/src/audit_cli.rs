//! `duban audit …`: what each subcommand prints and whether it found the evidence intact
//! (the binary turns `false` into exit status 1).

use chrono::Utc;
use duban_infra::audit::{self, AuditKeys, Checkpoint, Report};
use serde_json::{Value, json};

use crate::Settings;
use crate::app::{App, AppError};
use crate::cli::AuditCommand;

/// What a subcommand printed, and whether it may exit 0.
#[derive(Debug)]
pub struct Outcome {
    pub output: String,
    pub ok: bool,
}

/// Runs one `duban audit` subcommand.
///
/// # Errors
/// [`AppError`] for missing keys, an unreachable database or an unreadable checkpoint file.
pub async fn run(settings: &Settings, command: &AuditCommand) -> Result<Outcome, AppError> {
    let keys = App::audit_keys(settings)?;
    let db = App::migrate(settings).await?;
    let failed = |e: duban_infra::audit::DbErr| AppError::Audit(e.to_string());
    let printed = |value: Value, ok| Outcome {
        output: serde_json::to_string_pretty(&value).unwrap_or_default(),
        ok,
    };
    match command {
        AuditCommand::Verify { checkpoint, json } => {
            let external = match checkpoint {
                Some(path) => Some(read_checkpoint(path)?),
                None => None,
            };
            let report = audit::verify_all(&db, &keys, external)
                .await
                .map_err(failed)?;
            let ok = report.intact();
            Ok(if *json {
                printed(report_json(&report), ok)
            } else {
                Outcome {
                    output: report_text(&report),
                    ok,
                }
            })
        }
        AuditCommand::Checkpoint => {
            let sealed =
                audit::checkpoint::seal_once(&db, &keys, Utc::now(), chrono::TimeDelta::zero())
                    .await
                    .map_err(failed)?;
            Ok(printed(
                sealed.map(|c| c.to_json(&keys)).unwrap_or(Value::Null),
                true,
            ))
        }
        AuditCommand::Latest => {
            let latest = audit::checkpoint::latest(&db).await.map_err(failed)?;
            Ok(printed(
                latest.map(|c| c.to_json(&keys)).unwrap_or(Value::Null),
                true,
            ))
        }
        AuditCommand::PublicKey => Ok(printed(public_keys(&keys), true)),
        AuditCommand::AdoptLegacy => {
            let adopted = audit::adopt_legacy(&db, &keys).await.map_err(failed)?;
            Ok(printed(
                json!({
                    "complaint_chains_adopted": adopted.complaint_chains,
                    "sanction_chains_adopted": adopted.sanction_chains,
                    "refused": adopted.refused.iter().map(|(chain, id)| json!({
                        "chain": chain.as_str(), "id": id,
                    })).collect::<Vec<_>>(),
                }),
                adopted.refused.is_empty(),
            ))
        }
    }
}

fn read_checkpoint(path: &std::path::Path) -> Result<Checkpoint, AppError> {
    let invalid = |why: String| AppError::Audit(format!("checkpoint {}: {why}", path.display()));
    let text = std::fs::read_to_string(path).map_err(|e| invalid(e.to_string()))?;
    let value: Value = serde_json::from_str(&text).map_err(|e| invalid(e.to_string()))?;
    Checkpoint::from_json(&value).map_err(invalid)
}

fn public_keys(keys: &AuditKeys) -> Value {
    json!(
        keys.public_keys()
            .into_iter()
            .map(|(key_id, public_key)| json!({"key_id": key_id, "public_key": public_key}))
            .collect::<Vec<_>>()
    )
}

/// The report as JSON: `intact`, counts, the checkpoint used, and every break.
pub fn report_json(report: &Report) -> Value {
    json!({
        "intact": report.intact(),
        "chains": report.chains,
        "events": report.events,
        "checkpoint": report.checkpoint.as_ref().map(|c| json!({
            "id": c.id,
            "sealed_at": audit::chain::at_text(c.sealed_at),
            "leaf_count": c.heads.len(),
        })),
        "checkpoint_problem": report.checkpoint_problem,
        "breaks": report.breaks.iter().map(|b| json!({
            "chain": b.chain.as_str(),
            "id": b.subject_id,
            "sequence": b.sequence,
            "kind": b.kind.code(),
            "fields": match &b.kind {
                duban_domain::audit::BreakKind::RowDiffers(fields) => Some(fields.clone()),
                _ => None,
            },
            "detail": b.kind.describe(),
        })).collect::<Vec<_>>(),
    })
}

/// The report for people: one line per break, then a summary line.
pub fn report_text(report: &Report) -> String {
    let mut lines: Vec<String> = report.breaks.iter().map(|b| format!("BREAK {b}")).collect();
    if let Some(problem) = &report.checkpoint_problem {
        lines.push(format!(
            "BREAK checkpoint: {problem}; its heads were not used"
        ));
    }
    let against = match (&report.checkpoint, &report.checkpoint_problem) {
        (Some(c), None) => format!(
            "heads checked against checkpoint {} of {}",
            c.id,
            audit::chain::at_text(c.sealed_at)
        ),
        (Some(_), Some(_)) => "the checkpoint does not verify".to_owned(),
        (None, _) => {
            "no checkpoint sealed yet: deleted newest events cannot be detected".to_owned()
        }
    };
    lines.push(format!(
        "{}: {} chains, {} events, {} breaks; {against}",
        if report.intact() {
            "intact"
        } else {
            "NOT INTACT"
        },
        report.chains,
        report.events,
        report.breaks.len() + usize::from(report.checkpoint_problem.is_some()),
    ));
    lines.join("\n")
}
