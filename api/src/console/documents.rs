//! The console's GraphQL documents, compiled against the committed `schema.graphql` into typed
//! answers: a field renamed or removed in the schema, or a document asking for one that does not
//! exist, fails the build instead of rendering "–". Each document is one `.graphql` file under
//! `queries/` (what "Lihat GraphQL" shows and a partner can copy); its operation name is the type
//! here, and `ctx.query::<T>(variables)` runs it (see `page.rs`).
//!
//! The stored enums (`entity::enums`) are the wire enums (same SCREAMING_SNAKE names), so answers
//! carry them directly and the console's labels and rules take one type, whichever page asked.
//! The whole-specification check (overlapping fields and the rest) is the `documents` test.

pub use entity::enums::{
    ActionItemStatus, Cluster, ComplaintStatus, ContributionKind, ContributionStatus,
    FundingSource, Helix, IdmStatus, MeetingLevel, OrganizationKind, RegionLevel, Role, Strategy,
    SynergyRelation, SynergyStatus, TargetGroup, TransactionType, Verification, VillageKind,
};

/// A whole number of Rupiah, as the API's decimal string (`"1250000"`).
pub type Rupiah = String;
/// A calendar date, `YYYY-MM-DD`.
pub type Date = String;
/// An instant, RFC 3339 in UTC.
pub type DateTime = String;

/// One compiled document per line: the operation's name and its file.
macro_rules! documents {
    ($($name:ident => $file:tt;)*) => { $(
        #[derive(graphql_client::GraphQLQuery)]
        #[graphql(
            schema_path = "../schema.graphql",
            query_path = $file,
            response_derives = "Debug, Clone",
            variables_derives = "Debug",
            extern_enums("ActionItemStatus", "Cluster", "ComplaintStatus", "ContributionKind", "ContributionStatus", "FundingSource", "Helix", "IdmStatus", "MeetingLevel", "OrganizationKind", "RegionLevel", "Role", "Strategy", "SynergyRelation", "SynergyStatus", "TargetGroup", "TransactionType", "Verification", "VillageKind")
        )]
        pub struct $name;
    )* };
}

documents! {
    Beranda => "src/console/queries/beranda.graphql";
    BerandaCelah => "src/console/queries/beranda_celah.graphql";
    Cari => "src/console/queries/cari.graphql";
    CelahCakupan => "src/console/queries/celah.graphql";
    Desa => "src/console/queries/desa.graphql";
    FormulirKontribusi => "src/console/queries/formulir_kontribusi.graphql";
    FormulirRapat => "src/console/queries/formulir_rapat.graphql";
    FormulirSinergi => "src/console/queries/formulir_sinergi.graphql";
    CariWilayah => "src/console/queries/formulir_wilayah.graphql";
    CatatIndikator => "src/console/queries/indikator_simpan.graphql";
    IndikatorDesa => "src/console/queries/indikator_tulis.graphql";
    JejakAudit => "src/console/queries/jejak_audit.graphql";
    GantiKataSandi => "src/console/queries/kata_sandi.graphql";
    KembalikanIndikator => "src/console/queries/kembalikan_indikator.graphql";
    KembalikanKontribusi => "src/console/queries/kembalikan_kontribusi.graphql";
    CatatKeputusan => "src/console/queries/keputusan_tambah.graphql";
    Kontribusi => "src/console/queries/kontribusi.graphql";
    BatalkanKontribusi => "src/console/queries/kontribusi_batal.graphql";
    CatatKontribusi => "src/console/queries/kontribusi_buat.graphql";
    DaftarKontribusi => "src/console/queries/kontribusi_daftar.graphql";
    StatusKontribusi => "src/console/queries/kontribusi_status.graphql";
    TransaksiKontribusi => "src/console/queries/kontribusi_transaksi.graphql";
    UbahKontribusi => "src/console/queries/kontribusi_ubah.graphql";
    Masuk => "src/console/queries/login.graphql";
    Keluar => "src/console/queries/logout.graphql";
    Saya => "src/console/queries/me.graphql";
    Organisasi => "src/console/queries/organisasi.graphql";
    BuatOrganisasi => "src/console/queries/organisasi_buat.graphql";
    DaftarOrganisasi => "src/console/queries/organisasi_daftar.graphql";
    PilihanOrganisasi => "src/console/queries/organisasi_pilihan.graphql";
    JejakKoreksi => "src/console/queries/pengaduan_jejak.graphql";
    KirimPengaduan => "src/console/queries/pengaduan_kirim.graphql";
    LacakPengaduan => "src/console/queries/pengaduan_lacak.graphql";
    PengaduanMasuk => "src/console/queries/pengaduan_masuk.graphql";
    PerubahanTerbaru => "src/console/queries/pengaduan_perubahan.graphql";
    PengaduanSatu => "src/console/queries/pengaduan_satu.graphql";
    SelesaikanPengaduan => "src/console/queries/pengaduan_selesai.graphql";
    TelaahPengaduan => "src/console/queries/pengaduan_telaah.graphql";
    TentangPengaduan => "src/console/queries/pengaduan_tentang.graphql";
    TolakPengaduan => "src/console/queries/pengaduan_tolak.graphql";
    SatuPengguna => "src/console/queries/pengguna.graphql";
    BuatPengguna => "src/console/queries/pengguna_buat.graphql";
    Pengguna => "src/console/queries/pengguna_daftar.graphql";
    UbahPengguna => "src/console/queries/pengguna_ubah.graphql";
    Program => "src/console/queries/program.graphql";
    BuatProgram => "src/console/queries/program_buat.graphql";
    DaftarProgram => "src/console/queries/program_daftar.graphql";
    ProgramTulis => "src/console/queries/program_tulis.graphql";
    UbahProgram => "src/console/queries/program_ubah.graphql";
    Provinsi => "src/console/queries/provinsi.graphql";
    Rapat => "src/console/queries/rapat.graphql";
    CatatRapat => "src/console/queries/rapat_buat.graphql";
    DaftarRapat => "src/console/queries/rapat_daftar.graphql";
    RapatUntukDiubah => "src/console/queries/rapat_tulis.graphql";
    UbahRapat => "src/console/queries/rapat_ubah.graphql";
    KemajuanRencanaAksi => "src/console/queries/rencana_aksi_kemajuan.graphql";
    RencanaAksiSaya => "src/console/queries/rencana_aksi_saya.graphql";
    StatusRencanaAksi => "src/console/queries/rencana_aksi_status.graphql";
    TambahRencanaAksi => "src/console/queries/rencana_aksi_tambah.graphql";
    UbahRencanaAksi => "src/console/queries/rencana_aksi_ubah.graphql";
    BatalkanSinergi => "src/console/queries/sinergi_batal.graphql";
    SepakatiSinergi => "src/console/queries/sinergi_sepakati.graphql";
    UsulkanSinergi => "src/console/queries/sinergi_usul.graphql";
    TindakLanjut => "src/console/queries/tindak_lanjut.graphql";
    TumpangTindih => "src/console/queries/tumpang_tindih.graphql";
    Verifikasi => "src/console/queries/verifikasi.graphql";
    VerifikasiIndikator => "src/console/queries/verifikasi_indikator.graphql";
    VerifikasiKontribusi => "src/console/queries/verifikasi_kontribusi.graphql";
    Wilayah => "src/console/queries/wilayah.graphql";
}
