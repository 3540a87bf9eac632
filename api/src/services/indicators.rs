//! Writes of a village's indicators for a fiscal year. `setVillageIndicators` calls this; the
//! spreadsheet import checks its rows with the same [`rules::indicators`].

use crate::error::{AppError, AppResult};
use crate::region_code::parse_code;
use crate::services::audit::AuditEntity;
use crate::services::authz::Actor;
use crate::services::{audit, new_id, rules, verification};
use chrono::{NaiveDate, Utc};
use entity::enums::{IdmStatus, RegionLevel};
use entity::village_indicator::{ActiveModel, Column, Entity, Model};
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
};

/// One village's indicators for one fiscal year.
#[derive(Debug, Clone)]
pub struct Indicators {
    /// Village code.
    pub village_code: String,
    /// Fiscal year.
    pub fiscal_year: i32,
    /// Source: DTKS/P3KE, BPS, e-PPGBM, IDM.
    pub source: String,
    /// Date the figures refer to.
    pub as_of: NaiveDate,
    /// Households.
    pub households: Option<i32>,
    /// Population.
    pub population: Option<i32>,
    /// Poor households (RTM).
    pub poor_households: Option<i32>,
    /// Households in deciles 1 to 4 (four numbers or none).
    pub households_by_decile: Option<Vec<i32>>,
    /// Families at risk of stunting.
    pub stunting_risk_families: Option<i32>,
    /// Stunting cases.
    pub stunting_cases: Option<i32>,
    /// Stunting prevalence, percent.
    pub stunting_prevalence: Option<f64>,
    /// IDM status.
    pub idm_status: Option<IdmStatus>,
    /// Priority village this year.
    pub priority: bool,
}

/// The input field an indicator rule speaks about.
pub fn input_field(field: rules::IndicatorField) -> &'static str {
    use rules::IndicatorField as F;
    match field {
        F::FiscalYear => "input.fiscalYear",
        F::Source => "input.source",
        F::Households => "input.households",
        F::Population => "input.population",
        F::PoorHouseholds => "input.poorHouseholds",
        F::Deciles => "input.householdsByDecile",
        F::StuntingRiskFamilies => "input.stuntingRiskFamilies",
        F::StuntingCases => "input.stuntingCases",
        F::StuntingPrevalence => "input.stuntingPrevalence",
    }
}

/// Records a village's indicators for a year (coordinators of the village's region). When the year
/// is already recorded, `version` must be the one the caller read: a stale or missing one gets
/// CONFLICT.
pub async fn set(
    db: &impl ConnectionTrait,
    actor: &Actor<'_>,
    input: Indicators,
    version: Option<i32>,
) -> AppResult<Model> {
    let code = parse_code("input.villageCode", &input.village_code)?;
    may_record(db, actor, code.as_str()).await?;
    let deciles = match input.households_by_decile.as_deref() {
        None => [None; 4],
        Some([a, b, c, d]) => [Some(*a), Some(*b), Some(*c), Some(*d)],
        Some(_) => {
            return Err(AppError::bad_input(
                "input.householdsByDecile",
                "four numbers, none negative",
            ));
        }
    };
    let now = Utc::now();
    let next = Model {
        id: new_id(),
        village_code: code.to_string(),
        fiscal_year: input.fiscal_year,
        source: input.source.trim().to_string(),
        as_of: input.as_of,
        households: input.households,
        population: input.population,
        poor_households: input.poor_households,
        households_decile1: deciles[0],
        households_decile2: deciles[1],
        households_decile3: deciles[2],
        households_decile4: deciles[3],
        stunting_risk_families: input.stunting_risk_families,
        stunting_cases: input.stunting_cases,
        stunting_prevalence: input.stunting_prevalence,
        idm_status: input.idm_status,
        priority: input.priority,
        version: 1,
        created_at: now,
        updated_at: now,
        verification: verification::after_write(actor, code.as_str()),
        verification_note: None,
    };
    rules::indicators(&next).map_err(|(f, m)| AppError::bad_input(input_field(f), m))?;
    let village = entity::region::Entity::find_by_id(code.to_string())
        .one(db)
        .await?;
    if village.map(|v| v.level) != Some(RegionLevel::Village) {
        return Err(AppError::bad_input(
            "input.villageCode",
            format!("{code} is not a village in the hub"),
        ));
    }
    let existing = Entity::find()
        .filter(Column::VillageCode.eq(code.to_string()))
        .filter(Column::FiscalYear.eq(input.fiscal_year))
        .one(db)
        .await?;
    save(db, actor, existing, next, version).await
}

