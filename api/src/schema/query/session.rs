//! Who is signed in, and the audit trail of one record.

use crate::auth::Viewer;
use crate::error::{AppError, GqlResult};
use crate::schema::types::audit::AuditEntry;
use crate::schema::types::user::Me;
use crate::services::audit_access;
use async_graphql::{Context, ID, Object};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

#[derive(Default)]
pub struct SessionQuery;

#[Object]
impl SessionQuery {
    /// The signed-in user and organization; null when not signed in.
    async fn me(&self, ctx: &Context<'_>) -> Option<Me> {
        match ctx.data_unchecked::<Viewer>() {
            Viewer::User(u) => Some(Me((**u).clone())),
            Viewer::Anonymous => None,
        }
    }

    /// Every audited change of one record, oldest first. Visible to admins, to coordinators whose
    /// region covers the record, and to the record's own organization.
    async fn audit_trail(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "contribution, program, meeting, action_item, synergy, organization, user or village_indicator"
        )]
        entity: String,
        id: ID,
    ) -> GqlResult<Vec<AuditEntry>> {
        let user = ctx.data_unchecked::<Viewer>().user()?;
        let db = crate::schema::mutation::db(ctx);
        audit_access::check(db, user, &entity, &id).await?;
        use entity::audit_log::{Column, Entity};
        let rows = Entity::find()
            .filter(Column::Entity.eq(entity))
            .filter(Column::EntityId.eq(id.0))
            .order_by_asc(Column::At)
            .order_by_asc(Column::Id)
            .all(db)
            .await
            .map_err(AppError::from)?;
        Ok(rows.into_iter().map(AuditEntry).collect())
    }
}
