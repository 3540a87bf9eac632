//! Verification and data complaints in the console (issue 14), walked in a real browser: a member's
//! contribution goes through the coordinator's queue (returned with a note, fixed, verified) into
//! the verified-only overview; an anonymous visitor reports a wrong figure and follows it by its
//! tracking code while the coordinator triages it.

use crate::browser::Browser;
use crate::console::{demo_app, sign_in};
use crate::console_writes::{choose, fits, sign_out, submit, text_of, value_of};
use serde_json::json;
use sinergi::services::demo::demo_id;

const COORDINATOR: &str = "koordinator@pekalongan.demo";
const SKPD: &str = "skpd@pekalongan.demo";
const BOTOSARI: &str = "33.26.02.2008";
const OVERVIEW_VERIFIED: &str = "/?wilayah=33.26&tahun=2025&verified=1";

async fn committed_shown(b: &Browser) -> String {
    text_of(b, "#total-komitmen").await
}

fn plus(shown: &str, n: u128) -> String {
    let digits: String = shown.chars().filter(char::is_ascii_digit).collect();
    crate::console_writes::rp(digits.parse::<u128>().unwrap() + n)
}

#[tokio::test]
async fn a_returned_contribution_is_fixed_by_its_member_and_counts_once_the_coordinator_verifies_it()
 {
    let app = demo_app().await;
    let Some(b) = Browser::phone().await else {
        return;
    };
    // What the verified-only overview counts before.
    sign_in(&b, &app, COORDINATOR, OVERVIEW_VERIFIED).await;
    let before = committed_shown(&b).await;
    assert_eq!(
        b.js("return document.querySelector('#verified').checked")
            .await,
        true
    );
    let workbook = b
        .js("return document.querySelector('#unduh-buku-kerja').getAttribute('href')")
        .await;
    assert!(
        workbook.as_str().unwrap().ends_with("&verified=true"),
        "{workbook}"
    );
    sign_out(&b).await;

    // The member records a commitment in Botosari.
    sign_in(
        &b,
        &app,
        SKPD,
        &format!("/kontribusi/baru?wilayah={BOTOSARI}"),
    )
    .await;
    b.fill("#judul", "Bantuan jamban sehat").await;
    choose(&b, "#program", &demo_id("rtlh")).await;
    choose(&b, "#sumber", "APBD_REGENCY").await;
    choose(&b, "#jenis", "CASH").await;
    b.fill("#tahun", "2025").await;
    b.fill("#rencana", "40.000.000").await;
    b.fill("#komitmen", "40.000.000").await;
    choose(&b, "#status", "COMMITTED").await;
    submit(&b, "#form-kontribusi").await;
    b.wait_for_text("Perbarui kontribusi").await;
    let path = b.path().await;
    let id = path.trim_start_matches("/kontribusi/").to_string();
    assert_eq!(
        text_of(&b, "#status-verifikasi").await,
        "Menunggu verifikasi"
    );
    sign_out(&b).await;

    // The coordinator finds it in the queue and returns it with a note.
    sign_in(&b, &app, COORDINATOR, "/verifikasi").await;
    let item = format!("#antrian-{id}");
    let entry = text_of(&b, &item).await;
    assert!(entry.contains("Bantuan jamban sehat"), "{entry}");
    assert!(entry.contains("Dinas Sosial"), "who entered it: {entry}");
    assert!(entry.contains("Rp 40.000.000"), "{entry}");
    fits(&b, "/verifikasi at 390px").await;
    // A return without a note is refused beside the note.
    b.js(&format!(
        "document.querySelector('#catatan-{id}').removeAttribute('required'); return null"
    ))
    .await;
    b.click(&format!("{item} button.kembalikan")).await;
    b.wait_for_text("apa yang perlu diperbaiki").await;
    b.fill(
        &format!("#catatan-{id}"),
        "Nilai komitmen belum sesuai SK: seharusnya Rp 45.000.000",
    )
    .await;
    b.click(&format!("{item} button.kembalikan")).await;
    b.wait_for_text("data menunggu verifikasi").await;
    assert!(
        b.js(&format!("return document.querySelector('{item}') === null"))
            .await
            == true
    );
    sign_out(&b).await;

    // The member sees the note on its record and fixes it.
    sign_in(&b, &app, SKPD, &format!("/kontribusi/{id}")).await;
    let note = text_of(&b, "#dikembalikan").await;
    assert!(note.contains("seharusnya Rp 45.000.000"), "{note}");
    assert!(
        text_of(&b, "#status-verifikasi")
            .await
            .contains("Dikembalikan")
    );
    b.click("#perbaiki").await;
    b.wait_for_path(&format!("/kontribusi/{id}/ubah")).await;
    b.fill("#komitmen", "45.000.000").await;
    b.fill("#rencana", "45.000.000").await;
    submit(&b, "#form-kontribusi").await;
    b.wait_for_text("Perbarui kontribusi").await;
    assert_eq!(
        text_of(&b, "#status-verifikasi").await,
        "Menunggu verifikasi"
    );
    assert!(
        b.js("return document.querySelector('#dikembalikan') === null")
            .await
            == true
    );
    sign_out(&b).await;

    // Back in the queue; the coordinator verifies it, and the verified overview counts it.
    sign_in(&b, &app, COORDINATOR, "/verifikasi").await;
    assert!(text_of(&b, &item).await.contains("Rp 45.000.000"));
    b.click(&format!("{item} button.verifikasi")).await;
    b.wait_for_text("data menunggu verifikasi").await;
    assert!(
        b.js(&format!("return document.querySelector('{item}') === null"))
            .await
            == true
    );
    b.open(&app.url(&format!("/kontribusi/{id}"))).await;
    assert_eq!(text_of(&b, "#status-verifikasi").await, "Terverifikasi");
    b.open(&app.url(OVERVIEW_VERIFIED)).await;
    assert_eq!(committed_shown(&b).await, plus(&before, 45_000_000));
    assert_eq!(value_of(&b, "#verified").await, "1");
    b.close().await;
}

