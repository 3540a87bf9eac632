//! Kontribusi: the list with the filters of `ContributionFilter`, paged with the API's cursors,
//! and a contribution's page with its transactions and (for those allowed) its audit trail.

use super::{Params, contribution_head, contribution_rows, count_of, param};
use crate::console::documents::{self as doc, DaftarKontribusi, JejakAudit, Kontribusi};
use crate::console::format;
use crate::console::page::{Ctx, Failure};
use crate::console::words as w;
use crate::labels::{self, Kind};
use axum::extract::{Path, Query};
use axum::response::Response;
use maud::{Markup, html};

/// One select filter: query parameter, label, enum.
const SELECTS: &[(&str, &str, Kind)] = &[
    ("sumber", w::SOURCE, Kind::Source),
    ("heliks", w::HELIX, Kind::Helix),
    ("klaster", w::CLUSTER, Kind::Cluster),
    ("status", w::STATUS, Kind::ContributionStatus),
];

fn filter(q: &Params) -> Result<doc::daftar_kontribusi::ContributionFilter, Failure> {
    let fiscal_year = match param(q, "tahun") {
        None => None,
        Some(t) => Some(
            t.parse::<i32>()
                .ok()
                .filter(|y| crate::services::FISCAL_YEARS.contains(y))
                .map(i64::from)
                .ok_or_else(|| {
                    Failure::bad_input("tahun", "tahun anggaran antara 2000 dan 2100")
                })?,
        ),
    };
    Ok(doc::daftar_kontribusi::ContributionFilter {
        region: param(q, "wilayah").map(str::to_string),
        fiscal_year,
        sources: super::choice_of(q, "sumber", Kind::Source)?.map(|v| vec![v]),
        helixes: super::choice_of(q, "heliks", Kind::Helix)?.map(|v| vec![v]),
        clusters: super::choice_of(q, "klaster", Kind::Cluster)?.map(|v| vec![v]),
        statuses: super::choice_of(q, "status", Kind::ContributionStatus)?.map(|v| vec![v]),
        contributor_ids: param(q, "organisasi").map(|o| vec![o.to_string()]),
        program_ids: param(q, "program").map(|p| vec![p.to_string()]),
        text: param(q, "q").map(str::to_string),
        fiscal_year_from: None,
        fiscal_year_to: None,
        kinds: None,
        target_groups: None,
        priority_villages_only: None,
    })
}

