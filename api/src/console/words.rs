//! Every sentence and heading of the console that is not an enum label (those are in
//! `crate::labels`), in Bahasa Indonesia. A second language is a second copy of this file.

pub const NAV_LABEL: &str = "Menu utama";
pub const NAV_OVERVIEW: &str = "Beranda";
pub const NAV_REGIONS: &str = "Wilayah";
pub const NAV_CONTRIBUTIONS: &str = "Kontribusi";
pub const NAV_PROGRAMS: &str = "Program";
pub const NAV_ORGANIZATIONS: &str = "Organisasi";
pub const NAV_MEETINGS: &str = "Rapat";
pub const NAV_FOLLOW_UP: &str = "Tindak lanjut";
pub const NAV_GAPS: &str = "Celah cakupan";
pub const NAV_OVERLAPS: &str = "Tumpang tindih";
pub const NAV_REPORTS: &str = "Laporan";
pub const SKIP_TO_CONTENT: &str = "Langsung ke isi";
pub const SIGN_IN: &str = "Masuk";
pub const SIGN_OUT: &str = "Keluar";
pub const FOOTER: &str = "Sinergi: catatan bersama penanggulangan kemiskinan lintas pelaku. Angka contoh pada data demo bersifat ilustratif.";
pub const SHOW_GRAPHQL: &str = "Lihat GraphQL";
pub const SHOW_GRAPHQL_HELP: &str = "Halaman ini dibuat dari dokumen GraphQL berikut, dijalankan sebagai pengguna yang sedang masuk. Pengembang dasbor dapat menjalankan dokumen yang sama lewat API.";
pub const OPEN_IN_GRAPHIQL: &str = "Buka di GraphiQL";

pub const SIGN_IN_NEEDED: &str = "Silakan masuk untuk melihat halaman ini.";
pub const SIGN_IN_TITLE: &str = "Masuk ke Sinergi";
pub const EMAIL: &str = "Email";
pub const PASSWORD: &str = "Kata sandi";
pub const WRONG_LOGIN: &str = "Email atau kata sandi salah, atau akun tidak aktif.";
pub const SESSION_EXPIRED: &str = "Sesi Anda telah berakhir. Silakan masuk kembali.";
pub const CSRF_FAILED: &str = "Formulir ini sudah kedaluwarsa atau tidak berasal dari Sinergi. Muat ulang halaman lalu coba lagi.";
pub const SIGNED_OUT: &str = "Anda telah keluar.";
pub const CROSS_SITE: &str =
    "Formulir ini dikirim dari situs lain, tidak berasal dari Sinergi. Tidak ada yang disimpan.";
/// Shown with the number of seconds to wait.
pub const SIGN_IN_LIMITED: &str =
    "Terlalu banyak percobaan masuk. Demi keamanan akun, coba lagi dalam";
pub const SECONDS: &str = "detik";

pub const FORBIDDEN: &str = "Tidak diizinkan";
pub const NOT_FOUND: &str = "Tidak ditemukan";
pub const BAD_INPUT: &str = "Isian tidak valid";
pub const RATE_LIMITED: &str = "Terlalu banyak permintaan";
pub const INTERNAL: &str = "Terjadi kesalahan";
pub const INTERNAL_DETAIL: &str =
    "Terjadi kesalahan di server. Kesalahan sudah dicatat; silakan coba lagi.";
pub const BACK_HOME: &str = "Kembali ke beranda";

pub const WELCOME_TITLE: &str = "Siapa mengerjakan apa, di mana";
pub const WELCOME: &str = "Sinergi mencatat komitmen setiap pelaku penanggulangan kemiskinan (APBD, APBDes, CSR, perguruan tinggi, masyarakat) per desa dan program, beserta keputusan rakor dan tindak lanjutnya. Data wilayah terbuka untuk umum; kontribusi dan program dapat dilihat setelah masuk.";
pub const BROWSE_REGIONS: &str = "Jelajahi wilayah";

pub const REGION: &str = "Wilayah";
pub const REGION_HINT: &str = "Kode Kemendagri, mis. 33.26";
pub const YEAR: &str = "Tahun anggaran";
pub const SHOW: &str = "Tampilkan";
pub const SEARCH: &str = "Cari";
pub const SEARCH_HINT: &str = "Nama desa, kecamatan, kabupaten, organisasi atau program";
pub const NOTHING: &str = "Tidak ada data.";
pub const NEXT_PAGE: &str = "Halaman berikutnya";
pub const FIRST_PAGE: &str = "Kembali ke halaman pertama";
pub const DOWNLOAD_CSV: &str = "Unduh CSV";

pub const PLANNED: &str = "Rencana";
pub const COMMITTED: &str = "Komitmen";
pub const DISBURSED: &str = "Pencairan";
pub const REALISED: &str = "Realisasi";
pub const COUNT: &str = "Jumlah";
pub const STATUS: &str = "Status";
pub const SOURCE: &str = "Sumber dana";
pub const HELIX: &str = "Heliks";
pub const CLUSTER: &str = "Klaster";
pub const PROGRAM: &str = "Program";
pub const ORGANIZATION: &str = "Organisasi";
pub const CONTRIBUTOR: &str = "Pemberi kontribusi";
pub const KIND: &str = "Jenis";
pub const TITLE: &str = "Kegiatan";
pub const TARGET_GROUP: &str = "Kelompok sasaran";
pub const BENEFICIARIES: &str = "Penerima manfaat";
pub const ALL: &str = "Semua";
pub const OWNER: &str = "Pelaksana";
pub const DUE: &str = "Tenggat";
pub const OVERDUE: &str = "Terlambat";
pub const DATE: &str = "Tanggal";
pub const HOST: &str = "Penyelenggara";
pub const LEVEL: &str = "Tingkat";
pub const PRIORITY: &str = "Desa prioritas (desa merah)";
pub const YES: &str = "Ya";
pub const NO: &str = "Tidak";

