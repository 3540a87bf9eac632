//! The shape every mutation shares: one transaction (on SQLite behind a process-wide write gate, since
//! SQLite has one writer and a deferred transaction that upgrades to writing would otherwise fail with
//! SQLITE_BUSY instead of waiting), optimistic version checks, and retry-safe creates.

use crate::error::{AppError, AppResult};
use crate::services::audit;
use crate::services::audit::AuditEntity;
use crate::services::authz::Actor;
use crate::services::commits::Commits;
use entity::client_key::{ActiveModel, Column, Entity};
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    QueryFilter, TransactionTrait,
};
use std::sync::Arc;
use tokio::sync::{Mutex, OwnedMutexGuard};

/// Serialises writers on SQLite (free on PostgreSQL), and signals each commit to the change feed
/// (`events::feed`), which on SQLite reads the new audit rows at once, and to the caches, which
/// stop using answers read before it.
#[derive(Clone, Default)]
pub struct WriteGate(Arc<Mutex<()>>, Arc<Commits>);

impl WriteGate {
    /// Told of each commit of a write begun through this gate.
    pub fn commits(&self) -> Arc<Commits> {
        self.1.clone()
    }
}

/// An open write transaction, holding the gate until it ends.
pub struct Write {
    /// The transaction.
    pub txn: DatabaseTransaction,
    _gate: Option<OwnedMutexGuard<()>>,
    committed: Arc<Commits>,
}

impl Write {
    /// Commits.
    pub async fn commit(self) -> AppResult<()> {
        self.txn.commit().await?;
        self.committed.committed();
        Ok(())
    }
}

/// Begins a write transaction. On SQLite it is `BEGIN IMMEDIATE`: the write lock is taken up front,
/// so a transaction that reads, then writes, waits (busy timeout) for another process's writer
/// (the command line importing while the server runs) instead of failing on the upgrade; inside
/// one process the gate already queues writers.
pub async fn begin(db: &DatabaseConnection, gate: &WriteGate) -> AppResult<Write> {
    if !crate::db::is_sqlite(db) {
        return Ok(Write {
            txn: db.begin().await?,
            _gate: None,
            committed: gate.1.clone(),
        });
    }
    let guard = gate.0.clone().lock_owned().await;
    let options = sea_orm::TransactionOptions {
        sqlite_transaction_mode: Some(sea_orm::SqliteTransactionMode::Immediate),
        ..Default::default()
    };
    Ok(Write {
        txn: db.begin_with_options(options).await?,
        _gate: Some(guard),
        committed: gate.1.clone(),
    })
}

/// Checks a client key: a longer one than 128 characters, or an empty one, is refused.
pub fn check_client_key(key: &Option<String>) -> AppResult<Option<&str>> {
    match key.as_deref() {
        None => Ok(None),
        Some(k) if k.is_empty() || k.chars().count() > 128 => Err(AppError::bad_input(
            "clientKey",
            "between 1 and 128 characters",
        )),
        Some(k) => Ok(Some(k)),
    }
}

