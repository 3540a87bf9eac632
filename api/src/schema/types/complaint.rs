//! Data complaints as the API shows them: the whole complaint to the region's coordinators, and what
//! a tracking code shows to anyone who holds it.

use crate::auth::Viewer;
use crate::error::GqlResult;
use crate::loaders::{ContributionById, RegionByCode, load_one};
use crate::schema::enums::ComplaintStatus;
use crate::schema::scalars::DateTime;
use crate::schema::types::contribution::Contribution;
use crate::schema::types::region::Region;
use crate::services::authz::Actor;
use crate::services::complaints::{code, may_read_contact};
use async_graphql::{Context, ID, Object};

fn correction_ids(m: &entity::complaint::Model) -> Vec<ID> {
    m.corrections
        .as_deref()
        .and_then(|j| serde_json::from_str::<Vec<String>>(j).ok())
        .unwrap_or_default()
        .into_iter()
        .map(ID)
        .collect()
}

/// A report that a figure is wrong, as the region's coordinators triage it.
pub struct Complaint(pub entity::complaint::Model);

#[Object]
impl Complaint {
    /// Stable id.
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    /// Version, for optimistic concurrency: send it back with a triage step.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// The code the reporter follows it with, `XXXX-XXXX-XXXX`.
    async fn tracking_code(&self) -> String {
        code::display(&self.0.tracking_code)
    }
    /// The region (normally a village) it concerns.
    async fn region(&self, ctx: &Context<'_>) -> GqlResult<Option<Region>> {
        Ok(load_one(ctx, RegionByCode(self.0.region_code.clone()))
            .await?
            .map(Region))
    }
    /// The contribution it concerns, if any (null too when it is a draft the caller may not see).
    async fn contribution(&self, ctx: &Context<'_>) -> GqlResult<Option<Contribution>> {
        let Some(id) = &self.0.contribution_id else {
            return Ok(None);
        };
        Ok(load_one(ctx, ContributionById(id.clone()))
            .await?
            .map(Contribution::from))
    }
    /// The year of the village's indicators it concerns, if it is about them.
    async fn fiscal_year(&self) -> Option<i32> {
        self.0.fiscal_year
    }
    /// Which figure is wrong.
    async fn what(&self) -> &str {
        &self.0.what
    }
    /// Why the reporter thinks so.
    async fn reason(&self) -> &str {
        &self.0.reason
    }
    /// How to reach the reporter: only for the region's coordinators (and admins), and only while
    /// the complaint is open (closing it erases the contact).
    async fn contact(&self, ctx: &Context<'_>) -> Option<&str> {
        let Viewer::User(u) = ctx.data_unchecked::<Viewer>() else {
            return None;
        };
        if may_read_contact(&Actor::User(u.as_ref()), &self.0) {
            self.0.contact.as_deref()
        } else {
            None
        }
    }
    /// Where it stands.
    async fn status(&self) -> ComplaintStatus {
        self.0.status.into()
    }
    /// What the correction was (RESOLVED), or why it was rejected (REJECTED).
    async fn resolution(&self) -> Option<&str> {
        self.0.resolution.as_deref()
    }
    /// The audit rows of the correction (RESOLVED): read them with `auditTrail`.
    async fn correction_ids(&self) -> Vec<ID> {
        correction_ids(&self.0)
    }
    /// When it was filed.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
    /// When it last changed.
    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.updated_at)
    }
}

/// What a tracking code shows, to anyone who has it (no sign-in): where the complaint stands and
/// how it ended. Never the contact.
pub struct ComplaintTracking(pub entity::complaint::Model);

#[Object]
impl ComplaintTracking {
    /// The tracking code, `XXXX-XXXX-XXXX`: keep it to follow the complaint.
    async fn tracking_code(&self) -> String {
        code::display(&self.0.tracking_code)
    }
    /// Where it stands.
    async fn status(&self) -> ComplaintStatus {
        self.0.status.into()
    }
    /// The code of the region it concerns.
    async fn region_code(&self) -> &str {
        &self.0.region_code
    }
    /// Which figure was reported wrong.
    async fn what(&self) -> &str {
        &self.0.what
    }
    /// What the correction was (RESOLVED), or why it was rejected (REJECTED).
    async fn resolution(&self) -> Option<&str> {
        self.0.resolution.as_deref()
    }
    /// The audit rows of the correction (RESOLVED).
    async fn correction_ids(&self) -> Vec<ID> {
        correction_ids(&self.0)
    }
    /// When it was filed.
    async fn filed_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
    /// When it last changed.
    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.updated_at)
    }
}
