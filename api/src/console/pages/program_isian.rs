//! Program form ⇄ API input: the form's values of a stored program, and a posted form read into
//! `createProgram`/`updateProgram`'s input (phase and target rows, strategies, target villages),
//! with the form field that an API error path speaks about.

use crate::console::documents::{self as doc, Cluster, Strategy, TargetGroup};
use crate::console::forms::{self, Form, region};
use crate::console::page::{Ctx, Failure};
use crate::labels::{self, Kind};

/// A program as its forms show it (the `ProgramTulis` document).
pub type Program = doc::program_tulis::ProgramTulisProgram;

/// Most rows of a list a posted form is read for.
const MAX_ROWS: usize = 50;

/// The row lists of a program form: (form prefix, API list, [(form column, API field)]).
pub(super) const PHASES: (&str, &str, [(&str, &str); 3]) = (
    "tahap",
    "phases",
    [
        ("nama", "name"),
        ("tahun", "fiscalYear"),
        ("uraian", "description"),
    ],
);
pub(super) const TARGETS: (&str, &str, [(&str, &str); 4]) = (
    "target",
    "targets",
    [
        ("tahun", "fiscalYear"),
        ("satuan", "unit"),
        ("jumlah", "target"),
        ("realisasi", "realised"),
    ],
);

/// The form field of an API input path: `input.targets.1.unit` → `target_1_satuan`.
pub(super) fn field_of(api: &str) -> Option<String> {
    for (prefix, list, cols) in [
        (PHASES.0, PHASES.1, &PHASES.2[..]),
        (TARGETS.0, TARGETS.1, &TARGETS.2[..]),
    ] {
        if let Some(rest) = api.strip_prefix(&format!("input.{list}.")) {
            let (i, what) = rest.split_once('.').unwrap_or((rest, ""));
            let col = cols
                .iter()
                .find(|(_, a)| *a == what)
                .map_or(cols[0].0, |c| c.0);
            return Some(format!("{prefix}_{i}_{col}"));
        }
    }
    forms::field_map(&[
        ("input.code", "kode"),
        ("input.name", "nama"),
        ("input.description", "uraian"),
        ("input.ownerId", "pemilik"),
        ("input.cluster", "klaster"),
        ("input.startYear", "tahun_mulai"),
        ("input.endYear", "tahun_akhir"),
        ("input.strategies", "strategi"),
        ("input.targetGroups", "kelompok_sasaran"),
        ("input.phases", "tahap_0_nama"),
        ("input.targets", "target_0_tahun"),
        ("input.villageCodes", "desa"),
    ])(api)
}

fn number_text(v: Option<f64>) -> String {
    match v {
        Some(n) if n.fract() == 0.0 => format!("{}", n as i64),
        Some(n) => n.to_string(),
        None => String::new(),
    }
}

/// Wire names joined by commas, as a form filled from a record keeps a list.
fn joined<T: serde::Serialize>(values: &[T]) -> String {
    values
        .iter()
        .map(super::wire_name)
        .collect::<Vec<_>>()
        .join(",")
}

