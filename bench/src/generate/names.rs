//! Word lists for plausible Indonesian names and texts. Real-looking names matter: search and sorting
//! behave differently on "PT Sinar Jaya Abadi" than on "org-4711", and dashboards are judged on them.

use rand::Rng;
use rand::rngs::SmallRng;
use rand::seq::IndexedRandom;

/// Picks one entry of a non-empty constant list.
pub fn pick<'a>(rng: &mut SmallRng, list: &[&'a str]) -> &'a str {
    list.choose(rng).copied().unwrap_or("")
}

/// "Kabupaten Pekalongan" -> "Pekalongan", "Kota Bandar Lampung" -> "Bandar Lampung".
pub fn short_regency(name: &str) -> &str {
    name.strip_prefix("Kabupaten ")
        .or_else(|| name.strip_prefix("Kota "))
        .or_else(|| name.strip_prefix("Kab. "))
        .unwrap_or(name)
}

/// National ministries and agencies that fund villages from the APBN.
pub const MINISTRIES: &[&str] = &[
    "Kementerian Sosial",
    "Kementerian Desa dan Pembangunan Daerah Tertinggal",
    "Kementerian Pertanian",
    "Kementerian Kesehatan",
    "Kementerian Pekerjaan Umum dan Perumahan Rakyat",
    "Kementerian Koperasi dan UKM",
    "Kementerian Kelautan dan Perikanan",
    "Badan Kependudukan dan Keluarga Berencana Nasional",
];

/// Provincial work units (SKPD/OPD) that carry poverty programs.
pub const PROVINCE_SKPD: &[&str] = &[
    "Dinas Sosial",
    "Dinas Pemberdayaan Masyarakat dan Desa",
    "Dinas Ketahanan Pangan",
];

/// Regency work units; the first one exists in every regency, the rest in focus regencies.
pub const REGENCY_SKPD: &[&str] = &[
    "Dinas Sosial",
    "Dinas Pertanian dan Pangan",
    "Dinas Kesehatan",
    "Dinas Perumahan Rakyat dan Kawasan Permukiman",
    "Dinas Koperasi, UKM dan Perdagangan",
    "Dinas Pengendalian Penduduk dan KB",
    "Dinas Pemberdayaan Masyarakat dan Desa",
    "Dinas Pendidikan dan Kebudayaan",
    "Dinas Perikanan",
];

/// State-owned enterprises with CSR (TJSL) budgets.
pub const STATE_OWNED: &[&str] = &[
    "PT Bank Rakyat Indonesia (Persero) Tbk",
    "PT Pertamina (Persero)",
    "PT PLN (Persero)",
    "PT Telkom Indonesia (Persero) Tbk",
    "PT Pupuk Indonesia (Persero)",
    "PT Semen Indonesia (Persero) Tbk",
    "PT Bank Negara Indonesia (Persero) Tbk",
    "PT Bank Mandiri (Persero) Tbk",
    "PT Perkebunan Nusantara",
    "Perum Bulog",
    "PT Pos Indonesia (Persero)",
    "PT Pegadaian",
    "PT Permodalan Nasional Madani",
];

const COMPANY_A: &[&str] = &[
    "Sinar", "Cahaya", "Mitra", "Karya", "Bumi", "Sari", "Tirta", "Mega", "Surya", "Berkah",
    "Indo", "Nusa", "Prima", "Citra", "Anugrah", "Putra", "Jaya", "Sentosa", "Lestari", "Makmur",
];
const COMPANY_B: &[&str] = &[
    "Jaya",
    "Abadi",
    "Makmur",
    "Sejahtera",
    "Mandiri",
    "Utama",
    "Perkasa",
    "Sentosa",
    "Lestari",
    "Nusantara",
    "Agung",
    "Pratama",
    "Batik",
    "Tekstil",
    "Pangan",
    "Agro",
    "Energi",
    "Logistik",
];

/// A private company name, with its home town so that names rarely repeat.
pub fn company(rng: &mut SmallRng, town: &str) -> String {
    format!(
        "PT {} {} {}",
        pick(rng, COMPANY_A),
        pick(rng, COMPANY_B),
        town
    )
}

