//! The audit log: one row per change, written in the change's own transaction, by this one module
//! for every writer (mutations, the console, imports, the command line, the demo load).

use crate::services::authz::Actor;
use crate::services::new_id;
use entity::audit_log::{ActiveModel, Entity};
use sea_orm::ActiveValue::Set;
use sea_orm::{ConnectionTrait, DbErr, EntityTrait};
use serde::Serialize;

/// The kinds of record the audit log names, each with the name its rows carry (`auditTrail(entity:)`
/// takes the same names). One list, so a writer cannot spell a kind two ways and a reader can match
/// every kind the log holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AuditEntity {
    /// A contribution.
    Contribution,
    /// A program.
    Program,
    /// A program-synergy mapping.
    Synergy,
    /// A coordination meeting.
    Meeting,
    /// A meeting's decision.
    Decision,
    /// An action item.
    ActionItem,
    /// An organization.
    Organization,
    /// A user account (its sign-outs and password changes too).
    User,
    /// A village's indicators for a year.
    VillageIndicator,
    /// A transaction on a contribution (a commitment or realisation booked).
    Transaction,
    /// A public complaint.
    Complaint,
    /// The region list (its imports).
    Region,
}

impl AuditEntity {
    /// Every kind, in the order above.
    pub const ALL: [Self; 12] = [
        Self::Contribution,
        Self::Program,
        Self::Synergy,
        Self::Meeting,
        Self::Decision,
        Self::ActionItem,
        Self::Organization,
        Self::User,
        Self::VillageIndicator,
        Self::Transaction,
        Self::Complaint,
        Self::Region,
    ];

    /// The name stored in audit rows.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Contribution => "contribution",
            Self::Program => "program",
            Self::Synergy => "synergy",
            Self::Meeting => "meeting",
            Self::Decision => "decision",
            Self::ActionItem => "action_item",
            Self::Organization => "organization",
            Self::User => "user",
            Self::VillageIndicator => "village_indicator",
            Self::Transaction => "contribution_transaction",
            Self::Complaint => "complaint",
            Self::Region => "region",
        }
    }

    /// The kind a stored (or asked-for) name names.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.name() == name)
    }
}

impl std::fmt::Display for AuditEntity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Rows per multi-row INSERT: well under SQLite's 32,766 bound parameters (9 columns a row).
const CHUNK: usize = 500;

/// The audit row saying that `actor` did `action` to `entity` `id`, with the record before and after
/// as JSON. The system (command line) is recorded with no user.
pub fn row<B: Serialize, A: Serialize>(
    actor: &Actor<'_>,
    entity: AuditEntity,
    id: &str,
    action: &str,
    before: Option<&B>,
    after: Option<&A>,
) -> ActiveModel {
    ActiveModel {
        id: Set(new_id()),
        at: Set(chrono::Utc::now()),
        actor_user_id: Set(actor.user_id().map(str::to_string)),
        actor_organization_id: Set(actor.organization_id().map(str::to_string)),
        entity: Set(entity.name().to_string()),
        entity_id: Set(id.to_string()),
        action: Set(action.to_string()),
        before: Set(before.and_then(|b| serde_json::to_string(b).ok())),
        after: Set(after.and_then(|a| serde_json::to_string(a).ok())),
    }
}

/// Records one change (see [`row`]).
pub async fn record<B: Serialize, A: Serialize>(
    db: &impl ConnectionTrait,
    actor: &Actor<'_>,
    entity: AuditEntity,
    id: &str,
    action: &str,
    before: Option<&B>,
    after: Option<&A>,
) -> Result<(), DbErr> {
    Entity::insert(row(actor, entity, id, action, before, after))
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// Records many changes at once (an import), in multi-row inserts.
pub async fn record_many(db: &impl ConnectionTrait, rows: Vec<ActiveModel>) -> Result<(), DbErr> {
    for chunk in rows.chunks(CHUNK) {
        Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::AuditEntity;

    #[test]
    fn every_audited_kind_has_its_own_name_and_is_found_by_it() {
        let mut seen = std::collections::HashSet::new();
        for e in AuditEntity::ALL {
            assert!(seen.insert(e.name()), "{} is named twice", e.name());
            assert_eq!(AuditEntity::from_name(e.name()), Some(e));
        }
        assert_eq!(AuditEntity::from_name("Contribution"), None);
    }
}
