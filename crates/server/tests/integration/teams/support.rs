//! A team server over a fresh PostgreSQL database with two workspaces of sample data, and users
//! made directly in the database for each test.

use std::time::Duration;

use rapport_engine::Engine;
use rapport_engine::sample::SampleSpec;
use rapport_engine::sync::http::Limits;
use rapport_engine::sync::{Connection, Credentials, mastodon};
use rapport_engine::team::rules::{Role, Token, TokenKind, hash_password};
use rapport_engine::team::{PgDatabase, WorkspaceId, tables, workspace_dir};
use rapport_server::{Running, TeamOptions};
use rapport_test_support::mastodon::StandIn;
use rapport_test_support::postgres::{Database, database};
use serde_json::Value;

use crate::support::{Answer, Served};

/// The password every test user gets.
pub(crate) const PASSWORD: &str = "a long enough password";

pub(crate) struct Team {
    _running: Running,
    pub(crate) base: String,
    pub(crate) pg: PgDatabase,
    /// Workspace A (the tests' users are mostly here) and B (whose data must never reach them).
    pub(crate) a: i64,
    pub(crate) b: i64,
    agent: ureq::Agent,
    dir: tempfile::TempDir,
    _db: Database,
}

/// A user with an API token in one workspace.
pub(crate) struct User {
    pub(crate) name: String,
    pub(crate) id: i64,
    pub(crate) token: String,
}

impl Team {
    /// Two workspaces of sample data (different seeds) behind a team server on 127.0.0.1:0.
    pub(crate) fn start() -> Team {
        Team::start_in(database())
    }

    /// The same, in a database the caller made (on a cluster of its own, to restart it).
    pub(crate) fn start_in(db: Database) -> Team {
        let pg = rapport_engine::team::connect(db.url()).expect("connect and migrate");
        let a = pg.create_workspace("Acme").expect("workspace A").id.0;
        let b = pg.create_workspace("Globex").expect("workspace B").id.0;
        let dir = tempfile::tempdir().expect("temp dir");
        for (workspace, seed) in [(a, 1), (b, 2)] {
            let engine = Engine::open_workspace(&pg, WorkspaceId(workspace), dir.path())
                .expect("open a workspace");
            let spec = SampleSpec { seed, people: 40, ..SampleSpec::default() };
            engine.load_sample(&spec).expect("sample data");
        }
        let options = TeamOptions {
            database: db.url().to_owned(),
            addr: ([127, 0, 0, 1], 0).into(),
            upload_limit: 16 * 1024 * 1024,
            local: dir.path().to_owned(),
            hosts: Vec::new(),
            pool_size: None,
            login_limit: rapport_engine::team::rules::LimiterParams::default(),
        };
        let running = rapport_server::start_team(options).expect("start the team server");
        let base = format!("http://{}", running.addr());
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .max_redirects(0)
            .build()
            .into();
        Team { _running: running, base, pg, a, b, agent, dir, _db: db }
    }

    /// A new user with `role` in `workspace`, and an API token there.
    pub(crate) fn user(&self, name: &str, workspace: i64, role: Role) -> User {
        let mut c = self.pg.client().expect("a connection");
        let hash = hash_password(PASSWORD).expect("hash");
        let id = tables::create_user(&mut *c, name, hash.as_str()).expect("create the user");
        tables::set_member(&mut *c, id, workspace, role.as_str()).expect("membership");
        let token = Token::generate(TokenKind::Api).expect("token");
        tables::create_api_token(&mut *c, &token.hash().0, id, workspace, "tests")
            .expect("create a token")
            .expect("a member");
        User { name: name.to_owned(), id, token: token.text().to_owned() }
    }

    /// A request with exactly these headers.
    pub(crate) fn call(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&[u8]>,
    ) -> Answer {
        let mut request =
            ureq::http::Request::builder().method(method).uri(format!("{}{path}", self.base));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let request = request.body(body.unwrap_or_default().to_vec()).expect("a request");
        Served::answer(self.agent.run(request))
    }

    /// A request as `user`, with their API token (and a JSON body when one is given).
    pub(crate) fn as_user(
        &self,
        user: &User,
        method: &str,
        path: &str,
        body: Option<&str>,
    ) -> Answer {
        let bearer = format!("Bearer {}", user.token);
        let headers = [("authorization", bearer.as_str()), ("content-type", "application/json")];
        self.call(method, path, &headers, body.map(str::as_bytes))
    }

    /// The engine of a workspace, read directly (not through the server).
    pub(crate) fn engine(&self, workspace: i64) -> Engine {
        Engine::open_workspace(&self.pg, WorkspaceId(workspace), self.dir.path()).expect("open")
    }

    /// Connects an account of the Mastodon stand-in to `workspace`, as `rapport --workspace NAME
    /// connect mastodon` on the server does: its credentials file in the workspace's folder.
    pub(crate) fn connect_mastodon(&self, workspace: i64, server: &StandIn) {
        let limits = Limits { backoff: Duration::from_millis(20), ..Limits::default() };
        let auth = mastodon::authorize(&server.url, limits.clone()).expect("authorize");
        let code = server.approve(&auth.url);
        let app = mastodon::finish(auth, &code, limits).expect("connect");
        let dir = workspace_dir(self.dir.path(), WorkspaceId(workspace));
        let mut credentials = Credentials::load(&dir).expect("credentials");
        credentials.upsert(Connection::Mastodon(app));
        credentials.save().expect("save");
    }

    /// The audit log of a workspace, newest first, as `action subject` lines.
    pub(crate) fn audit_log(&self, workspace: i64) -> Vec<String> {
        let mut c = self.pg.client().expect("a connection");
        let rows = tables::audit_log(&mut *c, workspace, 1000).expect("the log");
        rows.into_iter().map(|r| format!("{} {}", r.action, r.subject)).collect()
    }

    /// What a workspace's data looks like, read directly: its generation, counts and action
    /// states, to show that nothing changed.
    pub(crate) fn fingerprint(&self, workspace: i64) -> String {
        let engine = self.engine(workspace);
        let read = engine.read().expect("read");
        format!("{} {:?}", read.generation().expect("generation"), read.stats().expect("stats"))
    }

    /// Uploads a table into the user's workspace and waits for the import job to end.
    pub(crate) fn import(&self, user: &User, name: &str, table: &str) -> Value {
        let bearer = format!("Bearer {}", user.token);
        let answer = self.call(
            "POST",
            &format!("/api/import?name={name}"),
            &[("authorization", &bearer)],
            Some(table.as_bytes()),
        );
        assert_eq!(answer.status, 202, "{}", answer.body);
        let id = answer.json()["id"].as_u64().expect("a job id");
        for _ in 0..600 {
            let job = self.as_user(user, "GET", &format!("/api/import/{id}"), None).json();
            if job["state"] == "done" || job["state"] == "failed" {
                return job;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("import job {id} did not finish in a minute");
    }
}

/// A body with `key` replaced by a placeholder, to compare answers about different keys.
pub(crate) fn masked(body: &str, key: &str) -> String {
    body.replace(key, "KEY")
}
