//! The first pass over a contributions file: each row's cells parsed into a contribution, with every
//! problem of the row (column, value, reason) in the order of its columns. Nothing here needs the
//! stored rows; what does waits for the plan.

use super::*;

/// Checks every row, reporting progress; the rows with problems are left out, their problems are
/// in `report`.
pub(super) fn check_rows<'a>(
    l: &'a Lookups<'a>,
    report: &mut Report,
    progress: &mut (dyn FnMut(&str, usize, usize) + Send),
) -> Vec<Checked<'a>> {
    let total = l.sheet.rows.len();
    let mut checked: Vec<Checked> = Vec::with_capacity(total);
    for (n, (row, r)) in l.sheet.rows.iter().enumerate() {
        if n > 0 && n.is_multiple_of(PROGRESS_EVERY) {
            progress("checked", n, total);
        }
        match check_row(l, Cells::new(l.sheet, *row, r)) {
            Ok(c) => checked.push(c),
            Err(problems) => report.problems.extend(problems),
        }
    }
    checked
}

/// The enum cells of a row.
struct Enums {
    source: Option<FundingSource>,
    kind: Option<ContributionKind>,
    status_cell: String,
    status_given: Option<Status>,
    target_group: Option<TargetGroup>,
}

/// The numbers of a row, after the value rules the mutations share.
struct Numbers {
    year: Option<i32>,
    beneficiaries: Option<i32>,
    planned: Option<i64>,
    committed: Option<i64>,
}

/// One row: its cells in column order, then the contribution rules that need no stored row (the
/// amount rules wait for the stored row, whose disbursed amount and status they judge).
fn check_row<'a>(l: &Lookups<'a>, mut c: Cells<'a>) -> Result<Checked<'a>, Vec<Problem>> {
    let key = key(&mut c);
    let contributor_cell = c.get(CONTRIBUTOR);
    let contributor = contributor(l, &mut c, &contributor_cell);
    let enums = enums(&mut c);
    let numbers = numbers(&mut c);
    let title_cell = c.get(TITLE);
    let title = writes::text("", &title_cell, rules::TITLE_MAX)
        .map_err(|e| c.problem(TITLE, &title_cell, text_reason(e)))
        .ok();
    let desc_cell = c.get(DESCRIPTION);
    let description = writes::opt_text("", Some(&desc_cell), rules::DESCRIPTION_MAX)
        .map_err(|e| c.problem(DESCRIPTION, &desc_cell, text_reason(e)))
        .ok()
        .flatten();
    let region = region(l, &mut c);
    let program = program(l, &mut c);
    if !c.problems.is_empty() {
        return Err(c.problems);
    }
    let (
        Some(contributor),
        Some(source),
        Some(kind),
        Some(year),
        Some(planned),
        Some(committed),
        Some(title),
        Some(region),
    ) = (
        contributor,
        enums.source,
        enums.kind,
        numbers.year,
        numbers.planned,
        numbers.committed,
        title,
        region,
    )
    else {
        return Err(c.problems);
    };
    let model = entity::contribution::Model {
        id: new_id(),
        contributor_id: contributor.id.clone(),
        source,
        kind,
        region_code: region.code.clone(),
        program_id: program.map(|p| p.id.clone()),
        fiscal_year: year,
        title,
        description,
        target_group: enums.target_group,
        beneficiaries: numbers.beneficiaries,
        amount_planned: planned,
        amount_committed: committed,
        amount_disbursed: 0,
        amount_realised: 0,
        status: enums.status_given.unwrap_or(Status::Planned),
        version: 1,
        created_by: l.importer.user_id().map(str::to_string),
        created_at: l.now,
        updated_at: l.now,
        external_key: Some(key.clone()),
        // Set in `plan_row` once the stored row is known.
        verification: entity::enums::Verification::Submitted,
        verification_note: None,
    };
    let related = rules::Related {
        contributor,
        region: Some(region),
        program,
        program_found: true,
    };
    if let Err((field, message)) = rules::contribution(&model, related)
        && field != rules::Field::AmountCommitted
    {
        let col = column_of(field);
        let cell = c.get(col);
        c.problem(col, &cell, message);
        return Err(c.problems);
    }
    Ok(Checked {
        row: c.row,
        cells: c.cells,
        key,
        contributor_cell,
        status_cell: enums.status_cell,
        status_given: enums.status_given,
        model,
        related,
    })
}

fn key(c: &mut Cells) -> String {
    let key = c.get(KEY);
    if key.is_empty() {
        c.problem(KEY, "", "required: the organization's own row id");
    } else if key.chars().count() > 128 {
        c.problem(KEY, &key, "at most 128 characters");
    }
    key
}

/// The contributing organization: the cell's, or the importer's own when it is empty.
fn contributor<'a>(
    l: &Lookups<'a>,
    c: &mut Cells,
    cell: &str,
) -> Option<&'a entity::organization::Model> {
    if cell.is_empty() {
        let own = l.importer.organization_id().and_then(|id| l.orgs.id(id));
        if own.is_none() {
            c.problem(CONTRIBUTOR, "", "name the contributing organization");
        }
        return own;
    }
    match l.orgs.find(cell) {
        Ok(o) => Some(o),
        Err(several) if several > 1 => {
            let why = format!("{several} organizations have this name: give the id");
            c.problem(CONTRIBUTOR, cell, why);
            None
        }
        Err(_) => {
            c.problem(CONTRIBUTOR, cell, "unknown organization");
            None
        }
    }
}

