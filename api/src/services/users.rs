//! Creating users from the command line (`sinergi user create`), where there is no signed-in actor
//! yet: the first admin is made this way.

use crate::region_code::RegionCode;
use crate::services::{new_id, passwords};
use anyhow::{Context, bail};
use entity::enums::Role;
use sea_orm::ActiveValue::Set;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

/// Creates a user after the same checks the `createUser` mutation makes.
pub async fn create(
    db: &DatabaseConnection,
    email: &str,
    name: &str,
    role: &str,
    organization: Option<String>,
    region: Option<String>,
    password: String,
) -> anyhow::Result<entity::user::Model> {
    let email = email.trim().to_lowercase();
    if !email
        .split_once('@')
        .is_some_and(|(l, d)| !l.is_empty() && d.contains('.'))
    {
        bail!("--email: not an e-mail address");
    }
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        bail!("--name: between 1 and 200 characters");
    }
    let role = match role.to_ascii_lowercase().as_str() {
        "admin" => Role::Admin,
        "coordinator" => Role::Coordinator,
        "member" => Role::Member,
        "viewer" => Role::Viewer,
        other => bail!("--role: `{other}` is not admin, coordinator, member or viewer"),
    };
    if password.chars().count() < 10 {
        bail!("the password must have at least 10 characters");
    }
    let region = region
        .map(|r| RegionCode::parse(&r).map(|c| c.to_string()))
        .transpose()
        .map_err(|e| anyhow::anyhow!("--region: {e}"))?;
    if role == Role::Coordinator && region.is_none() {
        bail!("--region: a coordinator needs a region");
    }
    if matches!(role, Role::Coordinator | Role::Member) && organization.is_none() {
        bail!("--organization: a member or coordinator acts for an organization");
    }
    if let Some(o) = &organization
        && entity::organization::Entity::find_by_id(o.clone())
            .one(db)
            .await?
            .is_none()
    {
        bail!("--organization: no organization {o}");
    }
    if let Some(r) = &region
        && entity::region::Entity::find_by_id(r.clone())
            .one(db)
            .await?
            .is_none()
    {
        bail!("--region: no region {r} in the hub (import the region list first)");
    }
    if entity::user::Entity::find()
        .filter(entity::user::Column::Email.eq(email.clone()))
        .one(db)
        .await?
        .is_some()
    {
        bail!("--email: another user has this e-mail");
    }
    let now = chrono::Utc::now();
    let user = entity::user::ActiveModel {
        id: Set(new_id()),
        email: Set(email),
        name: Set(name.to_string()),
        password_hash: Set(passwords::hash(password).await?),
        role: Set(role),
        organization_id: Set(organization),
        region_scope: Set(region),
        active: Set(true),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await
    .context("cannot store the user")?;
    Ok(user)
}
