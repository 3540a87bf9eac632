//! Who may write what (DOMAIN.md, "Rules that matter"): an admin anything; a coordinator programs,
//! synergies, meetings, action items, indicators, organizations and users inside its region prefix;
//! a member (and a coordinator, for its own organization) its own organization's contributions and
//! transactions; the owner organization of an action item its progress; a viewer nothing.

use crate::error::{AppError, AppResult};
use entity::enums::Role;

/// Who writes: a signed-in user (a mutation, the console, an upload, or the command line's `--as`),
/// or the system itself (the command line without `--as`: an operator at the server, with an
/// administrator's rights, whose audit rows name no user).
#[derive(Clone, Copy)]
pub enum Actor<'a> {
    /// A user, whose role and scope apply.
    User(&'a entity::user::Model),
    /// The operator at the command line.
    System,
}

impl Actor<'_> {
    /// The user's id (none for the system).
    pub fn user_id(&self) -> Option<&str> {
        match self {
            Self::User(u) => Some(&u.id),
            Self::System => None,
        }
    }

    /// The user's organization.
    pub fn organization_id(&self) -> Option<&str> {
        match self {
            Self::User(u) => u.organization_id.as_deref(),
            Self::System => None,
        }
    }

    /// An admin, or the system.
    pub fn is_admin(&self) -> bool {
        match self {
            Self::User(u) => u.role == Role::Admin,
            Self::System => true,
        }
    }

    /// A coordinator whose region prefix covers `region` (the region itself or anything inside it).
    pub fn coordinates(&self, region: &str) -> bool {
        let Self::User(u) = self else { return false };
        u.role == Role::Coordinator
            && u.region_scope
                .as_deref()
                .is_some_and(|scope| region == scope || region.starts_with(&format!("{scope}.")))
    }

    /// Admin, or a coordinator covering `region`: who manages programs, meetings, action items,
    /// indicators, organizations and users there.
    pub fn manages(&self, region: &str) -> bool {
        self.is_admin() || self.coordinates(region)
    }

    /// Admin, or a member or coordinator of `organization_id`: who writes its contributions.
    pub fn acts_for(&self, organization_id: &str) -> bool {
        let member = matches!(self, Self::User(u) if matches!(u.role, Role::Member | Role::Coordinator))
            && self.organization_id() == Some(organization_id);
        self.is_admin() || member
    }

    /// [`Actor::manages`], or FORBIDDEN naming what is missing.
    pub fn require_coordinator_of(&self, region: &str, what: &str) -> AppResult<()> {
        if self.manages(region) {
            Ok(())
        } else {
            Err(AppError::Forbidden(format!(
                "only an admin or a coordinator of region {region} may {what}"
            )))
        }
    }

    /// [`Actor::acts_for`], or FORBIDDEN naming what is missing.
    pub fn require_acting_for(&self, organization_id: &str, what: &str) -> AppResult<()> {
        if self.acts_for(organization_id) {
            Ok(())
        } else {
            Err(AppError::Forbidden(format!(
                "only the organization itself (or an admin) may {what}"
            )))
        }
    }
}
