//! Program form ⇄ API input: the form's values of a stored program, and a posted form read into
//! `createProgram`/`updateProgram`'s input (phase and target rows, strategies, target villages),
//! with the form field that an API error path speaks about.

use super::text;
use crate::console::forms::{self, Form, region};
use crate::console::page::{Ctx, Failure};
use crate::labels::{self, Kind};
use serde_json::{Value, json};

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

fn number_text(v: &Value) -> String {
    match v.as_f64() {
        Some(n) if n.fract() == 0.0 => format!("{}", n as i64),
        Some(n) => n.to_string(),
        None => String::new(),
    }
}

/// The form's values of a stored program.
pub(super) fn values_of(p: &Value) -> Vec<(String, String)> {
    let s = |v: &Value| v.as_str().unwrap_or("").to_string();
    let joined = |v: &Value| {
        super::list(v)
            .iter()
            .map(|x| text(x).to_string())
            .collect::<Vec<_>>()
            .join(",")
    };
    let mut out = vec![
        ("nama".to_string(), s(&p["name"])),
        ("uraian".into(), s(&p["description"])),
        ("klaster".into(), s(&p["cluster"])),
        ("tahun_mulai".into(), p["startYear"].to_string()),
        ("tahun_akhir".into(), p["endYear"].to_string()),
        ("strategi".into(), joined(&p["strategies"])),
        ("kelompok_sasaran".into(), joined(&p["targetGroups"])),
        (
            "desa".into(),
            super::nodes(&p["villages"])
                .iter()
                .map(|v| text(&v["code"]).to_string())
                .collect::<Vec<_>>()
                .join(", "),
        ),
        (forms::VERSION.into(), p["version"].to_string()),
    ];
    for (i, ph) in super::list(&p["phases"]).iter().enumerate() {
        out.push((format!("tahap_{i}_nama"), s(&ph["name"])));
        out.push((format!("tahap_{i}_tahun"), ph["fiscalYear"].to_string()));
        out.push((format!("tahap_{i}_uraian"), s(&ph["description"])));
    }
    for (i, t) in super::list(&p["targets"]).iter().enumerate() {
        out.push((format!("target_{i}_tahun"), t["fiscalYear"].to_string()));
        out.push((format!("target_{i}_satuan"), s(&t["unit"])));
        out.push((format!("target_{i}_jumlah"), number_text(&t["target"])));
        out.push((format!("target_{i}_realisasi"), number_text(&t["realised"])));
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

fn phases(f: &mut Form) -> Vec<Value> {
    let mut out = Vec::new();
    for i in 0..rows_in(f, PHASES.0, &PHASES.2) {
        let name = f.required(&format!("tahap_{i}_nama"));
        let year = f.whole(&format!("tahap_{i}_tahun"), 2000..=2100, true);
        let description = f.text(&format!("tahap_{i}_uraian"));
        out.push(json!({ "name": name, "fiscalYear": year, "description": description }));
    }
    out
}

fn targets(f: &mut Form) -> Vec<Value> {
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
        out.push(
            json!({ "fiscalYear": year, "unit": unit, "target": target, "realised": realised }),
        );
    }
    out
}

fn enum_values(f: &Form, name: &str, kind: Kind) -> Vec<String> {
    f.all(name)
        .into_iter()
        .filter(|v| labels::table(kind).iter().any(|(w, _)| w == v))
        .collect()
}

pub(super) async fn read(
    ctx: &mut Ctx,
    f: &mut Form,
    editing: bool,
) -> Result<Option<Value>, Failure> {
    let name = f.required("nama");
    let cluster = f.choice("klaster", Kind::Cluster, true);
    let start = f.whole("tahun_mulai", 2000..=2100, true);
    let end = f.whole("tahun_akhir", 2000..=2100, true);
    let phases = phases(f);
    let targets = targets(f);
    let mut input = json!({
        "name": name,
        "description": f.text("uraian"),
        "cluster": cluster,
        "startYear": start,
        "endYear": end,
        "strategies": enum_values(f, "strategi", Kind::Strategy),
        "targetGroups": enum_values(f, "kelompok_sasaran", Kind::TargetGroup),
        "phases": phases,
        "targets": targets,
        "villageCodes": region::resolve_list(ctx, f, "desa").await?,
    });
    if !editing {
        input["code"] = json!(f.text("kode"));
        input["ownerId"] = json!(f.required("pemilik"));
    }
    Ok((!f.has_errors()).then_some(input))
}
