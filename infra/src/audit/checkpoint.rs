//! Checkpoints: every chain's head (its newest sequence and hash), sealed into a Merkle root
//! signed with Ed25519. A checkpoint kept outside the database proves later that no chain
//! lost its newest events and none was removed (README, "Checkpoint format").

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use duban_domain::audit::ChainKind;
use ed25519_dalek::{Signature, Signer, Verifier};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryOrder,
    QuerySelect, Set, Statement,
};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::chain::at_text;
use super::keys::AuditKeys;
use crate::db::{begin_write, is_postgres};
use crate::entities::audit_checkpoint;

/// The name of the format, in every export and in the signed message.
pub const FORMAT: &str = "duban-checkpoint-v1";

/// A chain's newest event as sealed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub chain: ChainKind,
    pub id: uuid::Uuid,
    pub sequence: i64,
    pub hash: String,
}

impl Head {
    /// The leaf's text: `chain:id:sequence:hash`.
    fn leaf_text(&self) -> String {
        format!(
            "{}:{}:{}:{}",
            self.chain.as_str(),
            self.id,
            self.sequence,
            self.hash
        )
    }
}

/// A signed seal of every chain's head.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    pub id: uuid::Uuid,
    pub sealed_at: DateTime<Utc>,
    /// The signing key's id.
    pub key_id: String,
    /// Hex SHA-256 Merkle root of the heads, in leaf order.
    pub root: String,
    /// Hex Ed25519 signature of [`Checkpoint::message`].
    pub signature: String,
    /// In leaf order: by chain name, then by id (as text).
    pub heads: Vec<Head>,
}

/// The Merkle root of `heads` (already in leaf order): leaf = SHA-256(0x00 ‖ leaf text),
/// node = SHA-256(0x01 ‖ left ‖ right); an odd node at the end of a level goes up unchanged;
/// no heads: SHA-256 of nothing.
pub fn merkle_root(heads: &[Head]) -> String {
    let mut level: Vec<[u8; 32]> = heads
        .iter()
        .map(|h| {
            let mut hasher = Sha256::new();
            hasher.update([0u8]);
            hasher.update(h.leaf_text().as_bytes());
            hasher.finalize().into()
        })
        .collect();
    if level.is_empty() {
        return hex::encode(Sha256::digest(b""));
    }
    while level.len() > 1 {
        level = level
            .chunks(2)
            .map(|pair| match pair {
                [left, right] => {
                    let mut hasher = Sha256::new();
                    hasher.update([1u8]);
                    hasher.update(left);
                    hasher.update(right);
                    hasher.finalize().into()
                }
                [odd] => *odd,
                _ => unreachable!("chunks of two"),
            })
            .collect();
    }
    hex::encode(level[0])
}

fn sort_heads(heads: &mut [Head]) {
    heads.sort_by(|a, b| {
        (a.chain.as_str(), a.id.to_string()).cmp(&(b.chain.as_str(), b.id.to_string()))
    });
}

impl Checkpoint {
    /// The signed message: `duban-checkpoint-v1`, id, sealed_at (RFC 3339, UTC,
    /// microseconds), leaf count and root, each on its own line (`\n`, none after the root).
    pub fn message(&self) -> String {
        format!(
            "{FORMAT}\n{}\n{}\n{}\n{}",
            self.id,
            at_text(self.sealed_at),
            self.heads.len(),
            self.root
        )
    }

    /// Why the checkpoint does not hold (its heads do not hash to its root, its key is not
    /// configured, its signature does not verify); `None` when it holds.
    pub fn problem(&self, keys: &AuditKeys) -> Option<String> {
        if merkle_root(&self.heads) != self.root {
            return Some("its heads do not hash to its root".into());
        }
        let Some(public) = keys.verifying(&self.key_id) else {
            return Some(format!(
                "its signing key `{}` is not configured",
                self.key_id
            ));
        };
        let signature = hex::decode(&self.signature)
            .ok()
            .and_then(|raw| <[u8; 64]>::try_from(raw).ok())
            .map(|raw| Signature::from_bytes(&raw));
        match signature {
            Some(signature) if public.verify(self.message().as_bytes(), &signature).is_ok() => None,
            _ => Some("its signature does not verify".into()),
        }
    }

    /// The sealed head of one chain.
    pub fn head(&self, chain: ChainKind, id: uuid::Uuid) -> Option<&Head> {
        self.heads.iter().find(|h| h.chain == chain && h.id == id)
    }

