//! Who may write what (DOMAIN.md, "Rules that matter"): an admin anything; a coordinator programs,
//! synergies, meetings, action items, indicators, organizations and users inside its region prefix;
//! a member (and a coordinator, for its own organization) its own organization's contributions and
//! transactions; the owner organization of an action item its progress; a viewer nothing.

use crate::error::{AppError, AppResult};
use entity::enums::Role;

/// The signed-in user acting in a mutation.
pub struct Actor<'a>(pub &'a entity::user::Model);

impl Actor<'_> {
    /// The user's id.
    pub fn id(&self) -> &str {
        &self.0.id
    }

    /// The user's organization.
    pub fn organization_id(&self) -> Option<&str> {
        self.0.organization_id.as_deref()
    }

    /// An admin.
    pub fn is_admin(&self) -> bool {
        self.0.role == Role::Admin
    }

    /// A coordinator whose region prefix covers `region` (the region itself or anything inside it).
    pub fn coordinates(&self, region: &str) -> bool {
        self.0.role == Role::Coordinator
            && self
                .0
                .region_scope
                .as_deref()
                .is_some_and(|scope| region == scope || region.starts_with(&format!("{scope}.")))
    }

    /// Admin, or a coordinator covering `region`; otherwise FORBIDDEN naming what is missing.
    pub fn require_coordinator_of(&self, region: &str, what: &str) -> AppResult<()> {
        if self.is_admin() || self.coordinates(region) {
            Ok(())
        } else {
            Err(AppError::Forbidden(format!(
                "only an admin or a coordinator of region {region} may {what}"
            )))
        }
    }

    /// Admin, or a member or coordinator acting for `organization_id`.
    pub fn require_acting_for(&self, organization_id: &str, what: &str) -> AppResult<()> {
        let acts = matches!(self.0.role, Role::Member | Role::Coordinator)
            && self.organization_id() == Some(organization_id);
        if self.is_admin() || acts {
            Ok(())
        } else {
            Err(AppError::Forbidden(format!(
                "only the organization itself (or an admin) may {what}"
            )))
        }
    }

    /// Admin only.
    pub fn require_admin(&self, what: &str) -> AppResult<()> {
        if self.is_admin() {
            Ok(())
        } else {
            Err(AppError::Forbidden(format!("only an admin may {what}")))
        }
    }
}
