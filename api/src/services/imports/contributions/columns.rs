//! The columns of a contributions file: their positions, headers and documentation.

use super::Column;

pub(super) const KEY: usize = 0;
pub(super) const CONTRIBUTOR: usize = 1;
pub(super) const SOURCE: usize = 2;
pub(super) const KIND: usize = 3;
pub(super) const REGION: usize = 4;
pub(super) const REGENCY: usize = 5;
pub(super) const PROGRAM: usize = 6;
pub(super) const YEAR: usize = 7;
pub(super) const TITLE: usize = 8;
pub(super) const DESCRIPTION: usize = 9;
pub(super) const TARGET_GROUP: usize = 10;
pub(super) const BENEFICIARIES: usize = 11;
pub(super) const PLANNED: usize = 12;
pub(super) const COMMITTED: usize = 13;
pub(super) const STATUS: usize = 14;

/// The columns of a contributions file, in template order. Headers are matched ignoring case,
/// accents, spaces and hyphens (`Kode Wilayah` = `kode_wilayah`).
pub const CONTRIBUTION_COLUMNS: [Column; 15] = [
    Column {
        en: "key",
        id: "kunci",
        aliases: &["external_key", "id_baris"],
        required: true,
        example: "DINSOS-2026-001",
        doc: "Kode baris milik organisasi Anda, unik per organisasi; impor ulang mencocokkan baris dengan kunci ini. / Your own row id, unique per organization; re-imports match rows on it.",
    },
    Column {
        en: "contributor",
        id: "kontributor",
        aliases: &["organisasi", "organization", "contributor_id"],
        required: false,
        example: "Dinas Sosial Kabupaten Pekalongan",
        doc: "Nama persis atau id organisasi; kosong = organisasi Anda. / Exact name or id of the organization; empty = your own.",
    },
    Column {
        en: "source",
        id: "sumber_dana",
        aliases: &["sumber"],
        required: true,
        example: "APBD Kabupaten",
        doc: "APBN, APBD Provinsi, APBD Kabupaten, APBDes, CSR, Perguruan Tinggi, Swadaya, Lainnya (atau nama GraphQL: APBD_REGENCY ...).",
    },
    Column {
        en: "kind",
        id: "jenis",
        aliases: &["bentuk"],
        required: true,
        example: "Tunai",
        doc: "Tunai, Barang, Keahlian, Tenaga Sukarela (CASH, IN_KIND, EXPERTISE, VOLUNTEER_LABOUR).",
    },
    Column {
        en: "region_code",
        id: "kode_wilayah",
        aliases: &["wilayah", "region", "desa", "village"],
        required: true,
        example: "33.26.02.2008",
        doc: "Kode Kemendagri (bertitik atau tidak), atau nama desa/kecamatan yang tepat satu di bawah kabupaten berkas. / Kemendagri code, dotted or not, or a name matching exactly one region below the regency.",
    },
    Column {
        en: "regency",
        id: "kabupaten",
        aliases: &["kode_kabupaten", "regency_code"],
        required: false,
        example: "33.26",
        doc: "Kode kabupaten/kota untuk mencari nama wilayah (menggantikan --regency untuk baris ini). / Regency code names are looked up under.",
    },
    Column {
        en: "program",
        id: "program",
        aliases: &["kode_program", "program_code", "program_id"],
        required: false,
        example: "",
        doc: "Kode atau id program; tahun anggaran harus di dalam tahun program. / Program code or id; the fiscal year must fall inside its years.",
    },
    Column {
        en: "fiscal_year",
        id: "tahun_anggaran",
        aliases: &["tahun", "year"],
        required: true,
        example: "2026",
        doc: "Tahun anggaran, 2000–2100. / Fiscal year.",
    },
    Column {
        en: "title",
        id: "judul",
        aliases: &["kegiatan", "nama_kegiatan"],
        required: true,
        example: "Bantuan bibit sayur",
        doc: "Judul, paling banyak 200 karakter. / Title, at most 200 characters.",
    },
    Column {
        en: "description",
        id: "keterangan",
        aliases: &["deskripsi"],
        required: false,
        example: "",
        doc: "Keterangan, paling banyak 4000 karakter. / Description, at most 4000 characters.",
    },
    Column {
        en: "target_group",
        id: "kelompok_sasaran",
        aliases: &["sasaran"],
        required: false,
        example: "Rumah Tangga Miskin",
        doc: "Rumah Tangga Miskin, Keluarga Risiko Stunting, Balita, Umum ... (atau POOR_HOUSEHOLDS ...).",
    },
    Column {
        en: "beneficiaries",
        id: "penerima_manfaat",
        aliases: &["jumlah_penerima"],
        required: false,
        example: "25",
        doc: "Jumlah penerima manfaat, bilangan bulat 0–300.000.000. / Number of beneficiaries, 0 to 300,000,000.",
    },
    Column {
        en: "amount_planned",
        id: "rencana",
        aliases: &["nilai_rencana", "planned"],
        required: true,
        example: "150000000",
        doc: "Nilai rencana, Rupiah utuh ≥ 0 (1.500.000 atau 1500000). / Planned amount, whole Rupiah.",
    },
    Column {
        en: "amount_committed",
        id: "komitmen",
        aliases: &["nilai_komitmen", "committed"],
        required: false,
        example: "0",
        doc: "Nilai komitmen, Rupiah utuh ≥ 0; kosong = 0. / Committed amount; empty = 0.",
    },
    Column {
        en: "status",
        id: "status",
        aliases: &[],
        required: false,
        example: "Rencana",
        doc: "Rencana (PLANNED, bawaan) atau Komitmen (COMMITTED). / PLANNED (default) or COMMITTED.",
    },
];

/// Headers the CSV export adds for readers (`services::reports::contributions_csv`): names and
/// amounts that follow from other records. An import skips them, so an exported file imports back.
pub const CONTRIBUTION_DERIVED: [&str; 7] = [
    "id",
    "nama_wilayah",
    "heliks",
    "nama_program",
    "klaster",
    "pencairan",
    "realisasi",
];
