//! Test harness: every test gets a fresh database (a temporary SQLite file, or a new PostgreSQL
//! database when `SINERGI_TEST_POSTGRES` names a server) and the real server on port 0, and talks HTTP.

use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};
use serde_json::{Value, json};
use sinergi::config::Config;
use sinergi::db::StatementCounter;
use sinergi::startup::Application;
use std::net::SocketAddr;
use tempfile::TempDir;
use tokio::sync::oneshot;

/// Server URL (without database) of the PostgreSQL to test against, e.g.
/// `postgres://postgres@127.0.0.1:5432`; unset means SQLite.
pub const PG_ENV: &str = "SINERGI_TEST_POSTGRES";

/// A fresh, empty database for one test.
pub struct TestDb {
    /// Its URL.
    pub url: String,
    _dir: Option<TempDir>,
}

/// Creates a fresh database: a file in a new temporary directory, or a uniquely named PostgreSQL
/// database (left for `.ci/run` to drop: the server may still hold connections when a test ends).
pub async fn fresh_db() -> TestDb {
    match std::env::var(PG_ENV) {
        Ok(server) if !server.is_empty() => {
            let server = server.trim_end_matches('/').to_string();
            let name = format!("sinergi_test_{}", uuid::Uuid::now_v7().simple());
            let admin = Database::connect(format!("{server}/postgres"))
                .await
                .expect("connect to PostgreSQL");
            admin
                .execute_raw(Statement::from_string(
                    admin.get_database_backend(),
                    format!("CREATE DATABASE {name}"),
                ))
                .await
                .expect("create the test database");
            admin.close().await.ok();
            TestDb {
                url: format!("{server}/{name}"),
                _dir: None,
            }
        }
        _ => {
            let dir = tempfile::tempdir().expect("temporary directory");
            let url = format!("sqlite://{}", dir.path().join("sinergi.db").display());
            TestDb {
                url,
                _dir: Some(dir),
            }
        }
    }
}

/// A running hub on a fresh database.
pub struct TestApp {
    /// Where it listens.
    pub addr: SocketAddr,
    /// A direct connection pool to its database, for seeding and checking.
    pub db: DatabaseConnection,
    /// Counts the statements the server sends.
    pub statements: StatementCounter,
    /// The server's change feed (subscription tests wait for their subscribers on it).
    pub bus: sinergi::events::Bus,
    /// The database's URL (for in-process commands such as `sinergi import`).
    pub database_url: String,
    /// HTTP client.
    pub client: reqwest::Client,
    /// Token sent with `gql`/`data` when set (see `sign_in`).
    pub token: std::sync::Mutex<Option<String>>,
    shutdown: Option<oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
    _db: TestDb,
}

/// The token secret of test servers, so tests can mint tokens (and forge bad ones).
pub const TEST_SECRET: &str = "test-only-secret-for-the-sinergi-suite-0123456789";

/// The demo viewer: reads everything but other organizations' drafts.
pub const VIEWER: &str = "pemantau@sinergi.demo";
/// Password of every demo user and of users made by `TestApp::user`.
pub const PASSWORD: &str = "sinergi-demo";

/// The test configuration: port 0, a small pool, the fresh database.
pub fn test_config(database_url: &str) -> Config {
    Config {
        database_url: database_url.to_string(),
        bind: "127.0.0.1:0".into(),
        db_pool: 4,
        jwt_secret: Some(TEST_SECRET.into()),
        ..Default::default()
    }
}

/// Starts the hub on a fresh database.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Starts the hub on a fresh database with adjusted settings.
pub async fn spawn_app_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
    let test_db = fresh_db().await;
    let mut config = test_config(&test_db.url);
    adjust(&mut config);
    let app = Application::build(&config).await.expect("the hub builds");
    let addr = app.addr();
    let db = app.db();
    let statements = app.statements();
    let bus = app.bus();
    let (tx, rx) = oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until(async {
        let _ = rx.await;
    }));
    TestApp {
        addr,
        db,
        statements,
        bus,
        database_url: test_db.url.clone(),
        client: reqwest::Client::new(),
        token: std::sync::Mutex::new(None),
        shutdown: Some(tx),
        server: Some(server),
        _db: test_db,
    }
}

impl TestApp {
    /// `http://addr/path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// POSTs a GraphQL query (with the signed-in token, if any) and returns the JSON response.
    pub async fn gql(&self, query: &str, variables: Value) -> Value {
        let token = self.token.lock().unwrap().clone();
        self.gql_as(token.as_deref(), query, variables).await
    }

    /// POSTs a GraphQL query with the given bearer token (none: anonymous).
    pub async fn gql_as(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let mut req = self
            .client
            .post(self.url("/graphql"))
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let res = req.send().await.expect("request sent");
        res.json().await.expect("a JSON response")
    }

    /// Signs in through the `login` mutation and returns the token.
    pub async fn login(&self, email: &str, password: &str) -> String {
        let res = self
            .gql_as(
                None,
                "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }",
                json!({ "e": email, "p": password }),
            )
            .await;
        res["data"]["login"]["token"]
            .as_str()
            .unwrap_or_else(|| panic!("sign-in of {email} failed: {res}"))
            .to_string()
    }

