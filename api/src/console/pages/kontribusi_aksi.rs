//! A contribution's life after it is recorded: its status (`setContributionStatus`), cancelling it
//! (`cancelContribution`), and its commitment, disbursement and expenditure transactions
//! (`addContributionTransaction`, with a client key). The forms sit on the contribution's page for
//! those who act for its organization; each also has a page of its own, where a refused post is
//! shown again with its reasons and the contribution's current figures.

use super::kontribusi_tulis::{load, not_yours};
use super::{lbl, text};
use crate::console::format;
use crate::console::forms::fields::{self as ui, field};
use crate::console::forms::{self, Form};
use crate::console::page::{Ctx, Failure};
use crate::labels::Kind;
use axum::body::Bytes;
use axum::extract::Path;
use axum::response::Response;
use maud::{Markup, html};
use serde_json::{Value, json};

const STATUS: &str = include_str!("../queries/kontribusi_status.graphql");
const CANCEL: &str = include_str!("../queries/kontribusi_batal.graphql");
const TRANSACTION: &str = include_str!("../queries/kontribusi_transaksi.graphql");

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

fn version_form(c: &Value) -> Form {
    Form::filled([(forms::VERSION, c["version"].to_string())])
}

fn statuses_offered(c: &Value) -> Vec<&'static str> {
    let now = c["status"].as_str().unwrap_or("");
    ["PLANNED", "COMMITTED", "IN_PROGRESS", "COMPLETED"]
        .into_iter()
        .filter(|s| *s != now)
        .collect()
}

fn action_form(ctx: &Ctx, f: &Form, c: &Value, action: Action) -> Markup {
    let url = format!("/kontribusi/{}/{}", text(&c["id"]), action.segment());
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
pub fn panel(ctx: &Ctx, c: &Value) -> Markup {
    if !forms::acts_for(ctx, c["contributor"]["id"].as_str()) || c["status"] == "CANCELLED" {
        return html! {};
    }
    let mut tx = version_form(c);
    tx.set(forms::CLIENT_KEY, crate::console::session::new_token());
    tx.set("tanggal", today());
    html! {
        section.write-panel aria-labelledby="perbarui" {
            h2 #perbarui { "Perbarui kontribusi" }
            p { a.button #ubah-kontribusi href={ "/kontribusi/" (text(&c["id"])) "/ubah" } { "Ubah isian kontribusi" } }
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
fn page(ctx: &Ctx, f: &Form, c: &Value, action: Action) -> Response {
    let body = html! {
        h1 { (action.title()) ": " (text(&c["title"])) }
        p { a href={ "/kontribusi/" (text(&c["id"])) } { "Kembali ke kontribusi" } }
        dl.facts #nilai-sekarang {
            dt { "Status" } dd { (lbl(Kind::ContributionStatus, &c["status"])) }
            dt { "Komitmen" } dd { (format::rupiah(&c["amountCommitted"])) }
            dt { "Pencairan" } dd { (format::rupiah(&c["amountDisbursed"])) }
            dt { "Realisasi" } dd { (format::rupiah(&c["amountRealised"])) }
            dt { "Versi" } dd { (c["version"]) }
        }
        @if c["status"] == "CANCELLED" {
            p.note { "Kontribusi ini sudah dibatalkan: tidak dapat diubah lagi." }
        } @else {
            (action_form(ctx, f, c, action))
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
    let mut f = version_form(&c);
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

/// Reads an action's form and runs its mutation.
async fn run(
    ctx: &mut Ctx,
    f: &mut Form,
    id: &str,
    action: Action,
) -> Result<Option<Value>, Failure> {
    ctx.require_user()?;
    let version = f.version();
    match action {
        Action::Status => {
            let status = f.choice("status", Kind::ContributionStatus, true);
            let vars = json!({ "id": id, "version": version, "status": status });
            f.submit(ctx, STATUS, vars, forms::field_map(&[("status", "status")]))
                .await
        }
        Action::Cancel => {
            if f.value("yakin") != "ya" {
                f.reject("yakin", "centang untuk memastikan pembatalan");
            }
            let vars = json!({ "id": id, "version": version });
            f.submit(ctx, CANCEL, vars, forms::field_map(&[])).await
        }
        Action::Transaction => {
            let kind = f.choice("jenis_transaksi", Kind::TransactionType, true);
            let amount = f.rupiah("nilai", true);
            let date = f.date("tanggal", true);
            let input = json!({ "type": kind, "amount": amount.map(|n| n.to_string()),
                                "date": date, "note": f.text("catatan") });
            let vars = json!({ "id": id, "version": version, "input": input, "clientKey": f.client_key() });
            f.submit(ctx, TRANSACTION, vars, forms::field_map(TX_FIELDS))
                .await
        }
    }
}

async fn post(mut ctx: Ctx, id: String, body: Bytes, action: Action) -> Response {
    let mut f = match Form::read(&ctx, &body) {
        Ok(f) => f,
        Err(refused) => return *refused,
    };
    let to = format!("/kontribusi/{id}");
    match run(&mut ctx, &mut f, &id, action).await {
        Ok(Some(_)) => return forms::done(&ctx, &to),
        Ok(None) => {}
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
        if wanted.is_some_and(|s| c["status"] == s.as_str()) {
            return forms::done(&ctx, &to);
        }
        f.stale(&[(forms::VERSION, c["version"].to_string())]);
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
