//! A user's own password: `changeOwnPassword`, and the rule that a user whose password was set by
//! someone else (`must_change_password`) chooses a new one before writing anything.

use super::{check_password, redacted};
use crate::error::{AppError, AppResult};
use crate::services::audit::AuditEntity;
use crate::services::authz::Actor;
use crate::services::{audit, passwords};
use chrono::Utc;
use entity::user::{Entity, Model};
use sea_orm::ActiveValue::Set;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, IntoActiveModel};

/// A new password whose owner proved the current one, hashed: only [`check_own_password`] makes it.
pub struct OwnPassword {
    user_id: String,
    /// The caller's session, which keeps working; every other one of the account ends.
    session: Option<String>,
    version: i32,
    password_hash: String,
}

/// Refuses every write of a user who must first replace a password someone else set. Reads stay
/// open, so that the user can still see what the hub holds; `changeOwnPassword` does not ask.
pub fn require_own_password(user: &Model) -> AppResult<()> {
    if user.must_change_password {
        return Err(AppError::Forbidden(
            "your password was set by someone else: change it first (changeOwnPassword)".into(),
        ));
    }
    Ok(())
}

/// Checks the current password and the new one's rules, and hashes the new one, before any
/// transaction (argon2 is slow, twice here). Both refusals store nothing. `session` is the
/// caller's (the `sid` of its token), spared when every other session of the account ends.
pub async fn check_own_password(
    user: &Model,
    session: Option<String>,
    current: String,
    new: String,
) -> AppResult<OwnPassword> {
    let ok = passwords::verify(current.clone(), user.password_hash.clone()).await?;
    if !ok {
        return Err(AppError::bad_input("current", "not your current password"));
    }
    check_password("new", &new)?;
    if new == current {
        return Err(AppError::bad_input(
            "new",
            "choose a password different from the current one",
        ));
    }
    Ok(OwnPassword {
        user_id: user.id.clone(),
        session,
        version: user.version,
        password_hash: passwords::hash(new).await?,
    })
}

/// Stores the user's own new password and clears `must_change_password`, with an audit row (without
/// hashes), and ends every session of the account but the caller's. CONFLICT when the account
/// changed since the request read it (an admin's reset racing it), so that the later reset is not
/// silently undone.
pub async fn change_own_password(
    db: &impl ConnectionTrait,
    checked: OwnPassword,
) -> AppResult<Model> {
    let before = Entity::find_by_id(checked.user_id.clone())
        .one(db)
        .await?
        .ok_or_else(|| AppError::NotFound("no such user".into()))?;
    if before.version != checked.version {
        return Err(AppError::Conflict(
            "your account changed while you were changing the password: sign in again".into(),
        ));
    }
    crate::services::writes::lock_version::<Entity>(db, &before.id, before.version).await?;
    let mut am = before.clone().into_active_model();
    am.password_hash = Set(checked.password_hash);
    am.must_change_password = Set(false);
    crate::services::sessions::end_sessions(&mut am, &before, checked.session);
    am.version = Set(before.version + 1);
    am.updated_at = Set(Utc::now());
    let after = am.update(db).await?;
    let actor = Actor::User(&before);
    let (b, a) = (redacted(&before), redacted(&after));
    audit::record(
        db,
        &actor,
        AuditEntity::User,
        &before.id,
        "change_password",
        Some(&b),
        Some(&a),
    )
    .await?;
    Ok(after)
}
