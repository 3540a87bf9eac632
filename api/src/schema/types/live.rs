//! What subscriptions send: one change, with the record as it is now, or a request to reload.

use crate::schema::types::complaint::Complaint;
use crate::schema::types::contribution::Contribution;
use crate::schema::types::meeting::ActionItem;
use crate::schema::types::region::VillageIndicators;
use async_graphql::SimpleObject;

/// The action of an item that only asks the subscriber to reload.
const RELOAD: &str = "reload";

/// A subscription item that can ask its subscriber to reload.
pub trait Live {
    /// "You may have missed changes: reload what you show."
    fn reload() -> Self;
}

/// A contribution created or changed.
#[derive(SimpleObject)]
pub struct ContributionChange {
    /// What happened, as the audit log names it (`create`, `update`, `transaction`, `verify`,
    /// `return`, ...), or `reload`.
    pub action: String,
    /// The contribution as it is now; null only when `reload` is true.
    pub contribution: Option<Contribution>,
    /// True when changes may have been missed (this subscriber fell behind, or the hub lost its
    /// change feed for a moment): reload what you show.
    pub reload: bool,
}

impl ContributionChange {
    pub(crate) fn of(action: &str, row: &entity::contribution::Model) -> Self {
        Self {
            action: action.to_string(),
            contribution: Some(Contribution::from(row.clone())),
            reload: false,
        }
    }
}

impl Live for ContributionChange {
    fn reload() -> Self {
        Self {
            action: RELOAD.into(),
            contribution: None,
            reload: true,
        }
    }
}

/// An action item created, changed or fallen overdue.
#[derive(SimpleObject)]
pub struct ActionItemChange {
    /// What happened (`create`, `update`, `overdue`, ...), or `reload`.
    pub action: String,
    /// The item as it is now; null only when `reload` is true.
    pub action_item: Option<ActionItem>,
    /// True when changes may have been missed: reload what you show.
    pub reload: bool,
}

impl ActionItemChange {
    pub(crate) fn of(action: &str, row: &entity::action_item::Model) -> Self {
        Self {
            action: action.to_string(),
            action_item: Some(ActionItem(row.clone())),
            reload: false,
        }
    }
}

impl Live for ActionItemChange {
    fn reload() -> Self {
        Self {
            action: RELOAD.into(),
            action_item: None,
            reload: true,
        }
    }
}

/// A complaint filed or triaged.
#[derive(SimpleObject)]
pub struct ComplaintChange {
    /// What happened (`create`, `review`, `resolve`, `reject`, ...), or `reload`.
    pub action: String,
    /// The complaint as it is now; null only when `reload` is true.
    pub complaint: Option<Complaint>,
    /// True when changes may have been missed: reload what you show.
    pub reload: bool,
}

impl ComplaintChange {
    pub(crate) fn of(action: &str, row: &entity::complaint::Model) -> Self {
        Self {
            action: action.to_string(),
            complaint: Some(Complaint(row.clone())),
            reload: false,
        }
    }
}

impl Live for ComplaintChange {
    fn reload() -> Self {
        Self {
            action: RELOAD.into(),
            complaint: None,
            reload: true,
        }
    }
}

/// A coordinator's verdict on a contribution or on a village's indicators.
#[derive(SimpleObject)]
pub struct VerificationResult {
    /// `verify` or `return`, or `reload`.
    pub action: String,
    /// The contribution verified or returned, when it was one.
    pub contribution: Option<Contribution>,
    /// The village indicators verified or returned, when they were.
    pub village_indicators: Option<VillageIndicators>,
    /// What to fix, when returned.
    pub note: Option<String>,
    /// True when changes may have been missed: reload what you show.
    pub reload: bool,
}

impl VerificationResult {
    pub(crate) fn of_contribution(action: &str, row: &entity::contribution::Model) -> Self {
        Self {
            action: action.to_string(),
            contribution: Some(Contribution::from(row.clone())),
            village_indicators: None,
            note: row.verification_note.clone(),
            reload: false,
        }
    }

    pub(crate) fn of_indicators(action: &str, row: &entity::village_indicator::Model) -> Self {
        Self {
            action: action.to_string(),
            contribution: None,
            village_indicators: Some(VillageIndicators(row.clone())),
            note: row.verification_note.clone(),
            reload: false,
        }
    }
}

impl Live for VerificationResult {
    fn reload() -> Self {
        Self {
            action: RELOAD.into(),
            contribution: None,
            village_indicators: None,
            note: None,
            reload: true,
        }
    }
}
