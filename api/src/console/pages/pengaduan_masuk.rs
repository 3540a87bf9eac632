//! Pengaduan masuk: the coordinators' inbox of data complaints in their region (`complaints`),
//! oldest first, with the triage steps as plain posts: take one into review, reject it with a
//! reason, or resolve it by linking the audit rows of the correction made since it was filed.

use super::antrian::{AFTER, Place};
use super::{Params, enum_of, region_of};
use crate::console::documents::{
    self as doc, ComplaintStatus, JejakKoreksi, PengaduanMasuk, PengaduanSatu, PerubahanTerbaru,
    SelesaikanPengaduan, TelaahPengaduan, TolakPengaduan,
};
use crate::console::format;
use crate::console::forms::{self, Form};
use crate::console::page::{Ctx, Failure, urlencode};
use crate::labels::{self, Kind};
use axum::body::Bytes;
use axum::extract::{Path, Query};
use axum::response::Response;
use maud::{Markup, html};

type Inbox = doc::pengaduan_masuk::PengaduanMasukComplaints;
/// A complaint as the inbox shows it (the `ComplaintEntry` fragment).
type Complaint = doc::pengaduan_masuk::ComplaintEntry;

super::placed!(doc::pengaduan_masuk::ComplaintEntryRegion);

/// The complaint one is resolving, as the inbox shows it: the same fragment, asked by
/// `PengaduanSatu`.
fn entry_of(c: doc::pengaduan_satu::ComplaintEntry) -> Complaint {
    use doc::pengaduan_masuk::{ComplaintEntryContribution, ComplaintEntryRegion};
    Complaint {
        id: c.id,
        version: c.version,
        tracking_code: c.tracking_code,
        status: c.status,
        fiscal_year: c.fiscal_year,
        what: c.what,
        reason: c.reason,
        contact: c.contact,
        resolution: c.resolution,
        correction_ids: c.correction_ids,
        created_at: c.created_at,
        updated_at: c.updated_at,
        region: c.region.map(|r| ComplaintEntryRegion {
            code: r.code,
            name: r.name,
        }),
        contribution: c.contribution.map(|k| ComplaintEntryContribution {
            id: k.id,
            title: k.title,
        }),
    }
}

/// A change since a complaint was filed, one of the choices of its correction (from a
/// contribution's audit trail, or the recent changes the coordinator may see).
struct Change {
    id: String,
    at: String,
    entity: String,
    action: String,
    actor: Option<String>,
}

/// [`Change`] from the audit entries of each document that lists them.
macro_rules! change_from {
    ($($t:ty),* $(,)?) => { $(
        impl From<$t> for Change {
            fn from(e: $t) -> Self {
                Change {
                    id: e.id,
                    at: e.at,
                    entity: e.entity,
                    action: e.action,
                    actor: e.actor.map(|a| a.name),
                }
            }
        }
    )* };
}

change_from!(
    doc::jejak_koreksi::JejakKoreksiAuditTrail,
    doc::perubahan_terbaru::PerubahanTerbaruRecentChanges,
);

/// The inbox's parameters: region (default: the coordinator's own), status (default: the open
/// ones) and page.
const PLACE: [&str; 3] = ["wilayah", "status", AFTER];

/// A status the inbox knows, or none.
fn known_status(place: &Place) -> Option<&str> {
    place.get("status").filter(|s| {
        labels::table(Kind::ComplaintStatus)
            .iter()
            .any(|(w, _)| w == s)
    })
}

async fn load(ctx: &mut Ctx, place: &Place) -> Result<Inbox, Failure> {
    ctx.require_user()?;
    let vars = doc::pengaduan_masuk::Variables {
        region: place.get("wilayah").map(String::from),
        statuses: known_status(place)
            .and_then(enum_of::<ComplaintStatus>)
            .map(|s| vec![s]),
        after: place.get(AFTER).map(String::from),
    };
    Ok(ctx.query::<PengaduanMasuk>(vars).await?.complaints)
}

