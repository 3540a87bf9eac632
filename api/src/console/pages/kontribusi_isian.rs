//! Contribution form ⇄ API input: the form's values of a stored contribution, and a posted form
//! read into what `createContribution` and `updateContribution` take.

use crate::console::documents::{self as doc, ContributionStatus};
use crate::console::forms::{self, Form, region};
use crate::console::page::{Ctx, Failure};
use crate::labels::Kind;

/// A contribution as its page shows it (the `Kontribusi` document): the form shows what it shows.
pub type Contribution = doc::kontribusi::KontribusiContribution;

/// The form's values of a stored contribution (to edit it, or to show it after a stale version).
pub fn values_of(c: &Contribution) -> Vec<(&'static str, String)> {
    let money = |v: &str| {
        v.trim()
            .parse::<i64>()
            .map(forms::rupiah::show)
            .unwrap_or_default()
    };
    vec![
        ("judul", c.title.clone()),
        (
            "wilayah",
            c.region
                .as_ref()
                .map(|r| r.code.clone())
                .unwrap_or_default(),
        ),
        (
            "program",
            c.program.as_ref().map(|p| p.id.clone()).unwrap_or_default(),
        ),
        ("sumber", super::wire_name(&c.source)),
        ("jenis", super::wire_name(&c.kind)),
        (
            "kelompok_sasaran",
            c.target_group
                .as_ref()
                .map(super::wire_name)
                .unwrap_or_default(),
        ),
        (
            "penerima_manfaat",
            c.beneficiaries.map(forms::rupiah::show).unwrap_or_default(),
        ),
        ("tahun", c.fiscal_year.to_string()),
        ("rencana", money(&c.amount_planned)),
        ("komitmen", money(&c.amount_committed)),
        ("deskripsi", c.description.clone().unwrap_or_default()),
        (forms::VERSION, c.version.to_string()),
    ]
}

/// A posted contribution form, read: what both `createContribution` and `updateContribution`
/// take (the create also a status and the organization it records for).
pub(super) struct Input {
    title: String,
    region: String,
    program: Option<String>,
    source: doc::FundingSource,
    kind: doc::ContributionKind,
    target: Option<doc::TargetGroup>,
    beneficiaries: Option<i64>,
    year: i64,
    planned: String,
    committed: Option<String>,
    description: String,
    status: Option<ContributionStatus>,
    contributor: Option<String>,
}

impl Input {
    pub(super) fn create(self) -> doc::catat_kontribusi::ContributionInput {
        doc::catat_kontribusi::ContributionInput {
            contributor_id: self.contributor,
            source: self.source,
            kind: self.kind,
            region_code: self.region,
            program_id: self.program,
            fiscal_year: self.year,
            title: self.title,
            description: Some(self.description),
            target_group: self.target,
            beneficiaries: self.beneficiaries,
            amount_planned: self.planned,
            amount_committed: self.committed,
            status: self.status,
        }
    }

    pub(super) fn patch(self) -> doc::ubah_kontribusi::ContributionPatch {
        doc::ubah_kontribusi::ContributionPatch {
            region_code: Some(self.region),
            program_id: self.program,
            fiscal_year: Some(self.year),
            title: Some(self.title),
            description: Some(self.description),
            target_group: self.target,
            beneficiaries: self.beneficiaries,
            amount_planned: Some(self.planned),
            amount_committed: self.committed,
            source: Some(self.source),
            kind: Some(self.kind),
        }
    }
}

/// Reads the form into the API's input; `None` when a field is wrong (its reason is beside it).
pub(super) async fn read(
    ctx: &mut Ctx,
    f: &mut Form,
    editing: bool,
) -> Result<Option<Input>, Failure> {
    let title = f.required("judul");
    let region = region::resolve(ctx, f, "wilayah", true).await?;
    let source = f.choice("sumber", Kind::Source, true);
    let kind = f.choice("jenis", Kind::ContributionKind, true);
    let target = f.choice("kelompok_sasaran", Kind::TargetGroup, false);
    let beneficiaries = f.whole(
        "penerima_manfaat",
        0..=i64::from(crate::services::rules::BENEFICIARIES_MAX),
        false,
    );
    let year = f.whole("tahun", 2000..=2100, true);
    let planned = f.rupiah("rencana", true);
    let committed = f.rupiah("komitmen", false);
    let status = if editing {
        None
    } else {
        f.choice("status", Kind::ContributionStatus, true)
    };
    if f.has_errors() {
        return Ok(None);
    }
    let (Some(title), Some(region), Some(source), Some(kind), Some(year), Some(planned)) = (
        title,
        region,
        source.and_then(super::enum_of),
        kind.and_then(super::enum_of),
        year,
        planned,
    ) else {
        // Every required field has a reason when absent; nothing is sent without one.
        return Ok(None);
    };
    Ok(Some(Input {
        title,
        region,
        program: f.text("program"),
        source,
        kind,
        target: target.and_then(super::enum_of),
        beneficiaries,
        year,
        planned: planned.to_string(),
        // Emptied on an edit, the committed amount is zero; on a new record, left to the API.
        committed: committed.or(editing.then_some(0)).map(|n| n.to_string()),
        // An emptied description is removed (the API stores a blank one as none).
        description: f.text("deskripsi").unwrap_or_default(),
        status: status.and_then(super::enum_of),
        contributor: if editing { None } else { f.text("kontributor") },
    }))
}
