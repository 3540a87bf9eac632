//! The console's pages by group, and the small helpers they share (query parameters, links,
//! labels, tables).

pub mod analisis;
mod antrian;
pub mod beranda;
pub mod impor;
pub mod impor_simpan;
mod impor_unggah;
pub mod indikator_tulis;
pub mod kata_sandi;
pub mod kontribusi;
pub mod kontribusi_aksi;
mod kontribusi_isian;
pub mod kontribusi_tulis;
pub mod laporan;
pub mod organisasi;
pub mod organisasi_baru;
pub mod pengaduan;
pub mod pengaduan_masuk;
pub mod pengguna;
pub mod pengguna_tulis;
pub mod program;
mod program_isian;
pub mod program_sinergi;
pub mod program_tulis;
pub mod rapat;
pub mod rapat_aksi;
mod rapat_isian;
pub mod rapat_tulis;
pub mod tindak_lanjut_tulis;
pub mod verifikasi;
pub mod wilayah;

use super::format;
use super::page::Failure;
use super::words as w;
use crate::labels::{self, Kind};
use maud::{Markup, html};
use serde_json::Value;
use std::collections::HashMap;

/// Query-string parameters as given (malformed ones are simply absent).
pub type Params = HashMap<String, String>;

/// A non-empty, trimmed parameter.
pub fn param<'a>(q: &'a Params, name: &str) -> Option<&'a str> {
    q.get(name).map(|s| s.trim()).filter(|s| !s.is_empty())
}

/// The `tahun` parameter as a fiscal year (default: this year in WIB); a bad value names the field.
pub fn year(q: &Params) -> Result<i32, Failure> {
    match param(q, "tahun") {
        None => Ok(this_year()),
        Some(t) => t
            .parse::<i32>()
            .ok()
            .filter(|y| crate::services::FISCAL_YEARS.contains(y))
            .ok_or_else(|| Failure::bad_input("tahun", "tahun anggaran antara 2000 dan 2100")),
    }
}

/// This year, in Western Indonesian Time.
pub fn this_year() -> i32 {
    use chrono::Datelike;
    (chrono::Utc::now() + chrono::Duration::hours(7)).year()
}

/// An optional whole-number parameter; a bad value names the field.
pub fn number(q: &Params, name: &str) -> Result<Option<i64>, Failure> {
    match param(q, name) {
        None => Ok(None),
        Some(t) => t
            .parse::<i64>()
            .ok()
            .filter(|n| (0..=1_000_000_000).contains(n))
            .map(Some)
            .ok_or_else(|| Failure::bad_input(name, "bilangan bulat tidak negatif")),
    }
}

/// A count of a typed answer with thousands dots; `–` when absent.
pub fn count_of(n: Option<i64>) -> String {
    n.map_or_else(|| "–".into(), |n| format::thousands(n.into()))
}

/// A link to the page of region `code`, its name with the code beside it.
pub fn region_at(code: &str, name: &str) -> Markup {
    html! { a href={ "/wilayah/" (code) } { (name) } " " span.muted { "(" (code) ")" } }
}

/// A link to the page of record `id` under `prefix` (`/organisasi/`, `/program/`), by its name.
pub fn link_to(prefix: &str, id: &str, name: &str) -> Markup {
    html! { a href={ (prefix) (id) } { (name) } }
}

/// A table inside a scrolling box (wide tables scroll by themselves, never the page), or a note
/// that there is nothing to show.
pub fn table(caption: &str, head: &[&str], rows: Vec<Markup>) -> Markup {
    html! {
        @if rows.is_empty() {
            p.muted { (w::NOTHING) }
        } @else {
            div.table-wrap {
                table {
                    caption.muted { (caption) }
                    thead { tr { @for h in head { th scope="col" { (h) } } } }
                    tbody { @for r in rows { (r) } }
                }
            }
        }
    }
}

/// The region and year filter every analytic page starts with.
pub fn region_year_form(action: &str, region: &str, year: i32, extra: Markup) -> Markup {
    html! {
        form.filters method="get" action=(action) {
            div {
                label for="wilayah" { (w::REGION) }
                input #wilayah name="wilayah" value=(region) placeholder=(w::REGION_HINT);
            }
            div {
                label for="tahun" { (w::YEAR) }
                input #tahun name="tahun" type="number" min="2000" max="2100" value=(year);
            }
            (extra)
            div { button type="submit" { (w::SHOW) } }
        }
    }
}

