//! What the meeting forms share (the record, its decisions and action items): the meeting they
//! write to, who may write to it, and the organizations and programs they offer.

use super::Named;
use crate::console::documents::{self as doc, FormulirRapat, RapatUntukDiubah};
use crate::console::forms;
use crate::console::page::{Ctx, Failure};
use crate::labels::{self, Kind};
use axum::response::Response;

/// A meeting with the versions its forms need.
pub type Meeting = doc::rapat_untuk_diubah::RapatUntukDiubahMeeting;

super::named!(
    doc::rapat_untuk_diubah::RapatUntukDiubahMeetingHost,
    doc::rapat_untuk_diubah::RapatUntukDiubahMeetingParticipantsOrganization,
    doc::rapat_untuk_diubah::RapatUntukDiubahMeetingDecisionsActionItemsOwner,
);
super::placed!(doc::rapat_untuk_diubah::RapatUntukDiubahMeetingRegion);

/// Loads a meeting to write to; a 404 when there is none, a 403 for those who do not coordinate
/// its region.
pub async fn load(ctx: &mut Ctx, id: &str) -> Result<Meeting, Failure> {
    let vars = doc::rapat_untuk_diubah::Variables { id: id.to_string() };
    ctx.query::<RapatUntukDiubah>(vars)
        .await?
        .meeting
        .ok_or_else(|| Failure::not_found("Rapat ini tidak ada."))
}

/// The code of a meeting's region (`None` when the viewer may not see it).
pub fn region_code(m: &Meeting) -> Option<&str> {
    m.region.as_ref().map(|r| r.code.as_str())
}

/// The refusal of a meeting's form for those who do not coordinate its region.
pub fn not_coordinator(ctx: &Ctx, m: &Meeting) -> Option<Response> {
    (!forms::coordinates(ctx, region_code(m))).then(|| {
        let name = m.region.as_ref().map_or("–", |r| r.name.as_str());
        forms::refused(
            ctx,
            &format!(
                "Hanya koordinator wilayah {name} (atau admin) yang dapat mengubah rapat ini."
            ),
        )
    })
}

/// Organizations and programs a meeting's forms offer: those of the region.
pub struct Choices {
    /// (id, name) of organizations.
    pub organizations: Vec<(String, String)>,
    /// (id, label) of programs.
    pub programs: Vec<(String, String)>,
}

/// The organizations and programs of `region` (everything, up to a page, when none), plus those a
/// record already names.
pub async fn choices(
    ctx: &mut Ctx,
    region: Option<&str>,
    named: &[(String, String)],
) -> Result<Choices, Failure> {
    let vars = doc::formulir_rapat::Variables {
        region: region.map(String::from),
    };
    let data = ctx.query::<FormulirRapat>(vars).await?;
    let mut organizations: Vec<(String, String)> = data
        .organizations
        .edges
        .into_iter()
        .map(|e| (e.node.id, e.node.name))
        .collect();
    for (id, name) in named {
        if !id.is_empty() && !organizations.iter().any(|(i, _)| i == id) {
            organizations.push((id.clone(), name.clone()));
        }
    }
    let programs = data
        .programs
        .edges
        .into_iter()
        .map(|e| {
            let p = e.node;
            let label = format!("{} · {}", p.name, labels::of(Kind::Cluster, &p.cluster));
            (p.id, label)
        })
        .collect();
    Ok(Choices {
        organizations,
        programs,
    })
}

/// The organizations a meeting's record names (kept in its forms' choices).
pub fn named(m: &Meeting) -> Vec<(String, String)> {
    // `–` for an organization the viewer may not see, as the page shows it.
    fn pair(o: Option<&impl Named>) -> (String, String) {
        o.map_or(("–".into(), "–".into()), |o| {
            (o.id().into(), o.name().into())
        })
    }
    let mut out: Vec<(String, String)> = m
        .participants
        .iter()
        .map(|p| pair(p.organization.as_ref()))
        .collect();
    for d in &m.decisions {
        for a in &d.action_items {
            out.push(pair(a.owner.as_ref()));
        }
    }
    out
}
