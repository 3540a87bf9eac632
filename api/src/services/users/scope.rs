//! Which user accounts a caller may manage, as a WHERE clause, so that the `users` list shows what
//! `updateUser` would accept and nothing more.

use crate::error::{AppError, AppResult};
use crate::region_code::parse_code;
use crate::services::authz::Actor;
use crate::services::contributions::region_condition;
use entity::enums::Role;
use entity::user::Column;
use sea_orm::sea_query::Condition;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect, QueryTrait};

/// Users whose organization's home region lies inside `region` (a parsed code prefix).
fn in_organizations_of(cond: Condition) -> Condition {
    use entity::organization::{Column as Org, Entity as Orgs};
    let ids = Orgs::find()
        .select_only()
        .column(Org::Id)
        .filter(cond)
        .into_query();
    Condition::all().add(Column::OrganizationId.in_subquery(ids))
}

/// The rule of `updateUser` as a condition: an admin sees everyone; a coordinator the members and
/// viewers of organizations in its region; anyone else is FORBIDDEN (they manage no one).
pub fn manageable(actor: &Actor<'_>) -> AppResult<Condition> {
    if actor.is_admin() {
        return Ok(Condition::all());
    }
    let scope = match actor {
        Actor::User(u) if u.role == Role::Coordinator => u.region_scope.clone(),
        _ => None,
    };
    let Some(scope) = scope else {
        return Err(AppError::Forbidden(
            "only an admin or a coordinator may list the users they manage".into(),
        ));
    };
    let code = parse_code("regionScope", &scope)?;
    Ok(Condition::all()
        .add(Column::Role.is_in([Role::Member, Role::Viewer]))
        .add(in_organizations_of(region_condition(
            entity::organization::Column::RegionCode,
            &code,
        ))))
}

/// The list's own filter: one organization, or organizations inside a region prefix.
pub fn filtered(organization_id: Option<String>, region: Option<&str>) -> AppResult<Condition> {
    let mut cond = Condition::all();
    if let Some(o) = organization_id {
        cond = cond.add(Column::OrganizationId.eq(o));
    }
    if let Some(r) = region {
        let code = parse_code("filter.region", r)?;
        cond = cond.add(in_organizations_of(region_condition(
            entity::organization::Column::RegionCode,
            &code,
        )));
    }
    Ok(cond)
}
