//! Beranda: the overview of a region and year. Planned, committed and realised totals by helix,
//! source and cluster; priority villages covered and not; open and overdue action items; the latest
//! changes the user may see. Anonymous visitors get a short welcome with the public region browser.

use super::{Params, default_region, lbl, param, region_year_form, text, year};
use crate::console::charts::{self, Row};
use crate::console::format;
use crate::console::page::{Ctx, Failure};
use crate::console::words as w;
use crate::labels::Kind;
use axum::extract::Query;
use axum::response::Response;
use maud::{Markup, html};
use serde_json::{Value, json};

const ME: &str = include_str!("../queries/me.graphql");
const OVERVIEW: &str = include_str!("../queries/beranda.graphql");
const GAPS: &str = include_str!("../queries/beranda_celah.graphql");

/// `GET /?wilayah=33.26&tahun=2025`.
pub async fn overview(mut ctx: Ctx, Query(q): Query<Params>) -> Response {
    if ctx.user().is_none() {
        return ctx.render(w::WELCOME_TITLE, welcome());
    }
    match build(&mut ctx, &q).await {
        Ok((title, body)) => ctx.render(&title, body),
        Err(f) => ctx.fail(f),
    }
}

fn welcome() -> Markup {
    html! {
        h1 { (w::WELCOME_TITLE) }
        p { (w::WELCOME) }
        (super::wilayah::search_form(""))
        p { a.button href="/wilayah" { (w::BROWSE_REGIONS) } " " a.button href="/masuk" { (w::SIGN_IN) } }
    }
}

