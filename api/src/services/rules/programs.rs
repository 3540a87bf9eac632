//! The rules on a program's own values and on its targets.

use super::FISCAL_YEAR_MESSAGE;
use crate::services::FISCAL_YEARS;

/// Longest program name, in characters.
pub const PROGRAM_NAME_MAX: usize = 200;
/// Longest program code, in characters.
pub const PROGRAM_CODE_MAX: usize = 64;
/// Longest program description, in characters.
pub const PROGRAM_DESCRIPTION_MAX: usize = 4000;
/// Longest unit of a program target (`kawasan`, `desa`, ...), in characters.
pub const TARGET_UNIT_MAX: usize = 64;
/// Why a program's years are refused.
pub const PROGRAM_YEARS_MESSAGE: &str = "must not be before the start year";

/// A value of a program that a rule speaks about: the mutation names it by its input field, the
/// import by its column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProgramField {
    /// `name`.
    Name,
    /// `code`.
    Code,
    /// `description`.
    Description,
    /// `start_year`.
    StartYear,
    /// `end_year`.
    EndYear,
}

/// Every rule on a program's own values, whoever writes it (`createProgram`, `updateProgram`, the
/// spreadsheet import): name and code lengths, fiscal years, and a start no later than the end.
/// The first rule broken comes back with the value it speaks about.
pub fn program(p: &entity::program::Model) -> Result<(), (ProgramField, String)> {
    use ProgramField as F;
    if p.name.trim().is_empty() {
        return Err((F::Name, "must not be blank".into()));
    }
    if p.name.chars().count() > PROGRAM_NAME_MAX {
        return Err((F::Name, format!("at most {PROGRAM_NAME_MAX} characters")));
    }
    if p.code
        .as_ref()
        .is_some_and(|c| c.chars().count() > PROGRAM_CODE_MAX)
    {
        return Err((F::Code, format!("at most {PROGRAM_CODE_MAX} characters")));
    }
    let long = |d: &String| d.chars().count() > PROGRAM_DESCRIPTION_MAX;
    if p.description.as_ref().is_some_and(long) {
        return Err((
            F::Description,
            format!("at most {PROGRAM_DESCRIPTION_MAX} characters"),
        ));
    }
    for (field, year) in [(F::StartYear, p.start_year), (F::EndYear, p.end_year)] {
        if !FISCAL_YEARS.contains(&year) {
            return Err((field, FISCAL_YEAR_MESSAGE.into()));
        }
    }
    if p.start_year > p.end_year {
        return Err((F::EndYear, PROGRAM_YEARS_MESSAGE.into()));
    }
    Ok(())
}

/// A program target is a finite number, never negative.
pub fn target_value(value: f64) -> Result<(), String> {
    if !value.is_finite() || value < 0.0 {
        return Err("never negative".into());
    }
    Ok(())
}
