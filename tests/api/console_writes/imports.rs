//! Spreadsheets imported in the console: a dry run that shows a bad row's reason and stores nothing,
//! the corrected file confirmed and stored, the same file again changing nothing; a confirmation
//! that only its uploader can use; a file over the upload limit sent to the command line.

use super::*;
use crate::console::{demo_app, sign_in};
use crate::helpers::{count_rows, spawn_app_with};

const SKPD: &str = "skpd@pekalongan.demo";

/// The SKPD's own contributions (empty contributor: its organization), a dotted code, an undotted
/// one and a village name under the regency given in the form.
const GOOD: &str = "\
kunci,sumber_dana,jenis,kode_wilayah,tahun_anggaran,judul,rencana,komitmen,status
DS-1,APBD Kabupaten,Tunai,33.26.02.2008,2026,Bantuan bibit,150.000.000,0,Rencana
DS-2,APBD_REGENCY,CASH,3326022014,2026,Jambanisasi,75000000,75000000,COMMITTED
DS-3,APBD Kabupaten,Barang,Sawangan,2026,Paket sembako,10000000,,
";

fn bad() -> String {
    GOOD.replace("Paket sembako,10000000", "Paket sembako,-10000000")
}

async fn tables(app: &TestApp) -> [i64; 3] {
    [
        count_rows(&app.db, "contributions").await,
        count_rows(&app.db, "audit_log").await,
        count_rows(&app.db, "client_keys").await,
    ]
}

/// Chooses `contents` as the upload (written to a file the browser can read) and checks it.
async fn upload(b: &Browser, app: &TestApp, contents: &str) {
    let mut file = tempfile::Builder::new().suffix(".csv").tempfile().unwrap();
    std::io::Write::write_all(&mut file, contents.as_bytes()).unwrap();
    let path = file.into_temp_path().keep().unwrap();
    b.open(&app.url("/impor")).await;
    choose(b, "#jenis", "contributions").await;
    b.fill("#kabupaten", "33.26").await;
    b.client
        .find(Locator::Css("#berkas"))
        .await
        .unwrap()
        .send_keys(path.to_str().unwrap())
        .await
        .unwrap();
    submit(b, "#form-impor").await;
    b.wait_for_text("Hasil pemeriksaan").await;
    let _ = std::fs::remove_file(path);
}

#[tokio::test]
async fn an_import_with_a_bad_row_stores_nothing_then_the_corrected_file_imports_once() {
    let app = demo_app().await;
    let before = tables(&app).await;
    let Some(b) = Browser::start(1280, 900).await else {
        return;
    };
    sign_in(&b, &app, SKPD, "/impor").await;
    for kind in ["contributions", "programs", "organizations", "indicators"] {
        for ext in ["csv", "xlsx"] {
            let href = format!("/imports/{kind}/template.{ext}");
            let found = b
                .js(&format!(
                    "return !!document.querySelector('#templat a[href=\"{href}\"]')"
                ))
                .await;
            assert_eq!(found, json!(true), "template link {href}");
        }
    }
    fits(&b, "/impor").await;

    upload(&b, &app, &bad()).await;
    let report = b.wait_for_text("Tidak ada yang disimpan").await;
    let row = text_of(&b, "#isi table tbody tr").await;
    assert!(row.starts_with("4\t"), "the spreadsheet row of DS-3: {row}");
    assert!(
        row.contains("rencana") && row.contains("-10000000") && row.contains("negative"),
        "column, value and reason: {row}"
    );
    assert_eq!(
        b.js("return document.querySelectorAll('#isi table tbody tr').length")
            .await,
        json!(1),
        "one problem: {report}"
    );
    assert_eq!(
        b.js("return !!document.querySelector('#form-konfirmasi')")
            .await,
        json!(false),
        "a file with problems cannot be confirmed"
    );
    assert_eq!(tables(&app).await, before, "nothing is stored");

    upload(&b, &app, GOOD).await;
    assert_eq!(text_of(&b, "#akan-ditambah").await, "3");
    assert_eq!(
        tables(&app).await,
        before,
        "a dry run stores nothing either"
    );
    submit(&b, "#form-konfirmasi").await;
    b.wait_for_path("/impor?selesai=1").await;
    let done = text_of(&b, "#hasil-impor").await;
    assert!(
        done.contains("3 baris ditambah, 0 diperbarui, 0 tidak berubah"),
        "{done}"
    );
    let after = tables(&app).await;
    assert_eq!(after[0], before[0] + 3, "three contributions");
    assert_eq!(after[1], before[1] + 3, "one audit row each");

    upload(&b, &app, GOOD).await;
    assert_eq!(text_of(&b, "#akan-ditambah").await, "0");
    assert_eq!(text_of(&b, "#akan-diperbarui").await, "0");
    assert_eq!(text_of(&b, "#tidak-berubah").await, "3");
    submit(&b, "#form-konfirmasi").await;
    b.wait_for_path("/impor?selesai=1").await;
    let done = text_of(&b, "#hasil-impor").await;
    assert!(
        done.contains("0 baris ditambah, 0 diperbarui, 3 tidak berubah"),
        "{done}"
    );
    assert_eq!(
        tables(&app).await,
        after,
        "the second import changes nothing"
    );
    b.close().await;
    app.stop().await;
}

