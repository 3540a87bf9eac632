//! Indikator desa, the writing side: a coordinator records a village's indicators for a fiscal
//! year, with their source and as-of date (`setVillageIndicators`). The year is chosen first (a
//! plain GET), so the form carries the version of the figures it shows: a year already recorded is
//! replaced at that version, and someone else's save in between is shown as a stale version.

use crate::console::documents::{self as doc, CatatIndikator, IndikatorDesa, RegionLevel};
use crate::console::forms::fields::{self as ui, field};
use crate::console::forms::{self, Form};
use crate::console::page::{Ctx, Failure};
use crate::labels::Kind;
use axum::body::Bytes;
use axum::extract::{Path, Query};
use axum::response::Response;
use maud::{Markup, html};

type Village = doc::indikator_desa::IndikatorDesaRegion;
type Indicators = doc::indikator_desa::IndikatorDesaRegionIndicators;

/// Whole-number indicators: (form field, API field, label).
const COUNTS: [(&str, &str, &str); 5] = [
    ("rumah_tangga", "households", "Jumlah rumah tangga"),
    ("penduduk", "population", "Jumlah penduduk"),
    ("rtm", "poorHouseholds", "Rumah tangga miskin (RTM)"),
    (
        "keluarga_risiko_stunting",
        "stuntingRiskFamilies",
        "Keluarga risiko stunting",
    ),
    ("kasus_stunting", "stuntingCases", "Kasus stunting"),
];
const PRIORITY: &str = "prioritas";

fn field_of(api: &str) -> Option<String> {
    if api.starts_with("input.householdsByDecile") {
        return Some("desil_1".into());
    }
    if let Some((f, _, _)) = COUNTS.iter().find(|(_, a, _)| api == format!("input.{a}")) {
        return Some((*f).to_string());
    }
    forms::field_map(&[
        ("input.source", "sumber"),
        ("input.asOf", "per_tanggal"),
        ("input.stuntingPrevalence", "prevalensi"),
        ("input.idmStatus", "status_idm"),
        ("input.fiscalYear", "sumber"),
    ])(api)
}

/// A figure as the form shows it: a whole number plainly, a fraction with a comma.
fn num(v: Option<f64>) -> String {
    match v {
        Some(n) if n.fract() == 0.0 => format!("{}", n as i64),
        Some(n) => n.to_string().replace('.', ","),
        None => String::new(),
    }
}

/// A whole-number figure as the form shows it (empty when not recorded).
fn whole(v: Option<i64>) -> String {
    v.map(|n| n.to_string()).unwrap_or_default()
}

/// The whole-number indicators of stored figures, in the order of [`COUNTS`].
fn counts_of(i: &Indicators) -> [Option<i64>; 5] {
    [
        i.households,
        i.population,
        i.poor_households,
        i.stunting_risk_families,
        i.stunting_cases,
    ]
}

/// The form's values of stored indicators (none: an empty form for that year).
fn values_of(i: Option<&Indicators>) -> Vec<(String, String)> {
    let Some(i) = i else {
        return vec![];
    };
    let mut out = vec![
        ("sumber".to_string(), i.source.clone()),
        ("per_tanggal".into(), i.as_of.clone()),
        ("prevalensi".into(), num(i.stunting_prevalence)),
        (
            "status_idm".into(),
            i.idm_status
                .as_ref()
                .map(super::wire_name)
                .unwrap_or_default(),
        ),
        (PRIORITY.into(), if i.priority { "ya" } else { "" }.into()),
        (forms::VERSION.into(), i.version.to_string()),
    ];
    for ((f, _, _), v) in COUNTS.iter().zip(counts_of(i)) {
        out.push(((*f).into(), whole(v)));
    }
    for (d, v) in i.households_by_decile.iter().flatten().enumerate() {
        out.push((format!("desil_{}", d + 1), v.to_string()));
    }
    out
}

fn read(
    f: &mut Form,
    code: &str,
    year: i32,
) -> Option<doc::catat_indikator::VillageIndicatorsInput> {
    let source = f.required("sumber");
    let as_of = f.date("per_tanggal", true);
    let idm_status = f
        .choice("status_idm", Kind::IdmStatus, false)
        .and_then(super::enum_of);
    let priority = f.all(PRIORITY).iter().any(|v| v == "ya");
    let [
        households,
        population,
        poor_households,
        stunting_risk_families,
        stunting_cases,
    ] = COUNTS.map(|(name, _, _)| f.whole(name, 0..=100_000_000, false));
    let deciles: Vec<Option<i64>> = (1..=4)
        .map(|d| f.whole(&format!("desil_{d}"), 0..=100_000_000, false))
        .collect();
    let households_by_decile = if deciles.iter().all(Option::is_some) {
        Some(deciles.into_iter().flatten().collect())
    } else {
        if deciles.iter().any(Option::is_some) {
            f.reject("desil_1", "isi keempat desil, atau kosongkan semuanya");
        }
        None
    };
    let raw = f.value("prevalensi").trim().replace(',', ".");
    let mut stunting_prevalence = None;
    if !raw.is_empty() {
        match raw.parse::<f64>() {
            Ok(p) if (0.0..=100.0).contains(&p) => stunting_prevalence = Some(p),
            _ => f.reject("prevalensi", "persen antara 0 dan 100, mis. 12,5"),
        }
    }
    if f.has_errors() {
        return None;
    }
    Some(doc::catat_indikator::VillageIndicatorsInput {
        village_code: code.to_string(),
        fiscal_year: year.into(),
        source: source?,
        as_of: as_of?,
        households,
        population,
        poor_households,
        households_by_decile,
        stunting_risk_families,
        stunting_cases,
        stunting_prevalence,
        idm_status,
        priority,
    })
}

