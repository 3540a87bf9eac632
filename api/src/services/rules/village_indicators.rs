//! The rules on a village's indicators for a year.

use super::FISCAL_YEAR_MESSAGE;
use crate::services::FISCAL_YEARS;

/// Longest source of village indicators (`DTKS`, `BPS 2025`, ...), in characters.
pub const INDICATOR_SOURCE_MAX: usize = 100;

/// A value of a village's indicators that a rule speaks about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IndicatorField {
    /// `fiscal_year`.
    FiscalYear,
    /// `source`.
    Source,
    /// `households`.
    Households,
    /// `population`.
    Population,
    /// `poor_households`.
    PoorHouseholds,
    /// The four decile counts.
    Deciles,
    /// `stunting_risk_families`.
    StuntingRiskFamilies,
    /// `stunting_cases`.
    StuntingCases,
    /// `stunting_prevalence`.
    StuntingPrevalence,
}

/// Every rule on a village's indicators for a year, whoever writes them (`setVillageIndicators`,
/// the spreadsheet import): the year, the source, counts never negative, poor households at most
/// the households, the deciles all four or none, prevalence a percentage.
pub fn indicators(m: &entity::village_indicator::Model) -> Result<(), (IndicatorField, String)> {
    use IndicatorField as F;
    if !FISCAL_YEARS.contains(&m.fiscal_year) {
        return Err((F::FiscalYear, FISCAL_YEAR_MESSAGE.into()));
    }
    if m.source.trim().is_empty() {
        return Err((F::Source, "must not be blank".into()));
    }
    if m.source.chars().count() > INDICATOR_SOURCE_MAX {
        return Err((
            F::Source,
            format!("at most {INDICATOR_SOURCE_MAX} characters"),
        ));
    }
    let counts = [
        (F::Households, m.households),
        (F::Population, m.population),
        (F::PoorHouseholds, m.poor_households),
        (F::StuntingRiskFamilies, m.stunting_risk_families),
        (F::StuntingCases, m.stunting_cases),
    ];
    for (field, n) in counts {
        if n.is_some_and(|n| n < 0) {
            return Err((field, "never negative".into()));
        }
    }
    let deciles = [
        m.households_decile1,
        m.households_decile2,
        m.households_decile3,
        m.households_decile4,
    ];
    let given = deciles.iter().filter(|d| d.is_some()).count();
    if (given != 0 && given != 4) || deciles.iter().flatten().any(|n| *n < 0) {
        return Err((F::Deciles, "four numbers, none negative".into()));
    }
    if m.stunting_prevalence
        .is_some_and(|p| !(0.0..=100.0).contains(&p))
    {
        return Err((
            F::StuntingPrevalence,
            "a percentage between 0 and 100".into(),
        ));
    }
    if let (Some(p), Some(h)) = (m.poor_households, m.households)
        && p > h
    {
        return Err((F::PoorHouseholds, "cannot exceed households".into()));
    }
    Ok(())
}
