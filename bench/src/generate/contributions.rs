//! A million contributions over five fiscal years, with a tenth of them carrying transactions.
//!
//! The skew follows reality: Kabupaten Pekalongan (the focus regency) is a data-rich laboratory where
//! every village has 20–60 contributions, other villages get between none and a few dozen, funding
//! sources follow who may use them (APBDes only from a desa's own government), and a fiscal year's
//! statuses depend on how far it is in the past.

use super::catalog::{Catalog, FOCUS_REGENCY};
use super::organizations::Directory;
use super::programs::Programs;
use super::time::{self, FIRST_YEAR, YEARS, at_midnight, date};
use super::{Timings, bulk, money, names, new_id, thousands, weighted};
use entity::contribution::ActiveModel;
use entity::contribution_transaction;
use entity::enums::{
    ContributionKind as Kind, FundingSource as Source, TargetGroup, TransactionType,
};
use rand::Rng;
use rand::rngs::SmallRng;
use rand::seq::{IndexedRandom, SliceRandom};
use sea_orm::{ActiveValue::Set, DatabaseConnection, TransactionTrait};
use std::time::Instant;

/// Target groups a contribution may name.
const TARGET_GROUPS: [TargetGroup; 10] = [
    TargetGroup::PoorHouseholds,
    TargetGroup::StuntingRiskFamilies,
    TargetGroup::MothersAndInfants,
    TargetGroup::Toddlers,
    TargetGroup::FarmersAndFishers,
    TargetGroup::Women,
    TargetGroup::MicroEnterprises,
    TargetGroup::Students,
    TargetGroup::ElderlyAndDisabled,
    TargetGroup::General,
];

/// Share of each funding source, in percent.
const SOURCES: &[(Source, u32)] = &[
    (Source::Apbn, 8),
    (Source::ApbdProvince, 14),
    (Source::ApbdRegency, 24),
    (Source::Apbdes, 16),
    (Source::Csr, 12),
    (Source::University, 8),
    (Source::Community, 13),
    (Source::Other, 5),
];

/// Villages outside the focus regency, drawn with uneven weights: a fifth get nothing (the coverage
/// gaps the hub exists to reveal), most get a few, one in twenty is a magnet for many actors.
struct SpreadVillages {
    villages: Vec<usize>,
    cumulative: Vec<u64>,
}

impl SpreadVillages {
    fn new(rng: &mut SmallRng, catalog: &Catalog, exclude: &std::ops::Range<usize>) -> Self {
        let mut villages = Vec::new();
        let mut cumulative = Vec::new();
        let mut total = 0;
        for v in (0..catalog.villages.len()).filter(|v| !exclude.contains(v)) {
            let w = weighted(rng, &[(0u64, 20), (1, 50), (3, 25), (10, 5)]);
            if w > 0 {
                total += w;
                villages.push(v);
                cumulative.push(total);
            }
        }
        Self {
            villages,
            cumulative,
        }
    }

    fn sample(&self, rng: &mut SmallRng) -> Option<usize> {
        let total = *self.cumulative.last()?;
        let x = rng.random_range(0..total);
        let i = self.cumulative.partition_point(|&c| c <= x);
        self.villages.get(i).copied()
    }
}

/// Everything the per-row generator reads.
struct Context<'a> {
    catalog: &'a Catalog,
    dir: &'a Directory,
    programs: &'a Programs,
    spread: SpreadVillages,
    /// Focus-regency villages, each repeated as often as it should appear, shuffled.
    focus_slots: Vec<usize>,
}

/// What contributions point at: regions, organizations, programs.
pub struct Targets<'a> {
    /// The region hierarchy.
    pub catalog: &'a Catalog,
    /// The organizations.
    pub dir: &'a Directory,
    /// The programs.
    pub programs: &'a Programs,
}

