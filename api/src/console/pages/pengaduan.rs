//! Pengaduan: anyone, signed in or not, reports a wrong figure about a village or a contribution
//! (`fileComplaint`) and follows it by its tracking code (`complaintByTrackingCode`), without an
//! account. The form counts against the address's own filing limit as `/graphql` does.

use super::{Params, param};
use crate::console::documents::{
    self as doc, ComplaintStatus, KirimPengaduan, LacakPengaduan, TentangPengaduan,
};
use crate::console::format;
use crate::console::forms::fields::{self as ui, field};
use crate::console::forms::{self, Form};
use crate::console::page::{Ctx, urlencode};
use crate::labels::{self, Kind};
use axum::body::Bytes;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::Response;
use maud::{Markup, html};

type About = doc::tentang_pengaduan::TentangPengaduanContribution;
type Tracking = doc::lacak_pengaduan::LacakPengaduanComplaintByTrackingCode;

const FIELDS: &[(&str, &str)] = &[
    ("input.regionCode", "desa"),
    ("input.fiscalYear", "tahun"),
    ("input.what", "apa"),
    ("input.reason", "alasan"),
    ("input.contact", "kontak"),
];

/// What a complaint filed from a phone or an office is told when the address filed too many.
const TOO_MANY: &str = "Dari alamat jaringan Anda sudah banyak pengaduan dikirim dalam satu jam terakhir. \
    Pengaduan Anda belum terkirim; isiannya tetap di bawah. Silakan kirim lagi sekitar satu jam lagi.";

/// Where the contact goes, said before anyone types it.
const CONTACT_NOTE: &str = "Nomor HP atau surel, bila Anda ingin dihubungi. Hanya koordinator \
    TKPK wilayah ini yang dapat melihatnya, dan kontak ini dihapus saat pengaduan selesai atau ditolak.";

async fn about(ctx: &mut Ctx, id: Option<String>) -> Option<About> {
    let id = id?;
    // Anonymous visitors may not see a contribution: then the form just names its id.
    let vars = doc::tentang_pengaduan::Variables { id };
    ctx.query::<TentangPengaduan>(vars).await.ok()?.contribution
}

fn body(ctx: &Ctx, f: &Form, contribution: Option<&About>) -> Markup {
    let on_contribution = f.text("kontribusi").is_some();
    html! {
        h1 { "Laporkan data yang salah" }
        p { "Menemukan angka yang keliru tentang desa Anda atau sebuah kontribusi? Laporkan di sini, tanpa perlu masuk. "
            "Koordinator TKPK wilayah tersebut akan menelaahnya. Anda mendapat kode pelacakan untuk mengikuti tindak lanjutnya." }
        p { a href="/pengaduan/lacak" { "Sudah punya kode? Lacak pengaduan" } }
        (ui::form(ctx, f, "/pengaduan", "form-pengaduan", html! {
            @if on_contribution {
                (ui::hidden("kontribusi", f.value("kontribusi")))
                p #tentang { "Tentang kontribusi: "
                    @match contribution {
                        Some(c) => {
                            @let contributor = c.contributor.as_ref().map_or("–", |o| o.name.as_str());
                            @let region = c.region.as_ref().map_or("–", |r| r.name.as_str());
                            strong { (c.title) } " (" (contributor) ", " (region) ", " (c.fiscal_year) ")"
                        }
                        None => { code { (f.value("kontribusi")) } }
                    }
                }
            } @else {
                (ui::region(f, field("desa", "Desa/kelurahan").required()))
                (ui::number(f, field("tahun", "Tahun data").hint("Bila yang salah adalah indikator desa tahun tertentu, mis. 2025")))
            }
            (ui::input(f, field("apa", "Data apa yang salah").required().hint("Mis. jumlah rumah tangga miskin 2025"), "text"))
            (ui::textarea(f, field("alasan", "Mengapa menurut Anda salah").required(), 4))
            (ui::input(f, field("kontak", "Kontak (tidak wajib)").hint(CONTACT_NOTE), "text"))
            (ui::submit("Kirim pengaduan"))
        }))
    }
}

/// `GET /pengaduan?desa=CODE` or `?kontribusi=ID`.
pub async fn form(mut ctx: Ctx, Query(q): Query<Params>) -> Response {
    let mut f = Form::new();
    if let Some(code) = param(&q, "desa") {
        f.set("desa", code);
    }
    if let Some(id) = param(&q, "kontribusi") {
        f.set("kontribusi", id);
    }
    let c = about(&mut ctx, f.text("kontribusi")).await;
    let page = body(&ctx, &f, c.as_ref());
    ctx.render("Laporkan data yang salah", page)
}

