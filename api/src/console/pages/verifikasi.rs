//! Verifikasi: the coordinator's queue of what members entered in its region (contributions and
//! village indicators), the longest waiting first, each with "Verifikasi" and "Kembalikan" (with a
//! note saying what to fix) as plain posts running `verifyContribution` / `returnContribution` and
//! their indicator twins; and the badge every record's page shows of where it stands.

use super::antrian::{AFTER, Place};
use super::{Params, lbl, text};
use crate::console::format;
use crate::console::forms::{self, Form};
use crate::console::page::{Ctx, Failure};
use crate::labels::Kind;
use axum::body::Bytes;
use axum::extract::{Path, Query};
use axum::response::Response;
use maud::{Markup, html};
use serde_json::{Value, json};

const QUEUE: &str = include_str!("../queries/verifikasi.graphql");
const VERIFY_CONTRIBUTION: &str = include_str!("../queries/verifikasi_kontribusi.graphql");
const RETURN_CONTRIBUTION: &str = include_str!("../queries/kembalikan_kontribusi.graphql");
const VERIFY_INDICATORS: &str = include_str!("../queries/verifikasi_indikator.graphql");
const RETURN_INDICATORS: &str = include_str!("../queries/kembalikan_indikator.graphql");

/// Where a record stands with the coordinators, as a badge, with the note of a returned record.
pub fn badge(r: &Value) -> Markup {
    let v = r["verification"].as_str().unwrap_or("");
    html! {
        span.badge.lulus[v == "VERIFIED"].late[v == "RETURNED"] .verifikasi { (lbl(Kind::Verification, &r["verification"])) }
        @if v == "RETURNED" {
            @if let Some(note) = r["verificationNote"].as_str() {
                " " span.catatan-verifikasi { "Catatan koordinator: " (note) }
            }
        }
    }
}

/// What a member sees on its returned record: the note, and where to fix it.
pub fn returned_note(r: &Value, edit: &str) -> Markup {
    if r["verification"] != "RETURNED" {
        return html! {};
    }
    html! {
        div.note #dikembalikan role="status" {
            p { strong { "Dikembalikan oleh koordinator. " } "Yang perlu diperbaiki: " (text(&r["verificationNote"])) }
            p { a.button #perbaiki href=(edit) { "Perbaiki dan kirim ulang" } }
        }
    }
}

/// The form a failed decision is drawn with again: which record, and its reasons.
struct Failed<'a> {
    id: &'a str,
    form: &'a Form,
}

/// The queue page's parameters: the region shown (default: the coordinator's own) and the page.
const PLACE: [&str; 2] = ["wilayah", AFTER];

/// The page's place from its query string, the coordinator's own region filled in.
fn place_of(ctx: &Ctx, q: &Params) -> Place {
    let place = Place::from_query(q, &PLACE);
    match ctx.user().and_then(|u| u.region_scope.clone()) {
        Some(own) if place.get("wilayah").is_none() => place.with("wilayah", &own),
        _ => place,
    }
}

async fn load(ctx: &mut Ctx, place: &Place) -> Result<Value, Failure> {
    ctx.require_user()?;
    let vars = json!({ "region": place.get("wilayah"), "after": place.get(AFTER) });
    ctx.run(QUEUE, vars).await
}

/// `GET /verifikasi?wilayah=&setelah=`.
pub async fn queue(mut ctx: Ctx, Query(q): Query<Params>) -> Response {
    let place = place_of(&ctx, &q);
    match load(&mut ctx, &place).await {
        Ok(data) => {
            let body = page(&ctx, &data, &place, None);
            ctx.render("Verifikasi", body)
        }
        Err(f) => ctx.fail(f),
    }
}

