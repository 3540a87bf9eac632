use crate::auth::Auth;
use crate::error::{AppError, GqlResult};
use crate::schema::scalars::DateTime;
use crate::schema::types::user::Me;
use crate::services::{passwords, users};
use async_graphql::{Context, Object, SimpleObject};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use std::sync::Arc;

#[derive(Default)]
pub struct SessionMutation;

/// What `login` returns.
#[derive(SimpleObject)]
pub struct LoginPayload {
    /// Send it as `Authorization: Bearer <token>`.
    token: String,
    /// When it stops working; sign in again after.
    expires_at: DateTime,
    /// Who signed in.
    viewer: Me,
    /// True when someone else set the password: call `changeOwnPassword` before anything else
    /// (every other mutation is FORBIDDEN until then; reads work).
    must_change_password: bool,
}

#[Object]
impl SessionMutation {
    /// Signs in with e-mail and password. A wrong e-mail and a wrong password get the same
    /// UNAUTHENTICATED answer.
    async fn login(
        &self,
        ctx: &Context<'_>,
        email: String,
        password: String,
    ) -> GqlResult<LoginPayload> {
        use entity::user::{Column, Entity};
        if email.len() > 254 || password.len() > 1024 {
            return Err(AppError::Unauthenticated.into());
        }
        crate::rate_limit::check_sign_in(ctx, &email)?;
        let db = super::db(ctx);
        let user = Entity::find()
            .filter(Column::Email.eq(email.trim().to_lowercase()))
            .one(db)
            .await
            .map_err(AppError::from)?;
        // An unknown e-mail is checked against a stand-in hash, so that it takes as long as a wrong
        // password and gets the same answer.
        let auth = ctx.data_unchecked::<Arc<Auth>>();
        let stored = user
            .as_ref()
            .map(|u| u.password_hash.clone())
            .unwrap_or_else(|| auth.dummy_hash().to_string());
        let ok = passwords::verify(password, stored)
            .await
            .map_err(AppError::from)?;
        let user = match user {
            Some(u) if ok && u.active => u,
            _ => return Err(AppError::Unauthenticated.into()),
        };
        let (token, expires) = auth.issue(&user)?;
        Ok(LoginPayload {
            token,
            expires_at: DateTime(expires),
            must_change_password: user.must_change_password,
            viewer: Me(user),
        })
    }

    /// Changes the signed-in user's own password (any role), after checking the current one
    /// (BAD_USER_INPUT naming `current` when wrong; `new` follows the rules of `createUser`), and
    /// clears `mustChangePassword`. Every other session of the account ends (its tokens and
    /// console cookies answer UNAUTHENTICATED from now on, on every hub process); the token this
    /// request was made with keeps working.
    async fn change_own_password(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The password the user signs in with now.")] current: String,
        #[graphql(desc = "The new password (at least 10 characters).")] new: String,
    ) -> GqlResult<Me> {
        let user = ctx.data_unchecked::<crate::auth::Viewer>().user()?;
        let session = ctx
            .data_opt::<crate::auth::Session>()
            .map(|s| s.sid.clone());
        let checked = users::check_own_password(user, session, current, new).await?;
        let w = super::begin(ctx).await?;
        let after = users::change_own_password(&w.txn, checked).await?;
        w.commit().await?;
        // `mustChangePassword` is cleared: the next request must not meet the old account.
        ctx.data_unchecked::<std::sync::Arc<crate::auth::Auth>>()
            .users
            .forget(&after.id);
        Ok(Me(after))
    }

    /// Signs out: ends the session this request was made with, so its token (or console cookie)
    /// answers UNAUTHENTICATED from now on, on every hub process, even if someone kept a copy.
    /// Other sessions of the account keep working. Returns true. A single-sign-on token has no
    /// hub session (FORBIDDEN: its identity provider ends it).
    async fn logout(&self, ctx: &Context<'_>) -> GqlResult<bool> {
        ctx.data_unchecked::<crate::auth::Viewer>().user()?;
        let Some(session) = ctx.data_opt::<crate::auth::Session>() else {
            return Err(AppError::Forbidden(
                "a single-sign-on token has no hub session: sign out at its identity provider"
                    .into(),
            )
            .into());
        };
        let w = super::begin(ctx).await?;
        crate::services::sessions::end(&w.txn, session).await?;
        w.commit().await?;
        ctx.data_unchecked::<Arc<Auth>>()
            .users
            .forget(&session.user_id);
        Ok(true)
    }
}
