//! Hostile spreadsheets (issue 25): a sheet whose one far cell once made the hub allocate 550 GB
//! and abort, zip bombs of one huge cell and of NUL padding, 100,000 columns, a million bad rows,
//! a 100 MB line. Each is sent by a viewer and by a coordinator, to the API and to the console, to
//! a hub in a process of its own whose memory is read from /proc: each gets a clear refusal naming
//! its limit, quickly; the hub's peak memory barely moves; `/health` answers throughout; nothing
//! is stored.

use crate::drills::{ChildHub, report};
use crate::helpers::{TestApp, count_rows, spawn_app};
use serde_json::Value;
use std::io::Write;
use std::sync::OnceLock;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const HEADER: &str =
    "kunci,kontributor,sumber_dana,jenis,kode_wilayah,tahun_anggaran,judul,rencana";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// One hostile file and the refusal it must get.
struct Hostile {
    name: &'static str,
    xlsx: bool,
    body: Vec<u8>,
    code: &'static str,
}

/// Writes one member's bytes.
type Member<'a> = (&'a str, &'a dyn Fn(&mut dyn Write));

/// A workbook whose members are written by `members` (name, then the writer of its bytes).
fn workbook(members: &[Member<'_>]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    let fixed: [(&str, &str); 4] = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>"#,
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Kontribusi" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
        ),
    ];
    for (name, text) in fixed {
        zip.start_file(name, opts).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    for (name, write) in members {
        zip.start_file(*name, opts).unwrap();
        write(&mut zip);
    }
    zip.finish().unwrap().into_inner()
}

const SHEET_START: &str = r#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#;
const SHEET_END: &str = "</sheetData></worksheet>";

/// Writes `byte` `total` times, a megabyte at a time.
fn fill(w: &mut dyn Write, byte: u8, total: usize) {
    let chunk = vec![byte; 1 << 20];
    for _ in 0..total / chunk.len() {
        w.write_all(&chunk).unwrap();
    }
}

