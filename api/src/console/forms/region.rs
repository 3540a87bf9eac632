//! Picking a region in a form: one text field that takes a Kemendagri code (dotted or not) or a
//! name. A name that fits one region is that region; one that fits several shows them as choices
//! beside the field (radio buttons, so it works without JavaScript). With htmx, typing fills a
//! `<datalist>` from the same region search (`/formulir/wilayah`).

use super::Form;
use crate::console::documents::{CariWilayah, cari_wilayah};
use crate::console::page::{Ctx, Failure};
use crate::region_code::RegionCode;
use axum::extract::Query;
use axum::response::{Html, IntoResponse, Response};
use maud::html;
use std::collections::HashMap;

type Found = cari_wilayah::CariWilayahRegionsEdgesNode;

/// The field holding the choice among several regions a name fits.
pub fn pick_field(name: &str) -> String {
    format!("{name}_pilih")
}

/// "Botosari · Paninggaran · Kabupaten Pekalongan · Jawa Tengah".
fn describe(r: &Found) -> String {
    let mut parts = vec![r.name.clone()];
    parts.extend(r.ancestors.iter().rev().map(|a| a.name.clone()));
    parts.join(" · ")
}

async fn search(ctx: &mut Ctx, text: &str) -> Result<Vec<(String, String, String)>, Failure> {
    let vars = cari_wilayah::Variables {
        text: text.to_string(),
    };
    let data = ctx.query::<CariWilayah>(vars).await?;
    // The lookup is a step of the form, not what the page is about.
    ctx.ran.pop();
    Ok(data
        .regions
        .edges
        .iter()
        .map(|e| &e.node)
        .map(|r| (r.code.clone(), r.name.clone(), describe(r)))
        .collect())
}

/// The region code a field names, or `None` with a reason (or choices) beside the field. A code
/// is passed on as it is: the API says whether the hub has that region.
pub async fn resolve(
    ctx: &mut Ctx,
    form: &mut Form,
    name: &str,
    required: bool,
) -> Result<Option<String>, Failure> {
    let picked = form.text(&pick_field(name));
    if let Some(code) = &picked {
        // Shown again (another field may still be wrong), the field holds the choice.
        form.set(name, code.clone());
    }
    let raw = picked.or_else(|| form.text(name)).unwrap_or_default();
    let code = resolve_text(ctx, form, name, &raw, required).await?;
    if let Some(c) = &code {
        form.resolved(name, c.clone());
    }
    Ok(code)
}

/// Like [`resolve`], for a list of regions in one field (codes or names separated by commas or
/// semicolons).
pub async fn resolve_list(
    ctx: &mut Ctx,
    form: &mut Form,
    name: &str,
) -> Result<Vec<String>, Failure> {
    let raw = form.value(name).to_string();
    let mut codes = Vec::new();
    for item in raw
        .split([',', ';', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        if let Some(code) = resolve_text(ctx, form, name, item, false).await? {
            codes.push(code);
        }
    }
    Ok(codes)
}

async fn resolve_text(
    ctx: &mut Ctx,
    form: &mut Form,
    name: &str,
    raw: &str,
    required: bool,
) -> Result<Option<String>, Failure> {
    let raw = raw.trim();
    if raw.is_empty() {
        if required {
            form.reject(name, "wajib diisi: kode Kemendagri atau nama wilayah");
        }
        return Ok(None);
    }
    // A suggestion may come back as "33.26.02.2008 Botosari": the code leads.
    let head = raw.split_whitespace().next().unwrap_or(raw);
    if let Ok(code) = RegionCode::parse(head) {
        return Ok(Some(code.to_string()));
    }
    if raw.chars().filter(|c| c.is_alphabetic()).count() < 2 {
        form.reject(
            name,
            format!("‘{raw}’ bukan kode Kemendagri (mis. 33.26.02.2008) atau nama wilayah"),
        );
        return Ok(None);
    }
    let found = search(ctx, raw).await?;
    let folded = crate::text::fold(raw);
    let exact: Vec<_> = found
        .iter()
        .filter(|(_, n, _)| crate::text::fold(n) == folded)
        .collect();
    match (exact.as_slice(), found.as_slice()) {
        ([one], _) => Ok(Some(one.0.clone())),
        ([], [one]) => Ok(Some(one.0.clone())),
        (_, []) => {
            form.reject(name, format!("tidak ada wilayah bernama ‘{raw}’"));
            Ok(None)
        }
        _ => {
            form.reject(
                name,
                format!("‘{raw}’ cocok dengan beberapa wilayah: pilih salah satu"),
            );
            let list = if exact.is_empty() {
                found.iter().collect::<Vec<_>>()
            } else {
                exact
            };
            form.offer(
                name,
                list.into_iter()
                    .map(|(c, _, d)| (c.clone(), format!("{d} ({c})")))
                    .collect(),
            );
            Ok(None)
        }
    }
}

/// `GET /formulir/wilayah?q=bot`: `<option>`s for a region field's `<datalist>` (htmx fills it as
/// the user types). Any single parameter is read as the text, so a field of any name can ask.
pub async fn suggestions(mut ctx: Ctx, Query(q): Query<HashMap<String, String>>) -> Response {
    let text = q
        .get("q")
        .or_else(|| q.values().next())
        .map(|t| t.trim().to_string())
        .unwrap_or_default();
    let found = if text.chars().count() >= 2 && RegionCode::parse(&text).is_err() {
        search(&mut ctx, &text).await.unwrap_or_default()
    } else {
        Vec::new()
    };
    let body = html! {
        @for (code, _, description) in &found { option value=(code) { (description) } }
    };
    ctx.finish(Html(body.into_string()).into_response())
}
