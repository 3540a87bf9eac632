//! A program's lists (strategies, target groups, phases, targets, villages), replaced whole when
//! given: the one place they are checked and written.

use super::write::{NOTE_MAX, PHASE_NAME_MAX, Parts, Phase, Target};
use crate::error::{AppError, AppResult};
use crate::region_code::parse_code;
use crate::services::authz::Actor;
use crate::services::writes::{opt_text, text};
use crate::services::{new_id, rules};
use entity::enums::{RegionLevel, Strategy, TargetGroup};
use entity::program::Model;
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait,
    IntoActiveModel, QueryFilter,
};
use std::collections::{BTreeSet, HashSet};

/// Replaces a program's lists that were given, checking years, amounts and villages.
pub async fn write_parts(
    db: &impl ConnectionTrait,
    actor: &Actor<'_>,
    program: &Model,
    parts: Parts,
) -> AppResult<()> {
    if let Some(list) = parts.strategies {
        write_strategies(db, &program.id, list).await?;
    }
    if let Some(list) = parts.target_groups {
        write_target_groups(db, &program.id, list).await?;
    }
    if let Some(list) = parts.phases {
        write_phases(db, program, list).await?;
    }
    if let Some(list) = parts.targets {
        write_targets(db, program, list).await?;
    }
    if let Some(list) = parts.village_codes {
        write_villages(db, actor, &program.id, list).await?;
    }
    Ok(())
}

/// Replaces a program's rows in one of its list tables (keyed by `column`) with `rows`, once the
/// whole list has been checked: nothing is deleted for a list that is refused.
async fn replace<A>(
    db: &impl ConnectionTrait,
    column: <A::Entity as EntityTrait>::Column,
    program: &str,
    rows: Vec<A>,
) -> AppResult<()>
where
    A: ActiveModelTrait + ActiveModelBehavior + Send,
    <A::Entity as EntityTrait>::Model: IntoActiveModel<A>,
{
    A::Entity::delete_many()
        .filter(column.eq(program))
        .exec(db)
        .await?;
    for row in rows {
        row.insert(db).await?;
    }
    Ok(())
}

async fn write_strategies(
    db: &impl ConnectionTrait,
    program: &str,
    mut list: Vec<Strategy>,
) -> AppResult<()> {
    use entity::program_strategy::{ActiveModel, Column};
    list.sort_by_key(|s| *s as u8);
    list.dedup();
    let rows = list.into_iter().map(|s| ActiveModel {
        program_id: Set(program.to_string()),
        strategy: Set(s),
    });
    replace(db, Column::ProgramId, program, rows.collect()).await
}

async fn write_target_groups(
    db: &impl ConnectionTrait,
    program: &str,
    mut list: Vec<TargetGroup>,
) -> AppResult<()> {
    use entity::program_target_group::{ActiveModel, Column};
    list.sort_by_key(|g| *g as u8);
    list.dedup();
    let rows = list.into_iter().map(|g| ActiveModel {
        program_id: Set(program.to_string()),
        target_group: Set(g),
    });
    replace(db, Column::ProgramId, program, rows.collect()).await
}

fn inside_years(program: &Model, field: String, year: i32) -> AppResult<()> {
    if (program.start_year..=program.end_year).contains(&year) {
        Ok(())
    } else {
        Err(AppError::bad_input(field, "outside the program's years"))
    }
}

async fn write_phases(
    db: &impl ConnectionTrait,
    program: &Model,
    list: Vec<Phase>,
) -> AppResult<()> {
    use entity::program_phase::{ActiveModel, Column};
    let mut seen = HashSet::new();
    let mut rows = Vec::with_capacity(list.len());
    for (i, p) in list.into_iter().enumerate() {
        let field = format!("input.phases.{i}");
        let name = text(&format!("{field}.name"), &p.name, PHASE_NAME_MAX)?;
        inside_years(program, format!("{field}.fiscalYear"), p.fiscal_year)?;
        if !seen.insert((p.fiscal_year, name.clone())) {
            return Err(AppError::bad_input(
                field,
                "the same phase twice in one year",
            ));
        }
        let description = opt_text(
            &format!("{field}.description"),
            p.description.as_deref(),
            NOTE_MAX,
        )?;
        rows.push(ActiveModel {
            id: Set(new_id()),
            program_id: Set(program.id.clone()),
            name: Set(name),
            fiscal_year: Set(p.fiscal_year),
            description: Set(description),
        });
    }
    replace(db, Column::ProgramId, &program.id, rows).await
}

async fn write_targets(
    db: &impl ConnectionTrait,
    program: &Model,
    list: Vec<Target>,
) -> AppResult<()> {
    use entity::program_target::{ActiveModel, Column};
    let mut seen = HashSet::new();
    let mut rows = Vec::with_capacity(list.len());
    for (i, t) in list.into_iter().enumerate() {
        let field = format!("input.targets.{i}");
        let unit = text(&format!("{field}.unit"), &t.unit, rules::TARGET_UNIT_MAX)?;
        inside_years(program, format!("{field}.fiscalYear"), t.fiscal_year)?;
        rules::target_value(t.target)
            .map_err(|m| AppError::bad_input(format!("{field}.target"), m))?;
        if let Some(r) = t.realised {
            rules::target_value(r)
                .map_err(|m| AppError::bad_input(format!("{field}.realised"), m))?;
        }
        if !seen.insert((t.fiscal_year, unit.clone())) {
            return Err(AppError::bad_input(field, "the same year and unit twice"));
        }
        rows.push(ActiveModel {
            id: Set(new_id()),
            program_id: Set(program.id.clone()),
            fiscal_year: Set(t.fiscal_year),
            unit: Set(unit),
            target: Set(t.target),
            realised: Set(t.realised),
        });
    }
    replace(db, Column::ProgramId, &program.id, rows).await
}

async fn write_villages(
    db: &impl ConnectionTrait,
    actor: &Actor<'_>,
    program: &str,
    list: Vec<String>,
) -> AppResult<()> {
    use entity::program_village::{ActiveModel, Column};
    let mut codes = BTreeSet::new();
    for (i, v) in list.iter().enumerate() {
        let field = format!("input.villageCodes.{i}");
        let code = parse_code(&field, v)?;
        let r = entity::region::Entity::find_by_id(code.to_string())
            .one(db)
            .await?;
        if r.as_ref().map(|r| r.level) != Some(RegionLevel::Village) {
            return Err(AppError::bad_input(
                field,
                format!("{code} is not a village in the hub"),
            ));
        }
        if !actor.is_admin() && !actor.coordinates(code.as_str()) {
            return Err(AppError::Forbidden(format!(
                "village {code} is outside your region"
            )));
        }
        codes.insert(code.to_string());
    }
    let rows = codes.into_iter().map(|c| ActiveModel {
        program_id: Set(program.to_string()),
        village_code: Set(c),
    });
    replace(db, Column::ProgramId, program, rows.collect()).await
}
