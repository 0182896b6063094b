//! What an insider with a database connection does to the evidence, for the tamper tests:
//! raw edits, deletions and chains recomputed without (or with the wrong) key.

use chrono::{DateTime, Utc};
use duban_domain::audit::ChainKind;
use duban_infra::audit::chain::{Entry, GENESIS, mac};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, SimpleExpr};
use sea_orm::{ConnectionTrait, DatabaseConnection, Value};
use sha2::{Digest, Sha256};
use uuid::Uuid;

fn uuid(id: &str) -> Uuid {
    Uuid::parse_str(id).unwrap_or_else(|e| panic!("{e}"))
}

fn event_of(column: &str, subject: &str, sequence: i64) -> SimpleExpr {
    Expr::col(Alias::new(column))
        .eq(uuid(subject))
        .and(Expr::col(Alias::new("sequence")).eq(sequence))
}

/// `UPDATE complaint_events SET column = value` for one event.
pub async fn edit_event(
    db: &DatabaseConnection,
    complaint: &str,
    sequence: i64,
    column: &str,
    value: impl Into<Value>,
) {
    let stmt = Query::update()
        .table(Alias::new("complaint_events"))
        .value(Alias::new(column), value.into())
        .and_where(event_of("complaint_id", complaint, sequence))
        .to_owned();
    let done = db.execute(&stmt).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(done.rows_affected(), 1);
}

/// `DELETE FROM complaint_events` for one event.
pub async fn delete_event(db: &DatabaseConnection, complaint: &str, sequence: i64) {
    let stmt = Query::delete()
        .from_table(Alias::new("complaint_events"))
        .and_where(event_of("complaint_id", complaint, sequence))
        .to_owned();
    let done = db.execute(&stmt).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(done.rows_affected(), 1);
}

/// `UPDATE table SET column = value WHERE id = id`.
pub async fn edit_row(
    db: &DatabaseConnection,
    table: &str,
    id: &str,
    column: &str,
    value: impl Into<Value>,
) {
    let stmt = Query::update()
        .table(Alias::new(table))
        .value(Alias::new(column), value.into())
        .and_where(Expr::col(Alias::new("id")).eq(uuid(id)))
        .to_owned();
    let done = db.execute(&stmt).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(done.rows_affected(), 1, "{table} {id}");
}

/// A stored complaint event, as an insider reads it.
pub struct Row {
    pub id: Uuid,
    pub entry: Entry,
}

pub async fn complaint_events(db: &DatabaseConnection, complaint: &str) -> Vec<Row> {
    let stmt = Query::select()
        .columns(
            [
                "id",
                "sequence",
                "kind",
                "actor_id",
                "at",
                "data",
                "sealed",
                "key_id",
                "prev_hash",
                "hash",
            ]
            .map(Alias::new),
        )
        .from(Alias::new("complaint_events"))
        .and_where(Expr::col(Alias::new("complaint_id")).eq(uuid(complaint)))
        .order_by(Alias::new("sequence"), sea_orm::Order::Asc)
        .to_owned();
    let rows = db.query_all(&stmt).await.unwrap_or_else(|e| panic!("{e}"));
    rows.iter()
        .map(|r| {
            let get = |c: &str| {
                r.try_get::<String>("", c)
                    .unwrap_or_else(|e| panic!("{c}: {e}"))
            };
            Row {
                id: r.try_get("", "id").unwrap_or_else(|e| panic!("{e}")),
                entry: Entry {
                    sequence: r.try_get("", "sequence").unwrap_or_else(|e| panic!("{e}")),
                    kind: get("kind"),
                    actor: r
                        .try_get::<Option<Uuid>>("", "actor_id")
                        .unwrap_or_else(|e| panic!("{e}"))
                        .map(|a| a.to_string())
                        .unwrap_or_default(),
                    at: r
                        .try_get::<DateTime<Utc>>("", "at")
                        .unwrap_or_else(|e| panic!("{e}")),
                    data: get("data"),
                    sealed: r.try_get("", "sealed").unwrap_or_else(|e| panic!("{e}")),
                    prev_hash: get("prev_hash"),
                    hash: get("hash"),
                    key_id: r.try_get("", "key_id").unwrap_or_else(|e| panic!("{e}")),
                },
            }
        })
        .collect()
}

