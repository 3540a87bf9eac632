//! The Indonesian words for every enum value, in the words planners use. One table, read by the
//! console, written by the CSV and workbook exports, and accepted by the spreadsheet imports, so an
//! exported file imports back unchanged and a second language is one more table, not a rewrite.
//!
//! Keys are the GraphQL (and serde) wire names, e.g. `APBD_REGENCY`.

/// Which enum a wire name belongs to (some names, e.g. `COMMUNITY`, exist in several).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `FundingSource`.
    Source,
    /// `Helix`.
    Helix,
    /// `Cluster`.
    Cluster,
    /// `ContributionKind`.
    ContributionKind,
    /// `ContributionStatus`.
    ContributionStatus,
    /// `TargetGroup`.
    TargetGroup,
    /// `OrganizationKind`.
    OrganizationKind,
    /// `RegionLevel`.
    RegionLevel,
    /// `IdmStatus`.
    IdmStatus,
    /// `MeetingLevel`.
    MeetingLevel,
    /// `ActionItemStatus`.
    ActionItemStatus,
    /// `SynergyRelation`.
    SynergyRelation,
    /// `SynergyStatus`.
    SynergyStatus,
    /// `Strategy`.
    Strategy,
    /// `TransactionType`.
    TransactionType,
    /// `Role`.
    Role,
    /// `Verification`.
    Verification,
    /// `ComplaintStatus`.
    ComplaintStatus,
}

/// Every (wire name, label) pair of one enum, in the enum's order.
pub fn table(kind: Kind) -> &'static [(&'static str, &'static str)] {
    match kind {
        Kind::Source => SOURCE,
        Kind::Helix => HELIX,
        Kind::Cluster => CLUSTER,
        Kind::ContributionKind => CONTRIBUTION_KIND,
        Kind::ContributionStatus => CONTRIBUTION_STATUS,
        Kind::TargetGroup => TARGET_GROUP,
        Kind::OrganizationKind => ORGANIZATION_KIND,
        Kind::RegionLevel => REGION_LEVEL,
        Kind::IdmStatus => IDM_STATUS,
        Kind::MeetingLevel => MEETING_LEVEL,
        Kind::ActionItemStatus => ACTION_ITEM_STATUS,
        Kind::SynergyRelation => SYNERGY_RELATION,
        Kind::SynergyStatus => SYNERGY_STATUS,
        Kind::Strategy => STRATEGY,
        Kind::TransactionType => TRANSACTION_TYPE,
        Kind::Role => ROLE,
        Kind::Verification => VERIFICATION,
        Kind::ComplaintStatus => COMPLAINT_STATUS,
    }
}

const SOURCE: &[(&str, &str)] = &[
    ("APBN", "APBN"),
    ("APBD_PROVINCE", "APBD Provinsi"),
    ("APBD_REGENCY", "APBD Kabupaten/Kota"),
    ("APBDES", "APBDes"),
    ("CSR", "CSR"),
    ("UNIVERSITY", "Perguruan Tinggi"),
    ("COMMUNITY", "Swadaya Masyarakat"),
    ("OTHER", "Lainnya"),
];

const HELIX: &[(&str, &str)] = &[
    ("GOVERNMENT", "Pemerintah"),
    ("VILLAGE", "Desa"),
    ("BUSINESS", "Dunia Usaha"),
    ("ACADEMIA", "Akademisi"),
    ("COMMUNITY", "Masyarakat"),
    ("MEDIA", "Media"),
];

const CLUSTER: &[(&str, &str)] = &[
    ("SOCIAL_ASSISTANCE", "Klaster I: Bantuan Sosial"),
    (
        "COMMUNITY_EMPOWERMENT",
        "Klaster II: Pemberdayaan Masyarakat",
    ),
    (
        "MICRO_SMALL_ENTERPRISE",
        "Klaster III: Usaha Mikro dan Kecil",
    ),
    ("PRO_PEOPLE", "Klaster IV: Program Pro-Rakyat"),
];

const CONTRIBUTION_KIND: &[(&str, &str)] = &[
    ("CASH", "Tunai"),
    ("IN_KIND", "Barang"),
    ("EXPERTISE", "Keahlian"),
    ("VOLUNTEER_LABOUR", "Tenaga Sukarela"),
];

const CONTRIBUTION_STATUS: &[(&str, &str)] = &[
    ("PLANNED", "Rencana"),
    ("COMMITTED", "Komitmen"),
    ("IN_PROGRESS", "Berjalan"),
    ("COMPLETED", "Selesai"),
    ("CANCELLED", "Dibatalkan"),
];

const TARGET_GROUP: &[(&str, &str)] = &[
    ("POOR_HOUSEHOLDS", "Rumah Tangga Miskin"),
    ("STUNTING_RISK_FAMILIES", "Keluarga Risiko Stunting"),
    ("MOTHERS_AND_INFANTS", "Ibu dan Bayi"),
    ("TODDLERS", "Balita"),
    ("FARMERS_AND_FISHERS", "Petani dan Nelayan"),
    ("WOMEN", "Perempuan"),
    ("MICRO_ENTERPRISES", "Usaha Mikro"),
    ("STUDENTS", "Pelajar"),
    ("ELDERLY_AND_DISABLED", "Lansia dan Disabilitas"),
    ("GENERAL", "Umum"),
];

