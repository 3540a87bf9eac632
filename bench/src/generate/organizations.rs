//! Organizations of every helix and kind, placed where such bodies really sit: a government and a
//! Bappeda for every province and regency, SKPDs under them, village governments in desa villages,
//! companies, universities, NGOs and media in towns, community groups in villages.

use super::catalog::{CAPITAL_PROVINCE, Catalog, FOCUS_REGENCY};
use super::names::{self, short_regency};
use super::{Timings, bulk, new_id, time};
use entity::enums::{Helix, OrganizationKind};
use entity::organization::ActiveModel;
use rand::Rng;
use rand::rngs::SmallRng;
use rand::seq::IndexedRandom;
use sea_orm::{ActiveValue::Set, DatabaseConnection, TransactionTrait};
use std::collections::HashMap;
use std::time::Instant;

/// One generated organization, as later tables need it.
#[derive(Debug, Clone)]
pub struct Org {
    /// Its id (UUIDv7).
    pub id: String,
    /// Province of its home region.
    pub province: usize,
    /// Regency of its home region (none for provincial and national bodies).
    pub regency: Option<usize>,
}

/// Organizations of one kind of actor, findable near a place.
#[derive(Debug, Default)]
pub struct Pool {
    all: Vec<usize>,
    by_province: HashMap<usize, Vec<usize>>,
    by_regency: HashMap<usize, Vec<usize>>,
}

impl Pool {
    fn add(&mut self, org: usize, o: &Org) {
        self.all.push(org);
        self.by_province.entry(o.province).or_default().push(org);
        if let Some(r) = o.regency {
            self.by_regency.entry(r).or_default().push(org);
        }
    }

    /// An actor of the province when there is one, else any.
    pub fn in_province(&self, rng: &mut SmallRng, province: usize) -> Option<usize> {
        match self.by_province.get(&province) {
            Some(v) => v.choose(rng).copied(),
            None => self.all.choose(rng).copied(),
        }
    }

    /// An actor near the place when there is one (local companies fund local villages), else any.
    pub fn near(&self, rng: &mut SmallRng, province: usize, regency: usize) -> Option<usize> {
        if rng.random_bool(0.6)
            && let Some(v) = self.by_regency.get(&regency)
        {
            return v.choose(rng).copied();
        }
        if rng.random_bool(0.8)
            && let Some(v) = self.by_province.get(&province)
        {
            return v.choose(rng).copied();
        }
        self.all.choose(rng).copied()
    }
}

/// Every organization, indexed by role and place.
#[derive(Debug, Default)]
pub struct Directory {
    /// All organizations, in insertion order.
    pub orgs: Vec<Org>,
    /// National ministries and agencies (APBN).
    pub ministries: Vec<usize>,
    /// Per province: the provincial government, its Bappeda and SKPDs (APBD province).
    pub province_gov: Vec<Vec<usize>>,
    /// Per province: its Bappeda (hosts provincial rakor).
    pub province_bappeda: Vec<usize>,
    /// Per regency: the regency government, its Bappeda and SKPDs (APBD regency).
    pub regency_gov: Vec<Vec<usize>>,
    /// Per regency: its Bappeda (hosts regency and district rakor).
    pub regency_bappeda: Vec<usize>,
    /// Per village: its village government, if generated (APBDes).
    pub village_gov: Vec<Option<usize>>,
    /// Villages that have a village government.
    pub villages_with_gov: Vec<usize>,
    /// Companies and state-owned enterprises (CSR).
    pub business: Pool,
    /// Universities.
    pub academia: Pool,
    /// Community groups and NGOs (swadaya).
    pub community: Pool,
    /// Media and other actors.
    pub other: Pool,
}

struct Builder<'a> {
    catalog: &'a Catalog,
    dir: Directory,
    rows: Vec<ActiveModel>,
}

impl Builder<'_> {
    /// Adds one organization and returns its index.
    fn add(
        &mut self,
        name: String,
        helix: Helix,
        kind: OrganizationKind,
        region_code: &str,
        parent: Option<usize>,
        place: (usize, Option<usize>),
    ) -> usize {
        let index = self.dir.orgs.len();
        let id = new_id();
        let at = time::org_created(index);
        self.rows.push(ActiveModel {
            id: Set(id.clone()),
            search_name: Set(sinergi::text::fold(&name)),
            name: Set(name),
            helix: Set(helix),
            kind: Set(kind),
            region_code: Set(region_code.to_owned()),
            parent_id: Set(parent.map(|p| self.dir.orgs[p].id.clone())),
            version: Set(1),
            created_at: Set(at),
            updated_at: Set(at),
        });
        self.dir.orgs.push(Org {
            id,
            province: place.0,
            regency: place.1,
        });
        index
    }
}

