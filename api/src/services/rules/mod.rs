//! The contribution rules that do not need the database, shared by the GraphQL mutations and the
//! spreadsheet import (issue 6), so a row is refused in a file for exactly the reasons the same
//! record would be refused through `createContribution`/`updateContribution`.
//!
//! Each rule returns the mutation's own error (`BAD_USER_INPUT` naming the input field); the import
//! maps the field to the column of the file. The mutations load the region and program themselves
//! (one row at a time); the import preloads them for the whole file.

mod programs;
mod village_indicators;

pub use programs::*;
pub use village_indicators::*;

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
    /// `title`.
    Title,
    /// `description`.
    Description,
    /// `region_code`.
    Region,
    /// `source`.
    Source,
    /// `program_id`.
    Program,
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

/// The records a contribution points at, as its rules need them. The mutations load them one
/// contribution at a time; the import preloads them for the whole file.
#[derive(Clone, Copy)]
pub struct Related<'a> {
    /// The contributing organization.
    pub contributor: &'a entity::organization::Model,
    /// The region, `None` when the hub has no region with the contribution's code.
    pub region: Option<&'a entity::region::Model>,
    /// The program, `None` when the contribution names none, or names one the hub does not have
    /// (then `program_found` is false).
    pub program: Option<&'a entity::program::Model>,
    /// False when the contribution names a program the hub does not have.
    pub program_found: bool,
}

/// Every rule a saved contribution obeys, whatever changed and whoever writes it: its own values
/// ([`contribution_values`]), its title and description, its region, its program's years, and its
/// amounts against its status. The first rule broken comes back with the value it speaks about.
/// `createContribution`, `updateContribution`, `setContributionStatus` and the spreadsheet import
/// all call this one function, so a rule added here holds on every path.
pub fn contribution(
    c: &entity::contribution::Model,
    r: Related<'_>,
) -> Result<(), (Field, String)> {
    if let Some(broken) = contribution_values(c.into()).into_iter().next() {
        return Err(broken);
    }
    if c.title.trim().is_empty() {
        return Err((Field::Title, "must not be blank".into()));
    }
    if c.title.chars().count() > TITLE_MAX {
        return Err((Field::Title, format!("at most {TITLE_MAX} characters")));
    }
    if c.description
        .as_ref()
        .is_some_and(|d| d.chars().count() > DESCRIPTION_MAX)
    {
        return Err((
            Field::Description,
            format!("at most {DESCRIPTION_MAX} characters"),
        ));
    }
    let Some(region) = r.region else {
        return Err((
            Field::Region,
            format!("no region {} in the hub", c.region_code),
        ));
    };
    contribution_region(c, r.contributor, region)?;
    if !r.program_found {
        return Err((Field::Program, "no such program".into()));
    }
    if let Some(p) = r.program {
        contribution_program(c, p)?;
    }
    contribution_amounts(c)
}

/// A village government's money and APBDes money go to a village; APBDes only to a desa, since a
/// kelurahan has no village budget.
fn contribution_region(
    c: &entity::contribution::Model,
    contributor: &entity::organization::Model,
    region: &entity::region::Model,
) -> Result<(), (Field, String)> {
    if (c.source == Source::Apbdes || contributor.helix == Helix::Village)
        && region.level != RegionLevel::Village
    {
        return Err((
            Field::Region,
            "a village-level contribution must point at a village".into(),
        ));
    }
    if c.source == Source::Apbdes && region.village_kind != Some(VillageKind::Desa) {
        return Err((
            Field::Source,
            format!("{} is a kelurahan: it has no APBDes", region.name),
        ));
    }
    Ok(())
}

/// The fiscal year falls inside the program's years.
fn contribution_program(
    c: &entity::contribution::Model,
    p: &entity::program::Model,
) -> Result<(), (Field, String)> {
    if c.fiscal_year < p.start_year || c.fiscal_year > p.end_year {
        return Err((
            Field::FiscalYear,
            format!(
                "{} runs {}–{}: {} is outside it",
                p.name, p.start_year, p.end_year, c.fiscal_year
            ),
        ));
    }
    Ok(())
}

/// Committed never below disbursed; a committed (or later) contribution has its committed amount.
fn contribution_amounts(c: &entity::contribution::Model) -> Result<(), (Field, String)> {
    if c.amount_committed < c.amount_disbursed {
        return Err((
            Field::AmountCommitted,
            "the committed amount cannot fall below what was already disbursed".into(),
        ));
    }
    if c.status != Status::Planned
        && c.status != Status::Cancelled
        && c.amount_committed == 0
        && c.amount_planned > 0
    {
        return Err((
            Field::AmountCommitted,
            "a committed contribution needs its committed amount".into(),
        ));
    }
    Ok(())
}

/// Longest organization name, in characters.
pub const ORGANIZATION_NAME_MAX: usize = 200;

/// An organization's name, trimmed: never blank, at most [`ORGANIZATION_NAME_MAX`] characters.
pub fn organization_name(raw: &str) -> Result<String, String> {
    let name = raw.trim();
    if name.is_empty() {
        return Err("must not be blank".into());
    }
    if name.chars().count() > ORGANIZATION_NAME_MAX {
        return Err(format!("at most {ORGANIZATION_NAME_MAX} characters"));
    }
    Ok(name.to_string())
}