/// `GET /pengaduan/masuk?wilayah=&status=&setelah=`.
pub async fn inbox(mut ctx: Ctx, Query(q): Query<Params>) -> Response {
    if let Err(e) = super::choice(&q, "status", Kind::ComplaintStatus) {
        return ctx.fail(e);
    }
    let place = Place::from_query(&q, &PLACE);
    match load(&mut ctx, &place).await {
        Ok(inbox) => {
            let body = page(&ctx, &inbox, &place, None);
            ctx.render("Pengaduan masuk", body)
        }
        Err(e) => ctx.fail(e),
    }
}

fn page(ctx: &Ctx, inbox: &Inbox, place: &Place, failed: Option<(&str, &Form)>) -> Markup {
    let (region, status) = (place.get("wilayah"), known_status(place));
    html! {
        h1 { "Pengaduan masuk" }
        p { "Laporan data yang salah dari masyarakat di wilayah Anda, yang paling lama di atas. Kontak pelapor hanya tampak bagi koordinator dan dihapus saat pengaduan ditutup." }
        form.filters method="get" action="/pengaduan/masuk" {
            div { label for="wilayah" { "Wilayah" } input #wilayah name="wilayah" value=[region] placeholder="kode wilayah, mis. 33.26"; }
            div {
                label for="status" { "Status" }
                select #status name="status" {
                    option value="" { "Yang masih terbuka" }
                    @for (wire, l) in labels::table(Kind::ComplaintStatus) { option value=(wire) selected[status == Some(*wire)] { (l) } }
                }
            }
            div { button type="submit" { "Tampilkan" } }
        }
        p #jumlah-pengaduan { (format::thousands(inbox.total_count.into())) " pengaduan" }
        @for c in &inbox.items {
            @let f = failed.filter(|(id, _)| *id == c.id).map(|(_, f)| f);
            (entry(ctx, c, f, place))
        }
        (place.pager_at("/pengaduan/masuk", inbox.has_next_page, inbox.end_cursor.as_deref()))
    }
}

fn entry(ctx: &Ctx, c: &Complaint, failed: Option<&Form>, place: &Place) -> Markup {
    let id = &c.id;
    let open = matches!(
        c.status,
        ComplaintStatus::Received | ComplaintStatus::InReview
    );
    let reason_id = format!("alasan-{id}");
    let error = failed.and_then(|f| f.error("alasan"));
    html! {
        article.antrian id={ "pengaduan-" (id) } {
            h2 { (c.what) }
            dl.facts {
                dt { "Status" } dd { span.badge { (labels::of(Kind::ComplaintStatus, &c.status)) } }
                dt { "Kode" } dd { (c.tracking_code) }
                dt { "Wilayah" } dd { (region_of(c.region.as_ref())) @if let Some(y) = c.fiscal_year { " · data tahun " (y) } }
                @if let Some(k) = &c.contribution {
                    dt { "Kontribusi" } dd { a href={ "/kontribusi/" (k.id) } { (k.title) } }
                }
                dt { "Alasan pelapor" } dd { (c.reason) }
                @if let Some(k) = &c.contact { dt { "Kontak pelapor" } dd.kontak { (k) } }
                dt { "Dikirim" } dd { (format::date_text(&c.created_at)) }
                @if let Some(r) = &c.resolution { dt { "Hasil" } dd { (r) } }
            }
            @if let Some(n) = failed.and_then(|f| f.notice.as_deref()) { p.error role="alert" { (n) } }
            @if open {
                div.keputusan {
                    @if c.status == ComplaintStatus::Received {
                        (post(ctx, c, place, "telaah", html! { div.actions { button.telaah type="submit" { "Telaah" } } }))
                    } @else {
                        p { a.button.selesaikan href=(place.href(&format!("/pengaduan/masuk/{}/selesai", urlencode(id)))) { "Selesaikan: tautkan koreksi" } }
                    }
                    (post(ctx, c, place, "tolak", html! {
                        div.field .invalid[error.is_some()] {
                            label for=(reason_id) { "Alasan penolakan " span.muted { "(wajib, dibaca pelapor)" } }
                            textarea id=(reason_id) name="alasan" rows="2" required maxlength="1000"
                                aria-invalid=[error.map(|_| "true")] aria-describedby=[error.map(|_| format!("{reason_id}-galat"))] {
                                (failed.map(|f| f.value("alasan")).unwrap_or(""))
                            }
                            @if let Some(e) = error { p.field-error id={ (reason_id) "-galat" } { (e) } }
                        }
                        div.actions { button.tolak type="submit" { "Tolak" } }
                    }))
                }
            }
        }
    }
}

