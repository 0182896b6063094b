//! `/outbox/dead-messages`: admin lists the notifications that ran out of attempts and puts
//! them back into delivery; nobody else may.

use chrono::{TimeDelta, Utc};
use duban_infra::notifications::{
    Notification, NotificationSender, OutboxStatus, SendError, SendFuture, deliver_once, enqueue,
};
use duban_tests::TestApp;
use reqwest::Method;
use serde_json::json;

use crate::notifications::entry_of;

/// Answers every send as `result` says.
struct Fixed {
    delivers: bool,
}

impl NotificationSender for Fixed {
    fn send<'a>(&'a self, _message: &'a Notification) -> SendFuture<'a> {
        let delivers = self.delivers;
        Box::pin(async move {
            if delivers {
                Ok(())
            } else {
                Err(SendError("the receiver answered 503".into()))
            }
        })
    }
}

#[tokio::test]
async fn admin_lists_dead_messages_and_replays_one_into_delivery() {
    let app = TestApp::spawn().await;
    let db = app.database().await;
    let (_, intake) = app.staff("intake1", "intake", None).await;
    let now = Utc::now();
    let id = enqueue(&db, "order.reminded", &json!({"n": 1}), now)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let failing = Fixed { delivers: false };
    let report = deliver_once(&db, &failing, now, 1, TimeDelta::seconds(5))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.dead, 1, "{report:?}");

    let listed = app.get("/api/v1/outbox/dead-messages", &app.admin).await;
    assert_eq!(listed.status, 200, "{:#}", listed.body);
    let items = listed.body["items"].as_array().cloned().unwrap_or_default();
    assert_eq!(items.len(), 1, "{:#}", listed.body);
    assert_eq!(items[0]["id"], id.to_string());
    assert_eq!(items[0]["topic"], "order.reminded");
    assert_eq!(items[0]["status"], "dead");
    assert_eq!(items[0]["attempts"], 1);
    assert_eq!(items[0]["last_error"], "the receiver answered 503");
    assert!(
        items[0].get("payload").is_none(),
        "admin reads no case content"
    );
    app.get("/api/v1/outbox/dead-messages", &intake)
        .await
        .problem(403);

    let replay = |token: &str, id: String| {
        let path = format!("/api/v1/outbox/dead-messages/{id}/replay");
        let token = token.to_owned();
        let app = &app;
        async move { app.call(Method::POST, &path, Some(&token), None).await }
    };
    replay(&intake, id.to_string()).await.problem(403);
    replay(&app.admin, uuid::Uuid::now_v7().to_string())
        .await
        .problem(404);
    let replayed = replay(&app.admin, id.to_string()).await;
    assert_eq!(replayed.status, 200, "{:#}", replayed.body);
    assert_eq!(replayed.body["status"], "pending");
    assert_eq!(replayed.body["attempts"], 0);
    assert_eq!(
        replay(&app.admin, id.to_string()).await.problem(409),
        "wrong_state",
        "a pending message is not replayed twice"
    );
    let listed = app.get("/api/v1/outbox/dead-messages", &app.admin).await;
    assert_eq!(listed.body["items"], json!([]), "{:#}", listed.body);

    let working = Fixed { delivers: true };
    let later = Utc::now() + TimeDelta::seconds(1);
    let report = deliver_once(&db, &working, later, 1, TimeDelta::seconds(5))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.delivered, 1, "{report:?}");
    let message = entry_of(&db, id).await;
    assert_eq!(message.status, OutboxStatus::Delivered);
    assert_eq!(message.attempts, 1);
}
