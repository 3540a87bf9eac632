//! Who may read a record's audit trail: admins, coordinators whose region covers the record, and the
//! record's own organization(s).

use crate::error::{AppError, AppResult};
use crate::services::audit::AuditEntity;
use crate::services::authz::Actor;
use sea_orm::{ConnectionTrait, EntityTrait};
use std::collections::{HashMap, HashSet};

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
    Ok(match AuditEntity::from_name(entity) {
        Some(AuditEntity::Contribution) => contribution::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|c| (vec![c.region_code], vec![c.contributor_id])),
        Some(AuditEntity::Program) => match program::Entity::find_by_id(id).one(db).await? {
            None => None,
            Some(p) => Some((
                org_region(db, &p.owner_id).await?.into_iter().collect(),
                vec![p.owner_id],
            )),
        },
        Some(AuditEntity::Meeting) => meeting::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|m| (vec![m.region_code], vec![m.host_id])),
        Some(AuditEntity::ActionItem) => match action_item::Entity::find_by_id(id).one(db).await? {
            None => None,
            Some(a) => {
                let region = meeting::Entity::find_by_id(a.meeting_id)
                    .one(db)
                    .await?
                    .map(|m| m.region_code);
                Some((region.into_iter().collect(), vec![a.owner_id]))
            }
        },
        Some(AuditEntity::Synergy) => {
            match program_synergy::Entity::find_by_id(id).one(db).await? {
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
            }
        }
        Some(AuditEntity::Organization) => organization::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|o| (vec![o.region_code], vec![o.id])),
        Some(AuditEntity::User) => match user::Entity::find_by_id(id).one(db).await? {
            None => None,
            Some(u) => match u.organization_id {
                Some(org) => Some((org_region(db, &org).await?.into_iter().collect(), vec![org])),
                None => Some((Vec::new(), Vec::new())),
            },
        },
        Some(AuditEntity::VillageIndicator) => village_indicator::Entity::find_by_id(id)
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

/// Whether `actor` may see the trail of a record with these regions and organizations.
fn may_see(actor: &Actor<'_>, (regions, orgs): &(Vec<String>, Vec<String>)) -> bool {
    let own = actor
        .organization_id()
        .is_some_and(|o| orgs.iter().any(|x| x == o));
    actor.is_admin() || own || regions.iter().any(|r| actor.coordinates(r))
}

/// Refuses the trail to callers who may not see it.
pub async fn check(
    db: &impl ConnectionTrait,
    user: &entity::user::Model,
    entity: &str,
    id: &str,
) -> AppResult<()> {
    let Some(scope) = scope(db, entity, id).await? else {
        return Err(AppError::NotFound(format!("no such {entity}")));
    };
    if may_see(&Actor::User(user), &scope) {
        Ok(())
    } else {
        Err(AppError::Forbidden("only admins, the region's coordinators and the record's organization see its audit trail".into()))
    }
}

/// Which of many records' trails `user` may see, with a few statements per kind of record instead
/// of a few per record (`recentChanges` judges up to its scan of audit rows at once). Records that
/// no longer exist, and unknown kinds, are not visible.
pub async fn visible(
    db: &impl ConnectionTrait,
    user: &entity::user::Model,
    records: &[(String, String)],
) -> AppResult<HashSet<(String, String)>> {
    let actor = Actor::User(user);
    if actor.is_admin() {
        return Ok(records.iter().cloned().collect());
    }
    let mut by_kind: HashMap<&str, Vec<String>> = HashMap::new();
    for (entity, id) in records {
        by_kind.entry(entity.as_str()).or_default().push(id.clone());
    }
    let mut scopes: HashMap<(String, String), (Vec<String>, Vec<String>)> = HashMap::new();
    for (entity, ids) in by_kind {
        for (id, scope) in scopes_of(db, entity, ids).await? {
            scopes.insert((entity.to_string(), id), scope);
        }
    }
    Ok(scopes
        .into_iter()
        .filter(|(_, scope)| may_see(&actor, scope))
        .map(|(key, _)| key)
        .collect())
}

/// Regions and organizations of many records of one kind.
async fn scopes_of(
    db: &impl ConnectionTrait,
    entity: &str,
    ids: Vec<String>,
) -> AppResult<Vec<(String, (Vec<String>, Vec<String>))>> {
    use entity::*;
    use sea_orm::{ColumnTrait, QueryFilter};
    Ok(match AuditEntity::from_name(entity) {
        Some(AuditEntity::Contribution) => contribution::Entity::find()
            .filter(contribution::Column::Id.is_in(ids))
            .all(db)
            .await?
            .into_iter()
            .map(|c| (c.id, (vec![c.region_code], vec![c.contributor_id])))
            .collect(),
        Some(AuditEntity::Meeting) => meeting::Entity::find()
            .filter(meeting::Column::Id.is_in(ids))
            .all(db)
            .await?
            .into_iter()
            .map(|m| (m.id, (vec![m.region_code], vec![m.host_id])))
            .collect(),
        Some(AuditEntity::Organization) => organization::Entity::find()
            .filter(organization::Column::Id.is_in(ids))
            .all(db)
            .await?
            .into_iter()
            .map(|o| (o.id.clone(), (vec![o.region_code], vec![o.id])))
            .collect(),
        Some(AuditEntity::VillageIndicator) => village_indicator::Entity::find()
            .filter(village_indicator::Column::Id.is_in(ids))
            .all(db)
            .await?
            .into_iter()
            .map(|v| (v.id, (vec![v.village_code], Vec::new())))
            .collect(),
        // Rarer in the newest changes, and reached through other records: one at a time.
        _ => {
            let mut out = Vec::new();
            for id in ids {
                match scope(db, entity, &id).await {
                    Ok(Some(scope)) => out.push((id, scope)),
                    Ok(None) | Err(AppError::BadInput { .. }) => {}
                    Err(e) => return Err(e),
                }
            }
            out
        }
    })
}