/// A university or college in a town.
pub fn university(rng: &mut SmallRng, town: &str) -> String {
    const FORMS: &[&str] = &[
        "Universitas",
        "Universitas Muhammadiyah",
        "Universitas Islam",
        "Politeknik Negeri",
        "Institut Teknologi dan Bisnis",
        "Sekolah Tinggi Ilmu Kesehatan",
        "Universitas Nahdlatul Ulama",
        "Institut Agama Islam Negeri",
    ];
    format!("{} {}", pick(rng, FORMS), town)
}

/// A community group rooted in a village.
pub fn community_group(rng: &mut SmallRng, village: &str) -> String {
    const FORMS: &[&str] = &[
        "PKK Desa",
        "Karang Taruna",
        "Kelompok Wanita Tani",
        "Gapoktan",
        "Kelompok Swadaya Masyarakat",
        "Posyandu",
        "BUMDes",
        "Kelompok Nelayan",
        "Kader Pembangunan Manusia",
    ];
    format!("{} {}", pick(rng, FORMS), village)
}

/// A non-governmental organization.
pub fn ngo(rng: &mut SmallRng, town: &str) -> String {
    const FORMS: &[&str] = &["Yayasan", "Lembaga", "Perkumpulan", "LSM"];
    const WORDS: &[&str] = &[
        "Peduli Sesama",
        "Rumah Zakat",
        "Bina Desa",
        "Cahaya Umat",
        "Insan Mandiri",
        "Gizi Anak Bangsa",
        "Kasih Ibu",
        "Pemberdayaan Perempuan",
        "Lingkar Tani",
    ];
    format!("{} {} {}", pick(rng, FORMS), pick(rng, WORDS), town)
}

/// A local media outlet.
pub fn media(rng: &mut SmallRng, town: &str) -> String {
    const FORMS: &[&str] = &["Radio Suara", "Harian", "TV", "Warta", "Portal Berita"];
    format!("{} {}", pick(rng, FORMS), town)
}

/// Other actors: cooperatives, zakat boards, CSR forums.
pub fn other(rng: &mut SmallRng, town: &str) -> String {
    const FORMS: &[&str] = &["Koperasi Serba Usaha", "BAZNAS", "Forum CSR", "Lazismu"];
    format!("{} {}", pick(rng, FORMS), town)
}

/// Themes of program names.
pub const PROGRAM_THEMES: &[&str] = &[
    "Kawasan Mandiri Pangan",
    "DASHAT (Dapur Sehat Atasi Stunting)",
    "Bedah Rumah Tidak Layak Huni",
    "Pengembangan UMKM",
    "Beasiswa Keluarga Miskin",
    "Jambanisasi dan Sanitasi",
    "Desa Mandiri Energi",
    "Kampung Keluarga Berkualitas",
    "Padat Karya Tunai Desa",
    "Budidaya Ikan Air Tawar",
    "Pendampingan Keluarga Risiko Stunting",
    "Air Bersih Perdesaan",
    "Pekarangan Pangan Lestari",
    "Rumah Produksi Bersama",
    "Pelatihan Kerja Pemuda Desa",
    "Laboratorium Kemiskinan",
];

/// Units of program targets.
pub const TARGET_UNITS: &[&str] = &[
    "kawasan", "rumah", "keluarga", "kelompok", "orang", "unit", "desa",
];

/// Names of program phases, in the order they follow each other.
pub const PHASES: &[&str] = &["Pengembangan", "Kemandirian", "Keberlanjutan"];

/// A contribution title: what is done, with a count, in a village.
pub fn contribution_title(rng: &mut SmallRng, source_hint: usize, village: &str) -> String {
    const ACTIVITIES: &[&[&str]] = &[
        // government (APBN/APBD)
        &[
            "Bedah rumah {n} RTLH",
            "Bantuan sembako {n} RTM",
            "Pembangunan jamban sehat {n} unit",
            "Bantuan bibit dan pupuk {n} petani",
            "Pemberian makanan tambahan {n} balita",
            "Sambungan air bersih {n} rumah",
        ],
        // village budget
        &[
            "BLT Dana Desa {n} KK",
            "Padat karya tunai {n} pekerja",
            "Posyandu dan PMT {n} balita",
            "Rehabilitasi rumah {n} warga miskin",
        ],
        // CSR
        &[
            "CSR modal usaha {n} UMKM",
            "CSR pelatihan membatik {n} peserta",
            "CSR beasiswa {n} siswa",
            "CSR paket gizi {n} ibu hamil",
            "CSR perbaikan rumah {n} unit",
        ],
        // university
        &[
            "KKN tematik {n} mahasiswa",
            "Pendampingan teknologi tepat guna {n} kelompok",
            "Riset ketahanan pangan {n} rumah tangga",
            "Beasiswa afirmasi {n} mahasiswa",
        ],
        // community and others
        &[
            "Gotong royong perbaikan {n} rumah",
            "Arisan gizi {n} keluarga",
            "Dapur sehat {n} keluarga risiko stunting",
            "Bank sampah {n} nasabah",
            "Kampanye cegah stunting {n} keluarga",
        ],
    ];
    let list = ACTIVITIES[source_hint.min(ACTIVITIES.len() - 1)];
    let n: u32 = rng.random_range(3..=120);
    format!(
        "{} {village}",
        pick(rng, list).replace("{n}", &n.to_string())
    )
}