const ORGANIZATION_KIND: &[(&str, &str)] = &[
    ("PROVINCIAL_GOVERNMENT", "Pemerintah Provinsi"),
    ("REGENCY_GOVERNMENT", "Pemerintah Kabupaten/Kota"),
    ("BAPPEDA", "Bappeda"),
    ("SKPD", "SKPD/OPD"),
    ("VILLAGE_GOVERNMENT", "Pemerintah Desa"),
    ("COMPANY", "Perusahaan"),
    ("STATE_OWNED_ENTERPRISE", "BUMN/BUMD"),
    ("UNIVERSITY", "Perguruan Tinggi"),
    ("COMMUNITY_GROUP", "Kelompok Masyarakat"),
    ("NGO", "LSM"),
    ("MEDIA", "Media"),
    ("OTHER", "Lainnya"),
];

const REGION_LEVEL: &[(&str, &str)] = &[
    ("PROVINCE", "Provinsi"),
    ("REGENCY", "Kabupaten/Kota"),
    ("DISTRICT", "Kecamatan"),
    ("VILLAGE", "Desa/Kelurahan"),
];

const IDM_STATUS: &[(&str, &str)] = &[
    ("VERY_UNDERDEVELOPED", "Sangat Tertinggal"),
    ("UNDERDEVELOPED", "Tertinggal"),
    ("DEVELOPING", "Berkembang"),
    ("ADVANCED", "Maju"),
    ("INDEPENDENT", "Mandiri"),
];

const MEETING_LEVEL: &[(&str, &str)] = &[
    ("NATIONAL", "Nasional"),
    ("PROVINCE", "Provinsi"),
    ("REGENCY", "Kabupaten/Kota"),
    ("DISTRICT", "Kecamatan"),
    ("VILLAGE", "Desa"),
];

const ACTION_ITEM_STATUS: &[(&str, &str)] = &[
    ("OPEN", "Belum Dimulai"),
    ("IN_PROGRESS", "Berjalan"),
    ("DONE", "Selesai"),
    ("DROPPED", "Dibatalkan"),
];

const SYNERGY_RELATION: &[(&str, &str)] = &[
    ("COMPLEMENTS", "Saling Melengkapi"),
    ("CO_FINANCES", "Pembiayaan Bersama"),
    ("CONTINUES", "Melanjutkan"),
    ("OVERLAPS", "Tumpang Tindih"),
];

const SYNERGY_STATUS: &[(&str, &str)] = &[
    ("PROPOSED", "Diusulkan"),
    ("AGREED", "Disepakati"),
    ("DROPPED", "Dibatalkan"),
];

const STRATEGY: &[(&str, &str)] = &[
    ("REDUCE_SPENDING_BURDEN", "Mengurangi beban pengeluaran"),
    (
        "RAISE_CAPABILITY_AND_INCOME",
        "Meningkatkan kemampuan dan pendapatan",
    ),
    (
        "DEVELOP_MSME",
        "Mengembangkan dan menjamin keberlanjutan UMKM",
    ),
    ("SYNERGISE_PROGRAMS", "Menyinergikan kebijakan dan program"),
];

const TRANSACTION_TYPE: &[(&str, &str)] = &[
    ("COMMITMENT", "Komitmen"),
    ("DISBURSEMENT", "Pencairan"),
    ("EXPENDITURE", "Belanja"),
];

const ROLE: &[(&str, &str)] = &[
    ("ADMIN", "Admin"),
    ("COORDINATOR", "Koordinator"),
    ("MEMBER", "Anggota"),
    ("VIEWER", "Pemantau"),
];

const VERIFICATION: &[(&str, &str)] = &[
    ("SUBMITTED", "Menunggu verifikasi"),
    ("VERIFIED", "Terverifikasi"),
    ("RETURNED", "Dikembalikan"),
];

const COMPLAINT_STATUS: &[(&str, &str)] = &[
    ("RECEIVED", "Diterima"),
    ("IN_REVIEW", "Sedang ditelaah"),
    ("RESOLVED", "Selesai, data dikoreksi"),
    ("REJECTED", "Ditolak"),
];

/// The label of a wire name; an unknown name is shown as it is rather than hidden.
pub fn label(kind: Kind, wire: &str) -> &str {
    table(kind)
        .iter()
        .find(|(w, _)| *w == wire)
        .map(|(_, l)| *l)
        .unwrap_or(wire)
}

/// The wire name of a label (case-insensitive, surrounding spaces ignored), for imports.
pub fn wire(kind: Kind, label: &str) -> Option<&'static str> {
    let label = label.trim();
    table(kind)
        .iter()
        .find(|(_, l)| l.eq_ignore_ascii_case(label))
        .map(|(w, _)| *w)
}

/// The label of any serde-serialisable enum value (entity or GraphQL enums serialise to their wire
/// names).
pub fn of<T: serde::Serialize>(kind: Kind, value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(w)) => label(kind, &w).to_string(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_round_trip_and_are_unique_per_enum() {
        for kind in [
            Kind::Source,
            Kind::Helix,
            Kind::Cluster,
            Kind::ContributionKind,
            Kind::ContributionStatus,
            Kind::TargetGroup,
            Kind::OrganizationKind,
            Kind::RegionLevel,
            Kind::IdmStatus,
            Kind::MeetingLevel,
            Kind::ActionItemStatus,
            Kind::SynergyRelation,
            Kind::SynergyStatus,
            Kind::Strategy,
            Kind::TransactionType,
            Kind::Role,
            Kind::Verification,
            Kind::ComplaintStatus,
        ] {
            for (w, l) in table(kind) {
                assert_eq!(wire(kind, l), Some(*w), "{kind:?} {l}");
                assert_eq!(wire(kind, &l.to_uppercase()), Some(*w));
            }
        }
    }
}
