//! The crash drill: writers run against a hub in its own process while it is killed with SIGKILL
//! at random moments and restarted, round after round. After every restart, every acknowledged
//! write is there exactly once, retried creates (same client key) never duplicate, and each
//! record's version agrees with its audit rows; on SQLite the file passes `integrity_check`.
//!
//! `SINERGI_DRILL_ROUNDS` sets the number of kills (`.ci/run` keeps the default; BENCHMARKS.md
//! records a longer run).

use super::{ChildHub, gql};
use crate::helpers::{fresh_db, mint};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use serde_json::{Value, json};
use sinergi::services::demo::demo_id;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const MEMBER: &str = "skpd@pekalongan.demo";
const COORDINATOR: &str = "koordinator@pekalongan.demo";
const DEFAULT_ROUNDS: usize = 4;

const CREATE: &str = r#"mutation($i: ContributionInput!, $k: String) { createContribution(input: $i, clientKey: $k) { id version } }"#;
const UPDATE: &str = r#"mutation($id: ID!, $v: Int!, $t: String!) { updateContribution(id: $id, version: $v, input: {title: $t}) { version } }"#;
const TRANSACTION: &str = r#"mutation($id: ID!, $v: Int!, $k: String) { addContributionTransaction(contributionId: $id, version: $v, clientKey: $k, input: {type: DISBURSEMENT, amount: 1, date: "2026-03-01"}) { version } }"#;
const PROGRESS: &str = r#"mutation($id: ID!, $v: Int!, $n: String!) { addActionItemProgress(id: $id, version: $v, note: $n) { version } }"#;
const VERSION: &str = r#"query($id: ID!) { contribution(id: $id) { version } }"#;

/// What the writers were told, across every round.
#[derive(Default, Clone)]
struct Ledger {
    /// Client key → id of each acknowledged create.
    created: BTreeMap<String, String>,
    /// Client keys of creates sent but not acknowledged (the hub died): retried after the restart.
    unanswered_creates: BTreeSet<String>,
    /// Client keys of acknowledged disbursements.
    paid: BTreeSet<String>,
    /// Client keys of disbursements sent but not acknowledged.
    unanswered_payments: BTreeSet<String>,
    /// The highest version an acknowledged update of the updated contribution returned.
    updated_to: i64,
    /// The highest version an acknowledged progress note returned.
    progressed_to: i64,
    /// Acknowledged writes, all kinds.
    acknowledged: usize,
    /// Creates and payments that got no answer and were retried with their client key.
    retried: usize,
    /// Of those, the ones the killed hub had committed before it died (the retry found them).
    retried_found: usize,
}

fn token(db_user_id: &str, email: &str) -> String {
    let now = chrono::Utc::now().timestamp();
    mint(
        json!({ "sub": db_user_id, "email": email, "iat": now, "exp": now + 3600,
                 "iss": "sinergi", "aud": "sinergi-api" }),
    )
}

fn contribution(title: &str) -> Value {
    json!({ "source": "APBD_REGENCY", "kind": "CASH", "regionCode": "33.26.02.2008",
            "programId": demo_id("rtlh"), "fiscalYear": 2026, "title": title,
            "amountPlanned": 1_000_000_000_i64, "amountCommitted": 1_000_000_000_i64, "status": "COMMITTED" })
}