/// Headings of `contribution_rows`.
pub fn contribution_head(show_region: bool) -> Vec<&'static str> {
    let mut h = vec![w::TITLE];
    if show_region {
        h.push(w::REGION);
    }
    h.extend([
        w::CONTRIBUTOR,
        w::SOURCE,
        w::PROGRAM,
        w::YEAR,
        w::STATUS,
        w::COMMITTED,
        w::REALISED,
    ]);
    h
}

/// The default region of a user: a coordinator's scope, else the regency of its organization's home
/// region (empty: the whole country).
pub fn default_region(user: Option<&entity::user::Model>, org_region: Option<&str>) -> String {
    if let Some(scope) = user.and_then(|u| u.region_scope.clone()) {
        return scope;
    }
    org_region
        .map(|r| r.split('.').take(2).collect::<Vec<_>>().join("."))
        .unwrap_or_default()
}

/// An enum choice from the query string: absent, or one of `kind`'s wire names; anything else names
/// the parameter (every filter treats a bad value the same way).
pub fn choice(q: &Params, name: &str, kind: Kind) -> Result<Option<&'static str>, Failure> {
    match param(q, name) {
        None => Ok(None),
        Some(v) => labels::table(kind)
            .iter()
            .map(|(w, _)| *w)
            .find(|w| *w == v)
            .map(Some)
            .ok_or_else(|| Failure::bad_input(name, "pilihan tidak dikenal")),
    }
}

/// A labelled select of an enum's values, with "Semua" first.
pub fn enum_select(name: &str, label: &str, kind: Kind, selected: Option<&str>) -> Markup {
    html! {
        div {
            label for=(name) { (label) }
            select id=(name) name=(name) {
                option value="" { (w::ALL) }
                @for (wire, l) in labels::table(kind) { option value=(wire) selected[selected == Some(*wire)] { (l) } }
            }
        }
    }
}

/// The query string of `q`, sorted (stable links).
pub fn csv_query(q: &Params) -> String {
    let mut pairs: Vec<(&String, &String)> = q.iter().collect();
    pairs.sort();
    pairs
        .into_iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                crate::console::page::urlencode(k),
                crate::console::page::urlencode(v)
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// The links to the first page and to the one after `end_cursor`, keeping the query `q`.
pub fn pager_at(path: &str, q: &Params, has_next: bool, end_cursor: Option<&str>) -> Markup {
    let mut next = q.clone();
    if let Some(c) = end_cursor {
        next.insert("setelah".into(), c.into());
    }
    let mut first = q.clone();
    first.remove("setelah");
    html! {
        nav.pager aria-label="Halaman" {
            @if q.contains_key("setelah") { a href={ (path) "?" (csv_query(&first)) } { (w::FIRST_PAGE) } }
            @if has_next { a href={ (path) "?" (csv_query(&next)) } { (w::NEXT_PAGE) } }
        }
    }
}

// Typed answers: the shapes many documents share, and enums to and from their wire names.

/// An organization or a program as a typed answer asks for it (`{ id name }`), linked the same
/// way whichever document asked.
pub trait Named {
    fn id(&self) -> &str;
    fn name(&self) -> &str;
}

/// A region as a typed answer asks for it (`{ code name }`).
pub trait Placed {
    fn code(&self) -> &str;
    fn name(&self) -> &str;
}

/// [`Named`] for answer types with `id` and `name` fields.
macro_rules! named {
    ($($t:ty),* $(,)?) => { $(
        impl $crate::console::pages::Named for $t {
            fn id(&self) -> &str { &self.id }
            fn name(&self) -> &str { &self.name }
        }
    )* };
}
pub(crate) use named;

/// [`Placed`] for answer types with `code` and `name` fields.
macro_rules! placed {
    ($($t:ty),* $(,)?) => { $(
        impl $crate::console::pages::Placed for $t {
            fn code(&self) -> &str { &self.code }
            fn name(&self) -> &str { &self.name }
        }
    )* };
}
pub(crate) use placed;

/// A link to an organization's page (`–` when there is none).
pub fn org_of(o: Option<&impl Named>) -> Markup {
    link_or_dash("/organisasi/", o.map(|o| (o.id(), o.name())))
}

/// A link to a program's page.
pub fn program_of(p: &impl Named) -> Markup {
    link_to("/program/", p.id(), p.name())
}

/// A link to a region's page (`–` when there is none).
pub fn region_of(r: Option<&impl Placed>) -> Markup {
    region_or_dash(r.map(|r| (r.code(), r.name())))
}

/// A typed `Date` or `DateTime` that may be absent, as [`format::date_text`] shows it.
pub fn date_of(d: Option<&str>) -> String {
    d.map_or_else(|| "–".into(), format::date_text)
}

/// A stored enum from its wire name (`"PLANNED"`), as a form's or a filter's choice gives it.
pub fn enum_of<T: serde::de::DeserializeOwned>(wire: &str) -> Option<T> {
    serde_json::from_value(Value::String(wire.to_string())).ok()
}

/// The wire name of an enum value (what a form's select holds).
pub fn wire_name<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(Value::String(w)) => w,
        _ => String::new(),
    }
}

