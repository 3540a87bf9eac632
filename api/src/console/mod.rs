//! The web console (Konsol) for planners and CSR forum members, in Bahasa Indonesia.
//!
//! Server-rendered HTML (maud: markup checked by the compiler and escaped by default, no template
//! files to keep in step), a little htmx that only improves what already works without JavaScript,
//! and every asset served by the hub itself. Each page runs the public GraphQL API in-process as the
//! signed-in user (`page::Ctx::run`, documents in `queries/`), so the console has no data path of its
//! own: drafts, permissions and limits hold exactly as in the API, and "Lihat GraphQL" shows the very
//! document a page ran.

use crate::state::AppState;
use axum::Router;
use axum::routing::{get, post};

/// Static assets (stylesheet, htmx), embedded in the binary.
pub mod assets;
/// SVG bar charts drawn on the server.
pub mod charts;
/// The CSRF token and the console's cookies.
pub mod cookies;
/// The console's GraphQL documents as typed answers, checked against `schema.graphql` at build.
pub mod documents;
/// Rupiah, numbers and dates the Indonesian way.
pub mod format;
/// Forms that behave: CSRF, typed values, the API's reasons beside their fields, stale versions,
/// client keys.
pub mod forms;
/// The live-update marker of the overview and follow-up pages.
pub mod live;
/// Whether a console post comes from the hub's own pages (`Origin`, `Sec-Fetch-Site`).
pub mod origin;
/// The per-request context: viewer, CSRF token, GraphQL runner, layout and error pages.
pub mod page;
/// The pages, by group.
pub mod pages;
/// Sign-in and sign-out, the session cookie and the CSRF token.
pub mod session;
/// Every sentence the console shows that is not an enum label.
pub mod words;

/// The console's spreadsheet import, with the import's body limit (`max_import_bytes`, plus the
/// multipart envelope) instead of the console's: a file over the limit is answered with a page
/// naming the command line, not a bare 413.
pub fn import_router(max_import_bytes: usize) -> Router<AppState> {
    use axum::extract::DefaultBodyLimit;
    use pages::impor;
    Router::new()
        .route("/impor", get(impor::page).post(impor::check))
        .route("/impor/konfirmasi", post(impor::confirm))
        .layer(DefaultBodyLimit::max(max_import_bytes + impor::ENVELOPE))
        .layer(axum::Extension(impor::ImportLimit(max_import_bytes)))
}

/// The console's routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(read_routes())
        .merge(contributions_routes())
        .merge(meetings_routes())
        .merge(programs_routes())
        .merge(people_routes())
        .merge(trust_routes())
}

/// Reading pages, sign-in, region suggestions and assets.
fn read_routes() -> Router<AppState> {
    use pages::*;
    Router::new()
        .route("/", get(beranda::overview))
        .route("/masuk", get(session::form).post(session::sign_in))
        .route("/keluar", post(session::sign_out))
        .route("/cari", get(wilayah::search))
        .route("/wilayah", get(wilayah::provinces))
        .route("/wilayah/{code}", get(wilayah::region))
        .route("/celah", get(analisis::gaps))
        .route("/celah.csv", get(analisis::gaps_csv))
        .route("/tumpang-tindih", get(analisis::overlaps))
        .route("/tumpang-tindih.csv", get(analisis::overlaps_csv))
        .route("/program", get(program::list))
        .route("/program/{id}", get(program::show))
        .route("/organisasi", get(organisasi::list))
        .route("/organisasi/{id}", get(organisasi::show))
        .route("/kontribusi", get(kontribusi::list))
        .route("/kontribusi/{id}", get(kontribusi::show))
        .route("/rapat", get(rapat::list))
        .route("/rapat/{id}", get(rapat::show))
        .route("/formulir/wilayah", get(forms::region::suggestions))
        .route("/tindak-lanjut", get(rapat::follow_up))
        .route("/laporan", get(laporan::form))
        .route("/aset/{file}", get(assets::serve))
}

