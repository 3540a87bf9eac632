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

/// An amount is whole Rupiah and never negative.
pub fn money(field: &str, amount: i64) -> AppResult<i64> {
    if amount < 0 {
        return Err(AppError::bad_input(field, "an amount is never negative"));
    }
    Ok(amount)
}

/// A number of beneficiaries is never negative.
pub fn beneficiaries(field: &str, n: Option<i32>) -> AppResult<Option<i32>> {
    match n {
        Some(b) if b < 0 => Err(AppError::bad_input(field, "never negative")),
        other => Ok(other),
    }
}

/// A fiscal year between 2000 and 2100.
pub fn fiscal_year(field: &str, year: i32) -> AppResult<()> {
    if !FISCAL_YEARS.contains(&year) {
        return Err(AppError::bad_input(
            field,
            "a fiscal year between 2000 and 2100",
        ));
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