/// Generates and inserts `target` organizations (at least the government structure: one government
/// and Bappeda per province and regency). Returns the directory later tables draw from.
pub async fn generate(
    db: &DatabaseConnection,
    catalog: &Catalog,
    rng: &mut SmallRng,
    target: usize,
    timings: &mut Timings,
) -> anyhow::Result<Directory> {
    let started = Instant::now();
    let mut b = Builder {
        catalog,
        dir: Directory {
            province_gov: vec![Vec::new(); catalog.provinces.len()],
            regency_gov: vec![Vec::new(); catalog.regencies.len()],
            village_gov: vec![None; catalog.villages.len()],
            ..Directory::default()
        },
        rows: Vec::with_capacity(target),
    };
    let capital = catalog.province(CAPITAL_PROVINCE).unwrap_or(0);
    let capital_code = catalog.provinces[capital].code.clone();
    for name in names::MINISTRIES {
        let i = b.add(
            (*name).to_owned(),
            Helix::Government,
            OrganizationKind::Other,
            &capital_code,
            None,
            (capital, None),
        );
        b.dir.ministries.push(i);
    }

    for (p, prov) in catalog.provinces.iter().enumerate() {
        let gov = b.add(
            format!("Pemerintah Provinsi {}", prov.name),
            Helix::Government,
            OrganizationKind::ProvincialGovernment,
            &prov.code,
            None,
            (p, None),
        );
        let bappeda = b.add(
            format!("Bappeda Provinsi {}", prov.name),
            Helix::Government,
            OrganizationKind::Bappeda,
            &prov.code,
            Some(gov),
            (p, None),
        );
        b.dir.province_bappeda.push(bappeda);
        b.dir.province_gov[p].extend([gov, bappeda]);
        for skpd in names::PROVINCE_SKPD {
            let i = b.add(
                format!("{skpd} Provinsi {}", prov.name),
                Helix::Government,
                OrganizationKind::Skpd,
                &prov.code,
                Some(gov),
                (p, None),
            );
            b.dir.province_gov[p].push(i);
        }
    }

    let focus = catalog.regency(FOCUS_REGENCY);
    for (r, reg) in catalog.regencies.iter().enumerate() {
        let p = reg.parent;
        let gov = b.add(
            format!("Pemerintah {}", reg.name),
            Helix::Government,
            OrganizationKind::RegencyGovernment,
            &reg.code,
            None,
            (p, Some(r)),
        );
        let bappeda = b.add(
            format!("Bappeda {}", reg.name),
            Helix::Government,
            OrganizationKind::Bappeda,
            &reg.code,
            Some(gov),
            (p, Some(r)),
        );
        b.dir.regency_bappeda.push(bappeda);
        b.dir.regency_gov[r].extend([gov, bappeda]);
        // Every regency has a Dinas Sosial; the focus regency has its whole line-up.
        let skpds = if Some(r) == focus {
            names::REGENCY_SKPD
        } else {
            &names::REGENCY_SKPD[..1]
        };
        for skpd in skpds {
            let i = b.add(
                format!("{skpd} {}", reg.name),
                Helix::Government,
                OrganizationKind::Skpd,
                &reg.code,
                Some(gov),
                (p, Some(r)),
            );
            b.dir.regency_gov[r].push(i);
        }
    }

    // The rest of the budget is shared out among the other helixes; village governments take what is
    // left. Every kind gets at least one.
    let remaining = target.saturating_sub(b.dir.orgs.len());
    let share = |f: f64| ((remaining as f64 * f) as usize).max(1);
    let plan: [(OrganizationKind, usize); 8] = [
        (OrganizationKind::Company, share(0.21)),
        (OrganizationKind::StateOwnedEnterprise, share(0.03)),
        (OrganizationKind::University, share(0.08)),
        (OrganizationKind::CommunityGroup, share(0.14)),
        (OrganizationKind::Ngo, share(0.06)),
        (OrganizationKind::Media, share(0.04)),
        (OrganizationKind::Other, share(0.03)),
        (OrganizationKind::VillageGovernment, 0),
    ];
    let others: usize = plan.iter().map(|(_, n)| n).sum();
    let village_govs = remaining.saturating_sub(others).max(1);
    for (kind, n) in plan {
        let n = if kind == OrganizationKind::VillageGovernment {
            village_govs
        } else {
            n
        };
        add_free_standing(&mut b, rng, kind, n);
    }

    let dir = b.dir;
    let txn = db.begin().await?;
    let written = bulk::insert_all(&txn, b.rows).await?;
    txn.commit().await?;
    timings.record("organizations", written, started.elapsed());
    Ok(dir)
}

