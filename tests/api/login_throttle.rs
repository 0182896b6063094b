//! The login throttle at pinned instants (no waiting, whatever the machine's speed): blocks
//! per username and client address and per client address, of a fixed length, and the
//! security log they write.

use chrono::{DateTime, Duration, TimeZone, Utc};
use duban_domain::role::Role;
use duban_infra::accounts::{AccountStore, NewUser};
use duban_infra::login_guard::{SecurityEventKind, SecurityLog, ThrottlePolicy};
use duban_infra::tokens::{LoginError, SessionPolicy, SessionStore};
use duban_tests::TestDatabase;

const PASSWORD: &str = "the-real-password";
const ATTACKER: &str = "203.0.113.9";
const OWNER: &str = "198.51.100.7";

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 2, 9, 0, 0)
        .single()
        .unwrap_or_else(|| panic!("a valid instant"))
}

async fn sessions(database: &TestDatabase, block_seconds: i64) -> SessionStore {
    let conn = database.connect().await;
    AccountStore::new(conn.clone())
        .create(
            NewUser {
                username: "clerk".into(),
                display_name: "Clerk".into(),
                role: Role::Intake,
                unit_id: None,
                party_member: false,
                password: PASSWORD.into(),
                contact: duban_infra::accounts::StaffContact::default(),
            },
            t0(),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    SessionStore::new(
        conn,
        SessionPolicy {
            token_ttl: Duration::hours(1),
            throttle: ThrottlePolicy {
                max_failures: 5,
                max_failures_per_address: 8,
                block: Duration::seconds(block_seconds),
            },
        },
    )
}

fn retry_after(result: Result<duban_infra::tokens::IssuedToken, LoginError>) -> i64 {
    match result {
        Err(LoginError::Throttled {
            retry_after_seconds,
        }) => retry_after_seconds,
        other => panic!("expected a throttle, got {other:?}"),
    }
}

#[tokio::test]
async fn a_flood_from_one_address_never_locks_the_owner_out_of_another() {
    let database = TestDatabase::fresh().await;
    let store = sessions(&database, 30).await;
    for i in 0..5 {
        let at = t0() + Duration::seconds(i);
        let guess = store.login("clerk", "wrong-guess", ATTACKER, at).await;
        assert!(
            matches!(guess, Err(LoginError::InvalidCredentials)),
            "{guess:?}"
        );
    }
    let at = t0() + Duration::seconds(5);
    // Blocked from the fifth failure (at 4 s) for 30 s, even with the right password…
    assert_eq!(
        retry_after(store.login("clerk", PASSWORD, ATTACKER, at).await),
        29
    );
    // …while the owner, elsewhere, logs in at the same moment.
    assert!(store.login("clerk", PASSWORD, OWNER, at).await.is_ok());
}

#[tokio::test]
async fn the_block_is_fixed_and_ends_when_it_says() {
    let database = TestDatabase::fresh().await;
    let store = sessions(&database, 2).await;
    for _ in 0..5 {
        let _ = store.login("clerk", "wrong-guess", ATTACKER, t0()).await;
    }
    // 1.5 s of the 2 s block remain: rounding down would send the client back too early.
    let half = t0() + Duration::milliseconds(500);
    assert_eq!(
        retry_after(store.login("clerk", PASSWORD, ATTACKER, half).await),
        2
    );
    // Further attempts during the block do not lengthen it.
    for _ in 0..20 {
        let _ = store.login("clerk", "wrong-guess", ATTACKER, half).await;
    }
    let after = t0() + Duration::seconds(2);
    assert!(
        store
            .login("clerk", PASSWORD, ATTACKER, after)
            .await
            .is_ok(),
        "the flood stopped: the block ends on time, without a growing penalty"
    );
}

#[tokio::test]
async fn one_address_trying_many_usernames_is_throttled_as_an_address() {
    let database = TestDatabase::fresh().await;
    let store = sessions(&database, 30).await;
    for i in 0..8 {
        let _ = store
            .login(&format!("guess{i}"), "wrong-guess", ATTACKER, t0())
            .await;
    }
    let at = t0() + Duration::seconds(1);
    assert_eq!(
        retry_after(store.login("clerk", PASSWORD, ATTACKER, at).await),
        29
    );
    assert!(store.login("clerk", PASSWORD, OWNER, at).await.is_ok());
}

#[tokio::test]
async fn failures_far_apart_do_not_add_up() {
    let database = TestDatabase::fresh().await;
    let store = sessions(&database, 30).await;
    for i in 0..10 {
        let at = t0() + Duration::seconds(31 * i);
        let guess = store.login("clerk", "wrong-guess", ATTACKER, at).await;
        assert!(
            matches!(guess, Err(LoginError::InvalidCredentials)),
            "{i}: {guess:?}"
        );
    }
}

#[tokio::test]
async fn failed_and_throttled_logins_are_security_events() {
    let database = TestDatabase::fresh().await;
    let store = sessions(&database, 30).await;
    for _ in 0..5 {
        let _ = store.login("clerk", "wrong-guess", ATTACKER, t0()).await;
    }
    let _ = store.login("clerk", PASSWORD, ATTACKER, t0()).await;
    assert!(store.login("clerk", PASSWORD, OWNER, t0()).await.is_ok());

    let events = SecurityLog::new(database.connect().await)
        .list(None, 100)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let kinds: Vec<SecurityEventKind> = events.iter().map(|e| e.kind).collect();
    let mut expected = vec![SecurityEventKind::LoginThrottled];
    expected.extend([SecurityEventKind::LoginFailed; 5]);
    assert_eq!(
        kinds, expected,
        "newest first; a successful login is no event"
    );
    assert!(
        events
            .iter()
            .all(|e| e.username == "clerk" && e.client_address == ATTACKER)
    );
}
