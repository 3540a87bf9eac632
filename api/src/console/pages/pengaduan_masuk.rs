//! Pengaduan masuk: the coordinators' inbox of data complaints in their region (`complaints`),
//! oldest first, with the triage steps as plain posts: take one into review, reject it with a
//! reason, or resolve it by linking the audit rows of the correction made since it was filed.

use super::antrian::{AFTER, Place};
use super::{Params, lbl, text};
use crate::console::format;
use crate::console::forms::{self, Form};
use crate::console::page::{Ctx, Failure, urlencode};
use crate::labels::{self, Kind};
use axum::body::Bytes;
use axum::extract::{Path, Query};
use axum::response::Response;
use maud::{Markup, html};
use serde_json::{Value, json};

const INBOX: &str = include_str!("../queries/pengaduan_masuk.graphql");
const ONE: &str = include_str!("../queries/pengaduan_satu.graphql");
const REVIEW: &str = include_str!("../queries/pengaduan_telaah.graphql");
const RESOLVE: &str = include_str!("../queries/pengaduan_selesai.graphql");
const REJECT: &str = include_str!("../queries/pengaduan_tolak.graphql");
const TRAIL: &str = include_str!("../queries/pengaduan_jejak.graphql");
const RECENT: &str = include_str!("../queries/pengaduan_perubahan.graphql");

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

async fn load(ctx: &mut Ctx, place: &Place) -> Result<Value, Failure> {
    ctx.require_user()?;
    let vars = json!({
        "region": place.get("wilayah"),
        "statuses": known_status(place).map(|s| json!([s])),
        "after": place.get(AFTER),
    });
    ctx.run(INBOX, vars).await
}

/// `GET /pengaduan/masuk?wilayah=&status=&setelah=`.
pub async fn inbox(mut ctx: Ctx, Query(q): Query<Params>) -> Response {
    if let Err(e) = super::choice(&q, "status", Kind::ComplaintStatus) {
        return ctx.fail(e);
    }
    let place = Place::from_query(&q, &PLACE);
    match load(&mut ctx, &place).await {
        Ok(data) => {
            let body = page(&ctx, &data, &place, None);
            ctx.render("Pengaduan masuk", body)
        }
        Err(e) => ctx.fail(e),
    }
}

fn page(ctx: &Ctx, data: &Value, place: &Place, failed: Option<(&str, &Form)>) -> Markup {
    let inbox = &data["complaints"];
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
        p #jumlah-pengaduan { (format::count(&inbox["totalCount"])) " pengaduan" }
        @for c in super::list(&inbox["items"]) {
            @let f = failed.filter(|(id, _)| Some(*id) == c["id"].as_str()).map(|(_, f)| f);
            (entry(ctx, c, f, place))
        }
        (place.pager("/pengaduan/masuk", inbox))
    }
}