fn enums(c: &mut Cells) -> Enums {
    let source_cell = c.get(SOURCE);
    let source = parse_enum(&source_cell, Kind::Source, SOURCE_LABELS);
    if source.is_none() {
        let why = "unknown funding source (see the template)";
        c.problem(SOURCE, &source_cell, why);
    }
    let kind_cell = c.get(KIND);
    let kind = parse_enum(&kind_cell, Kind::ContributionKind, KIND_LABELS);
    if kind.is_none() {
        let why = "unknown contribution kind (see the template)";
        c.problem(KIND, &kind_cell, why);
    }
    let status_cell = c.get(STATUS);
    let mut status_given = None;
    if !status_cell.is_empty() {
        status_given = parse_enum(&status_cell, Kind::ContributionStatus, STATUS_LABELS);
        if status_given.is_none() {
            let why = "an imported contribution is PLANNED (Rencana) or COMMITTED (Komitmen)";
            c.problem(STATUS, &status_cell, why);
        }
    }
    let group_cell = c.get(TARGET_GROUP);
    let mut target_group = None;
    if !group_cell.is_empty() {
        target_group = parse_enum(&group_cell, Kind::TargetGroup, TARGET_LABELS);
        if target_group.is_none() {
            let why = "unknown target group (see the template)";
            c.problem(TARGET_GROUP, &group_cell, why);
        }
    }
    Enums {
        source,
        kind,
        status_cell,
        status_given,
        target_group,
    }
}

/// Year, beneficiaries and amounts, then the value rules of `rules::contribution_values`.
fn numbers(c: &mut Cells) -> Numbers {
    let year_cell = c.get(YEAR);
    let year = year_cell.parse::<i32>().ok();
    if year.is_none() {
        c.problem(YEAR, &year_cell, rules::FISCAL_YEAR_MESSAGE);
    }
    let ben_cell = c.get(BENEFICIARIES);
    let mut beneficiaries = None;
    if !ben_cell.is_empty() {
        beneficiaries = ben_cell.parse::<i32>().ok();
        if beneficiaries.is_none() {
            c.problem(BENEFICIARIES, &ben_cell, "a whole number");
        }
    }
    let planned = amount(c, PLANNED, true);
    let committed = amount(c, COMMITTED, false);
    let values = rules::Values {
        fiscal_year: year,
        beneficiaries,
        amount_planned: planned,
        amount_committed: committed,
    };
    for (field, message) in rules::contribution_values(values) {
        let col = column_of(field);
        let cell = c.get(col);
        c.problem(col, &cell, message);
    }
    Numbers {
        year,
        beneficiaries,
        planned,
        committed,
    }
}

/// An amount cell: required, or 0 when empty.
fn amount(c: &mut Cells, col: usize, required: bool) -> Option<i64> {
    let cell = c.get(col);
    if cell.is_empty() {
        if required {
            c.problem(col, "", "required");
            return None;
        }
        return Some(0);
    }
    match parse_amount(&cell) {
        Ok(a) => Some(a),
        Err(why) => {
            c.problem(col, &cell, why);
            None
        }
    }
}

/// The region, by code, or by name below the row's regency (its own column, else the file's).
fn region<'a>(l: &Lookups<'a>, c: &mut Cells) -> Option<&'a entity::region::Model> {
    let raw = c.get(REGION);
    let name = match region_cell(&raw) {
        RegionCell::Code(code) => {
            let found = l.regions.by_code.get(code.as_str());
            if found.is_none() {
                c.problem(REGION, &raw, format!("no region {code} in the hub"));
            }
            return found;
        }
        RegionCell::Bad(why) => {
            c.problem(REGION, &raw, why);
            return None;
        }
        RegionCell::Name(name) => name,
    };
    let reg = regency(l, c, &raw)?;
    l.regions
        .pick(c, (REGION, &raw), (&reg, &name), ("region", "regions"))
}

/// The regency a region name in `raw` is looked up under.
fn regency(l: &Lookups, c: &mut Cells, raw: &str) -> Option<String> {
    let own = c.get(REGENCY);
    if own.is_empty() {
        if l.default_regency.is_none() {
            c.problem(
                REGION,
                raw,
                "a region name needs the file's regency (--regency, ?regency= or a kabupaten column); or give the code",
            );
        }
        return l.default_regency.map(str::to_string);
    }
    match RegionCode::parse(&own) {
        Ok(code) if code.level() == RegionLevel::Regency => Some(code.to_string()),
        _ => {
            c.problem(REGENCY, &own, "not a regency code (e.g. 33.26)");
            None
        }
    }
}

/// The program, by code or id; none when the cell is empty.
fn program<'a>(l: &Lookups<'a>, c: &mut Cells) -> Option<&'a entity::program::Model> {
    let cell = c.get(PROGRAM);
    if cell.is_empty() {
        return None;
    }
    let found = l.programs.get(&cell.to_lowercase()).copied();
    if found.is_none() {
        c.problem(PROGRAM, &cell, "no such program (give its code or id)");
    }
    found
}
