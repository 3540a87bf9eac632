//! Synthetic data for tests that need more rows than the demo has, inserted directly (fast, bulk).

use chrono::Utc;
use entity::enums::*;
use sea_orm::ActiveValue::Set;
use sea_orm::{DatabaseConnection, EntityTrait};
use sinergi::services::{new_id, regions};

/// Creates province `98` ("Provinsi Uji"), regency `98.NN`, `districts` districts and `per_district`
/// desa in each; returns the village codes in code order.
pub async fn regency(
    db: &DatabaseConnection,
    regency: &str,
    districts: usize,
    per_district: usize,
) -> Vec<String> {
    let mut csv = String::from("code,name\n98,Provinsi Uji\n");
    csv.push_str(&format!("{regency},Kabupaten Uji {regency}\n"));
    let mut villages = Vec::new();
    for d in 1..=districts {
        let district = format!("{regency}.{d:02}");
        csv.push_str(&format!("{district},Kecamatan {d}\n"));
        for v in 1..=per_district {
            let code = format!("{district}.{:04}", 2000 + v);
            csv.push_str(&format!("{code},Desa Uji {d}-{v}\n"));
            villages.push(code);
        }
    }
    regions::import(db, csv.as_bytes())
        .await
        .expect("test regions import");
    villages
}

/// Creates an organization and returns its id.
pub async fn organization(
    db: &DatabaseConnection,
    name: &str,
    helix: Helix,
    kind: OrganizationKind,
    region: &str,
) -> String {
    let id = new_id();
    entity::organization::Entity::insert(entity::organization::ActiveModel {
        id: Set(id.clone()),
        name: Set(name.into()),
        search_name: Set(sinergi::text::fold(name)),
        helix: Set(helix),
        kind: Set(kind),
        region_code: Set(region.into()),
        parent_id: Set(None),
        version: Set(1),
        created_at: Set(Utc::now()),
        updated_at: Set(Utc::now()),
    })
    .exec_without_returning(db)
    .await
    .expect("test organization");
    id
}

/// Creates a program and returns its id.
pub async fn program(db: &DatabaseConnection, name: &str, owner: &str, cluster: Cluster) -> String {
    let id = new_id();
    entity::program::Entity::insert(entity::program::ActiveModel {
        id: Set(id.clone()),
        code: Set(None),
        name: Set(name.into()),
        search_name: Set(sinergi::text::fold(name)),
        description: Set(None),
        owner_id: Set(owner.into()),
        cluster: Set(cluster),
        start_year: Set(2024),
        end_year: Set(2026),
        version: Set(1),
        created_at: Set(Utc::now()),
        updated_at: Set(Utc::now()),
    })
    .exec_without_returning(db)
    .await
    .expect("test program");
    id
}

/// A contribution row with sensible defaults.
pub fn contribution(
    contributor: &str,
    region: &str,
    program: Option<&str>,
    year: i32,
    amount: i64,
) -> entity::contribution::ActiveModel {
    entity::contribution::ActiveModel {
        id: Set(new_id()),
        contributor_id: Set(contributor.into()),
        source: Set(FundingSource::ApbdRegency),
        kind: Set(ContributionKind::Cash),
        region_code: Set(region.into()),
        program_id: Set(program.map(Into::into)),
        fiscal_year: Set(year),
        title: Set(format!("Kontribusi {amount}")),
        description: Set(None),
        target_group: Set(Some(TargetGroup::PoorHouseholds)),
        beneficiaries: Set(Some(10)),
        amount_planned: Set(amount),
        amount_committed: Set(amount),
        amount_disbursed: Set(0),
        amount_realised: Set(0),
        status: Set(ContributionStatus::Committed),
        version: Set(1),
        created_by: Set(None),
        created_at: Set(Utc::now()),
        updated_at: Set(Utc::now()),
        external_key: Set(None),
        verification: Set(entity::enums::Verification::Verified),
        verification_note: Set(None),
    }
}

/// Inserts contribution rows in batches.
pub async fn insert_contributions(
    db: &DatabaseConnection,
    rows: Vec<entity::contribution::ActiveModel>,
) {
    for chunk in rows.chunks(500) {
        entity::contribution::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await
            .expect("test contributions");
    }
}

/// Imports a `code,name` list as `sinergi import regions` does (its audit row drops the hub's
/// region cache).
pub async fn import_regions(db: &DatabaseConnection, csv: &str) {
    regions::import(db, csv.as_bytes())
        .await
        .expect("test regions import");
}

/// Renames a region behind the hub's back, announcing it the way an import does (an audit row with
/// entity `region`, in the same transaction), so every hub's region cache drops it once the change
/// feed delivers the row; a test waits for that before expecting the new name.
pub async fn rename_region(db: &DatabaseConnection, code: &str, name: &str) {
    use sea_orm::sea_query::Expr;
    use sea_orm::{ColumnTrait, QueryFilter, TransactionTrait};
    use sinergi::services::{audit, authz::Actor};
    let txn = db.begin().await.unwrap();
    entity::region::Entity::update_many()
        .col_expr(entity::region::Column::Name, Expr::value(name))
        .col_expr(
            entity::region::Column::SearchName,
            Expr::value(sinergi::text::fold(name)),
        )
        .filter(entity::region::Column::Code.eq(code))
        .exec(&txn)
        .await
        .expect("test region renamed");
    audit::record(
        &txn,
        &Actor::System,
        regions::IMPORT_ENTITY,
        code,
        "update",
        None::<&()>,
        Some(&name),
    )
    .await
    .expect("its audit row");
    txn.commit().await.unwrap();
}
