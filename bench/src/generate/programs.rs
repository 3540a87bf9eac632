//! Programs with their strategies, target groups, yearly phases and targets, and target villages.
//! Each program has a reach (national, one province or one regency) so that contributions can be
//! attached only to programs that plausibly cover their village and fiscal year.

use super::catalog::{Catalog, FOCUS_REGENCY};
use super::organizations::Directory;
use super::time::{FIRST_YEAR, LAST_YEAR, YEARS, at_midnight, date};
use super::{Timings, bulk, names, new_id};
use entity::enums::{Cluster, Strategy, TargetGroup};
use entity::program_village;
use entity::{program, program_phase, program_strategy, program_target, program_target_group};
use rand::Rng;
use rand::rngs::SmallRng;
use rand::seq::{IndexedRandom, SliceRandom};
use sea_orm::{ActiveValue::Set, DatabaseConnection, Iterable, TransactionTrait};
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::time::Instant;

/// Who a program can reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// Any village (ministry programs).
    National,
    /// Villages of one province.
    Province(usize),
    /// Villages of one regency.
    Regency(usize),
}

/// Programs active per fiscal year (index `year - FIRST_YEAR`).
type PerYear = [Vec<usize>; YEARS];

/// Generated programs, findable by reach and year.
#[derive(Debug, Default)]
pub struct Programs {
    /// Program ids, in insertion order.
    pub ids: Vec<String>,
    national: PerYear,
    province: HashMap<usize, PerYear>,
    regency: HashMap<usize, PerYear>,
}

impl Programs {
    fn add(&mut self, id: String, reach: Reach, years: Range<i32>) {
        let index = self.ids.len();
        self.ids.push(id);
        let slot = match reach {
            Reach::National => &mut self.national,
            Reach::Province(p) => self.province.entry(p).or_default(),
            Reach::Regency(r) => self.regency.entry(r).or_default(),
        };
        for y in years {
            slot[(y - FIRST_YEAR) as usize].push(index);
        }
    }

    /// A program active in `year` that reaches a village of `province`/`regency`, preferring local
    /// programs (a regency's own program is the likeliest home of a contribution there).
    pub fn pick(
        &self,
        rng: &mut SmallRng,
        year: i32,
        province: usize,
        regency: usize,
    ) -> Option<usize> {
        let y = (year - FIRST_YEAR) as usize;
        if let Some(v) = local(&self.regency, regency, y)
            && rng.random_bool(0.5)
        {
            return v.choose(rng).copied();
        }
        if let Some(v) = local(&self.province, province, y)
            && rng.random_bool(0.5)
        {
            return v.choose(rng).copied();
        }
        self.national[y].choose(rng).copied()
    }
}

/// The programs of one province or regency active in year index `y`, if there are any.
fn local(m: &HashMap<usize, PerYear>, key: usize, y: usize) -> Option<&Vec<usize>> {
    m.get(&key).map(|a| &a[y]).filter(|v| !v.is_empty())
}

/// Themes, with the cluster each belongs to (parallel to `names::PROGRAM_THEMES`).
const THEME_CLUSTERS: &[Cluster] = &[
    Cluster::CommunityEmpowerment,
    Cluster::SocialAssistance,
    Cluster::SocialAssistance,
    Cluster::MicroSmallEnterprise,
    Cluster::SocialAssistance,
    Cluster::SocialAssistance,
    Cluster::ProPeople,
    Cluster::CommunityEmpowerment,
    Cluster::ProPeople,
    Cluster::MicroSmallEnterprise,
    Cluster::SocialAssistance,
    Cluster::ProPeople,
    Cluster::CommunityEmpowerment,
    Cluster::MicroSmallEnterprise,
    Cluster::CommunityEmpowerment,
    Cluster::CommunityEmpowerment,
];

/// The child rows of all programs, inserted after the programs themselves.
#[derive(Default)]
struct Children {
    strategies: Vec<program_strategy::ActiveModel>,
    groups: Vec<program_target_group::ActiveModel>,
    phases: Vec<program_phase::ActiveModel>,
    targets: Vec<program_target::ActiveModel>,
    villages: Vec<program_village::ActiveModel>,
}

