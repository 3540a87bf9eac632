//! Kontribusi: the list with the filters of `ContributionFilter`, paged with the API's cursors,
//! and a contribution's page with its transactions and (for those allowed) its audit trail.

use super::{Params, contribution_head, contribution_rows, lbl, param, text};
use crate::console::format;
use crate::console::page::{Ctx, Failure};
use crate::console::words as w;
use crate::labels::Kind;
use axum::extract::{Path, Query};
use axum::response::Response;
use maud::{Markup, html};
use serde_json::{Value, json};

const LIST: &str = include_str!("../queries/kontribusi_daftar.graphql");
const SHOW: &str = include_str!("../queries/kontribusi.graphql");
const TRAIL: &str = include_str!("../queries/jejak_audit.graphql");

/// One select filter: query parameter, label, enum, filter field.
const SELECTS: &[(&str, &str, Kind, &str)] = &[
    ("sumber", w::SOURCE, Kind::Source, "sources"),
    ("heliks", w::HELIX, Kind::Helix, "helixes"),
    ("klaster", w::CLUSTER, Kind::Cluster, "clusters"),
    ("status", w::STATUS, Kind::ContributionStatus, "statuses"),
];

fn filter(q: &Params) -> Result<Value, Failure> {
    let mut f = serde_json::Map::new();
    if let Some(r) = param(q, "wilayah") {
        f.insert("region".into(), json!(r));
    }
    if let Some(t) = param(q, "tahun") {
        let y = t
            .parse::<i32>()
            .ok()
            .filter(|y| crate::services::FISCAL_YEARS.contains(y))
            .ok_or_else(|| Failure::bad_input("tahun", "tahun anggaran antara 2000 dan 2100"))?;
        f.insert("fiscalYear".into(), json!(y));
    }
    for (name, _, kind, field) in SELECTS {
        if let Some(wire) = super::choice(q, name, *kind)? {
            f.insert((*field).into(), json!([wire]));
        }
    }
    if let Some(o) = param(q, "organisasi") {
        f.insert("contributorIds".into(), json!([o]));
    }
    if let Some(p) = param(q, "program") {
        f.insert("programIds".into(), json!([p]));
    }
    if let Some(t) = param(q, "q") {
        f.insert("text".into(), json!(t));
    }
    Ok(Value::Object(f))
}

