//! GraphQL subscriptions: live changes a caller may read, over graphql-ws (WebSocket) or GraphQL
//! over SSE (`routes::live`).
//!
//! Each subscription filters the process's change events ([`crate::events`]) by region and by what
//! its caller may read: the draft rule for contributions, the region's coordinators for complaints.
//! A subscriber that falls behind, or whose hub may have missed changes, receives one item with
//! `reload: true` and should reload what it shows. A change to the subscriber's own account
//! (deactivation, role, region) ends its subscriptions: it subscribes again under its new rights,
//! or is refused.

use crate::auth::{SignedIn, Viewer};
use crate::error::GqlResult;
use crate::events::{Bus, Event};
use crate::region_code::{RegionCode, parse_code};
use crate::schema::types::live::{
    ActionItemChange, ComplaintChange, ContributionChange, Live, VerificationResult,
};
use crate::services::authz::Actor;
use async_graphql::{Context, Subscription as GqlSubscription};
use entity::enums::Role;
use futures_util::StreamExt;
use sea_orm::EntityTrait;

type BoxStream<T> = futures_util::stream::BoxStream<'static, T>;
use std::sync::Arc;
use tokio::sync::broadcast::error::RecvError;

/// The subscription root.
#[derive(Default)]
pub struct Subscription;

#[GqlSubscription]
impl Subscription {
    /// Contributions created or changed (in a region or below it): new commitments, edits, new
    /// transactions, verification. Drafts (PLANNED) reach only those who may read them, as in
    /// queries.
    #[graphql(guard = "SignedIn")]
    async fn contribution_changes(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Region code: the region itself and everything inside it (default: every region)."
        )]
        region: Option<String>,
    ) -> async_graphql::Result<BoxStream<ContributionChange>> {
        let region = region.map(|r| parse_code("region", &r)).transpose()?;
        let user = current_user(ctx).await?;
        let visibility = Viewer::User(Box::new(user.clone())).draft_visibility();
        Ok(live(ctx, &user, move |event| match event {
            Event::Contribution { action, row }
                if region.as_ref().is_none_or(|r| r.covers(&row.region_code))
                    && visibility.sees(row) =>
            {
                Some(ContributionChange::of(action, row))
            }
            _ => None,
        }))
    }

    /// Action items created or changed, and those falling overdue (once, the day after their due
    /// date), for meetings or items concerning a region or anything inside it (every region when
    /// `region` is left out).
    #[graphql(guard = "SignedIn")]
    async fn action_item_changes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Region code (default: every region).")] region: Option<String>,
    ) -> async_graphql::Result<BoxStream<ActionItemChange>> {
        let region = region.map(|r| parse_code("region", &r)).transpose()?;
        let user = current_user(ctx).await?;
        Ok(live(ctx, &user, move |event| match event {
            Event::ActionItem {
                action,
                row,
                regions,
            } if region
                .as_ref()
                .is_none_or(|r| regions.iter().any(|c| r.covers(c))) =>
            {
                Some(ActionItemChange::of(action, row))
            }
            _ => None,
        }))
    }

    /// Complaints filed or triaged in a region: for the region's coordinators and admins (default:
    /// the coordinator's own region).
    #[graphql(guard = "SignedIn")]
    async fn complaint_changes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Region code inside the caller's (default: all of it).")] region: Option<
            String,
        >,
    ) -> async_graphql::Result<BoxStream<ComplaintChange>> {
        let user = current_user(ctx).await?;
        let region = coordinated(&user, region, "follow this region's complaints")?;
        Ok(live(ctx, &user, move |event| match event {
            Event::Complaint { action, row }
                if region.as_ref().is_none_or(|r| r.covers(&row.region_code)) =>
            {
                Some(ComplaintChange::of(action, row))
            }
            _ => None,
        }))
    }

    /// Verification results (VERIFIED or RETURNED with a note) for contributions and village
    /// indicators of a region: for the region's coordinators and admins (default: the
    /// coordinator's own region).
    #[graphql(guard = "SignedIn")]
    async fn verification_results(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Region code inside the caller's (default: all of it).")] region: Option<
            String,
        >,
    ) -> async_graphql::Result<BoxStream<VerificationResult>> {
        let user = current_user(ctx).await?;
        let region = coordinated(&user, region, "follow this region's verification")?;
        let covers = move |code: &str| region.as_ref().is_none_or(|r| r.covers(code));
        Ok(live(ctx, &user, move |event| match event {
            Event::Contribution { action, row }
                if is_verdict(action) && covers(&row.region_code) =>
            {
                Some(VerificationResult::of_contribution(action, row))
            }
            Event::Indicator { action, row } if is_verdict(action) && covers(&row.village_code) => {
                Some(VerificationResult::of_indicators(action, row))
            }
            _ => None,
        }))
    }
}

