//! A village's poverty and stunting indicators for one fiscal year, as imported or set by its
//! organizations and verified by the region's coordinators.

use crate::schema::enums::IdmStatus;
use crate::schema::scalars::Date;
use async_graphql::Object;

/// Indicators of one village for one fiscal year.
pub struct VillageIndicators(pub entity::village_indicator::Model);

#[Object]
impl VillageIndicators {
    /// Stable id (for verification).
    async fn id(&self) -> async_graphql::ID {
        async_graphql::ID(self.0.id.clone())
    }
    /// Version for optimistic concurrency: send it back to `setVillageIndicators` to replace
    /// this year's figures, or with a verification step.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// Where they stand with the region's coordinators: SUBMITTED (waiting), VERIFIED or RETURNED.
    async fn verification(&self) -> crate::schema::enums::Verification {
        self.0.verification.into()
    }
    /// What to fix, when RETURNED.
    async fn verification_note(&self) -> Option<&str> {
        self.0.verification_note.as_deref()
    }
    /// The village.
    async fn village_code(&self) -> &str {
        &self.0.village_code
    }
    /// Fiscal year they describe.
    async fn fiscal_year(&self) -> i32 {
        self.0.fiscal_year
    }
    /// Where they come from: DTKS/P3KE, BPS, e-PPGBM, IDM.
    async fn source(&self) -> &str {
        &self.0.source
    }
    /// Date the source's figures refer to.
    async fn as_of(&self) -> Date {
        Date(self.0.as_of)
    }
    /// Households.
    async fn households(&self) -> Option<i32> {
        self.0.households
    }
    /// Population.
    async fn population(&self) -> Option<i32> {
        self.0.population
    }
    /// Poor households (rumah tangga miskin, RTM).
    async fn poor_households(&self) -> Option<i32> {
        self.0.poor_households
    }
    /// Households in welfare deciles 1 to 4, in that order (null when not recorded).
    async fn households_by_decile(&self) -> Option<Vec<i32>> {
        let m = &self.0;
        match (
            m.households_decile1,
            m.households_decile2,
            m.households_decile3,
            m.households_decile4,
        ) {
            (Some(a), Some(b), Some(c), Some(d)) => Some(vec![a, b, c, d]),
            _ => None,
        }
    }
    /// Families at risk of stunting (with pregnant or breastfeeding mothers, toddlers, or about to marry).
    async fn stunting_risk_families(&self) -> Option<i32> {
        self.0.stunting_risk_families
    }
    /// Stunting cases.
    async fn stunting_cases(&self) -> Option<i32> {
        self.0.stunting_cases
    }
    /// Stunting prevalence, percent.
    async fn stunting_prevalence(&self) -> Option<f64> {
        self.0.stunting_prevalence
    }
    /// IDM status.
    async fn idm_status(&self) -> Option<IdmStatus> {
        self.0.idm_status.map(Into::into)
    }
    /// Flagged as a priority village (desa merah / lokus) this year.
    async fn priority(&self) -> bool {
        self.0.priority
    }
}
