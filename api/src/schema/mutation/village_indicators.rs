use super::{actor, begin};
use crate::error::{AppError, AppResult, GqlResult};
use crate::region_code::parse_code;
use crate::schema::enums::IdmStatus;
use crate::schema::scalars::Date;
use crate::schema::types::region::VillageIndicators;
use crate::services::writes::{lock_version, text};
use crate::services::{FISCAL_YEARS, audit, new_id};
use async_graphql::{Context, InputObject, Object};
use chrono::Utc;
use entity::enums::RegionLevel;
use sea_orm::ActiveValue::Set;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter};

#[derive(Default)]
pub struct IndicatorMutation;

/// One village's indicators for one fiscal year.
#[derive(InputObject)]
pub struct VillageIndicatorsInput {
    /// Village code.
    village_code: String,
    /// Fiscal year.
    fiscal_year: i32,
    /// Source: DTKS/P3KE, BPS, e-PPGBM, IDM.
    source: String,
    /// Date the figures refer to.
    as_of: Date,
    /// Households.
    households: Option<i32>,
    /// Population.
    population: Option<i32>,
    /// Poor households (RTM).
    poor_households: Option<i32>,
    /// Households in deciles 1 to 4, in that order (four numbers).
    households_by_decile: Option<Vec<i32>>,
    /// Families at risk of stunting.
    stunting_risk_families: Option<i32>,
    /// Stunting cases.
    stunting_cases: Option<i32>,
    /// Stunting prevalence, percent (0–100).
    stunting_prevalence: Option<f64>,
    /// IDM status.
    idm_status: Option<IdmStatus>,
    /// Priority village (desa merah / lokus) this year.
    #[graphql(default)]
    priority: bool,
}

fn count(field: &str, v: Option<i32>) -> AppResult<Option<i32>> {
    match v {
        Some(n) if n < 0 => Err(AppError::bad_input(field, "never negative")),
        v => Ok(v),
    }
}

#[Object]
impl IndicatorMutation {
    /// Records a village's indicators for a year (coordinators of the village's region). When the year
    /// is already recorded, send the `version` you read: a stale or missing one gets CONFLICT.
    async fn set_village_indicators(
        &self,
        ctx: &Context<'_>,
        input: VillageIndicatorsInput,
        version: Option<i32>,
    ) -> GqlResult<VillageIndicators> {
        use entity::village_indicator::{ActiveModel, Column, Entity};
        let actor = actor(ctx)?;
        let code = parse_code("input.villageCode", &input.village_code)?;
        actor.require_coordinator_of(code.as_str(), "record this village's indicators")?;
        if !FISCAL_YEARS.contains(&input.fiscal_year) {
            return Err(AppError::bad_input(
                "input.fiscalYear",
                "a fiscal year between 2000 and 2100",
            )
            .into());
        }
        let source = text("input.source", &input.source, 100)?;
        let deciles = match &input.households_by_decile {
            None => [None; 4],
            Some(d) if d.len() == 4 && d.iter().all(|n| *n >= 0) => {
                [Some(d[0]), Some(d[1]), Some(d[2]), Some(d[3])]
            }
            Some(_) => {
                return Err(AppError::bad_input(
                    "input.householdsByDecile",
                    "four numbers, none negative",
                )
                .into());
            }
        };
        if input
            .stunting_prevalence
            .is_some_and(|p| !(0.0..=100.0).contains(&p))
        {
            return Err(AppError::bad_input(
                "input.stuntingPrevalence",
                "a percentage between 0 and 100",
            )
            .into());
        }
        if let (Some(p), Some(h)) = (input.poor_households, input.households)
            && p > h
        {
            return Err(
                AppError::bad_input("input.poorHouseholds", "cannot exceed households").into(),
            );
        }
        let w = begin(ctx).await?;
        let village = entity::region::Entity::find_by_id(code.to_string())
            .one(&w.txn)
            .await
            .map_err(AppError::from)?;
        if village.map(|v| v.level) != Some(RegionLevel::Village) {
            return Err(AppError::bad_input(
                "input.villageCode",
                format!("{code} is not a village in the hub"),
            )
            .into());
        }
        let existing = Entity::find()
            .filter(Column::VillageCode.eq(code.to_string()))
            .filter(Column::FiscalYear.eq(input.fiscal_year))
            .one(&w.txn)
            .await
            .map_err(AppError::from)?;
        let now = Utc::now();
        let (mut am, before) = match existing {
            Some(row) => {
                let Some(v) = version else {
                    return Err(AppError::Conflict(format!(
                        "{} already has indicators for {}: send the version you read",
                        code, input.fiscal_year
                    ))
                    .into());
                };
                lock_version::<entity::village_indicator::Entity>(&w.txn, &row.id, v).await?;
                let mut am = row.clone().into_active_model();
                am.version = Set(row.version + 1);
                (am, Some(row))
            }
            None => (
                ActiveModel {
                    id: Set(new_id()),
                    village_code: Set(code.to_string()),
                    fiscal_year: Set(input.fiscal_year),
                    version: Set(1),
                    created_at: Set(now),
                    ..Default::default()
                },
                None,
            ),
        };
        am.source = Set(source);
        am.as_of = Set(input.as_of.0);
        am.households = Set(count("input.households", input.households)?);
        am.population = Set(count("input.population", input.population)?);
        am.poor_households = Set(count("input.poorHouseholds", input.poor_households)?);
        am.households_decile1 = Set(deciles[0]);
        am.households_decile2 = Set(deciles[1]);
        am.households_decile3 = Set(deciles[2]);
        am.households_decile4 = Set(deciles[3]);
        am.stunting_risk_families = Set(count(
            "input.stuntingRiskFamilies",
            input.stunting_risk_families,
        )?);
        am.stunting_cases = Set(count("input.stuntingCases", input.stunting_cases)?);
        am.stunting_prevalence = Set(input.stunting_prevalence);
        am.idm_status = Set(input.idm_status.map(Into::into));
        am.priority = Set(input.priority);
        am.updated_at = Set(now);
        let after = if before.is_some() {
            am.update(&w.txn).await
        } else {
            am.insert(&w.txn).await
        }
        .map_err(AppError::from)?;
        let action = if before.is_some() { "update" } else { "create" };
        audit::record(
            &w.txn,
            &actor,
            "village_indicator",
            &after.id,
            action,
            before.as_ref(),
            Some(&after),
        )
        .await
        .map_err(AppError::from)?;
        w.commit().await?;
        Ok(VillageIndicators(after))
    }
}
