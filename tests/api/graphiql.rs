//! GraphiQL in a real browser, served entirely by the hub: the page must work on an office network
//! without internet, so every script and stylesheet it loads comes from the hub itself.

use crate::browser::Browser;
use crate::helpers::{VIEWER, spawn_app};
use fantoccini::Locator;
use std::time::Duration;

/// Every URL the page loaded (scripts, stylesheets, fetches) and every `src`/`href` it names.
async fn loaded_urls(browser: &Browser) -> Vec<String> {
    let urls = browser
        .client
        .execute(
            "return performance.getEntriesByType('resource').map(e => e.name)
                .concat([...document.querySelectorAll('script[src], link[href], img[src]')]
                .map(e => e.src || e.href));",
            vec![],
        )
        .await
        .expect("the script runs");
    serde_json::from_value(urls).expect("a list of URLs")
}

/// Waits (up to 20 s) until the `innerText` of the first element matching `css` contains `needle`.
/// (Read through a script: WebDriver's element text walks GraphiQL's large DOM far too slowly.)
async fn wait_for(browser: &Browser, css: &str, needle: &str) -> String {
    let mut text = String::new();
    for _ in 0..200 {
        let got = browser
            .client
            .execute(
                "const e = document.querySelector(arguments[0]); return e ? e.innerText : '';",
                vec![css.into()],
            )
            .await
            .expect("the script runs");
        text = got.as_str().unwrap_or_default().to_string();
        if text.contains(needle) {
            return text;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{css} never showed {needle:?}; it shows:\n{text}");
}

#[tokio::test]
async fn a_partner_opens_graphiql_reads_the_docs_and_runs_a_query_offline() {
    let Some(browser) = Browser::start(1400, 900).await else {
        return;
    };
    let app = spawn_app().await;
    app.load_demo().await;
    let origin = app.url("");
    let query = "{ region(code: \"33.26\") { name } }";
    let url = format!(
        "{}?query={}",
        app.url("/graphql"),
        query
            .bytes()
            .map(|b| format!("%{b:02X}"))
            .collect::<String>()
    );
    browser.client.goto(&url).await.expect("the page opens");

    // The documentation explorer lists the root types, from introspection.
    let text = wait_for(&browser, ".graphiql-doc-explorer", "Root Types").await;
    assert!(text.contains("query: Query"), "{text}");

    // The link's query is in the editor; running it shows the answer.
    browser
        .client
        .find(Locator::Css(".graphiql-execute-button"))
        .await
        .expect("the run button")
        .click()
        .await
        .expect("it clicks");
    wait_for(&browser, ".result-window", "Kabupaten Pekalongan").await;

    // Nothing came from another host.
    let urls = loaded_urls(&browser).await;
    assert!(
        urls.iter()
            .any(|u| u.ends_with("/graphiql/graphiql.min.js")),
        "{urls:?}"
    );
    for u in &urls {
        assert!(
            u.starts_with(&origin),
            "{u} is not served by the hub ({origin})"
        );
    }
    browser.close().await;
}

#[tokio::test]
async fn the_bearer_token_field_signs_graphiql_in() {
    let Some(browser) = Browser::start(1400, 900).await else {
        return;
    };
    let app = spawn_app().await;
    app.load_demo().await;
    let token = app.token_for(VIEWER).await;
    let url = format!(
        "{}?query=%7B%20me%20%7B%20user%20%7B%20email%20%7D%20%7D%20%7D",
        app.url("/graphql")
    );
    browser.client.goto(&url).await.expect("the page opens");
    wait_for(&browser, ".graphiql-doc-explorer", "Root Types").await;
    browser
        .client
        .find(Locator::Id("sinergi-token"))
        .await
        .expect("the token field")
        .send_keys(&token)
        .await
        .expect("typing");
    browser
        .client
        .find(Locator::Css(".graphiql-execute-button"))
        .await
        .expect("the run button")
        .click()
        .await
        .expect("it clicks");
    wait_for(&browser, ".result-window", VIEWER).await;
    browser.close().await;
}
