//! The contribution rules that do not need the database, shared by the GraphQL mutations and the
//! spreadsheet import (issue 6), so a row is refused in a file for exactly the reasons the same
//! record would be refused through `createContribution`/`updateContribution`.
//!
//! Each rule returns the mutation's own error (`BAD_USER_INPUT` naming the input field); the import
//! maps the field to the column of the file. The mutations load the region and program themselves
//! (one row at a time); the import preloads them for the whole file.

use crate::error::{AppError, AppResult};
use crate::services::FISCAL_YEARS;
use entity::enums::VillageKind;
use entity::enums::{ContributionStatus as Status, FundingSource as Source, Helix, RegionLevel};

/// Longest contribution title, in characters.
pub const TITLE_MAX: usize = 200;
/// Longest contribution description, in characters.
pub const DESCRIPTION_MAX: usize = 4000;
/// Most beneficiaries one contribution may have: more people than Indonesia has (about 280 million)
/// is a typing slip, such as an amount in the wrong column.
pub const BENEFICIARIES_MAX: i32 = 300_000_000;
/// Why a fiscal year is refused.
pub const FISCAL_YEAR_MESSAGE: &str = "a fiscal year between 2000 and 2100";
/// Why a negative amount is refused.
pub const NEGATIVE_AMOUNT_MESSAGE: &str = "an amount is never negative";

/// A value of a contribution that a rule speaks about: the mutation names it by its input field
/// (`input.beneficiaries`), the import by its column (`penerima_manfaat`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    /// `fiscal_year`.
    FiscalYear,
    /// `beneficiaries`.
    Beneficiaries,
    /// `amount_planned`.
    AmountPlanned,
    /// `amount_committed`.
    AmountCommitted,
}

/// The values of a contribution that [`contribution_values`] judges; `None` is a value the caller
/// does not have (an import's cell that did not parse), which no rule judges.
#[derive(Clone, Copy, Debug, Default)]
pub struct Values {
    /// Fiscal year.
    pub fiscal_year: Option<i32>,
    /// Number of beneficiaries.
    pub beneficiaries: Option<i32>,
    /// Planned amount.
    pub amount_planned: Option<i64>,
    /// Committed amount.
    pub amount_committed: Option<i64>,
}

impl From<&entity::contribution::Model> for Values {
    fn from(c: &entity::contribution::Model) -> Self {
        Self {
            fiscal_year: Some(c.fiscal_year),
            beneficiaries: c.beneficiaries,
            amount_planned: Some(c.amount_planned),
            amount_committed: Some(c.amount_committed),
        }
    }
}

/// Every rule on a contribution's own values (those that need no other record), each broken one
/// with its reason. The mutations call it on the record they are about to save and the import on
/// each row's cells, so a rule added here holds on both paths.
pub fn contribution_values(v: Values) -> Vec<(Field, String)> {
    let mut broken = Vec::new();
    if v.fiscal_year.is_some_and(|y| !FISCAL_YEARS.contains(&y)) {
        broken.push((Field::FiscalYear, FISCAL_YEAR_MESSAGE.to_string()));
    }
    match v.beneficiaries {
        Some(b) if b < 0 => broken.push((Field::Beneficiaries, "never negative".to_string())),
        Some(b) if b > BENEFICIARIES_MAX => broken.push((
            Field::Beneficiaries,
            format!("at most {BENEFICIARIES_MAX} (more people than Indonesia has)"),
        )),
        _ => {}
    }
    for (field, amount) in [
        (Field::AmountPlanned, v.amount_planned),
        (Field::AmountCommitted, v.amount_committed),
    ] {
        if amount.is_some_and(|a| a < 0) {
            broken.push((field, NEGATIVE_AMOUNT_MESSAGE.to_string()));
        }
    }
    broken
}

/// An amount is whole Rupiah and never negative.
pub fn money(field: &str, amount: i64) -> AppResult<i64> {
    if amount < 0 {
        return Err(AppError::bad_input(field, NEGATIVE_AMOUNT_MESSAGE));
    }
    Ok(amount)
}

/// A fiscal year between 2000 and 2100.
pub fn fiscal_year(field: &str, year: i32) -> AppResult<()> {
    if !FISCAL_YEARS.contains(&year) {
        return Err(AppError::bad_input(field, FISCAL_YEAR_MESSAGE));
    }
    Ok(())
}

/// A village government's money and APBDes money go to a village; APBDes only to a desa, since a
/// kelurahan has no village budget.
pub fn contribution_region(
    c: &entity::contribution::Model,
    contributor: &entity::organization::Model,
    region: &entity::region::Model,
    region_field: &str,
    source_field: &str,
) -> AppResult<()> {
    if (c.source == Source::Apbdes || contributor.helix == Helix::Village)
        && region.level != RegionLevel::Village
    {
        return Err(AppError::bad_input(
            region_field,
            "a village-level contribution must point at a village",
        ));
    }
    if c.source == Source::Apbdes && region.village_kind != Some(VillageKind::Desa) {
        return Err(AppError::bad_input(
            source_field,
            format!("{} is a kelurahan: it has no APBDes", region.name),
        ));
    }
    Ok(())
}

/// The fiscal year falls inside the program's years.
pub fn contribution_program(
    c: &entity::contribution::Model,
    p: &entity::program::Model,
    field: &str,
) -> AppResult<()> {
    if c.fiscal_year < p.start_year || c.fiscal_year > p.end_year {
        return Err(AppError::bad_input(
            field,
            format!(
                "{} runs {}–{}: {} is outside it",
                p.name, p.start_year, p.end_year, c.fiscal_year
            ),
        ));
    }
    Ok(())
}

/// Committed never below disbursed; a committed (or later) contribution has its committed amount.
pub fn contribution_amounts(c: &entity::contribution::Model, field: &str) -> AppResult<()> {
    if c.amount_committed < c.amount_disbursed {
        return Err(AppError::bad_input(
            field,
            "the committed amount cannot fall below what was already disbursed",
        ));
    }
    if c.status != Status::Planned
        && c.status != Status::Cancelled
        && c.amount_committed == 0
        && c.amount_planned > 0
    {
        return Err(AppError::bad_input(
            field,
            "a committed contribution needs its committed amount",
        ));
    }
    Ok(())
}
