//! The measures an approval put in force, as `decided` measure rows. An amendment always wrote
//! its measures as the `decided` phase, an approval wrote none: the statistics (which count
//! decided measures) missed every approved sanction. Approvals now write the proposal's
//! measures as decided; this fills them in for the approvals already stored.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::ConnectionTrait;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared(
                "INSERT INTO sanction_measures (sanction_id, phase, position, track, measure) \
                 SELECT m.sanction_id, 'decided', m.position, m.track, m.measure \
                 FROM sanction_measures m JOIN sanctions s ON s.id = m.sanction_id \
                 WHERE m.phase = 'proposed' AND s.decision_outcome = 'approve' \
                 AND NOT EXISTS (SELECT 1 FROM sanction_measures d \
                 WHERE d.sanction_id = m.sanction_id AND d.phase = 'decided')",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared(
                "DELETE FROM sanction_measures WHERE phase = 'decided' AND sanction_id IN \
                 (SELECT id FROM sanctions WHERE decision_outcome = 'approve')",
            )
            .await?;
        Ok(())
    }
}
