//! sea-orm entities of the Sinergi hub, one module per table. Relations are not declared: the API
//! loads related rows through batched DataLoaders (`is_in` on the key), never through lazy joins.

pub mod action_item;
pub mod action_item_program;
pub mod action_item_region;
pub mod action_item_update;
pub mod audit_log;
pub mod client_key;
pub mod complaint;
pub mod contribution;
pub mod contribution_transaction;
pub mod decision;
pub mod enums;
pub mod meeting;
pub mod meeting_agenda_item;
pub mod meeting_participant;
pub mod meeting_program;
pub mod meeting_region;
pub mod organization;
pub mod program;
pub mod program_phase;
pub mod program_strategy;
pub mod program_synergy;
pub mod program_target;
pub mod program_target_group;
pub mod program_village;
pub mod region;
pub mod setting;
pub mod user;
pub mod village_indicator;