    /// Signs in as `email` (password [`PASSWORD`]) for the following `gql`/`data` calls.
    pub async fn sign_in(&self, email: &str) {
        let token = self.login(email, PASSWORD).await;
        *self.token.lock().unwrap() = Some(token);
    }

    /// Creates a user directly in the database (password [`PASSWORD`]) and returns its token.
    pub async fn user(
        &self,
        email: &str,
        role: entity::enums::Role,
        organization: Option<&str>,
        scope: Option<&str>,
    ) -> String {
        use sea_orm::{ActiveModelTrait, ActiveValue::Set};
        let hash = sinergi::services::passwords::hash(PASSWORD.into())
            .await
            .unwrap();
        entity::user::ActiveModel {
            id: Set(sinergi::services::new_id()),
            email: Set(email.into()),
            name: Set(email.into()),
            password_hash: Set(hash),
            role: Set(role),
            organization_id: Set(organization.map(Into::into)),
            region_scope: Set(scope.map(Into::into)),
            active: Set(true),
            must_change_password: Set(false),
            session_epoch: Set(0),
            spared_session: Set(None),
            ended_sessions: Set(None),
            version: Set(1),
            created_at: Set(chrono::Utc::now()),
            updated_at: Set(chrono::Utc::now()),
        }
        .insert(&self.db)
        .await
        .expect("test user");
        self.login(email, PASSWORD).await
    }

    /// POSTs a query and returns `data`, failing the test on any error.
    pub async fn data(&self, query: &str, variables: Value) -> Value {
        let res = self.gql(query, variables).await;
        assert!(res.get("errors").is_none(), "unexpected errors: {res:#}");
        res["data"].clone()
    }

    /// Loads the demo dataset through the same code as `sinergi demo`.
    pub async fn load_demo(&self) {
        sinergi::services::demo::load(&self.db)
            .await
            .expect("the demo loads");
    }

    /// A valid hub token for the user with this e-mail, minted with the test secret (fast: no
    /// password hashing; `login` itself is tested separately).
    pub async fn token_for(&self, email: &str) -> String {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let user = entity::user::Entity::find()
            .filter(entity::user::Column::Email.eq(email))
            .one(&self.db)
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("no user {email}"));
        let now = chrono::Utc::now().timestamp();
        mint(
            json!({ "sub": user.id, "email": email, "iat": now, "exp": now + 600, "iss": "sinergi", "aud": "sinergi-api",
                    "sid": new_sid(), "ver": user.session_epoch }),
        )
    }

    /// Creates a viewer account and signs in with it (for tests on synthetic data).
    pub async fn sign_in_new_viewer(&self) {
        let token = self
            .user(
                "viewer@test.example",
                entity::enums::Role::Viewer,
                None,
                None,
            )
            .await;
        *self.token.lock().unwrap() = Some(token);
    }

    /// Loads the demo and signs in as its viewer, who may read every record but drafts.
    pub async fn demo_as_viewer(&self) {
        self.load_demo().await;
        self.sign_in(VIEWER).await;
    }

    /// Stops the server gracefully and waits for it.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(server) = self.server.take() {
            server
                .await
                .expect("server task")
                .expect("server stopped cleanly");
        }
    }
}

/// Number of rows in `table`.
pub async fn count_rows(db: &DatabaseConnection, table: &str) -> i64 {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            format!("SELECT COUNT(*) AS n FROM {table}"),
        ))
        .await
        .expect("count query")
        .expect("one row");
    row.try_get::<i64>("", "n").expect("a count")
}

/// The `extensions.code` of the first error.
pub fn error_code(res: &Value) -> &str {
    res["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or("<no code>")
}

/// A fresh session id, as the hub puts in every token it issues.
pub fn new_sid() -> String {
    uuid::Uuid::now_v7().simple().to_string()
}

/// Signs claims with the test secret (HS256). Claims naming no session get a new one in the
/// account's first epoch (`sid`, `ver: 0`), as every token the hub issues carries one; a test of
/// a token without them uses [`mint_raw`].
pub fn mint(mut claims: Value) -> String {
    if let Some(c) = claims.as_object_mut() {
        c.entry("sid").or_insert_with(|| json!(new_sid()));
        c.entry("ver").or_insert(json!(0));
    }
    mint_raw(claims)
}

/// Signs exactly these claims with the test secret (HS256).
pub fn mint_raw(claims: Value) -> String {
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(TEST_SECRET.as_bytes()),
    )
    .unwrap()
}

/// A path inside the checkout. Read from the `CARGO_MANIFEST_DIR` cargo sets when it runs the tests
/// (falling back to the one the binary was built with), so a test binary shared between two
/// checkouts reads the files of the one it runs in.
pub fn checkout_path(relative: &str) -> std::path::PathBuf {
    let root = std::env::var("CARGO_MANIFEST_DIR")
        .unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_string());
    std::path::Path::new(&root).join(relative)
}
