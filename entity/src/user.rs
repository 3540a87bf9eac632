//! `users`: A person acting for one organization, with a role.

use crate::enums::*;
use sea_orm::entity::prelude::*;

/// A person acting for one organization, with a role.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub email: String,
    pub name: String,
    pub password_hash: String,
    pub role: Role,
    pub organization_id: Option<String>,
    pub region_scope: Option<String>,
    pub active: bool,
    /// Set when someone else set the password: the user chooses a new one before anything else.
    pub must_change_password: bool,
    /// Tokens carry the epoch they were issued in; a password change, a reset or a deactivation
    /// adds one, ending every token of an older epoch.
    pub session_epoch: i32,
    /// The one session the last epoch bump spared: whoever changed their own password.
    pub spared_session: Option<String>,
    /// Sessions signed out since, with their expiry: a JSON array of `{"sid", "exp"}`.
    pub ended_sessions: Option<String>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