async fn scalar(db: &DatabaseConnection, sql: &str) -> i64 {
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap()
        .unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

/// The records the writers work on, made through the API before the first kill.
struct Targets {
    updated: String,
    paid: String,
    item: String,
}

async fn setup(hub: &ChildHub, member: &str, coordinator: &str) -> Targets {
    let client = reqwest::Client::new();
    let mut made = Vec::new();
    for title in ["Drill: updated", "Drill: paid"] {
        let res = gql(
            &client,
            hub.addr,
            member,
            CREATE,
            json!({"i": contribution(title)}),
        )
        .await
        .unwrap();
        made.push(
            res["data"]["createContribution"]["id"]
                .as_str()
                .unwrap_or_else(|| panic!("{res}"))
                .to_string(),
        );
    }
    let meeting = gql(&client, hub.addr, coordinator,
        r#"mutation($i: MeetingInput!) { createMeeting(input: $i) { id } }"#,
        json!({"i": {"title": "Rakor drill", "level": "REGENCY", "regionCode": "33.26", "heldOn": "2026-02-01",
                     "hostId": demo_id("bappeda-pekalongan")}})).await.unwrap();
    let meeting = meeting["data"]["createMeeting"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{meeting}"))
        .to_string();
    let decision = gql(&client, hub.addr, coordinator,
        r#"mutation($m: ID!, $o: ID!) { addDecision(meetingId: $m, text: "Tindak lanjut drill", actionItems: [{text: "Laporkan kemajuan", ownerId: $o}]) { actionItems { id } } }"#,
        json!({"m": meeting, "o": demo_id("dinsos-pekalongan")})).await.unwrap();
    let item = decision["data"]["addDecision"]["actionItems"][0]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{decision}"))
        .to_string();
    Targets {
        updated: made[0].clone(),
        paid: made[1].clone(),
        item,
    }
}

/// The version `query` (one root field returning `{ version }`) moved the record to.
fn version_of(res: &Value) -> Option<i64> {
    res["data"].as_object()?.values().next()?["version"].as_i64()
}

/// Creates contributions with fresh client keys until the hub dies.
async fn creator(
    client: reqwest::Client,
    hub: std::net::SocketAddr,
    member: String,
    ledger: Arc<Mutex<Ledger>>,
    round: usize,
) {
    for n in 0.. {
        let key = format!("drill-{round}-{n}");
        ledger
            .lock()
            .unwrap()
            .unanswered_creates
            .insert(key.clone());
        let Ok(res) = gql(
            &client,
            hub,
            &member,
            CREATE,
            json!({"i": contribution(&key), "k": key}),
        )
        .await
        else {
            return;
        };
        let id = res["data"]["createContribution"]["id"]
            .as_str()
            .unwrap_or_else(|| panic!("{res}"));
        let mut l = ledger.lock().unwrap();
        l.unanswered_creates.remove(&key);
        l.created.insert(key, id.to_string());
        l.acknowledged += 1;
    }
}

/// Changes one record again and again at the version it last saw, until the hub dies. A write that
/// committed without its answer (the hub died in between) moved the version on: on CONFLICT the
/// writer takes the next version.
async fn versioned_writer(
    client: reqwest::Client,
    hub: std::net::SocketAddr,
    member: String,
    (query, mut version): (&'static str, i64),
    vars: impl Fn(i64, usize) -> Value,
    mut record: impl FnMut(i64),
) {
    for n in 0.. {
        let Ok(res) = gql(&client, hub, &member, query, vars(version, n)).await else {
            return;
        };
        match version_of(&res) {
            Some(v) => {
                record(v);
                version = v;
            }
            None if res["errors"][0]["extensions"]["code"] == "CONFLICT" => version += 1,
            None => panic!("refused: {res}"),
        }
    }
}

/// One round of writers against a live hub, until it dies under them.
async fn write_until_killed(
    hub: std::net::SocketAddr,
    member: &str,
    t: &Targets,
    ledger: &Arc<Mutex<Ledger>>,
    round: usize,
) {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap();
    let (start_update, start_pay, start_item) = {
        let l = ledger.lock().unwrap();
        (l.updated_to, 1 + l.paid.len() as i64, l.progressed_to)
    };
    let id = t.updated.clone();
    let updater = versioned_writer(
        client.clone(),
        hub,
        member.into(),
        (UPDATE, start_update),
        move |v, n| json!({"id": id, "v": v, "t": format!("updated {round}-{n}")}),
        |v| {
            let mut l = ledger.lock().unwrap();
            l.updated_to = l.updated_to.max(v);
            l.acknowledged += 1;
        },
    );
    let item = t.item.clone();
    let progress = versioned_writer(
        client.clone(),
        hub,
        member.into(),
        (PROGRESS, start_item),
        move |v, n| json!({"id": item, "v": v, "n": format!("kemajuan {round}-{n}")}),
        |v| {
            let mut l = ledger.lock().unwrap();
            l.progressed_to = l.progressed_to.max(v);
            l.acknowledged += 1;
        },
    );
    let paid = t.paid.clone();
    let payer = async {
        let mut version = start_pay;
        for n in 0.. {
            let key = format!("pay-{round}-{n}");
            ledger
                .lock()
                .unwrap()
                .unanswered_payments
                .insert(key.clone());
            let Ok(res) = gql(
                &client,
                hub,
                member,
                TRANSACTION,
                json!({"id": paid, "v": version, "k": key}),
            )
            .await
            else {
                return;
            };
            version = version_of(&res).unwrap_or_else(|| panic!("{res}"));
            let mut l = ledger.lock().unwrap();
            l.unanswered_payments.remove(&key);
            l.paid.insert(key);
            l.acknowledged += 1;
        }
    };
    tokio::join!(
        creator(client.clone(), hub, member.into(), ledger.clone(), round),
        updater,
        progress,
        payer
    );
}

/// After a restart: the creates and payments that got no answer are sent again with their client
/// keys. Each either finds what the first attempt committed or makes it now; never a second one.
async fn retry_unanswered(
    db: &DatabaseConnection,
    hub: std::net::SocketAddr,
    member: &str,
    t: &Targets,
    ledger: &Arc<Mutex<Ledger>>,
) {
    let client = reqwest::Client::new();
    let creates: Vec<String> = std::mem::take(&mut ledger.lock().unwrap().unanswered_creates)
        .into_iter()
        .collect();
    for key in creates {
        let stored = scalar(
            db,
            &format!("SELECT COUNT(*) FROM contributions WHERE title = '{key}'"),
        )
        .await;
        {
            let mut l = ledger.lock().unwrap();
            l.retried += 1;
            l.retried_found += stored as usize;
        }
        let res = gql(
            &client,
            hub,
            member,
            CREATE,
            json!({"i": contribution(&key), "k": key}),
        )
        .await
        .unwrap();
        let id = res["data"]["createContribution"]["id"]
            .as_str()
            .unwrap_or_else(|| panic!("{res}"));
        ledger.lock().unwrap().created.insert(key, id.to_string());
    }
    let payments: Vec<String> = std::mem::take(&mut ledger.lock().unwrap().unanswered_payments)
        .into_iter()
        .collect();
    for key in payments {
        let stored = scalar(db, &format!("SELECT COUNT(*) FROM client_keys WHERE client_key = '{key}' AND entity_id <> 'pending'")).await;
        {
            let mut l = ledger.lock().unwrap();
            l.retried += 1;
            l.retried_found += stored as usize;
        }
        let now = gql(&client, hub, member, VERSION, json!({"id": t.paid}))
            .await
            .unwrap();
        let version = now["data"]["contribution"]["version"].as_i64().unwrap();
        let res = gql(
            &client,
            hub,
            member,
            TRANSACTION,
            json!({"id": t.paid, "v": version, "k": key}),
        )
        .await
        .unwrap();
        assert!(version_of(&res).is_some(), "{res}");
        ledger.lock().unwrap().paid.insert(key);
    }
}

async fn audit_rows(db: &DatabaseConnection, id: &str) -> i64 {
    scalar(
        db,
        &format!("SELECT COUNT(*) FROM audit_log WHERE entity_id = '{id}'"),
    )
    .await
}

async fn version(db: &DatabaseConnection, table: &str, id: &str) -> i64 {
    scalar(
        db,
        &format!("SELECT CAST(version AS BIGINT) FROM {table} WHERE id = '{id}'"),
    )
    .await
}

/// Every acknowledged write is there exactly once, and versions agree with audit rows.
async fn check(db: &DatabaseConnection, t: &Targets, ledger: &Ledger) -> usize {
    let drill = scalar(
        db,
        "SELECT COUNT(*) FROM contributions WHERE title LIKE 'drill-%'",
    )
    .await;
    assert_eq!(
        drill,
        ledger.created.len() as i64,
        "one contribution per client key, none lost, none twice"
    );
    let ids: BTreeSet<&String> = ledger.created.values().collect();
    assert_eq!(
        ids.len(),
        ledger.created.len(),
        "a retried key found the first record, not a new one"
    );
    let created_audit = scalar(db, "SELECT COUNT(*) FROM audit_log a JOIN contributions c ON c.id = a.entity_id WHERE c.title LIKE 'drill-%'").await;
    assert_eq!(created_audit, drill, "one audit row per create");

    let updated = version(db, "contributions", &t.updated).await;
    assert!(
        updated >= ledger.updated_to,
        "acknowledged updates are kept ({updated} < {})",
        ledger.updated_to
    );
    assert_eq!(
        audit_rows(db, &t.updated).await,
        updated,
        "an audit row per version of the updated record"
    );

    let paid = ledger.paid.len() as i64;
    let txs = scalar(
        db,
        &format!(
            "SELECT COUNT(*) FROM contribution_transactions WHERE contribution_id = '{}'",
            t.paid
        ),
    )
    .await;
    assert_eq!(txs, paid, "one disbursement per client key");
    let disbursed = scalar(
        db,
        &format!(
            "SELECT CAST(amount_disbursed AS BIGINT) FROM contributions WHERE id = '{}'",
            t.paid
        ),
    )
    .await;
    assert_eq!(
        disbursed, paid,
        "the disbursed amount follows the disbursements"
    );
    assert_eq!(version(db, "contributions", &t.paid).await, 1 + paid);
    assert_eq!(
        audit_rows(db, &t.paid).await,
        1 + paid,
        "an audit row per version of the paid record"
    );

    let item = version(db, "action_items", &t.item).await;
    assert!(
        item >= ledger.progressed_to,
        "acknowledged progress notes are kept"
    );
    let notes = scalar(
        db,
        &format!(
            "SELECT COUNT(*) FROM action_item_updates WHERE action_item_id = '{}'",
            t.item
        ),
    )
    .await;
    assert_eq!(notes, item - 1, "one note per version after the first");
    assert_eq!(
        audit_rows(db, &t.item).await,
        item,
        "an audit row per version of the action item"
    );
    ledger.acknowledged
}

async fn integrity_ok(url: &str) {
    if !url.starts_with("sqlite:") {
        return;
    }
    let path = std::path::PathBuf::from(url.trim_start_matches("sqlite://"));
    sinergi::services::backup::check(&path)
        .await
        .expect("PRAGMA integrity_check is ok after the kill");
}

#[tokio::test]
async fn acknowledged_writes_survive_sigkill_and_retries_never_duplicate() {
    let rounds: usize = std::env::var("SINERGI_DRILL_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(DEFAULT_ROUNDS);
    let test_db = fresh_db().await;
    let (db, _) = sinergi::db::connect_and_migrate(&test_db.url, 2)
        .await
        .unwrap();
    sinergi::services::demo::load(&db).await.unwrap();
    let member = token(&demo_id(MEMBER), MEMBER);
    let coordinator = token(&demo_id(COORDINATOR), COORDINATOR);
    let hub = ChildHub::start(&test_db.url, 10).await;
    let targets = setup(&hub, &member, &coordinator).await;
    let ledger = Arc::new(Mutex::new(Ledger {
        updated_to: 1,
        progressed_to: 1,
        ..Default::default()
    }));
    let mut hub = Some(hub);
    let mut seed = 0x5eed_u64;
    for round in 0..rounds {
        let live = hub.take().unwrap();
        // A pseudo-random moment (xorshift): early, mid-write, late.
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let after = Duration::from_millis(150 + seed % 1200);
        let writers = write_until_killed(live.addr, &member, &targets, &ledger, round);
        let live = live;
        let killer = async move {
            tokio::time::sleep(after).await;
            live.kill();
        };
        tokio::join!(writers, killer);
        integrity_ok(&test_db.url).await;
        let restarted = ChildHub::start(&test_db.url, 10).await;
        retry_unanswered(&db, restarted.addr, &member, &targets, &ledger).await;
        let snapshot = ledger.lock().unwrap().clone();
        let acknowledged = check(&db, &targets, &snapshot).await;
        super::report(&format!(
            "crash drill round {}: killed after {} ms; {acknowledged} writes acknowledged so far, all found",
            round + 1,
            after.as_millis()
        ));
        hub = Some(restarted);
    }
    let l = ledger.lock().unwrap().clone();
    super::report(&format!(
        "crash drill: {rounds} kills; {} acknowledged writes found; {} unanswered creates and payments retried with their keys ({} had been stored before the kill, none twice); {} creates ({} distinct records), {} disbursements, update version {}, progress version {}",
        l.acknowledged,
        l.retried,
        l.retried_found,
        l.created.len(),
        l.created.values().collect::<BTreeSet<_>>().len(),
        l.paid.len(),
        l.updated_to,
        l.progressed_to
    ));
    assert!(
        l.acknowledged > rounds,
        "the writers wrote between the kills"
    );
}