fn filter_form(q: &Params) -> Markup {
    html! {
        form.filters method="get" action="/kontribusi" {
            div { label for="wilayah" { (w::REGION) } input #wilayah name="wilayah" value=[param(q, "wilayah")] placeholder=(w::REGION_HINT); }
            div { label for="tahun" { (w::YEAR) } input #tahun name="tahun" type="number" min="2000" max="2100" value=[param(q, "tahun")]; }
            @for (name, label, kind) in SELECTS { (super::enum_select(name, label, *kind, param(q, name))) }
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
        let vars = doc::daftar_kontribusi::Variables {
            filter: Some(filter(&q)?),
            after: param(&q, "setelah").map(str::to_string),
        };
        ctx.query::<DaftarKontribusi>(vars).await
    }
    .await;
    let data = match result {
        Ok(d) => d,
        Err(f) => return ctx.fail(f),
    };
    let conn = &data.contributions;
    let t = &data.contribution_totals;
    let items = conn.edges.iter().map(|e| &e.node);
    let body = html! {
        h1 { "Kontribusi" }
        @if super::kontribusi_tulis::can_record(&ctx) {
            p { a.button #catat-kontribusi href={ "/kontribusi/baru" @if let Some(r) = param(&q, "wilayah") { "?wilayah=" (crate::console::page::urlencode(r)) } } { "Catat kontribusi" } }
        }
        (filter_form(&q))
        p #ringkasan-kontribusi {
            (format::thousands(t.count.into())) " kontribusi · " (w::PLANNED) " " (format::money(&t.planned))
            " · " (w::COMMITTED) " " (format::money(&t.committed)) " · " (w::REALISED) " " (format::money(&t.realised))
        }
        (super::table("Kontribusi", &contribution_head(true), contribution_rows(items, true)))
        (super::pager_at("/kontribusi", &q, conn.page_info.has_next_page, conn.page_info.end_cursor.as_deref()))
    };
    ctx.render("Kontribusi", body)
}

/// `GET /kontribusi/{id}`.
pub async fn show(mut ctx: Ctx, Path(id): Path<String>) -> Response {
    let data = match ctx
        .query::<Kontribusi>(doc::kontribusi::Variables { id: id.clone() })
        .await
    {
        Ok(d) => d,
        Err(f) => return ctx.fail(f),
    };
    let Some(c) = data.contribution else {
        return ctx.fail(Failure::not_found(
            "Kontribusi ini tidak ada atau belum boleh Anda lihat.",
        ));
    };
    // The trail is shown only to those the API shows it to; a refusal just leaves it out.
    let trail = match ctx
        .query::<JejakAudit>(doc::jejak_audit::Variables { id })
        .await
    {
        Ok(d) => Some(d.audit_trail),
        Err(f) if f.code == crate::error::Code::Forbidden => {
            ctx.ran.pop();
            None
        }
        Err(f) => return ctx.fail(f),
    };
    let contributor = c.contributor.as_ref();
    let body = html! {
        h1 { (c.title) }
        dl.facts {
            dt { (w::CONTRIBUTOR) } dd { (super::link_or_dash("/organisasi/", contributor.map(|o| (o.id.as_str(), o.name.as_str()))))
                " · " (contributor.map_or_else(|| "–".to_string(), |o| labels::of(Kind::Helix, &o.helix))) }
            dt { (w::REGION) } dd { (super::region_or_dash(c.region.as_ref().map(|r| (r.code.as_str(), r.name.as_str())))) }
            dt { (w::PROGRAM) } dd { (super::link_or_dash("/program/", c.program.as_ref().map(|p| (p.id.as_str(), p.name.as_str())))) }
            dt { (w::YEAR) } dd { (c.fiscal_year) }
            dt { (w::SOURCE) } dd { (labels::of(Kind::Source, &c.source)) }
            dt { (w::KIND) } dd { (labels::of(Kind::ContributionKind, &c.kind)) }
            dt { (w::STATUS) } dd { (labels::of(Kind::ContributionStatus, &c.status)) }
            dt { "Verifikasi" } dd #status-verifikasi { (super::verifikasi::badge(c.verification, c.verification_note.as_deref())) }
            dt { (w::TARGET_GROUP) } dd { (c.target_group.map_or_else(|| "–".to_string(), |g| labels::of(Kind::TargetGroup, &g))) }
            dt { (w::BENEFICIARIES) } dd { (count_of(c.beneficiaries)) }
            dt { (w::PLANNED) } dd { (format::money(&c.amount_planned)) }
            dt { (w::COMMITTED) } dd { (format::money(&c.amount_committed)) }
            dt { (w::DISBURSED) } dd { (format::money(&c.amount_disbursed)) }
            dt { (w::REALISED) } dd { (format::money(&c.amount_realised)) }
            dt { "Dicatat" } dd { (format::date_text(&c.created_at)) }
            dt { "Diubah" } dd { (format::date_text(&c.updated_at)) " (versi " (c.version) ")" }
        }
        @if let Some(d) = &c.description { p { (d) } }
        @if crate::console::forms::acts_for(&ctx, contributor.map(|o| o.id.as_str())) {
            (super::verifikasi::returned_note(c.verification, c.verification_note.as_deref(), &format!("/kontribusi/{}/ubah", c.id)))
        }
        p { a #laporkan href={ "/pengaduan?kontribusi=" (c.id) } { "Laporkan data yang salah" } }
        (super::kontribusi_aksi::panel(&ctx, &super::kontribusi_aksi::Panel {
            id: &c.id,
            version: c.version,
            status: c.status,
            contributor: c.contributor.as_ref().map(|o| o.id.as_str()),
        }))
        h2 { "Transaksi" }
        (super::table("Transaksi komitmen, pencairan dan belanja", &[w::DATE, w::KIND, "Nilai", "Catatan"], c.transactions.iter().map(|t| html! { tr {
            td { (format::date_text(&t.date)) } td { (labels::of(Kind::TransactionType, &t.type_)) }
            td.num { (format::money(&t.amount)) } td { (t.note.as_deref().unwrap_or("")) }
        } }).collect()))
        @if let Some(trail) = &trail {
            h2 { "Jejak perubahan" }
            (super::table("Jejak audit", &[w::DATE, "Oleh", "Perubahan", "Sesudah"], trail.iter().map(|e| html! { tr {
                td { (format::date_text(&e.at)) }
                td { (e.actor.as_ref().map_or("–", |a| a.name.as_str())) @if let Some(o) = &e.organization { " · " (o.name) } }
                td { (e.action) }
                td { code { (e.after.as_deref().map(|s| s.chars().take(300).collect::<String>()).unwrap_or_default()) } }
            } }).collect()))
        }
    };
    ctx.render(&c.title, body)
}
