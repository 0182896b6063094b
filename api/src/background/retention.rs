//! The retention worker: erases complainants' contact details once their retention period is
//! over, and purges stored idempotent answers past their replay window.

use duban_domain::clock::Clock;
use duban_infra::DatabaseConnection;
use duban_infra::complaints::erase_contact_details_once;
use duban_infra::idempotency::IdempotencyStore;
use tokio::sync::watch;

use super::{WorkerSettings, wait};
use crate::state::AppClock;

pub(super) async fn retention(
    db: DatabaseConnection,
    clock: AppClock,
    settings: WorkerSettings,
    mut stopped: watch::Receiver<bool>,
) {
    let answers = IdempotencyStore::new(db.clone());
    while wait(settings.retention_every, &mut stopped).await {
        let now = clock.now();
        match erase_contact_details_once(&db, now, settings.retention).await {
            Ok(report) if report.erased > 0 => {
                tracing::info!(
                    erased = report.erased,
                    "erased complainants' contact details"
                );
            }
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "retention: erasure pass failed"),
        }
        match answers
            .purge_before(now - settings.idempotency_replay)
            .await
        {
            Ok(purged) if purged > 0 => {
                tracing::info!(purged, "purged idempotent answers past their replay window");
            }
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "retention: purge of idempotent answers failed"),
        }
    }
}