fn body(ctx: &Ctx, f: &Form, r: &Village, year: i32) -> Markup {
    let code = r.code.as_str();
    let recorded = r.indicators.is_some();
    let deciles = ["desil_1", "desil_2", "desil_3", "desil_4"];
    let priority = [(
        "ya".to_string(),
        "Desa prioritas (desa merah / lokus) tahun ini".to_string(),
    )];
    html! {
        h1 { "Indikator " (r.name) " " (year) }
        p { a href={ "/wilayah/" (code) } { "Kembali ke desa" } }
        form.filters method="get" action={ "/wilayah/" (code) "/indikator" } {
            div { label for="tahun" { "Tahun" } input #tahun name="tahun" type="number" min="2000" max="2100" value=(year); }
            div { button type="submit" { "Pilih tahun" } }
        }
        p.muted { @if recorded { "Indikator tahun ini sudah tercatat; menyimpan akan menggantinya." } @else { "Belum ada indikator untuk tahun ini." } }
        (ui::form(ctx, f, &format!("/wilayah/{code}/indikator?tahun={year}"), "form-indikator", html! {
            (ui::version(f))
            div.form-grid {
                (ui::input(f, field("sumber", "Sumber data").required().hint("DTKS/P3KE, BPS, e-PPGBM atau IDM"), "text"))
                (ui::input(f, field("per_tanggal", "Per tanggal").required(), "date"))
                @for (name, _, label) in COUNTS { (ui::number(f, field(name, label))) }
                @for (d, name) in deciles.iter().enumerate() {
                    @let label = format!("Rumah tangga desil {}", d + 1);
                    (ui::number(f, field(name, &label)))
                }
                (ui::input(f, field("prevalensi", "Prevalensi stunting (%)").hint("mis. 12,5"), "text"))
                (ui::enum_select(f, field("status_idm", "Status IDM"), Kind::IdmStatus, Some("– belum dinilai –"), None))
            }
            (ui::checkboxes(f, field(PRIORITY, "Prioritas"), &priority))
            (ui::submit("Simpan indikator"))
        }))
    }
}

async fn load(ctx: &mut Ctx, code: &str, year: i32) -> Result<Village, Failure> {
    let vars = doc::indikator_desa::Variables {
        code: code.into(),
        year: Some(year.into()),
    };
    let data = ctx.query::<IndikatorDesa>(vars).await?;
    data.region
        .filter(|r| r.level == RegionLevel::Village)
        .ok_or_else(|| Failure::not_found("Desa ini tidak ada."))
}

fn refused(ctx: &Ctx, code: &str) -> Option<Response> {
    (!forms::coordinates(ctx, Some(code))).then(|| {
        forms::refused(
            ctx,
            "Hanya koordinator wilayah desa ini (atau admin) yang mencatat indikatornya.",
        )
    })
}

/// `GET /wilayah/{code}/indikator?tahun=`.
pub async fn form(
    mut ctx: Ctx,
    Path(code): Path<String>,
    Query(q): Query<super::Params>,
) -> Response {
    let year = match super::year(&q) {
        Ok(y) => y,
        Err(e) => return ctx.fail(e),
    };
    if let Err(e) = ctx.require_user() {
        return ctx.fail(e);
    }
    if let Some(r) = refused(&ctx, &code) {
        return r;
    }
    let r = match load(&mut ctx, &code, year).await {
        Ok(r) => r,
        Err(e) => return ctx.fail(e),
    };
    let values = values_of(r.indicators.as_ref());
    let f = Form::filled(values.iter().map(|(k, v)| (k.as_str(), v.clone())));
    let b = body(&ctx, &f, &r, year);
    forms::answer(&ctx, &f, "Indikator desa", b)
}

/// `POST /wilayah/{code}/indikator?tahun=`: `setVillageIndicators` at the version the form showed.
pub async fn save(
    mut ctx: Ctx,
    Path(code): Path<String>,
    Query(q): Query<super::Params>,
    posted: Bytes,
) -> Response {
    let mut f = match Form::read(&ctx, &posted) {
        Ok(f) => f,
        Err(refused) => return *refused,
    };
    let year = match super::year(&q) {
        Ok(y) => y,
        Err(e) => return ctx.fail(e),
    };
    if let Err(e) = ctx.require_user() {
        return ctx.fail(e);
    }
    if let Some(r) = refused(&ctx, &code) {
        return r;
    }
    let version = f.value(forms::VERSION).trim().parse::<i64>().ok();
    let stored = match read(&mut f, &code, year) {
        Some(input) => {
            let vars = doc::catat_indikator::Variables { input, version };
            f.send::<CatatIndikator>(&mut ctx, vars, field_of)
                .await
                .map(|d| d.map(|_| ()))
        }
        None => Ok(None),
    };
    match stored {
        Ok(Some(_)) => return forms::done(&ctx, &format!("/wilayah/{code}")),
        Ok(None) => {}
        Err(e) => return ctx.fail(e),
    }
    let r = match load(&mut ctx, &code, year).await {
        Ok(r) => r,
        Err(e) => return ctx.fail(e),
    };
    if f.saved_after_stale(&values_of(r.indicators.as_ref())) {
        return forms::done(&ctx, &format!("/wilayah/{code}"));
    }
    let b = body(&ctx, &f, &r, year);
    forms::answer(&ctx, &f, "Indikator desa", b)
}
