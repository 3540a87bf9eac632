//! The demo dataset: real places and programs (Kabupaten Pekalongan's poverty laboratory in Desa
//! Botosari, the Lampung rakor of 1 November 2016, Kawasan Mandiri Pangan's 2015–2019 targets, DASHAT in
//! Desa Duwet) with contributions from every helix in 2024–2026. Amounts, indicators and company names
//! are illustrative, not official figures.
//!
//! Every id is a UUIDv5 of a fixed name and every insert skips rows already present, so loading the
//! demo twice (or after a crash halfway) adds nothing twice. It runs in one transaction.

use crate::services::{passwords, regions};
use chrono::{NaiveDate, TimeZone, Utc};
use entity::enums::*;
use entity::*;
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ActiveModelTrait, DatabaseConnection, DatabaseTransaction, DbErr, EntityTrait, TransactionTrait,
};
use uuid::Uuid;

/// The region rows the demo needs, shipped with the binary so the demo works without `../shared`.
pub const DEMO_REGIONS: &str = include_str!("../../data/demo_regions.csv");

/// Password of every demo user.
pub const DEMO_PASSWORD: &str = "sinergi-demo";

/// What the demo loader added.
#[derive(Debug, Default)]
pub struct DemoReport {
    /// Rows inserted (0 when the demo was already loaded).
    pub inserted: u64,
}

const NS: Uuid = Uuid::from_u128(0x5f1e_6a2b_73c4_4d0e_9b1a_2c3d_4e5f_6071);

/// The stable id of a demo record named `name`.
pub fn demo_id(name: &str) -> String {
    Uuid::new_v5(&NS, name.as_bytes()).to_string()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid demo date")
}

/// The demo's creation instant: fixed, so reloading does not change anything.
fn stamp() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 5, 1, 0, 0)
        .single()
        .expect("valid demo instant")
}

async fn put<A>(txn: &DatabaseTransaction, rows: Vec<A>) -> Result<u64, DbErr>
where
    A: ActiveModelTrait + Send,
{
    if rows.is_empty() {
        return Ok(0);
    }
    let res = <A::Entity as EntityTrait>::insert_many(rows)
        .on_conflict_do_nothing()
        .exec_without_returning(txn)
        .await?;
    Ok(match res {
        sea_orm::TryInsertResult::Inserted(n) => n,
        _ => 0,
    })
}

struct Org {
    key: &'static str,
    name: &'static str,
    helix: Helix,
    kind: OrganizationKind,
    region: &'static str,
    parent: Option<&'static str>,
}