const CONTACT: &str = "0812-3456-7890";

async fn complaint_entry(b: &Browser, code: &str) -> String {
    let id = b
        .js(&format!(
            "return [...document.querySelectorAll('article')].find(a => a.innerText.includes({code:?}))?.id ?? null"
        ))
        .await;
    format!(
        "#{}",
        id.as_str().unwrap_or_else(|| panic!("no complaint {code}"))
    )
}

#[tokio::test]
async fn a_visitor_reports_a_wrong_figure_about_botosari_and_reads_why_the_coordinator_rejected_it()
{
    let app = demo_app().await;
    let Some(b) = Browser::phone().await else {
        return;
    };
    // Without signing in, from the village page.
    b.open(&app.url(&format!("/wilayah/{BOTOSARI}"))).await;
    b.click("#laporkan").await;
    b.wait_for_path("/pengaduan?desa=").await;
    let page = b.body_text().await;
    assert!(
        page.contains("Hanya koordinator TKPK wilayah ini yang dapat melihatnya"),
        "who sees the contact is said before it is typed"
    );
    fits(&b, "/pengaduan at 390px").await;
    assert_eq!(value_of(&b, "#desa").await, BOTOSARI);
    b.fill("#tahun", "2025").await;
    b.fill("#apa", "Jumlah rumah tangga miskin 2025").await;
    b.fill(
        "#alasan",
        "Di dusun kami saja ada 60 RTM, angka di sini terlalu kecil.",
    )
    .await;
    b.fill("#kontak", CONTACT).await;
    submit(&b, "#form-pengaduan").await;
    b.wait_for_path("/pengaduan/lacak?kode=").await;
    let code = text_of(&b, "#kode-pelacakan").await;
    assert_eq!(code.len(), 14, "{code}");
    assert_eq!(text_of(&b, "#status").await, "Diterima");
    fits(&b, "/pengaduan/lacak at 390px").await;

    // Tracked later by the code typed loosely, without signing in.
    b.open(&app.url("/pengaduan/lacak")).await;
    b.fill("#kode", &code.replace('-', " ").to_lowercase())
        .await;
    b.click("form[action='/pengaduan/lacak'] button").await;
    b.wait_for_text("Terakhir berubah").await;
    assert_eq!(text_of(&b, "#status").await, "Diterima");
    assert!(!b.body_text().await.contains(CONTACT));

    // The coordinator reviews it (and sees the contact), then rejects it with a reason.
    sign_in(&b, &app, COORDINATOR, "/pengaduan/masuk").await;
    let entry = complaint_entry(&b, &code).await;
    let shown = text_of(&b, &entry).await;
    assert!(shown.contains(CONTACT), "{shown}");
    assert!(shown.contains("Di dusun kami saja ada 60 RTM"), "{shown}");
    fits(&b, "/pengaduan/masuk at 390px").await;
    b.click(&format!("{entry} button.telaah")).await;
    b.wait_for_text("Sedang ditelaah").await;
    let reason = "Angka 2025 sesuai DTKS per Desember 2024; usulan pemutakhiran lewat musdes.";
    let field = b
        .js(&format!(
            "return document.querySelector('{entry} textarea[name=alasan]').id"
        ))
        .await;
    b.fill(&format!("#{}", field.as_str().unwrap()), reason)
        .await;
    b.click(&format!("{entry} button.tolak")).await;
    b.wait_for_text("pengaduan").await;
    assert!(
        b.js(&format!(
            "return document.querySelector('{entry}') === null"
        ))
        .await
            == true
    );
    b.open(&app.url("/pengaduan/masuk?status=REJECTED")).await;
    let closed = text_of(&b, &entry).await;
    assert!(closed.contains(reason), "{closed}");
    assert!(
        !closed.contains(CONTACT),
        "the contact is erased on closing: {closed}"
    );
    sign_out(&b).await;

    // The visitor reads the outcome.
    b.open(&app.url(&format!("/pengaduan/lacak?kode={code}")))
        .await;
    assert_eq!(text_of(&b, "#status").await, "Ditolak");
    assert_eq!(text_of(&b, "#hasil").await, reason);
    assert!(!b.body_text().await.contains(CONTACT));
    b.close().await;
}

