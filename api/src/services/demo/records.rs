//! Rows of the demo's organizations, users, programs, contributions, indicators and synergies, and the
//! rules that spread a contribution line and a village's indicators over the demo years.

use super::data::{self, Demo};
use super::{demo_id, put, stamp};
use chrono::NaiveDate;
use entity::enums::*;
use entity::*;
use sea_orm::ActiveValue::Set;
use sea_orm::{DatabaseTransaction, DbErr};
use std::ops::RangeInclusive;

/// The fiscal years with contributions and indicators.
const YEARS: RangeInclusive<i32> = 2024..=2026;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid demo date")
}

pub(super) fn organization(o: &data::Organization) -> organization::ActiveModel {
    organization::ActiveModel {
        id: Set(demo_id(&o.key)),
        name: Set(o.name.clone()),
        search_name: Set(crate::text::fold(&o.name)),
        helix: Set(o.helix),
        kind: Set(o.kind),
        region_code: Set(o.region.clone()),
        parent_id: Set(o.parent.as_deref().map(demo_id)),
        version: Set(1),
        created_at: Set(stamp()),
        updated_at: Set(stamp()),
    }
}

/// The users, with their password hashes in the same order.
pub(super) fn users(users: &[data::User], hashes: Vec<String>) -> Vec<user::ActiveModel> {
    users
        .iter()
        .zip(hashes)
        .map(|(u, hash)| user::ActiveModel {
            id: Set(demo_id(&u.email)),
            email: Set(u.email.clone()),
            name: Set(u.name.clone()),
            password_hash: Set(hash),
            role: Set(u.role),
            organization_id: Set(u.organization.as_deref().map(demo_id)),
            region_scope: Set(u.region_scope.clone()),
            active: Set(true),
            must_change_password: Set(false),
            session_epoch: Set(0),
            spared_session: Set(None),
            ended_sessions: Set(None),
            version: Set(1),
            created_at: Set(stamp()),
            updated_at: Set(stamp()),
        })
        .collect()
}

/// Programs with their strategies, target groups, villages, phases and targets.
pub(super) async fn load_programs(txn: &DatabaseTransaction, demo: &Demo) -> Result<u64, DbErr> {
    let mut programs = Vec::new();
    let mut strategies = Vec::new();
    let mut groups = Vec::new();
    let mut villages = Vec::new();
    for p in &demo.programs {
        let id = demo_id(&p.key);
        programs.push(program::ActiveModel {
            id: Set(id.clone()),
            code: Set(Some(p.key.to_uppercase())),
            name: Set(p.name.clone()),
            search_name: Set(crate::text::fold(&p.name)),
            description: Set(None),
            owner_id: Set(demo_id(&p.owner)),
            cluster: Set(p.cluster),
            start_year: Set(p.start_year),
            end_year: Set(p.end_year),
            version: Set(1),
            created_at: Set(stamp()),
            updated_at: Set(stamp()),
        });
        strategies.extend(p.strategies.iter().map(|s| program_strategy::ActiveModel {
            program_id: Set(id.clone()),
            strategy: Set(*s),
        }));
        groups.extend(
            p.target_groups
                .iter()
                .map(|g| program_target_group::ActiveModel {
                    program_id: Set(id.clone()),
                    target_group: Set(*g),
                }),
        );
        villages.extend(p.villages.iter().map(|v| program_village::ActiveModel {
            program_id: Set(id.clone()),
            village_code: Set(v.clone()),
        }));
    }
    let phases = demo.phases.iter().map(|p| program_phase::ActiveModel {
        id: Set(demo_id(&format!("{}-phase-{}", p.program, p.fiscal_year))),
        program_id: Set(demo_id(&p.program)),
        name: Set(p.name.clone()),
        fiscal_year: Set(p.fiscal_year),
        description: Set(None),
    });
    let targets = demo.targets.iter().map(|t| program_target::ActiveModel {
        id: Set(demo_id(&format!("{}-target-{}", t.program, t.fiscal_year))),
        program_id: Set(demo_id(&t.program)),
        fiscal_year: Set(t.fiscal_year),
        unit: Set(t.unit.clone()),
        target: Set(t.target),
        realised: Set(t.realised),
    });
    Ok(put(txn, programs).await?
        + put(txn, strategies).await?
        + put(txn, groups).await?
        + put(txn, villages).await?
        + put(txn, phases.collect()).await?
        + put(txn, targets.collect()).await?)
}

/// Each contribution line once a year, with its transactions.
pub(super) async fn load_contributions(
    txn: &DatabaseTransaction,
    lines: &[data::Contribution],
) -> Result<u64, DbErr> {
    let mut rows = Vec::new();
    let mut txs = Vec::new();
    for c in lines {
        for year in YEARS {
            let amounts = Amounts::of(c, year);
            let id = demo_id(&format!("{}-{year}", c.key));
            txs.extend(transactions(c, year, &id, &amounts));
            rows.push(contribution(c, year, id, &amounts));
        }
    }
    Ok(put(txn, rows).await? + put(txn, txs).await?)
}

/// A contribution line's figures in one year.
struct Amounts {
    planned: i64,
    committed: i64,
    disbursed: i64,
    realised: i64,
    status: ContributionStatus,
}