const ORGS: &[Org] = &[
    Org {
        key: "pemprov-jateng",
        name: "Pemerintah Provinsi Jawa Tengah",
        helix: Helix::Government,
        kind: OrganizationKind::ProvincialGovernment,
        region: "33",
        parent: None,
    },
    Org {
        key: "dinsos-jateng",
        name: "Dinas Sosial Provinsi Jawa Tengah",
        helix: Helix::Government,
        kind: OrganizationKind::Skpd,
        region: "33",
        parent: Some("pemprov-jateng"),
    },
    Org {
        key: "pemkab-pekalongan",
        name: "Pemerintah Kabupaten Pekalongan",
        helix: Helix::Government,
        kind: OrganizationKind::RegencyGovernment,
        region: "33.26",
        parent: None,
    },
    Org {
        key: "bappeda-pekalongan",
        name: "Bappeda Kabupaten Pekalongan",
        helix: Helix::Government,
        kind: OrganizationKind::Bappeda,
        region: "33.26",
        parent: Some("pemkab-pekalongan"),
    },
    Org {
        key: "dinsos-pekalongan",
        name: "Dinas Sosial Kabupaten Pekalongan",
        helix: Helix::Government,
        kind: OrganizationKind::Skpd,
        region: "33.26",
        parent: Some("pemkab-pekalongan"),
    },
    Org {
        key: "dinpertan-pekalongan",
        name: "Dinas Pertanian dan Pangan Kabupaten Pekalongan",
        helix: Helix::Government,
        kind: OrganizationKind::Skpd,
        region: "33.26",
        parent: Some("pemkab-pekalongan"),
    },
    Org {
        key: "dinkes-pekalongan",
        name: "Dinas Kesehatan Kabupaten Pekalongan",
        helix: Helix::Government,
        kind: OrganizationKind::Skpd,
        region: "33.26",
        parent: Some("pemkab-pekalongan"),
    },
    Org {
        key: "pemdes-botosari",
        name: "Pemerintah Desa Botosari",
        helix: Helix::Village,
        kind: OrganizationKind::VillageGovernment,
        region: "33.26.02.2008",
        parent: None,
    },
    Org {
        key: "pemdes-tenogo",
        name: "Pemerintah Desa Tenogo",
        helix: Helix::Village,
        kind: OrganizationKind::VillageGovernment,
        region: "33.26.02.2014",
        parent: None,
    },
    Org {
        key: "pt-batik",
        name: "PT Batik Pesisir Lestari (contoh)",
        helix: Helix::Business,
        kind: OrganizationKind::Company,
        region: "33.26",
        parent: None,
    },
    Org {
        key: "unikal",
        name: "Universitas Pekalongan",
        helix: Helix::Academia,
        kind: OrganizationKind::University,
        region: "33.75",
        parent: None,
    },
    Org {
        key: "pkk-botosari",
        name: "TP PKK Desa Botosari",
        helix: Helix::Community,
        kind: OrganizationKind::CommunityGroup,
        region: "33.26.02.2008",
        parent: None,
    },
    Org {
        key: "radio-pekalongan",
        name: "Radio Komunitas Paninggaran (contoh)",
        helix: Helix::Media,
        kind: OrganizationKind::Media,
        region: "33.26.02",
        parent: None,
    },
    Org {
        key: "pemprov-lampung",
        name: "Pemerintah Provinsi Lampung",
        helix: Helix::Government,
        kind: OrganizationKind::ProvincialGovernment,
        region: "18",
        parent: None,
    },
    Org {
        key: "bappeda-lampung",
        name: "Bappeda Provinsi Lampung",
        helix: Helix::Government,
        kind: OrganizationKind::Bappeda,
        region: "18",
        parent: Some("pemprov-lampung"),
    },
    Org {
        key: "dinsos-lampung",
        name: "Dinas Sosial Provinsi Lampung",
        helix: Helix::Government,
        kind: OrganizationKind::Skpd,
        region: "18",
        parent: Some("pemprov-lampung"),
    },
    Org {
        key: "pemkab-lamsel",
        name: "Pemerintah Kabupaten Lampung Selatan",
        helix: Helix::Government,
        kind: OrganizationKind::RegencyGovernment,
        region: "18.01",
        parent: None,
    },
    Org {
        key: "bappeda-lamsel",
        name: "Bappeda Kabupaten Lampung Selatan",
        helix: Helix::Government,
        kind: OrganizationKind::Bappeda,
        region: "18.01",
        parent: Some("pemkab-lamsel"),
    },
    Org {
        key: "pemdes-hajimena",
        name: "Pemerintah Desa Hajimena",
        helix: Helix::Village,
        kind: OrganizationKind::VillageGovernment,
        region: "18.01.04.2001",
        parent: None,
    },
    Org {
        key: "pt-agro-lampung",
        name: "PT Agro Lampung Lestari (contoh)",
        helix: Helix::Business,
        kind: OrganizationKind::Company,
        region: "18.01",
        parent: None,
    },
    Org {
        key: "pemkab-malang",
        name: "Pemerintah Kabupaten Malang",
        helix: Helix::Government,
        kind: OrganizationKind::RegencyGovernment,
        region: "35.07",
        parent: None,
    },
    Org {
        key: "dinkes-malang",
        name: "Dinas Kesehatan Kabupaten Malang",
        helix: Helix::Government,
        kind: OrganizationKind::Skpd,
        region: "35.07",
        parent: Some("pemkab-malang"),
    },
    Org {
        key: "pemdes-duwet",
        name: "Pemerintah Desa Duwet",
        helix: Helix::Village,
        kind: OrganizationKind::VillageGovernment,
        region: "35.07.16.2013",
        parent: None,
    },
    Org {
        key: "pkk-duwet",
        name: "Kader PKK Desa Duwet",
        helix: Helix::Community,
        kind: OrganizationKind::CommunityGroup,
        region: "35.07.16.2013",
        parent: None,
    },
    Org {
        key: "ub",
        name: "Universitas Brawijaya",
        helix: Helix::Academia,
        kind: OrganizationKind::University,
        region: "35.73",
        parent: None,
    },
];

/// A demo user: (email, name, role, organization key, coordinator scope).
pub type UserSpec = (
    &'static str,
    &'static str,
    Role,
    Option<&'static str>,
    Option<&'static str>,
);

/// The demo users; every one signs in with [`DEMO_PASSWORD`].
pub const USERS: &[UserSpec] = &[
    (
        "admin@sinergi.demo",
        "Admin Sinergi",
        Role::Admin,
        None,
        None,
    ),
    (
        "koordinator@pekalongan.demo",
        "Koordinator TKPK Kabupaten Pekalongan",
        Role::Coordinator,
        Some("bappeda-pekalongan"),
        Some("33.26"),
    ),
    (
        "skpd@pekalongan.demo",
        "Staf Dinas Sosial Kabupaten Pekalongan",
        Role::Member,
        Some("dinsos-pekalongan"),
        None,
    ),
    (
        "csr@pekalongan.demo",
        "Pengelola CSR PT Batik Pesisir Lestari",
        Role::Member,
        Some("pt-batik"),
        None,
    ),
    (
        "kampus@pekalongan.demo",
        "Dosen Universitas Pekalongan",
        Role::Member,
        Some("unikal"),
        None,
    ),
    (
        "desa@botosari.demo",
        "Perangkat Desa Botosari",
        Role::Member,
        Some("pemdes-botosari"),
        None,
    ),
    (
        "koordinator@lampung.demo",
        "Koordinator TKPK Provinsi Lampung",
        Role::Coordinator,
        Some("bappeda-lampung"),
        Some("18"),
    ),
    (
        "pemantau@sinergi.demo",
        "Pemantau (viewer)",
        Role::Viewer,
        None,
        None,
    ),
];

/// A demo program: (key, name, owner, cluster, start, end, strategies, target groups, villages).
type ProgramSpec = (
    &'static str,
    &'static str,
    &'static str,
    Cluster,
    i32,
    i32,
    &'static [Strategy],
    &'static [TargetGroup],
    &'static [&'static str],
);