/// Recording contributions and their money movements.
fn contributions_routes() -> Router<AppState> {
    use pages::*;
    Router::new()
        .route(
            "/kontribusi/baru",
            get(kontribusi_tulis::new_form).post(kontribusi_tulis::create),
        )
        .route(
            "/kontribusi/{id}/ubah",
            get(kontribusi_tulis::edit_form).post(kontribusi_tulis::update),
        )
        .route(
            "/kontribusi/{id}/status",
            get(kontribusi_aksi::status_form).post(kontribusi_aksi::set_status),
        )
        .route(
            "/kontribusi/{id}/batal",
            get(kontribusi_aksi::cancel_form).post(kontribusi_aksi::cancel),
        )
        .route(
            "/kontribusi/{id}/transaksi",
            get(kontribusi_aksi::transaction_form).post(kontribusi_aksi::add_transaction),
        )
}

/// Recording meetings, decisions and action items, and reporting progress.
fn meetings_routes() -> Router<AppState> {
    use pages::*;
    Router::new()
        .route(
            "/rapat/baru",
            get(rapat_tulis::new_form).post(rapat_tulis::create),
        )
        .route(
            "/rapat/{id}/ubah",
            get(rapat_tulis::edit_form).post(rapat_tulis::update),
        )
        .route(
            "/rapat/{id}/keputusan",
            get(rapat_aksi::decision_form).post(rapat_aksi::add_decision),
        )
        .route(
            "/rapat/{id}/keputusan/{decision}/rencana-aksi",
            get(rapat_aksi::item_form).post(rapat_aksi::add_item),
        )
        .route(
            "/rapat/{id}/rencana-aksi/{item}",
            get(tindak_lanjut_tulis::progress_form).post(tindak_lanjut_tulis::report),
        )
        .route(
            "/rapat/{id}/rencana-aksi/{item}/ubah",
            get(rapat_aksi::edit_item_form).post(rapat_aksi::update_item),
        )
}

/// Programs, synergies and village indicators.
fn programs_routes() -> Router<AppState> {
    use pages::*;
    Router::new()
        .route(
            "/wilayah/{code}/indikator",
            get(indikator_tulis::form).post(indikator_tulis::save),
        )
        .route(
            "/program/baru",
            get(program_tulis::new_form).post(program_tulis::create),
        )
        .route(
            "/program/{id}/ubah",
            get(program_tulis::edit_form).post(program_tulis::update),
        )
        .route(
            "/program/{id}/sinergi/baru",
            get(program_sinergi::propose_form).post(program_sinergi::propose),
        )
        .route(
            "/program/{id}/sinergi/{sid}/sepakati",
            get(program_sinergi::agree_form).post(program_sinergi::agree),
        )
        .route(
            "/program/{id}/sinergi/{sid}/batalkan",
            get(program_sinergi::drop_form).post(program_sinergi::drop),
        )
}

/// Organizations, users and passwords.
fn people_routes() -> Router<AppState> {
    use pages::*;
    Router::new()
        .route(
            "/organisasi/baru",
            get(organisasi_baru::form).post(organisasi_baru::create),
        )
        .route("/pengguna", get(pengguna::list))
        .route(
            "/pengguna/baru",
            get(pengguna_tulis::new_form).post(pengguna_tulis::create),
        )
        .route("/pengguna/{id}/aktif", post(pengguna::set_active))
        .route(
            "/pengguna/{id}/kata-sandi",
            get(pengguna_tulis::reset_form).post(pengguna_tulis::reset),
        )
        .route(
            kata_sandi::PATH,
            get(kata_sandi::form).post(kata_sandi::change),
        )
}

/// Verification and data complaints.
fn trust_routes() -> Router<AppState> {
    use pages::*;
    Router::new()
        .route("/verifikasi", get(verifikasi::queue))
        .route("/verifikasi/{kind}/{id}/{action}", post(verifikasi::decide))
        .route("/pengaduan", get(pengaduan::form).post(pengaduan::file))
        .route("/pengaduan/lacak", get(pengaduan::track))
        .route("/pengaduan/masuk", get(pengaduan_masuk::inbox))
        .route(
            "/pengaduan/masuk/{id}/selesai",
            get(pengaduan_masuk::resolve_form).post(pengaduan_masuk::resolve),
        )
        .route(
            "/pengaduan/masuk/{id}/{action}",
            post(pengaduan_masuk::triage),
        )
}
