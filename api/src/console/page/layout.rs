//! The layout around every console page: header, navigation, "Lihat GraphQL" and footer.

use super::Ctx;
use super::urlencode;
use crate::console::words as w;
use maud::{DOCTYPE, Markup, html};

const NAV: &[(&str, &str)] = &[
    ("/", w::NAV_OVERVIEW),
    ("/wilayah", w::NAV_REGIONS),
    ("/kontribusi", w::NAV_CONTRIBUTIONS),
    ("/program", w::NAV_PROGRAMS),
    ("/organisasi", w::NAV_ORGANIZATIONS),
    ("/rapat", w::NAV_MEETINGS),
    ("/tindak-lanjut", w::NAV_FOLLOW_UP),
    ("/celah", w::NAV_GAPS),
    ("/tumpang-tindih", w::NAV_OVERLAPS),
    ("/laporan", w::NAV_REPORTS),
    ("/impor", w::NAV_IMPORT),
];

pub(super) fn layout(ctx: &Ctx, title: &str, body: Markup) -> Markup {
    let path = ctx.here.split('?').next().unwrap_or("/");
    html! {
        (DOCTYPE)
        html lang="id" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                // htmx would otherwise inject a <style> element, which the CSP refuses.
                meta name="htmx-config" content=r#"{"includeIndicatorStyles":false}"#;
                title { (title) " · Sinergi" }
                link rel="stylesheet" href=(crate::console::assets::STYLESHEET);
                script src=(crate::console::assets::HTMX) defer {}
                script src=(crate::console::assets::LIVE) defer {}
            }
            body hx-boost="true" {
                a.skip href="#isi" { (w::SKIP_TO_CONTENT) }
                header.top {
                    a.brand href="/" { "Sinergi" }
                    nav aria-label=(w::NAV_LABEL) {
                        ul {
                            @for (href, label) in NAV {
                                @let current = if *href == "/" { path == "/" } else { path.starts_with(href) };
                                li { a href=(href) aria-current=[current.then_some("page")] { (label) } }
                            }
                        }
                    }
                    div.who {
                        @match ctx.user() {
                            Some(u) => {
                                span { (u.name) " · " (crate::labels::of(crate::labels::Kind::Role, &u.role)) }
                                @if ctx.manages_people() { a href="/pengguna" { (w::NAV_USERS) } }
                                a href=(crate::console::page::PASSWORD_PATH) { (w::NAV_PASSWORD) }
                                form method="post" action="/keluar" hx-boost="false" {
                                    input type="hidden" name="csrf" value=(ctx.csrf);
                                    button type="submit" { (w::SIGN_OUT) }
                                }
                            }
                            None => { a.button href={ "/masuk?kembali=" (urlencode(&ctx.here)) } { (w::SIGN_IN) } }
                        }
                    }
                }
                main #isi {
                    (body)
                    @if !ctx.ran.is_empty() { (show_graphql(ctx)) }
                }
                footer { p { (w::FOOTER) } }
            }
        }
    }
}

/// "Lihat GraphQL": the documents and variables the page ran, each with a link that opens it in
/// GraphiQL.
fn show_graphql(ctx: &Ctx) -> Markup {
    html! {
        details.graphql {
            summary { (w::SHOW_GRAPHQL) }
            p { (w::SHOW_GRAPHQL_HELP) }
            @for ran in &ctx.ran {
                @let vars = serde_json::to_string_pretty(&ran.variables).unwrap_or_default();
                pre { code { (ran.document.trim()) } }
                pre { code { (vars) } }
                p {
                    a href={ "/graphql?query=" (urlencode(ran.document.trim())) "&variables=" (urlencode(&vars)) } hx-boost="false" {
                        (w::OPEN_IN_GRAPHIQL)
                    }
                }
            }
        }
    }
}