fn entry(ctx: &Ctx, c: &Value, failed: Option<&Form>, place: &Place) -> Markup {
    let id = text(&c["id"]);
    let status = c["status"].as_str().unwrap_or("");
    let open = matches!(status, "RECEIVED" | "IN_REVIEW");
    let reason_id = format!("alasan-{id}");
    let error = failed.and_then(|f| f.error("alasan"));
    html! {
        article.antrian id={ "pengaduan-" (id) } {
            h2 { (text(&c["what"])) }
            dl.facts {
                dt { "Status" } dd { span.badge { (lbl(Kind::ComplaintStatus, &c["status"])) } }
                dt { "Kode" } dd { (text(&c["trackingCode"])) }
                dt { "Wilayah" } dd { (super::region_link(&c["region"])) @if !c["fiscalYear"].is_null() { " · data tahun " (c["fiscalYear"]) } }
                @if let Some(cid) = c["contribution"]["id"].as_str() {
                    dt { "Kontribusi" } dd { a href={ "/kontribusi/" (cid) } { (text(&c["contribution"]["title"])) } }
                }
                dt { "Alasan pelapor" } dd { (text(&c["reason"])) }
                @if let Some(k) = c["contact"].as_str() { dt { "Kontak pelapor" } dd.kontak { (k) } }
                dt { "Dikirim" } dd { (format::date(&c["createdAt"])) }
                @if let Some(r) = c["resolution"].as_str() { dt { "Hasil" } dd { (r) } }
            }
            @if let Some(n) = failed.and_then(|f| f.notice.as_deref()) { p.error role="alert" { (n) } }
            @if open {
                div.keputusan {
                    @if status == "RECEIVED" {
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

fn post(ctx: &Ctx, c: &Value, place: &Place, action: &str, inner: Markup) -> Markup {
    html! {
        form.write method="post" action={ "/pengaduan/masuk/" (text(&c["id"])) "/" (action) } hx-boost="false" {
            input type="hidden" name="csrf" value=(ctx.csrf);
            input type="hidden" name=(forms::VERSION) value=(c["version"]);
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
        let version = f.version();
        let (document, vars) = match action.as_str() {
            "telaah" => (REVIEW, json!({ "id": id, "version": version })),
            "tolak" => {
                let reason = f.text("alasan");
                if reason.is_none() {
                    f.reject("alasan", "tuliskan alasan penolakan untuk pelapor");
                }
                (
                    REJECT,
                    json!({ "id": id, "version": version, "reason": reason }),
                )
            }
            "selesai" => {
                let note = f.text("catatan");
                if note.is_none() {
                    f.reject("catatan", "tuliskan koreksi yang dilakukan");
                }
                let ids = f.all("koreksi");
                if ids.is_empty() {
                    f.reject("koreksi", "pilih perubahan yang mengoreksi data ini");
                }
                (
                    RESOLVE,
                    json!({ "id": id, "version": version, "note": note, "correctionIds": ids }),
                )
            }
            _ => return Err(Failure::not_found("Halaman ini tidak ada.")),
        };
        let map = forms::field_map(&[
            ("reason", "alasan"),
            ("note", "catatan"),
            ("correctionIds", "koreksi"),
        ]);
        f.submit(&mut ctx, document, vars, map).await
    }
    .await;
    let place = Place::from_form(&f, &PLACE);
    match result {
        Ok(Some(_)) => return forms::done(&ctx, &place.href("/pengaduan/masuk")),
        Ok(None) => {}
        Err(e) => return ctx.fail(e),
    }
    if action == "selesai" {
        return resolve_page(ctx, &id, f, &place).await;
    }
    let data = match load(&mut ctx, &place).await {
        Ok(d) => d,
        Err(e) => return ctx.fail(e),
    };
    let body = page(&ctx, &data, &place, Some((&id, &f)));
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
        let data = ctx.run(ONE, json!({ "id": id })).await?;
        let c = Some(data["complaint"].clone())
            .filter(|c| c["status"] == "IN_REVIEW")
            .ok_or_else(|| {
                Failure::not_found(
                    "Pengaduan ini tidak sedang ditelaah (atau bukan di wilayah Anda).",
                )
            })?;
        let entries = match c["contribution"]["id"].as_str() {
            Some(cid) => ctx.run(TRAIL, json!({ "id": cid })).await?["auditTrail"].clone(),
            None => ctx.run(RECENT, json!({})).await?["recentChanges"].clone(),
        };
        Ok::<_, Failure>((c, entries))
    }
    .await;
    let (c, entries) = match loaded {
        Ok(x) => x,
        Err(e) => return ctx.fail(e),
    };
    if f.value(forms::VERSION).is_empty() {
        f.set(forms::VERSION, c["version"].to_string());
    }
    // Only changes made since the complaint was filed can be its correction.
    let filed = text(&c["createdAt"]).to_string();
    let choices: Vec<&Value> = super::list(&entries)
        .iter()
        .filter(|e| text(&e["at"]) >= filed.as_str())
        .collect();
    let ticked = f.all("koreksi");
    f.label("koreksi", "Perubahan yang mengoreksi");
    let action = format!("/pengaduan/masuk/{}/selesai", urlencode(id));
    let body = html! {
        h1 { "Selesaikan pengaduan" }
        p { a href=(place.href("/pengaduan/masuk")) { "Kembali ke pengaduan masuk" } }
        (entry(&ctx, &json!({ "id": c["id"], "what": c["what"], "status": "RESOLVED", "trackingCode": c["trackingCode"],
            "region": c["region"], "fiscalYear": c["fiscalYear"], "contribution": c["contribution"], "reason": c["reason"],
            "contact": c["contact"], "createdAt": c["createdAt"] }), None, &Place::default()))
        (forms::fields::form(&ctx, &f, &action, "form-selesai", html! {
            (forms::fields::version(&f))
            (place.hidden())
            fieldset.field #koreksi .invalid[f.error("koreksi").is_some()] {
                legend { "Perubahan yang mengoreksi" }
                @if choices.is_empty() { p.muted { "Belum ada perubahan sejak pengaduan dikirim: koreksi datanya dulu, lalu kembali ke sini." } }
                @for (i, e) in choices.iter().enumerate() {
                    @let eid = text(&e["id"]);
                    div.check {
                        input type="checkbox" id={ "koreksi-" (i) } name="koreksi" value=(eid) checked[ticked.iter().any(|t| t == eid)];
                        label for={ "koreksi-" (i) } { (format::date(&e["at"])) " · " (text(&e["entity"])) " · " (text(&e["action"])) " · " (text(&e["actor"]["name"])) }
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
