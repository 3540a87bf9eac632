//! Root mutation fields, one object per domain. Each mutation runs in one transaction, checks who may
//! do it, validates every field (BAD_USER_INPUT naming the field, nothing stored), checks the version it
//! was given (CONFLICT when stale), and writes an audit row.

mod complaints;
mod contributions;
mod meetings;
mod organizations;
mod programs;
mod session;
mod verification;
mod village_indicators;

use crate::auth::Viewer;
use crate::error::{AppError, AppResult};
use crate::services::authz::Actor;
use crate::services::writes::{self, Write, WriteGate};
use async_graphql::{Context, MergedObject};
use entity::enums::Role;
use sea_orm::DatabaseConnection;

/// Every root mutation field.
#[derive(MergedObject, Default)]
pub struct Mutation(
    session::SessionMutation,
    organizations::OrganizationMutation,
    programs::ProgramMutation,
    contributions::ContributionMutation,
    meetings::MeetingMutation,
    village_indicators::IndicatorMutation,
    verification::VerificationMutation,
    complaints::ComplaintMutation,
);

/// The signed-in user who may write (a viewer may not, nor a user who must first replace a password
/// someone else set).
pub(crate) fn actor<'a>(ctx: &'a Context<'_>) -> AppResult<Actor<'a>> {
    let user = ctx.data_unchecked::<Viewer>().user()?;
    crate::services::users::require_own_password(user)?;
    if user.role == Role::Viewer {
        return Err(AppError::Forbidden(
            "a viewer may read but not write".into(),
        ));
    }
    Ok(Actor::User(user))
}

/// Opens the mutation's transaction.
pub(crate) async fn begin(ctx: &Context<'_>) -> AppResult<Write> {
    writes::begin(
        ctx.data_unchecked::<DatabaseConnection>(),
        ctx.data_unchecked::<WriteGate>(),
    )
    .await
}

/// The connection pool, for reads outside a transaction.
pub(crate) fn db<'a>(ctx: &'a Context<'_>) -> &'a DatabaseConnection {
    ctx.data_unchecked::<DatabaseConnection>()
}