const PROGRAMS: &[ProgramSpec] = &[
    (
        "kmp",
        "Kawasan Mandiri Pangan",
        "dinpertan-pekalongan",
        Cluster::CommunityEmpowerment,
        2015,
        2019,
        &[Strategy::RaiseCapabilityAndIncome],
        &[TargetGroup::PoorHouseholds, TargetGroup::FarmersAndFishers],
        &["33.26.02.2008", "33.26.02.2014"],
    ),
    (
        "rtlh",
        "Bedah Rumah (RTLH) Kabupaten Pekalongan",
        "dinsos-pekalongan",
        Cluster::SocialAssistance,
        2024,
        2026,
        &[Strategy::ReduceSpendingBurden],
        &[TargetGroup::PoorHouseholds],
        &["33.26.02.2008", "33.26.02.2014", "33.26.02.2009"],
    ),
    (
        "rtlh-jateng",
        "Rehabilitasi RTLH Provinsi Jawa Tengah",
        "dinsos-jateng",
        Cluster::SocialAssistance,
        2024,
        2026,
        &[Strategy::ReduceSpendingBurden],
        &[TargetGroup::PoorHouseholds],
        &["33.26.02.2008"],
    ),
    (
        "labkemis",
        "Laboratorium Kemiskinan Desa Botosari",
        "bappeda-pekalongan",
        Cluster::ProPeople,
        2024,
        2026,
        &[Strategy::SynergisePrograms],
        &[TargetGroup::PoorHouseholds],
        &["33.26.02.2008"],
    ),
    (
        "umkm-batik",
        "Pengembangan UMKM Batik Pesisir",
        "pt-batik",
        Cluster::MicroSmallEnterprise,
        2024,
        2026,
        &[Strategy::DevelopMsme, Strategy::RaiseCapabilityAndIncome],
        &[TargetGroup::MicroEnterprises, TargetGroup::Women],
        &["33.26.02.2008", "33.26.02.2014"],
    ),
    (
        "dashat",
        "DASHAT (Dapur Sehat Atasi Stunting) Desa Duwet",
        "pemdes-duwet",
        Cluster::SocialAssistance,
        2024,
        2026,
        &[Strategy::ReduceSpendingBurden],
        &[TargetGroup::StuntingRiskFamilies, TargetGroup::Toddlers],
        &["35.07.16.2013"],
    ),
    (
        "bansos-lampung",
        "Bantuan Sosial Keluarga Miskin Provinsi Lampung",
        "dinsos-lampung",
        Cluster::SocialAssistance,
        2016,
        2026,
        &[Strategy::ReduceSpendingBurden],
        &[TargetGroup::PoorHouseholds],
        &["18.01.04.2001", "18.01.04.2002"],
    ),
    (
        "pemberdayaan-lamsel",
        "Pemberdayaan Ekonomi Desa Lampung Selatan",
        "pemkab-lamsel",
        Cluster::CommunityEmpowerment,
        2016,
        2026,
        &[Strategy::RaiseCapabilityAndIncome],
        &[TargetGroup::PoorHouseholds, TargetGroup::FarmersAndFishers],
        &["18.01.04.2001"],
    ),
];

/// A demo contribution: (key, contributor, source, kind, village, program, title, target group, base amount).
type ContributionSpec = (
    &'static str,
    &'static str,
    FundingSource,
    ContributionKind,
    &'static str,
    Option<&'static str>,
    &'static str,
    TargetGroup,
    i64,
);

