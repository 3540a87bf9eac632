//! Downloads for coordinators: the TKPK workbook (the tables a secretariat pastes into its LP2KD
//! report, headings in Indonesian; no official chapter layout is invented) and a CSV of any
//! contribution filter.

use crate::error::{AppError, AppResult};
use crate::labels::{self, Kind};
use crate::region_code::RegionCode;
use crate::services::analytics::{self, Dim};
use crate::services::contributions::{ContributionFilter, DraftVisibility, condition};
use chrono::NaiveDate;
use entity::enums::{Cluster, ContributionStatus, FundingSource, TransactionType};
use rust_xlsxwriter::{Format, Workbook, Worksheet};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use std::collections::HashMap;

mod contributions_file;
mod sheets;
pub use contributions_file::contributions_csv;
use sheets::Sheets;

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

/// Funding sources in the order the workbook lists them.
const SOURCES: [FundingSource; 8] = [
    FundingSource::Apbn,
    FundingSource::ApbdProvince,
    FundingSource::ApbdRegency,
    FundingSource::Apbdes,
    FundingSource::Csr,
    FundingSource::University,
    FundingSource::Community,
    FundingSource::Other,
];

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

/// Builds the TKPK workbook for a region and a year or semester: one sheet per question the
/// secretariat reports on, each from the same filtered figures.
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
    let (per_source, realised_per_village) = realised_split(db, &filter, vis, &realised).await?;

    let mut wb = Workbook::new();
    let sheets = Sheets {
        title: &title,
        money: Format::new().set_num_format("#,##0"),
        pct: Format::new().set_num_format("0.0%"),
    };
    sheets.source_cluster(&mut wb, &by_source_cluster)?;
    sheets.organizations(db, &mut wb, &by_org).await?;
    sheets
        .villages(db, &mut wb, &by_village, &realised_per_village)
        .await?;
    sheets.realisation(&mut wb, &per_source)?;
    sheets.targets(db, &mut wb, region, year).await?;
    sheets
        .follow_up(db, &mut wb, region, &region_row.name)
        .await?;
    wb.save_to_buffer().map_err(xlsx_err)
}

/// Committed and realised (in the period) per source, and realised per village: realised amounts
/// come from the expenditures dated in the period, not from the contributions' running totals.
async fn realised_split(
    db: &impl ConnectionTrait,
    filter: &ContributionFilter,
    vis: &DraftVisibility,
    realised: &HashMap<String, i64>,
) -> AppResult<(HashMap<FundingSource, (i64, i64)>, HashMap<String, i64>)> {
    let rows: Vec<(String, FundingSource, String, i64)> = entity::contribution::Entity::find()
        .select_only()
        .column(entity::contribution::Column::Id)
        .column(entity::contribution::Column::Source)
        .column(entity::contribution::Column::RegionCode)
        .column(entity::contribution::Column::AmountCommitted)
        .filter(condition(filter, vis))
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
    Ok((per_source, realised_per_village))
}