/// Generates and inserts `count` programs owned by government, business and academic organizations.
pub async fn generate(
    db: &DatabaseConnection,
    catalog: &Catalog,
    dir: &Directory,
    rng: &mut SmallRng,
    count: usize,
    timings: &mut Timings,
) -> anyhow::Result<Programs> {
    let started = Instant::now();
    let mut out = Programs::default();
    let mut rows = Vec::with_capacity(count);
    let mut children = Children::default();
    let focus = catalog.regency(FOCUS_REGENCY);

    for i in 0..count {
        // Shares: 15% national, 25% provincial, 40% regency (a dozen in the focus regency), 12% CSR,
        // 8% university.
        let share = i * 100 / count.max(1);
        let (owner, reach, place) = if share < 15 || dir.ministries.is_empty() {
            let owner = *dir.ministries.choose(rng).unwrap_or(&0);
            (owner, Reach::National, "Nasional".to_owned())
        } else if share < 40 {
            let p = catalog.skewed_province(rng);
            let owner = *dir.province_gov[p].choose(rng).unwrap_or(&0);
            let place = format!("Provinsi {}", catalog.provinces[p].name);
            (owner, Reach::Province(p), place)
        } else if share < 80 {
            let r = match focus {
                Some(f) if i % 10 == 0 => f,
                _ => rng.random_range(0..catalog.regencies.len()),
            };
            let owner = *dir.regency_gov[r].choose(rng).unwrap_or(&0);
            (owner, Reach::Regency(r), catalog.regencies[r].name.clone())
        } else {
            let pool = if share < 92 {
                &dir.business
            } else {
                &dir.academia
            };
            let p = rng.random_range(0..catalog.provinces.len());
            let owner = pool.in_province(rng, p).unwrap_or(0);
            let province = dir.orgs[owner].province;
            let label = if share < 92 { "CSR" } else { "Kampus" };
            let place = format!("{label} {}", catalog.provinces[province].name);
            (owner, Reach::Province(province), place)
        };
        // The first programs of every reach span all five years, so every year has candidates.
        let (start, end) = if i % 20 == 0 {
            (FIRST_YEAR, LAST_YEAR)
        } else {
            let start = rng.random_range(FIRST_YEAR..=LAST_YEAR);
            (start, (start + rng.random_range(0..=3)).min(LAST_YEAR))
        };
        let theme = rng.random_range(0..names::PROGRAM_THEMES.len());
        let name = format!("{} {place} {start}–{end}", names::PROGRAM_THEMES[theme]);
        let id = new_id();
        let at = at_midnight(date(start - 1, 11, 1));
        rows.push(program::ActiveModel {
            id: Set(id.clone()),
            code: Set(Some(format!("BENCH-{:04}", i + 1))),
            search_name: Set(sinergi::text::fold(&name)),
            name: Set(name),
            description: Set(rng.random_bool(0.5).then(|| {
                format!(
                    "Program {} untuk desa sasaran.",
                    names::PROGRAM_THEMES[theme]
                )
            })),
            owner_id: Set(dir.orgs[owner].id.clone()),
            cluster: Set(THEME_CLUSTERS[theme % THEME_CLUSTERS.len()]),
            start_year: Set(start),
            end_year: Set(end),
            version: Set(1),
            created_at: Set(at),
            updated_at: Set(at),
        });
        add_children(
            &mut children,
            rng,
            catalog,
            &id,
            reach,
            start,
            end,
            Some(reach) == focus.map(Reach::Regency),
        );
        out.add(id, reach, start..end + 1);
    }

    let txn = db.begin().await?;
    let mut written = bulk::insert_all(&txn, rows).await?;
    let detail = [
        (
            "strategies",
            bulk::insert_all(&txn, children.strategies).await?,
        ),
        (
            "target groups",
            bulk::insert_all(&txn, children.groups).await?,
        ),
        ("phases", bulk::insert_all(&txn, children.phases).await?),
        ("targets", bulk::insert_all(&txn, children.targets).await?),
        ("villages", bulk::insert_all(&txn, children.villages).await?),
    ];
    txn.commit().await?;
    written += detail.iter().map(|(_, n)| n).sum::<u64>();
    let detail: Vec<String> = detail.iter().map(|(t, n)| format!("{n} {t}")).collect();
    println!("    {count} programs with {}", detail.join(", "));
    timings.record("programs (+ children)", written, started.elapsed());
    Ok(out)
}

/// Strategies, target groups, one phase and one target per year, and target villages of a program.
#[allow(clippy::too_many_arguments)]
fn add_children(
    c: &mut Children,
    rng: &mut SmallRng,
    catalog: &Catalog,
    id: &str,
    reach: Reach,
    start: i32,
    end: i32,
    in_focus: bool,
) {
    let mut strategies: Vec<Strategy> = Strategy::iter().collect();
    strategies.shuffle(rng);
    for s in strategies.into_iter().take(rng.random_range(1..=3)) {
        c.strategies.push(program_strategy::ActiveModel {
            program_id: Set(id.to_owned()),
            strategy: Set(s),
        });
    }
    let mut groups: Vec<TargetGroup> = TargetGroup::iter().collect();
    groups.shuffle(rng);
    for g in groups.into_iter().take(rng.random_range(1..=3)) {
        c.groups.push(program_target_group::ActiveModel {
            program_id: Set(id.to_owned()),
            target_group: Set(g),
        });
    }
    let unit = names::pick(rng, names::TARGET_UNITS);
    let mut target: f64 = rng.random_range(20..=200) as f64;
    for (k, year) in (start..=end).enumerate() {
        let phase = names::PHASES[k.min(names::PHASES.len() - 1)];
        c.phases.push(program_phase::ActiveModel {
            id: Set(new_id()),
            program_id: Set(id.to_owned()),
            name: Set(phase.to_owned()),
            fiscal_year: Set(year),
            description: Set(Some(format!("Tahap {phase} tahun {year}"))),
        });
        // Past years have a realisation; the current one is still open.
        let realised = (year < LAST_YEAR).then(|| (target * rng.random_range(0.6..1.1)).round());
        c.targets.push(program_target::ActiveModel {
            id: Set(new_id()),
            program_id: Set(id.to_owned()),
            fiscal_year: Set(year),
            unit: Set(unit.to_owned()),
            target: Set(target),
            realised: Set(realised),
        });
        target = (target * rng.random_range(0.6..1.2)).round().max(1.0);
    }
    let range = match reach {
        Reach::National => 0..catalog.villages.len(),
        Reach::Province(p) => catalog.province_villages[p].clone(),
        Reach::Regency(r) => catalog.regency_villages[r].clone(),
    };
    let wanted = if in_focus {
        rng.random_range(10..=30)
    } else {
        rng.random_range(3..=10)
    }
    .min(range.len());
    let mut seen = HashSet::new();
    while seen.len() < wanted {
        let v = rng.random_range(range.clone());
        if seen.insert(v) {
            c.villages.push(program_village::ActiveModel {
                program_id: Set(id.to_owned()),
                village_code: Set(catalog.villages[v].code.clone()),
            });
        }
    }
}
