//! The first pass over a programs file: each row's cells parsed into the program it states,
//! with every problem of the row in the order of its columns.

use super::*;

/// The first pass: every row's cells; a code once in the file.
pub(super) fn check_rows(l: &Lookups, report: &mut Report) -> Vec<Row> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut checked: Vec<Row> = Vec::new();
    for (row, r) in &l.sheet.rows {
        let mut c = Cells::new(l.sheet, *row, r);
        let result = check_row(l, &mut c, &mut seen);
        checked.extend(c.finish(report, result));
    }
    checked
}

fn check_row(l: &Lookups, c: &mut Cells, seen: &mut HashMap<String, usize>) -> Option<Row> {
    let code_cell = c.get(CODE);
    let code = writes::text("", &code_cell, rules::PROGRAM_CODE_MAX)
        .map_err(|e| c.problem(CODE, &code_cell, text_reason(e)))
        .ok();
    if let Some(k) = &code
        && let Some(first) = seen.insert(k.to_lowercase(), c.row)
    {
        let why = format!("code repeated: already on row {first}");
        c.problem(CODE, &code_cell, why);
    }
    let before = code
        .as_ref()
        .and_then(|k| l.by_code.get(&k.to_lowercase()))
        .map(|p| (*p).clone());
    let name_cell = c.get(PNAME);
    let name = writes::text("", &name_cell, rules::PROGRAM_NAME_MAX)
        .map_err(|e| c.problem(PNAME, &name_cell, text_reason(e)))
        .ok();
    let desc_cell = c.get(PDESC);
    let description = writes::opt_text("", Some(&desc_cell), rules::PROGRAM_DESCRIPTION_MAX)
        .map_err(|e| c.problem(PDESC, &desc_cell, text_reason(e)))
        .ok()
        .flatten();
    let owner = owner(l, c, before.as_ref());
    let cluster_cell = c.get(CLUSTER);
    let cluster = parse_enum(&cluster_cell, crate::labels::Kind::Cluster, CLUSTER_LABELS);
    if cluster.is_none() {
        c.problem(CLUSTER, &cluster_cell, "cluster I, II, III or IV");
    }
    let (start, end) = years(c);
    let targets = targets(c, start.zip(end));
    let villages = villages(l, c);
    let (code, name, owner, cluster, start, end) = (code?, name?, owner?, cluster?, start?, end?);
    let state = ProgramState {
        code: Some(code),
        name,
        description,
        owner_id: owner.id.clone(),
        cluster,
        start_year: start,
        end_year: end,
        targets,
        villages,
    };
    Some((c.row, before, state))
}

/// The owner, and whether the importer may manage its programs (and the stored owner's).
fn owner<'a>(
    l: &Lookups<'a>,
    c: &mut Cells,
    before: Option<&program::Model>,
) -> Option<&'a entity::organization::Model> {
    let cell = c.get(OWNER);
    let Ok(o) = l.orgs.find(&cell) else {
        c.problem(OWNER, &cell, "unknown organization");
        return None;
    };
    let what = "manage this organization's programs";
    let mut denied = l
        .importer
        .require_coordinator_of(&o.region_code, what)
        .err();
    if let Some(b) = before
        && denied.is_none()
        && let Some(old) = l.orgs.id(&b.owner_id)
    {
        denied = l
            .importer
            .require_coordinator_of(&old.region_code, what)
            .err();
    }
    if let Some(e) = denied {
        c.forbid(OWNER, &cell, e);
    }
    Some(o)
}

/// Start and end years, each in 2000–2100, in order.
fn years(c: &mut Cells) -> (Option<i32>, Option<i32>) {
    let mut year = |col: usize| -> Option<i32> {
        let cell = c.get(col);
        match cell.parse::<i32>() {
            Ok(y) if crate::services::FISCAL_YEARS.contains(&y) => Some(y),
            _ => {
                c.problem(col, &cell, rules::FISCAL_YEAR_MESSAGE);
                None
            }
        }
    };
    let start = year(START);
    let end = year(END);
    if let (Some(s), Some(e)) = (start, end)
        && s > e
    {
        c.problem(END, &e.to_string(), rules::PROGRAM_YEARS_MESSAGE);
    }
    (start, end)
}

/// The yearly targets, `year:unit:target[:realised]`, sorted by year and unit.
fn targets(c: &mut Cells, years: Option<(i32, i32)>) -> Vec<Target> {
    let mut targets: Vec<Target> = Vec::new();
    let mut keys: HashSet<(i32, String)> = HashSet::new();
    for part in split(&c.get(TARGETS)) {
        let bits: Vec<&str> = part.split(':').map(str::trim).collect();
        let num = |s: &str| {
            s.replace(',', ".")
                .parse::<f64>()
                .ok()
                .filter(|f| f.is_finite())
        };
        let parsed = match bits.as_slice() {
            [y, u, t] => Some((y.parse::<i32>().ok(), *u, num(t), None)),
            [y, u, t, re] => Some((y.parse::<i32>().ok(), *u, num(t), Some(num(re)))),
            _ => None,
        };
        let Some((Some(y), u, Some(t), re)) = parsed else {
            let why = "year:unit:target[:realised], e.g. 2026:kawasan:192";
            c.problem(TARGETS, &part, why);
            continue;
        };
        if u.is_empty() || u.chars().count() > 64 {
            let why = "year:unit:target[:realised], e.g. 2026:kawasan:192";
            c.problem(TARGETS, &part, why);
            continue;
        }
        let realised = match re {
            None => None,
            Some(Some(v)) => Some(v),
            Some(None) => {
                c.problem(TARGETS, &part, "the realisation is not a number");
                continue;
            }
        };
        if t < 0.0 || realised.is_some_and(|v| v < 0.0) {
            c.problem(TARGETS, &part, "never negative");
        } else if let Some((s, e)) = years
            && !(s..=e).contains(&y)
        {
            c.problem(TARGETS, &part, "outside the program's years");
        } else if !keys.insert((y, u.to_string())) {
            c.problem(TARGETS, &part, "the same year and unit twice");
        } else {
            targets.push((y, u.to_string(), t, realised));
        }
    }
    targets.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    targets
}

/// The target villages, by code or by name below the file's regency, each inside the importer's
/// region; sorted, once each.
fn villages(l: &Lookups, c: &mut Cells) -> Vec<String> {
    let mut villages: Vec<String> = Vec::new();
    for v in split(&c.get(VILLAGES)) {
        let found: Option<&entity::region::Model> = match region_cell(&v) {
            RegionCell::Code(code) => l.regions.by_code.get(code.as_str()),
            RegionCell::Name(n) => {
                match l
                    .default_regency
                    .map_or(&[][..], |reg| l.regions.named(reg, &n))
                {
                    [one] => Some(one),
                    several if several.len() > 1 => {
                        let why = format!("ambiguous: {}; give the code", candidates(several));
                        c.problem(VILLAGES, &v, why);
                        continue;
                    }
                    _ => None,
                }
            }
            RegionCell::Bad(why) => {
                c.problem(VILLAGES, &v, why);
                continue;
            }
        };
        match found {
            Some(m) if m.level == RegionLevel::Village => {
                if !l.importer.is_admin() && !l.importer.coordinates(&m.code) {
                    let why = format!("village {} is outside your region", m.code);
                    c.forbid(VILLAGES, &v, AppError::Forbidden(why));
                    continue;
                }
                villages.push(m.code.clone());
            }
            _ => c.problem(VILLAGES, &v, "not a village in the hub"),
        }
    }
    villages.sort();
    villages.dedup();
    villages
}
