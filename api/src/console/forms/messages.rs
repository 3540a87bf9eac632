//! The API's reasons, said in Indonesian beside the field they concern. The API speaks English to
//! partner developers; a planner reading a form should not have to. A reason this table does not
//! know is shown as the API gave it (better an English reason than none).

use crate::console::page::Failure;
use crate::error::Code;

/// The reason of a failure without the `field: ` prefix the API puts before a BAD_USER_INPUT
/// message.
pub fn bare(failure: &Failure) -> &str {
    match &failure.field {
        Some(f) => failure
            .message
            .strip_prefix(f.as_str())
            .and_then(|m| m.strip_prefix(": "))
            .unwrap_or(&failure.message),
        None => &failure.message,
    }
}

/// The Indonesian wording of an API failure.
pub fn indonesian(failure: &Failure) -> String {
    match failure.code {
        Code::Forbidden => return forbidden(&failure.message),
        Code::NotFound => return "Data ini tidak ada atau tidak boleh Anda lihat.".into(),
        Code::Conflict if failure.message.contains("client key") => {
            return "Formulir ini sedang diproses; tunggu sebentar lalu muat ulang halaman.".into();
        }
        Code::Conflict => return super::STALE.into(),
        Code::RateLimited => return "Terlalu banyak permintaan; coba lagi sebentar lagi.".into(),
        Code::Internal => return crate::console::words::INTERNAL_DETAIL.into(),
        _ => {}
    }
    translate(bare(failure))
}

/// Who may do what the API refused, as its reason says.
fn forbidden(reason: &str) -> String {
    let who = if reason.starts_with("only the organization itself") {
        Some("hanya organisasi pemiliknya (atau admin) yang boleh".to_string())
    } else if let Some(rest) = reason.strip_prefix("only an admin or a coordinator of region ") {
        let region = rest.split_whitespace().next().unwrap_or("");
        Some(format!(
            "hanya admin atau koordinator wilayah {region} yang boleh"
        ))
    } else if reason.starts_with("only an admin, or a coordinator for members") {
        Some(
            "hanya admin, atau koordinator untuk anggota dan pemantau di wilayahnya, yang boleh"
                .into(),
        )
    } else if reason.starts_with("only an admin") {
        Some("hanya admin yang boleh".to_string())
    } else {
        None
    };
    match who {
        Some(w) => format!("Anda tidak berhak melakukan perubahan ini: {w}."),
        None => "Anda tidak berhak melakukan perubahan ini.".into(),
    }
}

/// Known English reasons, word for word; then the ones that carry values.
const FIXED: &[(&str, &str)] = &[
    ("must not be blank", crate::console::words::REQUIRED),
    ("no such program", "program tidak ditemukan"),
    ("no such organization", "organisasi tidak ditemukan"),
    ("no such contribution", "kontribusi tidak ditemukan"),
    (
        "a fiscal year between 2000 and 2100",
        "tahun anggaran antara 2000 dan 2100",
    ),
    ("an amount is never negative", "nilai tidak boleh negatif"),
    ("never negative", "tidak boleh negatif"),
    (
        "a village-level contribution must point at a village",
        "kontribusi pemerintah desa atau APBDes harus ditujukan ke sebuah desa",
    ),
    (
        "the committed amount cannot fall below what was already disbursed",
        "nilai komitmen tidak boleh kurang dari yang sudah dicairkan",
    ),
    (
        "a committed contribution needs its committed amount",
        "kontribusi yang sudah berkomitmen perlu nilai komitmennya",
    ),
    (
        "commitments recorded would exceed the committed amount",
        "transaksi komitmen akan melebihi nilai komitmen",
    ),
    (
        "disbursed would exceed committed",
        "pencairan akan melebihi nilai komitmen",
    ),
    (
        "spent would exceed disbursed",
        "belanja akan melebihi yang sudah dicairkan",
    ),
    (
        "a transaction moves more than zero",
        "nilai transaksi harus lebih dari nol",
    ),
    (
        "a cancelled contribution cannot be changed",
        "kontribusi yang dibatalkan tidak dapat diubah",
    ),
    (
        "a cancelled contribution stays cancelled",
        "kontribusi yang dibatalkan tetap dibatalkan",
    ),
    (
        "a cancelled contribution takes no transactions",
        "kontribusi yang dibatalkan tidak menerima transaksi",
    ),
    (
        "a new contribution is PLANNED or COMMITTED",
        "kontribusi baru berstatus Rencana atau Komitmen",
    ),
    (
        "name the contributing organization",
        "pilih organisasi pemberi kontribusi",
    ),
    (
        "an action item cannot be due before its meeting",
        "tenggat tidak boleh sebelum tanggal rapat",
    ),
    ("at most 100 lines", "paling banyak 100 baris"),
    ("not an e-mail address", "bukan alamat e-mail"),
    (
        "another user has this e-mail",
        "e-mail ini sudah dipakai pengguna lain",
    ),
    (
        "between 10 and 1024 characters",
        "antara 10 dan 1024 karakter",
    ),
    ("a coordinator needs a region", "koordinator perlu wilayah"),
    (
        "a member or coordinator acts for an organization",
        "anggota dan koordinator harus mewakili sebuah organisasi",
    ),
    (
        "not your current password",
        "bukan kata sandi Anda saat ini",
    ),
    (
        "choose a password different from the current one",
        "pilih kata sandi yang berbeda dari yang sekarang",
    ),
    (
        "use cancelContribution to cancel",
        "gunakan tombol Batalkan",
    ),
];