impl Amounts {
    /// Amounts grow a tenth a year; 2024 is spent, 2025 under way, 2026 committed, and a CSR line's
    /// 2026 is still a draft (PLANNED).
    fn of(c: &data::Contribution, year: i32) -> Self {
        let base = c.base_amount;
        let planned = base + (year as i64 - 2024) * base / 10;
        let is_draft = year == 2026 && c.source == FundingSource::Csr;
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
        Self {
            planned,
            committed,
            disbursed,
            realised,
            status,
        }
    }
}

fn contribution(
    c: &data::Contribution,
    year: i32,
    id: String,
    a: &Amounts,
) -> contribution::ActiveModel {
    contribution::ActiveModel {
        id: Set(id),
        contributor_id: Set(demo_id(&c.contributor)),
        source: Set(c.source),
        kind: Set(c.kind),
        region_code: Set(c.village.clone()),
        program_id: Set(c.program.as_deref().map(demo_id)),
        fiscal_year: Set(year),
        title: Set(format!("{} {year}", c.title)),
        description: Set(None),
        target_group: Set(Some(c.target_group)),
        beneficiaries: Set(Some((a.planned / 5_000_000) as i32)),
        amount_planned: Set(a.planned),
        amount_committed: Set(a.committed),
        amount_disbursed: Set(a.disbursed),
        amount_realised: Set(a.realised),
        status: Set(a.status),
        version: Set(1),
        created_by: Set(None),
        created_at: Set(stamp()),
        updated_at: Set(stamp()),
        external_key: Set(None),
        verification: Set(Verification::Verified),
        verification_note: Set(None),
    }
}

/// The commitment, disbursement and expenditure behind the amounts (those above zero) of the
/// contribution `id`.
fn transactions(
    c: &data::Contribution,
    year: i32,
    id: &str,
    a: &Amounts,
) -> Vec<contribution_transaction::ActiveModel> {
    [
        (TransactionType::Commitment, a.committed, date(year, 2, 15)),
        (
            TransactionType::Disbursement,
            a.disbursed,
            date(year, 5, 20),
        ),
        (TransactionType::Expenditure, a.realised, date(year, 9, 30)),
    ]
    .into_iter()
    .filter(|(_, amount, _)| *amount > 0)
    .map(|(ty, amount, when)| contribution_transaction::ActiveModel {
        id: Set(demo_id(&format!("{}-{year}-{ty:?}", c.key))),
        contribution_id: Set(id.to_string()),
        r#type: Set(ty),
        amount: Set(amount),
        occurred_on: Set(when),
        note: Set(None),
        created_by: Set(None),
        created_at: Set(stamp()),
        verification: Set(Verification::Verified),
    })
    .collect()
}

/// Each village's indicators in every demo year: poor households and families at risk of stunting
/// shrink by an eighth a year.
pub(super) fn indicators(villages: &[data::Indicators]) -> Vec<village_indicator::ActiveModel> {
    let mut rows = Vec::new();
    for v in villages {
        for (i, year) in YEARS.enumerate() {
            let shrink = |n: i32| n - n * i as i32 / 8;
            let poor = shrink(v.poor_households);
            let risk = shrink(v.stunting_risk_families);
            let priority = v.priority_in.contains(&year);
            rows.push(village_indicator::ActiveModel {
                id: Set(demo_id(&format!("ind-{}-{year}", v.village))),
                village_code: Set(v.village.clone()),
                fiscal_year: Set(year),
                source: Set("DTKS/P3KE".into()),
                as_of: Set(date(year, 1, 31)),
                households: Set(Some(v.households)),
                population: Set(Some(v.households * 7 / 2)),
                poor_households: Set(Some(poor)),
                households_decile1: Set(Some(poor * 4 / 10)),
                households_decile2: Set(Some(poor * 3 / 10)),
                households_decile3: Set(Some(poor * 2 / 10)),
                households_decile4: Set(Some(poor / 10)),
                stunting_risk_families: Set(Some(risk)),
                stunting_cases: Set(Some(risk / 3)),
                stunting_prevalence: Set(Some(
                    f64::from(risk / 3) * 100.0 / f64::from(v.households / 4),
                )),
                idm_status: Set(Some(if priority {
                    IdmStatus::Underdeveloped
                } else {
                    IdmStatus::Developing
                })),
                priority: Set(priority),
                version: Set(1),
                created_at: Set(stamp()),
                updated_at: Set(stamp()),
                verification: Set(Verification::Verified),
                verification_note: Set(None),
            });
        }
    }
    rows
}

pub(super) fn synergies(synergies: &[data::Synergy]) -> Vec<program_synergy::ActiveModel> {
    synergies
        .iter()
        .map(|s| program_synergy::ActiveModel {
            id: Set(demo_id(&s.key)),
            program_a_id: Set(demo_id(&s.program_a)),
            program_b_id: Set(demo_id(&s.program_b)),
            relation: Set(s.relation),
            cluster: Set(s.cluster),
            status: Set(s.status),
            note: Set(None),
            meeting_id: Set(s.meeting.as_deref().map(demo_id)),
            version: Set(1),
            created_at: Set(stamp()),
            updated_at: Set(stamp()),
        })
        .collect()
}
