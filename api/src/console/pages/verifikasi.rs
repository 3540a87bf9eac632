//! Verifikasi: the coordinator's queue of what members entered in its region (contributions and
//! village indicators), the longest waiting first, each with "Verifikasi" and "Kembalikan" (with a
//! note saying what to fix) as plain posts running `verifyContribution` / `returnContribution` and
//! their indicator twins; and the badge every record's page shows of where it stands.

use super::antrian::{AFTER, Place};
use crate::console::documents::{
    self as doc, KembalikanIndikator, KembalikanKontribusi, Verification, Verifikasi,
    VerifikasiIndikator, VerifikasiKontribusi,
};
use crate::console::format;
use crate::console::forms::{self, Form};
use crate::console::page::{Ctx, Failure};
use crate::labels::{self, Kind};
use axum::body::Bytes;
use axum::extract::{Path, Query};
use axum::response::Response;
use maud::{Markup, html};

type Queue = doc::verifikasi::VerifikasiVerificationQueue;
type Record = doc::verifikasi::VerifikasiVerificationQueueItemsRecord;
type Contribution = doc::verifikasi::VerifikasiVerificationQueueItemsRecordOnContribution;
type Indicators = doc::verifikasi::VerifikasiVerificationQueueItemsRecordOnVillageIndicators;

/// Where a record stands with the coordinators, as a badge, with the note of a returned record.
pub fn badge(v: Verification, note: Option<&str>) -> Markup {
    html! {
        span.badge.lulus[v == Verification::Verified].late[v == Verification::Returned] .verifikasi { (labels::of(Kind::Verification, &v)) }
        @if v == Verification::Returned {
            @if let Some(note) = note {
                " " span.catatan-verifikasi { "Catatan koordinator: " (note) }
            }
        }
    }
}