fn post(ctx: &Ctx, c: &Complaint, place: &Place, action: &str, inner: Markup) -> Markup {
    html! {
        form.write method="post" action={ "/pengaduan/masuk/" (c.id) "/" (action) } hx-boost="false" {
            input type="hidden" name="csrf" value=(ctx.csrf);
            input type="hidden" name=(forms::VERSION) value=(c.version);
            (place.hidden())
            (inner)
        }
    }
}

/// `POST /pengaduan/masuk/{id}/{aksi}`: `telaah`, `tolak` (with `alasan`) or `selesai` (with
/// `catatan` and the ticked `koreksi`).
pub async fn triage(ctx: Ctx, Path((id, action)): Path<(String, String)>, body: Bytes) -> Response {
    decide(ctx, id, action, body).await
}

/// `POST /pengaduan/masuk/{id}/selesai`.
pub async fn resolve(ctx: Ctx, Path(id): Path<String>, body: Bytes) -> Response {
    decide(ctx, id, "selesai".into(), body).await
}

async fn decide(mut ctx: Ctx, id: String, action: String, body: Bytes) -> Response {
    let mut f = match Form::read(&ctx, &body) {
        Ok(f) => f,
        Err(refused) => return *refused,
    };
    let result = async {
        ctx.require_user()?;
        // A missing version has already put its notice on the form, so nothing is sent with 0.
        let version = f.version().unwrap_or_default();
        let map = forms::field_map(&[
            ("reason", "alasan"),
            ("note", "catatan"),
            ("correctionIds", "koreksi"),
        ]);
        // Blank required fields have their reasons on the form (and then nothing is sent).
        let stored = match action.as_str() {
            "telaah" => {
                let vars = doc::telaah_pengaduan::Variables {
                    id: id.clone(),
                    version,
                };
                f.send::<TelaahPengaduan>(&mut ctx, vars, map)
                    .await?
                    .is_some()
            }
            "tolak" => {
                let reason = f.text("alasan");
                if reason.is_none() {
                    f.reject("alasan", "tuliskan alasan penolakan untuk pelapor");
                }
                let vars = doc::tolak_pengaduan::Variables {
                    id: id.clone(),
                    version,
                    reason: reason.unwrap_or_default(),
                };
                f.send::<TolakPengaduan>(&mut ctx, vars, map)
                    .await?
                    .is_some()
            }
            "selesai" => {
                let note = f.text("catatan");
                if note.is_none() {
                    f.reject("catatan", "tuliskan koreksi yang dilakukan");
                }
                let correction_ids = f.all("koreksi");
                if correction_ids.is_empty() {
                    f.reject("koreksi", "pilih perubahan yang mengoreksi data ini");
                }
                let vars = doc::selesaikan_pengaduan::Variables {
                    id: id.clone(),
                    version,
                    correction_ids,
                    note: note.unwrap_or_default(),
                };
                f.send::<SelesaikanPengaduan>(&mut ctx, vars, map)
                    .await?
                    .is_some()
            }
            _ => return Err(Failure::not_found("Halaman ini tidak ada.")),
        };
        Ok(stored)
    }
    .await;
    let place = Place::from_form(&f, &PLACE);
    match result {
        Ok(true) => return forms::done(&ctx, &place.href("/pengaduan/masuk")),
        Ok(false) => {}
        Err(e) => return ctx.fail(e),
    }
    if action == "selesai" {
        return resolve_page(ctx, &id, f, &place).await;
    }
    let inbox = match load(&mut ctx, &place).await {
        Ok(inbox) => inbox,
        Err(e) => return ctx.fail(e),
    };
    let body = page(&ctx, &inbox, &place, Some((&id, &f)));
    forms::answer(&ctx, &f, "Pengaduan masuk", body)
}