const CONTRIBUTIONS: &[ContributionSpec] = &[
    (
        "jateng-rtlh-botosari",
        "dinsos-jateng",
        FundingSource::ApbdProvince,
        ContributionKind::Cash,
        "33.26.02.2008",
        Some("rtlh-jateng"),
        "Rehabilitasi rumah tidak layak huni",
        TargetGroup::PoorHouseholds,
        300_000_000,
    ),
    (
        "dinsos-rtlh-botosari",
        "dinsos-pekalongan",
        FundingSource::ApbdRegency,
        ContributionKind::Cash,
        "33.26.02.2008",
        Some("rtlh"),
        "Bedah rumah keluarga miskin",
        TargetGroup::PoorHouseholds,
        240_000_000,
    ),
    (
        "dinsos-rtlh-tenogo",
        "dinsos-pekalongan",
        FundingSource::ApbdRegency,
        ContributionKind::Cash,
        "33.26.02.2014",
        Some("rtlh"),
        "Bedah rumah keluarga miskin",
        TargetGroup::PoorHouseholds,
        160_000_000,
    ),
    (
        "dinkes-posyandu-sawangan",
        "dinkes-pekalongan",
        FundingSource::ApbdRegency,
        ContributionKind::InKind,
        "33.26.02.2009",
        None,
        "Makanan tambahan balita di posyandu",
        TargetGroup::Toddlers,
        45_000_000,
    ),
    (
        "apbdes-botosari",
        "pemdes-botosari",
        FundingSource::Apbdes,
        ContributionKind::Cash,
        "33.26.02.2008",
        Some("labkemis"),
        "Padat karya dan jambanisasi",
        TargetGroup::PoorHouseholds,
        120_000_000,
    ),
    (
        "apbdes-tenogo",
        "pemdes-tenogo",
        FundingSource::Apbdes,
        ContributionKind::Cash,
        "33.26.02.2014",
        None,
        "BLT Dana Desa",
        TargetGroup::PoorHouseholds,
        90_000_000,
    ),
    (
        "csr-batik-botosari",
        "pt-batik",
        FundingSource::Csr,
        ContributionKind::Cash,
        "33.26.02.2008",
        Some("umkm-batik"),
        "Pelatihan dan modal usaha membatik",
        TargetGroup::MicroEnterprises,
        150_000_000,
    ),
    (
        "unikal-kkn-botosari",
        "unikal",
        FundingSource::University,
        ContributionKind::Expertise,
        "33.26.02.2008",
        Some("labkemis"),
        "KKN tematik dan pendataan keluarga miskin",
        TargetGroup::PoorHouseholds,
        35_000_000,
    ),
    (
        "pkk-botosari",
        "pkk-botosari",
        FundingSource::Community,
        ContributionKind::VolunteerLabour,
        "33.26.02.2008",
        Some("labkemis"),
        "Gotong royong bedah rumah",
        TargetGroup::PoorHouseholds,
        15_000_000,
    ),
    (
        "dinsos-lampung-hajimena",
        "dinsos-lampung",
        FundingSource::ApbdProvince,
        ContributionKind::Cash,
        "18.01.04.2001",
        Some("bansos-lampung"),
        "Bantuan sosial keluarga miskin",
        TargetGroup::PoorHouseholds,
        200_000_000,
    ),
    (
        "lamsel-pemberdayaan-hajimena",
        "pemkab-lamsel",
        FundingSource::ApbdRegency,
        ContributionKind::Cash,
        "18.01.04.2001",
        Some("pemberdayaan-lamsel"),
        "Kelompok usaha tani",
        TargetGroup::FarmersAndFishers,
        110_000_000,
    ),
    (
        "apbdes-hajimena",
        "pemdes-hajimena",
        FundingSource::Apbdes,
        ContributionKind::Cash,
        "18.01.04.2001",
        None,
        "Sarana air bersih",
        TargetGroup::General,
        80_000_000,
    ),
    (
        "csr-agro-natar",
        "pt-agro-lampung",
        FundingSource::Csr,
        ContributionKind::InKind,
        "18.01.04.2002",
        None,
        "Bibit dan pupuk untuk petani miskin",
        TargetGroup::FarmersAndFishers,
        60_000_000,
    ),
    (
        "dashat-apbdes-duwet",
        "pemdes-duwet",
        FundingSource::Apbdes,
        ContributionKind::Cash,
        "35.07.16.2013",
        Some("dashat"),
        "Dapur DASHAT: bahan pangan bergizi",
        TargetGroup::StuntingRiskFamilies,
        70_000_000,
    ),
    (
        "dashat-dinkes-duwet",
        "dinkes-malang",
        FundingSource::ApbdRegency,
        ContributionKind::Expertise,
        "35.07.16.2013",
        Some("dashat"),
        "Pendampingan gizi oleh tenaga kesehatan",
        TargetGroup::StuntingRiskFamilies,
        40_000_000,
    ),
    (
        "dashat-pkk-duwet",
        "pkk-duwet",
        FundingSource::Community,
        ContributionKind::VolunteerLabour,
        "35.07.16.2013",
        Some("dashat"),
        "Kader memasak dan mengantar makanan",
        TargetGroup::StuntingRiskFamilies,
        12_000_000,
    ),
    (
        "dashat-ub-duwet",
        "ub",
        FundingSource::University,
        ContributionKind::Expertise,
        "35.07.16.2013",
        Some("dashat"),
        "Menu bergizi berbahan lokal (pengabdian masyarakat)",
        TargetGroup::StuntingRiskFamilies,
        25_000_000,
    ),
];

/// Loads the demo into `db` (creating the regions it needs), idempotently.
pub async fn load(db: &DatabaseConnection) -> anyhow::Result<DemoReport> {
    regions::import(db, DEMO_REGIONS.as_bytes()).await?;
    let mut hashes = Vec::new();
    for _ in USERS {
        hashes.push(passwords::hash(DEMO_PASSWORD.to_string()).await?);
    }
    let txn = db.begin().await?;
    let mut n = 0;
    n += put(
        &txn,
        ORGS.iter()
            .filter(|o| o.parent.is_none())
            .map(org_model)
            .collect(),
    )
    .await?;
    n += put(
        &txn,
        ORGS.iter()
            .filter(|o| o.parent.is_some())
            .map(org_model)
            .collect(),
    )
    .await?;
    n += put(
        &txn,
        USERS
            .iter()
            .zip(hashes)
            .map(|(u, h)| user_model(u, h))
            .collect(),
    )
    .await?;
    n += load_programs(&txn).await?;
    n += load_contributions(&txn).await?;
    n += load_indicators(&txn).await?;
    n += load_meetings(&txn).await?;
    txn.commit().await?;
    Ok(DemoReport { inserted: n })
}

fn org_model(o: &Org) -> organization::ActiveModel {
    organization::ActiveModel {
        id: Set(demo_id(o.key)),
        name: Set(o.name.into()),
        search_name: Set(crate::text::fold(o.name)),
        helix: Set(o.helix),
        kind: Set(o.kind),
        region_code: Set(o.region.into()),
        parent_id: Set(o.parent.map(demo_id)),
        version: Set(1),
        created_at: Set(stamp()),
        updated_at: Set(stamp()),
    }
}

fn user_model(
    u: &(&str, &str, Role, Option<&str>, Option<&str>),
    hash: String,
) -> user::ActiveModel {
    user::ActiveModel {
        id: Set(demo_id(u.0)),
        email: Set(u.0.into()),
        name: Set(u.1.into()),
        password_hash: Set(hash),
        role: Set(u.2),
        organization_id: Set(u.3.map(demo_id)),
        region_scope: Set(u.4.map(Into::into)),
        active: Set(true),
        version: Set(1),
        created_at: Set(stamp()),
        updated_at: Set(stamp()),
    }
}

