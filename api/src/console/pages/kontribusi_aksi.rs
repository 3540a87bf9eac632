//! A contribution's life after it is recorded: its status (`setContributionStatus`), cancelling it
//! (`cancelContribution`), and its commitment, disbursement and expenditure transactions
//! (`addContributionTransaction`, with a client key). The forms sit on the contribution's page for
//! those who act for its organization; each also has a page of its own, where a refused post is
//! shown again with its reasons and the contribution's current figures.

use super::kontribusi_tulis::{Contribution, load, not_yours};
use crate::console::documents::{
    self as doc, BatalkanKontribusi, ContributionStatus, StatusKontribusi, TransaksiKontribusi,
};
use crate::console::format;
use crate::console::forms::fields::{self as ui, field};
use crate::console::forms::{self, Form};
use crate::console::page::{Ctx, Failure};
use crate::labels::{self, Kind};
use axum::body::Bytes;
use axum::extract::Path;
use axum::response::Response;
use maud::{Markup, html};

const TX_FIELDS: &[(&str, &str)] = &[
    ("input.type", "jenis_transaksi"),
    ("input.amount", "nilai"),
    ("input.date", "tanggal"),
    ("input.note", "catatan"),
];

/// The three actions, by URL segment.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Action {
    Status,
    Cancel,
    Transaction,
}

impl Action {
    fn title(self) -> &'static str {
        match self {
            Action::Status => "Ubah status",
            Action::Cancel => "Batalkan kontribusi",
            Action::Transaction => "Catat transaksi",
        }
    }

    fn segment(self) -> &'static str {
        match self {
            Action::Status => "status",
            Action::Cancel => "batal",
            Action::Transaction => "transaksi",
        }
    }
}

/// What the writing forms need of a contribution, whichever document read it (its own page's or
/// the forms' own).
pub struct Panel<'a> {
    /// The contribution's id.
    pub id: &'a str,
    /// The version it was read at.
    pub version: i64,
    /// Its status now.
    pub status: ContributionStatus,
    /// The id of the organization that made it.
    pub contributor: Option<&'a str>,
}

impl<'a> Panel<'a> {
    /// The panel of a contribution as the forms read it.
    fn of(c: &'a Contribution) -> Self {
        Panel {
            id: &c.id,
            version: c.version,
            status: c.status,
            contributor: c.contributor.as_ref().map(|o| o.id.as_str()),
        }
    }
}

fn version_form(c: &Panel<'_>) -> Form {
    Form::filled([(forms::VERSION, c.version.to_string())])
}