/// The subscriber as it is now: a WebSocket connection signs in once, but each subscription it
/// starts takes the account's current state (refused once deactivated; a changed role or region
/// applies).
async fn current_user(ctx: &Context<'_>) -> GqlResult<entity::user::Model> {
    let signed_in = ctx.data_unchecked::<Viewer>().user()?;
    let db = ctx.data_unchecked::<sea_orm::DatabaseConnection>();
    let found = entity::user::Entity::find_by_id(signed_in.id.clone())
        .one(db)
        .await
        .map_err(crate::error::AppError::from)?;
    match found {
        Some(u) if u.active => Ok(u),
        _ => Err(crate::error::AppError::Unauthenticated.into()),
    }
}

fn is_verdict(action: &str) -> bool {
    matches!(action, "verify" | "return")
}

/// The region a coordinator's subscription covers: the one asked for if the caller coordinates it
/// (admins: any, or every region when none is given), else the caller's own scope.
fn coordinated(
    user: &entity::user::Model,
    region: Option<String>,
    what: &str,
) -> GqlResult<Option<RegionCode>> {
    let actor = Actor::User(user);
    let region = region.map(|r| parse_code("region", &r)).transpose()?;
    match region {
        Some(r) => {
            actor.require_coordinator_of(r.as_str(), what)?;
            Ok(Some(r))
        }
        None if actor.is_admin() => Ok(None),
        None => {
            let scope = user
                .region_scope
                .as_deref()
                .filter(|_| user.role == Role::Coordinator)
                .and_then(|s| RegionCode::parse(s).ok());
            match scope {
                Some(s) => Ok(Some(s)),
                None => Err(crate::error::AppError::Forbidden(format!(
                    "only an admin or a region's coordinator may {what}"
                ))
                .into()),
            }
        }
    }
}

/// The events of this process that `pick` keeps, as a stream for one subscriber: `reload` items
/// when it fell behind or the feed lost changes, and the end when its own account changes.
fn live<T, F>(ctx: &Context<'_>, user: &entity::user::Model, pick: F) -> BoxStream<T>
where
    T: Live + Send + 'static,
    F: FnMut(&Event) -> Option<T> + Send + 'static,
{
    let bus = ctx.data_unchecked::<Bus>().clone();
    let me = user.id.clone();
    let state = Subscriber {
        _counted: bus.subscription(),
        rx: bus.subscribe(),
        me,
        pick,
    };
    futures_util::stream::unfold(state, |mut s| async move {
        loop {
            let item = match s.rx.recv().await {
                Ok(event) => match &*event {
                    Event::User { id } if *id == s.me => return None,
                    Event::Reload => T::reload(),
                    event => match (s.pick)(event) {
                        Some(item) => item,
                        None => continue,
                    },
                },
                // The oldest events were dropped for this subscriber: it reloads instead.
                Err(RecvError::Lagged(_)) => T::reload(),
                Err(RecvError::Closed) => return None,
            };
            return Some((item, s));
        }
    })
    .boxed()
}

struct Subscriber<F> {
    /// Counts this subscription while the stream lives.
    _counted: crate::events::SubscriptionGuard,
    rx: tokio::sync::broadcast::Receiver<Arc<Event>>,
    me: String,
    pick: F,
}