async fn load_programs(txn: &DatabaseTransaction) -> Result<u64, DbErr> {
    let mut n = 0;
    let mut strategies = Vec::new();
    let mut groups = Vec::new();
    let mut villages = Vec::new();
    let mut programs = Vec::new();
    for (key, name, owner, cluster, start, end, strats, tgs, vills) in PROGRAMS {
        let id = demo_id(key);
        programs.push(program::ActiveModel {
            id: Set(id.clone()),
            code: Set(Some(key.to_uppercase())),
            name: Set((*name).into()),
            search_name: Set(crate::text::fold(name)),
            description: Set(None),
            owner_id: Set(demo_id(owner)),
            cluster: Set(*cluster),
            start_year: Set(*start),
            end_year: Set(*end),
            version: Set(1),
            created_at: Set(stamp()),
            updated_at: Set(stamp()),
        });
        strategies.extend(strats.iter().map(|s| program_strategy::ActiveModel {
            program_id: Set(id.clone()),
            strategy: Set(*s),
        }));
        groups.extend(tgs.iter().map(|g| program_target_group::ActiveModel {
            program_id: Set(id.clone()),
            target_group: Set(*g),
        }));
        villages.extend(vills.iter().map(|v| program_village::ActiveModel {
            program_id: Set(id.clone()),
            village_code: Set((*v).into()),
        }));
    }
    n += put(txn, programs).await?;
    n += put(txn, strategies).await?;
    n += put(txn, groups).await?;
    n += put(txn, villages).await?;

    // Kawasan Mandiri Pangan: the three yearly phases of a kawasan and the national yearly targets
    // (192, 190, 110, 135, 75 kawasan in 2015–2019); realisations are illustrative.
    let kmp = demo_id("kmp");
    let phases = [
        (2015, "Pengembangan"),
        (2016, "Kemandirian"),
        (2017, "Keberlanjutan"),
    ];
    n += put(
        txn,
        phases
            .iter()
            .map(|(y, p)| program_phase::ActiveModel {
                id: Set(demo_id(&format!("kmp-phase-{y}"))),
                program_id: Set(kmp.clone()),
                name: Set((*p).into()),
                fiscal_year: Set(*y),
                description: Set(None),
            })
            .collect(),
    )
    .await?;
    let targets = [
        (2015, 192.0, Some(192.0)),
        (2016, 190.0, Some(187.0)),
        (2017, 110.0, Some(104.0)),
        (2018, 135.0, Some(131.0)),
        (2019, 75.0, None),
    ];
    n += put(
        txn,
        targets
            .iter()
            .map(|(y, t, r)| program_target::ActiveModel {
                id: Set(demo_id(&format!("kmp-target-{y}"))),
                program_id: Set(kmp.clone()),
                fiscal_year: Set(*y),
                unit: Set("kawasan".into()),
                target: Set(*t),
                realised: Set(*r),
            })
            .collect(),
    )
    .await?;
    let dashat = demo_id("dashat");
    n += put(
        txn,
        [
            (2024, 40.0, Some(38.0)),
            (2025, 45.0, Some(30.0)),
            (2026, 50.0, None),
        ]
        .iter()
        .map(|(y, t, r)| program_target::ActiveModel {
            id: Set(demo_id(&format!("dashat-target-{y}"))),
            program_id: Set(dashat.clone()),
            fiscal_year: Set(*y),
            unit: Set("keluarga risiko stunting".into()),
            target: Set(*t),
            realised: Set(*r),
        })
        .collect(),
    )
    .await?;
    Ok(n)
}

async fn load_contributions(txn: &DatabaseTransaction) -> Result<u64, DbErr> {
    let mut rows = Vec::new();
    let mut txs = Vec::new();
    for (key, org, source, kind, village, program, title, group, base) in CONTRIBUTIONS {
        for year in 2024..=2026 {
            let id = demo_id(&format!("{key}-{year}"));
            // Amounts grow a little each year; 2024 is spent, 2025 under way, 2026 committed, and the
            // CSR company's 2026 line is still a draft (PLANNED).
            let planned = base + (year as i64 - 2024) * base / 10;
            let is_draft = year == 2026 && *source == FundingSource::Csr;
            let committed = if is_draft { 0 } else { planned };
            let (status, disbursed, realised) = match year {
                2024 => (
                    ContributionStatus::Completed,
                    committed,
                    committed * 95 / 100,
                ),
                2025 => (
                    ContributionStatus::InProgress,
                    committed * 6 / 10,
                    committed * 4 / 10,
                ),
                _ if is_draft => (ContributionStatus::Planned, 0, 0),
                _ => (ContributionStatus::Committed, 0, 0),
            };
            rows.push(contribution::ActiveModel {
                id: Set(id.clone()),
                contributor_id: Set(demo_id(org)),
                source: Set(*source),
                kind: Set(*kind),
                region_code: Set((*village).into()),
                program_id: Set(program.map(demo_id)),
                fiscal_year: Set(year),
                title: Set(format!("{title} {year}")),
                description: Set(None),
                target_group: Set(Some(*group)),
                beneficiaries: Set(Some((planned / 5_000_000) as i32)),
                amount_planned: Set(planned),
                amount_committed: Set(committed),
                amount_disbursed: Set(disbursed),
                amount_realised: Set(realised),
                status: Set(status),
                version: Set(1),
                created_by: Set(None),
                created_at: Set(stamp()),
                updated_at: Set(stamp()),
                external_key: Set(None),
            });
            for (ty, amount, when) in [
                (TransactionType::Commitment, committed, date(year, 2, 15)),
                (TransactionType::Disbursement, disbursed, date(year, 5, 20)),
                (TransactionType::Expenditure, realised, date(year, 9, 30)),
            ] {
                if amount > 0 {
                    txs.push(contribution_transaction::ActiveModel {
                        id: Set(demo_id(&format!("{key}-{year}-{ty:?}"))),
                        contribution_id: Set(id.clone()),
                        r#type: Set(ty),
                        amount: Set(amount),
                        occurred_on: Set(when),
                        note: Set(None),
                        created_by: Set(None),
                        created_at: Set(stamp()),
                    });
                }
            }
        }
    }
    Ok(put(txn, rows).await? + put(txn, txs).await?)
}