fn page(ctx: &Ctx, data: &Value, place: &Place, failed: Option<Failed<'_>>) -> Markup {
    let queue = &data["verificationQueue"];
    let items = super::list(&queue["items"]);
    let region = place.get("wilayah");
    html! {
        h1 { "Verifikasi" }
        p { "Data yang dicatat anggota menunggu diperiksa koordinator wilayah. Yang paling lama menunggu di atas. "
            "Data terverifikasi dihitung dalam ringkasan “hanya data terverifikasi”; yang dikembalikan kembali ke pencatatnya dengan catatan Anda." }
        form.filters method="get" action="/verifikasi" {
            div { label for="wilayah" { "Wilayah" } input #wilayah name="wilayah" value=[region] placeholder="kode wilayah, mis. 33.26"; }
            div { button type="submit" { "Tampilkan" } }
        }
        p #jumlah-antrian { (format::count(&queue["totalCount"])) " data menunggu verifikasi" }
        @if items.is_empty() {
            p.muted { @if place.get(AFTER).is_some() { "Tidak ada lagi yang menunggu setelah halaman sebelumnya." } @else { "Tidak ada yang menunggu verifikasi." } }
        }
        @for item in items {
            @let r = &item["record"];
            @let f = failed.as_ref().filter(|f| Some(f.id) == r["id"].as_str()).map(|f| f.form);
            (entry(ctx, r, &item["waitingSince"], f, place))
        }
        (place.pager("/verifikasi", queue))
    }
}

fn entry(ctx: &Ctx, r: &Value, since: &Value, failed: Option<&Form>, place: &Place) -> Markup {
    let id = text(&r["id"]);
    let is_contribution = r["__typename"] == "Contribution";
    let kind = if is_contribution {
        "kontribusi"
    } else {
        "indikator"
    };
    let note_id = format!("catatan-{id}");
    let error = failed.and_then(|f| f.error("catatan"));
    html! {
        article.antrian id={ "antrian-" (id) } {
            @if is_contribution {
                h2 { "Kontribusi: " a href={ "/kontribusi/" (id) } { (text(&r["title"])) } }
                dl.facts {
                    dt { "Dicatat oleh" } dd { (super::org_link(&r["contributor"])) }
                    dt { "Wilayah" } dd { (super::region_link(&r["region"])) }
                    dt { "Program" } dd { (super::program_link(&r["program"])) }
                    dt { "Tahun" } dd { (r["fiscalYear"]) " · " (lbl(Kind::Source, &r["source"])) " · " (lbl(Kind::ContributionStatus, &r["status"])) }
                    dt { "Rencana" } dd { (format::rupiah(&r["amountPlanned"])) }
                    dt { "Komitmen" } dd { (format::rupiah(&r["amountCommitted"])) }
                    dt { "Realisasi" } dd { (format::rupiah(&r["amountRealised"])) }
                    dt { "Menunggu sejak" } dd { (format::date(since)) }
                }
            } @else {
                h2 { "Indikator desa " a href={ "/wilayah/" (text(&r["villageCode"])) } { (text(&r["villageCode"])) } ", tahun " (r["fiscalYear"]) }
                dl.facts {
                    dt { "Sumber" } dd { (text(&r["source"])) ", " (format::date(&r["asOf"])) }
                    dt { "Rumah tangga miskin" } dd { (format::count(&r["poorHouseholds"])) " dari " (format::count(&r["households"])) }
                    dt { "Kasus stunting" } dd { (format::count(&r["stuntingCases"])) " · prevalensi " (format::decimal(r["stuntingPrevalence"].as_f64(), 1)) "%" }
                    dt { "Desa prioritas" } dd { (if r["priority"] == true { "Ya" } else { "Tidak" }) }
                    dt { "Menunggu sejak" } dd { (format::date(since)) }
                }
            }
            @if let Some(n) = failed.and_then(|f| f.notice.as_deref()) { p.error role="alert" { (n) } }
            div.keputusan {
                form.write method="post" action={ "/verifikasi/" (kind) "/" (id) "/verifikasi" } hx-boost="false" {
                    input type="hidden" name="csrf" value=(ctx.csrf);
                    input type="hidden" name=(forms::VERSION) value=(r["version"]);
                    (place.hidden())
                    div.actions { button.verifikasi type="submit" { "Verifikasi" } }
                }
                form.write method="post" action={ "/verifikasi/" (kind) "/" (id) "/kembalikan" } hx-boost="false" {
                    input type="hidden" name="csrf" value=(ctx.csrf);
                    input type="hidden" name=(forms::VERSION) value=(r["version"]);
                    (place.hidden())
                    div.field .invalid[error.is_some()] {
                        label for=(note_id) { "Yang perlu diperbaiki " span.muted { "(wajib)" } }
                        textarea id=(note_id) name="catatan" rows="2" required maxlength="1000"
                            aria-invalid=[error.map(|_| "true")] aria-describedby=[error.map(|_| format!("{note_id}-galat"))] {
                            (failed.map(|f| f.value("catatan")).unwrap_or(""))
                        }
                        @if let Some(e) = error { p.field-error id={ (note_id) "-galat" } { (e) } }
                    }
                    div.actions { button.kembalikan type="submit" { "Kembalikan" } }
                }
            }
        }
    }
}

/// `POST /verifikasi/{jenis}/{id}/{aksi}`: `jenis` is `kontribusi` or `indikator`, `aksi`
/// `verifikasi` or `kembalikan`.
pub async fn decide(
    mut ctx: Ctx,
    Path((kind, id, action)): Path<(String, String, String)>,
    body: Bytes,
) -> Response {
    let mut f = match Form::read(&ctx, &body) {
        Ok(f) => f,
        Err(refused) => return *refused,
    };
    let document = match (kind.as_str(), action.as_str()) {
        ("kontribusi", "verifikasi") => VERIFY_CONTRIBUTION,
        ("kontribusi", "kembalikan") => RETURN_CONTRIBUTION,
        ("indikator", "verifikasi") => VERIFY_INDICATORS,
        ("indikator", "kembalikan") => RETURN_INDICATORS,
        _ => return ctx.fail(Failure::not_found("Halaman ini tidak ada.")),
    };
    let returning = action == "kembalikan";
    let place = Place::from_form(&f, &PLACE);
    let result = async {
        ctx.require_user()?;
        let version = f.version();
        let mut vars = json!({ "id": id, "version": version });
        if returning {
            match f.text("catatan") {
                Some(note) => vars["note"] = json!(note),
                None => f.reject("catatan", "tuliskan apa yang perlu diperbaiki"),
            }
        }
        f.submit(
            &mut ctx,
            document,
            vars,
            forms::field_map(&[("note", "catatan")]),
        )
        .await
    }
    .await;
    match result {
        Ok(Some(_)) => return forms::done(&ctx, &place.href("/verifikasi")),
        Ok(None) => {}
        Err(e) => return ctx.fail(e),
    }
    let data = match load(&mut ctx, &place).await {
        Ok(d) => d,
        Err(e) => return ctx.fail(e),
    };
    let waiting = super::list(&data["verificationQueue"]["items"])
        .iter()
        .any(|i| i["record"]["id"] == id.as_str());
    if f.is_stale() && !waiting {
        // Decided already (a double click, or another coordinator): nothing left to do here.
        return forms::done(&ctx, &place.href("/verifikasi"));
    }
    let body = page(&ctx, &data, &place, Some(Failed { id: &id, form: &f }));
    forms::answer(&ctx, &f, "Verifikasi", body)
}
