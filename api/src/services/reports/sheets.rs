//! The sheets of the TKPK workbook, one method each.

use super::{CLUSTERS, SOURCES, cluster_label, heading, source_label, xlsx_err};
use crate::error::AppResult;
use crate::labels::{self, Kind};
use crate::region_code::RegionCode;
use crate::services::analytics::{self, Bucket};
use entity::enums::{Cluster, FundingSource};
use rust_xlsxwriter::{Format, Workbook};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

/// What every sheet shares: the workbook's title and number formats.
pub(super) struct Sheets<'a> {
    pub title: &'a str,
    pub money: Format,
    pub pct: Format,
}

impl Sheets<'_> {
    /// Contributions by source × cluster (committed).
    pub fn source_cluster(&self, wb: &mut Workbook, by_source_cluster: &[Bucket]) -> AppResult<()> {
        let (title, money) = (self.title, &self.money);
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
        let sources = SOURCES;
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
                let v = cell(by_source_cluster, *s, *c);
                total += v;
                ws.write_number_with_format(row, 1 + j as u16, v as f64, money)
                    .map_err(xlsx_err)?;
            }
            ws.write_number_with_format(row, 6, total as f64, money)
                .map_err(xlsx_err)?;
        }
        let total_row = 3 + sources.len() as u32;
        ws.write_string(total_row, 0, "Jumlah").map_err(xlsx_err)?;
        for (j, c) in CLUSTERS.iter().enumerate() {
            let v: i64 = sources
                .iter()
                .map(|s| cell(by_source_cluster, *s, *c))
                .sum();
            ws.write_number_with_format(total_row, 1 + j as u16, v as f64, money)
                .map_err(xlsx_err)?;
        }
        let grand: i64 = by_source_cluster.iter().map(|b| b.committed).sum();
        ws.write_number_with_format(total_row, 6, grand as f64, money)
            .map_err(xlsx_err)?;
        Ok(())
    }

    /// Contributions by organization, largest commitment first.
    pub async fn organizations(
        &self,
        db: &impl ConnectionTrait,
        wb: &mut Workbook,
        by_org: &[Bucket],
    ) -> AppResult<()> {
        let (title, money) = (self.title, &self.money);
        let orgs: HashMap<String, entity::organization::Model> =
            entity::organization::Entity::find()
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
            ws.write_number_with_format(row, 3, b.planned as f64, money)
                .map_err(xlsx_err)?;
            ws.write_number_with_format(row, 4, b.committed as f64, money)
                .map_err(xlsx_err)?;
            ws.write_number_with_format(row, 5, b.realised as f64, money)
                .map_err(xlsx_err)?;
        }
        Ok(())
    }

    /// Villages reached, with the period's realisation and the commitment per poor household.
    pub async fn villages(
        &self,
        db: &impl ConnectionTrait,
        wb: &mut Workbook,
        by_village: &[Bucket],
        realised_per_village: &HashMap<String, i64>,
    ) -> AppResult<()> {
        let (title, money) = (self.title, &self.money);
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
            ws.write_number_with_format(row, 3, b.committed as f64, money)
                .map_err(xlsx_err)?;
            ws.write_number_with_format(
                row,
                4,
                realised_per_village.get(&code).copied().unwrap_or(0) as f64,
                money,
            )
            .map_err(xlsx_err)?;
            if let Some(p) = b.poor_households.filter(|p| *p > 0) {
                ws.write_number(row, 5, p as f64).map_err(xlsx_err)?;
                ws.write_number_with_format(row, 6, (b.committed / p) as f64, money)
                    .map_err(xlsx_err)?;
            }
        }
        Ok(())
    }

    /// Realisation rates by source, in the period.
    pub fn realisation(
        &self,
        wb: &mut Workbook,
        per_source: &HashMap<FundingSource, (i64, i64)>,
    ) -> AppResult<()> {
        let (title, money, pct) = (self.title, &self.money, &self.pct);
        let sources = SOURCES;
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
            ws.write_number_with_format(row, 1, c as f64, money)
                .map_err(xlsx_err)?;
            ws.write_number_with_format(row, 2, r as f64, money)
                .map_err(xlsx_err)?;
            if c > 0 {
                ws.write_number_with_format(row, 3, r as f64 / c as f64, pct)
                    .map_err(xlsx_err)?;
            }
        }
        Ok(())
    }

    /// Program targets against realisation: programs that target a village of the region.
    pub async fn targets(
        &self,
        db: &impl ConnectionTrait,
        wb: &mut Workbook,
        region: &RegionCode,
        year: i32,
    ) -> AppResult<()> {
        let (title, pct) = (self.title, &self.pct);
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
                    ws.write_number_with_format(row, 4, r / t.target, pct)
                        .map_err(xlsx_err)?;
                }
            }
        }
        Ok(())
    }

    /// Action item status by owner.
    pub async fn follow_up(
        &self,
        db: &impl ConnectionTrait,
        wb: &mut Workbook,
        region: &RegionCode,
        region_name: &str,
    ) -> AppResult<()> {
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
                region_name
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
        Ok(())
    }
}
