//! The write step of a contributions import: the plan in the import's one transaction.

use super::*;
use crate::services::audit::AuditEntity;
use sea_orm::DatabaseTransaction;
use sea_orm::sea_query::InsertStatement;

/// Writes a checked plan: new rows in chunks, changed rows one by one (each at the version the
/// import read), audit rows in chunks. `false` when a record changed meanwhile: the problem is in
/// `report` and the caller drops the transaction.
pub(super) async fn write(
    txn: &DatabaseTransaction,
    importer: Importer<'_>,
    plan: Vec<Planned>,
    key_column: &str,
    report: &mut Report,
    progress: &mut (dyn FnMut(&str, usize, usize) + Send),
) -> AppResult<bool> {
    let total = plan.len();
    let mut audit_rows: Vec<entity::audit_log::ActiveModel> = Vec::with_capacity(total);
    let mut done = 0usize;
    let (updates, inserts): (Vec<Planned>, Vec<Planned>) =
        plan.into_iter().partition(|p| p.before.is_some());
    for chunk in inserts.chunks(CHUNK) {
        txn.execute(&insert_statement(chunk)).await?;
        audit_rows.extend(chunk.iter().map(|p| {
            let m = &p.model;
            audit::row(
                &importer,
                AuditEntity::Contribution,
                &m.id,
                "create",
                None::<&()>,
                Some(m),
            )
        }));
        let before_done = done;
        done += chunk.len();
        if done / PROGRESS_EVERY > before_done / PROGRESS_EVERY {
            progress("written", done, total);
        }
    }
    for p in &updates {
        let Some(b) = &p.before else { continue };
        let at = (p.row, key_column, p.key.as_str());
        if update_as_read(txn, &importer, report, (b, changes(b, &p.model)), at)
            .await?
            .is_none()
        {
            return Ok(false);
        }
        done += 1;
        if done.is_multiple_of(PROGRESS_EVERY) {
            progress("written", done, total);
        }
    }
    audit::record_many(txn, audit_rows).await?;
    Ok(true)
}

/// One multi-row INSERT of new contributions: a plain statement rather than the entity's
/// `insert_many`, which costs too much per row for files of 100,000 rows (BENCHMARKS.md).
fn insert_statement(chunk: &[Planned]) -> InsertStatement {
    let mut stmt = Query::insert();
    stmt.into_table(Alias::new("contributions")).columns(
        [
            "id",
            "contributor_id",
            "source",
            "kind",
            "region_code",
            "program_id",
            "fiscal_year",
            "title",
            "description",
            "target_group",
            "beneficiaries",
            "amount_planned",
            "amount_committed",
            "amount_disbursed",
            "amount_realised",
            "status",
            "version",
            "created_by",
            "created_at",
            "updated_at",
            "external_key",
            "verification",
        ]
        .map(Alias::new),
    );
    for p in chunk {
        let m = &p.model;
        stmt.values_panic([
            Expr::val(m.id.clone()),
            Expr::val(m.contributor_id.clone()),
            Expr::val(m.source.to_value()),
            Expr::val(m.kind.to_value()),
            Expr::val(m.region_code.clone()),
            Expr::val(m.program_id.clone()),
            Expr::val(m.fiscal_year),
            Expr::val(m.title.clone()),
            Expr::val(m.description.clone()),
            Expr::val(m.target_group.map(|g| g.to_value())),
            Expr::val(m.beneficiaries),
            Expr::val(m.amount_planned),
            Expr::val(m.amount_committed),
            Expr::val(m.amount_disbursed),
            Expr::val(m.amount_realised),
            Expr::val(m.status.to_value()),
            Expr::val(m.version),
            Expr::val(m.created_by.clone()),
            Expr::val(m.created_at),
            Expr::val(m.updated_at),
            Expr::val(p.key.clone()),
            Expr::val(m.verification.to_value()),
        ]);
    }
    stmt
}

/// The stored row with the values a file may change set to the file's.
fn changes(
    b: &entity::contribution::Model,
    m: &entity::contribution::Model,
) -> entity::contribution::ActiveModel {
    let mut am = crate::services::contributions::write::with_values(b, m);
    am.status = Set(m.status);
    am.verification = Set(m.verification);
    am.verification_note = Set(None);
    am
}