async fn load_indicators(txn: &DatabaseTransaction) -> Result<u64, DbErr> {
    // (village, households, poor households, stunting risk families, priority in 2024/2025/2026):
    // Botosari leaves the red list in 2026, the laboratory's point.
    let villages: &[(&str, i32, i32, i32, [bool; 3])] = &[
        ("33.26.02.2008", 1_020, 310, 64, [true, true, false]),
        ("33.26.02.2014", 870, 280, 51, [true, true, true]),
        ("33.26.02.2009", 940, 150, 22, [false, false, false]),
        ("33.26.02.2001", 760, 240, 40, [true, true, true]),
        ("18.01.04.2001", 2_300, 410, 75, [true, true, true]),
        ("35.07.16.2013", 1_450, 260, 58, [true, true, true]),
    ];
    let mut rows = Vec::new();
    for (code, households, poor, risk, priority) in villages {
        for (i, year) in (2024..=2026).enumerate() {
            let shrink = |v: i32| v - v * i as i32 / 8;
            rows.push(village_indicator::ActiveModel {
                id: Set(demo_id(&format!("ind-{code}-{year}"))),
                village_code: Set((*code).into()),
                fiscal_year: Set(year),
                source: Set("DTKS/P3KE".into()),
                as_of: Set(date(year, 1, 31)),
                households: Set(Some(*households)),
                population: Set(Some(households * 7 / 2)),
                poor_households: Set(Some(shrink(*poor))),
                households_decile1: Set(Some(shrink(*poor) * 4 / 10)),
                households_decile2: Set(Some(shrink(*poor) * 3 / 10)),
                households_decile3: Set(Some(shrink(*poor) * 2 / 10)),
                households_decile4: Set(Some(shrink(*poor) / 10)),
                stunting_risk_families: Set(Some(shrink(*risk))),
                stunting_cases: Set(Some(shrink(*risk) / 3)),
                stunting_prevalence: Set(Some(
                    f64::from(shrink(*risk) / 3) * 100.0 / f64::from(households / 4),
                )),
                idm_status: Set(Some(if priority[i] {
                    IdmStatus::Underdeveloped
                } else {
                    IdmStatus::Developing
                })),
                priority: Set(priority[i]),
                version: Set(1),
                created_at: Set(stamp()),
                updated_at: Set(stamp()),
            });
        }
    }
    put(txn, rows).await
}

/// A demo action item: (key, text, owner, due, status, progress notes).
type ActionSpec = (
    &'static str,
    &'static str,
    &'static str,
    NaiveDate,
    ActionItemStatus,
    &'static [&'static str],
);

struct MeetingSpec {
    key: &'static str,
    title: &'static str,
    level: MeetingLevel,
    region: &'static str,
    held_on: NaiveDate,
    host: &'static str,
    location: &'static str,
    agenda: &'static [&'static str],
    minutes: &'static str,
    participants: &'static [(&'static str, &'static str, &'static str)],
    decisions: Vec<(&'static str, Vec<ActionSpec>)>,
    programs: &'static [&'static str],
    regions: &'static [&'static str],
}

