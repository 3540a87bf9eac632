//! `recentChanges`: the newest audited changes the caller may see (the console's overview shows
//! them), under the same rule as `auditTrail`.

use crate::auth::Viewer;
use crate::error::{AppError, GqlResult};
use crate::schema::types::audit::AuditEntry;
use crate::services::audit_access;
use async_graphql::{Context, Object};
use sea_orm::{DatabaseConnection, EntityTrait, QueryOrder, QuerySelect};

/// How many of the newest audit rows are examined for one answer. Bounded so a caller who may see
/// few of them costs a known amount of work; older changes are in each record's `auditTrail`.
pub const SCAN: u64 = 60;

#[derive(Default)]
pub struct ChangesQuery;

#[Object]
impl ChangesQuery {
    /// The newest changes (up to `first`, at most 50) among the latest audited writes that the
    /// caller may see: admins see all, coordinators those in their region, members their own
    /// organization's records (the `auditTrail` rule). Newest first. Signed in only.
    async fn recent_changes(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 10)] first: i32,
    ) -> GqlResult<Vec<AuditEntry>> {
        let user = ctx.data_unchecked::<Viewer>().user()?;
        if !(1..=50).contains(&first) {
            return Err(AppError::bad_input("first", "between 1 and 50").into());
        }
        let db = ctx.data_unchecked::<DatabaseConnection>();
        use entity::audit_log::{Column, Entity};
        let rows = Entity::find()
            .order_by_desc(Column::At)
            .order_by_desc(Column::Id)
            .limit(SCAN)
            .all(db)
            .await
            .map_err(AppError::from)?;
        let records: Vec<(String, String)> = rows
            .iter()
            .map(|r| (r.entity.clone(), r.entity_id.clone()))
            .collect();
        let visible = audit_access::visible(db, user, &records).await?;
        let out: Vec<AuditEntry> = rows
            .into_iter()
            .filter(|r| visible.contains(&(r.entity.clone(), r.entity_id.clone())))
            .take(first as usize)
            .map(AuditEntry)
            .collect();
        Ok(out)
    }
}