async fn build(ctx: &mut Ctx, q: &Params) -> Result<(String, Markup), Failure> {
    let year = year(q)?;
    let region = match param(q, "wilayah") {
        Some(r) => r.to_string(),
        None => {
            let me = ctx.run(ME, json!({})).await?;
            let org_region = me["me"]["organization"]["region"]["code"].as_str();
            default_region(ctx.user(), org_region)
        }
    };
    let region_var = if region.is_empty() {
        Value::Null
    } else {
        json!(region)
    };
    // `verified=1`: only what a coordinator has verified counts (and the workbook link says so).
    let verified = param(q, "verified").is_some_and(|v| v == "1" || v == "true");
    let data = ctx
        .run(
            OVERVIEW,
            json!({ "filter": { "region": region_var, "fiscalYear": year }, "region": region_var,
                    "verifiedOnly": verified }),
        )
        .await?;
    let gaps = if region.is_empty() {
        None
    } else {
        Some(
            ctx.run(
                GAPS,
                json!({ "region": region, "year": year, "verifiedOnly": verified }),
            )
            .await?,
        )
    };
    let place = gaps
        .as_ref()
        .and_then(|g| g["region"]["name"].as_str())
        .map(str::to_string)
        .unwrap_or_else(|| "Indonesia".into());
    let title = format!("{} {place} {year}", w::NAV_OVERVIEW);
    let (per_helix, per_source, per_cluster) = (
        fold(&data["ringkasan"], "helix", Kind::Helix),
        fold(&data["ringkasan"], "source", Kind::Source),
        fold(&data["ringkasan"], "cluster", Kind::Cluster),
    );
    let body = html! {
        h1 { "Ringkasan " (place) ", tahun anggaran " (year) }
        (region_year_form("/", &region, year, verified_toggle(verified)))
        (crate::console::live::contributions(&region))
        @if verified { p.note #hanya-terverifikasi { "Hanya data yang sudah diverifikasi koordinator yang dihitung." } }
        (totals(&per_helix))
        (links(ctx, &region, year, verified))
        div.charts {
            section { h2 { "Per heliks" }
                (chart("Kontribusi per heliks", &per_helix, |k| lbl(Kind::Helix, &k["helix"]))) }
            section { h2 { "Per sumber dana" }
                (chart("Kontribusi per sumber dana", &per_source, |k| lbl(Kind::Source, &k["source"]))) }
            section { h2 { "Per klaster" }
                (chart("Kontribusi per klaster", &per_cluster, |k| {
                    if k["cluster"].is_null() { "Tanpa program".to_string() } else { lbl(Kind::Cluster, &k["cluster"]) }
                })) }
        }
        @if let Some(g) = &gaps { (priority(g, &region, year)) }
        (follow_up(&data["tindakLanjut"], &region))
        (changes(&data["perubahan"]))
    };
    Ok((title, body))
}

fn verified_toggle(on: bool) -> Markup {
    html! {
        div.check {
            input #verified type="checkbox" name="verified" value="1" checked[on];
            label for="verified" { "Hanya data terverifikasi" }
        }
    }
}

/// The workbook of what is shown, and a coordinator's queues.
fn links(ctx: &Ctx, region: &str, year: i32, verified: bool) -> Markup {
    let may = ctx.user().is_some_and(|u| {
        matches!(
            u.role,
            entity::enums::Role::Admin | entity::enums::Role::Coordinator
        )
    });
    if !may || region.is_empty() {
        return html! {};
    }
    html! {
        p.tautan {
            a #unduh-buku-kerja hx-boost="false"
                href={ "/exports/lp2kd.xlsx?region=" (crate::console::page::urlencode(region)) "&year=" (year) @if verified { "&verified=true" } } {
                "Unduh buku kerja LP2KD" @if verified { " (hanya terverifikasi)" } }
            " · " a #ke-verifikasi href={ "/verifikasi?wilayah=" (crate::console::page::urlencode(region)) } { "Antrian verifikasi" }
            " · " a #ke-pengaduan href={ "/pengaduan/masuk?wilayah=" (crate::console::page::urlencode(region)) } { "Pengaduan masuk" }
        }
    }
}

/// Folds the helix × source × cluster buckets into the buckets of one dimension, in the order the
/// labels list that enum's values (the group with no value, e.g. contributions without a program,
/// last). Amounts are decimal strings of whole Rupiah, added without rounding.
fn fold(buckets: &Value, dim: &str, kind: Kind) -> Value {
    let mut sums: Vec<(Value, i64, [i128; 3])> = Vec::new();
    for b in super::list(buckets) {
        let key = b["key"][dim].clone();
        let at = match sums.iter().position(|(k, ..)| *k == key) {
            Some(at) => at,
            None => {
                sums.push((key, 0, [0; 3]));
                sums.len() - 1
            }
        };
        let slot = &mut sums[at];
        slot.1 += b["count"].as_i64().unwrap_or(0);
        for (i, field) in ["planned", "committed", "realised"].iter().enumerate() {
            slot.2[i] += format::amount(&b[*field]).unwrap_or(0);
        }
    }
    let rank = |key: &Value| {
        key.as_str()
            .and_then(|k| {
                crate::labels::table(kind)
                    .iter()
                    .position(|(wire, _)| *wire == k)
            })
            .unwrap_or(usize::MAX)
    };
    sums.sort_by_key(|(key, ..)| rank(key));
    Value::Array(
        sums.into_iter()
            .map(|(key, count, [planned, committed, realised])| {
                json!({ "key": { dim: key }, "count": count, "planned": planned.to_string(),
                        "committed": committed.to_string(), "realised": realised.to_string() })
            })
            .collect(),
    )
}

fn totals(buckets: &Value) -> Markup {
    let sum = |k: &str| -> i128 {
        super::list(buckets)
            .iter()
            .filter_map(|b| format::amount(&b[k]))
            .sum()
    };
    let count: i64 = super::list(buckets)
        .iter()
        .filter_map(|b| b["count"].as_i64())
        .sum();
    html! {
        div.cards {
            div.card { div { (w::COUNT) " kontribusi" } div.big #jumlah-kontribusi { (format::thousands(count.into())) } }
            div.card { div { (w::PLANNED) } div.big #total-rencana { "Rp " (format::thousands(sum("planned"))) } }
            div.card { div { (w::COMMITTED) } div.big #total-komitmen { "Rp " (format::thousands(sum("committed"))) } }
            div.card { div { (w::REALISED) } div.big #total-realisasi { "Rp " (format::thousands(sum("realised"))) } }
        }
    }
}

fn chart(title: &str, buckets: &Value, label: impl Fn(&Value) -> String) -> Markup {
    let rows: Vec<Row> = super::list(buckets)
        .iter()
        .map(|b| {
            charts::money_row(
                label(&b["key"]),
                &[&b["planned"], &b["committed"], &b["realised"]],
            )
        })
        .collect();
    if rows.is_empty() {
        return html! { p.muted { (w::NOTHING) } };
    }
    charts::bars(title, &[w::PLANNED, w::COMMITTED, w::REALISED], &rows)
}

fn priority(g: &Value, region: &str, year: i32) -> Markup {
    let villages = super::nodes(&g["coverageGaps"]);
    let total = g["coverageGaps"]["totalCount"].as_i64().unwrap_or(0);
    let uncovered: Vec<&&Value> = villages
        .iter()
        .filter(|v| v["contributions"].as_i64() == Some(0))
        .collect();
    let covered = villages.len() - uncovered.len();
    html! {
        h2 { "Desa prioritas" }
        p {
            strong #desa-prioritas { (total) } " desa prioritas; "
            strong #desa-tercakup { (covered) } " sudah menerima komitmen, "
            strong #desa-belum { (uncovered.len()) } " belum sama sekali"
            @if total as usize > villages.len() { " (dihitung dari " (villages.len()) " desa pertama)" }
            ". "
            a href={ "/celah?wilayah=" (region) "&tahun=" (year) } { "Lihat celah cakupan" }
        }
        @if !uncovered.is_empty() {
            ul.plain { @for v in uncovered.iter().take(10) { li { (super::region_link(&v["village"])) } } }
        }
    }
}

/// Owners shown on the overview: the most pressing; the follow-up page lists them all.
const FOLLOW_UP_ROWS: usize = 15;

fn follow_up(owners: &Value, region: &str) -> Markup {
    let n = |o: &Value, k: &str| o["actionItems"][k].as_i64().unwrap_or(0);
    let mut open: Vec<&Value> = super::list(owners)
        .iter()
        .filter(|o| n(o, "open") + n(o, "inProgress") > 0)
        .collect();
    // Most overdue first, then most still open: the owners a rakor should ask about.
    open.sort_by_key(|o| std::cmp::Reverse((n(o, "overdue"), n(o, "open") + n(o, "inProgress"))));
    let more = open.len().saturating_sub(FOLLOW_UP_ROWS);
    let rows: Vec<Markup> = open
        .into_iter()
        .take(FOLLOW_UP_ROWS)
        .map(|o| {
            let c = &o["actionItems"];
            html! { tr {
                td { (super::org_link(&o["owner"])) }
                td.num { (c["open"]) }
                td.num { (c["inProgress"]) }
                td.num { @if c["overdue"].as_i64().unwrap_or(0) > 0 { span.badge.late { (c["overdue"]) } } @else { "0" } }
            } }
        })
        .collect();
    html! {
        h2 { "Tindak lanjut rakor" }
        (super::table("Rencana aksi terbuka per pelaksana", &[w::OWNER, "Belum dimulai", "Berjalan", w::OVERDUE], rows))
        p {
            @if more > 0 { (more) " pelaksana lain juga masih punya rencana aksi terbuka. " }
            a href={ "/tindak-lanjut?wilayah=" (region) } { "Semua tindak lanjut" }
        }
    }
}

fn changes(entries: &Value) -> Markup {
    let rows: Vec<Markup> = super::list(entries)
        .iter()
        .map(|e| {
            let what = text(&e["entity"]);
            let id = text(&e["entityId"]);
            let link = match what {
                "contribution" => Some(format!("/kontribusi/{id}")),
                "program" => Some(format!("/program/{id}")),
                "meeting" => Some(format!("/rapat/{id}")),
                "organization" => Some(format!("/organisasi/{id}")),
                _ => None,
            };
            html! { tr {
                td { (format::date(&e["at"])) }
                td { (text(&e["actor"]["name"])) @if !e["organization"].is_null() { " · " (super::org_link(&e["organization"])) } }
                td { (action_word(text(&e["action"]))) " " @match link { Some(l) => a href=(l) { (entity_word(what)) }, None => (entity_word(what)) } }
            } }
        })
        .collect();
    html! {
        h2 { "Perubahan terbaru" }
        (super::table("Perubahan terbaru yang boleh Anda lihat", &[w::DATE, "Oleh", "Perubahan"], rows))
    }
}

fn entity_word(entity: &str) -> &str {
    match entity {
        "contribution" => "kontribusi",
        "program" => "program",
        "meeting" => "rapat",
        "action_item" => "rencana aksi",
        "synergy" => "sinergi program",
        "organization" => "organisasi",
        "user" => "pengguna",
        "village_indicator" => "indikator desa",
        other => other,
    }
}

fn action_word(action: &str) -> String {
    let word = match action {
        "create" => "membuat",
        "update" => "mengubah",
        "cancel" => "membatalkan",
        "delete" => "menghapus",
        "import" => "mengimpor",
        other => return other.to_string(),
    };
    word.to_string()
}