fn meetings() -> Vec<MeetingSpec> {
    vec![
        MeetingSpec {
            key: "rakor-lampung-2016",
            title: "Rapat Koordinasi TKPK Provinsi Lampung",
            level: MeetingLevel::Province,
            region: "18",
            held_on: date(2016, 11, 1),
            host: "bappeda-lampung",
            location: "Bandar Lampung",
            agenda: &[
                "Pemanfaatan Basis Data Terpadu (BDT) untuk penanggulangan kemiskinan",
                "Sinergi program provinsi dan kabupaten/kota",
                "Penyusunan LP2KD semester dan tahunan",
            ],
            minutes: "TKPK provinsi dan kabupaten/kota sepakat menggunakan BDT by name by address, menyinergikan program dalam tiga klaster, dan melaporkan LP2KD tiap semester.",
            participants: &[
                ("bappeda-lampung", "Kepala Bappeda", "pimpinan rapat"),
                ("dinsos-lampung", "Kepala Dinas Sosial", "peserta"),
                ("pemkab-lamsel", "Asisten Perekonomian", "peserta"),
                (
                    "bappeda-lamsel",
                    "Kepala Bidang Sosial Budaya",
                    "sekretariat TKPK kabupaten",
                ),
            ],
            decisions: vec![
                (
                    "Menggunakan Basis Data Terpadu (BDT) by name by address sebagai sasaran program",
                    vec![(
                        "bdt",
                        "Menyebarkan BDT by name by address ke seluruh SKPD",
                        "bappeda-lampung",
                        date(2016, 12, 31),
                        ActionItemStatus::Done,
                        &["BDT dibagikan ke 24 SKPD provinsi"],
                    )],
                ),
                (
                    "Menyinergikan program provinsi dan kabupaten/kota dalam tiga klaster",
                    vec![(
                        "sinergi-klaster",
                        "Memetakan sinergi program provinsi dan kabupaten per klaster",
                        "bappeda-lamsel",
                        date(2017, 3, 31),
                        ActionItemStatus::InProgress,
                        &["Pemetaan klaster I selesai"],
                    )],
                ),
                (
                    "Menentukan prioritas berdasarkan wilayah dan desil",
                    vec![(
                        "prioritas-desil",
                        "Menetapkan desa prioritas menurut desil kesejahteraan",
                        "dinsos-lampung",
                        date(2017, 6, 30),
                        ActionItemStatus::Open,
                        &[],
                    )],
                ),
                (
                    "Membangun mekanisme validasi data dan pengaduan",
                    vec![(
                        "validasi",
                        "Menyusun prosedur verifikasi, validasi dan pengaduan data",
                        "dinsos-lampung",
                        date(2017, 6, 30),
                        ActionItemStatus::Open,
                        &[],
                    )],
                ),
                (
                    "Mengembangkan aplikasi terintegrasi provinsi–kabupaten/kota",
                    vec![(
                        "aplikasi",
                        "Membangun aplikasi penanggulangan kemiskinan terintegrasi",
                        "bappeda-lampung",
                        date(2017, 12, 31),
                        ActionItemStatus::InProgress,
                        &["Kerangka aplikasi disepakati"],
                    )],
                ),
                (
                    "Menyusun laporan LP2KD semester dan tahunan",
                    vec![(
                        "lp2kd",
                        "Menyampaikan LP2KD semester I",
                        "bappeda-lamsel",
                        date(2017, 7, 31),
                        ActionItemStatus::Open,
                        &[],
                    )],
                ),
            ],
            programs: &["bansos-lampung", "pemberdayaan-lamsel"],
            regions: &["18", "18.01"],
        },
        MeetingSpec {
            key: "rakor-pekalongan-2025",
            title: "Rapat Koordinasi TKPK Kabupaten Pekalongan: Laboratorium Kemiskinan Desa Botosari",
            level: MeetingLevel::Regency,
            region: "33.26",
            held_on: date(2025, 2, 10),
            host: "bappeda-pekalongan",
            location: "Kajen",
            agenda: &[
                "Capaian Laboratorium Kemiskinan 2024",
                "Pembagian peran 2025 di Desa Botosari dan Tenogo",
            ],
            minutes: "Dinas Sosial, Pemerintah Desa, CSR dan perguruan tinggi sepakat menggarap Desa Botosari bersama (keroyokan).",
            participants: &[
                ("bappeda-pekalongan", "Kepala Bappeda", "sekretariat TKPK"),
                (
                    "dinsos-pekalongan",
                    "Kepala Bidang Rehabilitasi Sosial",
                    "peserta",
                ),
                ("pemdes-botosari", "Kepala Desa", "peserta"),
                ("pt-batik", "Manajer CSR", "Forum CSR"),
                ("unikal", "Ketua LPPM", "peserta"),
            ],
            decisions: vec![(
                "Menggarap Desa Botosari bersama: RTLH, UMKM batik, dan pendataan",
                vec![
                    (
                        "rtlh-2025",
                        "Menyelesaikan 40 rumah RTLH di Botosari",
                        "dinsos-pekalongan",
                        date(2025, 10, 31),
                        ActionItemStatus::InProgress,
                        &["18 rumah selesai"],
                    ),
                    (
                        "umkm-2025",
                        "Pelatihan membatik untuk 30 perempuan",
                        "pt-batik",
                        date(2025, 8, 31),
                        ActionItemStatus::Done,
                        &["Pelatihan selesai, 32 peserta"],
                    ),
                    (
                        "data-2025",
                        "Pemutakhiran data keluarga miskin oleh mahasiswa KKN",
                        "unikal",
                        date(2025, 4, 30),
                        ActionItemStatus::Open,
                        &[],
                    ),
                ],
            )],
            programs: &["rtlh", "labkemis", "umkm-batik"],
            regions: &["33.26.02.2008", "33.26.02.2014"],
        },
        MeetingSpec {
            key: "rembug-duwet-2025",
            title: "Rembug Stunting Desa Duwet",
            level: MeetingLevel::Village,
            region: "35.07.16.2013",
            held_on: date(2025, 3, 5),
            host: "pemdes-duwet",
            location: "Balai Desa Duwet",
            agenda: &["Menu DASHAT 2025", "Pendampingan keluarga risiko stunting"],
            minutes: "Dapur DASHAT melayani keluarga risiko stunting tiga kali seminggu.",
            participants: &[
                ("pemdes-duwet", "Kepala Desa", "pimpinan rapat"),
                ("pkk-duwet", "Ketua TP PKK", "peserta"),
                ("dinkes-malang", "Ahli gizi Puskesmas Tumpang", "narasumber"),
                ("ub", "Dosen Fakultas Kedokteran", "narasumber"),
            ],
            decisions: vec![(
                "Dapur DASHAT berjalan tiga kali seminggu",
                vec![(
                    "menu-2025",
                    "Menyusun menu bergizi berbahan lokal",
                    "ub",
                    date(2025, 4, 15),
                    ActionItemStatus::Done,
                    &["Menu 12 minggu tersusun"],
                )],
            )],
            programs: &["dashat"],
            regions: &["35.07.16.2013"],
        },
    ]
}