/// `GET /pengaduan/masuk/{id}/selesai`: the complaint, and the changes made since it was filed
/// to pick the correction from; the inbox's place comes along, to go back to.
pub async fn resolve_form(ctx: Ctx, Path(id): Path<String>, Query(q): Query<Params>) -> Response {
    let place = Place::from_query(&q, &PLACE);
    resolve_page(ctx, &id, Form::new(), &place).await
}

async fn resolve_page(mut ctx: Ctx, id: &str, mut f: Form, place: &Place) -> Response {
    let loaded = async {
        let vars = doc::pengaduan_satu::Variables { id: id.to_string() };
        let c = ctx
            .query::<PengaduanSatu>(vars)
            .await?
            .complaint
            .filter(|c| c.status == ComplaintStatus::InReview)
            .ok_or_else(|| {
                Failure::not_found(
                    "Pengaduan ini tidak sedang ditelaah (atau bukan di wilayah Anda).",
                )
            })?;
        let c = entry_of(c);
        let changes: Vec<Change> = match &c.contribution {
            Some(k) => {
                let vars = doc::jejak_koreksi::Variables { id: k.id.clone() };
                let trail = ctx.query::<JejakKoreksi>(vars).await?.audit_trail;
                trail.into_iter().map(Change::from).collect()
            }
            None => {
                let vars = doc::perubahan_terbaru::Variables;
                let recent = ctx.query::<PerubahanTerbaru>(vars).await?.recent_changes;
                recent.into_iter().map(Change::from).collect()
            }
        };
        Ok::<_, Failure>((c, changes))
    }
    .await;
    let (c, changes) = match loaded {
        Ok(x) => x,
        Err(e) => return ctx.fail(e),
    };
    if f.value(forms::VERSION).is_empty() {
        f.set(forms::VERSION, c.version.to_string());
    }
    // Only changes made since the complaint was filed can be its correction.
    let choices: Vec<&Change> = changes.iter().filter(|e| e.at >= c.created_at).collect();
    let ticked = f.all("koreksi");
    f.label("koreksi", "Perubahan yang mengoreksi");
    let action = format!("/pengaduan/masuk/{}/selesai", urlencode(id));
    let body = html! {
        h1 { "Selesaikan pengaduan" }
        p { a href=(place.href("/pengaduan/masuk")) { "Kembali ke pengaduan masuk" } }
        // Shown as it will be once resolved: no steps, and no result yet.
        @let shown = Complaint { status: ComplaintStatus::Resolved, resolution: None, ..c.clone() };
        (entry(&ctx, &shown, None, &Place::default()))
        (forms::fields::form(&ctx, &f, &action, "form-selesai", html! {
            (forms::fields::version(&f))
            (place.hidden())
            fieldset.field #koreksi .invalid[f.error("koreksi").is_some()] {
                legend { "Perubahan yang mengoreksi" }
                @if choices.is_empty() { p.muted { "Belum ada perubahan sejak pengaduan dikirim: koreksi datanya dulu, lalu kembali ke sini." } }
                @for (i, e) in choices.iter().enumerate() {
                    @let eid = &e.id;
                    div.check {
                        input type="checkbox" id={ "koreksi-" (i) } name="koreksi" value=(eid) checked[ticked.contains(eid)];
                        label for={ "koreksi-" (i) } { (format::date_text(&e.at)) " · " (e.entity) " · " (e.action) " · " (e.actor.as_deref().unwrap_or("–")) }
                    }
                }
                @if let Some(err) = f.error("koreksi") { p.field-error { (err) } }
            }
            (forms::fields::textarea(&f, forms::fields::field("catatan", "Koreksi yang dilakukan (dibaca pelapor)").required(), 3))
            (forms::fields::submit("Selesaikan pengaduan"))
        }))
    };
    forms::answer(&ctx, &f, "Selesaikan pengaduan", body)
}