// The contributions table of the village, organization, program and contribution list pages.

/// One row of a contributions table, whichever page asked: each of their documents selects its
/// rows with the same `fragment ContributionRow on Contribution`, and [`ContributionRow`] reads any
/// of them into this one shape.
pub struct ContributionLine<'a> {
    pub id: &'a str,
    pub title: &'a str,
    /// The region's (code, name).
    pub region: Option<(&'a str, &'a str)>,
    /// The contributor's (id, name).
    pub contributor: Option<(&'a str, &'a str)>,
    pub source: crate::console::documents::FundingSource,
    /// The program's (id, name).
    pub program: Option<(&'a str, &'a str)>,
    pub fiscal_year: i64,
    pub status: crate::console::documents::ContributionStatus,
    pub committed: &'a str,
    pub realised: &'a str,
}

/// A document's `ContributionRow` fragment, read as a [`ContributionLine`].
pub trait ContributionRow {
    fn line(&self) -> ContributionLine<'_>;
}

/// [`ContributionRow`] for the fragment of each document module named.
macro_rules! contribution_row {
    ($($module:ident),* $(,)?) => { $(
        impl ContributionRow for crate::console::documents::$module::ContributionRow {
            fn line(&self) -> ContributionLine<'_> {
                ContributionLine {
                    id: &self.id,
                    title: &self.title,
                    region: self.region.as_ref().map(|r| (r.code.as_str(), r.name.as_str())),
                    contributor: self.contributor.as_ref().map(|o| (o.id.as_str(), o.name.as_str())),
                    source: self.source,
                    program: self.program.as_ref().map(|p| (p.id.as_str(), p.name.as_str())),
                    fiscal_year: self.fiscal_year,
                    status: self.status,
                    committed: &self.amount_committed,
                    realised: &self.amount_realised,
                }
            }
        }
    )* };
}

contribution_row!(desa, daftar_kontribusi, organisasi, program);

/// Contribution rows: funder, source, program, status and amounts (headings: [`contribution_head`]).
pub fn contribution_rows<'a, C: ContributionRow + 'a>(
    items: impl IntoIterator<Item = &'a C>,
    show_region: bool,
) -> Vec<Markup> {
    items
        .into_iter()
        .map(|c| {
            let c = c.line();
            html! {
                tr {
                    td { a href={ "/kontribusi/" (c.id) } { (c.title) } }
                    @if show_region { td { (region_or_dash(c.region)) } }
                    td { (link_or_dash("/organisasi/", c.contributor)) }
                    td { (labels::of(Kind::Source, &c.source)) }
                    td { (link_or_dash("/program/", c.program)) }
                    td.num { (c.fiscal_year) }
                    td { (labels::of(Kind::ContributionStatus, &c.status)) }
                    td.num { (format::money(c.committed)) }
                    td.num { (format::money(c.realised)) }
                }
            }
        })
        .collect()
}

/// [`region_at`] of a (code, name), or `–` when the region is absent.
pub fn region_or_dash(region: Option<(&str, &str)>) -> Markup {
    match region {
        Some((code, name)) => region_at(code, name),
        None => html! { "–" },
    }
}

/// [`link_to`] of an (id, name), or `–` when the record is absent.
pub fn link_or_dash(prefix: &str, record: Option<(&str, &str)>) -> Markup {
    match record {
        Some((id, name)) => link_to(prefix, id, name),
        None => html! { "–" },
    }
}

/// [`choice`] as the enum itself (the shared enums read their wire names).
pub fn choice_of<T: serde::de::DeserializeOwned>(
    q: &Params,
    name: &str,
    kind: Kind,
) -> Result<Option<T>, Failure> {
    choice(q, name, kind)?
        .map(|wire| enum_of(wire).ok_or_else(|| Failure::bad_input(name, "pilihan tidak dikenal")))
        .transpose()
}
