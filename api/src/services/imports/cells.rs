//! Reading one cell: the enum labels, amounts, dates and region codes or names a file may hold.

use super::*;

/// Parses an enum cell: the Indonesian label of `labels.rs` (what the exports write, so an exported
/// file imports back), the GraphQL name (`APBD_REGENCY`), or one of the friendly `aliases` (folded).
pub(super) fn parse_enum<T: serde::de::DeserializeOwned>(
    raw: &str,
    kind: crate::labels::Kind,
    aliases: &[(&str, &str)],
) -> Option<T> {
    let folded = fold(raw);
    let wire = crate::labels::wire(kind, raw)
        .or_else(|| aliases.iter().find(|(l, _)| *l == folded).map(|(_, w)| *w))
        .map(str::to_string)
        .unwrap_or_else(|| folded.replace([' ', '-'], "_").to_uppercase());
    serde_json::from_value(serde_json::Value::String(wire)).ok()
}

pub(super) const SOURCE_LABELS: &[(&str, &str)] = &[
    ("apbd provinsi", "APBD_PROVINCE"),
    ("apbd prov", "APBD_PROVINCE"),
    ("apbd kabupaten", "APBD_REGENCY"),
    ("apbd kota", "APBD_REGENCY"),
    ("apbd kabupaten/kota", "APBD_REGENCY"),
    ("apbd kab", "APBD_REGENCY"),
    ("apbdesa", "APBDES"),
    ("apb desa", "APBDES"),
    ("dana desa", "APBDES"),
    ("perguruan tinggi", "UNIVERSITY"),
    ("universitas", "UNIVERSITY"),
    ("swadaya", "COMMUNITY"),
    ("swadaya masyarakat", "COMMUNITY"),
    ("lainnya", "OTHER"),
];

pub(super) const KIND_LABELS: &[(&str, &str)] = &[
    ("tunai", "CASH"),
    ("uang", "CASH"),
    ("barang", "IN_KIND"),
    ("natura", "IN_KIND"),
    ("keahlian", "EXPERTISE"),
    ("tenaga ahli", "EXPERTISE"),
    ("tenaga sukarela", "VOLUNTEER_LABOUR"),
    ("relawan", "VOLUNTEER_LABOUR"),
];

pub(super) const STATUS_LABELS: &[(&str, &str)] = &[
    ("rencana", "PLANNED"),
    ("direncanakan", "PLANNED"),
    ("komitmen", "COMMITTED"),
    ("berkomitmen", "COMMITTED"),
];

pub(super) const TARGET_LABELS: &[(&str, &str)] = &[
    ("rumah tangga miskin", "POOR_HOUSEHOLDS"),
    ("rtm", "POOR_HOUSEHOLDS"),
    ("keluarga risiko stunting", "STUNTING_RISK_FAMILIES"),
    ("ibu dan bayi", "MOTHERS_AND_INFANTS"),
    ("balita", "TODDLERS"),
    ("petani dan nelayan", "FARMERS_AND_FISHERS"),
    ("perempuan", "WOMEN"),
    ("usaha mikro", "MICRO_ENTERPRISES"),
    ("umkm", "MICRO_ENTERPRISES"),
    ("pelajar", "STUDENTS"),
    ("lansia dan disabilitas", "ELDERLY_AND_DISABLED"),
    ("umum", "GENERAL"),
];

/// Parses whole Rupiah: `1500000`, `1.500.000`, `1,500,000`, `Rp 1.500.000`; a minus sign is kept
/// (the rule then refuses it, naming the reason).
pub(super) fn parse_amount(raw: &str) -> Result<i64, String> {
    let bad = || "not a whole number of Rupiah".to_string();
    let trimmed = raw.trim();
    let trimmed = trimmed
        .strip_prefix("Rp")
        .or_else(|| trimmed.strip_prefix("rp"))
        .or_else(|| trimmed.strip_prefix("RP"))
        .unwrap_or(trimmed);
    let s: String = trimmed.chars().filter(|c| !c.is_whitespace()).collect();
    let (negative, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.as_str()),
    };
    let plain = if digits.contains(['.', ',']) {
        let groups: Vec<&str> = digits.split(['.', ',']).collect();
        let ok = (1..=3).contains(&groups[0].len())
            && groups[1..].iter().all(|g| g.len() == 3)
            && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()));
        if !ok {
            return Err(bad());
        }
        groups.concat()
    } else {
        digits.to_string()
    };
    if plain.is_empty() || !plain.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let n: i64 = plain.parse().map_err(|_| bad())?;
    Ok(if negative { -n } else { n })
}

/// Regions the file names, by code and by (regency, folded name).
#[derive(Default)]
pub(super) struct Regions {
    pub(super) by_code: HashMap<String, entity::region::Model>,
    pub(super) below: HashMap<String, HashMap<String, Vec<entity::region::Model>>>,
}

/// What a region cell asks for.
pub(super) enum RegionCell {
    Code(RegionCode),
    Name(String),
    Bad(String),
}

pub(super) fn region_cell(raw: &str) -> RegionCell {
    match RegionCode::parse(raw) {
        Ok(c) => RegionCell::Code(c),
        Err(_) if raw.chars().any(char::is_alphabetic) => RegionCell::Name(fold(raw)),
        Err(why) => RegionCell::Bad(why),
    }
}

/// Parses a date cell: `2026-01-31` or `31/01/2026` (or `31-01-2026`).
pub(super) fn parse_date(raw: &str) -> Option<chrono::NaiveDate> {
    use chrono::NaiveDate;
    let s = raw.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%d/%m/%Y"))
        .or_else(|_| NaiveDate::parse_from_str(s, "%d-%m-%Y"))
        .ok()
}