/// Claims a client key for a create, or returns the record a previous create with it made (keys are
/// per user). The claim is an `INSERT ... ON CONFLICT DO NOTHING` at the start of the create's
/// transaction: a concurrent retry with the same key waits on it until the first commits, then finds
/// the first record instead of making a second; if the first fails, its claim rolls back with it.
pub async fn remembered(
    db: &impl ConnectionTrait,
    user_id: &str,
    key: &str,
    entity: AuditEntity,
) -> AppResult<Option<String>> {
    use sea_orm::sea_query::OnConflict;
    let claimed = Entity::insert(ActiveModel {
        user_id: Set(user_id.into()),
        client_key: Set(key.into()),
        entity: Set(entity.name().into()),
        entity_id: Set(PENDING.into()),
        created_at: Set(chrono::Utc::now()),
    })
    .on_conflict(
        OnConflict::columns([Column::UserId, Column::ClientKey])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    if claimed == 1 {
        return Ok(None);
    }
    let row = Entity::find()
        .filter(Column::UserId.eq(user_id))
        .filter(Column::ClientKey.eq(key))
        .one(db)
        .await?;
    match row {
        Some(r) if r.entity != entity.name() => Err(AppError::Conflict(format!(
            "client key already used to create a {}",
            r.entity
        ))),
        Some(r) if r.entity_id != PENDING => Ok(Some(r.entity_id)),
        _ => Err(AppError::Conflict(
            "a create with this client key is still in progress: retry".into(),
        )),
    }
}

/// Placeholder id of a claimed key whose create has not finished.
const PENDING: &str = "pending";

/// Records which record the create that claimed this client key made.
pub async fn remember(
    db: &impl ConnectionTrait,
    user_id: &str,
    key: &str,
    _entity: AuditEntity,
    id: &str,
) -> AppResult<()> {
    use sea_orm::sea_query::Expr;
    Entity::update_many()
        .col_expr(Column::EntityId, Expr::value(id))
        .filter(Column::UserId.eq(user_id))
        .filter(Column::ClientKey.eq(key))
        .exec(db)
        .await?;
    Ok(())
}

/// Checks that `found` exists and has the version the caller read.
pub fn check_version<T>(
    found: Option<T>,
    version: i32,
    what: &str,
    current: impl Fn(&T) -> i32,
) -> AppResult<T> {
    let row = found.ok_or_else(|| AppError::NotFound(format!("no such {what}")))?;
    if current(&row) != version {
        return Err(AppError::Conflict(format!(
            "the {what} changed since you read it (version {} now, you sent {version}): reload and retry",
            current(&row)
        )));
    }
    Ok(row)
}

/// Bounds a text input: trims it, refuses it blank when required, and refuses it longer than `max`.
pub fn text(field: &str, value: &str, max: usize) -> AppResult<String> {
    let v = value.trim();
    if v.is_empty() {
        return Err(AppError::bad_input(field, "must not be blank"));
    }
    if v.chars().count() > max {
        return Err(AppError::bad_input(
            field,
            format!("at most {max} characters"),
        ));
    }
    Ok(v.to_string())
}

/// Like [`text`], for optional fields (blank becomes absent).
pub fn opt_text(field: &str, value: Option<&str>, max: usize) -> AppResult<Option<String>> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => text(field, v, max).map(Some),
    }
}

/// Takes the row for this transaction if it still has `version`: on PostgreSQL the UPDATE holds the
/// row lock until commit, so of two writers who read the same version the second waits, then finds
/// the version moved and gets CONFLICT instead of overwriting the first.
pub async fn lock_version<E: EntityTrait>(
    db: &impl ConnectionTrait,
    id: &str,
    version: i32,
) -> AppResult<()> {
    use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
    let stmt = Query::update()
        .table(E::default().table_ref())
        .value(Alias::new("version"), Expr::col(Alias::new("version")))
        .and_where(Expr::col(Alias::new("id")).eq(id))
        .and_where(Expr::col(Alias::new("version")).eq(version))
        .to_owned();
    let res = db.execute(&stmt).await?;
    if res.rows_affected() == 0 {
        return Err(AppError::Conflict(
            "the record changed since you read it: reload and retry".into(),
        ));
    }
    Ok(())
}

/// The record a retried create already made, when this client key was used before (see
/// [`remembered`]); `None` when the create should go ahead. Client keys belong to users: the system
/// (command line) has none, so its creates always go ahead.
pub async fn replayed<E>(
    db: &impl ConnectionTrait,
    actor: &Actor<'_>,
    key: Option<&str>,
    entity: AuditEntity,
) -> AppResult<Option<E::Model>>
where
    E: EntityTrait,
    <E::PrimaryKey as sea_orm::PrimaryKeyTrait>::ValueType: From<String>,
{
    let (Some(key), Some(user)) = (key, actor.user_id()) else {
        return Ok(None);
    };
    let Some(id) = remembered(db, user, key, entity).await? else {
        return Ok(None);
    };
    let found = E::find_by_id(id).one(db).await?;
    found
        .map(Some)
        .ok_or_else(|| AppError::NotFound(format!("no such {entity}")))
}

/// Ends a create: its audit row, and the record the client key made (for a retry to find).
pub async fn created<T: serde::Serialize>(
    db: &impl ConnectionTrait,
    actor: &Actor<'_>,
    key: Option<&str>,
    (entity, id): (AuditEntity, &str),
    after: &T,
) -> AppResult<()> {
    audit::record(db, actor, entity, id, "create", None::<&()>, Some(after)).await?;
    if let (Some(k), Some(user)) = (key, actor.user_id()) {
        remember(db, user, k, entity, id).await?;
    }
    Ok(())
}