/// Who may record a village's indicators: its region's coordinators and admins, and the village's
/// own government (a member of a VILLAGE_GOVERNMENT organization whose home region is the village),
/// whose figures then wait for the coordinators' verification (issue 14).
async fn may_record(db: &impl ConnectionTrait, actor: &Actor<'_>, village: &str) -> AppResult<()> {
    let refused = actor.require_coordinator_of(village, "record this village's indicators");
    let (Err(_), Actor::User(u)) = (&refused, actor) else {
        return refused;
    };
    let Some(org_id) = (u.role == entity::enums::Role::Member)
        .then_some(u.organization_id.as_deref())
        .flatten()
    else {
        return refused;
    };
    let own_village = entity::organization::Entity::find_by_id(org_id.to_string())
        .one(db)
        .await?
        .is_some_and(|o| {
            o.kind == entity::enums::OrganizationKind::VillageGovernment && o.region_code == village
        });
    if own_village { Ok(()) } else { refused }
}

/// Inserts the indicators, or replaces the stored ones at the version the caller read.
async fn save(
    db: &impl ConnectionTrait,
    actor: &Actor<'_>,
    existing: Option<Model>,
    next: Model,
    version: Option<i32>,
) -> AppResult<Model> {
    let Some(before) = existing else {
        let after = ActiveModel::from(next).insert(db).await?;
        audit::record(
            db,
            actor,
            AuditEntity::VillageIndicator,
            &after.id,
            "create",
            None::<&()>,
            Some(&after),
        )
        .await?;
        return Ok(after);
    };
    let Some(v) = version else {
        return Err(AppError::Conflict(format!(
            "{} already has indicators for {}: send the version you read",
            before.village_code, before.fiscal_year
        )));
    };
    crate::services::writes::lock_version::<Entity>(db, &before.id, v).await?;
    replace(db, actor, &before, next).await
}

/// Replaces stored indicators with `next`'s figures: the next version, the audit row. The caller
/// has checked `next` with [`rules::indicators`] and locked `before` at the version it read (the
/// import reads the whole file's rows first, then locks each as it writes).
pub async fn replace(
    db: &impl ConnectionTrait,
    actor: &Actor<'_>,
    before: &Model,
    next: Model,
) -> AppResult<Model> {
    let mut am = before.clone().into_active_model();
    am.source = Set(next.source);
    am.as_of = Set(next.as_of);
    am.households = Set(next.households);
    am.population = Set(next.population);
    am.poor_households = Set(next.poor_households);
    am.households_decile1 = Set(next.households_decile1);
    am.households_decile2 = Set(next.households_decile2);
    am.households_decile3 = Set(next.households_decile3);
    am.households_decile4 = Set(next.households_decile4);
    am.stunting_risk_families = Set(next.stunting_risk_families);
    am.stunting_cases = Set(next.stunting_cases);
    am.stunting_prevalence = Set(next.stunting_prevalence);
    am.idm_status = Set(next.idm_status);
    am.priority = Set(next.priority);
    am.verification = Set(verification::after_write(actor, &before.village_code));
    am.verification_note = Set(None);
    am.version = Set(before.version + 1);
    am.updated_at = Set(next.updated_at);
    let after = am.update(db).await?;
    audit::record(
        db,
        actor,
        AuditEntity::VillageIndicator,
        &after.id,
        "update",
        Some(before),
        Some(&after),
    )
    .await?;
    Ok(after)
}