/// Generates and inserts `count` contributions (and their transactions) in transactions of
/// `per_transaction` rows.
pub async fn generate(
    db: &DatabaseConnection,
    targets: Targets<'_>,
    rng: &mut SmallRng,
    count: usize,
    per_transaction: usize,
    timings: &mut Timings,
) -> anyhow::Result<()> {
    let started = Instant::now();
    let Targets {
        catalog,
        dir,
        programs,
    } = targets;
    let focus = catalog
        .regency(FOCUS_REGENCY)
        .map(|r| catalog.regency_villages[r].clone())
        .unwrap_or(0..0);
    let mut focus_slots = Vec::new();
    for v in focus.clone() {
        let n = rng.random_range(20..=60);
        focus_slots.extend(std::iter::repeat_n(v, n));
    }
    focus_slots.shuffle(rng);
    focus_slots.truncate(count / 2);
    let ctx = Context {
        catalog,
        dir,
        programs,
        spread: SpreadVillages::new(rng, catalog, &focus),
        focus_slots,
    };
    println!(
        "    {} of them in the {} villages of {FOCUS_REGENCY}, the rest over {} other villages",
        thousands(ctx.focus_slots.len() as u64),
        focus.len(),
        thousands(ctx.spread.villages.len() as u64)
    );

    let mut written = 0u64;
    let mut transactions = 0u64;
    let mut focus_used = 0usize;
    let mut i = 0usize;
    while i < count {
        let end = (i + per_transaction.max(1)).min(count);
        let mut rows = Vec::with_capacity(end - i);
        let mut txs = Vec::new();
        for n in i..end {
            // Draw focus slots at the rate that spreads them evenly over the whole id range.
            let focus_left = ctx.focus_slots.len() - focus_used;
            let village = if focus_left > 0 && rng.random_range(0..count - n) < focus_left {
                focus_used += 1;
                ctx.focus_slots[focus_used - 1]
            } else {
                match ctx.spread.sample(rng) {
                    Some(v) => v,
                    None => rng.random_range(0..catalog.villages.len()),
                }
            };
            let row = contribution(&ctx, rng, n, count, village);
            add_transactions(&mut txs, rng, &row);
            rows.push(row.model);
        }
        let txn = db.begin().await?;
        bulk::prepare_transaction(&txn).await?;
        written += bulk::insert_all(&txn, rows).await?;
        transactions += bulk::insert_all(&txn, txs).await?;
        txn.commit().await?;
        i = end;
        let secs = started.elapsed().as_secs_f64();
        println!(
            "    contributions {:>9} / {} ({:.1} s, {:.0} rows/s)",
            thousands(written),
            thousands(count as u64),
            secs,
            written as f64 / secs.max(1e-9)
        );
    }
    timings.record("contributions", written, started.elapsed());
    timings.note(format!(
        "contribution_transactions: {} rows, inserted with the contributions",
        thousands(transactions)
    ));
    Ok(())
}

/// A generated row plus the facts its transactions need.
struct Row {
    model: ActiveModel,
    id: String,
    year: i32,
    committed: i64,
    disbursed: i64,
    realised: i64,
    created: chrono::NaiveDate,
}