/// Adds `n` organizations of one non-government kind.
fn add_free_standing(b: &mut Builder<'_>, rng: &mut SmallRng, kind: OrganizationKind, n: usize) {
    if kind == OrganizationKind::VillageGovernment {
        add_village_governments(b, rng, n);
        return;
    }
    let catalog = b.catalog;
    for _ in 0..n {
        let r = catalog.skewed_regency(rng);
        let reg = &catalog.regencies[r];
        let town = short_regency(&reg.name).to_owned();
        let place = (reg.parent, Some(r));
        let (name, helix) = match kind {
            OrganizationKind::Company => (names::company(rng, &town), Helix::Business),
            OrganizationKind::StateOwnedEnterprise => (
                format!("{} Cabang {town}", names::pick(rng, names::STATE_OWNED)),
                Helix::Business,
            ),
            OrganizationKind::University => (names::university(rng, &town), Helix::Academia),
            OrganizationKind::Ngo => (names::ngo(rng, &town), Helix::Community),
            OrganizationKind::Media => (names::media(rng, &town), Helix::Media),
            OrganizationKind::Other => {
                let helix = if rng.random_bool(0.5) {
                    Helix::Community
                } else {
                    Helix::Business
                };
                (names::other(rng, &town), helix)
            }
            _ => {
                // Community groups live in a village of the regency.
                let range = catalog.regency_villages[r].clone();
                if range.is_empty() {
                    continue;
                }
                let v = &catalog.villages[rng.random_range(range)];
                let name = names::community_group(rng, &v.name);
                let i = b.add(name, Helix::Community, kind, &v.code, None, place);
                let org = b.dir.orgs[i].clone();
                b.dir.community.add(i, &org);
                continue;
            }
        };
        let i = b.add(name, helix, kind, &reg.code, None, place);
        let org = b.dir.orgs[i].clone();
        let pool = match kind {
            OrganizationKind::Company | OrganizationKind::StateOwnedEnterprise => {
                &mut b.dir.business
            }
            OrganizationKind::University => &mut b.dir.academia,
            OrganizationKind::Ngo => &mut b.dir.community,
            _ => &mut b.dir.other,
        };
        pool.add(i, &org);
    }
}

/// Village governments: every desa of the focus regency, then desa villages drawn at random.
fn add_village_governments(b: &mut Builder<'_>, rng: &mut SmallRng, n: usize) {
    let catalog = b.catalog;
    let mut chosen: Vec<usize> = Vec::with_capacity(n);
    if let Some(r) = catalog.regency(FOCUS_REGENCY) {
        chosen.extend(
            catalog.regency_villages[r]
                .clone()
                .filter(|&v| catalog.villages[v].desa),
        );
    }
    let desa: Vec<usize> = (0..catalog.villages.len())
        .filter(|&v| catalog.villages[v].desa)
        .collect();
    let mut taken: std::collections::HashSet<usize> = chosen.iter().copied().collect();
    let wanted = n.min(desa.len());
    while chosen.len() < wanted {
        if let Some(&v) = desa.choose(rng)
            && taken.insert(v)
        {
            chosen.push(v);
        }
    }
    chosen.truncate(n.max(1));
    chosen.sort_unstable();
    for v in chosen {
        let village = &catalog.villages[v];
        let i = b.add(
            format!("Pemerintah Desa {}", village.name),
            Helix::Village,
            OrganizationKind::VillageGovernment,
            &village.code,
            None,
            (village.province, Some(village.regency)),
        );
        b.dir.village_gov[v] = Some(i);
        b.dir.villages_with_gov.push(v);
    }
}
