//! The columns of a programs file: headers, documentation and cluster labels.

use super::Column;

/// The columns of a programs file: one row per program, its yearly targets and target villages in
/// one cell each (spreadsheet users keep a program on one line). Rows are matched on the program's
/// code, which is unique in the hub. A re-import replaces the targets and villages with the file's
/// (the file is the newer statement); equal values are unchanged.
pub const PROGRAM_COLUMNS: [Column; 9] = [
    Column {
        en: "code",
        id: "kode",
        aliases: &["kode_program", "program_code"],
        required: true,
        example: "KMP-2026",
        doc: "Kode program, unik, paling banyak 64 karakter; kunci impor ulang. / Program code, unique; the re-import key.",
    },
    Column {
        en: "name",
        id: "nama",
        aliases: &["nama_program"],
        required: true,
        example: "Kawasan Mandiri Pangan",
        doc: "Nama program, paling banyak 200 karakter. / Name.",
    },
    Column {
        en: "owner",
        id: "pemilik",
        aliases: &["penanggung_jawab", "owner_id"],
        required: true,
        example: "Dinas Pertanian dan Pangan Kabupaten Pekalongan",
        doc: "Organisasi pemilik (nama persis atau id). / Owner organization, by name or id.",
    },
    Column {
        en: "cluster",
        id: "klaster",
        aliases: &[],
        required: true,
        example: "II",
        doc: "Klaster I, II, III, IV (atau SOCIAL_ASSISTANCE, COMMUNITY_EMPOWERMENT, MICRO_SMALL_ENTERPRISE, PRO_PEOPLE).",
    },
    Column {
        en: "start_year",
        id: "tahun_mulai",
        aliases: &["mulai"],
        required: true,
        example: "2026",
        doc: "Tahun mulai, 2000–2100.",
    },
    Column {
        en: "end_year",
        id: "tahun_selesai",
        aliases: &["selesai"],
        required: true,
        example: "2028",
        doc: "Tahun selesai, tidak sebelum tahun mulai.",
    },
    Column {
        en: "description",
        id: "keterangan",
        aliases: &["deskripsi"],
        required: false,
        example: "",
        doc: "Keterangan, paling banyak 4000 karakter.",
    },
    Column {
        en: "targets",
        id: "target_tahunan",
        aliases: &["target"],
        required: false,
        example: "2026:kawasan:192; 2027:kawasan:190",
        doc: "Target per tahun, `tahun:satuan:target[:realisasi]` dipisah `;`, tahun di dalam tahun program. / Yearly targets.",
    },
    Column {
        en: "villages",
        id: "desa_sasaran",
        aliases: &["desa", "target_villages"],
        required: false,
        example: "33.26.02.2008; 3326022014",
        doc: "Desa sasaran: kode (atau nama, dengan --regency) dipisah `;`. / Target villages, separated by `;`.",
    },
];

pub(super) const CLUSTER_LABELS: &[(&str, &str)] = &[
    ("i", "SOCIAL_ASSISTANCE"),
    ("1", "SOCIAL_ASSISTANCE"),
    ("ii", "COMMUNITY_EMPOWERMENT"),
    ("2", "COMMUNITY_EMPOWERMENT"),
    ("iii", "MICRO_SMALL_ENTERPRISE"),
    ("3", "MICRO_SMALL_ENTERPRISE"),
    ("iv", "PRO_PEOPLE"),
    ("4", "PRO_PEOPLE"),
];