/// People who represent organizations at meetings.
pub fn person(rng: &mut SmallRng) -> String {
    const FIRST: &[&str] = &[
        "Budi", "Siti", "Agus", "Sri", "Dewi", "Joko", "Rina", "Hendra", "Wahyu", "Nur", "Eko",
        "Ani", "Bambang", "Yuni", "Dedi", "Lestari", "Teguh", "Fitri", "Rahmat", "Indah",
    ];
    const LAST: &[&str] = &[
        "Santoso",
        "Rahayu",
        "Wibowo",
        "Lestari",
        "Saputra",
        "Hidayat",
        "Kurniawan",
        "Setiawan",
        "Susanti",
        "Pratama",
        "Nugroho",
        "Handayani",
        "Siregar",
        "Harahap",
        "Purba",
    ];
    format!("{} {}", pick(rng, FIRST), pick(rng, LAST))
}

/// Roles people play at a rakor.
pub const PARTICIPANT_ROLES: &[&str] = &[
    "Ketua TKPK",
    "Sekretaris TKPK",
    "Kepala Bidang",
    "Kepala Desa",
    "Perwakilan Forum CSR",
    "Dosen Pendamping",
    "Ketua Kelompok",
    "Narasumber",
    "Peserta",
];

/// Agenda items of coordination meetings.
pub const AGENDA: &[&str] = &[
    "Pembukaan dan arahan pimpinan",
    "Pemutakhiran data keluarga miskin (DTKS/P3KE)",
    "Paparan capaian program penanggulangan kemiskinan",
    "Sinkronisasi program provinsi dan kabupaten",
    "Pemetaan kontribusi CSR per desa",
    "Penetapan desa prioritas (desa merah)",
    "Evaluasi tindak lanjut rakor sebelumnya",
    "Percepatan penurunan stunting",
    "Penyusunan laporan LP2KD semester",
    "Tanya jawab dan kesepakatan",
];

/// Decisions of coordination meetings.
pub const DECISIONS: &[&str] = &[
    "Menggunakan basis data terpadu by name by address sebagai acuan sasaran",
    "Menyinergikan program provinsi dan kabupaten dalam tiga klaster",
    "Memprioritaskan intervensi berdasarkan wilayah dan desil kesejahteraan",
    "Membentuk mekanisme verifikasi, validasi dan pengaduan data",
    "Menyusun laporan LP2KD semester dan tahunan tepat waktu",
    "Mengarahkan dana CSR ke desa prioritas yang belum tersentuh program",
    "Melibatkan perguruan tinggi dalam pendampingan desa merah",
    "Menyepakati pembagian peran bedah rumah antar pelaku",
];

/// Action items that follow from decisions.
pub const ACTIONS: &[&str] = &[
    "Menyampaikan data sasaran per desa ke seluruh OPD",
    "Memetakan program yang tumpang tindih",
    "Menyusun rencana aksi dan jadwal pelaksanaan",
    "Mengirim daftar desa prioritas ke Forum CSR",
    "Melaporkan realisasi anggaran triwulan",
    "Memverifikasi usulan penerima bantuan",
    "Mengundang perguruan tinggi untuk KKN tematik",
    "Menyiapkan bahan rakor berikutnya",
];

/// Progress notes of action items.
pub const UPDATE_NOTES: &[&str] = &[
    "Data sudah dikirim ke OPD terkait",
    "Masih menunggu konfirmasi dari desa",
    "Rapat teknis sudah dilaksanakan",
    "Sebagian kegiatan sudah berjalan",
    "Selesai dan dilaporkan dalam rakor",
    "Ditunda karena refocusing anggaran",
];