#[tokio::test]
async fn a_flood_of_console_complaints_gets_a_friendly_refusal_and_keeps_what_was_typed() {
    use crate::console_writes::{CSRF, send_form};
    let app = crate::helpers::spawn_app_with(|c| {
        c.rate_limits.anonymous_complaints_per_hour = 2;
        c.rate_limits.anonymous_complaints_burst = 2;
    })
    .await;
    app.load_demo().await;
    let body = format!("csrf={CSRF}&desa={BOTOSARI}&apa=Jumlah+RTM&alasan=Terlalu+kecil&kontak=");
    let cookies = format!("sinergi_csrf={CSRF}");
    for _ in 0..2 {
        let res = send_form(&app, &cookies, "/pengaduan", body.clone()).await;
        assert_eq!(res.status(), 303);
    }
    let res = send_form(&app, &cookies, "/pengaduan", body).await;
    assert_eq!(res.status(), 429);
    let page = res.text().await.unwrap();
    assert!(page.contains("Pengaduan Anda belum terkirim"), "{page}");
    assert!(page.contains("Terlalu kecil"), "what was typed stays");
    // Tracking still works from the same address.
    let res = reqwest::get(app.url("/pengaduan/lacak?kode=0000-0000-0000"))
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
}

/// A complaint about a contribution, in review: the coordinator corrects the figure, then resolves
/// the complaint from the inbox (filtered to what is in review) by linking that correction. A
/// resolution without a linked change is refused beside the list of changes; once resolved, the
/// coordinator is back on the inbox as filtered, and the visitor reads what was corrected.
#[tokio::test]
async fn a_complaint_in_review_is_resolved_in_the_console_by_linking_the_correction() {
    let app = demo_app().await;
    let contribution = demo_id("dinsos-rtlh-botosari-2025");
    let viewer = app.token_for("pemantau@sinergi.demo").await;
    let filed = app
        .gql_as(
            Some(&viewer),
            r#"mutation($i: ComplaintInput!) { fileComplaint(input: $i) { trackingCode } }"#,
            json!({ "i": { "contributionId": contribution, "what": "Jumlah penerima manfaat",
                           "reason": "Papan proyek menulis 40 rumah", "contact": CONTACT } }),
        )
        .await;
    let code = filed["data"]["fileComplaint"]["trackingCode"]
        .as_str()
        .unwrap_or_else(|| panic!("{filed}"))
        .to_string();
    let coord = app.token_for(COORDINATOR).await;
    let inbox = app
        .gql_as(
            Some(&coord),
            r#"{ complaints { items { id version } } }"#,
            json!({}),
        )
        .await;
    let complaint = inbox["data"]["complaints"]["items"][0].clone();
    let reviewed = app
        .gql_as(
            Some(&coord),
            r#"mutation($id: ID!, $v: Int!) { reviewComplaint(id: $id, version: $v) { status } }"#,
            json!({ "id": complaint["id"], "v": complaint["version"] }),
        )
        .await;
    assert_eq!(
        reviewed["data"]["reviewComplaint"]["status"], "IN_REVIEW",
        "{reviewed}"
    );
    // The correction: the organization fixes the number of beneficiaries.
    let skpd = app.token_for(SKPD).await;
    let read = app
        .gql_as(
            Some(&coord),
            r#"query($id: ID!) { contribution(id: $id) { version } }"#,
            json!({ "id": contribution }),
        )
        .await;
    let fixed = app
        .gql_as(
            Some(&skpd),
            r#"mutation($id: ID!, $v: Int!) { updateContribution(id: $id, version: $v, input: { beneficiaries: 40 }) { id } }"#,
            json!({ "id": contribution, "v": read["data"]["contribution"]["version"] }),
        )
        .await;
    assert!(fixed["errors"].is_null(), "{fixed}");

    let Some(b) = Browser::phone().await else {
        return;
    };
    sign_in(&b, &app, COORDINATOR, "/pengaduan/masuk?status=IN_REVIEW").await;
    let entry = complaint_entry(&b, &code).await;
    b.click(&format!("{entry} a.selesaikan")).await;
    b.wait_for_path("/pengaduan/masuk/").await;
    fits(&b, "/pengaduan/masuk/…/selesai at 390px").await;
    let note = "Penerima manfaat dikoreksi menjadi 40 rumah sesuai papan proyek.";
    b.fill("#catatan", note).await;
    submit(&b, "#form-selesai").await;
    b.wait_for_text("pilih perubahan yang mengoreksi data ini")
        .await;
    assert_eq!(
        value_of(&b, "#catatan").await,
        note,
        "what was typed is kept"
    );
    b.click("#koreksi-0").await;
    submit(&b, "#form-selesai").await;
    b.wait_for_path("/pengaduan/masuk?status=IN_REVIEW").await;
    assert!(
        b.js(&format!(
            "return document.querySelector('{entry}') === null"
        ))
        .await
            == true,
        "no longer in review"
    );
    sign_out(&b).await;

    b.open(&app.url(&format!("/pengaduan/lacak?kode={code}")))
        .await;
    assert_eq!(text_of(&b, "#status").await, "Selesai, data dikoreksi");
    assert_eq!(text_of(&b, "#hasil").await, note);
    b.close().await;
}