/// The files, built once per test process (the bombs take a few seconds to compress).
fn hostile_files() -> &'static [Hostile] {
    static FILES: OnceLock<Vec<Hostile>> = OnceLock::new();
    FILES.get_or_init(|| {
        let gigabyte = 1100 << 20;
        let two_cells = workbook(&[(
            "xl/worksheets/sheet1.xml",
            &|w| {
                write!(
                    w,
                    r#"{SHEET_START}<row r="1"><c r="A1" t="inlineStr"><is><t>kunci</t></is></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>{SHEET_END}"#
                )
                .unwrap()
            },
        )]);
        let huge_cell = workbook(&[
            (
                "xl/sharedStrings.xml",
                &|w| {
                    write!(w, r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>"#).unwrap();
                    fill(w, b'A', gigabyte);
                    write!(w, "</t></si></sst>").unwrap();
                },
            ),
            (
                "xl/worksheets/sheet1.xml",
                &|w| {
                    write!(w, r#"{SHEET_START}<row r="1"><c r="A1" t="s"><v>0</v></c></row>{SHEET_END}"#).unwrap()
                },
            ),
        ]);
        // The padding in a member of its own, as a picture would be: no XML to measure; it is
        // refused when it has inflated past the limit of a member read whole.
        let nul_padding = workbook(&[
            (
                "xl/worksheets/sheet1.xml",
                &|w| {
                    write!(w, r#"{SHEET_START}<row r="1"><c r="A1" t="inlineStr"><is><t>kunci</t></is></c></row>{SHEET_END}"#).unwrap()
                },
            ),
            ("xl/media/image1.png", &|w| fill(w, 0, gigabyte)),
        ]);
        let mut wide = String::from("kunci");
        for c in 1..100_000 {
            wide.push_str(&format!(",c{c}"));
        }
        wide.push('\n');
        let mut bad_rows = format!("{HEADER}\n");
        bad_rows.push_str(&"x\n".repeat(1_000_000));
        vec![
            Hostile { name: "two cells, A1 and XFD1048576", xlsx: true, body: two_cells, code: "IMPORT_TOO_MANY_COLUMNS" },
            Hostile { name: "zip bomb: one 1.1 GB cell", xlsx: true, body: huge_cell, code: "IMPORT_CELL_TOO_LONG" },
            Hostile { name: "zip bomb: 1.1 GB of NUL padding", xlsx: true, body: nul_padding, code: "IMPORT_MEMBER_TOO_LARGE" },
            Hostile { name: "100,000 columns", xlsx: false, body: wide.into_bytes(), code: "IMPORT_TOO_MANY_COLUMNS" },
            Hostile { name: "a million bad rows", xlsx: false, body: bad_rows.into_bytes(), code: "IMPORT_TOO_MANY_ROWS" },
        ]
    })
}

/// The console's upload form, as a browser sends it.
fn multipart(file: &Hostile, csrf: &str) -> (String, Vec<u8>) {
    let boundary = "sinergiBatasUji";
    let (name, media) = if file.xlsx {
        ("data.xlsx", XLSX)
    } else {
        ("data.csv", "text/csv")
    };
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"jenis\"\r\n\r\ncontributions\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"berkas\"; filename=\"{name}\"\r\nContent-Type: {media}\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(&file.body);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// A console session: its cookie header and the CSRF token its pages carry.
async fn console_session(
    client: &reqwest::Client,
    hub: &ChildHub,
    token: &str,
) -> (String, String) {
    let res = client
        .get(hub.url("/impor"))
        .header("Cookie", format!("sinergi_sesi={token}"))
        .send()
        .await
        .unwrap();
    let mut cookies = vec![format!("sinergi_sesi={token}")];
    for v in res.headers().get_all("set-cookie") {
        let v = v.to_str().unwrap();
        if let Some(pair) = v
            .split(';')
            .next()
            .filter(|p| !p.starts_with("sinergi_sesi="))
        {
            cookies.push(pair.to_string());
        }
    }
    let page = res.text().await.unwrap();
    let at = page
        .find("name=\"csrf\" value=\"")
        .expect("the upload form's CSRF token")
        + 19;
    let csrf = page[at..].split('"').next().unwrap().to_string();
    (cookies.join("; "), csrf)
}

/// Sends one hostile file through the API or the console; the status, the body, and how long.
async fn send(
    client: &reqwest::Client,
    hub: &ChildHub,
    token: &str,
    file: &Hostile,
    console: bool,
) -> (u16, String, Duration) {
    let started = Instant::now();
    let res = if console {
        let (cookies, csrf) = console_session(client, hub, token).await;
        let (content_type, body) = multipart(file, &csrf);
        client
            .post(hub.url("/impor"))
            .header("Cookie", cookies)
            .header("Content-Type", content_type)
            .body(body)
            .send()
            .await
            .unwrap()
    } else {
        client
            .post(hub.url("/imports/contributions?dryRun=true"))
            .bearer_auth(token)
            .header("Content-Type", if file.xlsx { XLSX } else { "text/csv" })
            .body(file.body.clone())
            .send()
            .await
            .unwrap()
    };
    let status = res.status().as_u16();
    let body = res.text().await.unwrap();
    (status, body, started.elapsed())
}

/// Sends `declared` bytes of one line to `path` over a raw connection, writing while the answer
/// may already be on its way, and returns the answer's head and body as text.
async fn send_huge_line(hub: &ChildHub, path: &str, headers: &str, declared: usize) -> String {
    let mut stream = tokio::net::TcpStream::connect(hub.addr).await.unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {}\r\n{headers}Content-Length: {declared}\r\nConnection: close\r\n\r\n",
        hub.addr
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let (mut read, mut write) = stream.into_split();
    let writer = tokio::spawn(async move {
        let chunk = vec![b'A'; 1 << 20];
        let mut sent = 0;
        while sent < declared {
            // The hub may answer and close before it has all: that ends the writing.
            if write.write_all(&chunk).await.is_err() {
                break;
            }
            sent += chunk.len();
        }
    });
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(10), read.read_to_end(&mut answer)).await;
    writer.abort();
    String::from_utf8_lossy(&answer).into_owned()
}

/// A file that passes its dry run (as an administrator).
fn good_file() -> Hostile {
    let org = sinergi::services::demo::demo_id("dinsos-pekalongan");
    Hostile {
        name: "good",
        xlsx: false,
        body: format!("{HEADER}\nW-1,{org},APBD Kabupaten,Tunai,33.26.02.2008,2026,Uji,1000\n")
            .into_bytes(),
        code: "",
    }
}

async fn hub_with_demo() -> (TestApp, ChildHub) {
    let app = spawn_app().await;
    app.load_demo().await;
    let hub = ChildHub::start(&app.database_url, 1).await;
    (app, hub)
}

#[tokio::test]
async fn hostile_files_are_refused_quickly_with_bounded_memory() {
    let (app, hub) = hub_with_demo().await;
    let files = hostile_files();
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let tokens = [
        ("viewer", app.token_for("pemantau@sinergi.demo").await),
        (
            "coordinator",
            app.token_for("koordinator@pekalongan.demo").await,
        ),
    ];
    let before = count_rows(&app.db, "contributions").await;
    // Warm the hub up with one good dry run, so the baseline holds what any upload allocates.
    let admin = app.token_for("admin@sinergi.demo").await;
    let (status, body, _) = send(&client, &hub, &admin, &good_file(), false).await;
    assert_eq!(status, 200, "{body}");
    let (_, baseline_peak) = hub.memory_kb();
    for file in files {
        for (who, token) in &tokens {
            for console in [false, true] {
                let door = if console { "console" } else { "API" };
                let (status, body, took) = send(&client, &hub, token, file, console).await;
                report(&format!(
                    "{} as {who} through the {door}: {status} in {} ms",
                    file.name,
                    took.as_millis()
                ));
                assert_eq!(
                    status, 413,
                    "{} as {who} via {door}: {body:.400}",
                    file.name
                );
                if console {
                    // The console names the limit in Indonesian, from the refusal's catalog.
                    assert!(
                        body.contains("batas impor") || body.contains("bom zip"),
                        "{:.2000}",
                        body
                    );
                    assert!(body.contains("SINERGI_IMPORT_MAX_"), "the setting is named");
                } else {
                    let report: Value = serde_json::from_str(&body).unwrap();
                    let problem = &report["problems"][0];
                    assert_eq!(problem["code"], file.code, "{body:.400}");
                    assert!(
                        problem["reason"]
                            .as_str()
                            .unwrap()
                            .contains("setting SINERGI_IMPORT_MAX_"),
                        "{problem}"
                    );
                    assert!(
                        problem["alasan"]
                            .as_str()
                            .unwrap()
                            .contains("pengaturan SINERGI_IMPORT_MAX_"),
                        "{problem}"
                    );
                    assert!(problem["limit"].as_u64().is_some(), "{problem}");
                    assert!(
                        body.len() < 4096,
                        "a short answer, not the file echoed: {} bytes",
                        body.len()
                    );
                }
                assert!(took < Duration::from_secs(2), "{} took {took:?}", file.name);
            }
        }
    }
    // A 100 MB line: refused from its declared length, before the hub reads it.
    for (who, token) in &tokens {
        let started = Instant::now();
        let answer = send_huge_line(
            &hub,
            "/imports/contributions?dryRun=true",
            &format!("Authorization: Bearer {token}\r\nContent-Type: text/csv\r\n"),
            100 << 20,
        )
        .await;
        let took = started.elapsed();
        report(&format!(
            "a 100 MB line as {who} through the API: refused in {} ms",
            took.as_millis()
        ));
        assert!(answer.starts_with("HTTP/1.1 413"), "{answer:.600}");
        assert!(
            answer.contains("IMPORT_TOO_LARGE") && answer.contains("SINERGI_MAX_IMPORT_BYTES"),
            "{answer:.600}"
        );
        assert!(took < Duration::from_secs(2), "{took:?}");
        let (cookies, csrf) = console_session(&client, &hub, token).await;
        let started = Instant::now();
        let answer = send_huge_line(
            &hub,
            "/impor",
            &format!(
                "Cookie: {cookies}\r\nContent-Type: multipart/form-data; boundary=b{csrf}\r\n"
            ),
            100 << 20,
        )
        .await;
        let took = started.elapsed();
        report(&format!(
            "a 100 MB line as {who} through the console: refused in {} ms",
            took.as_millis()
        ));
        assert!(answer.starts_with("HTTP/1.1 413"), "{answer:.600}");
        assert!(answer.contains("Berkas terlalu besar"), "{answer:.2000}");
        assert!(took < Duration::from_secs(2), "{took:?}");
    }
    let (rss, peak) = hub.memory_kb();
    report(&format!(
        "hub memory: peak {} MB before the hostile files, {} MB after (now {} MB)",
        baseline_peak / 1024,
        peak / 1024,
        rss / 1024
    ));
    assert!(
        peak < baseline_peak + 100 * 1024,
        "the hub's peak memory grew by {} MB",
        (peak - baseline_peak) / 1024
    );
    assert_eq!(
        count_rows(&app.db, "contributions").await,
        before,
        "nothing stored"
    );
    drop(hub);
    app.stop().await;
}

#[tokio::test]
async fn health_stays_responsive_during_two_hostile_uploads() {
    let (app, hub) = hub_with_demo().await;
    let files = hostile_files();
    let client = reqwest::Client::new();
    let token = app.token_for("koordinator@pekalongan.demo").await;
    let before = count_rows(&app.db, "contributions").await;
    // Two at once, again and again, for a few seconds: both import slots busy all along.
    let uploads = {
        let (client, token) = (client.clone(), token.clone());
        let hub = &hub;
        async move {
            let started = Instant::now();
            let mut sent = 0;
            while started.elapsed() < Duration::from_secs(4) {
                let (a, b) = tokio::join!(
                    send(&client, hub, &token, &files[1], false),
                    send(&client, hub, &token, &files[4], false)
                );
                assert!(a.0 == 413 && b.0 == 413, "{} {}", a.0, b.0);
                sent += 2;
            }
            sent
        }
    };
    let probes = async {
        let mut slowest = Duration::ZERO;
        let started = Instant::now();
        let mut probes = 0;
        while started.elapsed() < Duration::from_secs(4) {
            let t = Instant::now();
            let res = client.get(hub.url("/health")).send().await.unwrap();
            assert_eq!(res.status(), 200);
            slowest = slowest.max(t.elapsed());
            probes += 1;
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        (probes, slowest)
    };
    let (sent, (probes, slowest)) = tokio::join!(uploads, probes);
    report(&format!(
        "/health during {sent} hostile uploads, two at a time: {probes} probes, slowest {} ms",
        slowest.as_millis()
    ));
    assert!(
        slowest < Duration::from_millis(100),
        "/health took {slowest:?}"
    );
    assert_eq!(
        count_rows(&app.db, "contributions").await,
        before,
        "nothing stored"
    );
    drop(hub);
    app.stop().await;
}

#[tokio::test]
async fn busy_importer_answers_503_with_retry_after() {
    let (app, hub) = hub_with_demo().await;
    let token = app.token_for("admin@sinergi.demo").await;
    let good = good_file().body;
    // Two uploads that take their slot and then send their bodies slowly: the hub's two slots.
    let mut held = Vec::new();
    for _ in 0..2 {
        let mut stream = tokio::net::TcpStream::connect(hub.addr).await.unwrap();
        let head = format!(
            "POST /imports/contributions?dryRun=true HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {token}\r\nContent-Type: text/csv\r\nContent-Length: 1000\r\n\r\nkunci",
            hub.addr
        );
        stream.write_all(head.as_bytes()).await.unwrap();
        held.push(stream);
    }
    let client = reqwest::Client::new();
    // Let the slow ones reach the door first (a quick upload racing them could take a slot for
    // the moment it runs, and one of them be the one told "busy").
    tokio::time::sleep(Duration::from_millis(500)).await;
    let third = async {
        let held = &mut held;
        // Poll until the door is full.
        for _ in 0..50 {
            let res = client
                .post(hub.url("/imports/contributions?dryRun=true"))
                .bearer_auth(&token)
                .header("Content-Type", "text/csv")
                .body(format!("{HEADER}\n"))
                .send()
                .await
                .unwrap();
            if res.status() == 503 {
                return res;
            }
            // Not full yet: the slow uploads' headers are still on their way.
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let mut buf = vec![0u8; 600];
        let mut got = Vec::new();
        for h in held.iter_mut() {
            let n = tokio::time::timeout(Duration::from_millis(200), h.read(&mut buf)).await;
            let len = n
                .as_ref()
                .ok()
                .and_then(|r| r.as_ref().ok())
                .copied()
                .unwrap_or(0);
            got.push(format!("{n:?} {}", String::from_utf8_lossy(&buf[..len])));
        }
        panic!("the door never filled; the slow uploads got {got:?}");
    }
    .await;
    assert_eq!(third.headers()["retry-after"], "5");
    let body: Value = third.json().await.unwrap();
    assert_eq!(body["problems"][0]["code"], "IMPORT_BUSY", "{body}");
    assert!(
        body["problems"][0]["alasan"]
            .as_str()
            .unwrap()
            .contains("sibuk"),
        "{body}"
    );
    // The slow uploads go away: their slots come back, and the next upload is read.
    drop(held);
    let mut answered = 0;
    for _ in 0..50 {
        let res = client
            .post(hub.url("/imports/contributions?dryRun=true"))
            .bearer_auth(&token)
            .header("Content-Type", "text/csv")
            .body(good.clone())
            .send()
            .await
            .unwrap();
        answered = res.status().as_u16();
        if answered != 503 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(answered, 200, "the good file's dry run is read again");
    drop(hub);
    app.stop().await;
}
