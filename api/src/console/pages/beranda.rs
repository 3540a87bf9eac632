//! Beranda: the overview of a region and year. Planned, committed and realised totals by helix,
//! source and cluster; priority villages covered and not; open and overdue action items; the latest
//! changes the user may see. Anonymous visitors get a short welcome with the public region browser.

use super::{Params, default_region, param, region_year_form, year};
use crate::console::charts::{self, Row};
use crate::console::documents::{self as doc, Beranda, BerandaCelah, Saya};
use crate::console::format;
use crate::console::page::{Ctx, Failure};
use crate::console::words as w;
use crate::labels::{self, Kind};
use crate::services::audit::AuditEntity;
use axum::extract::Query;
use axum::response::Response;
use maud::{Markup, html};

type Summary = doc::beranda::BerandaRingkasan;
type SummaryKey = doc::beranda::BerandaRingkasanKey;
type FollowUp = doc::beranda::BerandaTindakLanjut;
type Change = doc::beranda::BerandaPerubahan;
type Gaps = doc::beranda_celah::BerandaCelahCoverageGaps;
type GapNode = doc::beranda_celah::BerandaCelahCoverageGapsEdgesNode;

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
            let me = ctx.query::<Saya>(doc::saya::Variables).await?.me;
            let org = me.and_then(|m| m.organization);
            let org_region = org.and_then(|o| o.region).map(|r| r.code);
            default_region(ctx.user(), org_region.as_deref())
        }
    };
    let region_var = (!region.is_empty()).then(|| region.clone());
    // `verified=1`: only what a coordinator has verified counts (and the workbook link says so).
    let verified = param(q, "verified").is_some_and(|v| v == "1" || v == "true");
    let vars = doc::beranda::Variables {
        region: region_var,
        year: year.into(),
        verified_only: verified,
    };
    let data = ctx.query::<Beranda>(vars).await?;
    let gaps = match region.is_empty() {
        true => None,
        false => {
            let vars = doc::beranda_celah::Variables {
                region: region.clone(),
                year: year.into(),
                verified_only: verified,
            };
            Some(ctx.query::<BerandaCelah>(vars).await?)
        }
    };
    let place = gaps
        .as_ref()
        .and_then(|g| g.region.as_ref())
        .map(|r| r.name.clone())
        .unwrap_or_else(|| "Indonesia".into());
    let title = format!("{} {place} {year}", w::NAV_OVERVIEW);
    let sums = &data.ringkasan;
    let per_helix = fold(sums, Kind::Helix, |k| {
        k.helix.as_ref().map(super::wire_name)
    });
    let per_source = fold(sums, Kind::Source, |k| {
        k.source.as_ref().map(super::wire_name)
    });
    let per_cluster = fold(sums, Kind::Cluster, |k| {
        k.cluster.as_ref().map(super::wire_name)
    });
    let label = |kind: Kind| {
        move |key: Option<&str>| key.map_or("–", |k| labels::label(kind, k)).to_string()
    };
    let body = html! {
        h1 { "Ringkasan " (place) ", tahun anggaran " (year) }
        (region_year_form("/", &region, year, verified_toggle(verified)))
        (crate::console::live::contributions(&region))
        @if verified { p.note #hanya-terverifikasi { "Hanya data yang sudah diverifikasi koordinator yang dihitung." } }
        (totals(&per_helix))
        (links(ctx, &region, year, verified))
        div.charts {
            section { h2 { "Per heliks" }
                (chart("Kontribusi per heliks", &per_helix, label(Kind::Helix))) }
            section { h2 { "Per sumber dana" }
                (chart("Kontribusi per sumber dana", &per_source, label(Kind::Source))) }
            section { h2 { "Per klaster" }
                (chart("Kontribusi per klaster", &per_cluster, |k| match k {
                    None => "Tanpa program".to_string(),
                    Some(k) => labels::label(Kind::Cluster, k).to_string(),
                })) }
        }
        @if let Some(g) = &gaps { (priority(&g.coverage_gaps, &region, year)) }
        (follow_up(&data.tindak_lanjut, &region))
        (changes(&data.perubahan))
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

/// The contributions of one value of a dimension: how many, and the planned, committed and
/// realised Rupiah.
struct Bucket {
    key: Option<String>,
    count: i64,
    sums: [i128; 3],
}

/// Folds the helix × source × cluster buckets into the buckets of one dimension, in the order the
/// labels list that enum's values (the group with no value, e.g. contributions without a program,
/// last). Amounts are decimal strings of whole Rupiah, added without rounding.
fn fold(
    buckets: &[Summary],
    kind: Kind,
    key_of: impl Fn(&SummaryKey) -> Option<String>,
) -> Vec<Bucket> {
    let mut sums: Vec<Bucket> = Vec::new();
    for b in buckets {
        let key = key_of(&b.key);
        let at = match sums.iter().position(|s| s.key == key) {
            Some(at) => at,
            None => {
                sums.push(Bucket {
                    key,
                    count: 0,
                    sums: [0; 3],
                });
                sums.len() - 1
            }
        };
        let slot = &mut sums[at];
        slot.count += b.count;
        for (i, amount) in [&b.planned, &b.committed, &b.realised].iter().enumerate() {
            slot.sums[i] += amount.trim().parse::<i128>().unwrap_or(0);
        }
    }
    let rank = |key: &Option<String>| {
        key.as_deref()
            .and_then(|k| labels::table(kind).iter().position(|(wire, _)| *wire == k))
            .unwrap_or(usize::MAX)
    };
    sums.sort_by_key(|b| rank(&b.key));
    sums
}

fn totals(buckets: &[Bucket]) -> Markup {
    let sum = |i: usize| -> i128 { buckets.iter().map(|b| b.sums[i]).sum() };
    let count: i64 = buckets.iter().map(|b| b.count).sum();
    html! {
        div.cards {
            div.card { div { (w::COUNT) " kontribusi" } div.big #jumlah-kontribusi { (format::thousands(count.into())) } }
            div.card { div { (w::PLANNED) } div.big #total-rencana { "Rp " (format::thousands(sum(0))) } }
            div.card { div { (w::COMMITTED) } div.big #total-komitmen { "Rp " (format::thousands(sum(1))) } }
            div.card { div { (w::REALISED) } div.big #total-realisasi { "Rp " (format::thousands(sum(2))) } }
        }
    }
}

fn chart(title: &str, buckets: &[Bucket], label: impl Fn(Option<&str>) -> String) -> Markup {
    let rows: Vec<Row> = buckets
        .iter()
        .map(|b| charts::rupiah_row(label(b.key.as_deref()), &b.sums))
        .collect();
    if rows.is_empty() {
        return html! { p.muted { (w::NOTHING) } };
    }
    charts::bars(title, &[w::PLANNED, w::COMMITTED, w::REALISED], &rows)
}

fn priority(g: &Gaps, region: &str, year: i32) -> Markup {
    let villages: Vec<&GapNode> = g.edges.iter().map(|e| &e.node).collect();
    let total = g.total_count;
    let uncovered: Vec<&&GapNode> = villages.iter().filter(|v| v.contributions == 0).collect();
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
            ul.plain { @for v in uncovered.iter().take(10) { li {
                (super::region_or_dash(v.village.as_ref().map(|r| (r.code.as_str(), r.name.as_str()))))
            } } }
        }
    }
}

/// Owners shown on the overview: the most pressing; the follow-up page lists them all.
const FOLLOW_UP_ROWS: usize = 15;

fn follow_up(owners: &[FollowUp], region: &str) -> Markup {
    let mut open: Vec<&FollowUp> = owners
        .iter()
        .filter(|o| o.action_items.open + o.action_items.in_progress > 0)
        .collect();
    // Most overdue first, then most still open: the owners a rakor should ask about.
    open.sort_by_key(|o| {
        let c = &o.action_items;
        std::cmp::Reverse((c.overdue, c.open + c.in_progress))
    });
    let more = open.len().saturating_sub(FOLLOW_UP_ROWS);
    let rows: Vec<Markup> = open
        .into_iter()
        .take(FOLLOW_UP_ROWS)
        .map(|o| {
            let c = &o.action_items;
            html! { tr {
                td { (super::link_or_dash("/organisasi/", o.owner.as_ref().map(|w| (w.id.as_str(), w.name.as_str())))) }
                td.num { (c.open) }
                td.num { (c.in_progress) }
                td.num { @if c.overdue > 0 { span.badge.late { (c.overdue) } } @else { "0" } }
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

fn changes(entries: &[Change]) -> Markup {
    let rows: Vec<Markup> = entries
        .iter()
        .map(|e| {
            let what = AuditEntity::from_name(&e.entity);
            let id = &e.entity_id;
            let link = match what {
                Some(AuditEntity::Contribution) => Some(format!("/kontribusi/{id}")),
                Some(AuditEntity::Program) => Some(format!("/program/{id}")),
                Some(AuditEntity::Meeting) => Some(format!("/rapat/{id}")),
                Some(AuditEntity::Organization) => Some(format!("/organisasi/{id}")),
                _ => None,
            };
            let word: &str = match what {
                Some(kind) => entity_word(kind),
                None => &e.entity,
            };
            let actor = e.actor.as_ref().map_or("–", |a| a.name.as_str());
            html! { tr {
                td { (format::date_text(&e.at)) }
                td { (actor) @if let Some(o) = &e.organization { " · " (super::link_to("/organisasi/", &o.id, &o.name)) } }
                td { (action_word(&e.action)) " " @match link { Some(l) => a href=(l) { (word) }, None => (word) } }
            } }
        })
        .collect();
    html! {
        h2 { "Perubahan terbaru" }
        (super::table("Perubahan terbaru yang boleh Anda lihat", &[w::DATE, "Oleh", "Perubahan"], rows))
    }
}
fn entity_word(entity: AuditEntity) -> &'static str {
    match entity {
        AuditEntity::Contribution => "kontribusi",
        AuditEntity::Program => "program",
        AuditEntity::Meeting => "rapat",
        AuditEntity::ActionItem => "rencana aksi",
        AuditEntity::Synergy => "sinergi program",
        AuditEntity::Organization => "organisasi",
        AuditEntity::User => "pengguna",
        AuditEntity::VillageIndicator => "indikator desa",
        other => other.name(),
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
