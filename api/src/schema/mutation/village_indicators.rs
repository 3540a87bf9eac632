//! `setVillageIndicators`: parses its input and calls `services::indicators::set` in one
//! transaction.

use super::{actor, begin};
use crate::error::GqlResult;
use crate::schema::enums::IdmStatus;
use crate::schema::scalars::Date;
use crate::schema::types::region::VillageIndicators;
use crate::services::indicators as service;
use async_graphql::{Context, InputObject, Object};

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

impl From<VillageIndicatorsInput> for service::Indicators {
    fn from(i: VillageIndicatorsInput) -> Self {
        Self {
            village_code: i.village_code,
            fiscal_year: i.fiscal_year,
            source: i.source,
            as_of: i.as_of.0,
            households: i.households,
            population: i.population,
            poor_households: i.poor_households,
            households_by_decile: i.households_by_decile,
            stunting_risk_families: i.stunting_risk_families,
            stunting_cases: i.stunting_cases,
            stunting_prevalence: i.stunting_prevalence,
            idm_status: i.idm_status.map(Into::into),
            priority: i.priority,
        }
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
        let actor = actor(ctx)?;
        let w = begin(ctx).await?;
        let row = service::set(&w.txn, &actor, input.into(), version).await?;
        w.commit().await?;
        Ok(VillageIndicators(row))
    }
}