const BOUNDARY: &str = "sinergiUjiBatas";

fn multipart(fields: &[(&str, &str)], file: &str) -> String {
    let mut body = String::new();
    for (k, v) in fields {
        body.push_str(&format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
        ));
    }
    body.push_str(&format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"berkas\"; filename=\"data.csv\"\r\nContent-Type: text/csv\r\n\r\n{file}\r\n--{BOUNDARY}--\r\n"
    ));
    body
}

async fn post_upload(app: &TestApp, cookies: &str, body: String) -> reqwest::Response {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(app.url("/impor"))
        .header("Cookie", cookies)
        .header(
            "Content-Type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(body)
        .send()
        .await
        .unwrap()
}

fn token_in(page: &str) -> String {
    let at = page
        .find("name=\"token\" value=\"")
        .expect("a confirmation form")
        + 20;
    page[at..].split('"').next().unwrap().to_string()
}

#[tokio::test]
async fn a_checked_upload_is_confirmed_only_by_its_uploader_with_its_csrf_token() {
    let app = demo_app().await;
    let skpd = app.token_for(SKPD).await;
    let csr = app.token_for(CSR).await;
    let before = tables(&app).await;
    let csrf = csrf_of(&app, &skpd).await;
    let fields = [
        ("csrf", csrf.as_str()),
        ("jenis", "contributions"),
        ("kabupaten", "33.26"),
    ];

    // Without the CSRF token (a form from another site): refused, nothing checked or kept.
    let res = post_upload(
        &app,
        &format!("sinergi_sesi={skpd}; sinergi_csrf={CSRF}"),
        multipart(&[("jenis", "contributions")], GOOD),
    )
    .await;
    assert_eq!(res.status(), 403);

    let res = post_upload(
        &app,
        &format!("sinergi_sesi={skpd}; sinergi_csrf={CSRF}"),
        multipart(&fields, GOOD),
    )
    .await;
    assert_eq!(res.status(), 200);
    let token = token_in(&res.text().await.unwrap());

    // Another user holding the token, or the uploader without its CSRF token: nothing imported.
    let res = post_form(&app, &csr, "/impor/konfirmasi", &[("token", &token)]).await;
    assert_eq!(res.status(), 404);
    let res = send_form(
        &app,
        &format!("sinergi_sesi={skpd}; sinergi_csrf={CSRF}"),
        "/impor/konfirmasi",
        format!("token={token}"),
    )
    .await;
    assert_eq!(res.status(), 403);
    assert_eq!(tables(&app).await, before);

    let res = post_form(&app, &skpd, "/impor/konfirmasi", &[("token", &token)]).await;
    assert!(location(&res).starts_with("/impor?selesai=1"));
    assert_eq!(tables(&app).await[0], before[0] + 3);
    // A confirmation posted again (a reload) finds nothing to import.
    let res = post_form(&app, &skpd, "/impor/konfirmasi", &[("token", &token)]).await;
    assert_eq!(res.status(), 404);
    app.stop().await;
}

#[tokio::test]
async fn a_file_over_the_upload_limit_names_the_command_line_and_stores_nothing() {
    let app = spawn_app_with(|c| c.max_import_bytes = 1024).await;
    app.load_demo().await;
    let skpd = app.token_for(SKPD).await;
    let csrf = csrf_of(&app, &skpd).await;
    let before = tables(&app).await;
    let big = GOOD.to_string() + &"DS-9,APBD_REGENCY,CASH,33.26.02.2008,2026,x,1,0,\n".repeat(40);
    let res = post_upload(
        &app,
        &format!("sinergi_sesi={skpd}; sinergi_csrf={CSRF}"),
        multipart(
            &[
                ("csrf", csrf.as_str()),
                ("jenis", "programs"),
                ("kabupaten", ""),
            ],
            &big,
        ),
    )
    .await;
    assert_eq!(res.status(), 413);
    let page = res.text().await.unwrap();
    assert!(page.contains("Berkas terlalu besar"), "{page}");
    assert!(
        page.contains("sinergi import programs BERKAS --as skpd@pekalongan.demo"),
        "{page}"
    );
    assert!(page.contains("1 KB"), "the limit is named: {page}");
    assert_eq!(tables(&app).await, before);
    app.stop().await;
}
