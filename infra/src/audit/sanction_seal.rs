//! A sanction's row as it stands (with its measures and what it cites), sealed with every
//! event of its history: the newest event's seal is the state the row must hold.

use std::collections::BTreeMap;

use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::accountability::entities::{sanction, sanction_link, sanction_measure};

/// The sanction's state now, as sealed: every column, the measures by phase and position,
/// the complaints and investigation records it cites (sorted). `None` when there is no row.
pub(crate) async fn snapshot(
    conn: &impl ConnectionTrait,
    id: uuid::Uuid,
) -> Result<Option<BTreeMap<String, Value>>, DbErr> {
    let Some(row) = sanction::Entity::find_by_id(id).one(conn).await? else {
        return Ok(None);
    };
    let mut measures = sanction_measure::Entity::find()
        .filter(sanction_measure::Column::SanctionId.eq(id))
        .all(conn)
        .await?;
    measures.sort_by(|a, b| (&a.phase, a.position).cmp(&(&b.phase, b.position)));
    let links = sanction_link::Entity::find()
        .filter(sanction_link::Column::SanctionId.eq(id))
        .all(conn)
        .await?;
    let mut complaints: Vec<String> = links
        .iter()
        .filter_map(|l| l.complaint_id.map(|c| c.to_string()))
        .collect();
    complaints.sort();
    let mut records: Vec<String> = links
        .iter()
        .filter_map(|l| l.investigation_record_id.map(|r| r.to_string()))
        .collect();
    records.sort();
    let Value::Object(columns) =
        serde_json::to_value(&row).map_err(|e| DbErr::Custom(e.to_string()))?
    else {
        return Err(DbErr::Custom("a sanction row is not an object".into()));
    };
    let mut state: BTreeMap<String, Value> = columns.into_iter().collect();
    state.insert(
        "measures".into(),
        json!(
            measures
                .iter()
                .map(|m| json!([m.phase, m.position, m.track, m.measure]))
                .collect::<Vec<_>>()
        ),
    );
    state.insert("cited_complaints".into(), json!(complaints));
    state.insert("cited_investigation_records".into(), json!(records));
    Ok(Some(state))
}

/// The fields in which the row now differs from the seal.
pub(crate) fn differences(sealed: &str, now: &BTreeMap<String, Value>) -> Vec<String> {
    let Ok(sealed) = serde_json::from_str::<BTreeMap<String, Value>>(sealed) else {
        return vec!["sealed_state".to_owned()];
    };
    let mut fields: Vec<String> = now
        .iter()
        .filter(|(field, value)| sealed.get(*field) != Some(*value))
        .map(|(field, _)| field.clone())
        .collect();
    fields.extend(sealed.keys().filter(|k| !now.contains_key(*k)).cloned());
    fields
}

/// What a sanction event's hash covers as its data: its reason (the `reason` column), as
/// JSON. Stored in `data` too.
pub(crate) fn event_data(reason: Option<&str>) -> String {
    json!({ "reason": reason }).to_string()
}

#[cfg(test)]
mod tests {
    use super::event_data;

    /// Pinned: the hashes of stored sanction history cover this exact text.
    #[test]
    fn a_sanction_events_data_is_its_reason_as_json() {
        assert_eq!(
            event_data(Some("a talk is enough")),
            r#"{"reason":"a talk is enough"}"#
        );
        assert_eq!(event_data(None), r#"{"reason":null}"#);
    }
}