/// What a member sees on its returned record: the note, and where to fix it.
pub fn returned_note(v: Verification, note: Option<&str>, edit: &str) -> Markup {
    if v != Verification::Returned {
        return html! {};
    }
    html! {
        div.note #dikembalikan role="status" {
            p { strong { "Dikembalikan oleh koordinator. " } "Yang perlu diperbaiki: " (note.unwrap_or("–")) }
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
fn place_of(ctx: &Ctx, q: &super::Params) -> Place {
    let place = Place::from_query(q, &PLACE);
    match ctx.user().and_then(|u| u.region_scope.clone()) {
        Some(own) if place.get("wilayah").is_none() => place.with("wilayah", &own),
        _ => place,
    }
}

async fn load(ctx: &mut Ctx, place: &Place) -> Result<Queue, Failure> {
    ctx.require_user()?;
    let vars = doc::verifikasi::Variables {
        region: place.get("wilayah").map(String::from),
        after: place.get(AFTER).map(String::from),
    };
    Ok(ctx.query::<Verifikasi>(vars).await?.verification_queue)
}

/// `GET /verifikasi?wilayah=&setelah=`.
pub async fn queue(mut ctx: Ctx, Query(q): Query<super::Params>) -> Response {
    let place = place_of(&ctx, &q);
    match load(&mut ctx, &place).await {
        Ok(queue) => {
            let body = page(&ctx, &queue, &place, None);
            ctx.render("Verifikasi", body)
        }
        Err(f) => ctx.fail(f),
    }
}

/// The id of a waiting record, whichever kind it is.
fn id_of(record: &Record) -> &str {
    match record {
        Record::Contribution(c) => &c.id,
        Record::VillageIndicators(i) => &i.id,
    }
}

fn page(ctx: &Ctx, queue: &Queue, place: &Place, failed: Option<Failed<'_>>) -> Markup {
    let region = place.get("wilayah");
    html! {
        h1 { "Verifikasi" }
        p { "Data yang dicatat anggota menunggu diperiksa koordinator wilayah. Yang paling lama menunggu di atas. "
            "Data terverifikasi dihitung dalam ringkasan “hanya data terverifikasi”; yang dikembalikan kembali ke pencatatnya dengan catatan Anda." }
        form.filters method="get" action="/verifikasi" {
            div { label for="wilayah" { "Wilayah" } input #wilayah name="wilayah" value=[region] placeholder="kode wilayah, mis. 33.26"; }
            div { button type="submit" { "Tampilkan" } }
        }
        p #jumlah-antrian { (format::thousands(queue.total_count.into())) " data menunggu verifikasi" }
        @if queue.items.is_empty() {
            p.muted { @if place.get(AFTER).is_some() { "Tidak ada lagi yang menunggu setelah halaman sebelumnya." } @else { "Tidak ada yang menunggu verifikasi." } }
        }
        @for item in &queue.items {
            @let id = id_of(&item.record);
            @let f = failed.as_ref().filter(|f| f.id == id).map(|f| f.form);
            (entry(ctx, &item.record, &item.waiting_since, f, place))
        }
        (place.pager_at("/verifikasi", queue.has_next_page, queue.end_cursor.as_deref()))
    }
}

fn contribution(c: &Contribution, since: &str) -> Markup {
    html! {
        h2 { "Kontribusi: " a href={ "/kontribusi/" (c.id) } { (c.title) } }
        dl.facts {
            dt { "Dicatat oleh" } dd { (super::link_or_dash("/organisasi/", c.contributor.as_ref().map(|o| (o.id.as_str(), o.name.as_str())))) }
            dt { "Wilayah" } dd { (super::region_or_dash(c.region.as_ref().map(|r| (r.code.as_str(), r.name.as_str())))) }
            dt { "Program" } dd { (super::link_or_dash("/program/", c.program.as_ref().map(|p| (p.id.as_str(), p.name.as_str())))) }
            dt { "Tahun" } dd { (c.fiscal_year) " · " (labels::of(Kind::Source, &c.source)) " · " (labels::of(Kind::ContributionStatus, &c.status)) }
            dt { "Rencana" } dd { (format::money(&c.amount_planned)) }
            dt { "Komitmen" } dd { (format::money(&c.amount_committed)) }
            dt { "Realisasi" } dd { (format::money(&c.amount_realised)) }
            dt { "Menunggu sejak" } dd { (format::date_text(since)) }
        }
    }
}

fn indicators(i: &Indicators, since: &str) -> Markup {
    let count = super::count_of;
    html! {
        h2 { "Indikator desa " a href={ "/wilayah/" (i.village_code) } { (i.village_code) } ", tahun " (i.fiscal_year) }
        dl.facts {
            dt { "Sumber" } dd { (i.data_source) ", " (format::date_text(&i.as_of)) }
            dt { "Rumah tangga miskin" } dd { (count(i.poor_households)) " dari " (count(i.households)) }
            dt { "Kasus stunting" } dd { (count(i.stunting_cases)) " · prevalensi " (format::decimal(i.stunting_prevalence, 1)) "%" }
            dt { "Desa prioritas" } dd { (if i.priority { "Ya" } else { "Tidak" }) }
            dt { "Menunggu sejak" } dd { (format::date_text(since)) }
        }
    }
}

fn entry(ctx: &Ctx, r: &Record, since: &str, failed: Option<&Form>, place: &Place) -> Markup {
    let (kind, id, version, facts) = match r {
        Record::Contribution(c) => ("kontribusi", &c.id, c.version, contribution(c, since)),
        Record::VillageIndicators(i) => ("indikator", &i.id, i.version, indicators(i, since)),
    };
    let note_id = format!("catatan-{id}");
    let error = failed.and_then(|f| f.error("catatan"));
    html! {
        article.antrian id={ "antrian-" (id) } {
            (facts)
            @if let Some(n) = failed.and_then(|f| f.notice.as_deref()) { p.error role="alert" { (n) } }
            div.keputusan {
                form.write method="post" action={ "/verifikasi/" (kind) "/" (id) "/verifikasi" } hx-boost="false" {
                    input type="hidden" name="csrf" value=(ctx.csrf);
                    input type="hidden" name=(forms::VERSION) value=(version);
                    (place.hidden())
                    div.actions { button.verifikasi type="submit" { "Verifikasi" } }
                }
                form.write method="post" action={ "/verifikasi/" (kind) "/" (id) "/kembalikan" } hx-boost="false" {
                    input type="hidden" name="csrf" value=(ctx.csrf);
                    input type="hidden" name=(forms::VERSION) value=(version);
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
    let known = matches!(
        (kind.as_str(), action.as_str()),
        ("kontribusi" | "indikator", "verifikasi" | "kembalikan")
    );
    if !known {
        return ctx.fail(Failure::not_found("Halaman ini tidak ada."));
    }
    let place = Place::from_form(&f, &PLACE);
    let result = match ctx.require_user() {
        Ok(_) => send(&mut ctx, &mut f, &kind, &action, id.clone()).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(true) => return forms::done(&ctx, &place.href("/verifikasi")),
        Ok(false) => {}
        Err(e) => return ctx.fail(e),
    }
    let queue = match load(&mut ctx, &place).await {
        Ok(q) => q,
        Err(e) => return ctx.fail(e),
    };
    let waiting = queue.items.iter().any(|i| id_of(&i.record) == id);
    if f.is_stale() && !waiting {
        // Decided already (a double click, or another coordinator): nothing left to do here.
        return forms::done(&ctx, &place.href("/verifikasi"));
    }
    let body = page(&ctx, &queue, &place, Some(Failed { id: &id, form: &f }));
    forms::answer(&ctx, &f, "Verifikasi", body)
}

/// Runs the decision `action` on record `id` of `kind`: `true` once stored, `false` when the form
/// is to be shown again with its reasons.
async fn send(
    ctx: &mut Ctx,
    f: &mut Form,
    kind: &str,
    action: &str,
    id: String,
) -> Result<bool, Failure> {
    // A missing version has already put its notice on the form, so nothing is sent with 0.
    let version = f.version().unwrap_or_default();
    let fields = forms::field_map(&[("note", "catatan")]);
    let note = if action == "kembalikan" {
        let note = f.text("catatan");
        if note.is_none() {
            f.reject("catatan", "tuliskan apa yang perlu diperbaiki");
        }
        note.unwrap_or_default()
    } else {
        String::new()
    };
    let stored = match (kind, action) {
        ("kontribusi", "verifikasi") => {
            let vars = doc::verifikasi_kontribusi::Variables { id, version };
            f.send::<VerifikasiKontribusi>(ctx, vars, fields)
                .await?
                .is_some()
        }
        ("kontribusi", "kembalikan") => {
            let vars = doc::kembalikan_kontribusi::Variables { id, version, note };
            f.send::<KembalikanKontribusi>(ctx, vars, fields)
                .await?
                .is_some()
        }
        ("indikator", "verifikasi") => {
            let vars = doc::verifikasi_indikator::Variables { id, version };
            f.send::<VerifikasiIndikator>(ctx, vars, fields)
                .await?
                .is_some()
        }
        ("indikator", "kembalikan") => {
            let vars = doc::kembalikan_indikator::Variables { id, version, note };
            f.send::<KembalikanIndikator>(ctx, vars, fields)
                .await?
                .is_some()
        }
        _ => return Err(Failure::not_found("Halaman ini tidak ada.")),
    };
    Ok(stored)
}