fn statuses_offered(c: &Panel<'_>) -> Vec<&'static str> {
    let now = super::wire_name(&c.status);
    ["PLANNED", "COMMITTED", "IN_PROGRESS", "COMPLETED"]
        .into_iter()
        .filter(|s| *s != now)
        .collect()
}

fn action_form(ctx: &Ctx, f: &Form, c: &Panel<'_>, action: Action) -> Markup {
    let url = format!("/kontribusi/{}/{}", c.id, action.segment());
    let id = format!("form-{}", action.segment());
    match action {
        Action::Status => ui::form(
            ctx,
            f,
            &url,
            &id,
            html! {
                (ui::version(f))
                (ui::enum_select(f, field("status", "Status baru").required(), Kind::ContributionStatus, None, Some(&statuses_offered(c))))
                (ui::submit("Simpan status"))
            },
        ),
        Action::Transaction => ui::form(
            ctx,
            f,
            &url,
            &id,
            html! {
                (ui::version(f)) (ui::client_key(f))
                div.form-grid {
                    (ui::enum_select(f, field("jenis_transaksi", "Jenis transaksi").required(), Kind::TransactionType, Some("– pilih –"), None))
                    (ui::rupiah(f, field("nilai", "Nilai").required()))
                    (ui::input(f, field("tanggal", "Tanggal").required(), "date"))
                    (ui::input(f, field("catatan", "Catatan"), "text"))
                }
                (ui::submit("Catat transaksi"))
            },
        ),
        Action::Cancel => ui::form(ctx, f, &url, &id, {
            f.label("yakin", "Konfirmasi pembatalan");
            html! {
                (ui::version(f))
                div.field .invalid[f.error("yakin").is_some()] {
                    div.check {
                        input #yakin type="checkbox" name="yakin" value="ya" required aria-describedby=[f.error("yakin").map(|_| "yakin-galat")];
                        label for="yakin" { "Ya, batalkan kontribusi ini. Kontribusi tetap tercatat (tidak dihapus), berstatus Dibatalkan." }
                    }
                    @if let Some(e) = f.error("yakin") { p.field-error #yakin-galat { (e) } }
                }
                div.actions { button.danger type="submit" { "Batalkan kontribusi" } }
            }
        }),
    }
}

/// The writing forms on a contribution's page, for those who act for its organization (nothing
/// for others, nor once it is cancelled).
pub fn panel(ctx: &Ctx, c: &Panel<'_>) -> Markup {
    if !forms::acts_for(ctx, c.contributor) || c.status == ContributionStatus::Cancelled {
        return html! {};
    }
    let mut tx = version_form(c);
    tx.set(forms::CLIENT_KEY, crate::console::session::new_token());
    tx.set("tanggal", today());
    html! {
        section.write-panel aria-labelledby="perbarui" {
            h2 #perbarui { "Perbarui kontribusi" }
            p { a.button #ubah-kontribusi href={ "/kontribusi/" (c.id) "/ubah" } { "Ubah isian kontribusi" } }
            h3 { "Status" }
            (action_form(ctx, &version_form(c), c, Action::Status))
            h3 { "Transaksi" }
            p.muted { "Komitmen dan pencairan tidak melebihi nilai komitmen; belanja tidak melebihi yang sudah dicairkan." }
            (action_form(ctx, &tx, c, Action::Transaction))
            h3 { "Batalkan" }
            (action_form(ctx, &version_form(c), c, Action::Cancel))
        }
    }
}

fn today() -> String {
    (chrono::Utc::now() + chrono::Duration::hours(7))
        .date_naive()
        .format("%Y-%m-%d")
        .to_string()
}

/// The page of one action: the contribution's current figures and the form.
fn page(ctx: &Ctx, f: &Form, c: &Contribution, action: Action) -> Response {
    let body = html! {
        h1 { (action.title()) ": " (c.title) }
        p { a href={ "/kontribusi/" (c.id) } { "Kembali ke kontribusi" } }
        dl.facts #nilai-sekarang {
            dt { "Status" } dd { (labels::of(Kind::ContributionStatus, &c.status)) }
            dt { "Komitmen" } dd { (format::money(&c.amount_committed)) }
            dt { "Pencairan" } dd { (format::money(&c.amount_disbursed)) }
            dt { "Realisasi" } dd { (format::money(&c.amount_realised)) }
            dt { "Versi" } dd { (c.version) }
        }
        @if c.status == ContributionStatus::Cancelled {
            p.note { "Kontribusi ini sudah dibatalkan: tidak dapat diubah lagi." }
        } @else {
            (action_form(ctx, f, &Panel::of(c), action))
        }
    };
    forms::answer(ctx, f, action.title(), body)
}

async fn show_form(mut ctx: Ctx, id: String, action: Action) -> Response {
    let c = match load(&mut ctx, &id).await {
        Ok(c) => c,
        Err(e) => return ctx.fail(e),
    };
    if let Some(refused) = not_yours(&ctx, &c) {
        return refused;
    }
    let mut f = version_form(&Panel::of(&c));
    if action == Action::Transaction {
        f.set(forms::CLIENT_KEY, crate::console::session::new_token());
        f.set("tanggal", today());
    }
    page(&ctx, &f, &c, action)
}

/// `GET /kontribusi/{id}/status`.
pub async fn status_form(ctx: Ctx, Path(id): Path<String>) -> Response {
    show_form(ctx, id, Action::Status).await
}

/// `GET /kontribusi/{id}/batal`.
pub async fn cancel_form(ctx: Ctx, Path(id): Path<String>) -> Response {
    show_form(ctx, id, Action::Cancel).await
}

/// `GET /kontribusi/{id}/transaksi`.
pub async fn transaction_form(ctx: Ctx, Path(id): Path<String>) -> Response {
    show_form(ctx, id, Action::Transaction).await
}

/// Reads an action's form and runs its mutation: whether it was stored.
async fn run(ctx: &mut Ctx, f: &mut Form, id: &str, action: Action) -> Result<bool, Failure> {
    ctx.require_user()?;
    // A missing version has already put its notice on the form, so nothing is sent with 0.
    let version = f.version().unwrap_or_default();
    let id = id.to_string();
    let stored = match action {
        Action::Status => {
            // A missing status has put its reason beside the field, so nothing is sent.
            let status = f
                .choice("status", Kind::ContributionStatus, true)
                .and_then(super::enum_of)
                .unwrap_or(ContributionStatus::Planned);
            let vars = doc::status_kontribusi::Variables {
                id,
                version,
                status,
            };
            let map = forms::field_map(&[("status", "status")]);
            f.send::<StatusKontribusi>(ctx, vars, map).await?.is_some()
        }
        Action::Cancel => {
            if f.value("yakin") != "ya" {
                f.reject("yakin", "centang untuk memastikan pembatalan");
            }
            let vars = doc::batalkan_kontribusi::Variables { id, version };
            f.send::<BatalkanKontribusi>(ctx, vars, forms::field_map(&[]))
                .await?
                .is_some()
        }
        Action::Transaction => {
            // Missing values have put their reasons beside the fields, so nothing is sent.
            let type_ = f
                .choice("jenis_transaksi", Kind::TransactionType, true)
                .and_then(super::enum_of)
                .unwrap_or(doc::TransactionType::Commitment);
            let amount = f.rupiah("nilai", true).unwrap_or_default().to_string();
            let date = f.date("tanggal", true).unwrap_or_default();
            let input = doc::transaksi_kontribusi::TransactionInput {
                type_,
                amount,
                date,
                note: f.text("catatan"),
            };
            let vars = doc::transaksi_kontribusi::Variables {
                id,
                version,
                input,
                client_key: Some(f.client_key().to_string()),
            };
            f.send::<TransaksiKontribusi>(ctx, vars, forms::field_map(TX_FIELDS))
                .await?
                .is_some()
        }
    };
    Ok(stored)
}

async fn post(mut ctx: Ctx, id: String, body: Bytes, action: Action) -> Response {
    let mut f = match Form::read(&ctx, &body) {
        Ok(f) => f,
        Err(refused) => return *refused,
    };
    let to = format!("/kontribusi/{id}");
    match run(&mut ctx, &mut f, &id, action).await {
        Ok(true) => return forms::done(&ctx, &to),
        Ok(false) => {}
        Err(e) => return ctx.fail(e),
    }
    let c = match load(&mut ctx, &id).await {
        Ok(c) => c,
        Err(e) => return ctx.fail(e),
    };
    if f.is_stale() {
        // A double-clicked status change or cancellation finds its own first click stored.
        let wanted = match action {
            Action::Status => Some(f.value("status").to_string()),
            Action::Cancel => Some("CANCELLED".to_string()),
            Action::Transaction => None,
        };
        if wanted.is_some_and(|s| super::wire_name(&c.status) == s) {
            return forms::done(&ctx, &to);
        }
        f.stale(&[(forms::VERSION, c.version.to_string())]);
    }
    page(&ctx, &f, &c, action)
}

/// `POST /kontribusi/{id}/status`.
pub async fn set_status(ctx: Ctx, Path(id): Path<String>, body: Bytes) -> Response {
    post(ctx, id, body, Action::Status).await
}

/// `POST /kontribusi/{id}/batal`.
pub async fn cancel(ctx: Ctx, Path(id): Path<String>, body: Bytes) -> Response {
    post(ctx, id, body, Action::Cancel).await
}

/// `POST /kontribusi/{id}/transaksi`.
pub async fn add_transaction(ctx: Ctx, Path(id): Path<String>, body: Bytes) -> Response {
    post(ctx, id, body, Action::Transaction).await
}