/// An English reason in Indonesian, or as it is when unknown.
pub fn translate(reason: &str) -> String {
    if let Some((_, id)) = FIXED.iter().find(|(en, _)| *en == reason) {
        return (*id).into();
    }
    if let Some(n) = reason
        .strip_prefix("at most ")
        .and_then(|r| r.strip_suffix(" characters"))
    {
        return format!("paling banyak {n} karakter");
    }
    if reason.starts_with("at most ") && reason.contains("more people than Indonesia has") {
        return "paling banyak 300.000.000 (lebih dari jumlah penduduk Indonesia)".into();
    }
    if let Some(code) = reason
        .strip_prefix("no region ")
        .and_then(|r| r.strip_suffix(" in the hub"))
    {
        return format!("wilayah {code} tidak ada di Sinergi");
    }
    if let Some(name) = reason.strip_suffix(" is a kelurahan: it has no APBDes") {
        return format!("{name} adalah kelurahan: tidak punya APBDes");
    }
    if let Some(year) = reason
        .strip_prefix("the date must fall within fiscal year ")
        .and_then(|r| r.strip_suffix(" or the year either side"))
    {
        return format!(
            "tanggal harus dalam tahun anggaran {year} atau setahun sebelum/sesudahnya"
        );
    }
    if let Some((program, rest)) = reason.split_once(" runs ")
        && let Some((years, year)) = rest.split_once(": ")
        && let Some(year) = year.strip_suffix(" is outside it")
    {
        return format!("{program} berjalan {years}: tahun {year} di luar masa program");
    }
    if reason.contains("is not a Kemendagri code")
        || reason.contains("too long for a Kemendagri code")
        || reason.contains("has more than four parts")
        || reason == "the code is empty"
    {
        return "bukan kode Kemendagri (mis. 33.26.02.2008)".into();
    }
    reason.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bad(field: &str, message: &str) -> Failure {
        Failure {
            code: Code::BadUserInput,
            message: format!("{field}: {message}"),
            field: Some(field.into()),
        }
    }

    #[test]
    fn api_reasons_read_in_indonesian() {
        assert_eq!(
            indonesian(&bad("input.amount", "disbursed would exceed committed")),
            "pencairan akan melebihi nilai komitmen"
        );
        assert_eq!(
            indonesian(&bad("input.title", "at most 200 characters")),
            "paling banyak 200 karakter"
        );
        assert_eq!(
            indonesian(&bad(
                "input.fiscalYear",
                "Bedah Rumah runs 2024–2026: 2030 is outside it"
            )),
            "Bedah Rumah berjalan 2024–2026: tahun 2030 di luar masa program"
        );
        assert_eq!(
            indonesian(&bad("input.regionCode", "no region 33.99 in the hub")),
            "wilayah 33.99 tidak ada di Sinergi"
        );
        let refused = Failure {
            code: Code::Forbidden,
            message: "only an admin or a coordinator of region 18 may record meetings here".into(),
            field: None,
        };
        assert_eq!(
            indonesian(&refused),
            "Anda tidak berhak melakukan perubahan ini: hanya admin atau koordinator wilayah 18 yang boleh."
        );
        assert_eq!(
            indonesian(&bad("x", "something new")),
            "something new",
            "an unknown reason is shown as the API gave it"
        );
    }
}
