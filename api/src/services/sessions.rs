//! The one write path of sessions that end (see `auth::session` for the rule): signing out, and
//! ending an account's other sessions or all of them, which the password writes call.
//!
//! Every such write changes the account's row with an audit row (entity `user`) in the same
//! transaction, so the change feed makes every hub process drop its kept copy of the account.

use crate::auth::session::{self, Ended, MAX_ENDED, Session};
use crate::error::{AppError, AppResult};
use crate::services::audit;
use crate::services::audit::AuditEntity;
use crate::services::authz::Actor;
use entity::user::{ActiveModel, Entity, Model};
use sea_orm::ActiveValue::Set;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, IntoActiveModel};

/// Ends every session of the account issued before this write, except `spare` (the caller of a
/// password change): the epoch moves on and the list of ended sessions, now moot, is emptied.
pub fn end_sessions(am: &mut ActiveModel, before: &Model, spare: Option<String>) {
    am.session_epoch = Set(before.session_epoch.wrapping_add(1));
    am.spared_session = Set(spare);
    am.ended_sessions = Set(None);
}

/// Signs `session` out: its token is refused from now on, on every hub process. Expired entries
/// are pruned; past [`MAX_ENDED`] live ones, every session of the account ends instead.
pub async fn end(db: &impl ConnectionTrait, session: &Session) -> AppResult<()> {
    lock_row(db, &session.user_id).await?;
    let before = Entity::find_by_id(session.user_id.clone())
        .one(db)
        .await?
        .ok_or_else(|| AppError::NotFound("no such user".into()))?;
    let now = chrono::Utc::now().timestamp();
    let mut list: Vec<Ended> = session::ended(&before)
        .into_iter()
        .filter(|e| e.exp >= now && e.sid != session.sid)
        .collect();
    list.push(Ended {
        sid: session.sid.clone(),
        exp: session.expires_at.timestamp(),
    });
    let mut am = before.clone().into_active_model();
    if list.len() > MAX_ENDED {
        end_sessions(&mut am, &before, None);
    } else {
        am.ended_sessions = Set(session::write_ended(&list));
    }
    // Neither `version` nor `updated_at` moves: signing out is not an edit of the account, and an
    // administrator's open form must not turn stale because its owner signed out.
    am.update(db).await?;
    audit::record::<(), ()>(
        db,
        &Actor::User(&before),
        AuditEntity::User,
        &before.id,
        "sign_out",
        None,
        None,
    )
    .await?;
    Ok(())
}

/// Holds the account's row for this transaction (PostgreSQL: until commit; SQLite has one writer
/// anyway), so that two sign-outs at once each add their session instead of one losing the other's.
async fn lock_row(db: &impl ConnectionTrait, id: &str) -> AppResult<()> {
    use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
    let stmt = Query::update()
        .table(Alias::new("users"))
        .value(
            Alias::new("session_epoch"),
            Expr::col(Alias::new("session_epoch")),
        )
        .and_where(Expr::col(Alias::new("id")).eq(id))
        .to_owned();
    db.execute(&stmt).await?;
    Ok(())
}