async fn load_meetings(txn: &DatabaseTransaction) -> Result<u64, DbErr> {
    let mut n = 0;
    for m in meetings() {
        let mid = demo_id(m.key);
        n += put(
            txn,
            vec![meeting::ActiveModel {
                id: Set(mid.clone()),
                title: Set(m.title.into()),
                level: Set(m.level),
                region_code: Set(m.region.into()),
                held_on: Set(m.held_on),
                host_id: Set(demo_id(m.host)),
                location: Set(Some(m.location.into())),
                minutes: Set(Some(m.minutes.into())),
                version: Set(1),
                created_at: Set(stamp()),
                updated_at: Set(stamp()),
            }],
        )
        .await?;
        n += put(
            txn,
            m.agenda
                .iter()
                .enumerate()
                .map(|(i, t)| meeting_agenda_item::ActiveModel {
                    meeting_id: Set(mid.clone()),
                    position: Set(i as i32),
                    text: Set((*t).into()),
                })
                .collect(),
        )
        .await?;
        n += put(
            txn,
            m.participants
                .iter()
                .map(|(org, who, role)| meeting_participant::ActiveModel {
                    id: Set(demo_id(&format!("{}-{org}", m.key))),
                    meeting_id: Set(mid.clone()),
                    organization_id: Set(demo_id(org)),
                    representative: Set(Some((*who).into())),
                    role: Set(Some((*role).into())),
                })
                .collect(),
        )
        .await?;
        n += put(
            txn,
            m.programs
                .iter()
                .map(|p| meeting_program::ActiveModel {
                    meeting_id: Set(mid.clone()),
                    program_id: Set(demo_id(p)),
                })
                .collect(),
        )
        .await?;
        n += put(
            txn,
            m.regions
                .iter()
                .map(|r| meeting_region::ActiveModel {
                    meeting_id: Set(mid.clone()),
                    region_code: Set((*r).into()),
                })
                .collect(),
        )
        .await?;
        for (pos, (text, items)) in m.decisions.iter().enumerate() {
            let did = demo_id(&format!("{}-decision-{pos}", m.key));
            n += put(
                txn,
                vec![decision::ActiveModel {
                    id: Set(did.clone()),
                    meeting_id: Set(mid.clone()),
                    position: Set(pos as i32),
                    text: Set((*text).into()),
                }],
            )
            .await?;
            for (key, text, owner, due, status, notes) in items {
                let aid = demo_id(&format!("{}-action-{key}", m.key));
                n += put(
                    txn,
                    vec![action_item::ActiveModel {
                        id: Set(aid.clone()),
                        decision_id: Set(did.clone()),
                        meeting_id: Set(mid.clone()),
                        text: Set((*text).into()),
                        owner_id: Set(demo_id(owner)),
                        due_on: Set(Some(*due)),
                        status: Set(*status),
                        version: Set(1),
                        created_at: Set(stamp()),
                        updated_at: Set(stamp()),
                    }],
                )
                .await?;
                n += put(
                    txn,
                    notes
                        .iter()
                        .enumerate()
                        .map(|(i, note)| action_item_update::ActiveModel {
                            id: Set(demo_id(&format!("{}-action-{key}-update-{i}", m.key))),
                            action_item_id: Set(aid.clone()),
                            at: Set(Utc
                                .from_utc_datetime(&due.and_hms_opt(9, 0, 0).expect("valid time"))),
                            by_organization_id: Set(demo_id(owner)),
                            by_user_id: Set(None),
                            note: Set((*note).into()),
                            status: Set(Some(*status)),
                        })
                        .collect(),
                )
                .await?;
                n += put(
                    txn,
                    m.programs
                        .iter()
                        .take(1)
                        .map(|p| action_item_program::ActiveModel {
                            action_item_id: Set(aid.clone()),
                            program_id: Set(demo_id(p)),
                        })
                        .collect(),
                )
                .await?;
                n += put(
                    txn,
                    m.regions
                        .iter()
                        .take(1)
                        .map(|r| action_item_region::ActiveModel {
                            action_item_id: Set(aid.clone()),
                            region_code: Set((*r).into()),
                        })
                        .collect(),
                )
                .await?;
            }
        }
    }
    // Synergies: the provincial and regency programs agreed at the Lampung rakor, and the Pekalongan
    // laboratory's programs agreed in 2025; the CSR line is only proposed.
    let synergies = [
        (
            "syn-lampung",
            "bansos-lampung",
            "pemberdayaan-lamsel",
            SynergyRelation::Complements,
            Cluster::SocialAssistance,
            SynergyStatus::Agreed,
            Some("rakor-lampung-2016"),
        ),
        (
            "syn-rtlh",
            "rtlh-jateng",
            "rtlh",
            SynergyRelation::CoFinances,
            Cluster::SocialAssistance,
            SynergyStatus::Agreed,
            Some("rakor-pekalongan-2025"),
        ),
        (
            "syn-lab-umkm",
            "labkemis",
            "umkm-batik",
            SynergyRelation::Complements,
            Cluster::MicroSmallEnterprise,
            SynergyStatus::Proposed,
            None,
        ),
    ];
    n += put(
        txn,
        synergies
            .iter()
            .map(|(key, a, b, rel, cl, st, m)| program_synergy::ActiveModel {
                id: Set(demo_id(key)),
                program_a_id: Set(demo_id(a)),
                program_b_id: Set(demo_id(b)),
                relation: Set(*rel),
                cluster: Set(*cl),
                status: Set(*st),
                note: Set(None),
                meeting_id: Set(m.map(demo_id)),
                version: Set(1),
                created_at: Set(stamp()),
                updated_at: Set(stamp()),
            })
            .collect(),
    )
    .await?;
    Ok(n)
}