/// A record the update path changes: it has an optimistic `version` and an `updated_at` stamp, and
/// its audit rows carry a name (`auditTrail(entity:)`).
pub trait Versioned: sea_orm::ActiveModelTrait + sea_orm::ActiveModelBehavior + Send {
    /// The entity's name in audit rows.
    const AUDIT_NAME: AuditEntity;
    /// Stamps the next version and the time of the change.
    fn bump(&mut self, next_version: i32, at: chrono::DateTime<chrono::Utc>);
    /// The stored record's id and version.
    fn id_version(m: &<Self::Entity as EntityTrait>::Model) -> (&str, i32);
}

macro_rules! versioned {
    ($($module:ident => $name:ident),* $(,)?) => {$(
        impl Versioned for entity::$module::ActiveModel {
            const AUDIT_NAME: AuditEntity = AuditEntity::$name;
            fn bump(&mut self, next_version: i32, at: chrono::DateTime<chrono::Utc>) {
                self.version = Set(next_version);
                self.updated_at = Set(at);
            }
            fn id_version(m: &entity::$module::Model) -> (&str, i32) {
                (&m.id, m.version)
            }
        }
    )*};
}

versioned!(
    contribution => Contribution,
    program => Program,
    program_synergy => Synergy,
    meeting => Meeting,
    action_item => ActionItem,
    organization => Organization,
    user => User,
    village_indicator => VillageIndicator,
    complaint => Complaint,
);

/// Which record an update changes, at which version, and what the audit row calls the change.
#[derive(Clone, Copy)]
pub struct Change<'a> {
    /// The record's id.
    pub id: &'a str,
    /// The version the caller read.
    pub version: i32,
    /// The audit row's action: `update`, `status`, `cancel`, ...
    pub action: &'a str,
}

impl<'a> Change<'a> {
    /// The change of record `id`, read at `version`, that the audit row calls `action`.
    pub fn new(id: &'a str, version: i32, action: &'a str) -> Self {
        Self {
            id,
            version,
            action,
        }
    }
}

/// The one update path of every versioned record: loads it, lets `authorize` refuse (NOT_FOUND or
/// FORBIDDEN) before anything else is said about it, checks and locks the version the caller read
/// (CONFLICT when stale), lets `apply` check the rules and say what changes, then stamps the next
/// version, saves, and writes the audit row with the record before and after.
pub async fn update<A, C>(
    db: &C,
    actor: &Actor<'_>,
    change: Change<'_>,
    authorize: impl FnOnce(&<A::Entity as EntityTrait>::Model) -> AppResult<()>,
    apply: impl AsyncFnOnce(&<A::Entity as EntityTrait>::Model) -> AppResult<A>,
) -> AppResult<<A::Entity as EntityTrait>::Model>
where
    C: ConnectionTrait,
    A: Versioned,
    <A::Entity as EntityTrait>::Model: sea_orm::IntoActiveModel<A> + serde::Serialize,
    <<A::Entity as EntityTrait>::PrimaryKey as sea_orm::PrimaryKeyTrait>::ValueType: From<String>,
{
    let found = A::Entity::find_by_id(change.id.to_string()).one(db).await?;
    if let Some(row) = &found {
        authorize(row)?;
    }
    let what = A::AUDIT_NAME.name().replace('_', " ");
    let before = check_version(found, change.version, &what, |m| A::id_version(m).1)?;
    lock_version::<A::Entity>(db, change.id, change.version).await?;
    let am = apply(&before).await?;
    save_update(db, actor, change, &before, am).await
}

/// The tail of [`update`], for callers that loaded, checked and locked the record themselves (an
/// import, which reads the whole file's records first): stamps the next version, saves, and writes
/// the audit row with the record before and after.
pub async fn save_update<A>(
    db: &impl ConnectionTrait,
    actor: &Actor<'_>,
    change: Change<'_>,
    before: &<A::Entity as EntityTrait>::Model,
    mut am: A,
) -> AppResult<<A::Entity as EntityTrait>::Model>
where
    A: Versioned,
    <A::Entity as EntityTrait>::Model: sea_orm::IntoActiveModel<A> + serde::Serialize,
{
    am.bump(change.version + 1, chrono::Utc::now());
    let after = am.update(db).await?;
    audit::record(
        db,
        actor,
        A::AUDIT_NAME,
        change.id,
        change.action,
        Some(before),
        Some(&after),
    )
    .await?;
    Ok(after)
}
