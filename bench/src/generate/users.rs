//! Benchmark users, one per role, so that `run` can sign in through the real `login` mutation and
//! measure what a signed-in dashboard gets (reading contributions needs sign-in).

use super::catalog::{Catalog, FOCUS_REGENCY};
use super::organizations::Directory;
use super::time::{at_midnight, date};
use super::{Timings, bulk, new_id};
use anyhow::Context;
use entity::enums::Role;
use entity::user::ActiveModel;
use sea_orm::{ActiveValue::Set, DatabaseConnection, TransactionTrait};
use std::time::Instant;

/// Password of every benchmark user. Public on purpose: the benchmark database holds synthetic data
/// only, and the users exist so that anyone can reproduce a run.
pub const PASSWORD: &str = "sinergi-bench";

/// The user `run` signs in as unless told otherwise: a viewer, the plain "any signed-in user may read
/// every commitment" path.
pub const VIEWER_EMAIL: &str = "pemantau@bench.sinergi";

/// Creates an admin, a coordinator of the focus regency, a member acting for one of its SKPDs, and a
/// viewer.
pub async fn generate(
    db: &DatabaseConnection,
    catalog: &Catalog,
    dir: &Directory,
    timings: &mut Timings,
) -> anyhow::Result<()> {
    let started = Instant::now();
    // Hashed once with the hub's own argon2 settings (deliberately slow), shared by all four.
    let hash = sinergi::services::passwords::hash(PASSWORD.to_owned())
        .await
        .context("cannot hash the benchmark password")?;
    let focus = catalog.regency(FOCUS_REGENCY).unwrap_or(0);
    let focus_code = catalog.regencies[focus].code.clone();
    let bappeda = dir.orgs[dir.regency_bappeda[focus]].id.clone();
    let skpd = dir.regency_gov[focus]
        .last()
        .map(|&o| dir.orgs[o].id.clone())
        .unwrap_or_else(|| bappeda.clone());
    let at = at_midnight(date(2021, 6, 1));
    let users = [
        (
            "admin@bench.sinergi",
            "Admin Benchmark",
            Role::Admin,
            None,
            None,
        ),
        (
            "koordinator@bench.sinergi",
            "Koordinator Benchmark",
            Role::Coordinator,
            Some(bappeda),
            Some(focus_code),
        ),
        (
            "anggota@bench.sinergi",
            "Anggota Benchmark",
            Role::Member,
            Some(skpd),
            None,
        ),
        (VIEWER_EMAIL, "Pemantau Benchmark", Role::Viewer, None, None),
    ];
    let rows: Vec<ActiveModel> = users
        .into_iter()
        .map(|(email, name, role, org, scope)| ActiveModel {
            id: Set(new_id()),
            email: Set(email.to_owned()),
            name: Set(name.to_owned()),
            password_hash: Set(hash.clone()),
            role: Set(role),
            organization_id: Set(org),
            region_scope: Set(scope),
            active: Set(true),
            must_change_password: Set(false),
            session_epoch: Set(0),
            spared_session: Set(None),
            ended_sessions: Set(None),
            version: Set(1),
            created_at: Set(at),
            updated_at: Set(at),
        })
        .collect();
    let txn = db.begin().await?;
    let written = bulk::insert_all(&txn, rows).await?;
    txn.commit().await?;
    timings.record("users", written, started.elapsed());
    println!(
        "    admin@, koordinator@ (region {FOCUS_REGENCY}), anggota@, {VIEWER_EMAIL}; password `{PASSWORD}`"
    );
    Ok(())
}