/// The form's values of a stored program.
pub(super) fn values_of(p: &Program) -> Vec<(String, String)> {
    let mut out = vec![
        ("nama".to_string(), p.name.clone()),
        ("uraian".into(), p.description.clone().unwrap_or_default()),
        ("klaster".into(), super::wire_name(&p.cluster)),
        ("tahun_mulai".into(), p.start_year.to_string()),
        ("tahun_akhir".into(), p.end_year.to_string()),
        ("strategi".into(), joined(&p.strategies)),
        ("kelompok_sasaran".into(), joined(&p.target_groups)),
        (
            "desa".into(),
            p.villages
                .edges
                .iter()
                .map(|e| e.node.code.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        ),
        (forms::VERSION.into(), p.version.to_string()),
    ];
    for (i, ph) in p.phases.iter().enumerate() {
        out.push((format!("tahap_{i}_nama"), ph.name.clone()));
        out.push((format!("tahap_{i}_tahun"), ph.fiscal_year.to_string()));
        let description = ph.description.clone().unwrap_or_default();
        out.push((format!("tahap_{i}_uraian"), description));
    }
    for (i, t) in p.targets.iter().enumerate() {
        out.push((format!("target_{i}_tahun"), t.fiscal_year.to_string()));
        out.push((format!("target_{i}_satuan"), t.unit.clone()));
        out.push((format!("target_{i}_jumlah"), number_text(Some(t.target))));
        out.push((format!("target_{i}_realisasi"), number_text(t.realised)));
    }
    out
}

pub(super) fn rows_in(f: &Form, prefix: &str, cols: &[(&str, &str)]) -> usize {
    (0..MAX_ROWS)
        .rev()
        .find(|i| {
            cols.iter()
                .any(|(c, _)| !f.value(&format!("{prefix}_{i}_{c}")).trim().is_empty())
        })
        .map_or(0, |i| i + 1)
}

/// One phase row of a posted form.
struct Phase {
    name: Option<String>,
    year: Option<i64>,
    description: Option<String>,
}

/// One yearly target row of a posted form.
struct Target {
    year: Option<i64>,
    unit: Option<String>,
    target: Option<i64>,
    realised: Option<i64>,
}

fn phases(f: &mut Form) -> Vec<Phase> {
    let mut out = Vec::new();
    for i in 0..rows_in(f, PHASES.0, &PHASES.2) {
        let name = f.required(&format!("tahap_{i}_nama"));
        let year = f.whole(&format!("tahap_{i}_tahun"), 2000..=2100, true);
        let description = f.text(&format!("tahap_{i}_uraian"));
        out.push(Phase {
            name,
            year,
            description,
        });
    }
    out
}

fn targets(f: &mut Form) -> Vec<Target> {
    let mut out = Vec::new();
    for i in 0..rows_in(f, TARGETS.0, &TARGETS.2) {
        let year = f.whole(&format!("target_{i}_tahun"), 2000..=2100, true);
        let unit = f.required(&format!("target_{i}_satuan"));
        let target = f.whole(&format!("target_{i}_jumlah"), 0..=1_000_000_000_000, true);
        let realised = f.whole(
            &format!("target_{i}_realisasi"),
            0..=1_000_000_000_000,
            false,
        );
        out.push(Target {
            year,
            unit,
            target,
            realised,
        });
    }
    out
}

fn enum_values<T: serde::de::DeserializeOwned>(f: &Form, name: &str, kind: Kind) -> Vec<T> {
    f.all(name)
        .into_iter()
        .filter(|v| labels::table(kind).iter().any(|(w, _)| w == v))
        .filter_map(|v| super::enum_of(&v))
        .collect()
}

/// A posted program form, read: what `createProgram` and `updateProgram` both take (the create
/// also the owner and code).
pub(super) struct Input {
    name: String,
    description: Option<String>,
    cluster: Cluster,
    start: i64,
    end: i64,
    strategies: Vec<Strategy>,
    target_groups: Vec<TargetGroup>,
    phases: Vec<Phase>,
    targets: Vec<Target>,
    villages: Vec<String>,
    code: Option<String>,
    owner: String,
}

/// Phase and target rows as one mutation's input types (each document has its own).
macro_rules! rows_as {
    ($module:ident, $phases:expr, $targets:expr) => {{
        use doc::$module::{PhaseInput, TargetInput};
        let phases: Vec<PhaseInput> = $phases
            .into_iter()
            .map(|p: Phase| PhaseInput {
                name: p.name.unwrap_or_default(),
                fiscal_year: p.year.unwrap_or_default(),
                description: p.description,
            })
            .collect();
        let targets: Vec<TargetInput> = $targets
            .into_iter()
            .map(|t: Target| TargetInput {
                fiscal_year: t.year.unwrap_or_default(),
                unit: t.unit.unwrap_or_default(),
                target: t.target.unwrap_or_default() as f64,
                realised: t.realised.map(|n| n as f64),
            })
            .collect();
        (phases, targets)
    }};
}

impl Input {
    /// `createProgram`'s input.
    pub(super) fn create(self) -> doc::buat_program::ProgramInput {
        let (phases, targets) = rows_as!(buat_program, self.phases, self.targets);
        doc::buat_program::ProgramInput {
            code: self.code,
            name: self.name,
            description: self.description,
            owner_id: self.owner,
            cluster: self.cluster,
            start_year: self.start,
            end_year: self.end,
            strategies: self.strategies,
            target_groups: self.target_groups,
            phases,
            targets,
            village_codes: self.villages,
        }
    }

    /// `updateProgram`'s input: the lists given replace the stored ones.
    pub(super) fn patch(self) -> doc::ubah_program::ProgramPatch {
        let (phases, targets) = rows_as!(ubah_program, self.phases, self.targets);
        doc::ubah_program::ProgramPatch {
            name: Some(self.name),
            description: self.description,
            cluster: Some(self.cluster),
            start_year: Some(self.start),
            end_year: Some(self.end),
            strategies: Some(self.strategies),
            target_groups: Some(self.target_groups),
            phases: Some(phases),
            targets: Some(targets),
            village_codes: Some(self.villages),
        }
    }
}

pub(super) async fn read(
    ctx: &mut Ctx,
    f: &mut Form,
    editing: bool,
) -> Result<Option<Input>, Failure> {
    let name = f.required("nama");
    let cluster = f.choice("klaster", Kind::Cluster, true);
    let start = f.whole("tahun_mulai", 2000..=2100, true);
    let end = f.whole("tahun_akhir", 2000..=2100, true);
    let phases = phases(f);
    let targets = targets(f);
    let description = f.text("uraian");
    let strategies = enum_values(f, "strategi", Kind::Strategy);
    let target_groups = enum_values(f, "kelompok_sasaran", Kind::TargetGroup);
    let villages = region::resolve_list(ctx, f, "desa").await?;
    let (code, owner) = if editing {
        (None, None)
    } else {
        (f.text("kode"), f.required("pemilik"))
    };
    if f.has_errors() {
        return Ok(None);
    }
    let (Some(name), Some(cluster), Some(start), Some(end)) =
        (name, cluster.and_then(super::enum_of), start, end)
    else {
        // Every required field has a reason when absent; nothing is sent without one.
        return Ok(None);
    };
    Ok(Some(Input {
        name,
        description,
        cluster,
        start,
        end,
        strategies,
        target_groups,
        phases,
        targets,
        villages,
        code,
        // Only a create names the owner (required there, so present once the form has no reason).
        owner: owner.unwrap_or_default(),
    }))
}