// Forms (`console::forms`): what every form says the same way.
pub const REQUIRED: &str = "wajib diisi";
pub const REQUIRED_MARK: &str = "(wajib)";
pub const PICK_ONE: &str = "pilih salah satu";
pub const UNKNOWN_CHOICE: &str = "pilihan tidak dikenal";
pub const NOT_SAVED: &str = "Belum tersimpan. Perbaiki isian berikut:";
pub const YOURS: &str = "Isian Anda tadi:";
pub const EMPTY: &str = "(kosong)";
pub const FORM_INCOMPLETE: &str = "Formulir ini tidak lengkap: muat ulang halaman lalu coba lagi.";
pub const STALE: &str = "Data ini baru saja diubah orang lain sejak formulir dibuka, jadi isian Anda belum disimpan. Yang tampil sekarang adalah nilai yang tersimpan; isian Anda yang berbeda ditulis di bawah isiannya. Periksa, lalu simpan lagi bila perlu.";
pub const BAD_DATE: &str = "tulis tanggal seperti 2016-11-01 atau 1/11/2016 (hari/bulan/tahun)";

// Impor (`pages::impor`).
pub const NAV_IMPORT: &str = "Impor";
/// Header link to the users an admin or coordinator manages.
pub const NAV_USERS: &str = "Pengguna";
/// Header link to changing one's own password.
pub const NAV_PASSWORD: &str = "Kata sandi";
pub const IMPORT_TITLE: &str = "Impor spreadsheet";
pub const IMPORT_HELP: &str = "Unggah berkas CSV atau XLSX. Berkas diperiksa dulu (uji coba): tidak ada yang disimpan sebelum Anda mengonfirmasi. Baris yang sama dengan data tersimpan tidak diubah.";
pub const IMPORT_KIND: &str = "Isi berkas";
pub const IMPORT_REGENCY: &str = "Kabupaten/kota untuk nama desa";
pub const IMPORT_REGENCY_HINT: &str = "Kode kabupaten/kota (mis. 33.26) tempat nama desa atau kecamatan dicari, bila baris tidak menyebut kodenya";
pub const IMPORT_FILE: &str = "Berkas";
pub const IMPORT_FILE_HINT: &str =
    "CSV (UTF-8, koma atau titik koma) atau XLSX (lembar pertama), paling besar";
pub const IMPORT_CHECK: &str = "Periksa berkas (uji coba)";
pub const IMPORT_TEMPLATES: &str = "Templat";
pub const IMPORT_REPORT: &str = "Hasil pemeriksaan";
pub const IMPORT_ROWS: &str = "Baris dibaca";
pub const IMPORT_WOULD_ADD: &str = "Akan ditambah";
pub const IMPORT_WOULD_UPDATE: &str = "Akan diperbarui";
pub const IMPORT_WOULD_KEEP: &str = "Tidak berubah";
pub const IMPORT_CONFIRM_HELP: &str = "Berkas ini lolos pemeriksaan. Impor sekarang untuk menyimpannya; berkas yang sama (disimpan sementara di server) yang akan diimpor.";
pub const IMPORT_CONFIRM: &str = "Impor sekarang";
pub const IMPORT_PROBLEMS: &str =
    "Tidak ada yang disimpan. Perbaiki baris berikut di berkas Anda, lalu unggah lagi.";
pub const IMPORT_PROBLEMS_CAPTION: &str = "Masalah dalam berkas";
pub const IMPORT_PROBLEMS_LISTED: &str = "Ditampilkan";
pub const IMPORT_PROBLEMS_OF: &str = "masalah pertama dari seluruhnya";
pub const IMPORT_BUSY: &str =
    "Server sedang memeriksa berkas lain. Tunggu beberapa detik, lalu unggah lagi.";
pub const IMPORT_TOO_SLOW: &str =
    "Berkas tidak selesai terkirim tepat waktu (koneksi lambat atau terputus). Coba unggah lagi.";
pub const IMPORT_ROW: &str = "Baris";
pub const IMPORT_COLUMN: &str = "Kolom";
pub const IMPORT_VALUE: &str = "Nilai";
pub const IMPORT_REASON: &str = "Alasan";
pub const IMPORT_AGAIN: &str = "Unggah berkas lain";
pub const IMPORT_DONE: &str = "Impor selesai:";
pub const IMPORT_ADDED: &str = "baris ditambah";
pub const IMPORT_UPDATED: &str = "diperbarui";
pub const IMPORT_UNCHANGED: &str = "tidak berubah";
pub const IMPORT_GONE: &str = "Berkas yang diperiksa tidak ditemukan lagi (sudah diimpor, kedaluwarsa setelah 30 menit, atau diunggah dari peramban lain). Unggah berkasnya lagi.";
pub const IMPORT_MALFORMED: &str = "unggahan tidak terbaca: kirim berkas lewat formulir impor";
pub const IMPORT_NO_FILE: &str = "pilih berkas CSV atau XLSX";
pub const IMPORT_TOO_LARGE_TITLE: &str = "Berkas terlalu besar";
pub const IMPORT_TOO_LARGE: &str = "Berkas ini lebih besar dari batas unggah lewat konsol";
pub const IMPORT_USE_CLI: &str =
    "Berkas sebesar ini diimpor lewat baris perintah di server, dengan hak akses Anda:";
pub const IMPORT_CLI_KINDS: &str = "Ganti contributions dengan programs, organizations atau indicators sesuai isi berkas; tambahkan --dry-run untuk uji coba dulu.";
pub const LIVE_NOTE: &str = "Halaman ini diperbarui otomatis bila ada perubahan.";