    /// The export: everything needed to check it elsewhere, with the public key.
    pub fn to_json(&self, keys: &AuditKeys) -> Value {
        json!({
            "format": FORMAT,
            "id": self.id,
            "sealed_at": at_text(self.sealed_at),
            "key_id": self.key_id,
            "public_key": keys.verifying(&self.key_id).map(|k| hex::encode(k.as_bytes())),
            "leaf_count": self.heads.len(),
            "root": self.root,
            "signature": self.signature,
            "heads": self.heads.iter().map(|h| json!({
                "chain": h.chain.as_str(),
                "id": h.id,
                "sequence": h.sequence,
                "hash": h.hash,
            })).collect::<Vec<_>>(),
        })
    }

    /// Reads an export back (`duban audit verify --checkpoint FILE`).
    ///
    /// # Errors
    /// What is missing or malformed.
    pub fn from_json(value: &Value) -> Result<Self, String> {
        let text = |key: &str| {
            value[key]
                .as_str()
                .map(str::to_owned)
                .ok_or_else(|| format!("`{key}` is missing"))
        };
        if text("format")? != FORMAT {
            return Err(format!("not a {FORMAT} document"));
        }
        let heads = value["heads"]
            .as_array()
            .ok_or("`heads` is missing")?
            .iter()
            .map(|h| {
                Ok(Head {
                    chain: h["chain"].as_str().unwrap_or_default().parse()?,
                    id: h["id"]
                        .as_str()
                        .and_then(|s| s.parse().ok())
                        .ok_or("a head without id")?,
                    sequence: h["sequence"].as_i64().ok_or("a head without sequence")?,
                    hash: h["hash"].as_str().ok_or("a head without hash")?.to_owned(),
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        Ok(Self {
            id: text("id")?.parse().map_err(|_| "`id` is not a UUID")?,
            sealed_at: DateTime::parse_from_rfc3339(&text("sealed_at")?)
                .map_err(|_| "`sealed_at` is not RFC 3339")?
                .with_timezone(&Utc),
            key_id: text("key_id")?,
            root: text("root")?,
            signature: text("signature")?,
            heads,
        })
    }
}

/// Every chain's head now, in leaf order.
async fn heads(conn: &impl ConnectionTrait) -> Result<Vec<Head>, DbErr> {
    let mut heads = Vec::new();
    for (chain, table, column) in [
        (ChainKind::Complaint, "complaint_events", "complaint_id"),
        (ChainKind::Sanction, "sanction_events", "sanction_id"),
    ] {
        let sql = format!(
            "SELECT e.{column} AS id, e.sequence AS sequence, e.hash AS hash FROM {table} e \
             WHERE e.sequence = (SELECT MAX(m.sequence) FROM {table} m \
             WHERE m.{column} = e.{column})"
        );
        let rows = conn
            .query_all_raw(Statement::from_string(conn.get_database_backend(), sql))
            .await?;
        for row in rows {
            heads.push(Head {
                chain,
                id: row.try_get("", "id")?,
                sequence: row
                    .try_get::<i64>("", "sequence")
                    .or_else(|_| row.try_get::<i32>("", "sequence").map(i64::from))?,
                hash: row.try_get("", "hash")?,
            });
        }
    }
    sort_heads(&mut heads);
    Ok(heads)
}

fn from_row(row: audit_checkpoint::Model) -> Result<Checkpoint, DbErr> {
    let stored: Vec<Value> = serde_json::from_str(&row.heads)
        .map_err(|e| DbErr::Custom(format!("stored checkpoint heads are unreadable: {e}")))?;
    let heads = stored
        .iter()
        .map(|h| {
            Some(Head {
                chain: h["chain"].as_str()?.parse().ok()?,
                id: h["id"].as_str()?.parse().ok()?,
                sequence: h["sequence"].as_i64()?,
                hash: h["hash"].as_str()?.to_owned(),
            })
        })
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| DbErr::Custom("a stored checkpoint head is unreadable".into()))?;
    Ok(Checkpoint {
        id: row.id,
        sealed_at: row.sealed_at,
        key_id: row.key_id,
        root: row.root,
        signature: row.signature,
        heads,
    })
}

/// The newest checkpoint.
///
/// # Errors
/// The database's.
pub async fn latest(conn: &impl ConnectionTrait) -> Result<Option<Checkpoint>, DbErr> {
    audit_checkpoint::Entity::find()
        .order_by_desc(audit_checkpoint::Column::SealedAt)
        .order_by_desc(audit_checkpoint::Column::Id)
        .limit(1)
        .one(conn)
        .await?
        .map(from_row)
        .transpose()
}

/// The newest `limit` checkpoints, newest first.
///
/// # Errors
/// The database's.
pub async fn recent(conn: &impl ConnectionTrait, limit: u64) -> Result<Vec<Checkpoint>, DbErr> {
    audit_checkpoint::Entity::find()
        .order_by_desc(audit_checkpoint::Column::SealedAt)
        .order_by_desc(audit_checkpoint::Column::Id)
        .limit(limit)
        .all(conn)
        .await?
        .into_iter()
        .map(from_row)
        .collect()
}

/// Seals every chain's head now, unless a checkpoint was sealed less than `min_gap` before
/// `now` (then `None`). Sealers queue on one lock (PostgreSQL: a transaction-level advisory
/// lock per schema; SQLite: the write lock), so instances running at once seal once per gap.
///
/// # Errors
/// The database's.
pub async fn seal_once(
    db: &DatabaseConnection,
    keys: &AuditKeys,
    now: DateTime<Utc>,
    min_gap: chrono::TimeDelta,
) -> Result<Option<Checkpoint>, DbErr> {
    let txn = begin_write(db).await?;
    if is_postgres(db) {
        txn.execute_unprepared(
            "SELECT pg_advisory_xact_lock(hashtext('duban-audit-seal:' || current_schema()))",
        )
        .await?;
    }
    if let Some(last) = latest(&txn).await?
        && last.sealed_at > now - min_gap
    {
        txn.commit().await?;
        return Ok(None);
    }
    let heads = heads(&txn).await?;
    let (key_id, signer) = keys.current_signer();
    let mut checkpoint = Checkpoint {
        id: uuid::Uuid::now_v7(),
        sealed_at: now,
        key_id: key_id.to_owned(),
        root: merkle_root(&heads),
        signature: String::new(),
        heads,
    };
    checkpoint.signature = hex::encode(signer.sign(checkpoint.message().as_bytes()).to_bytes());
    let stored_heads = serde_json::to_string(&checkpoint.to_json(keys)["heads"])
        .map_err(|e| DbErr::Custom(e.to_string()))?;
    audit_checkpoint::ActiveModel {
        id: Set(checkpoint.id),
        sealed_at: Set(checkpoint.sealed_at),
        key_id: Set(checkpoint.key_id.clone()),
        leaf_count: Set(i64::try_from(checkpoint.heads.len()).unwrap_or(i64::MAX)),
        root: Set(checkpoint.root.clone()),
        heads: Set(stored_heads),
        signature: Set(checkpoint.signature.clone()),
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(Some(checkpoint))
}

/// The heads by chain and id, for lookups.
pub(crate) fn by_chain(checkpoint: &Checkpoint) -> BTreeMap<(ChainKind, uuid::Uuid), &Head> {
    checkpoint
        .heads
        .iter()
        .map(|h| ((h.chain, h.id), h))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(n: u128) -> Head {
        Head {
            chain: ChainKind::Complaint,
            id: uuid::Uuid::from_u128(n),
            sequence: 1,
            hash: "ab".repeat(32),
        }
    }

    #[test]
    fn the_root_follows_the_documented_construction() {
        let leaf = |h: &Head| -> [u8; 32] {
            let mut x = Sha256::new();
            x.update([0u8]);
            x.update(h.leaf_text().as_bytes());
            x.finalize().into()
        };
        let node = |l: [u8; 32], r: [u8; 32]| -> [u8; 32] {
            let mut x = Sha256::new();
            x.update([1u8]);
            x.update(l);
            x.update(r);
            x.finalize().into()
        };
        let (a, b, c) = (head(1), head(2), head(3));
        assert_eq!(merkle_root(std::slice::from_ref(&a)), hex::encode(leaf(&a)));
        assert_eq!(
            merkle_root(&[a.clone(), b.clone(), c.clone()]),
            hex::encode(node(node(leaf(&a), leaf(&b)), leaf(&c)))
        );
        assert_eq!(merkle_root(&[]), hex::encode(Sha256::digest(b"")));
    }

    #[test]
    fn a_signed_checkpoint_holds_and_any_change_is_caught() {
        let keys = AuditKeys::from_parts(&[("h1", [1; 32])], &[("s2", [3; 32]), ("s1", [2; 32])])
            .unwrap_or_else(|e| panic!("{e}"));
        let heads = vec![head(1), head(2)];
        let mut checkpoint = Checkpoint {
            id: uuid::Uuid::from_u128(9),
            sealed_at: DateTime::UNIX_EPOCH,
            key_id: "s1".into(),
            root: merkle_root(&heads),
            signature: String::new(),
            heads,
        };
        let signer = ed25519_dalek::SigningKey::from_bytes(&[2; 32]);
        checkpoint.signature = hex::encode(signer.sign(checkpoint.message().as_bytes()).to_bytes());
        assert_eq!(
            checkpoint.problem(&keys),
            None,
            "a retired key still verifies"
        );
        let back = Checkpoint::from_json(&checkpoint.to_json(&keys));
        assert_eq!(back.as_ref(), Ok(&checkpoint));

        let mut cut = checkpoint.clone();
        cut.heads.pop();
        assert!(cut.problem(&keys).is_some());
        let mut resigned = checkpoint.clone();
        resigned.key_id = "s2".into();
        assert!(resigned.problem(&keys).is_some());
    }
}