/// The `n`-th of `count` contributions, going to `village`.
fn contribution(
    ctx: &Context<'_>,
    rng: &mut SmallRng,
    n: usize,
    count: usize,
    village: usize,
) -> Row {
    let v = &ctx.catalog.villages[village];
    // Fiscal years in blocks, in id order: the hub fills up year after year.
    let year = FIRST_YEAR + (n * YEARS / count) as i32;
    let mut source = weighted(rng, SOURCES);
    let contributor = match source {
        Source::Apbn => ctx.dir.ministries.choose(rng).copied(),
        Source::ApbdProvince => ctx.dir.province_gov[v.province].choose(rng).copied(),
        Source::ApbdRegency => ctx.dir.regency_gov[v.regency].choose(rng).copied(),
        // APBDes exists only in a desa, and only its own village government spends it.
        Source::Apbdes => ctx.dir.village_gov[village],
        Source::Csr => ctx.dir.business.near(rng, v.province, v.regency),
        Source::University => ctx.dir.academia.near(rng, v.province, v.regency),
        Source::Community => ctx.dir.community.near(rng, v.province, v.regency),
        Source::Other => ctx.dir.other.near(rng, v.province, v.regency),
    };
    let contributor = match contributor {
        Some(c) => c,
        None => {
            // No such actor here (a kelurahan has no APBDes): the regency budget steps in.
            source = Source::ApbdRegency;
            *ctx.dir.regency_gov[v.regency].choose(rng).unwrap_or(&0)
        }
    };
    let (kind, hint, lo, hi): (Kind, usize, f64, f64) = match source {
        Source::Apbn => (gov_kind(rng), 0, 50e6, 2e9),
        Source::ApbdProvince => (gov_kind(rng), 0, 25e6, 1e9),
        Source::ApbdRegency => (gov_kind(rng), 0, 10e6, 750e6),
        Source::Apbdes => (gov_kind(rng), 1, 5e6, 300e6),
        Source::Csr => (
            weighted(
                rng,
                &[(Kind::Cash, 60), (Kind::InKind, 35), (Kind::Expertise, 5)],
            ),
            2,
            5e6,
            500e6,
        ),
        Source::University => (
            weighted(
                rng,
                &[
                    (Kind::Expertise, 60),
                    (Kind::Cash, 20),
                    (Kind::VolunteerLabour, 20),
                ],
            ),
            3,
            2e6,
            100e6,
        ),
        Source::Community => (
            weighted(
                rng,
                &[
                    (Kind::VolunteerLabour, 45),
                    (Kind::InKind, 30),
                    (Kind::Cash, 25),
                ],
            ),
            4,
            0.5e6,
            25e6,
        ),
        Source::Other => (
            weighted(rng, &[(Kind::Cash, 50), (Kind::InKind, 50)]),
            4,
            1e6,
            50e6,
        ),
    };
    let program = if rng.random_bool(0.6) {
        ctx.programs.pick(rng, year, v.province, v.regency)
    } else {
        None
    };
    let status = money::status_for(rng, year);
    let money::Amounts {
        planned,
        committed,
        disbursed,
        realised,
    } = money::amounts(rng, status, lo, hi);
    let created_at = time::contribution_created(n as f64 / count as f64);
    let updated_at = (created_at + chrono::Duration::days(rng.random_range(0..200)))
        .min(at_midnight(time::today()))
        .max(created_at);
    let id = new_id();
    let target_group = if rng.random_bool(0.9) {
        TARGET_GROUPS.choose(rng).copied()
    } else {
        None
    };
    let model = ActiveModel {
        id: Set(id.clone()),
        contributor_id: Set(ctx.dir.orgs[contributor].id.clone()),
        source: Set(source),
        kind: Set(kind),
        region_code: Set(v.code.clone()),
        program_id: Set(program.map(|p| ctx.programs.ids[p].clone())),
        fiscal_year: Set(year),
        title: Set(names::contribution_title(rng, hint, &v.name)),
        description: Set(rng
            .random_bool(0.05)
            .then(|| format!("Kegiatan tahun anggaran {year} di {}.", v.name))),
        target_group: Set(target_group),
        beneficiaries: Set(rng.random_bool(0.8).then(|| rng.random_range(5..=500))),
        amount_planned: Set(planned),
        amount_committed: Set(committed),
        amount_disbursed: Set(disbursed),
        amount_realised: Set(realised),
        status: Set(status),
        version: Set(1),
        created_by: Set(None),
        created_at: Set(created_at),
        updated_at: Set(updated_at),
        external_key: Set(None),
        verification: Set(entity::enums::Verification::Verified),
        verification_note: Set(None),
    };
    Row {
        model,
        id,
        year,
        committed,
        disbursed,
        realised,
        created: created_at.date_naive(),
    }
}

/// Government money is mostly cash, sometimes goods.
fn gov_kind(rng: &mut SmallRng) -> Kind {
    weighted(rng, &[(Kind::Cash, 80), (Kind::InKind, 20)])
}

/// For one contribution in ten that has money committed: its commitment, disbursement and
/// expenditure as transactions (the amounts on the row are their sums).
fn add_transactions(
    out: &mut Vec<contribution_transaction::ActiveModel>,
    rng: &mut SmallRng,
    row: &Row,
) {
    if row.committed == 0 || !rng.random_bool(0.1) {
        return;
    }
    let mut day = row.created;
    let year_end = date(row.year, 12, 31);
    for (kind, amount) in [
        (TransactionType::Commitment, row.committed),
        (TransactionType::Disbursement, row.disbursed),
        (TransactionType::Expenditure, row.realised),
    ] {
        if amount <= 0 {
            continue;
        }
        out.push(contribution_transaction::ActiveModel {
            id: Set(new_id()),
            contribution_id: Set(row.id.clone()),
            r#type: Set(kind),
            amount: Set(amount),
            occurred_on: Set(day),
            note: Set(None),
            created_by: Set(None),
            created_at: Set(at_midnight(day)),
            verification: Set(entity::enums::Verification::Verified),
        });
        day = (day + chrono::Duration::days(rng.random_range(15..120)))
            .min(year_end)
            .max(day);
    }
}
