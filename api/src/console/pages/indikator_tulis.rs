//! Indikator desa, the writing side: a coordinator records a village's indicators for a fiscal
//! year, with their source and as-of date (`setVillageIndicators`). The year is chosen first (a
//! plain GET), so the form carries the version of the figures it shows: a year already recorded is
//! replaced at that version, and someone else's save in between is shown as a stale version.

use super::text;
use crate::console::forms::fields::{self as ui, field};
use crate::console::forms::{self, Form};
use crate::console::page::{Ctx, Failure};
use crate::labels::Kind;
use axum::body::Bytes;
use axum::extract::{Path, Query};
use axum::response::Response;
use maud::{Markup, html};
use serde_json::{Value, json};

const LOAD: &str = include_str!("../queries/indikator_tulis.graphql");
const SAVE: &str = include_str!("../queries/indikator_simpan.graphql");

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

fn num(v: &Value) -> String {
    match v.as_f64() {
        Some(n) if n.fract() == 0.0 => format!("{}", n as i64),
        Some(n) => n.to_string().replace('.', ","),
        None => String::new(),
    }
}

/// The form's values of stored indicators (none: an empty form for that year).
fn values_of(i: &Value) -> Vec<(String, String)> {
    if i.is_null() {
        return vec![];
    }
    let mut out = vec![
        ("sumber".to_string(), text(&i["source"]).to_string()),
        ("per_tanggal".into(), text(&i["asOf"]).to_string()),
        ("prevalensi".into(), num(&i["stuntingPrevalence"])),
        (
            "status_idm".into(),
            i["idmStatus"].as_str().unwrap_or("").into(),
        ),
        (
            PRIORITY.into(),
            if i["priority"] == true { "ya" } else { "" }.into(),
        ),
        (forms::VERSION.into(), i["version"].to_string()),
    ];
    for (f, a, _) in COUNTS {
        out.push((f.into(), num(&i[a])));
    }
    for (d, v) in super::list(&i["householdsByDecile"]).iter().enumerate() {
        out.push((format!("desil_{}", d + 1), num(v)));
    }
    out
}

fn read(f: &mut Form, code: &str, year: i32) -> Option<Value> {
    let source = f.required("sumber");
    let as_of = f.date("per_tanggal", true);
    let mut input = json!({
        "villageCode": code, "fiscalYear": year, "source": source, "asOf": as_of,
        "idmStatus": f.choice("status_idm", Kind::IdmStatus, false),
        "priority": f.all(PRIORITY).iter().any(|v| v == "ya"),
    });
    for (name, api, _) in COUNTS {
        input[api] = json!(f.whole(name, 0..=100_000_000, false));
    }
    let deciles: Vec<Option<i64>> = (1..=4)
        .map(|d| f.whole(&format!("desil_{d}"), 0..=100_000_000, false))
        .collect();
    if deciles.iter().all(Option::is_some) {
        input["householdsByDecile"] = json!(deciles);
    } else if deciles.iter().any(Option::is_some) {
        f.reject("desil_1", "isi keempat desil, atau kosongkan semuanya");
    }
    let raw = f.value("prevalensi").trim().replace(',', ".");
    if !raw.is_empty() {
        match raw.parse::<f64>() {
            Ok(p) if (0.0..=100.0).contains(&p) => input["stuntingPrevalence"] = json!(p),
            _ => f.reject("prevalensi", "persen antara 0 dan 100, mis. 12,5"),
        }
    }
    (!f.has_errors()).then_some(input)
}

fn body(ctx: &Ctx, f: &Form, r: &Value, year: i32) -> Markup {
    let code = text(&r["code"]);
    let recorded = !r["indicators"].is_null();
    let deciles = ["desil_1", "desil_2", "desil_3", "desil_4"];
    let priority = [(
        "ya".to_string(),
        "Desa prioritas (desa merah / lokus) tahun ini".to_string(),
    )];
    html! {
        h1 { "Indikator " (text(&r["name"])) " " (year) }
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

async fn load(ctx: &mut Ctx, code: &str, year: i32) -> Result<Value, Failure> {
    let data = ctx.run(LOAD, json!({ "code": code, "year": year })).await?;
    let r = data["region"].clone();
    if r.is_null() || r["level"] != "VILLAGE" {
        return Err(Failure::not_found("Desa ini tidak ada."));
    }
    Ok(r)
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
    let values = values_of(&r["indicators"]);
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
            let vars = json!({ "input": input, "version": version });
            f.submit(&mut ctx, SAVE, vars, field_of).await
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
    if f.saved_after_stale(&values_of(&r["indicators"])) {
        return forms::done(&ctx, &format!("/wilayah/{code}"));
    }
    let b = body(&ctx, &f, &r, year);
    forms::answer(&ctx, &f, "Indikator desa", b)
}
