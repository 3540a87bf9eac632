//! Downloads for coordinators: the TKPK workbook (the tables a secretariat pastes into its LP2KD
//! report, headings in Indonesian; no official chapter layout is invented) and a CSV of any
//! contribution filter.

use crate::error::{AppError, AppResult};
use crate::labels::{self, Kind};
use crate::region_code::RegionCode;
use crate::services::analytics::{self, Bucket, Dim};
use crate::services::contributions::{ContributionFilter, DraftVisibility, condition};
use chrono::NaiveDate;
use entity::enums::{Cluster, ContributionStatus, FundingSource, TransactionType};
use rust_xlsxwriter::{Format, Workbook, Worksheet};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;

mod contributions_file;
pub use contributions_file::contributions_csv;

/// Which part of the year a report covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// The whole fiscal year.
    Year,
    /// January to June.
    FirstSemester,
    /// July to December.
    SecondSemester,
}

impl Period {
    /// The label used in headings.
    pub fn label(self, year: i32) -> String {
        match self {
            Period::Year => format!("Tahun {year}"),
            Period::FirstSemester => format!("Semester I {year}"),
            Period::SecondSemester => format!("Semester II {year}"),
        }
    }

    fn range(self, year: i32) -> (NaiveDate, NaiveDate) {
        let d = |m, day| NaiveDate::from_ymd_opt(year, m, day).unwrap_or_default();
        match self {
            Period::Year => (d(1, 1), d(12, 31)),
            Period::FirstSemester => (d(1, 1), d(6, 30)),
            Period::SecondSemester => (d(7, 1), d(12, 31)),
        }
    }
}

fn source_label(s: FundingSource) -> String {
    labels::of(Kind::Source, &s)
}

fn cluster_label(c: Option<Cluster>) -> String {
    c.map(|c| labels::of(Kind::Cluster, &c))
        .unwrap_or_else(|| "Tanpa Program".to_string())
}

const CLUSTERS: [Option<Cluster>; 5] = [
    Some(Cluster::SocialAssistance),
    Some(Cluster::CommunityEmpowerment),
    Some(Cluster::MicroSmallEnterprise),
    Some(Cluster::ProPeople),
    None,
];

/// Expenditures recorded in `period` per contribution of the region and year: what "realised" means
/// in a semester report.
async fn realised_in(
    db: &impl ConnectionTrait,
    filter: &ContributionFilter,
    vis: &DraftVisibility,
    period: Period,
    year: i32,
) -> AppResult<HashMap<String, i64>> {
    use entity::contribution_transaction as t;
    let (from, to) = period.range(year);
    let ids: Vec<String> = entity::contribution::Entity::find()
        .select_only()
        .column(entity::contribution::Column::Id)
        .filter(condition(filter, vis))
        .filter(entity::contribution::Column::Status.ne(ContributionStatus::Cancelled))
        .into_tuple()
        .all(db)
        .await?;
    let mut out = HashMap::new();
    for chunk in ids.chunks(5_000) {
        let rows: Vec<(String, i64)> = t::Entity::find()
            .select_only()
            .column(t::Column::ContributionId)
            .column(t::Column::Amount)
            .filter(t::Column::ContributionId.is_in(chunk.to_vec()))
            .filter(t::Column::Type.eq(TransactionType::Expenditure))
            .filter(t::Column::OccurredOn.between(from, to))
            .into_tuple()
            .all(db)
            .await?;
        for (id, amount) in rows {
            *out.entry(id).or_default() += amount;
        }
    }
    Ok(out)
}

fn xlsx_err(e: rust_xlsxwriter::XlsxError) -> AppError {
    AppError::Internal(anyhow::anyhow!("cannot write the workbook: {e}"))
}

fn heading(ws: &mut Worksheet, title: &str, cols: &[&str]) -> AppResult<()> {
    let bold = Format::new().set_bold();
    ws.write_string_with_format(0, 0, title, &bold)
        .map_err(xlsx_err)?;
    for (i, c) in cols.iter().enumerate() {
        ws.write_string_with_format(2, i as u16, *c, &bold)
            .map_err(xlsx_err)?;
        ws.set_column_width(i as u16, if i == 0 { 40 } else { 20 })
            .map_err(xlsx_err)?;
    }
    Ok(())
}