fn filter_form(q: &Params) -> Markup {
    html! {
        form.filters method="get" action="/kontribusi" {
            div { label for="wilayah" { (w::REGION) } input #wilayah name="wilayah" value=[param(q, "wilayah")] placeholder=(w::REGION_HINT); }
            div { label for="tahun" { (w::YEAR) } input #tahun name="tahun" type="number" min="2000" max="2100" value=[param(q, "tahun")]; }
            @for (name, label, kind, _) in SELECTS { (super::enum_select(name, label, *kind, param(q, name))) }
            div { label for="q" { (w::TITLE) } input #q name="q" value=[param(q, "q")]; }
            @if let Some(o) = param(q, "organisasi") { input type="hidden" name="organisasi" value=(o); }
            @if let Some(p) = param(q, "program") { input type="hidden" name="program" value=(p); }
            div { button type="submit" { (w::SHOW) } }
        }
    }
}

/// `GET /kontribusi?wilayah=&tahun=&sumber=&heliks=&klaster=&status=&organisasi=&program=&q=`.
pub async fn list(mut ctx: Ctx, Query(q): Query<Params>) -> Response {
    let result = async {
        ctx.require_user()?;
        let f = filter(&q)?;
        ctx.run(LIST, json!({ "filter": f, "after": param(&q, "setelah") }))
            .await
    }
    .await;
    let data = match result {
        Ok(d) => d,
        Err(f) => return ctx.fail(f),
    };
    let conn = &data["contributions"];
    let t = &data["contributionTotals"];
    let items = super::nodes(conn);
    let body = html! {
        h1 { "Kontribusi" }
        @if super::kontribusi_tulis::can_record(&ctx) {
            p { a.button #catat-kontribusi href={ "/kontribusi/baru" @if let Some(r) = param(&q, "wilayah") { "?wilayah=" (crate::console::page::urlencode(r)) } } { "Catat kontribusi" } }
        }
        (filter_form(&q))
        p #ringkasan-kontribusi {
            (format::count(&t["count"])) " kontribusi · " (w::PLANNED) " " (format::rupiah(&t["planned"]))
            " · " (w::COMMITTED) " " (format::rupiah(&t["committed"])) " · " (w::REALISED) " " (format::rupiah(&t["realised"]))
        }
        (super::table("Kontribusi", &contribution_head(true), contribution_rows(&items, true)))
        (super::pager("/kontribusi", &q, conn))
    };
    ctx.render("Kontribusi", body)
}

/// `GET /kontribusi/{id}`.
pub async fn show(mut ctx: Ctx, Path(id): Path<String>) -> Response {
    let data = match ctx.run(SHOW, json!({ "id": id })).await {
        Ok(d) => d,
        Err(f) => return ctx.fail(f),
    };
    let c = &data["contribution"];
    if c.is_null() {
        return ctx.fail(Failure::not_found(
            "Kontribusi ini tidak ada atau belum boleh Anda lihat.",
        ));
    }
    // The trail is shown only to those the API shows it to; a refusal just leaves it out.
    let trail = match ctx.run(TRAIL, json!({ "id": id })).await {
        Ok(d) => Some(d),
        Err(f) if f.code == crate::error::Code::Forbidden => {
            ctx.ran.pop();
            None
        }
        Err(f) => return ctx.fail(f),
    };
    let body = html! {
        h1 { (text(&c["title"])) }
        dl.facts {
            dt { (w::CONTRIBUTOR) } dd { (super::org_link(&c["contributor"])) " · " (lbl(Kind::Helix, &c["contributor"]["helix"])) }
            dt { (w::REGION) } dd { (super::region_link(&c["region"])) }
            dt { (w::PROGRAM) } dd { (super::program_link(&c["program"])) }
            dt { (w::YEAR) } dd { (c["fiscalYear"]) }
            dt { (w::SOURCE) } dd { (lbl(Kind::Source, &c["source"])) }
            dt { (w::KIND) } dd { (lbl(Kind::ContributionKind, &c["kind"])) }
            dt { (w::STATUS) } dd { (lbl(Kind::ContributionStatus, &c["status"])) }
            dt { "Verifikasi" } dd #status-verifikasi { (super::verifikasi::badge_of(c)) }
            dt { (w::TARGET_GROUP) } dd { (if c["targetGroup"].is_null() { "–".into() } else { lbl(Kind::TargetGroup, &c["targetGroup"]) }) }
            dt { (w::BENEFICIARIES) } dd { (format::count(&c["beneficiaries"])) }
            dt { (w::PLANNED) } dd { (format::rupiah(&c["amountPlanned"])) }
            dt { (w::COMMITTED) } dd { (format::rupiah(&c["amountCommitted"])) }
            dt { (w::DISBURSED) } dd { (format::rupiah(&c["amountDisbursed"])) }
            dt { (w::REALISED) } dd { (format::rupiah(&c["amountRealised"])) }
            dt { "Dicatat" } dd { (format::date(&c["createdAt"])) }
            dt { "Diubah" } dd { (format::date(&c["updatedAt"])) " (versi " (c["version"]) ")" }
        }
        @if let Some(d) = c["description"].as_str() { p { (d) } }
        @if crate::console::forms::acts_for(&ctx, c["contributor"]["id"].as_str()) {
            (super::verifikasi::returned_note(c, &format!("/kontribusi/{}/ubah", text(&c["id"]))))
        }
        p { a #laporkan href={ "/pengaduan?kontribusi=" (text(&c["id"])) } { "Laporkan data yang salah" } }
        (super::kontribusi_aksi::panel(&ctx, c))
        h2 { "Transaksi" }
        (super::table("Transaksi komitmen, pencairan dan belanja", &[w::DATE, w::KIND, "Nilai", "Catatan"], super::list(&c["transactions"]).iter().map(|t| html! { tr {
            td { (format::date(&t["date"])) } td { (lbl(Kind::TransactionType, &t["type"])) }
            td.num { (format::rupiah(&t["amount"])) } td { (t["note"].as_str().unwrap_or("")) }
        } }).collect()))
        @if let Some(tr) = &trail {
            h2 { "Jejak perubahan" }
            (super::table("Jejak audit", &[w::DATE, "Oleh", "Perubahan", "Sesudah"], super::list(&tr["auditTrail"]).iter().map(|e| html! { tr {
                td { (format::date(&e["at"])) }
                td { (text(&e["actor"]["name"])) @if !e["organization"].is_null() { " · " (text(&e["organization"]["name"])) } }
                td { (text(&e["action"])) }
                td { code { (e["after"].as_str().map(|s| s.chars().take(300).collect::<String>()).unwrap_or_default()) } }
            } }).collect()))
        }
    };
    ctx.render(text(&c["title"]), body)
}