/// `POST /pengaduan`: files the complaint and shows its tracking code.
pub async fn file(mut ctx: Ctx, body_bytes: Bytes) -> Response {
    let mut f = match Form::read(&ctx, &body_bytes) {
        Ok(f) => f,
        Err(refused) => return *refused,
    };
    // Blank required fields have their reasons on the form (and then nothing is sent).
    let mut input = doc::kirim_pengaduan::ComplaintInput {
        what: f.required("apa").unwrap_or_default(),
        reason: f.required("alasan").unwrap_or_default(),
        contact: f.text("kontak"),
        contribution_id: None,
        region_code: None,
        fiscal_year: None,
    };
    if let Some(id) = f.text("kontribusi") {
        input.contribution_id = Some(id);
    } else {
        match forms::region::resolve(&mut ctx, &mut f, "desa", true).await {
            Ok(code) => input.region_code = code,
            Err(e) => return ctx.fail(e),
        }
        input.fiscal_year = f.whole("tahun", 2000..=2100, false);
    }
    let mut limited = false;
    if !f.has_errors() {
        let vars = doc::kirim_pengaduan::Variables { input };
        match ctx.query::<KirimPengaduan>(vars).await {
            Ok(data) => {
                let code = data.file_complaint.tracking_code;
                let to = format!("/pengaduan/lacak?kode={}&baru=1", urlencode(&code));
                return forms::done(&ctx, &to);
            }
            Err(e) if e.code == crate::error::Code::RateLimited => {
                limited = true;
                f.notice = Some(TOO_MANY.into());
            }
            Err(e) => {
                if let Err(e) = f.absorb(e, forms::field_map(FIELDS)) {
                    return ctx.fail(e);
                }
            }
        }
    }
    let c = about(&mut ctx, f.text("kontribusi")).await;
    let page = body(&ctx, &f, c.as_ref());
    let mut res = forms::answer(&ctx, &f, "Laporkan data yang salah", page);
    if limited {
        *res.status_mut() = StatusCode::TOO_MANY_REQUESTS;
    }
    res
}

/// `GET /pengaduan/lacak?kode=XXXX-XXXX-XXXX`: where a complaint stands, for whoever has the code.
pub async fn track(mut ctx: Ctx, Query(q): Query<Params>) -> Response {
    let code = param(&q, "kode").map(str::to_string);
    let found = match &code {
        Some(c) => {
            let vars = doc::lacak_pengaduan::Variables { code: c.clone() };
            match ctx.query::<LacakPengaduan>(vars).await {
                Ok(d) => Some(d.complaint_by_tracking_code),
                Err(e) => return ctx.fail(e),
            }
        }
        None => None,
    };
    let fresh = param(&q, "baru").is_some();
    let body = html! {
        h1 { "Lacak pengaduan" }
        form.filters method="get" action="/pengaduan/lacak" {
            div { label for="kode" { "Kode pelacakan" } input #kode name="kode" value=[code.as_deref()] placeholder="XXXX-XXXX-XXXX" required; }
            div { button type="submit" { "Lacak" } }
        }
        @match &found {
            Some(Some(c)) => { (tracking(c, fresh)) }
            Some(None) => { p.error #tidak-ditemukan role="alert" { "Tidak ada pengaduan dengan kode itu. Periksa kembali kode Anda." } }
            None => {}
        }
        p { a href="/pengaduan" { "Laporkan data lain yang salah" } }
    };
    let mut res = ctx.render("Lacak pengaduan", body);
    if matches!(found, Some(None)) {
        *res.status_mut() = StatusCode::NOT_FOUND;
    }
    res
}

fn tracking(c: &Tracking, fresh: bool) -> Markup {
    let resolution = c.resolution.as_deref().unwrap_or("–");
    html! {
        @if fresh {
            div.note #pengaduan-terkirim role="status" {
                p { strong { "Pengaduan Anda sudah diterima." } " Simpan kode pelacakan ini untuk mengikuti tindak lanjutnya:" }
                p.big #kode-pelacakan { (c.tracking_code) }
            }
        }
        dl.facts #status-pengaduan {
            dt { "Kode" } dd { (c.tracking_code) }
            dt { "Status" } dd #status { (labels::of(Kind::ComplaintStatus, &c.status)) }
            dt { "Tentang" } dd { (c.what) " · wilayah " a href={ "/wilayah/" (c.region_code) } { (c.region_code) } }
            dt { "Dikirim" } dd { (format::date_text(&c.filed_at)) }
            dt { "Terakhir berubah" } dd { (format::date_text(&c.updated_at)) }
            @if c.status == ComplaintStatus::Rejected { dt { "Alasan penolakan" } dd #hasil { (resolution) } }
            @if c.status == ComplaintStatus::Resolved { dt { "Koreksi yang dilakukan" } dd #hasil { (resolution) } }
        }
    }
}