/// Builds the TKPK workbook for a region and a year or semester.
pub async fn workbook(
    db: &impl ConnectionTrait,
    region: &RegionCode,
    year: i32,
    period: Period,
    vis: &DraftVisibility,
    verified_only: bool,
) -> AppResult<Vec<u8>> {
    let region_row = entity::region::Entity::find_by_id(region.to_string())
        .one(db)
        .await?
        .ok_or_else(|| AppError::bad_input("region", format!("no region {region} in the hub")))?;
    let filter = ContributionFilter {
        region: Some(region.clone()),
        fiscal_year: Some(year),
        verified_only,
        ..Default::default()
    };
    // Every sheet's heading says which figures it counts (issue 14).
    let title = format!(
        "{} ({}) — {} — {}",
        region_row.name,
        region_row.code,
        period.label(year),
        if verified_only {
            "hanya data terverifikasi"
        } else {
            "semua data, termasuk yang belum diverifikasi"
        }
    );
    let realised = realised_in(db, &filter, vis, period, year).await?;
    let by_source_cluster =
        analytics::funding_summary(db, &filter, vis, &[Dim::Source, Dim::Cluster]).await?;
    let by_org = analytics::funding_summary(db, &filter, vis, &[Dim::Organization]).await?;
    let by_village = analytics::funding_summary(db, &filter, vis, &[Dim::Village]).await?;
    // Realised per source in the period, from the contributions' expenditures.
    let rows: Vec<(String, FundingSource, String, i64)> = entity::contribution::Entity::find()
        .select_only()
        .column(entity::contribution::Column::Id)
        .column(entity::contribution::Column::Source)
        .column(entity::contribution::Column::RegionCode)
        .column(entity::contribution::Column::AmountCommitted)
        .filter(condition(&filter, vis))
        .filter(entity::contribution::Column::Status.ne(ContributionStatus::Cancelled))
        .into_tuple()
        .all(db)
        .await?;
    let mut per_source: HashMap<FundingSource, (i64, i64)> = HashMap::new();
    let mut realised_per_village: HashMap<String, i64> = HashMap::new();
    for (id, source, village, committed) in &rows {
        let r = realised.get(id).copied().unwrap_or(0);
        let e = per_source.entry(*source).or_default();
        e.0 += committed;
        e.1 += r;
        *realised_per_village.entry(village.clone()).or_default() += r;
    }

    let mut wb = Workbook::new();
    let money = Format::new().set_num_format("#,##0");
    let pct = Format::new().set_num_format("0.0%");

    // 1. Contributions by source × cluster (committed).
    let ws = wb
        .add_worksheet()
        .set_name("Sumber x Klaster")
        .map_err(xlsx_err)?;
    let cluster_names: Vec<String> = CLUSTERS.iter().map(|c| cluster_label(*c)).collect();
    let mut cols = vec!["Sumber Dana"];
    cols.extend(cluster_names.iter().map(String::as_str));
    cols.push("Jumlah");
    heading(
        ws,
        &format!("Komitmen menurut sumber dana dan klaster (Rp), {title}"),
        &cols,
    )?;
    let sources = [
        FundingSource::Apbn,
        FundingSource::ApbdProvince,
        FundingSource::ApbdRegency,
        FundingSource::Apbdes,
        FundingSource::Csr,
        FundingSource::University,
        FundingSource::Community,
        FundingSource::Other,
    ];
    let cell = |b: &[Bucket], s: FundingSource, c: Option<Cluster>| {
        b.iter()
            .filter(|x| x.source == Some(s) && x.cluster == c)
            .map(|x| x.committed)
            .sum::<i64>()
    };
    for (i, s) in sources.iter().enumerate() {
        let row = 3 + i as u32;
        ws.write_string(row, 0, source_label(*s))
            .map_err(xlsx_err)?;
        let mut total = 0;
        for (j, c) in CLUSTERS.iter().enumerate() {
            let v = cell(&by_source_cluster, *s, *c);
            total += v;
            ws.write_number_with_format(row, 1 + j as u16, v as f64, &money)
                .map_err(xlsx_err)?;
        }
        ws.write_number_with_format(row, 6, total as f64, &money)
            .map_err(xlsx_err)?;
    }
    let total_row = 3 + sources.len() as u32;
    ws.write_string(total_row, 0, "Jumlah").map_err(xlsx_err)?;
    for (j, c) in CLUSTERS.iter().enumerate() {
        let v: i64 = sources
            .iter()
            .map(|s| cell(&by_source_cluster, *s, *c))
            .sum();
        ws.write_number_with_format(total_row, 1 + j as u16, v as f64, &money)
            .map_err(xlsx_err)?;
    }
    let grand: i64 = by_source_cluster.iter().map(|b| b.committed).sum();
    ws.write_number_with_format(total_row, 6, grand as f64, &money)
        .map_err(xlsx_err)?;

    // 2. By organization.
    let orgs: HashMap<String, entity::organization::Model> = entity::organization::Entity::find()
        .filter(
            entity::organization::Column::Id
                .is_in(by_org.iter().filter_map(|b| b.organization_id.clone())),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id.clone(), o))
        .collect();
    let ws = wb
        .add_worksheet()
        .set_name("Per Organisasi")
        .map_err(xlsx_err)?;
    heading(
        ws,
        &format!("Kontribusi menurut organisasi, {title}"),
        &[
            "Organisasi",
            "Heliks",
            "Jumlah Kegiatan",
            "Rencana (Rp)",
            "Komitmen (Rp)",
            "Realisasi (Rp)",
        ],
    )?;
    let mut org_rows: Vec<&Bucket> = by_org.iter().collect();
    org_rows.sort_by_key(|b| std::cmp::Reverse(b.committed));
    for (i, b) in org_rows.iter().enumerate() {
        let row = 3 + i as u32;
        let org = b.organization_id.as_ref().and_then(|id| orgs.get(id));
        ws.write_string(row, 0, org.map(|o| o.name.as_str()).unwrap_or("-"))
            .map_err(xlsx_err)?;
        ws.write_string(
            row,
            1,
            org.map(|o| labels::of(Kind::Helix, &o.helix))
                .unwrap_or_default(),
        )
        .map_err(xlsx_err)?;
        ws.write_number(row, 2, b.count as f64).map_err(xlsx_err)?;
        ws.write_number_with_format(row, 3, b.planned as f64, &money)
            .map_err(xlsx_err)?;
        ws.write_number_with_format(row, 4, b.committed as f64, &money)
            .map_err(xlsx_err)?;
        ws.write_number_with_format(row, 5, b.realised as f64, &money)
            .map_err(xlsx_err)?;
    }

    // 3. Villages reached.
    let names: HashMap<String, String> = entity::region::Entity::find()
        .filter(
            entity::region::Column::Code
                .is_in(by_village.iter().filter_map(|b| b.region_code.clone())),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.code, r.name))
        .collect();
    let ws = wb
        .add_worksheet()
        .set_name("Desa Terjangkau")
        .map_err(xlsx_err)?;
    heading(
        ws,
        &format!("Desa yang dijangkau, {title}"),
        &[
            "Kode Desa",
            "Nama Desa",
            "Jumlah Kegiatan",
            "Komitmen (Rp)",
            "Realisasi Periode (Rp)",
            "Rumah Tangga Miskin",
            "Komitmen per RTM (Rp)",
        ],
    )?;
    for (i, b) in by_village
        .iter()
        .filter(|b| b.region_code.is_some())
        .enumerate()
    {
        let row = 3 + i as u32;
        let code = b.region_code.clone().unwrap_or_default();
        ws.write_string(row, 0, &code).map_err(xlsx_err)?;
        ws.write_string(row, 1, names.get(&code).map(String::as_str).unwrap_or(""))
            .map_err(xlsx_err)?;
        ws.write_number(row, 2, b.count as f64).map_err(xlsx_err)?;
        ws.write_number_with_format(row, 3, b.committed as f64, &money)
            .map_err(xlsx_err)?;
        ws.write_number_with_format(
            row,
            4,
            realised_per_village.get(&code).copied().unwrap_or(0) as f64,
            &money,
        )
        .map_err(xlsx_err)?;
        if let Some(p) = b.poor_households.filter(|p| *p > 0) {
            ws.write_number(row, 5, p as f64).map_err(xlsx_err)?;
            ws.write_number_with_format(row, 6, (b.committed / p) as f64, &money)
                .map_err(xlsx_err)?;
        }
    }

    // 4. Realisation rates by source, in the period.
    let ws = wb
        .add_worksheet()
        .set_name("Tingkat Realisasi")
        .map_err(xlsx_err)?;
    heading(
        ws,
        &format!("Tingkat realisasi menurut sumber dana, {title}"),
        &[
            "Sumber Dana",
            "Komitmen (Rp)",
            "Realisasi Periode (Rp)",
            "Tingkat Realisasi",
        ],
    )?;
    for (i, s) in sources.iter().enumerate() {
        let row = 3 + i as u32;
        let (c, r) = per_source.get(s).copied().unwrap_or_default();
        ws.write_string(row, 0, source_label(*s))
            .map_err(xlsx_err)?;
        ws.write_number_with_format(row, 1, c as f64, &money)
            .map_err(xlsx_err)?;
        ws.write_number_with_format(row, 2, r as f64, &money)
            .map_err(xlsx_err)?;
        if c > 0 {
            ws.write_number_with_format(row, 3, r as f64 / c as f64, &pct)
                .map_err(xlsx_err)?;
        }
    }

    // 5. Program targets against realisation: programs that target a village of the region.
    let program_ids = crate::services::programs::ids_targeting_region(db, region).await?;
    let programs: HashMap<String, String> = entity::program::Entity::find()
        .filter(entity::program::Column::Id.is_in(program_ids.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let targets = entity::program_target::Entity::find()
        .filter(entity::program_target::Column::ProgramId.is_in(program_ids))
        .filter(entity::program_target::Column::FiscalYear.eq(year))
        .order_by_asc(entity::program_target::Column::ProgramId)
        .all(db)
        .await?;
    let ws = wb
        .add_worksheet()
        .set_name("Target Program")
        .map_err(xlsx_err)?;
    heading(
        ws,
        &format!("Target dan realisasi program, {title}"),
        &["Program", "Satuan", "Target", "Realisasi", "Capaian"],
    )?;
    for (i, t) in targets.iter().enumerate() {
        let row = 3 + i as u32;
        ws.write_string(
            row,
            0,
            programs
                .get(&t.program_id)
                .map(String::as_str)
                .unwrap_or(""),
        )
        .map_err(xlsx_err)?;
        ws.write_string(row, 1, &t.unit).map_err(xlsx_err)?;
        ws.write_number(row, 2, t.target).map_err(xlsx_err)?;
        if let Some(r) = t.realised {
            ws.write_number(row, 3, r).map_err(xlsx_err)?;
            if t.target > 0.0 {
                ws.write_number_with_format(row, 4, r / t.target, &pct)
                    .map_err(xlsx_err)?;
            }
        }
    }

    // 6. Action item status by owner.
    let follow = analytics::follow_up(db, Some(region), false).await?;
    let owners: HashMap<String, String> = entity::organization::Entity::find()
        .filter(entity::organization::Column::Id.is_in(follow.iter().map(|f| f.id.clone())))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    let ws = wb
        .add_worksheet()
        .set_name("Tindak Lanjut")
        .map_err(xlsx_err)?;
    heading(
        ws,
        &format!(
            "Status tindak lanjut keputusan rapat koordinasi, {}",
            region_row.name
        ),
        &[
            "Pelaksana",
            "Belum Dimulai",
            "Berjalan",
            "Selesai",
            "Dibatalkan",
            "Terlambat",
        ],
    )?;
    for (i, f) in follow.iter().enumerate() {
        let row = 3 + i as u32;
        ws.write_string(row, 0, owners.get(&f.id).map(String::as_str).unwrap_or(""))
            .map_err(xlsx_err)?;
        for (j, v) in [f.open, f.in_progress, f.done, f.dropped, f.overdue]
            .iter()
            .enumerate()
        {
            ws.write_number(row, 1 + j as u16, *v as f64)
                .map_err(xlsx_err)?;
        }
    }
    wb.save_to_buffer().map_err(xlsx_err)
}
