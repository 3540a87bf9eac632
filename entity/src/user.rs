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
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
