//! Who may read a record's audit trail: admins, coordinators whose region covers the record, and the
//! record's own organization(s).

use crate::error::{AppError, AppResult};
use crate::services::authz::Actor;
use sea_orm::{ConnectionTrait, EntityTrait};

/// Regions and organizations a record belongs to.
async fn scope(
    db: &impl ConnectionTrait,
    entity: &str,
    id: &str,
) -> AppResult<Option<(Vec<String>, Vec<String>)>> {
    use entity::*;
    async fn org_region(db: &impl ConnectionTrait, org: &str) -> AppResult<Option<String>> {
        Ok(organization::Entity::find_by_id(org.to_string())
            .one(db)
            .await?
            .map(|o| o.region_code))
    }
    let id = id.to_string();
    Ok(match entity {
        "contribution" => contribution::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|c| (vec![c.region_code], vec![c.contributor_id])),
        "program" => match program::Entity::find_by_id(id).one(db).await? {
            None => None,
            Some(p) => Some((
                org_region(db, &p.owner_id).await?.into_iter().collect(),
                vec![p.owner_id],
            )),
        },
        "meeting" => meeting::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|m| (vec![m.region_code], vec![m.host_id])),
        "action_item" => match action_item::Entity::find_by_id(id).one(db).await? {
            None => None,
            Some(a) => {
                let region = meeting::Entity::find_by_id(a.meeting_id)
                    .one(db)
                    .await?
                    .map(|m| m.region_code);
                Some((region.into_iter().collect(), vec![a.owner_id]))
            }
        },
        "synergy" => match program_synergy::Entity::find_by_id(id).one(db).await? {
            None => None,
            Some(s) => {
                let mut regions = Vec::new();
                let mut orgs = Vec::new();
                for pid in [s.program_a_id, s.program_b_id] {
                    if let Some(p) = program::Entity::find_by_id(pid).one(db).await? {
                        regions.extend(org_region(db, &p.owner_id).await?);
                        orgs.push(p.owner_id);
                    }
                }
                Some((regions, orgs))
            }
        },
        "organization" => organization::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|o| (vec![o.region_code], vec![o.id])),
        "user" => match user::Entity::find_by_id(id).one(db).await? {
            None => None,
            Some(u) => match u.organization_id {
                Some(org) => Some((org_region(db, &org).await?.into_iter().collect(), vec![org])),
                None => Some((Vec::new(), Vec::new())),
            },
        },
        "village_indicator" => village_indicator::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|v| (vec![v.village_code], Vec::new())),
        _ => {
            return Err(AppError::bad_input(
                "entity",
                format!("`{entity}` is not an audited entity"),
            ));
        }
    })
}

/// Refuses the trail to callers who may not see it.
pub async fn check(
    db: &impl ConnectionTrait,
    user: &entity::user::Model,
    entity: &str,
    id: &str,
) -> AppResult<()> {
    let Some((regions, orgs)) = scope(db, entity, id).await? else {
        return Err(AppError::NotFound(format!("no such {entity}")));
    };
    let actor = Actor::User(user);
    let own = actor
        .organization_id()
        .is_some_and(|o| orgs.iter().any(|x| x == o));
    if actor.is_admin() || own || regions.iter().any(|r| actor.coordinates(r)) {
        Ok(())
    } else {
        Err(AppError::Forbidden("only admins, the region's coordinators and the record's organization see its audit trail".into()))
    }
}