/// How an insider recomputes a hash: from the predecessor's and the entry.
pub type Rehash = dyn Fn(&Entry) -> String;

/// Plain SHA-256 over the same parts: what one can compute without the key.
pub fn plain_sha256(entry: &Entry) -> String {
    let mut hasher = Sha256::new();
    for part in [
        entry.prev_hash.as_str(),
        &entry.sequence.to_string(),
        &entry.kind,
        &entry.actor,
        &entry.data,
    ] {
        hasher.update(part.as_bytes());
        hasher.update([0u8]);
    }
    format!("{:x}", hasher.finalize())
}

/// HMAC-SHA256 exactly as the service makes it, but with `key`.
pub fn hmac_with(key: [u8; 32], complaint: &str) -> Box<Rehash> {
    let subject = uuid(complaint);
    Box::new(move |entry: &Entry| {
        let id = entry.key_id.clone().unwrap_or_default();
        mac(&key, &id, ChainKind::Complaint, subject, entry)
    })
}

/// Rewrites every hash of the complaint's chain, oldest first, each naming the new hash of
/// its predecessor: a chain consistent in itself.
pub async fn recompute_chain(db: &DatabaseConnection, complaint: &str, rehash: &Rehash) {
    let mut prev = GENESIS.to_owned();
    for row in complaint_events(db, complaint).await {
        let entry = Entry {
            prev_hash: prev.clone(),
            ..row.entry
        };
        let hash = rehash(&entry);
        let stmt = Query::update()
            .table(Alias::new("complaint_events"))
            .value(Alias::new("prev_hash"), prev.clone())
            .value(Alias::new("hash"), hash.clone())
            .and_where(Expr::col(Alias::new("id")).eq(row.id))
            .to_owned();
        db.execute(&stmt).await.unwrap_or_else(|e| panic!("{e}"));
        prev = hash;
    }
}

/// The kinds of the breaks in a verification answer, with their sequences.
pub fn breaks(body: &serde_json::Value) -> Vec<(String, Option<i64>)> {
    body["breaks"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|b| {
            (
                b["kind"].as_str().unwrap_or_default().to_owned(),
                b["sequence"].as_i64(),
            )
        })
        .collect()
}

/// The fields of the `row_differs` break.
pub fn differing_fields(body: &serde_json::Value) -> Vec<String> {
    body["breaks"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter(|b| b["kind"] == "row_differs")
        .flat_map(|b| {
            b["fields"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .iter()
                .filter_map(|f| f.as_str().map(str::to_owned))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Rewrites the complaint's chain as the service stored it before keys: plain SHA-256 of
/// the parts NUL-separated (see `infra/src/audit/legacy.rs`), no key id, nothing sealed.
pub async fn to_legacy(db: &DatabaseConnection, complaint: &str) {
    let mut prev = GENESIS.to_owned();
    for row in complaint_events(db, complaint).await {
        let e = row.entry;
        let mut hasher = Sha256::new();
        for part in [
            prev.as_str(),
            complaint,
            &e.sequence.to_string(),
            &e.kind,
            &e.actor,
            &duban_infra::audit::chain::at_text(e.at),
            &e.data,
        ] {
            hasher.update(part.as_bytes());
            hasher.update([0u8]);
        }
        let hash = format!("{:x}", hasher.finalize());
        let stmt = Query::update()
            .table(Alias::new("complaint_events"))
            .value(Alias::new("prev_hash"), prev.clone())
            .value(Alias::new("hash"), hash.clone())
            .value(Alias::new("key_id"), Option::<String>::None)
            .value(Alias::new("sealed"), Option::<String>::None)
            .and_where(Expr::col(Alias::new("id")).eq(row.id))
            .to_owned();
        db.execute(&stmt).await.unwrap_or_else(|e| panic!("{e}"));
        prev = hash;
    }
}
